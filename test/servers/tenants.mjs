// Tenants: a token endpoint whose tokens each belong to one tenant, and an API that checks every
// request's token against the tenant the request is for. A multi-tenant credential (audience,
// client id or token URL as an expression of the item) must send each item with its own tenant's
// token: the API counts every request that carried another tenant's token.
//
//   POST /tenants/token            tenant = audience, else resource, else client id
//   POST /tenants/<tenant>/token   tenant = <tenant> (a token URL per tenant)
//   ANY  /tenants/api/<tenant>/... 200 with the tenant's token; 403 wrong_tenant with another's;
//                                  401 invalid_token for a missing, unknown, revoked or expired one
//   GET  /tenants/stats            counters (below); POST /tenants/reset zeroes them
//   POST /tenants/revoke           {"tenant": "a"}: every token of that tenant is refused from now on

import { randomBytes } from 'node:crypto';

import { extractToken, sendInvalidToken } from './api-auth.mjs';
import { parseBasic, parseParams, readBody, sendJson, sendOAuthError, sendTokenResponse } from './http-util.mjs';

const MAX_TOKENS = 100_000;
const TENANT = /^[A-Za-z0-9._-]{1,64}$/;

function bump(map, key) {
	map[key] = (map[key] ?? 0) + 1;
}

/** The tenant a token request asks for: the token URL's, else its audience, resource or client id. */
function tenantOf(pathTenant, params, basic) {
	const candidates = [pathTenant, params.audience, params.resource, basic?.clientId, params.client_id];
	return candidates.find((value) => typeof value === 'string' && value !== '');
}

export function createTenants({ config, registry }) {
	const tenantOfToken = new Map();
	let c;
	function zero() {
		c = { tokenRequests: 0, tokensByTenant: {}, apiRequests: 0, apiByTenant: {}, wrongTenant: 0, wrongByTenant: {}, refused: 0, log: [] };
	}
	zero();

	function issue(req, res, body, pathTenant) {
		const params = parseParams(req, body);
		if (!params) return sendOAuthError(res, 400, 'invalid_request', 'body must be a form or JSON object');
		if (params.grant_type !== 'client_credentials' && params.grant_type !== 'password') {
			return sendOAuthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials or password');
		}
		const basic = parseBasic(req.headers.authorization, 'rfc');
		const tenant = tenantOf(pathTenant, params, basic);
		if (!tenant || !TENANT.test(tenant)) return sendOAuthError(res, 400, 'invalid_target', 'no tenant: give an audience, a resource or a client id');
		c.tokenRequests++;
		bump(c.tokensByTenant, tenant);
		const ttl = config.current.accessTokenTtlSeconds;
		const accessToken = `tenant-${randomBytes(24).toString('base64url')}`;
		registry.registerAccessToken(accessToken, {
			issuer: 'tenants',
			clientId: basic?.clientId ?? params.client_id,
			grant: params.grant_type,
			scope: params.scope,
			expiresAt: Date.now() + ttl * 1000,
		});
		tenantOfToken.set(accessToken, tenant);
		while (tenantOfToken.size > MAX_TOKENS) tenantOfToken.delete(tenantOfToken.keys().next().value);
		return sendTokenResponse(res, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl });
	}

	function api(req, res, url, tenant) {
		req.resume();
		c.apiRequests++;
		bump(c.apiByTenant, tenant);
		const token = extractToken(req, config.current);
		const judged = token === undefined ? { state: 'missing' } : registry.inspect(token);
		const tokenTenant = token === undefined ? undefined : tenantOfToken.get(token);
		const entry = { tenant, tokenTenant: tokenTenant ?? null, state: judged.state, item: url.searchParams.get('item'), at: Date.now() };
		if (c.log.length < 5000) c.log.push(entry);
		if (judged.state !== 'valid' || tokenTenant === undefined) {
			c.refused++;
			return sendInvalidToken(res, judged.state === 'valid' ? 'unknown' : judged.state);
		}
		if (tokenTenant !== tenant) {
			c.wrongTenant++;
			bump(c.wrongByTenant, tenant);
			return sendJson(res, 403, { error: 'wrong_tenant', tenant, tokenTenant });
		}
		return sendJson(res, 200, { tenant, tokenTenant, item: entry.item, path: url.pathname });
	}

	function revoke(tenant) {
		const tokens = [...tenantOfToken].filter(([, owner]) => owner === tenant).map(([token]) => token);
		return registry.revokeAccessTokens(tokens);
	}

	return {
		/** Whether this module serves `path`. */
		serves: (path) => path === '/tenants' || path.startsWith('/tenants/'),

		/** `recordToken(req, res, body)` counts a token request in the lab's common stats. */
		async handle(req, res, recordToken) {
			const url = new URL(req.url, 'http://lab');
			const parts = url.pathname.split('/').filter(Boolean).map((part) => decodeURIComponent(part));
			if (parts[1] === 'api' && parts[2] && TENANT.test(parts[2])) return api(req, res, url, parts[2]);
			const body = await readBody(req, 1024 * 1024);
			if (req.method === 'GET' && parts[1] === 'stats' && parts.length === 2) return sendJson(res, 200, { ...c, log: [...c.log] });
			if (req.method === 'POST' && parts[1] === 'reset' && parts.length === 2) {
				zero();
				return sendJson(res, 200, { ok: true });
			}
			if (req.method === 'POST' && parts[1] === 'revoke' && parts.length === 2) {
				const tenant = JSON.parse(body.toString('utf8') || '{}').tenant;
				if (typeof tenant !== 'string' || !TENANT.test(tenant)) return sendJson(res, 400, { error: 'body must be {"tenant": "..."}' });
				return sendJson(res, 200, { revoked: revoke(tenant) });
			}
			const tokenPath = parts[parts.length - 1] === 'token' && (parts.length === 2 || (parts.length === 3 && TENANT.test(parts[1])));
			if (tokenPath) {
				// A GET or HEAD is the node's renewal probe, not a token request.
				if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
				recordToken(req, res, body);
				return issue(req, res, body, parts.length === 3 ? parts[1] : undefined);
			}
			return sendJson(res, 404, { error: 'Not Found', status: 404 });
		},
	};
}
