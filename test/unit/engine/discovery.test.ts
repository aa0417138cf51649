import { TokenAuthenticator } from '../../../engine/tokenAuthenticator';
import {
	DISCOVERY_TTL_MS,
	DiscoveryCache,
	discoveryUrlsOf,
	OAuth2DiscoveryError,
	parseMetadata,
	tokenEndpointFor,
	unsupportedBy,
	type ServerMetadata,
} from '../../../engine/discovery';
import { OAuth2ConfigError } from '../../../engine/error';
import { tokenCacheKeyOf } from '../../../engine/fingerprint';
import type { TransportRequest } from '../../../engine/types';
import {
	config,
	FakeClock,
	fakeTransport,
	flush,
	formOf,
	jsonResponse,
	networkError,
	recordingSleep,
	SECRET,
	tokenResponse,
	type Handler,
} from './helpers';

const ISSUER = 'https://login.example.test/tenant-1';
const TOKEN_ENDPOINT = 'https://login.example.test/tenant-1/oauth2/token';

const metadataDocument = (extra: Record<string, unknown> = {}) => ({
	issuer: ISSUER,
	token_endpoint: TOKEN_ENDPOINT,
	token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
	...extra,
});

const discoveryConfig = (overrides = {}) => config({ tokenUrl: '', issuerUrl: `${ISSUER}/`, ...overrides });

/** Answers the metadata at `at` (the first discovery URL unless said otherwise), 404 elsewhere, a token on POST. */
function server(document: unknown = metadataDocument(), at = `${ISSUER}/.well-known/openid-configuration`): Handler {
	return (request: TransportRequest) => {
		if (request.method === 'POST') return tokenResponse('token-1');
		return request.url === at ? jsonResponse(200, document) : jsonResponse(404, { error: 'not_found' });
	};
}

describe('discoveryUrlsOf', () => {
	it('tries OpenID Connect discovery, then RFC 8414 with the path after the well-known segment, then the suffix form', () => {
		expect(discoveryUrlsOf('https://login.example.test/tenant-1/')).toEqual([
			'https://login.example.test/tenant-1/.well-known/openid-configuration',
			'https://login.example.test/.well-known/oauth-authorization-server/tenant-1',
			'https://login.example.test/tenant-1/.well-known/oauth-authorization-server',
		]);
	});

	it('asks two places for an issuer without a path', () => {
		expect(discoveryUrlsOf('https://auth.example.test')).toEqual([
			'https://auth.example.test/.well-known/openid-configuration',
			'https://auth.example.test/.well-known/oauth-authorization-server',
		]);
	});
});

describe('parseMetadata', () => {
	it('reads the token endpoint, the mTLS alias and the supported methods and algorithms', () => {
		const parsed = parseMetadata(
			JSON.stringify(
				metadataDocument({
					mtls_endpoint_aliases: { token_endpoint: 'https://mtls.login.example.test/token' },
					token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
				}),
			),
			ISSUER,
			'source-url',
		);
		expect(parsed).toEqual({
			issuer: ISSUER,
			tokenEndpoint: TOKEN_ENDPOINT,
			mtlsTokenEndpoint: 'https://mtls.login.example.test/token',
			authMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
			signingAlgorithms: ['RS256', 'ES256'],
			source: 'source-url',
		});
	});

	it.each([
		['text that is not JSON', '<html>', /not JSON/],
		['a JSON array', '[]', /not a JSON object/],
		['another issuer (RFC 8414 §3.3)', JSON.stringify(metadataDocument({ issuer: 'https://evil.example.test' })), /its issuer is "https:\/\/evil\.example\.test"/],
		['no token endpoint', JSON.stringify(metadataDocument({ token_endpoint: undefined })), /no token_endpoint/],
		['a relative token endpoint', JSON.stringify(metadataDocument({ token_endpoint: '/token' })), /no token_endpoint/],
	])('refuses %s', (_label, text, reason) => {
		expect(parseMetadata(text, ISSUER, 'u')).toMatch(reason);
	});

	it('does not mind a trailing slash on either issuer', () => {
		expect(typeof parseMetadata(JSON.stringify(metadataDocument({ issuer: `${ISSUER}/` })), ISSUER, 'u')).toBe('object');
	});
});

describe('what the metadata decides', () => {
	const metadata: ServerMetadata = {
		issuer: ISSUER,
		tokenEndpoint: TOKEN_ENDPOINT,
		mtlsTokenEndpoint: 'https://mtls.example.test/token',
		authMethods: ['client_secret_basic', 'private_key_jwt', 'tls_client_auth'],
		signingAlgorithms: ['RS256', 'ES256'],
		source: 'u',
	};

	it('sends a client with a certificate to the mTLS alias (RFC 8705 §5), others to token_endpoint', () => {
		expect(tokenEndpointFor(metadata, {})).toBe(TOKEN_ENDPOINT);
		expect(tokenEndpointFor(metadata, { tls: { ca: 'x' } })).toBe(TOKEN_ENDPOINT);
		expect(tokenEndpointFor(metadata, { tls: { cert: 'c', key: 'k' } })).toBe('https://mtls.example.test/token');
		expect(tokenEndpointFor({ ...metadata, mtlsTokenEndpoint: undefined }, { tls: { cert: 'c', key: 'k' } })).toBe(TOKEN_ENDPOINT);
	});

	it('names the methods the server lists when the configured one is not among them', () => {
		expect(unsupportedBy(metadata, config({ clientAuthentication: 'header' }))).toBeUndefined();
		expect(unsupportedBy(metadata, config({ clientAuthentication: 'headerRaw' }))).toBeUndefined();
		expect(unsupportedBy(metadata, config({ clientAuthentication: 'body' }))).toMatch(
			/does not support client_secret_post at its token endpoint; it lists client_secret_basic, private_key_jwt, tls_client_auth/,
		);
		expect(unsupportedBy({ ...metadata, authMethods: undefined }, config({ clientAuthentication: 'body' }))).toBeUndefined();
	});

	it('checks the assertion algorithm against the listed ones', () => {
		expect(unsupportedBy(metadata, config({ clientAuthentication: 'privateKeyJwt', signingAlgorithm: 'ES256' }))).toBeUndefined();
		expect(unsupportedBy(metadata, config({ clientAuthentication: 'privateKeyJwt', signingAlgorithm: 'PS256' }))).toMatch(
			/does not accept PS256 client assertions; it lists RS256, ES256/,
		);
		const withJwt = { ...metadata, authMethods: [...(metadata.authMethods ?? []), 'client_secret_jwt'] };
		expect(unsupportedBy(withJwt, config({ clientAuthentication: 'clientSecretJwt' }))).toMatch(/does not accept HS256/);
	});
});

describe('DiscoveryCache', () => {
	const deps = (handler: Handler) => ({ transport: fakeTransport(handler), sleep: recordingSleep() });

	it('fetches the metadata once per issuer and keeps it', async () => {
		const clock = new FakeClock();
		const cache = new DiscoveryCache({ now: () => clock.now() });
		const d = deps(server());
		const first = await cache.metadataFor(discoveryConfig(), d);
		clock.advance(DISCOVERY_TTL_MS - 1);
		const second = await cache.metadataFor(discoveryConfig({ issuerUrl: ISSUER }), d);
		expect(first.tokenEndpoint).toBe(TOKEN_ENDPOINT);
		expect(second).toBe(first);
		expect(d.transport.calls.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${ISSUER}/.well-known/openid-configuration`]);
		expect(d.transport.calls[0].headers.Accept).toBe('application/json');
	});

	it('fetches again after a day', async () => {
		const clock = new FakeClock();
		const cache = new DiscoveryCache({ now: () => clock.now() });
		const d = deps(server());
		await cache.metadataFor(discoveryConfig(), d);
		clock.advance(DISCOVERY_TTL_MS);
		await cache.metadataFor(discoveryConfig(), d);
		expect(d.transport.calls).toHaveLength(2);
	});

	it('sends one request for many concurrent callers', async () => {
		const cache = new DiscoveryCache({ now: () => 0 });
		const d = deps(server());
		const results = await Promise.all(Array.from({ length: 20 }, () => cache.metadataFor(discoveryConfig(), d)));
		expect(new Set(results).size).toBe(1);
		expect(d.transport.calls).toHaveLength(1);
	});

	it('falls back to RFC 8414 when OpenID discovery is not served', async () => {
		const cache = new DiscoveryCache({ now: () => 0 });
		const d = deps(server(metadataDocument(), 'https://login.example.test/.well-known/oauth-authorization-server/tenant-1'));
		const metadata = await cache.metadataFor(discoveryConfig(), d);
		expect(metadata.source).toBe('https://login.example.test/.well-known/oauth-authorization-server/tenant-1');
		expect(d.transport.calls).toHaveLength(2);
	});

	it('names every URL it tried and what each answered, and remembers no failure', async () => {
		const cache = new DiscoveryCache({ now: () => 0 });
		const d = deps((request) =>
			request.url.endsWith('/tenant-1/.well-known/oauth-authorization-server')
				? jsonResponse(200, metadataDocument({ issuer: 'https://other.example.test' }))
				: jsonResponse(404, {}),
		);
		const error = await cache.metadataFor(discoveryConfig(), d).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OAuth2DiscoveryError);
		expect((error as Error).message).toBe(
			`Could not find the token endpoint of issuer ${ISSUER}: ` +
				`${ISSUER}/.well-known/openid-configuration answered 404; ` +
				'https://login.example.test/.well-known/oauth-authorization-server/tenant-1 answered 404; ' +
				`${ISSUER}/.well-known/oauth-authorization-server answered, but its issuer is "https://other.example.test", not the issuer URL. ` +
				'Check the issuer URL (the "issuer" of the provider\'s metadata), or set the token URL, which skips discovery.',
		);
		await cache.metadataFor(discoveryConfig(), d).catch(() => undefined);
		expect(d.transport.calls).toHaveLength(6);
	});

	it('stops at the first network failure, after the retries', async () => {
		const cache = new DiscoveryCache({ now: () => 0, retry: { retries: 1 } });
		const d = deps(() => {
			throw networkError('ECONNREFUSED');
		});
		const error = await cache.metadataFor(discoveryConfig(), d).catch((e: unknown) => e as Error);
		expect((error as Error).message).toMatch(/openid-configuration gave no response \(ECONNREFUSED\)\./);
		expect(d.transport.calls).toHaveLength(2);
	});

	it('fetches with the TLS material and SSL setting of the configuration', async () => {
		const cache = new DiscoveryCache({ now: () => 0 });
		const d = deps(server());
		await cache.metadataFor(discoveryConfig({ ignoreSslIssues: true, tls: { ca: ' CA ', cert: '', key: '' } }), d);
		expect(d.transport.calls[0]).toMatchObject({ skipSslCertificateValidation: true, tls: { ca: 'CA' } });
	});
});

describe('TokenAuthenticator with an issuer URL and no token URL', () => {
	const run = (handler: Handler) => {
		const transport = fakeTransport(handler);
		return { transport, deps: { transport, sleep: recordingSleep() } };
	};

	it('discovers the token endpoint, then asks it for the token; later tokens skip discovery', async () => {
		const authenticator = new TokenAuthenticator({ clock: new FakeClock() });
		const { transport, deps } = run(server());
		const token = await authenticator.getToken(discoveryConfig(), deps);
		expect(token.accessToken).toBe('token-1');
		expect(transport.calls.map((r) => `${r.method} ${r.url}`)).toEqual([
			`GET ${ISSUER}/.well-known/openid-configuration`,
			`POST ${TOKEN_ENDPOINT}`,
		]);
		expect(formOf(transport.calls[1]).get('grant_type')).toBe('client_credentials');

		await authenticator.getToken(discoveryConfig(), deps, { rejectToken: 'token-1' });
		expect(transport.calls.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
	});

	it('uses the token URL when one is set, without discovery', async () => {
		const authenticator = new TokenAuthenticator({ clock: new FakeClock() });
		const { transport, deps } = run(server());
		await authenticator.getToken(discoveryConfig({ tokenUrl: 'https://elsewhere.example.test/token' }), deps);
		expect(transport.calls.map((r) => `${r.method} ${r.url}`)).toEqual(['POST https://elsewhere.example.test/token']);
	});

	it('refuses, before sending a token request, a method the server does not list', async () => {
		const authenticator = new TokenAuthenticator({ clock: new FakeClock() });
		const { transport, deps } = run(server(metadataDocument({ token_endpoint_auth_methods_supported: ['private_key_jwt'] })));
		const error = await authenticator.getToken(discoveryConfig(), deps).catch((e: unknown) => e as OAuth2ConfigError);
		expect(error).toBeInstanceOf(OAuth2ConfigError);
		expect((error as OAuth2ConfigError).message).toMatch(/does not support client_secret_basic.*it lists private_key_jwt/);
		expect(transport.calls.map((r) => r.method)).toEqual(['GET']);
	});

	it('shows the discovery failure, never the secret, and lets the next call try again', async () => {
		const authenticator = new TokenAuthenticator({ clock: new FakeClock(), retry: { retries: 0 } });
		let up = false;
		const { transport, deps } = run((request) => (up ? server()(request, 0) : jsonResponse(503, { echo: SECRET })));
		const error = await authenticator.getToken(discoveryConfig(), deps).catch((e: unknown) => e as Error);
		expect((error as Error).message).toMatch(/answered 503/);
		expect((error as Error).message).not.toContain(SECRET);
		up = true;
		await flush();
		expect((await authenticator.getToken(discoveryConfig(), deps)).accessToken).toBe('token-1');
		expect(transport.calls.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	it('gives the issuer its own token cache key', () => {
		expect(tokenCacheKeyOf(discoveryConfig())).not.toBe(tokenCacheKeyOf(discoveryConfig({ issuerUrl: 'https://other.example.test' })));
		expect(tokenCacheKeyOf(discoveryConfig())).toBe(tokenCacheKeyOf(discoveryConfig({ issuerUrl: ISSUER })));
	});

	it('needs a valid issuer URL', async () => {
		const authenticator = new TokenAuthenticator();
		const { deps } = run(server());
		await expect(authenticator.getToken(discoveryConfig({ issuerUrl: 'login.example.test' }), deps)).rejects.toThrow(
			/The issuer URL "login\.example\.test" is not an absolute URL/,
		);
		await expect(authenticator.getToken(discoveryConfig({ issuerUrl: ' ' }), deps)).rejects.toThrow(/access token URL is missing/);
	});
});
