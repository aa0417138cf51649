import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type {
	ClientAuthentication,
	ExtraParameter,
	GrantType,
	RequestFormat,
	TokenRequestConfig,
} from '../../engine/types';
import { clientTlsOf, pastedPem } from './clientTls';
import { STORED_FIELDS } from './names';

const trimmedText = (value: unknown): string => (typeof value === 'string' ? value.trim() : value == null ? '' : String(value).trim());

/** A non-negative number from a form field, or `fallback` for an empty or invalid one. */
const numberOrDefault = (value: unknown, fallback: number): number => {
	// An empty field means "use the default", not zero.
	if (value == null || trimmedText(value) === '') return fallback;
	const n = typeof value === 'number' ? value : Number(trimmedText(value));
	return Number.isFinite(n) && n >= 0 ? n : fallback;
};

function extraParametersOf(value: unknown): ExtraParameter[] {
	const list = (value as { parameter?: Array<{ name?: unknown; value?: unknown }> } | undefined)?.parameter;
	if (!Array.isArray(list)) return [];
	return list
		.map((p) => ({ name: trimmedText(p.name), value: p.value == null ? '' : String(p.value) }))
		.filter((p) => p.name !== '');
}

/** Several resource indicators may be given, separated by spaces, commas or new lines. */
function resourcesOf(value: unknown): string[] | undefined {
	const list = trimmedText(value)
		.split(/[\s,]+/)
		.filter((r) => r !== '');
	return list.length ? list : undefined;
}

export function grantTypeOf(credentialType: string): GrantType {
	return credentialType === 'passwordGrantOAuth2Api' ? 'password' : 'client_credentials';
}

/** Everything the authenticator needs, read from a credential as n8n hands it over. */
export function tokenConfigFromCredentials(
	data: ICredentialDataDecryptedObject,
	grantType: GrantType,
): TokenRequestConfig {
	const fallbackAuth: ClientAuthentication = 'header';
	return {
		tokenUrl: trimmedText(data.tokenUrl),
		grantType,
		clientId: trimmedText(data.clientId),
		clientSecret: data.clientSecret == null ? '' : String(data.clientSecret),
		clientAuthentication: (trimmedText(data.clientAuthentication) || fallbackAuth) as ClientAuthentication,
		requestFormat: (trimmedText(data.requestFormat) || 'form') as RequestFormat,
		scope: trimmedText(data.scope) || undefined,
		audience: trimmedText(data.audience) || undefined,
		resource: resourcesOf(data.resource),
		extraParameters: extraParametersOf(data.extraParameters),
		username: grantType === 'password' ? trimmedText(data.username) : undefined,
		password: grantType === 'password' ? (data.password == null ? '' : String(data.password)) : undefined,
		renewalMarginSeconds: numberOrDefault(data.renewalMarginSeconds, 60),
		defaultLifetimeSeconds: numberOrDefault(data.defaultLifetimeSeconds, 3600) || 3600,
		requestTimeoutSeconds: numberOrDefault(data.requestTimeoutSeconds, 30) || 30,
		ignoreSslIssues: data.ignoreSslIssues === true,
		...enterpriseConfigOf(data),
	};
}

/** Issuer discovery, the private key JWT fields and the client certificate, each only when in use. */
function enterpriseConfigOf(data: ICredentialDataDecryptedObject): Partial<TokenRequestConfig> {
	const config: Partial<TokenRequestConfig> = {};
	const issuerUrl = trimmedText(data.issuerUrl);
	if (issuerUrl) config.issuerUrl = issuerUrl;
	if (data.clientAuthentication === 'privateKeyJwt') {
		config.privateKey = pastedPem(data.privateKey);
		const keyId = trimmedText(data.privateKeyId);
		if (keyId) config.privateKeyId = keyId;
		const certificate = pastedPem(trimmedText(data.privateKeyCertificate));
		if (certificate) config.privateKeyCertificate = certificate;
		const algorithm = trimmedText(data.signingAlgorithm) || 'RS256';
		// An unknown value goes through so the engine names it, rather than silently signing with RS256.
		config.signingAlgorithm = algorithm as TokenRequestConfig['signingAlgorithm'];
	}
	const tls = clientTlsOf(data);
	if (tls) config.tls = tls;
	return config;
}

export interface StoredTokenFields {
	accessToken: string;
	expiresAt: number;
	obtainedAt: number;
	refreshToken: string;
	fingerprint: string;
}

export function storedTokenOf(data: ICredentialDataDecryptedObject): StoredTokenFields {
	return {
		accessToken: trimmedText(data[STORED_FIELDS.accessToken]),
		expiresAt: numberOrDefault(data[STORED_FIELDS.expiresAt], 0),
		obtainedAt: numberOrDefault(data[STORED_FIELDS.obtainedAt], 0),
		refreshToken: trimmedText(data[STORED_FIELDS.refreshToken]),
		fingerprint: trimmedText(data[STORED_FIELDS.fingerprint]),
	};
}

export interface HeaderSettings {
	name: string;
	prefix: string;
}

export function headerSettingsOf(data: ICredentialDataDecryptedObject): HeaderSettings {
	return {
		name: trimmedText(data.authHeaderName) || 'Authorization',
		prefix: data.authHeaderPrefix === undefined ? 'Bearer' : trimmedText(data.authHeaderPrefix),
	};
}

/** The API base URL: the credential's own, or the token response's instance_url when asked. */
export function apiBaseUrlOf(data: ICredentialDataDecryptedObject): string {
	if (data.useInstanceUrl === true && trimmedText(data[STORED_FIELDS.instanceUrl])) {
		return trimmedText(data[STORED_FIELDS.instanceUrl]);
	}
	return trimmedText(data.baseUrl);
}
