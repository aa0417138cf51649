// How the protected API judges the token on a request. The header name and prefix are configurable so
// tests can cover APIs that want e.g. `X-Api-Token: Token abc` instead of `Authorization: Bearer abc`.

import { sendJson } from './http-util.mjs';

const DESCRIPTIONS = {
	missing: 'no access token in the request',
	unknown: 'the access token is not known to this server',
	revoked: 'the access token has been revoked',
	expired: 'the access token has expired',
};

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The token the request carries under the configured header and prefix, or undefined. */
export function extractToken(req, { apiAuthHeader, apiAuthPrefix }) {
	const raw = req.headers[apiAuthHeader];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (typeof value !== 'string') return undefined;
	if (!apiAuthPrefix) return value.trim() || undefined;
	// Auth schemes are case-insensitive (RFC 9110 §11.1), so "bearer x" counts as well as "Bearer x".
	const match = new RegExp(`^\\s*${escapeRegExp(apiAuthPrefix)}\\s+(\\S+)\\s*$`, 'i').exec(value);
	return match?.[1];
}

/** `{ state, info? }` with state 'valid' | 'expired' | 'revoked' | 'unknown' | 'missing'. */
export function judgeRequest(req, config, registry) {
	const token = extractToken(req, config);
	if (token === undefined) return { state: 'missing' };
	return registry.inspect(token);
}

/** RFC 6750 §3.1 challenge, plus a JSON body for clients that only look at the body. */
export function sendInvalidToken(res, state) {
	const description = DESCRIPTIONS[state] ?? 'invalid access token';
	sendJson(
		res,
		401,
		{ error: 'invalid_token', error_description: description },
		{ 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
	);
}
