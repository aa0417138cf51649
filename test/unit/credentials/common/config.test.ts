import {
	apiBaseUrlOf,
	grantTypeOf,
	headerSettingsOf,
	storedTokenOf,
	tokenConfigFromCredentials,
} from '../../../../credentials/common/credentialData';
import { CLIENT_CREDENTIALS_TYPE, USER_GRANT_TYPE } from '../../../../credentials/common/names';
import { checkStoredToken } from '../../../../credentials/common/tokenState';
import { tokenCacheKeyOf } from '../../../../engine';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { clientData, NOW, PASSWORD, passwordData, SECRET, TOKEN_URL, withToken } from '../../../support/credentialFixtures';

beforeEach(() => sharedAuthenticator.clear());

describe('tokenConfigFromCredentials', () => {
	it('maps every field n8n hands over', () => {
		const config = tokenConfigFromCredentials(
			clientData({
				tokenUrl: `  ${TOKEN_URL}  `,
				clientId: ' my-client ',
				clientAuthentication: 'body',
				requestFormat: 'json',
				scope: ' read write ',
				audience: ' https://api.example.test ',
				resource: 'https://r1.example',
				renewalMarginSeconds: 120,
				defaultLifetimeSeconds: 600,
				requestTimeoutSeconds: 5,
				ignoreSslIssues: true,
			}),
			'client_credentials',
		);
		expect(config).toEqual({
			tokenUrl: TOKEN_URL,
			grantType: 'client_credentials',
			clientId: 'my-client',
			clientSecret: SECRET,
			clientAuthentication: 'body',
			requestFormat: 'json',
			scope: 'read write',
			audience: 'https://api.example.test',
			resource: ['https://r1.example'],
			extraParameters: [],
			username: undefined,
			password: undefined,
			renewalMarginSeconds: 120,
			defaultLifetimeSeconds: 600,
			requestTimeoutSeconds: 5,
			ignoreSslIssues: true,
		});
	});

	it('keeps the client secret and password exactly as typed (no trimming)', () => {
		const config = tokenConfigFromCredentials(passwordData({ clientSecret: ' s p ', password: ' pw ' }), 'password');
		expect(config.clientSecret).toBe(' s p ');
		expect(config.password).toBe(' pw ');
	});

	it('reads username and password only for the password grant', () => {
		const data = passwordData({ username: ' alice ' });
		expect(tokenConfigFromCredentials(data, 'password')).toMatchObject({ grantType: 'password', username: 'alice', password: PASSWORD });
		const cc = tokenConfigFromCredentials(data, 'client_credentials');
		expect(cc.username).toBeUndefined();
		expect(cc.password).toBeUndefined();
	});

	it('splits several resources on spaces, commas and new lines', () => {
		const config = tokenConfigFromCredentials(
			clientData({ resource: ' https://a.example  https://b.example,https://c.example,\nhttps://d.example , ' }),
			'client_credentials',
		);
		expect(config.resource).toEqual(['https://a.example', 'https://b.example', 'https://c.example', 'https://d.example']);
	});

	it.each([[''], ['   '], [' , ,'], [undefined]])('has no resource for %p', (resource) => {
		expect(tokenConfigFromCredentials(clientData({ resource }), 'client_credentials').resource).toBeUndefined();
	});

	it('reads extra parameters from the fixedCollection shape, dropping rows without a name', () => {
		const config = tokenConfigFromCredentials(
			clientData({
				extraParameters: {
					parameter: [
						{ name: ' tenant ', value: 'acme' },
						{ name: '', value: 'dropped' },
						{ name: '   ', value: 'dropped too' },
						{ name: 'n', value: 5 },
						{ name: 'empty', value: null },
						{ name: 'kept spaces', value: ' v ' },
					],
				},
			}),
			'client_credentials',
		);
		expect(config.extraParameters).toEqual([
			{ name: 'tenant', value: 'acme' },
			{ name: 'n', value: '5' },
			{ name: 'empty', value: '' },
			{ name: 'kept spaces', value: ' v ' },
		]);
	});

	it.each([[{}], [undefined], [{ parameter: 'not a list' }], [[{ name: 'a', value: 'b' }]]])(
		'has no extra parameters for %p',
		(extraParameters) => {
			expect(tokenConfigFromCredentials(clientData({ extraParameters }), 'client_credentials').extraParameters).toEqual([]);
		},
	);

	it('defaults what is left empty', () => {
		const config = tokenConfigFromCredentials(
			{
				tokenUrl: TOKEN_URL,
				clientId: 'c',
				clientSecret: 's',
				clientAuthentication: '',
				requestFormat: '',
				scope: '',
				audience: '  ',
				defaultLifetimeSeconds: 0,
				requestTimeoutSeconds: 0,
				renewalMarginSeconds: 60,
			},
			'client_credentials',
		);
		expect(config).toMatchObject({
			clientAuthentication: 'header',
			requestFormat: 'form',
			scope: undefined,
			audience: undefined,
			resource: undefined,
			extraParameters: [],
			defaultLifetimeSeconds: 3600,
			requestTimeoutSeconds: 30,
			renewalMarginSeconds: 60,
			ignoreSslIssues: false,
		});
		expect(tokenConfigFromCredentials({ tokenUrl: TOKEN_URL }, 'client_credentials')).toMatchObject({
			clientId: '',
			clientSecret: '',
			clientAuthentication: 'header',
			requestFormat: 'form',
			defaultLifetimeSeconds: 3600,
			requestTimeoutSeconds: 30,
		});
	});

	it('reads numbers given as text, and falls back for negative or non-numeric ones', () => {
		const parsed = tokenConfigFromCredentials(
			clientData({ renewalMarginSeconds: '90', defaultLifetimeSeconds: ' 120 ', requestTimeoutSeconds: '7' }),
			'client_credentials',
		);
		expect(parsed).toMatchObject({ renewalMarginSeconds: 90, defaultLifetimeSeconds: 120, requestTimeoutSeconds: 7 });
		const bad = tokenConfigFromCredentials(
			clientData({ renewalMarginSeconds: -5, defaultLifetimeSeconds: 'soon', requestTimeoutSeconds: -1 }),
			'client_credentials',
		);
		expect(bad).toMatchObject({ renewalMarginSeconds: 60, defaultLifetimeSeconds: 3600, requestTimeoutSeconds: 30 });
	});

	it('keeps a renewal margin of 0 when asked for', () => {
		expect(tokenConfigFromCredentials(clientData({ renewalMarginSeconds: 0 }), 'client_credentials').renewalMarginSeconds).toBe(0);
	});

	// Source bug (reported): positiveNumber() in credentials/common/config.ts turns a missing or
	// empty value into Number('') === 0, so the fallback of 60 never applies and the renewal margin
	// silently becomes 0. n8n normally fills the field's default, but a cleared field, an imported
	// credential or a direct caller gets no margin at all.
	it('defaults the renewal margin to 60 s when the field is absent or empty', () => {
		const absent = clientData();
		delete absent.renewalMarginSeconds;
		expect(tokenConfigFromCredentials(absent, 'client_credentials').renewalMarginSeconds).toBe(60);
		expect(tokenConfigFromCredentials(clientData({ renewalMarginSeconds: '' }), 'client_credentials').renewalMarginSeconds).toBe(60);
	});

	it('ignores SSL issues only for a literal true', () => {
		expect(tokenConfigFromCredentials(clientData({ ignoreSslIssues: 'true' }), 'client_credentials').ignoreSslIssues).toBe(false);
		expect(tokenConfigFromCredentials(clientData({ ignoreSslIssues: true }), 'client_credentials').ignoreSslIssues).toBe(true);
	});

	it('gives a token cache key that changes with the token fields and not with the others', () => {
		const base = tokenCacheKeyOf(tokenConfigFromCredentials(clientData(), 'client_credentials'));
		const same = (overrides: Record<string, unknown>) =>
			tokenCacheKeyOf(tokenConfigFromCredentials(clientData(overrides), 'client_credentials')) === base;
		expect(same({ authHeaderName: 'X-Token', baseUrl: 'https://x.example', renewalMarginSeconds: 5 })).toBe(true);
		expect(same({ resource: 'https://a.example https://b.example' })).toBe(false);
		expect(same({ extraParameters: { parameter: [{ name: 'tenant', value: 'acme' }] } })).toBe(false);
		expect(same({ clientSecret: `${SECRET}x` })).toBe(false);
		expect(same({ ignoreSslIssues: true })).toBe(false);
	});
});

describe('grantTypeOf', () => {
	it('maps the credential type names to grants', () => {
		expect(grantTypeOf(CLIENT_CREDENTIALS_TYPE)).toBe('client_credentials');
		expect(grantTypeOf(USER_GRANT_TYPE)).toBe('password');
	});
});

describe('apiBaseUrlOf', () => {
	const instance = 'https://eu12.my.salesforce.example';

	it('is the credential\'s base URL, trimmed', () => {
		expect(apiBaseUrlOf(clientData({ baseUrl: ' https://api.example.test/v1 ' }))).toBe('https://api.example.test/v1');
		expect(apiBaseUrlOf(clientData())).toBe('');
	});

	it('is the token response\'s instance URL when the credential uses it', () => {
		expect(apiBaseUrlOf(clientData({ baseUrl: 'https://api.example.test', useInstanceUrl: true, instanceUrl: instance }))).toBe(instance);
	});

	it('stays the base URL while no instance URL is known, or when it is not used', () => {
		expect(apiBaseUrlOf(clientData({ baseUrl: 'https://api.example.test', useInstanceUrl: true, instanceUrl: '' }))).toBe(
			'https://api.example.test',
		);
		expect(apiBaseUrlOf(clientData({ baseUrl: 'https://api.example.test', useInstanceUrl: false, instanceUrl: instance }))).toBe(
			'https://api.example.test',
		);
	});
});

describe('headerSettingsOf and storedTokenOf', () => {
	it('reads the header settings', () => {
		expect(headerSettingsOf({})).toEqual({ name: 'Authorization', prefix: 'Bearer' });
		expect(headerSettingsOf({ authHeaderName: ' X-Key ', authHeaderPrefix: ' Token ' })).toEqual({ name: 'X-Key', prefix: 'Token' });
		expect(headerSettingsOf({ authHeaderPrefix: '' })).toEqual({ name: 'Authorization', prefix: '' });
	});

	it('reads the stored token fields, numbers given as text included', () => {
		expect(storedTokenOf({})).toEqual({ accessToken: '', expiresAt: 0, obtainedAt: 0, refreshToken: '', fingerprint: '' });
		expect(
			storedTokenOf({ accessToken: 'a', expiresAt: '1700000000000', issuedAt: 5, refreshToken: 'r', fingerprint: 'f' }),
		).toEqual({ accessToken: 'a', expiresAt: 1_700_000_000_000, obtainedAt: 5, refreshToken: 'r', fingerprint: 'f' });
	});
});

describe('checkStoredToken', () => {
	const HOUR = 3600_000;
	const stored = (overrides: Record<string, unknown> = {}, times = { expiresAt: NOW + HOUR, obtainedAt: NOW }) =>
		withToken(clientData(overrides), 'client_credentials', 'tok', times);

	it('is missing without a token', () => {
		expect(checkStoredToken(clientData(), CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('missing');
		expect(checkStoredToken({ ...stored(), accessToken: '  ' }, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('missing');
	});

	it('is valid for a fitting token with time left, and returns the config and the token cache key', () => {
		const data = stored();
		const check = checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW);
		expect(check.state).toBe('valid');
		expect(check.cacheKey).toBe(tokenCacheKeyOf(tokenConfigFromCredentials(data, 'client_credentials')));
		expect(check.config).toEqual(tokenConfigFromCredentials(data, 'client_credentials'));
	});

	it('is due within the margin at the time it is given, not the wall clock', () => {
		const data = stored({}, { expiresAt: NOW + HOUR, obtainedAt: NOW });
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW + HOUR - 61_000).state).toBe('valid');
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW + HOUR - 60_000).state).toBe('due');
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW + 2 * HOUR).state).toBe('due');
	});

	it('caps the margin at half the lifetime when the issue time is stored', () => {
		const data = stored({}, { obtainedAt: NOW, expiresAt: NOW + 10_000 });
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW + 4000).state).toBe('valid');
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW + 6000).state).toBe('due');
		const unknownIssue = { ...data, issuedAt: 0 };
		expect(checkStoredToken(unknownIssue, CLIENT_CREDENTIALS_TYPE, NOW + 4000).state).toBe('due');
	});

	it('is stale after a changed secret or scope, even when also due', () => {
		expect(checkStoredToken({ ...stored(), clientSecret: 'rotated' }, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('stale');
		expect(checkStoredToken({ ...stored(), scope: 'admin' }, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('stale');
		expect(checkStoredToken({ ...stored(), scope: 'admin' }, CLIENT_CREDENTIALS_TYPE, NOW + 2 * HOUR).state).toBe('stale');
		expect(checkStoredToken({ ...stored(), fingerprint: '' }, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('stale');
	});

	it('reads an object again when a field changed in it, also inside a nested value (the configuration is kept per object)', () => {
		const data = stored({ extraParameters: { parameter: [{ name: 'tenant', value: 'a' }] } });
		const first = checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW);
		expect(first.state).toBe('valid');
		const row = (data.extraParameters as { parameter: Array<{ value: string }> }).parameter[0];
		row.value = 'b';
		const changed = checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW);
		expect([changed.state, changed.cacheKey === first.cacheKey]).toEqual(['stale', false]);
		row.value = 'a';
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW)).toEqual(first);
		data.clientSecret = 'rotated';
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('stale');
		data.clientSecret = SECRET;
		expect(checkStoredToken(data, USER_GRANT_TYPE, NOW).state).toBe('stale');
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('valid');
		// A renewal writes a token and its times into the same object: they are read as written.
		Object.assign(data, { expiresAt: NOW + 10_000, issuedAt: NOW - HOUR });
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('due');
	});

	it('fingerprints by the credential type\'s grant', () => {
		const data = withToken(passwordData(), 'password', 'tok', { expiresAt: NOW + HOUR, obtainedAt: NOW });
		expect(checkStoredToken(data, USER_GRANT_TYPE, NOW).state).toBe('valid');
		expect(checkStoredToken(data, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('stale');
	});

	it('treats scope spelling that normalises the same as the same token', () => {
		const data = withToken(clientData({ scope: 'read write' }), 'client_credentials', 'tok', { expiresAt: NOW + HOUR, obtainedAt: NOW });
		expect(checkStoredToken({ ...data, scope: ' read,  write ' }, CLIENT_CREDENTIALS_TYPE, NOW).state).toBe('valid');
	});
});
