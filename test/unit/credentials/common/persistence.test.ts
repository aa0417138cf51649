import type { IHttpRequestHelper } from 'n8n-workflow';

import { tokenConfigFromCredentials } from '../../../../credentials/common/credentialData';
import { handOver, writesResolvedCredential } from '../../../../credentials/common/persistence';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { tokenToSend } from '../../../../credentials/common/tokenState';
import { clientData, tokenEndpoint, withToken } from '../../../support/credentialFixtures';

const TYPE = 'clientCredentialsOAuth2Api';
const n8n2 = { helpers: { httpRequest: async () => undefined } } as unknown as IHttpRequestHelper;
const n8n1 = { helpers: { httpRequest: async () => undefined, request: async () => undefined, requestWithAuthentication: async () => undefined } } as unknown as IHttpRequestHelper;
const NOW = Date.now();
const fields = () => ({ accessToken: 'fresh', expiresAt: NOW + 3_600_000, issuedAt: NOW, fingerprint: 'fp', accessTokenType: 'Bearer' });

describe('handOver: what n8n is handed to store after a token fetch', () => {
	it('tells the lines apart by the helpers they hand pre-authentication', () => {
		expect(writesResolvedCredential(n8n2)).toBe(false);
		expect(writesResolvedCredential(n8n1)).toBe(true);
	});

	it('n8n 2.x: the fields, to store (n8n leaves expression fields alone)', () => {
		const data = clientData({ accessToken: '' });
		expect(handOver(n8n2, data, fields())).toEqual(fields());
		expect(data.accessToken).toBe('');
	});

	it('n8n 1.x: the token goes into the data in place and nothing storable comes back, however often n8n asks', () => {
		const data = clientData({ accessToken: '' });
		const first = handOver(n8n1, data, fields());
		expect(first.accessToken).toBeUndefined();
		expect(data.accessToken).toBe('fresh');
		// n8n's older helper asks again after an error, with the same data: still nothing to store.
		const again = handOver(n8n1, data, { ...fields(), accessToken: 'fresher' });
		expect(again.accessToken).toBeUndefined();
		expect(data.accessToken).toBe('fresher');
	});

	it('n8n 1.x, a token that came from storage: the stored token is cleared once (so n8n resends), never written anew', () => {
		const data = clientData({ accessToken: 'stored-by-0.2.0' });
		const out = handOver(n8n1, data, fields());
		expect(out.accessToken).toBe('');
		expect(out.expiresAt).toEqual(expect.any(Number));
	});
});

describe('tokenToSend: the token authenticate attaches', () => {
	beforeEach(() => sharedAuthenticator.clear());

	it('the stored token while it is valid for the fields as resolved now', () => {
		const data = withToken(clientData({ audience: 'a' }), 'client_credentials', 'stored-a', { expiresAt: Date.now() + 3_600_000, obtainedAt: Date.now() });
		expect(tokenToSend(data, TYPE, Date.now())).toEqual({ token: 'stored-a' });
	});

	it("another item's stored token: the one this process holds for these fields, else none (stale)", async () => {
		const forA = clientData({ audience: 'a' });
		const stored = withToken(forA, 'client_credentials', 'stored-a', { expiresAt: Date.now() + 3_600_000, obtainedAt: Date.now() });
		const forB = { ...stored, audience: 'b' };
		expect(tokenToSend(forB, TYPE, Date.now())).toEqual({ state: 'stale' });
		const endpoint = tokenEndpoint();
		const transport = async (request: { url: string; body?: string; headers: Record<string, string> }) =>
			(await endpoint.httpRequest({ url: request.url, method: 'POST', body: request.body, headers: request.headers })) as never;
		await sharedAuthenticator.getToken(tokenConfigFromCredentials(forB, 'client_credentials'), { transport, sleep: async () => undefined });
		expect(tokenToSend(forB, TYPE, Date.now())).toEqual({ token: 'token-1' });
		expect(tokenToSend(stored, TYPE, Date.now())).toEqual({ token: 'stored-a' });
	});
});
