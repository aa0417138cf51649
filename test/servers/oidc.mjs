// oidc-provider 9 as a client-credentials authorization server, mounted under /oidc of the lab's port.

import { generateKeyPairSync, randomBytes } from 'node:crypto';

import Provider, { errors } from 'oidc-provider';

import { sendOAuthError } from './http-util.mjs';

export const OIDC_MOUNT = '/oidc';
export const API_RESOURCE = 'https://api.example.test/';
// RFC 6749 Appendix A allows only VSCHAR (printable ASCII) in secrets and oidc-provider enforces that, so
// this client can never authenticate; SPECIAL_ASCII_SECRET has the same reserved characters and can.
export const SPECIAL_SECRET = 'p%s+w:rd/é';
export const SPECIAL_ASCII_SECRET = 'p%s+w:rd/x';

// 'admin' is a scope the provider knows but grants to nobody, so asking for it is a real invalid_scope.
const KNOWN_SCOPES = ['openid', 'offline_access', 'read', 'write', 'admin'];

const ccClient = (client_id, client_secret, token_endpoint_auth_method) => ({
	client_id,
	client_secret,
	token_endpoint_auth_method,
	grant_types: ['client_credentials'],
	response_types: [],
	redirect_uris: [],
	scope: 'read write',
});

export const OIDC_CLIENTS = [
	ccClient('cc-basic', 'cc-basic-secret', 'client_secret_basic'),
	ccClient('cc-post', 'cc-post-secret', 'client_secret_post'),
	ccClient('cc-special', SPECIAL_SECRET, 'client_secret_basic'),
	ccClient('cc-special-ascii', SPECIAL_ASCII_SECRET, 'client_secret_basic'),
];

/**
 * oidc-provider lets a client_credentials request carry a scope it has never heard of (only known
 * scopes are checked against the client). The lab wants every bad scope to fail the same way.
 */
function unknownScopes(scope) {
	if (typeof scope !== 'string') return [];
	return scope.split(' ').filter((s) => s && !KNOWN_SCOPES.includes(s));
}

export function createOidc({ issuer, config, registry }) {
	// A fresh key per run: nothing outside the lab ever needs to verify these JWTs offline.
	const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

	const provider = new Provider(issuer, {
		clients: OIDC_CLIENTS,
		jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'lab-rs256' }] },
		cookies: { keys: [randomBytes(32).toString('hex')] },
		scopes: KNOWN_SCOPES,
		features: {
			devInteractions: { enabled: false },
			clientCredentials: { enabled: true },
			introspection: { enabled: true },
			resourceIndicators: {
				enabled: true,
				defaultResource: () => undefined,
				useGrantedResource: () => false,
				getResourceServerInfo: (_ctx, resource) => {
					if (resource !== API_RESOURCE) throw new errors.InvalidTarget();
					return {
						scope: 'read write',
						audience: API_RESOURCE,
						accessTokenFormat: 'jwt',
						accessTokenTTL: config.current.accessTokenTtlSeconds,
						jwt: { sign: { alg: 'RS256' } },
					};
				},
			},
		},
		// Read per issue so POST /__lab/config changes the lifetime of the next token.
		ttl: {
			AccessToken: () => config.current.accessTokenTtlSeconds,
			ClientCredentials: () => config.current.accessTokenTtlSeconds,
		},
	});

	// Runs around the provider's own router: sees the finished /token response body.
	provider.use(async (ctx, next) => {
		await next();
		if (ctx.method !== 'POST' || ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.access_token) return;
		const params = ctx.oidc?.params ?? {};
		// The provider has already dropped unknown scopes from `params`; the raw body still has them.
		const unknown = unknownScopes(ctx.oidc?.body?.scope);
		if (unknown.length) {
			ctx.status = 400;
			ctx.body = { error: 'invalid_scope', error_description: `unknown scope: ${unknown.join(' ')}`, scope: unknown.join(' ') };
			return;
		}
		registry.registerAccessToken(ctx.body.access_token, {
			issuer: 'oidc',
			clientId: ctx.oidc?.client?.clientId,
			grant: params.grant_type ?? 'client_credentials',
			scope: ctx.body.scope,
			expiresAt: Date.now() + ctx.body.expires_in * 1000,
		});
	});

	const callback = provider.callback();

	return {
		provider,
		/**
		 * Mounts the provider the way express does: `originalUrl` keeps the full path (oidc-provider derives
		 * its mount path from it), `url` loses the prefix. A body the lab already read is handed over as
		 * `req.body`, which oidc-provider accepts in place of the consumed stream.
		 */
		handle(req, res, body) {
			if (body !== undefined) req.body = body;
			req.originalUrl = req.url;
			const rest = req.url.slice(OIDC_MOUNT.length);
			req.url = rest.startsWith('/') ? rest : `/${rest}`;
			try {
				callback(req, res);
			} catch (err) {
				sendOAuthError(res, 500, 'server_error', String(err?.message ?? err));
			}
		},
	};
}
