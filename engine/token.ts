// Turns the token endpoint's answer into a Token (RFC 6749 §5.1), or into an OAuth2TokenError (§5.2).

import { defaultLifetimeSecondsOf, normaliseExtraParameters, timeoutSecondsOf } from './config';
import { sentCustomGrantOf } from './customGrant';
import { errorFromResponse, looksLikeHtml, OAuth2TokenError, type FailureContext } from './error';
import { extraHeaderValuesOf, normaliseExtraHeaders } from './extraHeaders';
import { readJwtExp } from './jwt';
import { basicForms, maskSecrets, safeUrl } from './redact';
import { pemBodyLinesOf, tlsSecretsOf } from './tls';
import type { BasicForm, Token, TokenGrant, TokenRequestConfig, TransportResponse } from './types';
import type { Wording } from './wording';

/** No token lives longer than this for the engine, so date arithmetic never overflows. */
export const MAX_LIFETIME_SECONDS = 365 * 24 * 3600;

/** Response members that are token values or have a field of their own in Token. */
const NOT_EXTRA = new Set(['access_token', 'refresh_token', 'id_token', 'token_type', 'expires_in', 'scope']);

export interface ParseContext {
	/** The grant that was requested; defaults to the configured one. */
	grant?: TokenGrant;
	/** The refresh token that was sent, masked in errors. */
	refreshToken?: string;
	/** More values to keep out of error messages (access tokens the caller knows). */
	secrets?: string[];
	/** How many requests were sent for this response. */
	attempts?: number;
	/** The words of the hints; default the engine's. */
	wording?: Wording;
	/** With automatic client authentication: the Basic forms tried, this response's last. */
	basicForms?: readonly BasicForm[];
}

/**
 * "Bearer" for a token_type the engine may use: Bearer in any case (RFC 6750; the type is
 * case-insensitive, RFC 6749 §5.1), or none at all. RFC 6749 makes token_type required, but many
 * servers omit it (or send null or "") for what they mean as a Bearer token. Undefined for any other
 * type, which RFC 6749 §7.1 forbids a client to use when it does not understand it.
 */
export function bearerTypeOf(value: unknown): 'Bearer' | undefined {
	if (value === undefined || value === null) return 'Bearer';
	if (typeof value !== 'string') return undefined;
	const type = value.trim();
	return type === '' || type.toLowerCase() === 'bearer' ? 'Bearer' : undefined;
}

/** A token type the engine cannot use (mac, DPoP, N_A...), refused rather than sent as Bearer. */
export class OAuth2TokenTypeError extends OAuth2TokenError {
	/** The type as the server sent it, shortened and without control characters. */
	readonly tokenType: string;

	constructor(tokenUrl: string, tokenType: string, failure: FailureContext, status: number) {
		super({
			tokenUrl,
			grant: failure.grant,
			status,
			problem: `the server issued a token of type "${tokenType}", which this client cannot use`,
			hint: 'Only Bearer tokens (RFC 6750) are supported; RFC 6749 §7.1 forbids sending a token of a type the client does not understand. Ask the provider for a Bearer token for this client.',
			retryable: false,
			attempts: failure.attempts,
		}, 'UNSUPPORTED_TOKEN_TYPE');
		this.name = 'OAuth2TokenTypeError';
		this.tokenType = tokenType;
	}
}

/** The type as it may be shown: printable, at most 40 characters, secrets masked. */
function shownType(value: unknown, secrets: FailureContext['secrets']): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
	const printable = maskSecrets(text, secrets).replace(/[^\x20-\x7e]/g, '?').trim();
	return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/** The secrets of a token request under this configuration, as maskSecrets wants them. */
export function requestSecretsOf(config: TokenRequestConfig, more: ReadonlyArray<string | undefined> = []): string[] {
	const clientId = typeof config.clientId === 'string' ? config.clientId.trim() : '';
	const privateKey = typeof config.privateKey === 'string' ? config.privateKey.trim() : '';
	const keys = privateKey ? [privateKey, ...pemBodyLinesOf(privateKey)] : [];
	const secrets = [config.clientSecret, config.password, ...keys, ...tlsSecretsOf(config.tls), ...extraHeaderValuesOf(config.extraHeaders), ...more].filter(
		(value): value is string => typeof value === 'string' && value.length > 0,
	);
	return [...secrets, ...basicForms(clientId, config.clientSecret)];
}

/** What a failure may say of the request beyond grant and client authentication: the custom grant, and names (never values). */
export function requestShapeOf(
	config: TokenRequestConfig,
	grant: TokenGrant,
): Pick<FailureContext, 'customGrant' | 'extraHeaderNames' | 'queryParameterNames'> {
	const headers = normaliseExtraHeaders(config.extraHeaders).map((header) => header.name);
	const query = normaliseExtraParameters(config.extraParameters).filter((parameter) => parameter.sendIn === 'query').map((parameter) => parameter.name);
	return {
		customGrant: sentCustomGrantOf(config, grant),
		extraHeaderNames: headers.length ? headers : undefined,
		queryParameterNames: query.length ? query : undefined,
	};
}

/** expires_in as seconds, when it is a positive number or numeric string. */
function expiresInSeconds(value: unknown): number | undefined {
	let seconds: number | undefined;
	if (typeof value === 'number') seconds = value;
	else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) seconds = Number(value);
	// A number too large for a double (Infinity) still means "long-lived"; the caller caps it.
	return seconds !== undefined && !Number.isNaN(seconds) && seconds > 0 ? seconds : undefined;
}

/** Lifetime in milliseconds: expires_in, else the JWT's exp, else the configured default; capped at a year. */
export function lifetimeMsOf(body: Record<string, unknown>, accessToken: string, config: TokenRequestConfig, now: number): number {
	let seconds = expiresInSeconds(body.expires_in);
	if (seconds === undefined) {
		const exp = readJwtExp(accessToken);
		const remaining = exp !== undefined ? exp - now / 1000 : undefined;
		if (remaining !== undefined && Number.isFinite(remaining) && remaining > 0) seconds = remaining;
	}
	if (seconds === undefined) seconds = defaultLifetimeSecondsOf(config);
	return Math.round(Math.min(seconds, MAX_LIFETIME_SECONDS) * 1000);
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

function scopeOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() || undefined;
	if (Array.isArray(value)) {
		const joined = value.filter((item) => typeof item === 'string').join(' ').trim();
		return joined || undefined;
	}
	return undefined;
}

/**
 * The Token in a token endpoint response. Throws an OAuth2TokenError for an error status, an OAuth
 * error body, a body that is not a JSON object, and a missing or empty access_token, and an
 * OAuth2TokenTypeError for a token_type other than Bearer. tokenType is always "Bearer".
 */
export function parseTokenResponse(
	response: TransportResponse,
	config: TokenRequestConfig,
	now: number,
	context: ParseContext = {},
): Token {
	const grant = context.grant ?? config.grantType;
	const failure: FailureContext = {
		tokenUrl: config.tokenUrl,
		grant,
		timeoutSeconds: timeoutSecondsOf(config),
		secrets: requestSecretsOf(config, [context.refreshToken, ...(context.secrets ?? [])]),
		attempts: context.attempts,
		clientAuthentication: config.clientAuthentication,
		requestFormat: config.requestFormat,
		basicForms: context.basicForms,
		...requestShapeOf(config, grant),
		wording: context.wording,
	};
	const status = response.statusCode;
	const success = status >= 200 && status < 300;
	const text = typeof response.body === 'string' ? response.body : '';
	const parsed = text.trim() ? tryParseJson(text) : ({ ok: false } as const);

	if (!parsed.ok) {
		const problem = looksLikeHtml(response) ? 'html' : text.trim() ? 'notJson' : success ? 'notJson' : 'httpStatus';
		throw errorFromResponse(response, undefined, problem, failure);
	}

	const value = parsed.value;
	const body = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	if (!body) throw errorFromResponse(response, value, success ? 'notObject' : 'httpStatus', failure);
	if (typeof body.error === 'string' && body.error) throw errorFromResponse(response, body, 'oauthError', failure);
	if (!success) throw errorFromResponse(response, body, 'httpStatus', failure);

	const accessToken = body.access_token;
	if (typeof accessToken !== 'string' || accessToken.length === 0) {
		throw errorFromResponse(response, body, 'noAccessToken', failure);
	}

	const tokenType = bearerTypeOf(body.token_type);
	if (!tokenType) {
		const secrets = [...failure.secrets, accessToken, typeof body.refresh_token === 'string' ? body.refresh_token : undefined];
		throw new OAuth2TokenTypeError(maskSecrets(safeUrl(config.tokenUrl), secrets), shownType(body.token_type, secrets), failure, status);
	}
	const refreshToken = typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined;
	const extra: Record<string, unknown> = {};
	for (const [name, member] of Object.entries(body)) {
		if (!NOT_EXTRA.has(name)) extra[name] = member;
	}
	const token: Token = {
		accessToken,
		tokenType,
		expiresAt: now + lifetimeMsOf(body, accessToken, config, now),
		obtainedAt: now,
		extra,
	};
	if (refreshToken) token.refreshToken = refreshToken;
	const scope = scopeOf(body.scope);
	if (scope) token.scope = scope;
	return token;
}
