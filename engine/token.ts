// Turns the token endpoint's answer into a Token (RFC 6749 §5.1), or into an OAuth2TokenError (§5.2).

import { normaliseExtraParameters, timeoutSecondsOf } from './config';
import { sentCustomGrantOf } from './customGrant';
import { errorFromResponse, looksLikeHtml, OAuth2TokenError, type FailureContext } from './error';
import { extraHeaderValuesOf, normaliseExtraHeaders } from './extraHeaders';
import { lifetimeMsOf } from './lifetime';
import { basicForms, maskSecrets, safeUrl } from './redact';
import { decodeBody } from './responseBody';
import { extraOf, locateFields, lookedForWords, pathText } from './responseFields';
import { pemBodyLinesOf, tlsSecretsOf } from './tls';
import type { BasicForm, Token, TokenGrant, TokenRequestConfig, TransportResponse } from './types';
import type { Wording } from './wording';

export { lifetimeMsOf, MAX_LIFETIME_SECONDS } from './lifetime';

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

function scopeOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() || undefined;
	if (Array.isArray(value)) {
		const joined = value.filter((item) => typeof item === 'string').join(' ').trim();
		return joined || undefined;
	}
	return undefined;
}

/**
 * The Token in a token endpoint response: JSON whatever its Content-Type, or form-encoded pairs
 * (responseBody.ts); the token and its fields where responseFields.ts finds them. Throws an
 * OAuth2TokenError for an error status, an OAuth error body (JSON or form), a body that is neither a
 * JSON object nor form pairs, and no access token, and an OAuth2TokenTypeError for a token_type other
 * than Bearer. tokenType is always "Bearer".
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
	const decoded = decodeBody(text);
	// A form-encoded error status is read only for its OAuth error; any other is quoted as text.
	const readable = decoded.format === 'json' || (decoded.format === 'form' && (success || !!decoded.value.error));

	if (!readable) {
		const problem = looksLikeHtml(response) ? 'html' : text.trim() ? 'notJson' : success ? 'notJson' : 'httpStatus';
		throw errorFromResponse(response, undefined, problem, failure);
	}

	const value = decoded.value;
	const body = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	if (!body) throw errorFromResponse(response, value, success ? 'notObject' : 'httpStatus', failure);
	if (typeof body.error === 'string' && body.error) throw errorFromResponse(response, body, 'oauthError', failure);
	if (!success) throw errorFromResponse(response, body, 'httpStatus', failure);

	const found = locateFields(body, config.responseFields);
	const accessToken = found.accessToken;
	// Whatever was found is a fresh credential: masked in every message from here on.
	const issued = [accessToken, found.refreshToken].filter((item): item is string => typeof item === 'string');
	const secrets = [...failure.secrets, ...issued];
	if (accessToken === undefined) {
		throw errorFromResponse(response, body, 'noAccessToken', { ...failure, secrets }, {
			lookedFor: lookedForWords(),
			named: found.namedAccess ? pathText(found.namedAccess) : undefined,
			unusable: found.unusable ? { path: pathText(found.unusable.path), value: found.unusable.value } : undefined,
			format: decoded.format === 'form' ? 'form' : 'json',
		});
	}

	const tokenType = bearerTypeOf(found.tokenType);
	if (!tokenType) {
		throw new OAuth2TokenTypeError(maskSecrets(safeUrl(config.tokenUrl), secrets), shownType(found.tokenType, secrets), { ...failure, secrets }, status);
	}
	const token: Token = {
		accessToken,
		tokenType,
		expiresAt: now + lifetimeMsOf(found.lifetime, accessToken, config, now),
		obtainedAt: now,
		extra: extraOf(body, found),
	};
	if (found.refreshToken) token.refreshToken = found.refreshToken;
	const scope = scopeOf(found.scope);
	if (scope) token.scope = scope;
	return token;
}
