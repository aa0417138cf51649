// The protected API's endpoints. Each one exists to exercise one behaviour of an HTTP client:
// body encodings, pagination, binary downloads, error statuses, redirects, slowness, retries.

import { STATUS_CODES } from 'node:http';

import { describeBody } from './echo-body.mjs';
import { readBody, sendJson, sleep } from './http-util.mjs';
import { makePng } from './png.mjs';

const PNG = makePng();
const ITEM_COUNT = 23;
const PAGE_SIZE = 5;
const MAX_ECHO_BODY = 50 * 1024 * 1024;
const MAX_ONCE_KEYS = 10_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function queryObject(searchParams) {
	const out = {};
	for (const [key, value] of searchParams) out[key] = key in out ? [].concat(out[key], value) : value;
	return out;
}

function intParam(url, name, fallback) {
	const value = Number.parseInt(url.searchParams.get(name) ?? '', 10);
	return Number.isFinite(value) ? value : fallback;
}

function sendError(res, status, headers = {}, extra = {}) {
	sendJson(res, status, { error: STATUS_CODES[status] ?? 'error', status, ...extra }, headers);
}

/** Keys that already had their "first time" behaviour; bounded, and cleared by POST /__lab/reset. */
export function createOnceKeys() {
	const seen = new Set();
	return {
		first(key) {
			if (seen.has(key)) return false;
			seen.add(key);
			if (seen.size > MAX_ONCE_KEYS) seen.delete(seen.values().next().value);
			return true;
		},
		clear: () => seen.clear(),
	};
}

export function createRoutes({ config, once }) {
	return {
		async echo(req, res, url, auth) {
			const body = await readBody(req, MAX_ECHO_BODY);
			const headers = { ...req.headers };
			// The token must never be echoed: tests print these responses.
			delete headers[config.current.apiAuthHeader];
			sendJson(res, 200, {
				method: req.method,
				path: url.pathname,
				query: queryObject(url.searchParams),
				headers,
				...describeBody(req.headers['content-type'], body),
				client: auth.info,
			});
		},

		items(_req, res, url) {
			const page = Math.max(1, intParam(url, 'page', 1));
			const first = (page - 1) * PAGE_SIZE;
			const items = [];
			for (let id = first + 1; id <= Math.min(first + PAGE_SIZE, ITEM_COUNT); id++) items.push({ id });
			const nextPage = first + PAGE_SIZE < ITEM_COUNT ? page + 1 : null;
			let next = null;
			if (nextPage !== null) {
				const nextUrl = new URL(url);
				nextUrl.searchParams.set('page', String(nextPage));
				next = nextUrl.href;
			}
			sendJson(res, 200, { items, page, nextPage, next }, nextPage === null ? {} : { 'x-next-page': String(nextPage) });
		},

		file(_req, res) {
			res.writeHead(200, {
				'content-type': 'image/png',
				'content-length': PNG.length,
				'content-disposition': 'attachment; filename="report.png"',
			});
			res.end(PNG);
		},

		text(_req, res) {
			const body = 'hello from the lab';
			res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
			res.end(body);
		},

		async status(req, res, url) {
			const code = Number.parseInt(url.pathname.split('/')[3] ?? '', 10);
			if (!(code >= 200 && code <= 599)) return sendError(res, 400);
			// ?ms=N: answer late, so another item's renewal can replace the token this request carried.
			const delayMs = intParam(url, 'ms', 0);
			if (delayMs > 0) await sleep(Math.min(delayMs, 30_000));
			const retryAfter = url.searchParams.get('retryAfter');
			const headers = retryAfter !== null ? { 'retry-after': retryAfter } : {};
			if (code === 204 || code === 304) {
				res.writeHead(code, headers);
				return res.end();
			}
			// ?echoAuth=1: a careless API that quotes the credentials it refused; clients must mask them.
			// ?echoAuth=bare: the token alone, without its scheme, so only its value can tell it is one.
			const echoAuth = url.searchParams.get('echoAuth');
			const header = String(req.headers[config.current.apiAuthHeader] ?? '');
			const echoed = echoAuth === '1'
				? { message: `refused the credentials "${header}"` }
				: echoAuth === 'bare'
					? { message: `token ${header.replace(/^\S+\s+/, '')} may not read this` }
					: {};
			return sendError(res, code, headers, echoed);
		},

		redirect(_req, res, url) {
			const to = url.searchParams.get('to');
			const status = intParam(url, 'status', 302);
			if (!to || !REDIRECT_STATUSES.has(status)) return sendError(res, 400);
			res.writeHead(status, { location: to, 'content-length': 0 });
			return res.end();
		},

		async slow(req, res, url) {
			const ms = Math.min(Math.max(0, intParam(url, 'ms', 1000)), 120_000);
			await sleep(ms);
			sendJson(res, 200, { slept: ms });
		},

		flakyOnce(_req, res, url) {
			const key = url.searchParams.get('key') ?? '';
			if (once.first(`flaky:${key}`)) {
				const status = intParam(url, 'status', 503);
				const retryAfter = url.searchParams.get('retryAfter');
				return sendError(res, status, retryAfter !== null ? { 'retry-after': retryAfter } : {});
			}
			return sendJson(res, 200, { ok: true, key });
		},

		resetOnce(req, res, url) {
			const key = url.searchParams.get('key') ?? '';
			if (once.first(`reset:${key}`)) {
				req.socket.destroy();
				return undefined;
			}
			return sendJson(res, 200, { ok: true, key });
		},
	};
}
