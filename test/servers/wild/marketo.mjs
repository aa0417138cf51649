// An API like Marketo's REST API, which says in the body of an HTTP 200 that the access token is not
// good (errors[].code "601" invalid, "602" expired) instead of answering 401, and its identity
// endpoint, which hands out the same token again while it is valid (with the seconds it has left).
//
// Routes, under /wild/marketo:
// - POST /identity/oauth/token: client_credentials with client_id and client_secret in the form body
//   (or in the query string); GET with all three in the query string, as older Marketo clients do.
//   401 { error: "unauthorized", error_description: "Bad client credentials" } unless marketo-client /
//   marketo-secret; 400 { error: "invalid_request", error_description: "Missing grant type" } for
//   another grant; else 200 { access_token, token_type: "bearer", expires_in, scope }.
//   While the client's last token is valid (not revoked by /__lab/revoke-all, not expired) that token
//   is answered again, with the seconds left as expires_in. Tokens go into the lab's registry.
// - GET /rest/v1/leads.json: always HTTP 200. The token comes from `Authorization: Bearer`. Missing:
//   errors [{ code: "600", message: "Access token not specified" }]; unknown or revoked: "601" "Access
//   token invalid"; expired: "602" "Access token expired" (each { requestId, success: false, errors }).
//   A valid token: { requestId, success: true, result: [leads] }. With filterType=id&filterValues=N
//   the lead N; without, the 23 leads in pages of batchSize (default 300): moreResult, and on every page
//   but the last a nextPageToken to send as ?nextPageToken=. revokeAtPage=P&key=K (a lab hook, as on
//   /api/items) revokes every access token of the lab just before page P is answered, once per key;
//   revokeAfter=N&key=K just before the N-th request with that key is answered (items in flight).
// - GET /other-instance/rest/v1/leads.json: another Marketo instance, which knows none of these
//   tokens: "601" to every token (a credential whose identity URL is not that of the REST API's instance).
// - POST /__expire-all: every token issued so far counts as expired from now on ("602"), and the
//   identity endpoint issues a new one.
// - GET /__stats: { tokenRequests, tokensIssued, tokensReused, apiRequests, byTokenState: { valid,
//   missing, unknown, revoked, expired }, answers: { ok, 600, 601, 602 }, log: [{ instance, query,
//   lead, page, nextPageToken, state, answer }] }. POST /__reset zeroes them (tokens stay).

import { randomBytes } from 'node:crypto';

import { createBoundedLog } from '../bounded-log.mjs';
import { parseParams, sendJson } from '../http-util.mjs';

export const MARKETO_CLIENT = { id: 'marketo-client', secret: 'marketo-secret' };
export const MARKETO_LEADS = 23;
export const MARKETO_ERRORS = {
	600: 'Access token not specified',
	601: 'Access token invalid',
	602: 'Access token expired',
};

const TOKEN_PATH = '/identity/oauth/token';
const SCOPE = 'apis@lab.marketo.example';
const MARKETO_JSON = { 'content-type': 'application/json;charset=UTF-8' };

const lead = (id) => ({ id, email: `lead${id}@example.com`, firstName: `Lead ${id}`, updatedAt: '2026-12-01T00:00:00Z' });
const requestId = () => `${randomBytes(2).toString('hex')}#${randomBytes(6).toString('hex')}`;

function bearerOf(req) {
	const match = /^\s*bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
	return match?.[1];
}

/** A nextPageToken is opaque to clients; here it is the offset of the next lead. */
const pageToken = (offset) => Buffer.from(`offset:${offset}`).toString('base64url');
function offsetOf(token) {
	const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
	return match ? Number(match[1]) : undefined;
}

export function create({ config, registry }) {
	let c;
	const log = createBoundedLog(5000);
	// The issue number of each token; tokens numbered below expiredBelow count as expired.
	const issueNumber = new Map();
	let issued = 0;
	let expiredBelow = 0;
	const revokeKeysUsed = new Set();
	const requestsByKey = new Map();
	let current;
	function zero() {
		c = {
			tokenRequests: 0,
			tokensIssued: 0,
			tokensReused: 0,
			apiRequests: 0,
			byTokenState: { valid: 0, missing: 0, unknown: 0, revoked: 0, expired: 0 },
			answers: { ok: 0, 600: 0, 601: 0, 602: 0 },
		};
		log.clear();
	}
	zero();

	function stateOf(token) {
		if (token === undefined) return 'missing';
		const { state } = registry.inspect(token);
		return state === 'valid' && (issueNumber.get(token) ?? Infinity) < expiredBelow ? 'expired' : state;
	}

	function issue(req, res, body, url) {
		c.tokenRequests++;
		const params = { ...Object.fromEntries(url.searchParams), ...(req.method === 'POST' ? (parseParams(req, body) ?? {}) : {}) };
		if (params.client_id !== MARKETO_CLIENT.id || params.client_secret !== MARKETO_CLIENT.secret) {
			return sendJson(res, 401, { error: 'unauthorized', error_description: 'Bad client credentials' }, { 'cache-control': 'no-store' });
		}
		if (params.grant_type !== 'client_credentials') {
			return sendJson(res, 400, { error: 'invalid_request', error_description: 'Missing grant type' }, { 'cache-control': 'no-store' });
		}
		if (current && stateOf(current.token) === 'valid') {
			c.tokensReused++;
		} else {
			const ttl = config.current.accessTokenTtlSeconds;
			current = { token: `${randomBytes(16).toString('hex')}:ab`, expiresAt: Date.now() + ttl * 1000 };
			issueNumber.set(current.token, issued++);
			while (issueNumber.size > 100_000) issueNumber.delete(issueNumber.keys().next().value);
			registry.registerAccessToken(current.token, { issuer: 'wild-marketo', clientId: params.client_id, grant: 'client_credentials', scope: SCOPE, expiresAt: current.expiresAt });
			c.tokensIssued++;
		}
		const left = Math.max(0, Math.floor((current.expiresAt - Date.now()) / 1000));
		return sendJson(res, 200, { access_token: current.token, token_type: 'bearer', expires_in: left, scope: SCOPE }, { 'cache-control': 'no-store' });
	}

	function leads(req, res, url, instance) {
		c.apiRequests++;
		const token = bearerOf(req);
		const nextPageToken = url.searchParams.get('nextPageToken') || null;
		const batchSize = Math.min(300, Math.max(1, Number(url.searchParams.get('batchSize')) || 300));
		const offset = nextPageToken === null ? 0 : offsetOf(nextPageToken);
		const page = offset === undefined ? null : Math.floor(offset / batchSize) + 1;
		const revokeAt = Number(url.searchParams.get('revokeAtPage'));
		const key = url.searchParams.get('key');
		if (page !== null && revokeAt === page && key && !revokeKeysUsed.has(key)) {
			revokeKeysUsed.add(key);
			registry.revokeAllAccessTokens();
		}
		// Tokens revoked while a batch of items is in flight: just before the N-th request of a key.
		const revokeAfter = Number(url.searchParams.get('revokeAfter'));
		if (revokeAfter > 0 && key && !revokeKeysUsed.has(key)) {
			const seen = (requestsByKey.get(key) ?? 0) + 1;
			requestsByKey.set(key, seen);
			if (seen === revokeAfter) {
				revokeKeysUsed.add(key);
				registry.revokeAllAccessTokens();
			}
		}
		let state = stateOf(token);
		// The other instance has issued none of these tokens.
		if (instance === 'other' && state !== 'missing') state = 'unknown';
		c.byTokenState[state]++;
		const entry = log.push({ instance, query: url.search, lead: url.searchParams.get('filterValues'), page, nextPageToken, state, answer: null });
		const code = state === 'missing' ? '600' : state === 'expired' ? '602' : state === 'valid' ? undefined : '601';
		if (code) {
			c.answers[code]++;
			entry.answer = code;
			return sendJson(res, 200, { requestId: requestId(), success: false, errors: [{ code, message: MARKETO_ERRORS[code] }] }, MARKETO_JSON);
		}
		c.answers.ok++;
		entry.answer = 'ok';
		if (url.searchParams.get('filterType') === 'id') {
			const ids = String(url.searchParams.get('filterValues') ?? '').split(',').map(Number).filter((id) => id >= 1 && id <= MARKETO_LEADS);
			return sendJson(res, 200, { requestId: requestId(), result: ids.map(lead), success: true }, MARKETO_JSON);
		}
		if (offset === undefined) {
			return sendJson(res, 200, { requestId: requestId(), success: false, errors: [{ code: '1003', message: 'Invalid nextPageToken' }] }, MARKETO_JSON);
		}
		const result = Array.from({ length: Math.max(0, Math.min(batchSize, MARKETO_LEADS - offset)) }, (_v, i) => lead(offset + i + 1));
		const more = offset + result.length < MARKETO_LEADS;
		return sendJson(res, 200, { requestId: requestId(), result, success: true, moreResult: more, ...(more ? { nextPageToken: pageToken(offset + result.length) } : {}) }, MARKETO_JSON);
	}

	return {
		isTokenRequest: (req, path) => path === TOKEN_PATH && (req.method === 'POST' || req.method === 'GET'),
		handle(req, res, { path, body, url }) {
			if (path === TOKEN_PATH && (req.method === 'POST' || req.method === 'GET')) return issue(req, res, body, url);
			if (req.method === 'GET' && path === '/rest/v1/leads.json') return leads(req, res, url, 'main');
			if (req.method === 'GET' && path === '/other-instance/rest/v1/leads.json') return leads(req, res, url, 'other');
			if (req.method === 'GET' && path === '/__stats') return sendJson(res, 200, { ...c, log: log.toArray() });
			if (req.method === 'POST' && path === '/__reset') {
				zero();
				return sendJson(res, 200, { ok: true });
			}
			if (req.method === 'POST' && path === '/__expire-all') {
				expiredBelow = issued;
				return sendJson(res, 200, { ok: true });
			}
			return sendJson(res, 404, { requestId: requestId(), success: false, errors: [{ code: '404', message: 'Not Found' }] }, MARKETO_JSON);
		},
	};
}
