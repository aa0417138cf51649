// The node's execute path, end to end through the one fake n8n host: the node class, the router,
// the operations, the session, the credential's real preAuthentication and authenticate.
import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';

import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { OAuth2HttpRequest } from '../../../../nodes/OAuth2HttpRequest/OAuth2HttpRequest.node';
import { API_URL, clientData } from '../../../support/credentialFixtures';
import { type ApiHandler, fakeN8n, type FakeN8nOptions, type Params } from '../../../support/fakeN8n';

const TYPE = 'clientCredentialsOAuth2Api';

function host(params: Params, options: Omit<FakeN8nOptions, 'params' | 'credential'> = {}) {
	return fakeN8n({
		params: { authentication: TYPE, operation: 'request', method: 'GET', url: '/things', ...params },
		credential: { type: TYPE, data: clientData({ baseUrl: API_URL }) },
		...options,
	});
}

async function execute(n8n: ReturnType<typeof fakeN8n>): Promise<INodeExecutionData[]> {
	const [output] = await new OAuth2HttpRequest().execute.call(n8n.ctx);
	return output;
}

const items = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_v, i) => ({ json: { i } }));

beforeEach(() => sharedAuthenticator.clear());

describe('execute: Send Request', () => {
	it('sends every item with one token and keeps outputs in input order with their pairedItem', async () => {
		const n8n = host({}, { items: items(3), perItem: [{ url: '/a' }, { url: '/b' }, { url: '/c' }] });
		const output = await execute(n8n);
		expect(n8n.endpoint.calls).toHaveLength(1);
		expect(n8n.apiCalls.map((call) => call.options.url)).toEqual([`${API_URL}/a`, `${API_URL}/b`, `${API_URL}/c`]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toEqual({ ok: true, token: 'token-1' });
	});

	it('sends in batches: at most Items per Batch at once, with the interval between batches', async () => {
		let inFlight = 0;
		let most = 0;
		const started: number[] = [];
		const api: ApiHandler = async (call) => {
			started.push(Date.now());
			most = Math.max(most, ++inFlight);
			await new Promise((resolve) => setTimeout(resolve, 5));
			inFlight--;
			return { statusCode: 200, headers: {}, body: { token: call.token } };
		};
		const n8n = host({ options: { batching: { batch: { batchSize: 2, batchInterval: 40 } } } }, { items: items(5), api });
		const output = await execute(n8n);
		expect(output).toHaveLength(5);
		expect(most).toBe(2);
		// Batches start 0-1, 2-3, 4: each after the previous one ended and the interval passed.
		expect(started[2] - started[1]).toBeGreaterThanOrEqual(35);
		expect(started[4] - started[3]).toBeGreaterThanOrEqual(35);
		expect(n8n.endpoint.calls).toHaveLength(1);
	});

	it('with continueOnFail, turns a failed item into an error item and goes on', async () => {
		const api: ApiHandler = (call, index) =>
			index === 1 ? { statusCode: 500, headers: {}, body: { message: 'boom' } } : { statusCode: 200, headers: {}, body: { token: call.token } };
		const n8n = host({}, { items: items(3), api, continueOnFail: true, perItem: [{}, {}, {}] });
		const output = await execute(n8n);
		expect(output).toHaveLength(3);
		expect(output[1]).toEqual({ json: { error: 'The API answered 500: boom', description: '{"message":"boom"}' }, pairedItem: { item: 1 } });
		expect(output[2].json).toEqual({ token: 'token-1' });
	});

	it('without continueOnFail, fails the run with the API error of the item', async () => {
		const api: ApiHandler = () => ({ statusCode: 404, headers: {}, body: { error: 'not_found' } });
		const error = await execute(host({}, { api })).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('The API answered 404: not_found');
		expect((error as NodeApiError).context.itemIndex).toBe(0);
	});

	it('masks the token in an API error that echoes it', async () => {
		const api: ApiHandler = (call) => ({
			statusCode: 400,
			headers: {},
			body: { error: `token ${call.token} is not allowed`, echo: `Authorization: Bearer ${call.token}` },
		});
		const n8n = host({}, { api, continueOnFail: true });
		const [item] = await execute(n8n);
		const shown = JSON.stringify(item.json);
		expect(n8n.apiCalls[0].token).toBe('token-1');
		expect(shown).not.toContain('token-1');
		expect(item.json.error).toBe('The API answered 400: token *** is not allowed');
		expect(item.json.description).toContain('Bearer ***');
	});
});

describe('execute: Get Access Token', () => {
	it('outputs the token for each item in the node', async () => {
		const n8n = host({ operation: 'getAccessToken' }, { items: items(2) });
		const output = await execute(n8n);
		expect(output.map((item) => item.json.access_token)).toEqual(['token-1', 'token-1']);
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	it('is refused when an AI agent runs the node as a tool, before any token is fetched', async () => {
		const n8n = host({ operation: 'getAccessToken' }, { nodeType: 'n8n-nodes-oauth2-grants.oAuth2HttpRequestTool' });
		const error = await execute(n8n).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Get Access Token is not available when the node runs as a tool');
		expect(n8n.endpoint.calls).toHaveLength(0);
		expect(n8n.preAuthentications).toBe(0);
	});
});
