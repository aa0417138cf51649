// A token endpoint that takes JSON bodies only, like several real-world APIs do (outside RFC 6749,
// which asks for forms). Lets tests prove the package can send a JSON token request.

import { randomBytes } from 'node:crypto';

import { mediaType, parseBasic, sendOAuthError, sendTokenResponse } from './http-util.mjs';

export const JSON_CLIENTS = [
	{ id: 'json-client', secret: 'json-secret' },
	// This server is our own, so unlike the two libraries it can take a non-ASCII secret (RFC-decoded Basic).
	{ id: 'json-special', secret: 'p%s+w:rd/é' },
];
const USERS = [{ username: 'alice', password: 'alice-password' }];
const SCOPES = ['read', 'write'];

function fail(res, status, error, description, headers) {
	sendOAuthError(res, status, error, description, headers);
}

export function createJsonToken({ config, registry }) {
	return {
		handle(req, res, body) {
			if (req.method !== 'POST') return fail(res, 405, 'invalid_request', 'method must be POST', { allow: 'POST' });
			if (mediaType(req) !== 'application/json') {
				return fail(res, 415, 'invalid_request', 'Content-Type must be application/json');
			}
			let params;
			try {
				params = JSON.parse(body.toString('utf8'));
			} catch {
				return fail(res, 400, 'invalid_request', 'body is not valid JSON');
			}
			if (!params || typeof params !== 'object' || Array.isArray(params)) {
				return fail(res, 400, 'invalid_request', 'body must be a JSON object');
			}

			const basic = parseBasic(req.headers.authorization, 'rfc');
			if (basic?.malformed) return fail(res, 400, 'invalid_request', 'malformed Basic authorization header');
			if (basic && params.client_secret !== undefined) {
				return fail(res, 400, 'invalid_request', 'client authentication must use only one method');
			}
			const clientId = basic?.clientId ?? params.client_id;
			const clientSecret = basic?.clientSecret ?? params.client_secret;
			const client = JSON_CLIENTS.find((c) => c.id === clientId);
			if (!client || client.secret !== clientSecret) {
				// RFC 6749 §5.2: 401 with a challenge when the client tried Basic.
				return fail(res, 401, 'invalid_client', 'client authentication failed', basic ? { 'www-authenticate': 'Basic realm="json"' } : {});
			}

			const grant = params.grant_type;
			if (grant === undefined) return fail(res, 400, 'invalid_request', 'missing grant_type');
			if (grant !== 'client_credentials' && grant !== 'password') {
				return fail(res, 400, 'unsupported_grant_type', `grant_type ${grant} is not supported`);
			}
			if (grant === 'password') {
				const user = USERS.find((u) => u.username === params.username && u.password === params.password);
				if (!user) return fail(res, 400, 'invalid_grant', 'user credentials are invalid');
			}

			const requested = typeof params.scope === 'string' && params.scope.trim() ? params.scope.trim().split(/\s+/) : SCOPES;
			if (!requested.every((s) => SCOPES.includes(s))) return fail(res, 400, 'invalid_scope', 'requested scope is not allowed');

			const ttl = config.current.accessTokenTtlSeconds;
			const accessToken = `json-${randomBytes(24).toString('base64url')}`;
			const scope = requested.join(' ');
			registry.registerAccessToken(accessToken, {
				issuer: 'json',
				clientId: client.id,
				grant,
				scope,
				expiresAt: Date.now() + ttl * 1000,
			});
			return sendTokenResponse(res, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope });
		},
	};
}
