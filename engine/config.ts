// Checks and normal forms of a TokenRequestConfig, shared by request building, fingerprinting and renewal.

import { isAssertionAlgorithm } from './assertion';
import { checkCustomGrant } from './customGrant';
import { OAuth2ConfigError, type ConfigField } from './error';
import { checkExtraHeaders } from './extraHeaders';
import { checkResponseFields } from './responsePaths';
import { normaliseTls } from './tls';
import type { ClientAuthentication, ExtraParameter, TokenGrant, TokenRequestConfig } from './types';
import { ENGINE_WORDING, type Wording } from './wording';

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_LIFETIME_SECONDS = 3600;
export const DEFAULT_RENEWAL_MARGIN_SECONDS = 60;

/** Parameters the engine sets itself; an extra parameter may not set them. */
const RESERVED_PARAMETERS = new Set([
	'grant_type',
	'client_id',
	'client_secret',
	'username',
	'password',
	'refresh_token',
	'client_assertion',
	'client_assertion_type',
]);

/** Parameters that have a field of their own. */
const DEDICATED_PARAMETERS: Record<string, ConfigField> = {
	scope: 'scope',
	audience: 'audience',
	resource: 'resource',
};

function positiveOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function timeoutSecondsOf(config: Pick<TokenRequestConfig, 'requestTimeoutSeconds'>): number {
	return positiveOr(config.requestTimeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
}

export function defaultLifetimeSecondsOf(config: Pick<TokenRequestConfig, 'defaultLifetimeSeconds'>): number {
	return positiveOr(config.defaultLifetimeSeconds, DEFAULT_LIFETIME_SECONDS);
}

export function renewalMarginSecondsOf(config: Pick<TokenRequestConfig, 'renewalMarginSeconds'>): number {
	const value = config.renewalMarginSeconds;
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_RENEWAL_MARGIN_SECONDS;
}

/** Scopes separated by single spaces; commas, newlines and runs of white space count as separators. */
export function normaliseScope(scope: string | undefined): string | undefined {
	if (typeof scope !== 'string') return undefined;
	const normalised = scope
		.split(/[\s,]+/)
		.filter((part) => part.length > 0)
		.join(' ');
	return normalised || undefined;
}

export function normaliseAudience(audience: string | undefined): string | undefined {
	return typeof audience === 'string' && audience.trim() ? audience.trim() : undefined;
}

export function normaliseResources(resource: string[] | undefined): string[] {
	if (!Array.isArray(resource)) return [];
	return resource.map((item) => (typeof item === 'string' ? item.trim() : '')).filter((item) => item.length > 0);
}

/**
 * Extra parameters with trimmed names; rows without a name (left empty in a form) are dropped. sendIn
 * is kept only when it is not the body (the default), so a row without it and a body row are equal.
 */
export function normaliseExtraParameters(extra: ExtraParameter[] | undefined): ExtraParameter[] {
	if (!Array.isArray(extra)) return [];
	return extra
		.filter((parameter) => parameter && typeof parameter.name === 'string' && parameter.name.trim())
		.map((parameter) => {
			const normal: ExtraParameter = { name: parameter.name.trim(), value: parameter.value === undefined || parameter.value === null ? '' : String(parameter.value) };
			const sendIn = typeof parameter.sendIn === 'string' ? parameter.sendIn.trim() : parameter.sendIn;
			if (sendIn !== undefined && sendIn !== null && sendIn !== '' && sendIn !== 'body') normal.sendIn = sendIn as ExtraParameter['sendIn'];
			return normal;
		});
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** Throws unless `value` is an absolute http(s) URL; `label` names it in the message ("access token URL"). */
function checkHttpUrl(value: unknown, label: string, field: ConfigField): void {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) throw new OAuth2ConfigError(`The ${label} is missing.`, field);
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
		throw new OAuth2ConfigError(
			`The ${label} "${text}" is not an absolute URL; it must start with https:// (or http://), e.g. https://${text.replace(/^\/+/, '')}.`,
			field,
		);
	}
	const url = parseUrl(text);
	if (!url || !url.hostname) {
		throw new OAuth2ConfigError(`The ${label} "${text}" is not a valid URL.`, field);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new OAuth2ConfigError(
			`The ${label} must use https:// or http://, not ${url.protocol}//.`,
			field,
		);
	}
}

function checkTokenUrl(tokenUrl: unknown): void {
	checkHttpUrl(tokenUrl, 'access token URL', 'tokenUrl');
}

/** The issuer URL without trailing slashes, or undefined when not set. */
export function normaliseIssuer(issuerUrl: string | undefined): string | undefined {
	if (typeof issuerUrl !== 'string') return undefined;
	const text = issuerUrl.trim().replace(/\/+$/, '');
	return text || undefined;
}

/** Whether the token endpoint must come from the issuer's metadata: no token URL, an issuer URL. */
export function needsDiscovery(config: Pick<TokenRequestConfig, 'tokenUrl' | 'issuerUrl'>): boolean {
	const tokenUrl = typeof config.tokenUrl === 'string' ? config.tokenUrl.trim() : '';
	return !tokenUrl && normaliseIssuer(config.issuerUrl) !== undefined;
}

export const CLIENT_AUTHENTICATIONS: readonly ClientAuthentication[] = [
	'auto',
	'header',
	'headerRaw',
	'body',
	'none',
	'privateKeyJwt',
	'clientSecretJwt',
	'tlsClientAuth',
];

/** The methods that authenticate with the client secret. */
const SECRET_METHODS: ReadonlySet<ClientAuthentication> = new Set(['auto', 'header', 'headerRaw', 'body', 'clientSecretJwt']);

/** Presence checks of the enterprise methods; the key and certificates are parsed when the request is built. */
function checkClientAuthentication(config: TokenRequestConfig): void {
	const authentication = config.clientAuthentication;
	if (!CLIENT_AUTHENTICATIONS.includes(authentication)) {
		throw new OAuth2ConfigError(`The client authentication "${String(authentication)}" is not supported.`, 'clientAuthentication');
	}
	if (SECRET_METHODS.has(authentication) && (typeof config.clientSecret !== 'string' || config.clientSecret.length === 0)) {
		throw new OAuth2ConfigError(
			authentication === 'clientSecretJwt'
				? 'The client secret is missing; client secret JWT signs the assertion with it.'
				: 'The client secret is missing. For a public client without a secret, set the client authentication to none.',
			'clientSecret',
		);
	}
	if (authentication === 'privateKeyJwt') {
		if (typeof config.privateKey !== 'string' || !config.privateKey.trim()) {
			throw new OAuth2ConfigError('The private key is missing; private key JWT needs the PEM private key of the client.', 'privateKey');
		}
		if (config.signingAlgorithm !== undefined && !isAssertionAlgorithm(config.signingAlgorithm)) {
			throw new OAuth2ConfigError(
				`The signing algorithm "${String(config.signingAlgorithm)}" is not supported; use RS256, PS256 or ES256.`,
				'signingAlgorithm',
			);
		}
	}
	if (authentication === 'tlsClientAuth') {
		const material = normaliseTls(config.tls);
		if (!material?.cert || !material.key) {
			throw new OAuth2ConfigError(
				'TLS client authentication needs a client certificate and its private key; fill in both.',
				material?.cert ? 'tls.key' : 'tls.cert',
			);
		}
		const tokenUrl = typeof config.tokenUrl === 'string' ? parseUrl(config.tokenUrl.trim()) : undefined;
		if (tokenUrl?.protocol === 'http:') {
			throw new OAuth2ConfigError(
				'TLS client authentication needs an https:// token URL: over http:// there is no TLS connection to present the certificate on.',
				'tokenUrl',
			);
		}
	}
}

function checkExtraParameters(extra: ExtraParameter[], wording: Wording): void {
	for (const { name, sendIn } of extra) {
		const key = name.trim().toLowerCase();
		if (RESERVED_PARAMETERS.has(key)) {
			throw new OAuth2ConfigError(
				`The extra parameter "${name}" cannot be set: ${wording.sender} sends ${key} itself. Remove it from the extra parameters.`,
				'extraParameters',
			);
		}
		if (key in DEDICATED_PARAMETERS) {
			throw new OAuth2ConfigError(
				`The extra parameter "${name}" cannot be set here: use the ${wording.fieldLabel(DEDICATED_PARAMETERS[key])} field instead.`,
				'extraParameters',
			);
		}
		if (sendIn !== undefined && sendIn !== 'query') {
			throw new OAuth2ConfigError(`The extra parameter "${name}" is to be sent in "${String(sendIn)}"; choose the body or the query string.`, 'extraParameters');
		}
	}
}

/** Throws an OAuth2ConfigError for a configuration that cannot make a valid request for this grant. */
export function validateConfig(
	config: TokenRequestConfig,
	grant: TokenGrant = config?.grantType,
	wording: Wording = ENGINE_WORDING,
): void {
	if (!config || typeof config !== 'object') throw new OAuth2ConfigError('The OAuth2 configuration is missing.');
	if (needsDiscovery(config)) checkHttpUrl(config.issuerUrl, 'issuer URL', 'issuerUrl');
	else checkTokenUrl(config.tokenUrl);
	if (grant !== 'client_credentials' && grant !== 'password' && grant !== 'refresh_token') {
		throw new OAuth2ConfigError(`The grant type "${String(grant)}" is not supported.`, 'grantType');
	}
	if (config.requestFormat !== undefined && config.requestFormat !== 'form' && config.requestFormat !== 'json') {
		throw new OAuth2ConfigError(`The request format "${String(config.requestFormat)}" is not supported; use form or json.`, 'requestFormat');
	}
	if (typeof config.clientId !== 'string' || !config.clientId.trim()) {
		throw new OAuth2ConfigError('The client ID is missing.', 'clientId');
	}
	checkClientAuthentication(config);
	if (grant === 'password') {
		if (typeof config.username !== 'string' || !config.username.trim()) {
			throw new OAuth2ConfigError('The username is missing; the password grant needs a username and a password.', 'username');
		}
		if (typeof config.password !== 'string' || config.password.length === 0) {
			throw new OAuth2ConfigError('The password is missing; the password grant needs a username and a password.', 'password');
		}
	}
	checkCustomGrant(config, wording);
	checkExtraParameters(normaliseExtraParameters(config.extraParameters), wording);
	checkResponseFields(config.responseFields, wording);
	checkExtraHeaders(config.extraHeaders, wording);
}
