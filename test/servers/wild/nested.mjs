// Token endpoints that hold the token, its lifetime and the refresh token under other names or nested,
// as many non-OAuth-textbook APIs do (Chinese platform APIs' { code, data: { access_token } }, Tuya-like
// { success, result }, camelCase Java/.NET services, JSON:API's data.attributes), and one that no
// auto-detection can read (the user names its fields).
//
// Routes, under /wild/nested (<shape> below):
// - POST /<shape>/token: client credentials for nested-client / nested-secret (RFC Basic header, or
//   both in the form body); password grant (alice / alice-password) and refresh_token grant too, each
//   with a refresh token in the shapes that carry one (rotated on use). Every token lives the lab's
//   accessTokenTtlSeconds and goes into the lab's registry with exactly the expiry the response states.
//   Shapes:
//   data      { code: 0, message, data: { access_token, token_type: "bearer", expires_in, refresh_token, openid } }
//   result    { success: true, t, result: { token, expires_at: epoch seconds } }
//   camel     { accessToken, tokenType: "Bearer", expiresIn, refreshToken, instance_url }
//   iso       { token, expires: ISO 8601 date }
//   epoch-ms  { data: { type: "token", id, attributes: { token, expiresAt: epoch milliseconds } } }
//   custom    { status: "ok", payload: { credentials: { bearer, validUntil: ISO date, renewal }, session: { id_token, user } } }
//   A wrong client gets 401 { error: "invalid_client" }, a bad user or refresh token 400 invalid_grant.
// - GET /__issued: { idTokens: [...] } (the custom shape's id tokens, for leak checks).

import { randomBytes } from 'node:crypto';

import { clientOf, parseParams, sendJson } from '../http-util.mjs';

export const NESTED_CLIENT = { id: 'nested-client', secret: 'nested-secret' };
export const NESTED_USER = { username: 'alice', password: 'alice-password' };

const random = (prefix) => `${prefix}-${randomBytes(24).toString('base64url')}`;

/** Each shape: the body for a token, its expiry (ms) and refresh token; expiresAt is what the registry keeps. */
const SHAPES = {
	data: ({ accessToken, ttl, refreshToken }) => ({
		body: { code: 0, message: 'success', data: { access_token: accessToken, token_type: 'bearer', expires_in: ttl, ...(refreshToken ? { refresh_token: refreshToken } : {}), openid: 'svc-1' } },
	}),
	result: ({ accessToken, expiresAt }) => {
		const seconds = Math.floor(expiresAt / 1000);
		return { body: { success: true, t: Date.now(), result: { token: accessToken, expires_at: seconds } }, expiresAt: seconds * 1000 };
	},
	camel: ({ accessToken, ttl, refreshToken }) => ({
		body: { accessToken, tokenType: 'Bearer', expiresIn: ttl, ...(refreshToken ? { refreshToken } : {}), instance_url: 'https://eu1.nested.example.test' },
	}),
	iso: ({ accessToken, expiresAt }) => ({ body: { token: accessToken, expires: new Date(expiresAt).toISOString() } }),
	'epoch-ms': ({ accessToken, expiresAt }) => ({ body: { data: { type: 'token', id: 'tok-1', attributes: { token: accessToken, expiresAt } } } }),
	custom: ({ accessToken, expiresAt, refreshToken, idToken }) => ({
		body: {
			status: 'ok',
			payload: {
				credentials: { bearer: accessToken, validUntil: new Date(expiresAt).toISOString(), ...(refreshToken ? { renewal: refreshToken } : {}) },
				session: { id_token: idToken, user: 'svc' },
			},
		},
	}),
};

/** The shapes whose responses carry a refresh token (with the password and refresh grants). */
const WITH_REFRESH = new Set(['data', 'camel', 'custom']);


const TOKEN_PATH = /^\/([a-z-]+)\/token$/;

export function create({ config, registry }) {
	const idTokens = [];
	return {
		isTokenRequest: (req, path) => req.method === 'POST' && TOKEN_PATH.test(path),
		handle(req, res, { path, body }) {
			if (req.method === 'GET' && path === '/__issued') return sendJson(res, 200, { idTokens });
			const shapeName = TOKEN_PATH.exec(path)?.[1];
			const shape = shapeName && Object.prototype.hasOwnProperty.call(SHAPES, shapeName) ? SHAPES[shapeName] : undefined;
			if (req.method !== 'POST' || !shape) return sendJson(res, 404, { error: 'not_found' });
			const params = parseParams(req, body) ?? {};
			const client = clientOf(req, params);
			if (client.id !== NESTED_CLIENT.id || client.secret !== NESTED_CLIENT.secret) return sendJson(res, 401, { error: 'invalid_client' });
			const grant = params.grant_type;
			if (grant === 'password' && (params.username !== NESTED_USER.username || params.password !== NESTED_USER.password)) {
				return sendJson(res, 400, { error: 'invalid_grant', error_description: 'bad user' });
			}
			if (grant === 'refresh_token') {
				const record = registry.getRefreshToken(params.refresh_token);
				if (!record || record.issuer !== `wild-nested-${shapeName}`) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'unknown refresh token' });
				registry.deleteRefreshToken(params.refresh_token);
			} else if (grant !== 'client_credentials' && grant !== 'password') {
				return sendJson(res, 400, { error: 'unsupported_grant_type' });
			}
			const ttl = config.current.accessTokenTtlSeconds;
			const accessToken = random(`nested-${shapeName}`);
			const refreshToken = grant !== 'client_credentials' && WITH_REFRESH.has(shapeName) ? random(`nested-refresh-${shapeName}`) : undefined;
			const idToken = shapeName === 'custom' ? random('nested-id') : undefined;
			if (idToken) idTokens.push(idToken);
			const stated = Date.now() + ttl * 1000;
			const made = shape({ accessToken, ttl, expiresAt: stated, refreshToken, idToken });
			const expiresAt = made.expiresAt ?? stated;
			registry.registerAccessToken(accessToken, { issuer: `wild-nested-${shapeName}`, clientId: client.id, grant, scope: null, expiresAt });
			if (refreshToken) registry.saveRefreshToken(refreshToken, { issuer: `wild-nested-${shapeName}`, clientId: client.id });
			return sendJson(res, 200, made.body, { 'cache-control': 'no-store' });
		},
	};
}
