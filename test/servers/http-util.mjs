// Small HTTP helpers shared by the lab's handlers (plain node:http, no framework).

export { setTimeout as sleep } from 'node:timers/promises';

/** Reads the whole request body; refuses more than `limit` bytes so a runaway test cannot exhaust memory. */
export function readBody(req, limit = 1024 * 1024) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > limit) {
				reject(Object.assign(new Error(`request body over ${limit} bytes`), { status: 413 }));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks, size)));
		req.on('error', reject);
	});
}

export function sendJson(res, status, value, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	const body = JSON.stringify(value);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(body),
		...headers,
	});
	res.end(body);
}

/** RFC 6749 §5.2 error response; token responses must never be cached. */
export function sendOAuthError(res, status, error, description, headers = {}) {
	sendJson(
		res,
		status,
		{ error, error_description: description },
		{ 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
	);
}

export function sendTokenResponse(res, value) {
	sendJson(res, 200, value, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(req) {
	return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Form body → plain object; a repeated key keeps its first value, as OAuth parameters must not repeat. */
export function parseForm(buffer) {
	const out = {};
	for (const [key, value] of new URLSearchParams(buffer.toString('utf8'))) {
		if (!(key in out)) out[key] = value;
	}
	return out;
}

/** Parses a token request body by its content type; undefined when it cannot be read as parameters. */
export function parseParams(req, buffer) {
	const type = mediaType(req);
	if (type === 'application/x-www-form-urlencoded') return parseForm(buffer);
	if (type === 'application/json') {
		try {
			const value = JSON.parse(buffer.toString('utf8'));
			return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded before being put in the Basic header. */
function formDecode(value) {
	return decodeURIComponent(value.replace(/\+/g, '%20'));
}

/**
 * Splits a Basic Authorization header. `decoding` is 'rfc' (form-decode each part, as RFC 6749 requires)
 * or 'raw' (take the bytes as they are). Returns undefined when there is no Basic header, and
 * `{ malformed: true }` when there is one that cannot be read.
 */
export function parseBasic(header, decoding = 'rfc') {
	if (typeof header !== 'string') return undefined;
	const match = /^\s*basic\s+([A-Za-z0-9+/=._~-]*)\s*$/i.exec(header);
	if (!match) return /^\s*basic\b/i.test(header) ? { malformed: true } : undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon === -1) return { malformed: true };
	const id = decoded.slice(0, colon);
	const secret = decoded.slice(colon + 1);
	if (decoding === 'raw') return { clientId: id, clientSecret: secret };
	try {
		return { clientId: formDecode(id), clientSecret: formDecode(secret) };
	} catch {
		return { malformed: true, clientId: id };
	}
}

/** The client a token request names: an RFC 6749 Basic header, else client_id and client_secret in the parameters. */
export function clientOf(req, params) {
	const basic = parseBasic(req.headers.authorization, 'rfc');
	if (basic && !basic.malformed) return { id: basic.clientId, secret: basic.clientSecret };
	return { id: params.client_id, secret: params.client_secret };
}
