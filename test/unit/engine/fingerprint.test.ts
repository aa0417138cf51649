import { fingerprintOf } from '../../../engine/fingerprint';
import { config, passwordConfig, SECRET, PASSWORD } from './helpers';

describe('fingerprintOf', () => {
	it('is a stable sha256 hex digest', () => {
		const fingerprint = fingerprintOf(config());
		expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
		expect(fingerprintOf(config())).toBe(fingerprint);
	});

	it('never contains the secret or the password', () => {
		expect(fingerprintOf(passwordConfig())).not.toContain(SECRET);
		expect(fingerprintOf(passwordConfig())).not.toContain(PASSWORD);
	});

	it.each([
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
	])('changes with the %s', (_label, change) => {
		expect(fingerprintOf(config(change))).not.toBe(fingerprintOf(config()));
	});

	it('changes with the username and the password of the password grant', () => {
		const base = fingerprintOf(passwordConfig());
		expect(fingerprintOf(passwordConfig({ username: 'bob' }))).not.toBe(base);
		expect(fingerprintOf(passwordConfig({ password: 'other' }))).not.toBe(base);
	});

	it('does not change with equivalent spellings or settings that do not change the token', () => {
		const base = fingerprintOf(config({ scope: 'read write' }));
		expect(fingerprintOf(config({ scope: ' read,write\n' }))).toBe(base);
		expect(fingerprintOf(config({ scope: 'read write', tokenUrl: ' https://auth.example.test/oauth/token ' }))).toBe(base);
		expect(fingerprintOf(config({ scope: 'read write', renewalMarginSeconds: 10, requestTimeoutSeconds: 3, ignoreSslIssues: true }))).toBe(base);
		expect(fingerprintOf(config({ scope: 'read write', extraParameters: [{ name: '', value: 'x' }] }))).toBe(base);
	});

	it('keeps different extra parameter values apart', () => {
		const a = fingerprintOf(config({ extraParameters: [{ name: 'a', value: 'b,c' }] }));
		const b = fingerprintOf(config({ extraParameters: [{ name: 'a,b', value: 'c' }] }));
		expect(a).not.toBe(b);
	});
});
