import { constants, createHmac, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';

import {
	ASSERTION_LIFETIME_SECONDS,
	privateKeyAssertion,
	secretAssertion,
	type AssertionAlgorithm,
} from '../../../engine/assertion';
import { OAuth2ConfigError } from '../../../engine/error';

const NOW = 1_700_000_000_123;
const AUDIENCE = 'https://login.example.test/oauth2/token';

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ed25519 = generateKeyPairSync('ed25519');

interface Decoded {
	header: Record<string, unknown>;
	claims: Record<string, unknown>;
	signingInput: Buffer;
	signature: Buffer;
}

function decode(jwt: string): Decoded {
	const [header, claims, signature] = jwt.split('.');
	return {
		header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
		claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')),
		signingInput: Buffer.from(`${header}.${claims}`, 'ascii'),
		signature: Buffer.from(signature, 'base64url'),
	};
}

function build(privateKey: string, algorithm?: AssertionAlgorithm, keyId?: string): string {
	return privateKeyAssertion({ clientId: 'my-client', audience: AUDIENCE, now: NOW, privateKey, algorithm, keyId });
}

function configError(run: () => unknown): OAuth2ConfigError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(OAuth2ConfigError);
		return error as OAuth2ConfigError;
	}
	throw new Error('expected an OAuth2ConfigError');
}

describe('privateKeyAssertion', () => {
	it('carries the RFC 7523 claims: iss = sub = client id, aud = token endpoint, jti, iat, exp a few minutes ahead', () => {
		const { header, claims } = decode(build(pem(rsa.privateKey)));
		expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
		expect(claims).toEqual({
			iss: 'my-client',
			sub: 'my-client',
			aud: AUDIENCE,
			jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
			iat: Math.floor(NOW / 1000),
			exp: Math.floor(NOW / 1000) + ASSERTION_LIFETIME_SECONDS,
		});
		expect(ASSERTION_LIFETIME_SECONDS).toBeGreaterThanOrEqual(60);
		expect(ASSERTION_LIFETIME_SECONDS).toBeLessThanOrEqual(600);
	});

	it('uses a new jti for every assertion, and the one given', () => {
		const a = decode(build(pem(rsa.privateKey))).claims.jti;
		const b = decode(build(pem(rsa.privateKey))).claims.jti;
		expect(a).not.toBe(b);
		const fixed = privateKeyAssertion({ clientId: 'c', audience: AUDIENCE, now: NOW, privateKey: pem(rsa.privateKey), jti: 'j-1' });
		expect(decode(fixed).claims.jti).toBe('j-1');
	});

	it('signs RS256 with PKCS#1 v1.5 over SHA-256, verifiable with the public key', () => {
		const jwt = decode(build(pem(rsa.privateKey), 'RS256'));
		expect(verify('sha256', jwt.signingInput, rsa.publicKey, jwt.signature)).toBe(true);
		expect(verify('sha256', jwt.signingInput, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, jwt.signature)).toBe(false);
	});

	it('signs PS256 with RSA-PSS, MGF1-SHA-256 and a 32-byte salt', () => {
		const jwt = decode(build(pem(rsa.privateKey), 'PS256'));
		expect(jwt.header.alg).toBe('PS256');
		const pss = (saltLength: number) =>
			verify('sha256', jwt.signingInput, { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, jwt.signature);
		expect(pss(32)).toBe(true);
		expect(pss(20)).toBe(false);
		// Not PKCS#1 v1.5.
		expect(verify('sha256', jwt.signingInput, rsa.publicKey, jwt.signature)).toBe(false);
	});

	it('accepts an RSA-PSS key for PS256 but not for RS256', () => {
		const jwt = decode(build(pem(rsaPss.privateKey), 'PS256'));
		expect(verify('sha256', jwt.signingInput, { key: rsaPss.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, jwt.signature)).toBe(true);
		expect(configError(() => build(pem(rsaPss.privateKey), 'RS256')).message).toMatch(/does not match the signing algorithm RS256/);
	});

	it('signs ES256 with the 64-byte R || S encoding of JWS, not DER', () => {
		const jwt = decode(build(pem(ec.privateKey), 'ES256'));
		expect(jwt.signature).toHaveLength(64);
		expect(verify('sha256', jwt.signingInput, { key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature)).toBe(true);
	});

	it('puts the key ID in the header when one is given', () => {
		expect(decode(build(pem(ec.privateKey), 'ES256', ' key-2024 ')).header).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'key-2024' });
		expect(decode(build(pem(ec.privateKey), 'ES256', '  ')).header.kid).toBeUndefined();
	});

	it('reads a PKCS#1 RSA key and a SEC1 EC key (pasted "\\n" line breaks are the host\'s to repair)', () => {
		const pkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
		expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
		expect(() => build(pkcs1, 'RS256')).not.toThrow();
		const sec1 = ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString();
		expect(() => build(sec1, 'ES256')).not.toThrow();
	});

	describe('says what is wrong with the key', () => {
		it.each([
			['text that is not PEM', 'not a key at all', /not in PEM format/],
			['a public key', rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString(), /holds a "PUBLIC KEY" block, not a private key/],
			['a PEM with a broken body', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', /not a valid PEM private key/],
			[
				'an encrypted key',
				rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
				/encrypted with a passphrase/,
			],
		])('%s', (_label, key, message) => {
			const error = configError(() => build(key));
			expect(error.message).toMatch(message);
			expect(error.field).toBe('privateKey');
		});

		it('an empty key', () => {
			expect(configError(() => build('  ')).message).toMatch(/private key is missing/);
		});
	});

	describe('refuses a key that does not fit the algorithm', () => {
		it.each([
			['an EC key for RS256', pem(ec.privateKey), 'RS256', /EC key on prime256v1, RS256 needs an RSA key.*Choose ES256/],
			['an RSA key for ES256', pem(rsa.privateKey), 'ES256', /2048-bit RSA key, ES256 needs an EC key on the P-256 curve.*Choose RS256 or PS256/],
			['a P-384 key for ES256', pem(ec384.privateKey), 'ES256', /EC key on secp384r1/],
			['a 1024-bit RSA key', pem(rsa1024.privateKey), 'RS256', /1024-bit RSA key, RS256 needs an RSA key of at least 2048 bits/],
			['an Ed25519 key for PS256', pem(ed25519.privateKey), 'PS256', /ED25519 key/],
		] as Array<[string, string, AssertionAlgorithm, RegExp]>)('%s', (_label, key, algorithm, message) => {
			const error = configError(() => build(key, algorithm));
			expect(error.message).toMatch(message);
			expect(error.field).toBe('signingAlgorithm');
		});

		it('an algorithm it does not know', () => {
			expect(configError(() => build(pem(rsa.privateKey), 'HS256' as AssertionAlgorithm)).message).toMatch(/"HS256" is not supported; use RS256, PS256 or ES256/);
		});
	});

	it('never puts the private key into an error message', () => {
		const key = pem(ec.privateKey);
		const error = configError(() => build(key, 'RS256'));
		const body = key.split('\n')[1];
		expect(error.message).not.toContain(body);
	});
});

describe('secretAssertion', () => {
	const secret = 'a-client-secret-of-32-bytes-or-more!';

	it('is HS256 with the client secret as key, over the same claims', () => {
		const jwt = secretAssertion({ clientId: 'my-client', audience: AUDIENCE, now: NOW, clientSecret: secret, jti: 'j' });
		const { header, claims, signingInput, signature } = decode(jwt);
		expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
		expect(claims).toMatchObject({ iss: 'my-client', sub: 'my-client', aud: AUDIENCE, jti: 'j', iat: Math.floor(NOW / 1000) });
		expect(signature.equals(createHmac('sha256', secret).update(signingInput).digest())).toBe(true);
		expect(jwt).not.toContain(secret);
	});

	it('needs a secret', () => {
		expect(configError(() => secretAssertion({ clientId: 'c', audience: AUDIENCE, now: NOW, clientSecret: '' })).field).toBe('clientSecret');
	});
});
