// A token endpoint that answers RFC 6749 JSON with the wrong Content-Type, as several providers and
// gateways do (PHP and Java endpoints serving text/plain or text/html's cousin, S3-like stores and
// proxies serving application/octet-stream, some answering with no Content-Type at all).
//
// Routes, under /wild/textplain:
// - POST /token?type=plain|octet-stream|none (default plain): client credentials grant for
//   textplain-client / textplain-secret (RFC Basic header, or both in the form body); 200
//   { access_token, token_type: "bearer", expires_in: <the lab's accessTokenTtlSeconds>, scope } as
//   text/plain; charset=utf-8, application/octet-stream, or without a Content-Type header. The token
//   goes into the lab's registry with that expiry, so /api/... accepts it until then. A wrong client
//   gets 401 { error: "invalid_client" }, labelled the same way.

import { randomBytes } from 'node:crypto';

import { clientOf, parseParams } from '../http-util.mjs';

export const TEXTPLAIN_CLIENT = { id: 'textplain-client', secret: 'textplain-secret' };

const CONTENT_TYPES = { plain: 'text/plain; charset=utf-8', 'octet-stream': 'application/octet-stream', none: undefined };


export function create({ config, registry }) {
	return {
		handle(req, res, { path, body, url }) {
			const type = url.searchParams.get('type') ?? 'plain';
			const send = (status, value) => {
				const text = JSON.stringify(value);
				const headers = { 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' };
				if (CONTENT_TYPES[type]) headers['content-type'] = CONTENT_TYPES[type];
				res.writeHead(status, headers);
				res.end(text);
			};
			if (req.method !== 'POST' || path !== '/token' || !(type in CONTENT_TYPES)) return send(404, { error: 'not_found' });
			const params = parseParams(req, body) ?? {};
			const client = clientOf(req, params);
			if (client.id !== TEXTPLAIN_CLIENT.id || client.secret !== TEXTPLAIN_CLIENT.secret) return send(401, { error: 'invalid_client' });
			if (params.grant_type !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
			const ttl = config.current.accessTokenTtlSeconds;
			const accessToken = `textplain-${randomBytes(24).toString('base64url')}`;
			registry.registerAccessToken(accessToken, { issuer: 'wild-textplain', clientId: client.id, grant: 'client_credentials', scope: 'read', expiresAt: Date.now() + ttl * 1000 });
			return send(200, { access_token: accessToken, token_type: 'bearer', expires_in: ttl, scope: 'read' });
		},
	};
}
