import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../../../credentials/PasswordGrantOAuth2Api.credentials';
import { authenticateFor } from '../../../../credentials/common/authenticate';
import { TokenDestinationError } from '../../../../credentials/common/destination';
import { TokenRenewalNeededError } from '../../../../credentials/common/renewalProtocol';
import { CLIENT_CREDENTIALS_TYPE, USER_GRANT_TYPE } from '../../../../credentials/common/names';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { API_URL, clientData, NOW, passwordData, TOKEN_URL, withToken } from '../../../support/credentialFixtures';
import { refusal } from '../../../support/refusal';

type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

const authenticate = authenticateFor(CLIENT_CREDENTIALS_TYPE);
const HOUR = 3600_000;

/** Client credentials data with a token valid for the next hour, issued for the fields as given. */
function valid(overrides: ICredentialDataDecryptedObject = {}, token = 'tok-1'): ICredentialDataDecryptedObject {
	return withToken(clientData(overrides), 'client_credentials', token, { expiresAt: NOW + HOUR, obtainedAt: NOW - 60_000 });
}

function get(url: string, extra: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions {
	return { method: 'GET', url, ...extra };
}

async function headersAfter(data: ICredentialDataDecryptedObject, url = `${API_URL}/items`): Promise<Record<string, unknown>> {
	const options = await authenticate(data, get(url));
	return (options.headers ?? {}) as Record<string, unknown>;
}

beforeEach(() => {
	sharedAuthenticator.clear();
	jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => {
	jest.restoreAllMocks();
});

describe('the auth header', () => {
	it('is "Authorization: Bearer <token>" by default, next to the request\'s own headers', async () => {
		const options = await authenticate(valid(), get(`${API_URL}/items`, { headers: { Accept: 'application/json' } }));
		expect(options.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok-1' });
	});

	it('defaults to Bearer when the prefix field is absent', async () => {
		const data = valid();
		delete data.authHeaderPrefix;
		delete data.authHeaderName;
		expect(await headersAfter(data)).toEqual({ Authorization: 'Bearer tok-1' });
	});

	it('carries the token alone when the prefix is empty', async () => {
		expect(await headersAfter(valid({ authHeaderPrefix: '' }))).toEqual({ Authorization: 'tok-1' });
	});

	it('uses a custom header name and prefix', async () => {
		const headers = await headersAfter(valid({ authHeaderName: 'X-Access-Token', authHeaderPrefix: 'Token' }));
		expect(headers).toEqual({ 'X-Access-Token': 'Token tok-1' });
	});

	it('falls back to Authorization when the header name is blank', async () => {
		expect(await headersAfter(valid({ authHeaderName: '  ' }))).toEqual({ Authorization: 'Bearer tok-1' });
	});

	it('is what the credential classes use', async () => {
		const client = new ClientCredentialsOAuth2Api().authenticate as Authenticate;
		const options = await client(valid(), get(`${API_URL}/items`));
		expect(options.headers).toEqual({ Authorization: 'Bearer tok-1' });

		const password = new PasswordGrantOAuth2Api().authenticate as Authenticate;
		const data = withToken(passwordData(), 'password', 'user-tok', { expiresAt: NOW + HOUR, obtainedAt: NOW });
		expect((await password(data, get(`${API_URL}/me`))).headers).toEqual({ Authorization: 'Bearer user-tok' });
	});
});

describe('a token that must be renewed first', () => {
	it('is refused when missing', async () => {
		const error = await refusal(() => authenticate(clientData(), get(`${API_URL}/items`)));
		expect(error).toBeInstanceOf(TokenRenewalNeededError);
		expect((error as TokenRenewalNeededError).code).toBe('RENEWAL_NEEDED');
		expect(error.message).toContain('is missing');
	});

	it('is sent while more than the margin remains (10 s token, 6 s left: margin capped at 5 s)', async () => {
		const data = withToken(clientData(), 'client_credentials', 'short', { obtainedAt: NOW - 4000, expiresAt: NOW + 6000 });
		expect(await headersAfter(data)).toEqual({ Authorization: 'Bearer short' });
	});

	it('is refused within the margin (10 s token, 4 s left)', async () => {
		const data = withToken(clientData(), 'client_credentials', 'short', { obtainedAt: NOW - 6000, expiresAt: NOW + 4000 });
		const error = await refusal(() => authenticate(data, get(`${API_URL}/items`)));
		expect(error).toBeInstanceOf(TokenRenewalNeededError);
		expect(error.message).toContain('renewal margin');
	});

	it('uses the full 60 s margin when the issue time is unknown', async () => {
		const data = withToken(clientData(), 'client_credentials', 'short', { expiresAt: NOW + 6000 });
		await expect(authenticate(data, get(`${API_URL}/items`))).rejects.toBeInstanceOf(TokenRenewalNeededError);
	});

	it('applies the 60 s margin to a long-lived token', async () => {
		const at = (left: number) =>
			withToken(clientData(), 'client_credentials', 'long', { obtainedAt: NOW + left - HOUR, expiresAt: NOW + left });
		expect(await headersAfter(at(61_000))).toEqual({ Authorization: 'Bearer long' });
		await expect(authenticate(at(59_000), get(`${API_URL}/items`))).rejects.toBeInstanceOf(TokenRenewalNeededError);
	});

	it('honours a configured margin', async () => {
		const data = withToken(clientData({ renewalMarginSeconds: 300 }), 'client_credentials', 't', {
			obtainedAt: NOW - HOUR,
			expiresAt: NOW + 200_000,
		});
		await expect(authenticate(data, get(`${API_URL}/items`))).rejects.toBeInstanceOf(TokenRenewalNeededError);
	});

	it('is refused when expired', async () => {
		const data = withToken(clientData(), 'client_credentials', 'old', { obtainedAt: NOW - 2 * HOUR, expiresAt: NOW - HOUR });
		await expect(authenticate(data, get(`${API_URL}/items`))).rejects.toBeInstanceOf(TokenRenewalNeededError);
	});

	it.each([
		['the client secret', { clientSecret: 'rotated-secret' }],
		['the scope', { scope: 'admin' }],
		['the client ID', { clientId: 'other-client' }],
		['the token URL', { tokenUrl: 'https://auth.example.test/other/token' }],
		['the audience', { audience: 'https://api.example.test' }],
	])('is stale after a change of %s', async (_field, change) => {
		const data = { ...valid(), ...change };
		const error = await refusal(() => authenticate(data, get(`${API_URL}/items`)));
		expect(error).toBeInstanceOf(TokenRenewalNeededError);
		expect(error.message).toContain('different credential fields');
	});

	it('stays valid after a change of fields the token endpoint never sees', async () => {
		const data = { ...valid(), authHeaderName: 'X-Token', renewalMarginSeconds: 30, baseUrl: API_URL };
		expect(await headersAfter(data)).toEqual({ 'X-Token': 'Bearer tok-1' });
	});

	it('is stale for the password grant after a change of user or password', async () => {
		const auth = authenticateFor(USER_GRANT_TYPE);
		const data = withToken(passwordData(), 'password', 'user-tok', { expiresAt: NOW + HOUR, obtainedAt: NOW });
		await expect(auth(data, get(`${API_URL}/me`))).resolves.toBeDefined();
		await expect(auth({ ...data, username: 'bob' }, get(`${API_URL}/me`))).rejects.toBeInstanceOf(TokenRenewalNeededError);
		await expect(auth({ ...data, password: 'new-pass' }, get(`${API_URL}/me`))).rejects.toBeInstanceOf(TokenRenewalNeededError);
	});

	it('is stale when it was issued for the other grant type', async () => {
		// Same fields, but fingerprinted as a client credentials token.
		const data = withToken(passwordData(), 'client_credentials', 'cc-tok', { expiresAt: NOW + HOUR, obtainedAt: NOW });
		await expect(authenticateFor(USER_GRANT_TYPE)(data, get(`${API_URL}/me`))).rejects.toBeInstanceOf(
			TokenRenewalNeededError,
		);
	});
});

describe('where the token may go', () => {
	it('goes only to the API base URL\'s host when a base URL is set', async () => {
		const data = valid({ baseUrl: API_URL });
		expect(await headersAfter(data, 'https://api.example.test/other/path?x=1')).toEqual({ Authorization: 'Bearer tok-1' });

		const options = get('https://evil.example.org/steal');
		const error = await refusal(() => authenticate(data, options));
		expect(error).toBeInstanceOf(TokenDestinationError);
		expect(error.message).toContain('evil.example.org');
		expect(error.message).toContain('api.example.test');
		expect(options.headers).toBeUndefined();
	});

	it('treats a subdomain of the base host as another host', async () => {
		const data = valid({ baseUrl: API_URL });
		await expect(authenticate(data, get('https://sub.api.example.test/x'))).rejects.toBeInstanceOf(TokenDestinationError);
	});

	it('joins a relative URL to the request\'s baseURL before checking', async () => {
		const data = valid({ baseUrl: API_URL });
		const ok = await authenticate(data, get('/items', { baseURL: 'https://api.example.test/v1' }));
		expect(ok.headers).toEqual({ Authorization: 'Bearer tok-1' });
		await expect(authenticate(data, get('/items', { baseURL: 'https://evil.example.org' }))).rejects.toBeInstanceOf(
			TokenDestinationError,
		);
	});

	it('refuses a URL that is not absolute', async () => {
		const error = await refusal(() => authenticate(valid(), get('/items')));
		expect(error).toBeInstanceOf(TokenDestinationError);
		expect(error.message).toContain('not an absolute http:// or https:// URL');
		expect((error as TokenDestinationError).code).toBe('INVALID_URL');
	});

	it('goes to the listed domains (wildcards match subdomains) and the base host with "domains"', async () => {
		const data = valid({
			baseUrl: API_URL,
			allowedHttpRequestDomains: 'domains',
			allowedDomains: 'other.example.com, *.wild.example',
		});
		for (const url of [
			'https://api.example.test/v1/items',
			'https://other.example.com/x',
			'https://OTHER.example.com/x',
			'https://a.wild.example/x',
			'https://deep.b.wild.example/x',
		]) {
			expect(await headersAfter(data, url)).toEqual({ Authorization: 'Bearer tok-1' });
		}
		for (const url of [
			'https://evil.example.org/x',
			'https://sub.other.example.com/x',
			'https://other.example.com.evil.org/x',
			'https://wild.example.evil.org/x',
			'https://notwild.example/x',
		]) {
			const error = await refusal(() => authenticate(data, get(url)));
			expect(error).toBeInstanceOf(TokenDestinationError);
			expect(error.message).toContain(new URL(url).hostname);
		}
	});

	it('goes only to the listed domains with "domains" and no base URL', async () => {
		const data = valid({ allowedHttpRequestDomains: 'domains', allowedDomains: 'other.example.com' });
		expect(await headersAfter(data, 'https://other.example.com/x')).toEqual({ Authorization: 'Bearer tok-1' });
		await expect(authenticate(data, get(`${API_URL}/items`))).rejects.toBeInstanceOf(TokenDestinationError);
	});

	it('goes nowhere with "none", not even to the base host', async () => {
		const data = valid({ baseUrl: API_URL, allowedHttpRequestDomains: 'none' });
		const error = await refusal(() => authenticate(data, get(`${API_URL}/items`)));
		expect(error).toBeInstanceOf(TokenDestinationError);
		expect(error.message).toContain('None');
		expect(error.message).toContain('api.example.test');
	});

	it('goes anywhere without a base URL and with mode "all"', async () => {
		const data = valid({ allowedHttpRequestDomains: 'all' });
		expect(await headersAfter(data, 'https://anything.example.net/x')).toEqual({ Authorization: 'Bearer tok-1' });
		expect(await headersAfter(valid(), 'http://127.0.0.1:8080/x')).toEqual({ Authorization: 'Bearer tok-1' });
	});

	it('is judged before the token state, so a foreign host never learns that a token is due', async () => {
		const data = clientData({ baseUrl: API_URL });
		await expect(authenticate(data, get('https://evil.example.org/x'))).rejects.toBeInstanceOf(TokenDestinationError);
	});

	it('follows the instance URL when the credential uses it', async () => {
		const data = valid({ baseUrl: API_URL, useInstanceUrl: true, instanceUrl: 'https://eu1.instance.example.com' });
		expect(await headersAfter(data, 'https://eu1.instance.example.com/services/data')).toEqual({
			Authorization: 'Bearer tok-1',
		});
		await expect(authenticate(data, get(`${API_URL}/items`))).rejects.toBeInstanceOf(TokenDestinationError);
	});
});

describe('a request to the token URL itself', () => {
	it('gets no token, whatever the token state or host policy', async () => {
		for (const data of [
			valid(),
			clientData(),
			valid({ baseUrl: API_URL }),
			valid({ allowedHttpRequestDomains: 'none' }),
			{ ...valid(), clientSecret: 'changed' },
		]) {
			const options = get(TOKEN_URL, { headers: { Accept: 'application/json' } });
			const result = await authenticate(data, options);
			expect(result.headers).toEqual({ Accept: 'application/json' });
		}
	});

	it('is recognised with surrounding spaces in the field', async () => {
		const result = await authenticate(clientData({ tokenUrl: `  ${TOKEN_URL} ` }), get(TOKEN_URL));
		expect(result.headers).toBeUndefined();
	});

	it('does not cover another path on the token host', async () => {
		await expect(authenticate(clientData(), get('https://auth.example.test/userinfo'))).rejects.toBeInstanceOf(
			TokenRenewalNeededError,
		);
	});
});
