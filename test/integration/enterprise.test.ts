// The enterprise client authentications against oidc-provider, which implements and checks them itself:
// private_key_jwt (RS256, PS256, ES256, with and without kid), client_secret_jwt, tls_client_auth on the
// lab's HTTPS listener, a client certificate with a secret on the strict listener, and discovery.
// Keys and certificates are made here (node:crypto, openssl); the lab registers the public halves.

import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

import {
	OAuth2ConfigError,
	OAuth2TokenError,
	TokenAuthenticator,
	type Clock,
	type TokenRequestConfig,
	type Transport,
} from '../../engine';
import { createTestPki, removeTestPki, type TestPki } from '../servers/certificates';
import { type TokenLogEntry } from '../servers/lab';
import { useLab } from '../support/lab';

/** node:http(s) with the request's TLS material on the connection; every status resolves. */
const tlsTransport: Transport = (request) =>
	new Promise((resolve, reject) => {
		const url = new URL(request.url);
		const client = url.protocol === 'https:' ? https : http;
		const req = client.request(
			url,
			{
				method: request.method,
				headers: request.headers,
				timeout: request.timeoutMs,
				// A fresh connection per request: a pooled one would keep the certificate of another test.
				agent: false,
				...(url.protocol === 'https:' ? { ...request.tls, rejectUnauthorized: request.skipSslCertificateValidation !== true } : {}),
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
		req.on('error', reject);
		req.end(request.body);
	});

const deps = { transport: tlsTransport, sleep: async () => undefined };

const jwkOf = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig' });
const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const unregistered = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWT_SECRET = 'client-secret-jwt-secret-of-at-least-32-bytes';

let pki: TestPki;
const lab = useLab(() => {
	pki = createTestPki();
	return {
		LAB_PKI_DIR: pki.dir,
		LAB_OIDC_CLIENTS: JSON.stringify([
			{
				client_id: 'pkjwt-client',
				token_endpoint_auth_method: 'private_key_jwt',
				// cert-1: the key of the test PKI's client certificate, for assertions that carry x5t.
				jwks: { keys: [jwkOf(rsa.publicKey, 'rsa-1'), jwkOf(ec.publicKey, 'ec-1'), jwkOf(createPublicKey(pki.client.key), 'cert-1')] },
			},
			{ client_id: 'csjwt-client', client_secret: JWT_SECRET, token_endpoint_auth_method: 'client_secret_jwt' },
			{ client_id: 'mtls-client', token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: pki.client.subject },
		]),
	};
});

afterAll(() => {
	removeTestPki(pki);
});

beforeEach(async () => {
	await lab.reset();
});

const base = (overrides: Partial<TokenRequestConfig>): TokenRequestConfig => ({
	tokenUrl: lab.urls.oidcTokenUrl,
	grantType: 'client_credentials',
	clientId: 'pkjwt-client',
	clientSecret: '',
	clientAuthentication: 'privateKeyJwt',
	requestFormat: 'form',
	scope: 'read',
	...overrides,
});

const pkjwt = (overrides: Partial<TokenRequestConfig> = {}) => base({ privateKey: pemOf(rsa.privateKey), ...overrides });
const mtls = (overrides: Partial<TokenRequestConfig> = {}) =>
	base({
		tokenUrl: lab.urls.mtlsTokenUrl,
		clientId: 'mtls-client',
		clientAuthentication: 'tlsClientAuth',
		tls: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca },
		...overrides,
	});

async function lastTokenRequest(): Promise<TokenLogEntry> {
	const log = (await lab.stats()).tokenLog;
	expect(log.length).toBeGreaterThan(0);
	return log[log.length - 1];
}

async function apiStatus(accessToken: string): Promise<number> {
	const response = await fetch(`${lab.urls.apiUrl}/echo`, { headers: { authorization: `Bearer ${accessToken}` } });
	await response.arrayBuffer();
	return response.status;
}

async function failure(config: TokenRequestConfig, authenticator = new TokenAuthenticator({ retry: { retries: 0 } })): Promise<Error> {
	const outcome = await authenticator.getToken(config, deps).then(
		() => undefined,
		(error: unknown) => error as Error,
	);
	if (!outcome) throw new Error('expected the token request to fail');
	return outcome;
}

describe('private_key_jwt', () => {
	it.each([
		['RS256', 'rsa-1'],
		['PS256', 'rsa-1'],
		['ES256', 'ec-1'],
	] as const)('%s with kid %s gets a token the API accepts', async (signingAlgorithm, privateKeyId) => {
		const key = signingAlgorithm === 'ES256' ? ec.privateKey : rsa.privateKey;
		const token = await new TokenAuthenticator().getToken(pkjwt({ privateKey: pemOf(key), signingAlgorithm, privateKeyId }), deps);
		expect(await apiStatus(token.accessToken)).toBe(200);
		expect(await lastTokenRequest()).toMatchObject({ clientId: 'pkjwt-client', authMethod: 'assertion', status: 200, errorDetail: null });
	});

	it('works with the thumbprints of the key\'s certificate in the header (x5t, x5t#S256)', async () => {
		const config = pkjwt({ privateKey: pki.client.key, privateKeyCertificate: pki.client.cert, signingAlgorithm: 'ES256', privateKeyId: 'cert-1' });
		expect((await new TokenAuthenticator().getToken(config, deps)).accessToken).toBeTruthy();
		expect(await lastTokenRequest()).toMatchObject({ authMethod: 'assertion', status: 200 });
	});

	it('works without a kid: the server picks the key by its type', async () => {
		const token = await new TokenAuthenticator().getToken(pkjwt({ privateKeyId: '' }), deps);
		expect(token.accessToken).toBeTruthy();
	});

	it('a key the server does not know fails with its invalid_client', async () => {
		const error = await failure(pkjwt({ privateKey: pemOf(unregistered.privateKey), privateKeyId: 'rsa-1' }));
		expect(error).toBeInstanceOf(OAuth2TokenError);
		expect(error).toMatchObject({ status: 401, error: 'invalid_client', errorDescription: 'client authentication failed' });
		expect(error.message).toMatch(/refused the client assertion/);
		expect((await lastTokenRequest()).errorDetail).toMatch(/signature verification failed/);
	});

	it('an expired assertion (the clock of n8n ten minutes behind) fails with invalid_client and a hint about the clock', async () => {
		const behind: Clock = { now: () => Date.now() - 10 * 60_000 };
		const error = await failure(pkjwt(), new TokenAuthenticator({ clock: behind, retry: { retries: 0 } }));
		expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
		expect(error.message).toMatch(/clock is right/);
		expect((await lastTokenRequest()).errorDetail).toBe('jwt expired');
	});

	it('signs a new assertion for every token request, as the server refuses a jti it has seen', async () => {
		const authenticator = new TokenAuthenticator();
		const config = pkjwt();
		const first = await authenticator.getToken(config, deps);
		const second = await authenticator.getToken(config, deps, { rejectToken: first.accessToken });
		expect(second.accessToken).not.toBe(first.accessToken);
		expect((await lab.stats()).tokenLog.map((entry) => entry.status)).toEqual([200, 200]);
	});
});

describe('client_secret_jwt', () => {
	it('gets a token with an HS256 assertion', async () => {
		const token = await new TokenAuthenticator().getToken(base({ clientId: 'csjwt-client', clientAuthentication: 'clientSecretJwt', clientSecret: JWT_SECRET }), deps);
		expect(await apiStatus(token.accessToken)).toBe(200);
		expect(await lastTokenRequest()).toMatchObject({ clientId: 'csjwt-client', authMethod: 'assertion', status: 200 });
	});

	it('a wrong secret fails with invalid_client', async () => {
		const error = await failure(base({ clientId: 'csjwt-client', clientAuthentication: 'clientSecretJwt', clientSecret: `${JWT_SECRET}-wrong` }));
		expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
		expect((await lastTokenRequest()).errorDetail).toMatch(/signature verification failed/);
	});
});

describe('tls_client_auth', () => {
	it('gets a token with the certificate of the lab CA, client_id alone in the body', async () => {
		const token = await new TokenAuthenticator().getToken(mtls(), deps);
		expect(await apiStatus(token.accessToken)).toBe(200);
		expect(await lastTokenRequest()).toMatchObject({ clientId: 'mtls-client', authMethod: 'none', clientCertificate: pki.client.subject, status: 200 });
	});

	it('works with an encrypted certificate key and its passphrase', async () => {
		const tls = { cert: pki.client.cert, key: pki.client.encryptedKey, passphrase: pki.client.passphrase, ca: pki.ca };
		expect((await new TokenAuthenticator().getToken(mtls({ tls }), deps)).accessToken).toBeTruthy();
	});

	it('a certificate of another CA fails with the server\'s invalid_client', async () => {
		const error = await failure(mtls({ tls: { cert: pki.rogue.cert, key: pki.rogue.key, ca: pki.ca } }));
		expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
		expect(error.message).toMatch(/did not accept the client certificate/);
		expect(await lastTokenRequest()).toMatchObject({ clientCertificate: pki.client.subject, errorDetail: 'client certificate was not verified' });
	});

	it('a certificate the strict listener refuses ends the TLS handshake, and the error says so', async () => {
		const error = await failure(mtls({ tokenUrl: lab.urls.mtlsStrictTokenUrl, tls: { cert: pki.rogue.cert, key: pki.rogue.key, ca: pki.ca } }));
		expect(error).toBeInstanceOf(OAuth2TokenError);
		const code = (error as OAuth2TokenError).networkCode;
		// TLS 1.3 sends the alert after the client's handshake finished: the client sees either the alert or the reset.
		expect(code === 'ECONNRESET' || /^ERR_SSL_.*ALERT/.test(code ?? '')).toBe(true);
		expect(error.message).toMatch(/client certificate/);
		expect((await lab.stats()).tokenRequests.total).toBe(0);
	});

	it('without the lab CA the server certificate is not trusted', async () => {
		const error = (await failure(mtls({ tls: { cert: pki.client.cert, key: pki.client.key } }))) as OAuth2TokenError;
		expect(error.networkCode).toMatch(/CERT|SIGNATURE|ISSUER/);
		expect(error.message).toMatch(/TLS certificate was not accepted/);
	});

	it('refuses, before connecting, a key that does not belong to the certificate', async () => {
		const error = await failure(mtls({ tls: { cert: pki.client.cert, key: pki.rogue.key, ca: pki.ca } }));
		expect(error).toBeInstanceOf(OAuth2ConfigError);
		expect(error.message).toMatch(/does not belong to the client certificate/);
		expect((await lab.stats()).tokenRequests.total).toBe(0);
	});
});

describe('a client certificate with a client secret', () => {
	it('passes the strict listener, which refuses a connection without one', async () => {
		const config = base({
			tokenUrl: lab.urls.mtlsStrictTokenUrl,
			clientId: 'cc-basic',
			clientSecret: 'cc-basic-secret',
			clientAuthentication: 'header',
			tls: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca },
		});
		const token = await new TokenAuthenticator().getToken(config, deps);
		expect(token.accessToken).toBeTruthy();
		expect(await lastTokenRequest()).toMatchObject({ clientId: 'cc-basic', authMethod: 'basic', clientCertificate: pki.client.subject });

		const error = (await failure({ ...config, tls: { ca: pki.ca } })) as OAuth2TokenError;
		expect(error.networkCode).toMatch(/^ERR_SSL_.*ALERT|ECONNRESET/);
		expect(error.message).toMatch(/client certificate/);
	});
});

describe('discovery', () => {
	it('finds the token endpoint from the issuer, once, for private_key_jwt', async () => {
		const authenticator = new TokenAuthenticator();
		const config = pkjwt({ tokenUrl: '', issuerUrl: lab.urls.oidcIssuer });
		const sent: string[] = [];
		const counting = { ...deps, transport: ((request) => (sent.push(`${request.method} ${request.url}`), tlsTransport(request))) as Transport };
		const first = await authenticator.getToken(config, counting);
		await authenticator.getToken(config, counting, { rejectToken: first.accessToken });
		expect(sent).toEqual([
			`GET ${lab.urls.oidcIssuer}/.well-known/openid-configuration`,
			`POST ${lab.urls.oidcTokenUrl}`,
			`POST ${lab.urls.oidcTokenUrl}`,
		]);
		const log = (await lab.stats()).tokenLog;
		expect(log.map((entry) => [entry.clientId, entry.status])).toEqual([
			['pkjwt-client', 200],
			['pkjwt-client', 200],
		]);
	});

	it('sends tls_client_auth to the mTLS alias the metadata names (RFC 8705 §5)', async () => {
		const token = await new TokenAuthenticator().getToken(mtls({ tokenUrl: '', issuerUrl: lab.urls.oidcIssuer }), deps);
		expect(token.accessToken).toBeTruthy();
		expect(await lastTokenRequest()).toMatchObject({ clientId: 'mtls-client', clientCertificate: pki.client.subject, status: 200 });
	});

	it('says which issuer URLs it tried when the issuer is wrong', async () => {
		const error = await failure(pkjwt({ tokenUrl: '', issuerUrl: `${lab.urls.baseUrl}/nothing-here` }));
		expect(error.message).toMatch(/Could not find the token endpoint of issuer .*\/nothing-here\/\.well-known\/openid-configuration answered 404/);
		expect((await lab.stats()).tokenRequests.total).toBe(0);
	});
});
