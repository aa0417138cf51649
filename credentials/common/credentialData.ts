import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type {
	ClientAuthentication,
	ExtraHeader,
	ExtraParameter,
	GrantType,
	RequestFormat,
	ResponseFields,
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

type Row = { name?: unknown; value?: unknown; sendIn?: unknown };

/** The rows of a fixedCollection (`{ [key]: [{ name, value, ... }] }`), dropping rows without a name. */
function rowsOf(value: unknown, key: string): Array<Row & { name: string; value: string }> {
	const list = (value as Record<string, Row[] | undefined> | undefined)?.[key];
	if (!Array.isArray(list)) return [];
	return list
		.map((row) => ({ ...row, name: trimmedText(row?.name), value: row?.value == null ? '' : String(row.value) }))
		.filter((row) => row.name !== '');
}

function extraParametersOf(value: unknown): ExtraParameter[] {
	return rowsOf(value, 'parameter').map((row) => {
		const parameter: ExtraParameter = { name: row.name, value: row.value };
		// A row saved before "Send In" existed, or left at Body, holds none; anything else goes to the engine to check.
		const sendIn = trimmedText(row.sendIn);
		if (sendIn && sendIn !== 'body') parameter.sendIn = sendIn as ExtraParameter['sendIn'];
		return parameter;
	});
}

/** The header values are kept exactly as typed: a gateway key is a secret and is not trimmed. */
export function extraHeadersOf(value: unknown): ExtraHeader[] | undefined {
	const headers = rowsOf(value, 'header').map((row) => ({ name: row.name, value: row.value }));
	return headers.length ? headers : undefined;
}

/** The custom grant type, only when the client credentials credential chose Custom (possibly empty: the engine refuses that). */
function customGrantTypeOf(data: ICredentialDataDecryptedObject, grantType: GrantType): string | undefined {
	if (grantType !== 'client_credentials' || trimmedText(data.clientGrantType) !== 'custom') return undefined;
	return trimmedText(data.customGrantType);
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
		...offTextbookConfigOf(data, grantType),
		...responseFieldsConfigOf(data),
	};
}

/** Gateway headers and a custom grant type, each only when set, so an existing credential's config is unchanged. */
function offTextbookConfigOf(data: ICredentialDataDecryptedObject, grantType: GrantType): Partial<TokenRequestConfig> {
	const config: Partial<TokenRequestConfig> = {};
	const headers = extraHeadersOf(data.extraHeaders);
	if (headers) config.extraHeaders = headers;
	const custom = customGrantTypeOf(data, grantType);
	if (custom !== undefined) config.customGrantType = custom;
	return config;
}

/**
 * The token response's fields the user named ("Token Response Fields": Name the Fields), each path only
 * when given: an empty one is detected as with Detect Automatically, so is the whole with none given.
 */
function responseFieldsConfigOf(data: ICredentialDataDecryptedObject): Partial<TokenRequestConfig> {
	if (trimmedText(data.responseFields) !== 'custom') return {};
	const fields: ResponseFields = {};
	const accessToken = trimmedText(data.responseAccessPath);
	if (accessToken) fields.accessToken = accessToken;
	const expiry = trimmedText(data.responseExpiryPath);
	if (expiry) fields.expiry = expiry;
	const refreshToken = trimmedText(data.responseRefreshPath);
	if (refreshToken) fields.refreshToken = refreshToken;
	return Object.keys(fields).length ? { responseFields: fields } : {};
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
