import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../../../credentials/PasswordGrantOAuth2Api.credentials';
import { n8nTransport } from '../../../../credentials/common/tokenTransport';
import { preAuthenticationFor, TokenFetchError } from '../../../../credentials/common/preAuthentication';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import {
	type Answer,
	clientData,
	fingerprintFits,
	fingerprintFor,
	issueTokens,
	NOW,
	PASSWORD,
	passwordData,
	SECRET,
	TOKEN_URL,
	tokenEndpoint,
	type FakeTokenEndpoint,
} from '../../../support/credentialFixtures';

// The engine waits between retries of a failed token request with n8n-workflow's sleep.
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

type PreAuthentication = (this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) => Promise<IDataObject>;

const HOUR = 3600_000;

function preAuth(grant: 'client_credentials' | 'password', endpoint: FakeTokenEndpoint, data: ICredentialDataDecryptedObject) {
	const fn = preAuthenticationFor(grant);
	const helper = { helpers: { httpRequest: endpoint.httpRequest } } as unknown as IHttpRequestHelper;
	return fn.call(helper, data);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the token request to fail');
}

/** Everything an error shows: message, stack and its own fields. */
function everythingIn(error: Error): string {
	return [error.message, error.stack ?? '', JSON.stringify(error)].join('\n');
}

function basicOf(id: string, secret: string): string {
	return Buffer.from(`${id}:${secret}`).toString('base64');
}

beforeEach(() => {
	sharedAuthenticator.clear();
	jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => {
	jest.restoreAllMocks();
});

describe('preAuthentication for client credentials', () => {
	it('fetches a token and returns the hidden fields to store', async () => {
		const endpoint = tokenEndpoint(() => ({
			statusCode: 200,
			body: {
				access_token: 'at-1',
				token_type: 'bearer',
				expires_in: 1800,
				refresh_token: 'rt-1',
				scope: 'read write',
				instance_url: 'https://eu1.instance.example.com',
			},
		}));
		const data = clientData({ scope: 'read write' });
		const fields = await preAuth('client_credentials', endpoint, data);
		expect(fields).toEqual({
			accessToken: 'at-1',
			expiresAt: NOW + 1800_000,
			issuedAt: NOW,
			refreshToken: 'rt-1',
			fingerprint: expect.stringMatching(/^\$scrypt\$/),
			accessTokenType: 'Bearer',
			grantedScope: 'read write',
			instanceUrl: 'https://eu1.instance.example.com',
			basicCredentialsForm: 'encoded',
		});
		expect(fingerprintFits(fields.fingerprint, data, 'client_credentials')).toBe(true);
	});

	it('sends one token request through n8n\'s httpRequest, asking for the full response whatever the status', async () => {
		const endpoint = tokenEndpoint();
		await preAuth('client_credentials', endpoint, clientData({ scope: 'read write', requestTimeoutSeconds: 12 }));
		expect(endpoint.calls).toHaveLength(1);
		const { options, params } = endpoint.calls[0];
		expect(options).toMatchObject({
			method: 'POST',
			url: TOKEN_URL,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			timeout: 12_000,
			skipSslCertificateValidation: false,
		});
		expect((options.headers as Record<string, string>).Authorization).toMatch(/^Basic /);
		expect(params).toEqual({ grant_type: 'client_credentials', scope: 'read write' });
	});

	it('stores empty refresh token and instance URL when the server sends none', async () => {
		const fields = await preAuth('client_credentials', tokenEndpoint(), clientData());
		expect(fields).toMatchObject({ accessToken: 'token-1', refreshToken: '', instanceUrl: '', grantedScope: '', accessTokenType: 'Bearer' });
	});

	it('is the function both credential classes use', async () => {
		const endpoint = tokenEndpoint();
		const helper = { helpers: { httpRequest: endpoint.httpRequest } } as unknown as IHttpRequestHelper;
		const client = new ClientCredentialsOAuth2Api().preAuthentication as PreAuthentication;
		expect((await client.call(helper, clientData())).accessToken).toBe('token-1');
		const password = new PasswordGrantOAuth2Api().preAuthentication as PreAuthentication;
		expect((await password.call(helper, passwordData())).accessToken).toBe('token-2');
		expect(endpoint.calls.map((c) => c.params.grant_type)).toEqual(['client_credentials', 'password']);
	});

	it('reuses the token this process already holds when n8n asks with an empty token', async () => {
		const endpoint = tokenEndpoint();
		const first = await preAuth('client_credentials', endpoint, clientData());
		// Another execution (another helper object) with the token field still empty.
		const second = await preAuth('client_credentials', tokenEndpoint(), clientData({ accessToken: '' }));
		expect(second).toEqual(first);
		expect(endpoint.calls).toHaveLength(1);
	});

	it('fetches a new token when n8n hands back the current one as expired', async () => {
		const endpoint = tokenEndpoint();
		const first = await preAuth('client_credentials', endpoint, clientData());
		const second = await preAuth('client_credentials', endpoint, clientData(first));
		expect(second.accessToken).toBe('token-2');
		expect(endpoint.calls).toHaveLength(2);
		// And the replacement is what the process holds now.
		const third = await preAuth('client_credentials', endpoint, clientData());
		expect(third.accessToken).toBe('token-2');
		expect(endpoint.calls).toHaveLength(2);
	});

	it('keeps a newer token when n8n reports an older one as expired', async () => {
		const endpoint = tokenEndpoint();
		const first = await preAuth('client_credentials', endpoint, clientData());
		await preAuth('client_credentials', endpoint, clientData(first));
		const again = await preAuth('client_credentials', endpoint, clientData(first));
		expect(again.accessToken).toBe('token-2');
		expect(endpoint.calls).toHaveLength(2);
	});

	it('fetches a new token when the cached one is due', async () => {
		const endpoint = tokenEndpoint();
		await preAuth('client_credentials', endpoint, clientData());
		jest.spyOn(Date, 'now').mockReturnValue(NOW + HOUR - 30_000);
		const fields = await preAuth('client_credentials', endpoint, clientData());
		expect(fields.accessToken).toBe('token-2');
		expect(endpoint.calls).toHaveLength(2);
	});

	it('never reuses a token issued for other fields', async () => {
		const endpoint = tokenEndpoint();
		await preAuth('client_credentials', endpoint, clientData());
		const rotated = clientData({ clientSecret: 'rotated-secret' });
		const fields = await preAuth('client_credentials', endpoint, rotated);
		expect(fields.accessToken).toBe('token-2');
		expect(fingerprintFits(fields.fingerprint, rotated, 'client_credentials')).toBe(true);
		expect(fingerprintFits(fields.fingerprint, clientData(), 'client_credentials')).toBe(false);
	});

	it('sends one token request for concurrent calls', async () => {
		let open!: () => void;
		const gate = new Promise<void>((resolve) => (open = resolve));
		const endpoint = tokenEndpoint(async (call, index) => {
			await gate;
			return issueTokens(call, index) as ReturnType<typeof issueTokens>;
		});
		const calls = Array.from({ length: 20 }, () => preAuth('client_credentials', endpoint, clientData()));
		open();
		const results = await Promise.all(calls);
		expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['token-1']));
		expect(endpoint.calls).toHaveLength(1);
	});
});

describe('preAuthentication for the password grant', () => {
	it('sends the username and password', async () => {
		const endpoint = tokenEndpoint();
		const fields = await preAuth('password', endpoint, passwordData());
		expect(endpoint.calls[0].params).toEqual({ grant_type: 'password', username: 'alice', password: PASSWORD });
		expect(fields).toMatchObject({ accessToken: 'token-1', refreshToken: 'refresh-1' });
	});

	it('renews with the stored refresh token when it was issued for these fields', async () => {
		const endpoint = tokenEndpoint();
		const data = passwordData();
		const stored = { ...data, accessToken: 'old-at', refreshToken: 'stored-rt', fingerprint: fingerprintFor(data, 'password'), expiresAt: NOW - 1 };
		const fields = await preAuth('password', endpoint, stored);
		expect(endpoint.calls).toHaveLength(1);
		expect(endpoint.calls[0].params).toEqual({ grant_type: 'refresh_token', refresh_token: 'stored-rt' });
		expect(fields).toMatchObject({ accessToken: 'token-1', refreshToken: 'refresh-1', fingerprint: stored.fingerprint });
	});

	it('keeps the refresh token when the refresh response brings no new one', async () => {
		const endpoint = tokenEndpoint(() => ({ statusCode: 200, body: { access_token: 'at-new', expires_in: 600 } }));
		const data = passwordData();
		const stored = { ...data, accessToken: '', refreshToken: 'stored-rt', fingerprint: fingerprintFor(data, 'password') };
		const fields = await preAuth('password', endpoint, stored);
		expect(fields).toMatchObject({ accessToken: 'at-new', refreshToken: 'stored-rt' });
	});

	it('ignores a refresh token issued for other fields (changed password)', async () => {
		const endpoint = tokenEndpoint();
		const old = passwordData();
		const changed = { ...old, password: 'new-password', refreshToken: 'stored-rt', fingerprint: fingerprintFor(old, 'password') };
		await preAuth('password', endpoint, changed);
		expect(endpoint.calls).toHaveLength(1);
		expect(endpoint.calls[0].params.grant_type).toBe('password');
		expect(endpoint.calls[0].params.refresh_token).toBeUndefined();
	});

	it('falls back to the password grant when the server refuses the refresh token', async () => {
		const endpoint = tokenEndpoint((call, index) =>
			call.params.grant_type === 'refresh_token'
				? { statusCode: 400, body: { error: 'invalid_grant', error_description: 'refresh token expired' } }
				: (issueTokens(call, index) as ReturnType<typeof issueTokens>),
		);
		const data = passwordData();
		const stored = { ...data, refreshToken: 'stored-rt', fingerprint: fingerprintFor(data, 'password') };
		const fields = await preAuth('password', endpoint, stored);
		expect(endpoint.calls.map((c) => c.params.grant_type)).toEqual(['refresh_token', 'password']);
		expect(fields.accessToken).toBe('token-2');
	});
});

describe('the errors of preAuthentication', () => {
	it('name the endpoint and the server\'s error, never the client secret', async () => {
		const endpoint = tokenEndpoint(() => ({
			statusCode: 401,
			body: { error: 'invalid_client', error_description: `Client authentication failed for secret ${SECRET}` },
		}));
		const error = await failure(preAuth('client_credentials', endpoint, clientData()));
		// Not an error with an HTTP status: n8n would replace its message with "Authorization failed".
		expect(error).toBeInstanceOf(TokenFetchError);
		expect(error.name).toBe('TokenFetchError');
		expect(error).not.toHaveProperty('status');
		expect(error.message).toContain(TOKEN_URL);
		expect(error.message).toContain('401 invalid_client');
		expect(error.message).toContain('Client authentication failed for secret');
		const text = everythingIn(error);
		expect(text).not.toContain(SECRET);
		expect(text).not.toContain(encodeURIComponent(SECRET));
		expect(text).not.toContain(basicOf('my-client', SECRET));
		// The default (automatic Basic) sends the RFC form, then the raw form once; neither shows.
		expect(endpoint.calls).toHaveLength(2);
	});

	it('name the endpoint and the server\'s error, never the password or refresh token', async () => {
		const endpoint = tokenEndpoint((call) => ({
			statusCode: 400,
			body: {
				error: 'invalid_grant',
				error_description: `Bad credentials for alice: ${call.params.password ?? call.params.refresh_token}`,
			},
		}));
		const data = passwordData();
		const error = await failure(preAuth('password', endpoint, data));
		expect(error.message).toContain(TOKEN_URL);
		expect(error.message).toContain('invalid_grant');
		expect(error.message).toContain('Bad credentials for alice');
		expect(everythingIn(error)).not.toContain(PASSWORD);
		expect(everythingIn(error)).not.toContain(SECRET);

		const withRefresh = { ...data, refreshToken: 'secret-refresh-token', fingerprint: fingerprintFor(data, 'password') };
		const second = await failure(preAuth('password', endpoint, withRefresh));
		expect(everythingIn(second)).not.toContain('secret-refresh-token');
		expect(everythingIn(second)).not.toContain(PASSWORD);
	});

	it('report a token endpoint that cannot be reached, with the socket code in the description, after the retries', async () => {
		const refused = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:443 (secret ${SECRET})`), { code: 'ECONNREFUSED' });
		const endpoint = tokenEndpoint(() => refused);
		const error = await failure(preAuth('client_credentials', endpoint, clientData()));
		expect(error).toBeInstanceOf(TokenFetchError);
		expect(error.message).toContain(TOKEN_URL);
		// n8n would replace a message that names the socket code with a generic one.
		expect(error.message).toContain('failed: connection refused.');
		expect(error.message).not.toContain('ECONNREFUSED');
		expect(error.message).toContain('(3 attempts.)');
		expect((error as TokenFetchError).description).toContain('Nothing accepts connections');
		expect((error as TokenFetchError).description).toContain('(Socket error ECONNREFUSED.)');
		expect(everythingIn(error)).not.toContain(SECRET);
		expect(endpoint.calls).toHaveLength(3);
	});

	it('mask credentials in the token URL', async () => {
		const endpoint = tokenEndpoint(() => ({ statusCode: 500, body: { error: 'server_error' } }));
		const data = clientData({ tokenUrl: 'https://user:pw-in-url@auth.example.test/token?api_key=k3y-value' });
		const error = await failure(preAuth('client_credentials', endpoint, data));
		expect(error.message).toContain('auth.example.test/token');
		expect(error.message).not.toContain('pw-in-url');
		expect(error.message).not.toContain('k3y-value');
	});

	it('are not remembered: the next call asks the endpoint again', async () => {
		let fail = true;
		const answer: Answer = (call, index) =>
			fail ? { statusCode: 400, body: { error: 'invalid_scope' } } : issueTokens(call, index);
		const endpoint = tokenEndpoint(answer);
		await expect(preAuth('client_credentials', endpoint, clientData())).rejects.toThrow('invalid_scope');
		fail = false;
		await expect(preAuth('client_credentials', endpoint, clientData())).resolves.toMatchObject({ accessToken: 'token-2' });
	});

	it('refuse a configuration that cannot work before sending anything', async () => {
		const endpoint = tokenEndpoint();
		await expect(preAuth('client_credentials', endpoint, clientData({ clientSecret: '' }))).rejects.toThrow('client secret is missing');
		await expect(preAuth('password', endpoint, passwordData({ username: '' }))).rejects.toThrow('username is missing');
		expect(endpoint.calls).toHaveLength(0);
	});
});

describe('n8nTransport', () => {
	const request = {
		method: 'POST' as const,
		url: TOKEN_URL,
		headers: { Accept: 'application/json' },
		body: 'grant_type=client_credentials',
		timeoutMs: 5000,
	};

	it('passes the request to httpRequest with full response, no status errors and a text body', async () => {
		const seen: IHttpRequestOptions[] = [];
		const transport = n8nTransport(async (options) => {
			seen.push(options);
			return { statusCode: 200, headers: { a: 'b' }, body: '{"ok":1}' };
		});
		const response = await transport({ ...request, skipSslCertificateValidation: true });
		expect(seen[0]).toEqual({
			method: 'POST',
			url: TOKEN_URL,
			headers: { Accept: 'application/json' },
			body: 'grant_type=client_credentials',
			timeout: 5000,
			skipSslCertificateValidation: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: 'text',
			disableFollowRedirect: true,
		});
		expect(response).toEqual({ statusCode: 200, headers: { a: 'b' }, body: '{"ok":1}' });
	});

	it.each([
		['a parsed object', { access_token: 'x' }, '{"access_token":"x"}'],
		['a Buffer', Buffer.from('plain text'), 'plain text'],
		['no body', undefined, ''],
	])('turns %s into text', async (_what, body, text) => {
		const transport = n8nTransport(async () => ({ status: 503, body }));
		await expect(transport(request)).resolves.toEqual({ statusCode: 503, headers: {}, body: text });
	});

	it.each([
		['code', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
		['cause.code', Object.assign(new Error('request failed'), { cause: { code: 'ECONNREFUSED' } })],
		['context.code', Object.assign(new Error('request failed'), { context: { code: 'ECONNREFUSED' } })],
	])('keeps the socket code found in %s', async (_where, thrown) => {
		const transport = n8nTransport(async () => {
			throw thrown;
		});
		const error = (await failure(transport(request))) as Error & { code?: string };
		expect(error.code).toBe('ECONNREFUSED');
		expect(error.message).toContain('ECONNREFUSED');
	});

	it('keeps n8n\'s own words when there is no socket code', async () => {
		const transport = n8nTransport(async () => {
			throw new Error('Domain not allowed: auth.example.test');
		});
		const error = (await failure(transport(request))) as Error & { code?: string };
		expect(error.code).toBeUndefined();
		expect(error.message).toBe('no response (Domain not allowed: auth.example.test)');
	});
});
