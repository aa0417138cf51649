// The protected API under /api/: checks the token on every request, counts what it saw, then routes.
// The counters are the point: apiExpired must stay 0 if the package renews tokens before they expire.

import { judgeRequest, sendInvalidToken } from './api-auth.mjs';
import { createOnceKeys, createRoutes } from './api-routes.mjs';
import { sendJson } from './http-util.mjs';

function routeFor(routes, path) {
	if (path === '/api/echo' || path.startsWith('/api/echo/')) return routes.echo;
	if (path.startsWith('/api/status/')) return routes.status;
	return {
		'/api/items': routes.items,
		'/api/file': routes.file,
		'/api/text': routes.text,
		'/api/redirect': routes.redirect,
		'/api/slow': routes.slow,
		'/api/flaky-once': routes.flakyOnce,
		'/api/reset-once': routes.resetOnce,
	}[path];
}

export function createApi({ config, registry, stats, baseUrl }) {
	const once = createOnceKeys();
	const routes = createRoutes({ config, once });

	return {
		async handle(req, res) {
			const url = new URL(req.url, baseUrl());
			// /api/items?revokeAtPage=N: the server forgets its tokens just before page N, once per key,
			// so a paginated run meets a refused token in the middle.
			const revokeAt = url.searchParams.get('revokeAtPage');
			if (revokeAt !== null && url.searchParams.get('page') === revokeAt && once.first(`revoke:${url.searchParams.get('key') ?? ''}`)) {
				registry.revokeAllAccessTokens();
			}
			const auth = judgeRequest(req, config.current, registry);
			const entry = stats.recordApi({ method: req.method, path: url.pathname, tokenState: auth.state });
			res.on('finish', () => stats.recordApiStatus(entry, res.statusCode));

			if (auth.state !== 'valid') {
				// Drain any upload so the connection stays usable for the client's retry.
				req.resume();
				return sendInvalidToken(res, auth.state);
			}
			const route = routeFor(routes, url.pathname);
			if (!route) {
				req.resume();
				return sendJson(res, 404, { error: 'Not Found', status: 404 });
			}
			return route(req, res, url, auth);
		},

		clearOnceKeys: once.clear,
	};
}
