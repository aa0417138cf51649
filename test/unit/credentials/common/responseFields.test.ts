// "Token Response Fields" (issue 15 item 3): the form fields, how they are read into the engine's
// config, that they leave fingerprints alone, and what pre-authentication makes of token responses
// that are not textbook, in n8n's words.

import type { ICredentialDataDecryptedObject, IHttpRequestHelper, INodeProperties } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../../../credentials/PasswordGrantOAuth2Api.credentials';
import { tokenConfigFromCredentials } from '../../../../credentials/common/credentialData';
import { preAuthenticationFor } from '../../../../credentials/common/preAuthentication';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { fingerprintMatches, legacyFingerprintOf, newFingerprint, tokenCacheKeyOf } from '../../../../engine';
import { clientData, NOW, passwordData, tokenEndpoint, type EndpointAnswer } from '../../../support/credentialFixtures';
import { assertNoLeaks, errorText } from '../../../support/leakSearch';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

const client = new ClientCredentialsOAuth2Api();
const PATH_FIELDS = ['responseAccessPath', 'responseExpiryPath', 'responseRefreshPath'];

function named(name: string): INodeProperties {
	const property = client.properties.find((p) => p.name === name);
	if (!property) throw new Error(`no field ${name}`);
	return property;
}

const custom = (fields: Record<string, unknown>) => clientData({ responseFields: 'custom', ...fields });

beforeEach(() => {
	sharedAuthenticator.clear();
	jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => jest.restoreAllMocks());

describe('the form fields', () => {
	it('come right after Default Token Lifetime, in both credential types', () => {
		for (const type of [client, new PasswordGrantOAuth2Api()]) {
			const names = type.properties.map((p) => p.name);
			const at = names.indexOf('defaultLifetimeSeconds');
			expect(names.slice(at + 1, at + 5)).toEqual(['responseFields', ...PATH_FIELDS]);
		}
	});

	it('detect automatically by default; the paths show only with Name the Fields, the token path required there', () => {
		const mode = named('responseFields');
		expect(mode).toMatchObject({ displayName: 'Token Response Fields', type: 'options', default: 'auto' });
		expect((mode.options as Array<{ name: string; value: string }>).map((o) => [o.name, o.value])).toEqual([
			['Detect Automatically', 'auto'],
			['Name the Fields', 'custom'],
		]);
		for (const name of PATH_FIELDS) {
			expect(named(name)).toMatchObject({ type: 'string', default: '', displayOptions: { show: { responseFields: ['custom'] } } });
		}
		expect(named('responseAccessPath')).toMatchObject({ displayName: 'Access Token Field', required: true });
		expect(named('responseExpiryPath').required).toBeFalsy();
		expect(named('responseRefreshPath').required).toBeFalsy();
	});

	it("have names n8n's credential-password-field lint does not take for secrets, and are no password fields", () => {
		// The rule's test: the lower-cased name holds a sensitive word and none of url, pub, id.
		const sensitive = ['password', 'secret', 'token', 'cert', 'passphrase', 'apikey', 'secretkey', 'privatekey', 'authkey'];
		for (const name of ['responseFields', ...PATH_FIELDS]) {
			expect(sensitive.some((word) => name.toLowerCase().includes(word))).toBe(false);
			expect(named(name).typeOptions?.password).toBeUndefined();
		}
	});
});

describe('tokenConfigFromCredentials', () => {
	it('adds nothing for a credential saved before the fields existed, or left at Detect Automatically', () => {
		const old = clientData();
		delete old.responseFields;
		expect('responseFields' in tokenConfigFromCredentials(old, 'client_credentials')).toBe(false);
		expect('responseFields' in tokenConfigFromCredentials(clientData(), 'client_credentials')).toBe(false);
		// Paths left behind after switching back to automatic are not used.
		expect('responseFields' in tokenConfigFromCredentials(clientData({ responseAccessPath: 'a.b' }), 'client_credentials')).toBe(false);
	});

	it('reads the named paths, trimmed, each only when given', () => {
		const all = custom({ responseAccessPath: ' payload.credentials.bearer ', responseExpiryPath: 'payload.credentials.validUntil', responseRefreshPath: 'payload.renewal' });
		expect(tokenConfigFromCredentials(all, 'client_credentials').responseFields).toEqual({
			accessToken: 'payload.credentials.bearer',
			expiry: 'payload.credentials.validUntil',
			refreshToken: 'payload.renewal',
		});
		expect(tokenConfigFromCredentials(custom({ responseAccessPath: 'data.jwt' }), 'client_credentials').responseFields).toEqual({ accessToken: 'data.jwt' });
		expect(tokenConfigFromCredentials(passwordData({ responseFields: 'custom', responseRefreshPath: 'r' }), 'password').responseFields).toEqual({ refreshToken: 'r' });
		expect('responseFields' in tokenConfigFromCredentials(custom({ responseAccessPath: '  ' }), 'client_credentials')).toBe(false);
	});

	it('leave the token cache key, the stored fingerprint and the legacy fingerprint as they were (they do not change which token is issued)', () => {
		const plain = tokenConfigFromCredentials(clientData(), 'client_credentials');
		const named = tokenConfigFromCredentials(custom({ responseAccessPath: 'data.jwt', responseExpiryPath: 'data.exp', responseRefreshPath: 'data.r' }), 'client_credentials');
		expect(named.responseFields).toBeDefined();
		expect(tokenCacheKeyOf(named)).toBe(tokenCacheKeyOf(plain));
		expect(legacyFingerprintOf(named)).toBe(legacyFingerprintOf(plain));
		expect(fingerprintMatches(newFingerprint(plain), named)).toBe(true);
		expect(fingerprintMatches(newFingerprint(named), plain)).toBe(true);
	});
});

function preAuth(data: ICredentialDataDecryptedObject, answer: () => EndpointAnswer) {
	const endpoint = tokenEndpoint(answer);
	const helper = { helpers: { httpRequest: endpoint.httpRequest } } as unknown as IHttpRequestHelper;
	return { endpoint, result: preAuthenticationFor(data.username ? 'password' : 'client_credentials').call(helper, data) };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the token request to fail');
}

const AT = 'nested-access-0123456789';
const RT = 'nested-refresh-9876543210';

describe('pre-authentication with responses off the textbook', () => {
	it('stores a nested token, its refresh token and expiry, with Detect Automatically', async () => {
		const { result } = preAuth(passwordData(), () => ({ statusCode: 200, body: { code: 0, data: { accessToken: AT, refreshToken: RT, expiresIn: 900 } } }));
		expect(await result).toMatchObject({ accessToken: AT, refreshToken: RT, expiresAt: NOW + 900_000, instanceUrl: '' });
	});

	it('stores a form-encoded token served as text/plain', async () => {
		const { result } = preAuth(clientData(), () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: `access_token=${AT}&token_type=bearer&expires=600` }));
		expect(await result).toMatchObject({ accessToken: AT, expiresAt: NOW + 600_000, accessTokenType: 'Bearer' });
	});

	it('stores the fields at the named paths', async () => {
		const body = { payload: { credentials: { bearer: AT, validUntil: new Date(NOW + 1_200_000).toISOString() } }, instance_url: 'https://eu.example.test' };
		const { result } = preAuth(custom({ responseAccessPath: 'payload.credentials.bearer', responseExpiryPath: 'payload.credentials.validUntil', useInstanceUrl: true }), () => ({ statusCode: 200, body }));
		expect(await result).toMatchObject({ accessToken: AT, expiresAt: NOW + 1_200_000, instanceUrl: 'https://eu.example.test' });
	});

	it('without a token: the error names the form fields to set, in n8n\'s words, and no value', async () => {
		const { result } = preAuth(clientData(), () => ({ statusCode: 200, body: { payload: { credentials: { bearer: AT } } } }));
		const error = await failure(result);
		expect(error.message).toContain('the response has no access_token.');
		expect(error.message).toContain('the response has members: payload {credentials {bearer}}');
		expect(error.message).toContain('name its field: Token Response Fields, then Access Token Field (a path such as data.jwt).');
		assertNoLeaks(errorText(error), [AT], 'no token');
	});

	it('a named path that holds nothing: the error names the path and the field', async () => {
		const { result } = preAuth(custom({ responseAccessPath: 'payload.token' }), () => ({ statusCode: 200, body: { payload: { credentials: { bearer: AT } } } }));
		const error = await failure(result);
		expect(error.message).toContain('the response has no access token at payload.token.');
		expect(error.message).toContain('Check Access Token Field');
		assertNoLeaks(errorText(error), [AT], 'named path');
	});

	it('a path that is no path: a configuration error naming the field, before any request', async () => {
		const { endpoint, result } = preAuth(custom({ responseAccessPath: 'payload..token' }), () => ({ statusCode: 200, body: {} }));
		const error = await failure(result);
		expect(error.message).toContain('The Access Token Field "payload..token" is not a field path');
		expect(endpoint.calls).toHaveLength(0);
	});
});
