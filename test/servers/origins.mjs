// Two more origins for the destination tests: a "redirector" and a "target", both plain node:http on
// 127.0.0.1 with their own random ports. Any path that contains `/redirect/<status>/<to>` is answered
// with that status and a Location on another origin (the same path without that segment, same query):
//   same → the redirector itself (same origin)      port → the target (127.0.0.1, other port)
//   host → the redirector as `localhost` (other host, same port)   hostport → the target as `localhost`
// Every other request is recorded (listener, Host header, method, path, headers, body) and answered:
// a path ending in /token with a token, a /.well-known/ path with metadata, anything else with an echo
// of what arrived. Redirect answers are recorded too (kind "redirect"), so a test can count what
// arrived at each origin. `GET /__origins/log`, `POST /__origins/reset` on either listener.

import http from 'node:http';

import { readBody, sendJson } from './http-util.mjs';

const REDIRECT = /\/redirect\/(30[1-8])\/(same|port|host|hostport)(?=\/|$)/;
const MAX_LOG = 2000;
const MAX_BODY_LOGGED = 64 * 1024;

function listen(server) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(server.address().port);
		});
	});
}

export async function startOrigins() {
	let log = [];
	const origins = {};

	function record(listener, req, kind, body) {
		if (log.length >= MAX_LOG) log.shift();
		const url = new URL(req.url, 'http://origins');
		log.push({
			listener,
			kind,
			origin: `http://${String(req.headers.host ?? '').toLowerCase()}`,
			method: req.method,
			path: url.pathname,
			url: req.url,
			headers: { ...req.headers },
			body: body.subarray(0, MAX_BODY_LOGGED).toString('utf8'),
			at: Date.now(),
		});
	}

	function answer(res, req, url) {
		const origin = `http://${req.headers.host}`;
		if (url.pathname.endsWith('/token')) {
			return sendJson(res, 200, { access_token: `origins-token-${url.pathname}`, token_type: 'Bearer', expires_in: 3600 }, { 'cache-control': 'no-store' });
		}
		const wellKnown = url.pathname.indexOf('/.well-known/');
		if (wellKnown >= 0) {
			return sendJson(res, 200, { issuer: `${origin}${url.pathname.slice(0, wellKnown)}`, token_endpoint: `${origin}/token` });
		}
		return sendJson(res, 200, { origin, method: req.method, path: url.pathname, headers: req.headers });
	}

	const handler = (listener) => async (req, res) => {
		try {
			const url = new URL(req.url, 'http://origins');
			if (url.pathname === '/__origins/log' && req.method === 'GET') {
				req.resume();
				return sendJson(res, 200, { log });
			}
			if (url.pathname === '/__origins/reset' && req.method === 'POST') {
				req.resume();
				log = [];
				return sendJson(res, 200, { ok: true });
			}
			const body = await readBody(req, 1024 * 1024);
			const redirect = REDIRECT.exec(url.pathname);
			if (redirect) {
				record(listener, req, 'redirect', body);
				const rest = url.pathname.replace(REDIRECT, '') || '/';
				res.writeHead(Number(redirect[1]), { location: `${origins[redirect[2]]}${rest}${url.search}`, 'content-length': 0 });
				return res.end();
			}
			record(listener, req, 'answer', body);
			return answer(res, req, url);
		} catch (error) {
			return sendJson(res, 500, { error: String(error?.message ?? error) });
		}
	};

	const redirector = http.createServer(handler('redirector'));
	const target = http.createServer(handler('target'));
	redirector.keepAliveTimeout = 1000;
	target.keepAliveTimeout = 1000;
	const redirectorPort = await listen(redirector);
	const targetPort = await listen(target);
	Object.assign(origins, {
		same: `http://127.0.0.1:${redirectorPort}`,
		port: `http://127.0.0.1:${targetPort}`,
		host: `http://localhost:${redirectorPort}`,
		hostport: `http://localhost:${targetPort}`,
	});

	const close = (server) => new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});

	return {
		urls: { redirectorUrl: origins.same, targetUrl: origins.port, redirectorAsLocalhostUrl: origins.host, targetAsLocalhostUrl: origins.hostport },
		close: () => Promise.all([close(redirector), close(target)]).then(() => undefined),
	};
}
