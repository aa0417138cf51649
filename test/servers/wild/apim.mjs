// A token endpoint behind Azure API Management: the gateway wants its subscription key in the
// Ocp-Apim-Subscription-Key header before anything reaches the authorization server, and answers
// without it in its own shape ({ statusCode, message }, no OAuth error code). Behind it, a plain
// client_credentials endpoint. Kong, Apigee and AWS API Gateway put keys in front of token endpoints
// the same way (X-Api-Key, apikey).
//
// Routes, under /wild/apim:
// - POST /token: 401 { statusCode: 401, message: "Access denied due to missing subscription key. ..." }
//   without the header; 401 { statusCode: 401, message: "Access denied due to invalid subscription
//   key. ..." } with another key than APIM_SUBSCRIPTION_KEY; with it, client_credentials for
//   apim-client / apim-client-secret (Basic, RFC or raw form, or client_id and client_secret in the
//   form body): 400 unsupported_grant_type for another grant, 401 invalid_client for another client,
//   else 200 { access_token, token_type: "Bearer", expires_in } (the token goes into the lab's
//   registry, so /api/... accepts it).
// - GET /__log: [{ key: "missing" | "invalid" | "valid", headers, grant, status }] (header names, never
//   values); POST /__reset clears it.

import { randomBytes } from 'node:crypto';

import { createBoundedLog } from '../bounded-log.mjs';
import { clientOf, parseParams, sendJson, sendOAuthError } from '../http-util.mjs';

export const APIM_SUBSCRIPTION_KEY = 'apim-Subscr1ption-K3y-5f0c2a9e8d7b';
export const APIM_CLIENT = { id: 'apim-client', secret: 'apim-client-secret' };

const MISSING = 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.';
const INVALID = 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.';


export function create({ config, registry }) {
	const log = createBoundedLog(2000);
	return {
		handle(req, res, { path, body }) {
			if (req.method === 'GET' && path === '/__log') return sendJson(res, 200, log.toArray());
			if (req.method === 'POST' && path === '/__reset') {
				log.clear();
				return sendJson(res, 200, { ok: true });
			}
			if (req.method !== 'POST' || path !== '/token') return sendJson(res, 404, { statusCode: 404, message: 'Resource not found' });
			const key = req.headers['ocp-apim-subscription-key'];
			const keyState = key === undefined ? 'missing' : key === APIM_SUBSCRIPTION_KEY ? 'valid' : 'invalid';
			const params = parseParams(req, body) ?? {};
			const entry = log.push({ key: keyState, headers: Object.keys(req.headers).sort(), grant: params.grant_type ?? null, status: null });
			res.on('finish', () => {
				entry.status = res.statusCode;
			});
			if (keyState === 'missing') return sendJson(res, 401, { statusCode: 401, message: MISSING });
			if (keyState === 'invalid') return sendJson(res, 401, { statusCode: 401, message: INVALID });
			if (params.grant_type !== 'client_credentials') return sendOAuthError(res, 400, 'unsupported_grant_type', 'only client_credentials');
			const client = clientOf(req, params);
			if (client.id !== APIM_CLIENT.id || client.secret !== APIM_CLIENT.secret) return sendOAuthError(res, 401, 'invalid_client', 'unknown client or wrong secret');
			const ttl = config.current.accessTokenTtlSeconds;
			const accessToken = `apim-${randomBytes(24).toString('base64url')}`;
			registry.registerAccessToken(accessToken, { issuer: 'wild-apim', clientId: client.id, grant: 'client_credentials', scope: params.scope, expiresAt: Date.now() + ttl * 1000 });
			return sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl }, { 'cache-control': 'no-store' });
		},
	};
}
