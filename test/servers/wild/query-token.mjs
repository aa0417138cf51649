// An API that takes the access token only from the query string (RFC 6750 §2.3, "URI query
// parameter"), as some providers still do: Facebook's Graph API (access_token), Instagram's legacy API,
// Slack's older Web API and Mapbox-like tile services (token / access_token), various IoT clouds.
// It issues no tokens: any lab token endpoint's token is judged through the shared registry
// (/oidc/token with cc-basic / cc-basic-secret, for example).
//
// Routes, under /wild/query-token:
// - any method /api/<path>: the token in `access_token`; /api/param/<name>/<path>: in `<name>`.
//   200 { ok, method, path, parameter, item } to a valid token (the body never quotes the token);
//   401 invalid_token to a missing, unknown, revoked or expired one (RFC 6750 §3.1);
//   400 invalid_request to a token in an Authorization header (this API refuses it, so a client that
//   sends the header is caught) or to the parameter given more than once (RFC 6750 §2: one method, once).
// - <path> `redirect?to=URL&status=302&echo=1` (after the token was accepted): `status` with Location
//   `to` (relative to this request; without `to`, this very URL: a loop); with `echo=1` the Location
//   carries the token parameter back, as some servers copy the query.
// - <path> `status/<code>?quote=1`: that status, the body quoting the request line it got (the token in
//   it), for redaction tests; without quote=1 a plain server_error.
// - GET /stats: { requests, byState: { valid, expired, revoked, unknown, missing }, inHeader, duplicate,
//   log: [{ method, path, parameter, state, status }] }; POST /reset clears them.

import { sendJson } from '../http-util.mjs';
import { sendInvalidToken } from '../api-auth.mjs';
import { createBoundedLog } from '../bounded-log.mjs';

const STATES = ['valid', 'expired', 'revoked', 'unknown', 'missing'];

export function create({ registry }) {
	const log = createBoundedLog(2000);
	let counts;
	const zero = () => {
		counts = { requests: 0, byState: Object.fromEntries(STATES.map((state) => [state, 0])), inHeader: 0, duplicate: 0 };
		log.clear();
	};
	zero();

	function answer(req, res, url, rest, parameter) {
		const entry = log.push({ method: req.method, path: rest, parameter, state: null, status: null });
		const reply = (status, body, headers) => {
			entry.status = status;
			sendJson(res, status, body, headers);
		};
		counts.requests++;
		if (req.headers.authorization !== undefined) {
			counts.inHeader++;
			entry.state = 'header';
			return reply(400, { error: 'invalid_request', error_description: `this API takes the access token only from the query parameter ${parameter}, not from a header` });
		}
		const values = url.searchParams.getAll(parameter);
		if (values.length > 1) {
			counts.duplicate++;
			entry.state = 'duplicate';
			return reply(400, { error: 'invalid_request', error_description: `the query parameter ${parameter} was given ${values.length} times` });
		}
		const { state } = values.length ? registry.inspect(values[0]) : { state: 'missing' };
		counts.byState[state]++;
		entry.state = state;
		if (state !== 'valid') {
			entry.status = 401;
			return sendInvalidToken(res, state);
		}

		if (rest === '/redirect') {
			// Without `to`, the request's own URL: a loop, for clients that must give up after Max Redirects.
			const self = new URL(req.url, `http://${req.headers.host}`);
			const to = new URL(url.searchParams.get('to') ?? self.toString(), self);
			if (url.searchParams.get('echo') === '1') to.searchParams.set(parameter, values[0]);
			entry.status = Number(url.searchParams.get('status') ?? 302);
			res.writeHead(entry.status, { location: to.toString(), 'content-length': 0 });
			return res.end();
		}
		const status = /^\/status\/(\d{3})$/.exec(rest);
		if (status) {
			if (url.searchParams.get('quote') !== '1') return reply(Number(status[1]), { error: 'server_error', error_description: 'the API failed' });
			return reply(Number(status[1]), { error: 'quoted_request', error_description: `the server got ${req.method} ${req.url}` });
		}
		return reply(200, { ok: true, method: req.method, path: rest, parameter, item: url.searchParams.get('item') });
	}

	return {
		isTokenRequest: () => false,
		handle(req, res, { path, url }) {
			if (path === '/stats' && req.method === 'GET') return sendJson(res, 200, { ...counts, log: log.toArray() });
			if (path === '/reset' && req.method === 'POST') {
				zero();
				return sendJson(res, 200, { ok: true });
			}
			const named = /^\/api\/param\/([^/]+)(\/.*)?$/.exec(path);
			if (named) return answer(req, res, url, named[2] ?? '/', decodeURIComponent(named[1]));
			if (path === '/api' || path.startsWith('/api/')) return answer(req, res, url, path.slice('/api'.length) || '/', 'access_token');
			return sendJson(res, 404, { error: 'not_found', path });
		},
	};
}
