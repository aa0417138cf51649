// Issue 15 item 5: a credential whose token travels in a query parameter, through the node's execute
// path and through n8n's older request helper (n8n's HTTP Request node), with the one fake n8n host.
// Tokens come from the lab's oidc-provider; the API is the lab's query-token module
// (test/servers/wild/query-token.mjs), which takes the token only from the query string, refuses it
// in a header or given twice, and counts requests by token state.
import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';

import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { OAuth2HttpRequest } from '../../nodes/OAuth2HttpRequest/OAuth2HttpRequest.node';
import { credentialDataFor } from '../support/credentialFixtures';
import { fakeN8n, type FakeN8n, type FakeN8nOptions } from '../support/fakeN8n';
import { useLab } from '../support/lab';
import { axiosHttpRequest } from '../faults/axiosHttpRequest';
import type { ApiResponse } from '../../nodes/OAuth2HttpRequest/transport/session';

const TYPE = 'clientCredentialsOAuth2Api';
const ITEMS = 20;
const lab = useLab();

interface QueryTokenStats {
	requests: number;
	byState: Record<'valid' | 'expired' | 'revoked' | 'unknown' | 'missing', number>;
	inHeader: number;
	duplicate: number;
	log: Array<{ method: string; path: string; parameter: string; state: string; status: number }>;
}

const moduleUrl = () => `${lab.urls.wildBaseUrl}/query-token`;

async function moduleStats(): Promise<QueryTokenStats> {
	return (await (await fetch(`${moduleUrl()}/stats`)).json()) as QueryTokenStats;
}

const oidcTokenRequests = async () => (await lab.stats()).tokenRequests.byEndpoint.oidc;

async function revoke(tokens: string[]): Promise<void> {
	const response = await fetch(`${lab.urls.controlUrl}/revoke-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokens }) });
	expect(response.status).toBe(200);
}

function credential(fields: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return credentialDataFor('client_credentials', {
		tokenUrl: lab.urls.oidcTokenUrl,
		baseUrl: `${moduleUrl()}/api`,
		clientId: 'cc-basic',
		clientSecret: 'cc-basic-secret',
		clientAuthentication: 'header',
		scope: 'read',
		authLocation: 'query',
		accessToken: '',
		...fields,
	});
}

/** The lab for real, as n8n's helper sends: axios with qs as params. */
const realApi = async (call: { options: Parameters<typeof axiosHttpRequest>[0] }): Promise<ApiResponse> =>
	(await axiosHttpRequest({ ...call.options, returnFullResponse: true, ignoreHttpStatusErrors: true })) as ApiResponse;

function host(data: ICredentialDataDecryptedObject, path = '/echo', options: Omit<FakeN8nOptions, 'credential'> = {}): FakeN8n {
	return fakeN8n({
		params: { authentication: TYPE, operation: 'request', method: 'GET', options: { concurrency: 5 } },
		perItem: Array.from({ length: ITEMS }, (_v, i) => ({ url: `${path}${path.includes('?') ? '&' : '?'}item=${i}` })),
		items: Array.from({ length: ITEMS }, (_v, i) => ({ json: { i } })),
		credential: { type: TYPE, data },
		tokenHttpRequest: axiosHttpRequest,
		api: realApi,
		queryParameter: String(data.authQueryParameter || 'access_token'),
		...options,
	});
}

async function execute(n8n: FakeN8n): Promise<INodeExecutionData[]> {
	const [output] = await new OAuth2HttpRequest().execute.call(n8n.ctx);
	return output;
}

function expectAllAnswered(output: INodeExecutionData[], parameter = 'access_token'): void {
	expect(output.map((item) => [item.json.ok, item.json.item, item.json.parameter])).toEqual(Array.from({ length: ITEMS }, (_v, i) => [true, String(i), parameter]));
}

beforeEach(async () => {
	await lab.reset();
	await fetch(`${moduleUrl()}/reset`, { method: 'POST' });
	sharedAuthenticator.clear();
});

describe('our node, the token in the query', () => {
	it('20 items, 5 at a time: one token request, every item answered, the token only in the query', async () => {
		const n8n = host(credential());
		const output = await execute(n8n);
		const s = await moduleStats();
		expectAllAnswered(output);
		expect(await oidcTokenRequests()).toBe(1);
		expect(s.requests).toBe(ITEMS);
		expect(s.byState.valid).toBe(ITEMS);
		expect(s.inHeader).toBe(0);
		expect(s.duplicate).toBe(0);
		const token = String(n8n.stored.accessToken);
		for (const call of n8n.apiCalls) {
			expect(call.token).toBe(token);
			expect(JSON.stringify(call.options.headers ?? {})).not.toContain(token);
		}
	});

	it('under another parameter name (token)', async () => {
		const n8n = host(credential({ authQueryParameter: 'token', baseUrl: `${moduleUrl()}/api/param/token` }));
		const output = await execute(n8n);
		expectAllAnswered(output, 'token');
		expect((await moduleStats()).byState.valid).toBe(ITEMS);
		expect(await oidcTokenRequests()).toBe(1);
	});

	it('a stored token the API revoked: one refusal, one renewal, one resend', async () => {
		const first = host(credential());
		await execute(first);
		const stored = { ...first.stored };
		await revoke([String(stored.accessToken)]);
		await lab.reset();
		await fetch(`${moduleUrl()}/reset`, { method: 'POST' });
		// A new process: the stored token has not been seen to work here, so one request tries it first.
		sharedAuthenticator.clear();
		const second = host(stored);
		const output = await execute(second);
		const s = await moduleStats();
		expectAllAnswered(output);
		expect(s.byState.revoked).toBe(1);
		expect(s.byState.valid).toBe(ITEMS);
		expect(s.requests).toBe(ITEMS + 1);
		expect(await oidcTokenRequests()).toBe(1);
		expect(second.preAuthentications).toBe(1);
		expect(second.stored.accessToken).not.toBe(stored.accessToken);
	});

	it('a parameter of the same name in the URL is replaced, not sent twice', async () => {
		const n8n = host(credential(), '/echo?access_token=typed-by-the-user');
		const output = await execute(n8n);
		expectAllAnswered(output);
		const s = await moduleStats();
		expect(s.duplicate).toBe(0);
		expect(s.byState.valid).toBe(ITEMS);
	});
});

describe('our node, a redirect to another origin', () => {
	it('the Location echoes the token: the other origin gets the request without it', async () => {
		await fetch(`${lab.urls.targetUrl}/__origins/reset`, { method: 'POST' });
		const to = encodeURIComponent(`${lab.urls.targetUrl}/landing?keep=1`);
		// A hop to another origin goes out through the plain helper, with no credential.
		const n8n = host(credential(), `/redirect?to=${to}&echo=1`, { plain: (async (options: Parameters<typeof axiosHttpRequest>[0]) => await realApi({ options })) as never });
		const output = await execute(n8n);
		const token = String(n8n.stored.accessToken);
		const log = ((await (await fetch(`${lab.urls.targetUrl}/__origins/log`)).json()) as { log: Array<{ url: string; headers: Record<string, string> }> }).log;
		expect(output).toHaveLength(ITEMS);
		expect((await moduleStats()).byState.valid).toBe(ITEMS);
		expect(log).toHaveLength(ITEMS);
		for (const entry of log) {
			expect(entry.url).toBe('/landing?keep=1');
			expect(JSON.stringify(entry)).not.toContain(token);
		}
	});
});

describe('n8n\'s HTTP Request node (the older request helper)', () => {
	it('sends the token in the query, and renews and resends once after the API refused it', async () => {
		const first = host(credential());
		const url = `${moduleUrl()}/api/echo?item=0`;
		const answered = await first.requestWithAuthentication(TYPE, { method: 'GET', url }, 0);
		expect(answered.statusCode).toBe(200);
		expect(await oidcTokenRequests()).toBe(1);
		await revoke([String(first.stored.accessToken)]);
		await fetch(`${moduleUrl()}/reset`, { method: 'POST' });
		const second = host({ ...first.stored });
		const resent = await second.requestWithAuthentication(TYPE, { method: 'GET', url }, 0);
		const s = await moduleStats();
		expect(resent.statusCode).toBe(200);
		expect(s.byState).toMatchObject({ revoked: 1, valid: 1 });
		expect(s.inHeader + s.duplicate).toBe(0);
		expect(await oidcTokenRequests()).toBe(2);
	});
});
