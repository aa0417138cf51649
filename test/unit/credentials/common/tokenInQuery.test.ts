// Issue 15 item 5: "Send Token In: Query Parameter". What authenticate does with a request (qs, a
// parameter of the same name, redirects, refusals), the cross-origin hop's URL, the redaction of the
// parameter, and that the token's identity (cache key, fingerprint) ignores where it is sent. The form
// fields: tokenInQueryFields.test.ts.
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { authenticateFor } from '../../../../credentials/common/authenticate';
import { tokenConfigFromCredentials } from '../../../../credentials/common/credentialData';
import { TokenDestinationError, urlForOtherOrigin } from '../../../../credentials/common/destination';
import { CLIENT_CREDENTIALS_TYPE } from '../../../../credentials/common/names';
import { credentialRedactor } from '../../../../credentials/common/redaction';
import { TokenRenewalNeededError } from '../../../../credentials/common/renewalProtocol';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { tokenCacheKeyOfCredential } from '../../../../credentials/common/tokenState';
import { fingerprintMatches, legacyFingerprintOf } from '../../../../engine/fingerprint';
import { API_URL, clientData, fingerprintFor, NOW, withToken } from '../../../support/credentialFixtures';
import { refusal } from '../../../support/refusal';

type Request = IHttpRequestOptions & { uri?: string; followRedirect?: boolean; followAllRedirects?: boolean; maxRedirects?: number };

const authenticate = authenticateFor(CLIENT_CREDENTIALS_TYPE);
const HOUR = 3600_000;

function inQuery(overrides: ICredentialDataDecryptedObject = {}, token = 'tok-q1'): ICredentialDataDecryptedObject {
	return withToken(clientData({ authLocation: 'query', ...overrides }), 'client_credentials', token, { expiresAt: NOW + HOUR, obtainedAt: NOW - 60_000 });
}

async function signed(data: ICredentialDataDecryptedObject, request: Request): Promise<Request> {
	return (await authenticate(data, request)) as Request;
}

beforeEach(() => {
	sharedAuthenticator.clear();
	jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => {
	jest.restoreAllMocks();
});

describe('authenticate with the token in the query', () => {
	it('puts it in qs as access_token, beside the request\'s own parameters, and adds no header', async () => {
		const options = await signed(inQuery(), { method: 'GET', url: `${API_URL}/items`, qs: { page: 2 }, headers: { Accept: 'application/json' } });
		expect(options.qs).toEqual({ page: 2, access_token: 'tok-q1' });
		expect(options.headers).toEqual({ Accept: 'application/json' });
	});

	it('leaves the caller\'s request as it was: n8n\'s HTTP Request node shows that object in its errors', async () => {
		for (const data of [inQuery(), inQuery({ authLocation: 'header', authHeaderName: 'X-Access-Token' })]) {
			const request: Request = { url: `${API_URL}/items?x=1`, qs: { page: 2 }, headers: { Accept: 'application/json' } };
			const before = JSON.stringify(request);
			const options = await signed(data, request);
			expect(JSON.stringify(options)).toContain('tok-q1');
			expect(JSON.stringify(request)).toBe(before);
		}
	});

	it('uses the configured parameter name', async () => {
		const options = await signed(inQuery({ authQueryParameter: 'token' }), { url: `${API_URL}/items` });
		expect(options.qs).toEqual({ token: 'tok-q1' });
	});

	it('replaces a parameter of the same name (any case) in qs and in the URL, keeping the rest as written', async () => {
		const options = await signed(inQuery(), {
			url: `${API_URL}/items?a=1%202&ACCESS_TOKEN=user-value&b=x+y#frag`,
			qs: { Access_Token: 'other', keep: 'yes' },
		});
		expect(options.url).toBe(`${API_URL}/items?a=1%202&b=x+y#frag`);
		expect(options.qs).toEqual({ keep: 'yes', access_token: 'tok-q1' });
	});

	it('replaces its own earlier token when n8n resends the same request after a renewal', async () => {
		const request: Request = { url: `${API_URL}/items`, qs: { page: 1 } };
		await authenticate(inQuery({}, 'old-token'), request);
		const resent = await signed(inQuery({}, 'new-token'), request);
		expect(resent.qs).toEqual({ page: 1, access_token: 'new-token' });
	});

	it('handles the older request helper\'s uri (n8n\'s HTTP Request node)', async () => {
		const options = await signed(inQuery(), { uri: `${API_URL}/items?access_token=stale&x=1` } as Request);
		expect(options.uri).toBe(`${API_URL}/items?x=1`);
		expect(options.qs).toEqual({ access_token: 'tok-q1' });
	});

	it('tells n8n neither to follow redirects nor to carry credentials across origins', async () => {
		const options = await signed(inQuery(), { url: `${API_URL}/items`, sendCredentialsOnCrossOriginRedirect: true, followRedirect: true, maxRedirects: 21 } as Request);
		expect(options.sendCredentialsOnCrossOriginRedirect).toBe(false);
		expect(options.disableFollowRedirect).toBe(true);
		expect(options.followRedirect).toBe(false);
		expect(options.followAllRedirects).toBe(false);
		expect(options.maxRedirects).toBe(0);
	});

	it('follows the destination policy: no token in the query of a request to another origin', async () => {
		const request: Request = { url: 'https://elsewhere.example.test/items', qs: {} };
		const error = await refusal(() => authenticate(inQuery({ baseUrl: API_URL }), request));
		expect(error).toBeInstanceOf(TokenDestinationError);
		expect(request.qs).toEqual({});
	});

	it('asks for a renewal rather than send a token that is due', async () => {
		const data = withToken(clientData({ authLocation: 'query' }), 'client_credentials', 'due-token', { expiresAt: NOW + 10_000, obtainedAt: NOW - HOUR });
		const request: Request = { url: `${API_URL}/items` };
		expect(await refusal(() => authenticate(data, request))).toBeInstanceOf(TokenRenewalNeededError);
		expect(request.qs).toBeUndefined();
	});

	it('leaves the token URL alone (the credential test and the renewal probe)', async () => {
		const data = inQuery();
		const options = await signed(data, { url: String(data.tokenUrl) });
		expect(options.qs).toBeUndefined();
	});
});

describe('a redirect hop to another origin', () => {
	it('loses the token parameter (any case) and any parameter holding a token, and keeps the rest', () => {
		const data = inQuery({ authQueryParameter: 'token' });
		const url = 'https://target.example.test/landing?Token=tok-q1&next=%2Fa%20b&echo=tok-q1&copy=older-token';
		expect(urlForOtherOrigin(data, url, ['older-token'])).toBe('https://target.example.test/landing?next=%2Fa%20b');
	});

	it('with the header, keeps a parameter of that name that holds no token', () => {
		const data = withToken(clientData(), 'client_credentials', 'tok-h1', { expiresAt: NOW + HOUR, obtainedAt: NOW - 60_000 });
		expect(urlForOtherOrigin(data, 'https://t.example.test/?access_token=user&x=tok-h1')).toBe('https://t.example.test/?access_token=user');
	});
});

describe('redaction', () => {
	it('masks the configured parameter by name, whatever its value, and the token in every encoding', () => {
		const redactor = credentialRedactor(inQuery({ authQueryParameter: 'sig_q' }, 'tok/+ q1'));
		const masked = redactor.mask('GET https://api.example.test/v1/items?sig_q=anything&SIG_Q=else&page=2 failed; token tok%2F%2B%20q1, dG9rLysgcTE=');
		expect(masked).toBe('GET https://api.example.test/v1/items?sig_q=***&SIG_Q=***&page=2 failed; token ***, ***');
	});

	it('does not mask a parameter of that name for a credential that sends the header', () => {
		const redactor = credentialRedactor(clientData({ authQueryParameter: 'sig_q' }));
		expect(redactor.mask('?sig_q=visible')).toBe('?sig_q=visible');
	});
});

describe('the token\'s identity', () => {
	it('ignores where the token is sent: same cache key, the stored and 0.2.0 fingerprints still fit', () => {
		const header = clientData();
		const query = clientData({ authLocation: 'query', authQueryParameter: 'token' });
		expect(tokenCacheKeyOfCredential(query, CLIENT_CREDENTIALS_TYPE)).toBe(tokenCacheKeyOfCredential(header, CLIENT_CREDENTIALS_TYPE));
		const stored = fingerprintFor(header, 'client_credentials');
		expect(fingerprintMatches(stored, tokenConfigFromCredentials(query, 'client_credentials'))).toBe(true);
		expect(legacyFingerprintOf(tokenConfigFromCredentials(query, 'client_credentials'))).toBe(legacyFingerprintOf(tokenConfigFromCredentials(header, 'client_credentials')));
	});
});
