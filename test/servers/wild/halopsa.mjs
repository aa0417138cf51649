// An API that answers an expired or unknown token with HTTP 400 and a body that names the token, as
// HaloPSA is reported to do (the shape of the body is this lab's, not copied from HaloPSA), and its
// token endpoint (HaloPSA's: POST /auth/token, client_credentials with client_id, client_secret and
// scope=all in the form body, ?tenant= for hosted instances).
//
// Routes, under /wild/halopsa:
// - POST /auth/token: 401 { error: "invalid_client" } unless halo-client / halo-secret; else 200
//   { access_token, token_type: "Bearer", expires_in, scope }. Tokens go into the lab's registry.
// - GET /api/tickets?item=N: 200 { tickets: [{ id: N }], record_count: 1 } for a valid Bearer token;
//   400 { error: "invalid_token", error_description: "The access token has expired" } (or "is not
//   valid" for an unknown or revoked one); 401 without a token.
// - GET /__stats: { tokenRequests, apiRequests, refused }; POST /__reset zeroes them.

import { randomBytes } from 'node:crypto';

import { parseParams, sendJson } from '../http-util.mjs';

export const HALO_CLIENT = { id: 'halo-client', secret: 'halo-secret' };

export function create({ config, registry }) {
	let c;
	const zero = () => (c = { tokenRequests: 0, apiRequests: 0, refused: 0 });
	zero();
	return {
		isTokenRequest: (req, path) => req.method === 'POST' && path === '/auth/token',
		handle(req, res, { path, body, url }) {
			if (req.method === 'POST' && path === '/auth/token') {
				c.tokenRequests++;
				const params = parseParams(req, body) ?? {};
				if (params.client_id !== HALO_CLIENT.id || params.client_secret !== HALO_CLIENT.secret || params.grant_type !== 'client_credentials') {
					return sendJson(res, 401, { error: 'invalid_client' }, { 'cache-control': 'no-store' });
				}
				const ttl = config.current.accessTokenTtlSeconds;
				const accessToken = `halo-${randomBytes(24).toString('base64url')}`;
				registry.registerAccessToken(accessToken, { issuer: 'wild-halopsa', clientId: params.client_id, grant: 'client_credentials', scope: params.scope, expiresAt: Date.now() + ttl * 1000 });
				return sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope: params.scope ?? 'all' }, { 'cache-control': 'no-store' });
			}
			if (req.method === 'GET' && path === '/api/tickets') {
				c.apiRequests++;
				const token = /^\s*bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''))?.[1];
				if (token === undefined) return sendJson(res, 401, { error: 'unauthorized' });
				const { state } = registry.inspect(token);
				if (state !== 'valid') {
					c.refused++;
					const said = state === 'expired' ? 'has expired' : 'is not valid';
					return sendJson(res, 400, { error: 'invalid_token', error_description: `The access token ${said}` });
				}
				return sendJson(res, 200, { tickets: [{ id: Number(url.searchParams.get('item')) }], record_count: 1 });
			}
			if (req.method === 'GET' && path === '/__stats') return sendJson(res, 200, c);
			if (req.method === 'POST' && path === '/__reset') {
				zero();
				return sendJson(res, 200, { ok: true });
			}
			return sendJson(res, 404, { error: 'not_found' });
		},
	};
}
