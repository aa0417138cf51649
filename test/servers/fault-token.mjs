// A token endpoint that misbehaves on demand: tests queue the exact answers (status, headers, raw body,
// delays, hangs, dropped sockets) and the endpoint plays them back one request at a time.

import { randomBytes } from 'node:crypto';

import { parseBasic, parseParams, sendOAuthError, sendTokenResponse, sleep } from './http-util.mjs';

const MAX_QUEUE = 1000;
const MAX_RECORDED_BODY = 64 * 1024;
const GRANTS = new Set(['client_credentials', 'password', 'refresh_token']);
const ECHOES = new Set(['raw', 'lowercase', 'decoded', 'json', 'php', 'headers', 'url']);

/** Form or JSON parameters decoded the lenient way a careless server does (no throw on bad escapes). */
function decodeLeniently(text) {
	return text.replace(/\+/g, ' ').replace(/(%[0-9a-f]{2})+/gi, (run) => {
		try {
			return decodeURIComponent(run);
		} catch {
			return run;
		}
	});
}

/** JSON as PHP's json_encode writes it: "/" as "\/", every non-ASCII character as \uxxxx. */
function phpJson(value) {
	return JSON.stringify(value)
		.replace(/\//g, '\\/')
		.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What a careless server quotes of the request it refused, part by part: the body as received, with
 * lower-case percent escapes, URL-decoded, as a JSON string, as PHP-style JSON of its parameters,
 * the credential headers, the request target.
 */
function echoOf(parts, req, body) {
	const raw = body.toString('utf8');
	const params = parseParams(req, body) ?? {};
	const said = {
		raw: () => `body ${raw}`,
		lowercase: () => `body ${raw.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())}`,
		decoded: () => `decoded ${decodeLeniently(raw)}`,
		json: () => `body as JSON ${JSON.stringify(raw)} parameters ${JSON.stringify(params)}`,
		php: () => `parameters ${phpJson(params)}`,
		headers: () => `authorization: ${req.headers.authorization ?? ''}; cookie: ${req.headers.cookie ?? ''}`,
		url: () => `target ${req.url}`,
	};
	return parts.map((part) => said[part]()).join('; ');
}

/** Throws on a malformed fault so the mistake shows up in the test that queued it, not later. */
function checkFault(fault) {
	if (!fault || typeof fault !== 'object' || Array.isArray(fault)) throw new TypeError('each fault must be an object');
	if (!fault.hang && !fault.reset && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
		throw new TypeError('a fault needs a status (100-599) unless it hangs or resets');
	}
	if (fault.delayMs !== undefined && !(Number.isInteger(fault.delayMs) && fault.delayMs >= 0)) {
		throw new TypeError('delayMs must be a non-negative integer');
	}
	if (fault.echo !== undefined && !(Array.isArray(fault.echo) && fault.echo.every((part) => ECHOES.has(part)))) {
		throw new TypeError(`echo must be a list of ${[...ECHOES].join(', ')}`);
	}
	return fault;
}

export function createFaultToken({ config, registry, stats }) {
	let queue = [];

	async function playFault(req, res, fault, received) {
		if (fault.delayMs) await sleep(fault.delayMs);
		// A hung request is left open; closing the lab destroys its socket.
		if (fault.hang) return;
		if (fault.reset) {
			req.socket.destroy();
			return;
		}
		if (res.destroyed) return;
		let body = fault.body === undefined ? '' : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
		if (fault.echo) {
			const echoed = echoOf(fault.echo, req, received);
			// As an OAuth error (the server's words in error_description), or as the plain text of the body.
			body = fault.echoAs === 'text' ? `could not read the request: ${echoed}` : JSON.stringify({ error: 'invalid_request', error_description: `could not read the request: ${echoed}` });
		}
		// The lab frames the body itself; a queued Content-Length would only corrupt the response.
		const headers = Object.fromEntries(
			Object.entries(fault.headers ?? {}).filter(([name]) => !/^(content-length|transfer-encoding)$/i.test(name)),
		);
		res.writeHead(fault.status, { ...headers, 'content-length': Buffer.byteLength(body) });
		res.end(body);
	}

	/** The normal answer when nothing is queued: any client and any credentials get a token. */
	function issueToken(req, res, body) {
		const params = parseParams(req, body);
		if (!params) return sendOAuthError(res, 400, 'invalid_request', 'body must be a form or JSON object');
		if (!GRANTS.has(params.grant_type)) {
			return sendOAuthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials, password or refresh_token');
		}
		const basic = parseBasic(req.headers.authorization, 'rfc');
		const ttl = config.current.accessTokenTtlSeconds;
		const accessToken = `fault-${randomBytes(24).toString('base64url')}`;
		const scope = typeof params.scope === 'string' && params.scope ? params.scope : undefined;
		registry.registerAccessToken(accessToken, {
			issuer: 'faults',
			clientId: basic?.clientId ?? params.client_id,
			grant: params.grant_type,
			scope,
			expiresAt: Date.now() + ttl * 1000,
		});
		sendTokenResponse(res, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, ...(scope ? { scope } : {}) });
	}

	return {
		async handle(req, res, body) {
			stats.recordFaultRequest({
				method: req.method,
				url: req.url,
				headers: { ...req.headers },
				body: body.subarray(0, MAX_RECORDED_BODY).toString('utf8'),
			});
			const fault = queue.shift();
			if (fault) return playFault(req, res, fault, body);
			return issueToken(req, res, body);
		},

		enqueue(faults) {
			if (!Array.isArray(faults)) throw new TypeError('token faults must be a JSON array');
			faults.forEach(checkFault);
			if (queue.length + faults.length > MAX_QUEUE) throw new TypeError(`at most ${MAX_QUEUE} queued faults`);
			queue.push(...faults);
			return queue.length;
		},

		clear() {
			queue = [];
		},

		pending() {
			return queue.length;
		},
	};
}
