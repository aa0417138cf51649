// An authorization server's metadata (RFC 8414 / OpenID Connect Discovery) for an issuer that lives at
// whatever origin serves it: `/origin-issuer` over plain HTTP, and over the lab's HTTPS listeners
// (a certificate of the lab CA, which nothing trusts by default). Its token endpoint is the fault
// endpoint of the same origin. Trust tests use it: metadata fetched over TLS that was not verified must
// never serve a credential that verifies TLS.

import { sendJson } from './http-util.mjs';

export const ORIGIN_ISSUER_MOUNT = '/origin-issuer';

const DOCUMENTS = new Set(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']);

export function createOriginIssuer() {
	return {
		handle(req, res) {
			req.resume();
			const path = new URL(req.url, 'http://lab').pathname;
			const document = path.slice(ORIGIN_ISSUER_MOUNT.length);
			const origin = `${req.socket.encrypted ? 'https' : 'http'}://${req.headers.host}`;
			if (req.method !== 'GET' || !DOCUMENTS.has(document)) return sendJson(res, 404, { error: 'not_found' });
			return sendJson(res, 200, {
				issuer: `${origin}${ORIGIN_ISSUER_MOUNT}`,
				token_endpoint: `${origin}/faults/token`,
				token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
				grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
			});
		},
	};
}
