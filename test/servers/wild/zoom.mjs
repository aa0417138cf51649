// A token endpoint like Zoom's server-to-server OAuth (https://zoom.us/oauth/token): an extension
// grant, grant_type=account_credentials, with the account as account_id; the client (app) id and
// secret in an HTTP Basic header. Zoom documents both parameters in the query string and takes them
// in the form body too; so does this module. Its error bodies are Zoom's shape: "reason" instead of
// error_description.
//
// Routes, under /wild/zoom:
// - POST /oauth/token: 401 { reason: "Invalid client_id or client_secret", error: "invalid_client" }
//   without the Basic header of zoom-client / zoom-client-secret (raw and RFC forms are equal here);
//   400 { reason: "unsupported grant type", error: "unsupported_grant_type" } for any grant but
//   account_credentials (client_credentials included); 400 { reason: "Invalid account_id", error:
//   "invalid_request" } for a missing or unknown account_id (known: zoom-account-1); else 200
//   { access_token, token_type: "bearer", expires_in: 3599, scope, api_url } (the token goes into the
//   lab's registry, so /api/... accepts it).
// - GET /__log: [{ grant, grantIn, accountId, accountIn, headers, status }]: where each parameter came
//   from ("query", "body", "both" or null) and the names (never values) of the request headers.
//   POST /__reset clears it.

import { randomBytes } from 'node:crypto';

import { createBoundedLog } from '../bounded-log.mjs';
import { parseBasic, parseParams, sendJson } from '../http-util.mjs';

export const ZOOM_CLIENT = { id: 'zoom-client', secret: 'zoom-client-secret' };
export const ZOOM_ACCOUNTS = new Set(['zoom-account-1']);
const SCOPE = 'meeting:read:admin user:read:admin';

/** A parameter from the query string or the body, and where it was found. */
function parameterOf(url, params, name) {
	const inQuery = url.searchParams.has(name);
	const inBody = typeof params[name] === 'string';
	const where = inQuery && inBody ? 'both' : inQuery ? 'query' : inBody ? 'body' : null;
	return { value: inBody ? params[name] : inQuery ? url.searchParams.get(name) : undefined, where };
}

export function create({ registry }) {
	const log = createBoundedLog(2000);
	return {
		isTokenRequest: (req, path) => req.method === 'POST' && path === '/oauth/token',
		handle(req, res, { path, body, url }) {
			if (req.method === 'GET' && path === '/__log') return sendJson(res, 200, log.toArray());
			if (req.method === 'POST' && path === '/__reset') {
				log.clear();
				return sendJson(res, 200, { ok: true });
			}
			if (req.method !== 'POST' || path !== '/oauth/token') return sendJson(res, 404, { reason: 'Not Found', error: 'not_found' });
			const params = parseParams(req, body) ?? {};
			const grant = parameterOf(url, params, 'grant_type');
			const account = parameterOf(url, params, 'account_id');
			const entry = log.push({ grant: grant.value ?? null, grantIn: grant.where, accountId: account.value ?? null, accountIn: account.where, headers: Object.keys(req.headers).sort(), status: null });
			const reply = (status, value) => {
				entry.status = status;
				sendJson(res, status, value, { 'cache-control': 'no-store' });
			};
			const basic = parseBasic(req.headers.authorization, 'raw');
			if (!basic || basic.malformed || basic.clientId !== ZOOM_CLIENT.id || basic.clientSecret !== ZOOM_CLIENT.secret) {
				return reply(401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
			}
			if (grant.value !== 'account_credentials') return reply(400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
			if (!ZOOM_ACCOUNTS.has(account.value)) return reply(400, { reason: 'Invalid account_id', error: 'invalid_request' });
			const accessToken = `zoom-${randomBytes(24).toString('base64url')}`;
			registry.registerAccessToken(accessToken, { issuer: 'wild-zoom', clientId: basic.clientId, grant: 'account_credentials', scope: SCOPE, expiresAt: Date.now() + 3599 * 1000 });
			return reply(200, { access_token: accessToken, token_type: 'bearer', expires_in: 3599, scope: SCOPE, api_url: 'https://api.zoom.us' });
		},
	};
}
