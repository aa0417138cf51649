// The /__lab/ endpoints tests use to read counters and steer the lab. Not protected: loopback only.

import { DEFAULT_CONFIG } from './config.mjs';
import { readBody, sendJson } from './http-util.mjs';

async function readJson(req) {
	const body = await readBody(req, 1024 * 1024);
	return body.length ? JSON.parse(body.toString('utf8')) : undefined;
}

export function createControl({ stats, registry, config, faults, api }) {
	const actions = {
		'GET /__lab/stats': () => stats.snapshot(),

		'GET /__lab/issued-tokens': () => ({ tokens: registry.issuedTokens() }),

		'GET /__lab/config': () => ({ config: { ...config.current }, defaults: DEFAULT_CONFIG }),

		'POST /__lab/config': async (req) => config.merge((await readJson(req)) ?? {}),

		// Zeroes what tests measure; tokens and config survive so a shared lab can be reset between tests.
		'POST /__lab/reset': () => {
			stats.reset();
			faults.clear();
			api.clearOnceKeys();
			return { ok: true };
		},

		'POST /__lab/revoke-all': () => ({ revoked: registry.revokeAllAccessTokens() }),

		'POST /__lab/revoke-tokens': async (req) => {
			const tokens = (await readJson(req))?.tokens;
			if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) throw new TypeError('body must be {"tokens": ["..."]}');
			return { revoked: registry.revokeAccessTokens(tokens) };
		},

		'POST /__lab/revoke-refresh-tokens': () => ({ revoked: registry.revokeAllRefreshTokens() }),

		'POST /__lab/token-faults': async (req) => ({ queued: faults.enqueue(await readJson(req)) }),
	};

	return {
		async handle(req, res) {
			const path = new URL(req.url, 'http://lab').pathname;
			const action = actions[`${req.method} ${path}`];
			if (!action) {
				req.resume();
				return sendJson(res, 404, { error: `no control endpoint ${req.method} ${path}` });
			}
			try {
				return sendJson(res, 200, await action(req));
			} catch (err) {
				// Bad JSON or a rejected value: the test that sent it should see why.
				return sendJson(res, 400, { error: String(err?.message ?? err) });
			}
		},
	};
}
