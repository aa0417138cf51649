// Options > Renew Token When Response Body Says, through the node's execute path and the one fake n8n
// host, against the lab's Marketo-like API (test/servers/wild/marketo.mjs: HTTP 200 with errors[].code
// 601 / 602 for a token it does not take) and its HaloPSA-like one (400 naming the token). Requests
// reach the lab for real (axios); the counts are the lab's.
import axios from 'axios';
import { NodeApiError, type ICredentialDataDecryptedObject, type IDataObject, type IHttpRequestOptions, type INodeExecutionData } from 'n8n-workflow';

import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { OAuth2HttpRequest } from '../../../../nodes/OAuth2HttpRequest/OAuth2HttpRequest.node';
import { axiosHttpRequest } from '../../../faults/axiosHttpRequest';
import { credentialDataFor } from '../../../support/credentialFixtures';
import { type ApiHandler, fakeN8n, type FakeN8n, type FakeN8nOptions, type Params } from '../../../support/fakeN8n';
import { useLab } from '../../../support/lab';

const TYPE = 'clientCredentialsOAuth2Api';
const lab = useLab();

// The lab modules' clients and lead count (jest does not load the lab's ES modules).
const MARKETO_CLIENT = { id: 'marketo-client', secret: 'marketo-secret' };
const MARKETO_LEADS = 23;
const HALO_CLIENT = { id: 'halo-client', secret: 'halo-secret' };

const MARKETO_RULE = { renewTokenWhenBody: { rules: [{ statusCodes: '200', field: 'errors.code', values: '601, 602' }] } };
const HALO_RULE = { renewTokenWhenBody: { rules: [{ statusCodes: '400', field: 'error', values: 'invalid_token' }] } };

interface MarketoStats {
	tokenRequests: number;
	tokensIssued: number;
	apiRequests: number;
	byTokenState: Record<string, number>;
	answers: Record<string, number>;
	log: Array<{ instance: string; query: string; lead: string | null; page: number | null; state: string; answer: string }>;
}

const wild = (path: string) => `${lab.urls.wildBaseUrl}${path}`;

async function control<T>(path: string, method = 'GET'): Promise<T> {
	const response = await fetch(wild(path), { method });
	if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
	return (await response.json()) as T;
}
const marketoStats = () => control<MarketoStats>('/marketo/__stats');

/** The lab, reached with axios as n8n's helper would: bytes back (the node asks for an arraybuffer). */
function labApi(before?: (index: number) => Promise<void>): ApiHandler {
	return async (call, index) => {
		await before?.(index);
		const options = call.options as IHttpRequestOptions;
		const response = await axios.request<ArrayBuffer>({
			method: options.method ?? 'GET',
			url: options.url,
			params: options.qs,
			headers: options.headers as Record<string, string>,
			responseType: 'arraybuffer',
			validateStatus: () => true,
		});
		return { statusCode: response.status, headers: { ...response.headers }, body: Buffer.from(response.data) };
	};
}

function marketoCredential(): ICredentialDataDecryptedObject {
	return credentialDataFor('client_credentials', {
		tokenUrl: wild('/marketo/identity/oauth/token'),
		baseUrl: wild('/marketo'),
		clientId: MARKETO_CLIENT.id,
		clientSecret: MARKETO_CLIENT.secret,
		clientAuthentication: 'body',
		accessToken: '',
	});
}

function haloCredential(): ICredentialDataDecryptedObject {
	return credentialDataFor('client_credentials', {
		tokenUrl: wild('/halopsa/auth/token'),
		baseUrl: wild('/halopsa'),
		clientId: HALO_CLIENT.id,
		clientSecret: HALO_CLIENT.secret,
		clientAuthentication: 'body',
		scope: 'all',
		accessToken: '',
	});
}

const items = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_v, i) => ({ json: { i } }));
// Marketo ignores a query parameter it does not know: item=i tells the items apart in the lab's log.
const leadUrl = (i: number) => `/rest/v1/leads.json?filterType=id&filterValues=${(i % MARKETO_LEADS) + 1}&item=${i}`;
const itemOf = (query: string) => new URLSearchParams(query).get('item');

function host(params: Params, options: Omit<FakeN8nOptions, 'params'> = {}): FakeN8n {
	return fakeN8n({
		params: { authentication: TYPE, operation: 'request', method: 'GET', url: leadUrl(0), ...params },
		credential: { type: TYPE, data: marketoCredential() },
		tokenHttpRequest: axiosHttpRequest,
		api: labApi(),
		// A guard: a renewal loop fails the run instead of hammering the lab.
		maxPreAuthentications: 10,
		...options,
	});
}

async function execute(n8n: FakeN8n): Promise<INodeExecutionData[]> {
	const [output] = await new OAuth2HttpRequest().execute.call(n8n.ctx);
	return output;
}

async function labTokenRequests(endpoint: string): Promise<number> {
	const stats = (await lab.stats()) as unknown as { tokenRequests: { byEndpoint: Record<string, number> } };
	return stats.tokenRequests.byEndpoint[endpoint] ?? 0;
}

/** Marketo's pagination: nextPageToken from the last page, done when moreResult is false. */
const marketoPages = (key: string) => ({
	url: `/rest/v1/leads.json?batchSize=5&revokeAtPage=3&key=${key}`,
	options: {
		...MARKETO_RULE,
		pagination: {
			pagination: {
				paginationMode: 'updateAParameterInEachRequest',
				parameters: { parameters: [{ type: 'qs', name: 'nextPageToken', value: '={{ $response.body.nextPageToken }}' }] },
				paginationCompleteWhen: 'other',
				completeExpression: '={{ !$response.body.moreResult }}',
			},
		},
	},
});

let runs = 0;
beforeEach(async () => {
	await lab.reset();
	await lab.configure({ accessTokenTtlSeconds: 3600, tokenDelayMs: 0 });
	await control('/marketo/__reset', 'POST');
	await control('/halopsa/__reset', 'POST');
	// Marketo hands out its valid token again: every case starts from a token nobody holds.
	await lab.revokeAll();
	sharedAuthenticator.clear();
	runs++;
});

describe('Marketo: HTTP 200 with errors[].code 601 / 602', () => {
	it('50 items in flight, every token revoked on the way: one renewal, each item resent once, all succeed', async () => {
		const api = labApi(async (index) => {
			if (index === 20) await lab.revokeAll();
		});
		const n8n = host({ options: { ...MARKETO_RULE, concurrency: 0 } }, { items: items(50), perItem: items(50).map((_v, i) => ({ url: leadUrl(i) })), api });
		const output = await execute(n8n);

		const stats = await marketoStats();
		// One token for the run, one renewal.
		expect(await labTokenRequests('wild-marketo')).toBe(2);
		expect(stats.tokensIssued).toBe(2);
		expect(output.map((item) => (item.json.result as IDataObject[])[0].id)).toEqual(items(50).map((_v, i) => (i % MARKETO_LEADS) + 1));
		expect(output.map((item) => item.pairedItem)).toEqual(items(50).map((_v, i) => ({ item: i })));
		// Each refused request was resent once, and no other request was sent twice.
		expect(stats.answers.ok).toBe(50);
		expect(stats.answers['601']).toBeGreaterThan(0);
		expect(stats.apiRequests).toBe(50 + stats.answers['601']);
		for (let i = 0; i < 50; i++) {
			const answers = stats.log.filter((entry) => itemOf(entry.query) === String(i)).map((entry) => entry.answer);
			expect([['ok'], ['601', 'ok']]).toContainEqual(answers);
		}
	});

	it('a stored token Marketo no longer takes is tried by one request, not by every item in flight', async () => {
		const first = host({ options: MARKETO_RULE });
		await execute(first);
		await lab.revokeAll();
		// A new process (nothing cached) with the credential as n8n stored it.
		sharedAuthenticator.clear();
		await lab.reset();
		await control('/marketo/__reset', 'POST');
		const n8n = host({ options: { ...MARKETO_RULE, concurrency: 0 } }, {
			credential: { type: TYPE, data: first.stored },
			items: items(20),
			perItem: items(20).map((_v, i) => ({ url: leadUrl(i) })),
		});
		const output = await execute(n8n);
		const stats = await marketoStats();
		expect(output.every((item) => item.json.success === true)).toBe(true);
		expect(stats.answers['601']).toBe(1);
		expect(stats.apiRequests).toBe(21);
		expect(await labTokenRequests('wild-marketo')).toBe(1);
	});

	it('a token Marketo says expired (602): one renewal for all items', async () => {
		const n8n = host({ options: { ...MARKETO_RULE, concurrency: 0 } }, {
			items: items(10),
			perItem: items(10).map((_v, i) => ({ url: leadUrl(i) })),
			api: labApi(async (index) => {
				if (index === 3) await control('/marketo/__expire-all', 'POST');
			}),
		});
		const output = await execute(n8n);
		const stats = await marketoStats();
		expect(output).toHaveLength(10);
		expect(output.every((item) => item.json.success === true)).toBe(true);
		expect(stats.answers['602']).toBeGreaterThan(0);
		expect(stats.answers['601']).toBe(0);
		expect(await labTokenRequests('wild-marketo')).toBe(2);
	});

	it('pagination: the token revoked before page 3 is renewed once and page 3 sent again', async () => {
		const n8n = host(marketoPages(`pages-${runs}`));
		const output = await execute(n8n);
		const stats = await marketoStats();
		expect(await labTokenRequests('wild-marketo')).toBe(2);
		expect(stats.log.map((entry) => [entry.page, entry.answer])).toEqual([
			[1, 'ok'],
			[2, 'ok'],
			[3, '601'],
			[3, 'ok'],
			[4, 'ok'],
			[5, 'ok'],
		]);
		expect(output.flatMap((item) => (item.json.result as IDataObject[]).map((lead) => lead.id))).toEqual(
			Array.from({ length: MARKETO_LEADS }, (_v, i) => i + 1),
		);
	});

	it('an API that refuses every token (another instance): one renewal, one resend, then an error item', async () => {
		const n8n = host({ url: '/other-instance/rest/v1/leads.json?filterType=id&filterValues=1', options: MARKETO_RULE }, { continueOnFail: true });
		const output = await execute(n8n);
		const stats = await marketoStats();
		expect(await labTokenRequests('wild-marketo')).toBe(2);
		expect(stats.apiRequests).toBe(2);
		expect(output).toHaveLength(1);
		expect(output[0].json.error).toBe(
			'The API still signalled an expired token after the node renewed it and sent the request again (HTTP 200, errors.code is 601)',
		);
		expect(String(output[0].json.description)).toContain('"message":"Access token invalid"');
		for (const token of n8n.apiCalls.map((call) => call.token)) expect(JSON.stringify(output)).not.toContain(String(token));
	});

	it('an API that refuses every token, without continueOnFail: the run fails with an API error of status 200', async () => {
		const error = await execute(host({ url: '/other-instance/rest/v1/leads.json', options: MARKETO_RULE })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('200');
		expect((error as NodeApiError).message).toContain('still signalled an expired token after the node renewed it');
		expect((await marketoStats()).apiRequests).toBe(2);
	});

	it('pagination against an API that refuses every token: two requests for page 1, then the error; no page 2', async () => {
		const pages = marketoPages(`never-${runs}`);
		const n8n = host({ ...pages, url: '/other-instance/rest/v1/leads.json?batchSize=5' }, { continueOnFail: true });
		const output = await execute(n8n);
		expect((await marketoStats()).log.map((entry) => [entry.page, entry.answer])).toEqual([
			[1, '601'],
			[1, '601'],
		]);
		expect(await labTokenRequests('wild-marketo')).toBe(2);
		expect(output).toEqual([{ json: expect.objectContaining({ error: expect.stringContaining('still signalled an expired token') }), pairedItem: { item: 0 } }]);
	});

	it('without the option, a 200 that says 601 is an ordinary output item: no renewal', async () => {
		const n8n = host({}, {
			items: items(3),
			perItem: items(3).map((_v, i) => ({ url: leadUrl(i) })),
			api: labApi(async (index) => {
				if (index === 1) await lab.revokeAll();
			}),
		});
		const output = await execute(n8n);
		expect(await labTokenRequests('wild-marketo')).toBe(1);
		expect(output.map((item) => item.json.success)).toEqual([true, false, false]);
		expect(output[1].json.errors).toEqual([{ code: '601', message: 'Access token invalid' }]);
	});

	it('works the same when an AI agent runs the node as a tool', async () => {
		const n8n = host({ options: MARKETO_RULE }, {
			nodeType: 'n8n-nodes-oauth2-grants.oAuth2HttpRequestTool',
			items: items(4),
			perItem: items(4).map((_v, i) => ({ url: leadUrl(i) })),
			api: labApi(async (index) => {
				if (index === 1) await lab.revokeAll();
			}),
		});
		const output = await execute(n8n);
		expect(output.map((item) => item.json.success)).toEqual([true, true, true, true]);
		expect(await labTokenRequests('wild-marketo')).toBe(2);
	});
});

describe('HaloPSA-like: HTTP 400 naming the token', () => {
	const haloHost = (options: IDataObject, count: number) =>
		host(
			{ url: '/api/tickets', options },
			{
				credential: { type: TYPE, data: haloCredential() },
				items: items(count),
				perItem: items(count).map((_v, i) => ({ url: `/api/tickets?item=${i}` })),
				api: labApi(async (index) => {
					if (index === 2) await lab.revokeAll();
				}),
				continueOnFail: true,
			},
		);

	it('a 400 invalid_token renews the token once; every item succeeds', async () => {
		const output = await execute(haloHost({ ...HALO_RULE, concurrency: 1 }, 6));
		expect(output.map((item) => (item.json.tickets as IDataObject[])[0].id)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(await labTokenRequests('wild-halopsa')).toBe(2);
		expect(await control('/halopsa/__stats')).toEqual({ tokenRequests: 2, apiRequests: 7, refused: 1 });
	});

	it('without the option, the 400 is the item\'s API error', async () => {
		const output = await execute(haloHost({ concurrency: 1 }, 4));
		expect(output[2].json.error).toBe('The API answered 400: invalid_token: The access token is not valid');
		expect(await labTokenRequests('wild-halopsa')).toBe(1);
	});
});
