// @node-oauth/oauth2-server 5 as a password / refresh_token / client_credentials server at /oauth2/token.
// Its model is in memory and keeps every token in the lab's shared registry.

import OAuth2Server from '@node-oauth/oauth2-server';

import { parseForm, sendOAuthError } from './http-util.mjs';

const { Request, Response } = OAuth2Server;

export const OAUTH2_SCOPES = ['read', 'write'];

export const OAUTH2_CLIENTS = [
	{ id: 'pw-client', secret: 'pw-client-secret', grants: ['password', 'refresh_token', 'client_credentials'] },
	{ id: 'public-client', secret: null, grants: ['password', 'refresh_token'] },
	// Not a legal RFC 6749 secret (non-ASCII): the library refuses it before it reaches the model.
	{ id: 'raw-special', secret: 'p%s+w:rd/é', grants: ['password', 'refresh_token', 'client_credentials'] },
	// The same reserved characters, ASCII only: shows which Basic form (raw or RFC-encoded) the library takes.
	{ id: 'raw-special-ascii', secret: 'p%s+w:rd/x', grants: ['password', 'refresh_token', 'client_credentials'] },
];

export const OAUTH2_USERS = [{ username: 'alice', password: 'alice-password' }];

function createModel({ config, registry }) {
	return {
		async getClient(clientId, clientSecret) {
			const client = OAUTH2_CLIENTS.find((c) => c.id === clientId);
			if (!client) return null;
			// A public client has no secret to check; a confidential one must present exactly its own.
			if (client.secret !== null && clientSecret !== client.secret) return null;
			if (client.secret === null && clientSecret) return null;
			// Read per request so POST /__lab/config changes the lifetime of the next token.
			return { id: client.id, grants: client.grants, accessTokenLifetime: config.current.accessTokenTtlSeconds };
		},

		async getUser(username, password) {
			const user = OAUTH2_USERS.find((u) => u.username === username && u.password === password);
			return user ? { username: user.username } : null;
		},

		async getUserFromClient(client) {
			return { username: `client:${client.id}` };
		},

		async validateScope(_user, _client, scope) {
			if (!scope || scope.length === 0) return [...OAUTH2_SCOPES];
			return scope.every((s) => OAUTH2_SCOPES.includes(s)) ? scope : false;
		},

		async saveToken(token, client, user) {
			if (token.refreshToken) {
				registry.saveRefreshToken(token.refreshToken, {
					refreshToken: token.refreshToken,
					refreshTokenExpiresAt: token.refreshTokenExpiresAt,
					scope: token.scope,
					client: { id: client.id },
					user,
				});
			}
			return { ...token, client: { id: client.id }, user };
		},

		async getRefreshToken(refreshToken) {
			return registry.getRefreshToken(refreshToken) ?? null;
		},

		// Deleting the used refresh token is what makes rotation stick: the old one is invalid_grant afterwards.
		async revokeToken(token) {
			return registry.deleteRefreshToken(token.refreshToken);
		},
	};
}

export function createOAuth2Server({ config, registry }) {
	const server = new OAuth2Server({
		model: createModel({ config, registry }),
		accessTokenLifetime: 3600,
		refreshTokenLifetime: 14 * 24 * 3600,
		// The library can only switch client authentication off per grant, not per client; the model
		// still insists on the secret of a confidential client.
		requireClientAuthentication: { password: false, refresh_token: false },
		alwaysIssueNewRefreshToken: true,
	});

	return {
		/** `body` is the raw request body the lab already read. */
		async handle(req, res, body) {
			const url = new URL(req.url, 'http://lab');
			const isForm = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
			const request = new Request({
				method: req.method,
				headers: req.headers,
				query: Object.fromEntries(url.searchParams),
				body: isForm ? parseForm(body) : {},
			});
			const response = new Response();
			try {
				const token = await server.token(request, response);
				// Registered here rather than in the model: only the request knows which grant was used.
				registry.registerAccessToken(token.accessToken, {
					issuer: 'oauth2',
					clientId: token.client.id,
					grant: request.body.grant_type,
					scope: token.scope?.join(' '),
					expiresAt: token.accessTokenExpiresAt.getTime(),
				});
			} catch (err) {
				// Most errors are already in `response`; the method and content-type checks throw before
				// the library fills it in, so those are written out here.
				if (!Object.keys(response.body ?? {}).length && err instanceof OAuth2Server.OAuthError) {
					response.status = err.code;
					response.body = { error: err.name, error_description: err.message };
				}
			}
			if (res.headersSent || res.destroyed) return;
			if (Object.keys(response.body ?? {}).length) {
				const text = JSON.stringify(response.body);
				res.writeHead(response.status, {
					...response.headers,
					'content-type': 'application/json; charset=utf-8',
					'content-length': Buffer.byteLength(text),
				});
				res.end(text);
			} else {
				sendOAuthError(res, 500, 'server_error', 'the oauth2 server gave no response');
			}
		},
	};
}
