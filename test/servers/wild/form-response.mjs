// A token endpoint that answers form-encoded pairs instead of JSON, as GitHub does for a request
// without "Accept: application/json" and Facebook's old Graph endpoint did (access_token=...&expires=...).
//
// Routes, under /wild/form-response:
// - POST /token?as=form|text (default form): client credentials grant for form-client / form-secret
//   (RFC Basic header, or both in the form body); 200 access_token=...&token_type=bearer&expires=<the
//   lab's accessTokenTtlSeconds>&scope=read, labelled application/x-www-form-urlencoded; charset=utf-8
//   (as=form, GitHub) or text/plain; charset=UTF-8 (as=text, Facebook). The token goes into the lab's
//   registry with that expiry. A wrong client gets 401 error=invalid_client&error_description=..., a
//   grant other than client_credentials 400 error=unsupported_grant_type, labelled the same way.

import { randomBytes } from 'node:crypto';

import { clientOf, parseParams } from '../http-util.mjs';

export const FORM_CLIENT = { id: 'form-client', secret: 'form-secret' };

const CONTENT_TYPES = { form: 'application/x-www-form-urlencoded; charset=utf-8', text: 'text/plain; charset=UTF-8' };


export function create({ config, registry }) {
	return {
		handle(req, res, { path, body, url }) {
			const as = url.searchParams.get('as') ?? 'form';
			const send = (status, pairs) => {
				const text = new URLSearchParams(pairs).toString();
				res.writeHead(status, { 'content-type': CONTENT_TYPES[as] ?? CONTENT_TYPES.form, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
				res.end(text);
			};
			if (req.method !== 'POST' || path !== '/token' || !(as in CONTENT_TYPES)) return send(404, { error: 'not_found' });
			const params = parseParams(req, body) ?? {};
			const client = clientOf(req, params);
			if (client.id !== FORM_CLIENT.id || client.secret !== FORM_CLIENT.secret) {
				return send(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
			}
			if (params.grant_type !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
			const ttl = config.current.accessTokenTtlSeconds;
			const accessToken = `form-${randomBytes(24).toString('base64url')}`;
			registry.registerAccessToken(accessToken, { issuer: 'wild-form-response', clientId: client.id, grant: 'client_credentials', scope: 'read', expiresAt: Date.now() + ttl * 1000 });
			return send(200, { access_token: accessToken, token_type: 'bearer', expires: String(ttl), scope: 'read' });
		},
	};
}
