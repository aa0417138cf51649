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

/** A client a test registers (private_key_jwt with its public JWKS, client_secret_jwt, tls_client_auth). */
const extraClient = (client) => ({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'read write', ...client });

// RFC 8705 §2.1.2: the subject DN of a certificate as oidc-provider's tls_client_auth_subject_dn compares
// it; the lab's certificates have a single CN, so Node's line-per-attribute form joined with commas will do.
const subjectOf = (certificate) => certificate.subject.split('\n').join(',');

function peerCertificate(ctx) {
	const socket = ctx.req.socket;
	return typeof socket?.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
}

/**
 * `extraClients`: more client metadata (tests register clients with their own keys). `mtlsTokenUrl`:
 * the token endpoint on the mutual-TLS listener, published as RFC 8705's mtls_endpoint_aliases.
 */
export function createOidc({ issuer, config, registry, extraClients = [], mtlsTokenUrl }) {
	// A fresh key per run: nothing outside the lab ever needs to verify these JWTs offline.
	const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

	const provider = new Provider(issuer, {
		clients: [...OIDC_CLIENTS, ...extraClients.map(extraClient)],
		clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'none'],
		jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'lab-rs256' }] },
		cookies: { keys: [randomBytes(32).toString('hex')] },
		scopes: KNOWN_SCOPES,
		features: {
			devInteractions: { enabled: false },
			clientCredentials: { enabled: true },
			introspection: { enabled: true },
			mTLS: {
				enabled: true,
				tlsClientAuth: true,
				getCertificate: (ctx) => peerCertificate(ctx)?.toString(),
				// The lenient listener lets every certificate in; whether the lab CA issued it is decided here.
				certificateAuthorized: (ctx) => ctx.req.socket?.authorized === true,
				certificateSubjectMatches: (ctx, property, expected) => {
					const certificate = peerCertificate(ctx);
					return property === 'tls_client_auth_subject_dn' && certificate !== undefined && subjectOf(certificate) === expected;
				},
			},
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

	// Why the provider refused a client ('jwt expired', 'client certificate was not verified'...): it answers
	// only "invalid_client (client authentication failed)", tests want to know which check failed.
	provider.on('grant.error', (ctx, err) => {
		const entry = ctx.req.labTokenEntry;
		if (entry) entry.errorDetail = String(err?.error_detail ?? err?.cause?.message ?? err?.message ?? '');
	});

	// Runs around the provider's own router: sees the finished /token response body.
	provider.use(async (ctx, next) => {
		await next();
		if (mtlsTokenUrl && ctx.method === 'GET' && ctx.path.startsWith('/.well-known/') && ctx.status === 200 && ctx.body?.issuer) {
			ctx.body = { ...ctx.body, mtls_endpoint_aliases: { token_endpoint: mtlsTokenUrl } };
			return;
		}
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
