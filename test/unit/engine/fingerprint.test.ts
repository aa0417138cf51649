import {
	fingerprintMatches,
	isCurrentFingerprint,
	legacyFingerprintOf,
	newFingerprint,
	tokenCacheKeyOf,
	trustKeyOf,
} from '../../../engine/fingerprint';
import type { TokenRequestConfig } from '../../../engine/types';
import { config, passwordConfig, SECRET, PASSWORD } from './helpers';

type Change = [string, Partial<TokenRequestConfig>];

const tokenFieldChanges: Change[] = [
	['token URL', { tokenUrl: 'https://other.example.test/token' }],
	['grant type', { grantType: 'password' as const, username: 'alice', password: 'x' }],
	['client ID', { clientId: 'other' }],
	['client secret', { clientSecret: 'other-secret' }],
	['client authentication', { clientAuthentication: 'body' as const }],
	['request format', { requestFormat: 'json' as const }],
	['scope', { scope: 'read' }],
	['audience', { audience: 'https://api' }],
	['resource', { resource: ['https://r/'] }],
	['extra parameters', { extraParameters: [{ name: 'tenant', value: 'a' }] }],
];

const trustChanges: Change[] = [
	['Ignore SSL Issues', { ignoreSslIssues: true }],
	['CA', { tls: { ca: 'ca-pem' } }],
	['client certificate', { tls: { cert: 'cert-pem', key: 'key-pem' } }],
];

describe('legacyFingerprintOf (0.2.0)', () => {
	it('is a stable sha256 hex digest without the secret or the password', () => {
		const fingerprint = legacyFingerprintOf(passwordConfig());
		expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
		expect(legacyFingerprintOf(passwordConfig())).toBe(fingerprint);
		expect(fingerprint).not.toContain(SECRET);
		expect(fingerprint).not.toContain(PASSWORD);
	});

	it('ignores what 0.2.0 ignored: equivalent spellings and the settings it did not count', () => {
		const base = legacyFingerprintOf(config({ scope: 'read write' }));
		expect(legacyFingerprintOf(config({ scope: ' read,write\n' }))).toBe(base);
		expect(legacyFingerprintOf(config({ scope: 'read write', renewalMarginSeconds: 10, requestTimeoutSeconds: 3, ignoreSslIssues: true }))).toBe(base);
	});
});

describe('tokenCacheKeyOf', () => {
	it.each(tokenFieldChanges)('changes with the %s', (_label, change) => {
		expect(tokenCacheKeyOf(config(change))).not.toBe(tokenCacheKeyOf(config()));
	});

	it.each(trustChanges)('changes with the trust setting %s', (_label, change) => {
		expect(tokenCacheKeyOf(config(change))).not.toBe(tokenCacheKeyOf(config()));
	});

	it('changes with the username and the password of the password grant', () => {
		const base = tokenCacheKeyOf(passwordConfig());
		expect(tokenCacheKeyOf(passwordConfig({ username: 'bob' }))).not.toBe(base);
		expect(tokenCacheKeyOf(passwordConfig({ password: 'other' }))).not.toBe(base);
	});

	it('does not change with equivalent spellings or settings that do not change the token', () => {
		const base = tokenCacheKeyOf(config({ scope: 'read write' }));
		expect(tokenCacheKeyOf(config({ scope: ' read,write\n' }))).toBe(base);
		expect(tokenCacheKeyOf(config({ scope: 'read write', tokenUrl: ' https://auth.example.test/oauth/token ' }))).toBe(base);
		expect(tokenCacheKeyOf(config({ scope: 'read write', renewalMarginSeconds: 10, requestTimeoutSeconds: 3 }))).toBe(base);
		expect(tokenCacheKeyOf(config({ scope: 'read write', extraParameters: [{ name: '', value: 'x' }] }))).toBe(base);
	});

	it('keeps different extra parameter values apart', () => {
		const a = tokenCacheKeyOf(config({ extraParameters: [{ name: 'a', value: 'b,c' }] }));
		const b = tokenCacheKeyOf(config({ extraParameters: [{ name: 'a,b', value: 'c' }] }));
		expect(a).not.toBe(b);
	});

	it('is neither the 0.2.0 fingerprint nor an unkeyed hash of the fields', () => {
		expect(tokenCacheKeyOf(config())).not.toBe(legacyFingerprintOf(config()));
		expect(tokenCacheKeyOf(config())).not.toMatch(/^[0-9a-f]{64}$/);
	});
});

describe('trustKeyOf', () => {
	it.each(trustChanges)('changes with %s and nothing else', (_label, change) => {
		expect(trustKeyOf(config(change))).not.toBe(trustKeyOf(config()));
		expect(trustKeyOf(config({ clientId: 'other', scope: 'x' }))).toBe(trustKeyOf(config()));
	});
});

describe('newFingerprint and fingerprintMatches', () => {
	it('salts: the same configuration gets a new value each time, each one matching it', () => {
		const a = newFingerprint(passwordConfig());
		const b = newFingerprint(passwordConfig());
		expect(a).not.toBe(b);
		expect(a).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
		expect(isCurrentFingerprint(a)).toBe(true);
		expect(fingerprintMatches(a, passwordConfig())).toBe(true);
		expect(fingerprintMatches(b, passwordConfig())).toBe(true);
	});

	it('gives every caller storing one token the same value', () => {
		expect(newFingerprint(config(), 'token-a')).toBe(newFingerprint(config(), 'token-a'));
		expect(newFingerprint(config(), 'token-a')).not.toBe(newFingerprint(config(), 'token-b'));
	});

	it.each([...tokenFieldChanges, ...trustChanges])('does not match after a change of the %s', (_label, change) => {
		expect(fingerprintMatches(newFingerprint(config()), config(change))).toBe(false);
	});

	it('does not match another password', () => {
		expect(fingerprintMatches(newFingerprint(passwordConfig()), passwordConfig({ password: 'guess' }))).toBe(false);
	});

	it('accepts the 0.2.0 form for the fields it covers, and nothing else', () => {
		const legacy = legacyFingerprintOf(passwordConfig());
		expect(isCurrentFingerprint(legacy)).toBe(false);
		expect(fingerprintMatches(legacy, passwordConfig())).toBe(true);
		expect(fingerprintMatches(legacy, passwordConfig({ password: 'other' }))).toBe(false);
		for (const value of ['', undefined, 'f', legacy.toUpperCase(), '$scrypt$ln=14,r=8,p=1$bad$bad', '$scrypt$ln=20,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
			expect(fingerprintMatches(value, passwordConfig())).toBe(false);
		}
	});

	it('checks a stored value once: the second check is a lookup', () => {
		const stored = newFingerprint(passwordConfig());
		const salt = stored.split('$')[3];
		// A value this process did not make, so the first check has to run scrypt.
		const foreign = stored.replace(salt, `${salt.slice(0, -2)}AA`);
		const time = (fn: () => unknown) => {
			const started = process.hrtime.bigint();
			fn();
			return Number(process.hrtime.bigint() - started) / 1e6;
		};
		const cold = time(() => fingerprintMatches(foreign, passwordConfig()));
		const warm = time(() => fingerprintMatches(foreign, passwordConfig()));
		expect(warm).toBeLessThan(cold);
	});
});

describe('the fields off the textbook (custom grant type, gateway headers, query parameters)', () => {
	// Made by 0.3.0 before these fields existed (git HEAD e1d6930), for config(), a scope and an extra
	// parameter, and passwordConfig(): what an existing credential has stored.
	const EXISTING: Array<[string, TokenRequestConfig, string, string]> = [
		[
			'client credentials',
			config(),
			'8a718d82b0b7c28d60245f4d3f9c8aea80e67a243243c15e60f45741f83b06d4',
			'$scrypt$ln=14,r=8,p=1$rvPKQnxalv02N1iGjZAsYg$tsLb8htcOm8buyDIa9OLGsc2D6LWkdVn8ft-sfuvzIY',
		],
		[
			'a scope and an extra parameter',
			config({ scope: 'read', extraParameters: [{ name: 'tenant', value: 'acme' }] }),
			'f032fa7c92230012438a74806f6ed95010a083cfa5534a5e127393a72c556137',
			'$scrypt$ln=14,r=8,p=1$DKQBbacwvUi2jwLI1bJEeg$ny36RgkCCvHVKD_pVs9zW1iDOzC8fIHHp5uv5WQS4FE',
		],
		[
			'the password grant',
			passwordConfig(),
			'52922ffae6437532d60c1cb54eac336d1b51492d6dbb4eeec07eaec5262079ce',
			'$scrypt$ln=14,r=8,p=1$21Y33YLHR4NJoRZCERiCQg$Srkam9qF-GCAUobLOwhFlulw7OnGIG-6DuJCwl-Uwt8',
		],
	];

	it.each(EXISTING)('an existing %s configuration keeps its legacy and stored fingerprints', (_label, existing, legacy, stored) => {
		expect(legacyFingerprintOf(existing)).toBe(legacy);
		expect(fingerprintMatches(legacy, existing)).toBe(true);
		expect(fingerprintMatches(stored, existing)).toBe(true);
	});

	it.each(EXISTING)('%s: the new fields at their defaults change nothing', (_label, existing, legacy, stored) => {
		const defaults: TokenRequestConfig = {
			...existing,
			extraHeaders: [],
			extraParameters: (existing.extraParameters ?? []).map((parameter) => ({ ...parameter, sendIn: 'body' as const })),
		};
		expect(legacyFingerprintOf(defaults)).toBe(legacy);
		expect(fingerprintMatches(stored, defaults)).toBe(true);
		expect(tokenCacheKeyOf(defaults)).toBe(tokenCacheKeyOf(existing));
		expect(tokenCacheKeyOf({ ...existing, extraHeaders: [{ name: '', value: 'x' }] })).toBe(tokenCacheKeyOf(existing));
	});

	const changes: Change[] = [
		['custom grant type', { customGrantType: 'account_credentials' }],
		['gateway header', { extraHeaders: [{ name: 'Ocp-Apim-Subscription-Key', value: 'key-1' }] }],
		['query-string extra parameter', { extraParameters: [{ name: 'tenant', value: 'acme', sendIn: 'query' }] }],
	];

	it.each(changes)('with a %s set, it is another configuration', (_label, change) => {
		const base = config({ extraParameters: [{ name: 'tenant', value: 'acme' }] });
		const changed = { ...base, ...change };
		expect(tokenCacheKeyOf(changed)).not.toBe(tokenCacheKeyOf(base));
		expect(legacyFingerprintOf(changed)).not.toBe(legacyFingerprintOf(base));
		expect(fingerprintMatches(newFingerprint(base), changed)).toBe(false);
		expect(fingerprintMatches(newFingerprint(changed), changed)).toBe(true);
	});

	it('tells custom grant types and gateway keys apart, and ignores the case of a header name', () => {
		const key = (overrides: Partial<TokenRequestConfig>) => tokenCacheKeyOf(config(overrides));
		expect(key({ customGrantType: 'account_credentials' })).not.toBe(key({ customGrantType: 'other_grant' }));
		expect(key({ customGrantType: ' account_credentials ' })).toBe(key({ customGrantType: 'account_credentials' }));
		const header = (name: string, value: string) => key({ extraHeaders: [{ name, value }] });
		expect(header('X-Api-Key', 'key-1')).not.toBe(header('X-Api-Key', 'key-2'));
		expect(header('X-Api-Key', 'key-1')).not.toBe(header('X-Other-Key', 'key-1'));
		expect(header('x-api-key', 'key-1')).toBe(header('X-Api-Key', 'key-1'));
	});

	it('never holds a gateway key in the stored fingerprint or its input', () => {
		const KEY = 'gw-Subscr1ption-K3y-abc';
		const withKey = config({ extraHeaders: [{ name: 'X-Api-Key', value: KEY }] });
		expect(newFingerprint(withKey)).not.toContain(KEY);
		expect(legacyFingerprintOf(withKey)).not.toContain(KEY);
	});
});
