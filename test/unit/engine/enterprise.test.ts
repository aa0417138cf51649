// Token requests with a JWT client assertion (private_key_jwt, client_secret_jwt) and mutual TLS
// (tls_client_auth, a client certificate with any method): what is sent, what is checked before,
// what is masked after.

import { generateKeyPairSync, verify, X509Certificate } from 'node:crypto';

import { TokenAuthenticator } from '../../../engine/tokenAuthenticator';
import { CLIENT_ASSERTION_TYPE } from '../../../engine/assertion';
import { OAuth2ConfigError, OAuth2TokenError } from '../../../engine/error';
import { legacyFingerprintOf, tokenCacheKeyOf } from '../../../engine/fingerprint';
import { buildTokenRequest } from '../../../engine/request';
import { checkTls } from '../../../engine/tls';
import { requestSecretsOf } from '../../../engine/token';
import type { TokenRequestConfig } from '../../../engine/types';
import { createTestPki, removeTestPki, type TestPki } from '../../servers/certificates';
import { config, FakeClock, fakeTransport, formOf, jsonOf, jsonResponse, networkError, recordingSleep, SECRET, tokenResponse } from './helpers';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const NOW = 1_700_000_000_000;

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

let pki: TestPki;
beforeAll(() => {
	pki = createTestPki();
});
afterAll(() => removeTestPki(pki));

const pkjwt = (overrides: Partial<TokenRequestConfig> = {}) =>
	config({ clientAuthentication: 'privateKeyJwt', clientSecret: '', privateKey: PRIVATE_KEY, ...overrides });
const mtls = (overrides: Partial<TokenRequestConfig> = {}) =>
	config({ clientAuthentication: 'tlsClientAuth', clientSecret: '', tls: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca }, ...overrides });

describe('buildTokenRequest with a client assertion', () => {
	it('private_key_jwt: client_id, client_assertion_type and a signed assertion for the token URL, no secret, no Basic header', () => {
		const request = buildTokenRequest(pkjwt({ scope: 'read' }), 'client_credentials', undefined, { now: NOW });
		const form = formOf(request);
		expect([...form.keys()]).toEqual(['grant_type', 'client_id', 'client_assertion_type', 'client_assertion', 'scope']);
		expect(form.get('client_id')).toBe('my-client');
		expect(form.get('client_assertion_type')).toBe(CLIENT_ASSERTION_TYPE);
		expect(request.headers.Authorization).toBeUndefined();
		const assertion = form.get('client_assertion') as string;
		expect(claimsOf(assertion)).toMatchObject({ iss: 'my-client', sub: 'my-client', aud: 'https://auth.example.test/oauth/token', iat: NOW / 1000 });
		const [header, claims, signature] = assertion.split('.');
		expect(verify('sha256', Buffer.from(`${header}.${claims}`), rsa.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
		expect(request.secrets).toEqual([assertion]);
	});

	it('client_secret_jwt: HS256 with the secret, the secret itself never sent', () => {
		const request = buildTokenRequest(config({ clientAuthentication: 'clientSecretJwt' }), 'client_credentials');
		expect(request.body).not.toContain(encodeURIComponent(SECRET));
		const assertion = formOf(request).get('client_assertion') as string;
		expect(JSON.parse(Buffer.from(assertion.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
		expect(formOf(request).get('client_secret')).toBeNull();
	});

	it('puts the assertion into a JSON body too', () => {
		const body = jsonOf(buildTokenRequest(pkjwt({ requestFormat: 'json' }), 'client_credentials'));
		expect(body).toMatchObject({ client_id: 'my-client', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: expect.any(String) });
	});

	it('signs a new assertion (new jti) for every request', () => {
		const a = formOf(buildTokenRequest(pkjwt(), 'client_credentials')).get('client_assertion') as string;
		const b = formOf(buildTokenRequest(pkjwt(), 'client_credentials')).get('client_assertion') as string;
		expect(claimsOf(a).jti).not.toBe(claimsOf(b).jti);
	});

	it('does not let an extra parameter set the assertion', () => {
		expect(() => buildTokenRequest(pkjwt({ extraParameters: [{ name: 'client_assertion', value: 'x' }] }), 'client_credentials')).toThrow(
			/cannot be set/,
		);
	});

	it.each([
		['no private key', pkjwt({ privateKey: '' }), 'privateKey', /private key is missing/],
		['an unknown algorithm', pkjwt({ signingAlgorithm: 'RS512' as never }), 'signingAlgorithm', /"RS512" is not supported/],
		['an EC key for PS256', pkjwt({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), signingAlgorithm: 'PS256' }), 'signingAlgorithm', /does not match the signing algorithm PS256/],
		['client_secret_jwt without a secret', config({ clientAuthentication: 'clientSecretJwt', clientSecret: '' }), 'clientSecret', /client secret JWT signs/],
	])('refuses %s before anything is sent', (_label, bad, field, message) => {
		let error: unknown;
		try {
			buildTokenRequest(bad, 'client_credentials');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(OAuth2ConfigError);
		expect((error as OAuth2ConfigError).field).toBe(field);
		expect((error as Error).message).toMatch(message);
	});
});

describe('private_key_jwt with the certificate of the key (Microsoft Entra ID)', () => {
	/** The fingerprint node:crypto prints ("AB:CD:..."), as base64url: computed apart from the assertion code. */
	const thumbprint = (colonHex: string) => Buffer.from(colonHex.replace(/:/g, ''), 'hex').toString('base64url');
	const headerOf = (request: ReturnType<typeof buildTokenRequest>) =>
		JSON.parse(Buffer.from((formOf(request).get('client_assertion') as string).split('.')[0], 'base64url').toString()) as Record<string, string>;

	it('sends the SHA-1 and SHA-256 thumbprints of the certificate as x5t and x5t#S256', () => {
		const request = buildTokenRequest(
			pkjwt({ privateKey: pki.client.key, signingAlgorithm: 'ES256', privateKeyCertificate: pki.client.cert }),
			'client_credentials',
		);
		const certificate = new X509Certificate(pki.client.cert);
		expect(headerOf(request)).toEqual({
			alg: 'ES256',
			typ: 'JWT',
			x5t: thumbprint(certificate.fingerprint),
			'x5t#S256': thumbprint(certificate.fingerprint256),
		});
	});

	it('refuses a certificate that is not the key\'s, and text that is no certificate', () => {
		const config = pkjwt({ privateKey: pki.client.key, signingAlgorithm: 'ES256', privateKeyCertificate: pki.rogue.cert });
		expect(() => buildTokenRequest(config, 'client_credentials')).toThrow(/does not belong to the private key/);
		expect(() => buildTokenRequest({ ...config, privateKeyCertificate: 'abc' }, 'client_credentials')).toThrow(
			/certificate of the private key is not a PEM certificate/,
		);
	});

	it('counts the certificate in the fingerprint', () => {
		const base = pkjwt({ privateKey: pki.client.key, signingAlgorithm: 'ES256' });
		expect(tokenCacheKeyOf({ ...base, privateKeyCertificate: pki.client.cert })).not.toBe(tokenCacheKeyOf(base));
	});
});

describe('buildTokenRequest with mutual TLS', () => {
	it('tls_client_auth: client_id in the body, nothing else, and the certificate for the connection', () => {
		const request = buildTokenRequest(mtls(), 'client_credentials');
		expect([...formOf(request).keys()]).toEqual(['grant_type', 'client_id']);
		expect(request.headers.Authorization).toBeUndefined();
		expect(request.tls).toEqual({ cert: pki.client.cert.trim(), key: pki.client.key.trim(), ca: pki.ca.trim() });
	});

	it('presents a certificate with any other method too, and passes a CA bundle alone', () => {
		const basic = buildTokenRequest(config({ tls: { cert: pki.client.cert, key: pki.client.key } }), 'client_credentials');
		expect(basic.headers.Authorization).toMatch(/^Basic /);
		expect(basic.tls?.cert).toBe(pki.client.cert.trim());
		expect(buildTokenRequest(config({ tls: { ca: pki.ca, cert: ' ', key: '' } }), 'client_credentials').tls).toEqual({ ca: pki.ca.trim() });
		expect(buildTokenRequest(config(), 'client_credentials').tls).toBeUndefined();
	});

	it('keeps the passphrase of an encrypted key', () => {
		const request = buildTokenRequest(mtls({ tls: { cert: pki.client.cert, key: pki.client.encryptedKey, passphrase: pki.client.passphrase } }), 'client_credentials');
		expect(request.tls?.passphrase).toBe(pki.client.passphrase);
	});

	it('refuses tls_client_auth over http://, where no certificate can be shown', () => {
		expect(() => buildTokenRequest(mtls({ tokenUrl: 'http://auth.example.test/token' }), 'client_credentials')).toThrow(/needs an https:\/\/ token URL/);
	});
});

describe('checkTls', () => {
	const error = (tls: Parameters<typeof checkTls>[0]) => {
		try {
			checkTls(tls);
		} catch (e) {
			expect(e).toBeInstanceOf(OAuth2ConfigError);
			return e as OAuth2ConfigError;
		}
		throw new Error('expected an OAuth2ConfigError');
	};

	it('accepts a matching certificate and key, an encrypted key with its passphrase, a CA alone, nothing', () => {
		expect(() => checkTls({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca })).not.toThrow();
		expect(() => checkTls({ cert: pki.client.cert, key: pki.client.encryptedKey, passphrase: pki.client.passphrase })).not.toThrow();
		expect(() => checkTls({ ca: pki.ca })).not.toThrow();
		expect(() => checkTls(undefined)).not.toThrow();
	});

	it.each([
		['a certificate without key', () => ({ cert: pki.client.cert }), 'tls.key', /key is missing/],
		['a key without certificate', () => ({ key: pki.client.key }), 'tls.cert', /client certificate is missing/],
		['the key of another certificate', () => ({ cert: pki.client.cert, key: pki.rogue.key }), 'tls.key', /does not belong to the client certificate/],
		['a key in the certificate field', () => ({ cert: pki.client.key, key: pki.client.key }), 'tls.cert', /not a PEM certificate \(it is a "PRIVATE KEY" block\)/],
		['a certificate in the key field', () => ({ cert: pki.client.cert, key: pki.client.cert }), 'tls.key', /"CERTIFICATE" block, not a private key/],
		['an encrypted key without passphrase', () => ({ cert: pki.client.cert, key: pki.client.encryptedKey }), 'tls.passphrase', /encrypted; enter its passphrase/],
		['a wrong passphrase', () => ({ cert: pki.client.cert, key: pki.client.encryptedKey, passphrase: 'nope' }), 'tls.passphrase', /passphrase is wrong/],
		['a broken certificate', () => ({ cert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', key: pki.client.key }), 'tls.cert', /not a valid PEM certificate/],
		['a CA bundle that is not PEM', () => ({ ca: 'my-ca.pem' }), 'tls.ca', /CA certificate is not a PEM certificate/],
	])('names %s', (_label, tls, field, message) => {
		const e = error(tls());
		expect(e.field).toBe(field);
		expect(e.message).toMatch(message);
		expect(e.message).not.toContain(pki.client.key.split('\n')[1]);
	});
});

describe('TokenAuthenticator with the enterprise methods', () => {
	const deps = (transport: ReturnType<typeof fakeTransport>) => ({ transport, sleep: recordingSleep() });

	it('builds a new assertion for every retry, so the server never sees a jti twice', async () => {
		const authenticator = new TokenAuthenticator({ clock: new FakeClock(NOW), retry: { retries: 2 } });
		const transport = fakeTransport((_request, call) => {
			if (call === 1) throw networkError('ECONNRESET');
			return call === 2 ? jsonResponse(503, { error: 'temporarily_unavailable' }) : tokenResponse('t');
		});
		await authenticator.getToken(pkjwt(), deps(transport));
		const jtis = transport.calls.map((request) => claimsOf(formOf(request).get('client_assertion') as string).jti);
		expect(jtis).toHaveLength(3);
		expect(new Set(jtis).size).toBe(3);
	});

	it('signs with the injected clock, so a skewed clock is what the server sees', async () => {
		const clock = new FakeClock(NOW - 10 * 60_000);
		const authenticator = new TokenAuthenticator({ clock });
		const transport = fakeTransport(() => tokenResponse('t'));
		await authenticator.getToken(pkjwt(), deps(transport));
		const claims = claimsOf(formOf(transport.calls[0]).get('client_assertion') as string);
		expect(claims.iat).toBe((NOW - 10 * 60_000) / 1000);
	});

	it('explains an invalid_client answer to an assertion, mentioning the clock, and shows neither assertion nor key', async () => {
		const authenticator = new TokenAuthenticator({ clock: new FakeClock(NOW) });
		let assertion = '';
		const transport = fakeTransport((request) => {
			assertion = formOf(request).get('client_assertion') as string;
			return jsonResponse(401, { error: 'invalid_client', error_description: `assertion ${assertion} expired; key ${PRIVATE_KEY.split('\n')[2]}` });
		});
		const error = (await authenticator.getToken(pkjwt(), deps(transport)).catch((e: unknown) => e)) as OAuth2TokenError;
		expect(error).toBeInstanceOf(OAuth2TokenError);
		expect(error.error).toBe('invalid_client');
		expect(error.message).toMatch(/refused the client assertion/);
		expect(error.message).toMatch(/clock/);
		expect(error.message).not.toContain(assertion);
		expect(error.message).not.toContain(PRIVATE_KEY.split('\n')[2]);
	});

	it('explains invalid_client to a certificate, and a TLS alert during the handshake', async () => {
		const authenticator = new TokenAuthenticator({ retry: { retries: 0 } });
		const refused = fakeTransport(() => jsonResponse(401, { error: 'invalid_client', error_description: 'client authentication failed' }));
		const first = (await authenticator.getToken(mtls(), deps(refused)).catch((e: unknown) => e)) as Error;
		expect(first.message).toMatch(/did not accept the client certificate.*registered for this client/);

		const alert = fakeTransport(() => {
			throw networkError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required');
		});
		const second = (await authenticator.getToken(config({ tokenUrl: 'https://mtls.example.test/token' }), deps(alert)).catch((e: unknown) => e)) as Error;
		expect(second.message).toMatch(/TLS handshake refused by the server \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\)/);
		expect(second.message).toMatch(/probably wants a client certificate/);
	});

	it('masks the certificate key and its passphrase in every message', async () => {
		const authenticator = new TokenAuthenticator({ retry: { retries: 0 } });
		const tls = { cert: pki.client.cert, key: pki.client.encryptedKey, passphrase: pki.client.passphrase };
		const echo = fakeTransport(() => jsonResponse(400, { error: 'invalid_request', error_description: `got ${tls.passphrase} and ${tls.key}` }));
		const error = (await authenticator.getToken(mtls({ tls }), deps(echo)).catch((e: unknown) => e)) as Error;
		expect(error.message).toMatch(/got \*\*\* and/);
		expect(error.message).not.toContain(tls.passphrase);
		for (const line of tls.key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(error.message).not.toContain(line);
	});

	it('counts the key, the key ID, the algorithm and the certificate in the fingerprint', () => {
		const base = tokenCacheKeyOf(pkjwt());
		const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
		for (const change of [{ privateKey: otherKey }, { privateKeyId: 'k2' }, { signingAlgorithm: 'PS256' as const }, { tls: { cert: pki.client.cert, key: pki.client.key } }]) {
			expect(tokenCacheKeyOf(pkjwt(change))).not.toBe(base);
		}
		expect(tokenCacheKeyOf(mtls())).not.toBe(tokenCacheKeyOf(mtls({ tls: { cert: pki.rogue.cert, key: pki.rogue.key, ca: pki.ca } })));
		// Without any of the new settings, a configuration keeps the 0.2.0 fingerprint its stored token was made with.
		expect(legacyFingerprintOf(config({ tls: { cert: '', key: '' }, issuerUrl: '' }))).toBe(legacyFingerprintOf(config()));
		// A key that is not used does not count.
		expect(tokenCacheKeyOf(config({ privateKey: PRIVATE_KEY }))).toBe(tokenCacheKeyOf(config()));
		expect(legacyFingerprintOf(config({ privateKey: PRIVATE_KEY }))).toBe(legacyFingerprintOf(config()));
	});

	it('lists the key, its base64 lines and the passphrase among the secrets to mask', () => {
		const secrets = requestSecretsOf(pkjwt({ tls: { cert: pki.client.cert, key: pki.client.key, passphrase: 'pp' } }));
		expect(secrets).toEqual(expect.arrayContaining([PRIVATE_KEY.trim(), PRIVATE_KEY.split('\n')[1], pki.client.key.trim(), 'pp']));
		expect(secrets).not.toContain(pki.client.cert.trim());
	});
});
