// Servers that behave like real providers where those leave the textbook (issue 15): one module per
// behaviour in test/servers/wild/, each mounted at /wild/<name>/. A module's token requests are counted
// in /__lab/stats as endpoint `wild-<name>`; the tokens it issues go into the lab's one registry, so the
// protected API (/api/...) accepts them unless the module serves an API of its own.
//
// A module exports `create({ config, registry, stats, baseUrl })` returning
// `{ handle(req, res, { path, body }), isTokenRequest?(req, path) }`; `path` is the part after
// /wild/<name>, `body` the raw request body (a Buffer).

import { readBody, sendJson } from './http-util.mjs';
import { recordTokenRequest } from './token-requests.mjs';
import { WILD_MODULES } from './wild/index.mjs';

export const WILD_MOUNT = '/wild';

/** By default a POST to …/token is a token request. */
const defaultIsTokenRequest = (req, path) => req.method === 'POST' && path === '/token';

export function createWild(context) {
	const modules = new Map(Object.entries(WILD_MODULES).map(([name, module]) => [name, module.create(context)]));
	return {
		names: () => [...modules.keys()],
		async handle(req, res) {
			const url = new URL(req.url, 'http://lab');
			const [, , name, ...rest] = url.pathname.split('/');
			const module = modules.get(name);
			if (!module) {
				req.resume();
				return sendJson(res, 404, { error: 'Not Found', wild: name ?? null });
			}
			const path = `/${rest.join('/')}`;
			const body = await readBody(req, 1024 * 1024);
			if ((module.isTokenRequest ?? defaultIsTokenRequest)(req, path)) {
				recordTokenRequest(context.stats, `wild-${name}`, req, res, body);
				if (context.config.current.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, context.config.current.tokenDelayMs));
			}
			return module.handle(req, res, { path, body, url });
		},
	};
}
