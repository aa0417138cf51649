// Per-item credentials (finding 6 of issue 14), through the node's execute path and through n8n's
// older request helper (what n8n's HTTP Request node uses), with the one fake n8n host resolving the
// credential per item and storing it as n8n 2.x or 1.x does. Tokens come from the lab's tenant token
// endpoint and go to the lab's tenant API (test/servers/tenants.mjs), which refuses and counts every
// request that carries another tenant's token. Every case records a row of the fault table.
import axios from 'axios';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import { checkStoredToken } from '../../credentials/common/tokenState';
import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { OAuth2HttpRequest } from '../../nodes/OAuth2HttpRequest/OAuth2HttpRequest.node';
import { credentialDataFor, fingerprintFor, NOW } from '../support/credentialFixtures';
import { type ApiHandler, fakeN8n, type FakeN8n, type FakeN8nOptions } from '../support/fakeN8n';
import { useLab } from '../support/lab';
import { axiosHttpRequest } from './axiosHttpRequest';
import { rows } from './credentialPath';

const GROUP = 'security: per-item credentials';
const TYPE = 'clientCredentialsOAuth2Api';
const ITEMS = 20;
const SECRET = 'tenant-S3cret:%+é';
const lab = useLab();

interface TenantStats {
	tokenRequests: number;
	tokensByTenant: Record<string, number>;
	apiRequests: number;
	wrongTenant: number;
	wrongByTenant: Record<string, number>;
	refused: number;
}

async function tenants<T>(name: string, body?: unknown): Promise<T> {
	const response = await fetch(`${lab.urls.tenantBaseUrl}/${name}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (response.status !== 200) throw new Error(`tenants ${name}: ${response.status}`);
	return (await response.json()) as T;
}

const stats = () => tenants<TenantStats>('stats');

const tenantOf = (i: number) => (i % 2 === 0 ? 'tenant-a' : 'tenant-b');
const items = (count = ITEMS, tenant: (i: number) => string = tenantOf): INodeExecutionData[] =>
	Array.from({ length: count }, (_v, i) => ({ json: { i, tenant: tenant(i) } }));

/** The lab's tenant API, reached with axios; `inFlight` records the most requests open at once. */
function labApi(inFlight = { now: 0, most: 0 }): ApiHandler {
	return async (call) => {
		inFlight.most = Math.max(inFlight.most, ++inFlight.now);
		try {
			const options = call.options as IHttpRequestOptions;
			const response = await axios.request({
				method: options.method ?? 'GET',
				url: options.url,
				params: options.qs,
				headers: options.headers as Record<string, string>,
				validateStatus: () => true,
			});
			return { statusCode: response.status, headers: { ...response.headers }, body: response.data as unknown };
		} finally {
			inFlight.now--;
		}
	};
}

/** A client-credentials credential of the lab's tenant endpoint, as stored (`fields` may be expressions). */
function tenantCredential(fields: Record<string, unknown>): ICredentialDataDecryptedObject {
	return credentialDataFor('client_credentials', {
		tokenUrl: lab.urls.tenantTokenUrl,
		baseUrl: `${lab.urls.tenantBaseUrl}/api`,
		clientId: 'tenant-client',
		clientSecret: SECRET,
		clientAuthentication: 'header',
		accessToken: '',
		...fields,
	});
}

const VARIANTS: Array<{ label: string; fields: () => Record<string, unknown> }> = [
	{ label: 'audience', fields: () => ({ audience: '={{ $json.tenant }}' }) },
	{ label: 'client id', fields: () => ({ clientId: '={{ $json.tenant }}' }) },
	{ label: 'token URL', fields: () => ({ tokenUrl: `=${lab.urls.tenantBaseUrl}/{{ $json.tenant }}/token` }) },
];

function host(credential: ICredentialDataDecryptedObject, options: Omit<FakeN8nOptions, 'credential'> = {}): FakeN8n {
	const count = options.items?.length ?? ITEMS;
	return fakeN8n({
		params: { authentication: TYPE, operation: 'request', method: 'GET', options: { response: { response: { neverError: true } } } },
		perItem: Array.from({ length: count }, (_v, i) => ({ url: `/${String(options.items?.[i]?.json.tenant ?? tenantOf(i))}/echo?item=${i}` })),
		items: items(),
		credential: { type: TYPE, data: credential },
		tokenHttpRequest: axiosHttpRequest,
		api: labApi(),
		...options,
	});
}

async function execute(n8n: FakeN8n): Promise<INodeExecutionData[]> {
	const [output] = await new OAuth2HttpRequest().execute.call(n8n.ctx);
	return output;
}

/** n8n's HTTP Request node: every item through the older helper, all at once. */
async function httpRequestNode(n8n: FakeN8n, tenant: (i: number) => string = tenantOf): Promise<Array<{ statusCode: number; body: unknown }>> {
	return await Promise.all(
		Array.from({ length: ITEMS }, async (_v, i) =>
			await n8n.requestWithAuthentication(TYPE, { method: 'GET', url: `${lab.urls.tenantBaseUrl}/api/${tenant(i)}/echo?item=${i}` }, i),
		),
	);
}

/** Each output item is its own item's answer, from its own tenant. */
function expectInOrder(output: INodeExecutionData[], tenant: (i: number) => string = tenantOf): void {
	expect(output.map((item) => item.pairedItem)).toEqual(Array.from({ length: output.length }, (_v, i) => ({ item: i })));
	expect(output.map((item) => [item.json.item, item.json.tenant])).toEqual(Array.from({ length: output.length }, (_v, i) => [String(i), tenant(i)]));
}

const described = (s: TenantStats) =>
	`${s.tokenRequests} token requests ${JSON.stringify(s.tokensByTenant)}, ${s.apiRequests} API requests, ${s.wrongTenant} with another tenant's token, ${s.refused} refused`;

function faultCase(name: string, expected: string, body: () => Promise<string>): void {
	it(name, async () => await rows.runCase({ group: GROUP, name, expected }, body), 30_000);
}

beforeEach(async () => {
	await lab.reset();
	await lab.configure({ accessTokenTtlSeconds: 3600, tokenDelayMs: 0 });
	await tenants('reset', {});
	sharedAuthenticator.clear();
});

describe('our node: each item with the credential as resolved for it', () => {
	for (const variant of VARIANTS) {
		faultCase(
			`2 tenants × 10 items, ${variant.label} per item`,
			'2 token requests, 0 requests with the other tenant\'s token, 20 results in input order with their pairedItem',
			async () => {
				const n8n = host(tenantCredential(variant.fields()));
				const output = await execute(n8n);
				const s = await stats();
				expect(s.wrongTenant).toBe(0);
				expect(s.tokensByTenant).toEqual({ 'tenant-a': 1, 'tenant-b': 1 });
				expect(s.apiRequests).toBe(ITEMS);
				expectInOrder(output);
				return `${described(s)}; 20 results in order`;
			},
		);
	}

	faultCase('constant credential, 20 items', 'one token request and one session for every item; the credential read once per item', async () => {
		const n8n = host(tenantCredential({ audience: 'tenant-a' }), { items: items(ITEMS, () => 'tenant-a') });
		const output = await execute(n8n);
		const s = await stats();
		expect(s.tokenRequests).toBe(1);
		expect(s.wrongTenant).toBe(0);
		expect(n8n.preAuthentications).toBe(1);
		expect(n8n.credentialReads).toBe(ITEMS);
		expectInOrder(output, () => 'tenant-a');
		return `${described(s)}; ${n8n.preAuthentications} preAuthentication, ${n8n.credentialReads} credential reads`;
	});

	faultCase('Concurrent Requests 3 over 2 tenants', 'at most 3 requests in flight across both tenants; outputs in order', async () => {
		const inFlight = { now: 0, most: 0 };
		const n8n = host(tenantCredential({ audience: '={{ $json.tenant }}' }), {
			api: labApi(inFlight),
			params: { authentication: TYPE, operation: 'request', method: 'GET', options: { concurrency: 3 } },
		});
		const output = await execute(n8n);
		const s = await stats();
		expect(inFlight.most).toBe(3);
		expect(s.wrongTenant).toBe(0);
		expectInOrder(output);
		return `at most ${inFlight.most} in flight; ${described(s)}`;
	});

	faultCase(
		'the API refuses one tenant\'s token (401)',
		'one renewal, for that tenant only; its items resent once with the new token; the other tenant\'s token untouched',
		async () => {
			const credential = tenantCredential({ audience: '={{ $json.tenant }}' });
			await execute(host(credential));
			await tenants('revoke', { tenant: 'tenant-a' });
			await tenants('reset', {});
			const n8n = host(credential, { maxPreAuthentications: 5 });
			const output = await execute(n8n);
			const s = await stats();
			expect(s.tokensByTenant).toEqual({ 'tenant-a': 1 });
			expect(s.wrongTenant).toBe(0);
			expect(s.refused).toBeGreaterThanOrEqual(1);
			expect(s.refused).toBeLessThanOrEqual(5);
			expect(s.apiRequests).toBe(ITEMS + s.refused);
			expectInOrder(output);
			return `${described(s)}; 20 results in order`;
		},
	);

	faultCase('one tenant\'s API refuses every token (401)', 'that tenant: each item sent twice (one renewal per refused token, one resend), then its error; never a loop; the other tenant: one token, its items succeed', async () => {
		const refusing: ApiHandler = async (call, index) =>
			String(call.options.url).includes('/tenant-a/') ? { statusCode: 401, headers: {}, body: { error: 'invalid_token' } } : await labApi()(call, index);
		const n8n = host(tenantCredential({ audience: '={{ $json.tenant }}' }), {
			api: refusing,
			continueOnFail: true,
			maxPreAuthentications: 10,
			params: { authentication: TYPE, operation: 'request', method: 'GET' },
		});
		const output = await execute(n8n);
		const s = await stats();
		expect(s.tokensByTenant['tenant-b']).toBe(1);
		expect(s.tokensByTenant['tenant-a']).toBeGreaterThanOrEqual(2);
		expect(s.tokensByTenant['tenant-a']).toBeLessThanOrEqual(1 + ITEMS / 2);
		output.forEach((item, i) => {
			if (i % 2 === 0) expect(String(item.json.error)).toMatch(/^The API answered 401/);
			else expect(item.json.tenant).toBe('tenant-b');
		});
		const tenantA = n8n.apiCalls.filter((call) => String(call.options.url).includes('/tenant-a/')).length;
		expect(tenantA).toBe(ITEMS);
		return `tenant-a: ${s.tokensByTenant['tenant-a']} token requests (the first, then one per refused token), ${tenantA} API requests for 10 items, each then failed; tenant-b: 1 token request, 10 results`;
	});

	faultCase('Get Access Token with the audience per item', 'each item gets its own tenant\'s token; one token request per tenant', async () => {
		const n8n = host(tenantCredential({ audience: '={{ $json.tenant }}' }), { params: { authentication: TYPE, operation: 'getAccessToken' } });
		const output = await execute(n8n);
		const s = await stats();
		const tokens = output.map((item) => String(item.json.access_token));
		expect(s.tokensByTenant).toEqual({ 'tenant-a': 1, 'tenant-b': 1 });
		expect(new Set(tokens.filter((_t, i) => i % 2 === 0)).size).toBe(1);
		expect(new Set(tokens.filter((_t, i) => i % 2 === 1)).size).toBe(1);
		expect(tokens[0]).not.toBe(tokens[1]);
		for (const [i, token] of [[0, tokens[0]], [1, tokens[1]]] as const) {
			const response = await fetch(`${lab.urls.tenantBaseUrl}/api/${tenantOf(i)}/echo`, { headers: { authorization: `Bearer ${token}` } });
			expect(response.status).toBe(200);
		}
		return `${s.tokenRequests} token requests; item 0's token works for tenant-a, item 1's for tenant-b`;
	});
});

describe('n8n stores the credential after a token fetch', () => {
	for (const line of [2, 1] as const) {
		faultCase(
			`our node on n8n ${line}.x semantics: two executions`,
			'0 requests with the other tenant\'s token in either; the stored credential keeps its expression',
			async () => {
				const first = host(tenantCredential({ audience: '={{ $json.tenant }}' }), { line });
				await execute(first);
				const one = await stats();
				await tenants('reset', {});
				// Another process: nothing in memory, only what n8n stored.
				sharedAuthenticator.clear();
				const second = host(first.stored, { line });
				const output = await execute(second);
				const two = await stats();
				expect(one.wrongTenant + two.wrongTenant).toBe(0);
				expect(second.stored.audience).toBe('={{ $json.tenant }}');
				expectInOrder(output);
				return `first: ${described(one)}; second: ${described(two)}; stored audience still "={{ $json.tenant }}"`;
			},
		);

		faultCase(
			`n8n's HTTP Request node (older request helper) on n8n ${line}.x semantics: two executions`,
			'0 requests with the other tenant\'s token in either; 2 token requests in the first; the stored credential keeps its expression',
			async () => {
				const first = host(tenantCredential({ audience: '={{ $json.tenant }}' }), { line });
				const answers = await httpRequestNode(first);
				const one = await stats();
				await tenants('reset', {});
				sharedAuthenticator.clear();
				const second = host(first.stored, { line });
				const again = await httpRequestNode(second);
				const two = await stats();
				expect(one.wrongTenant + two.wrongTenant).toBe(0);
				expect(one.tokenRequests).toBe(2);
				expect(first.stored.audience).toBe('={{ $json.tenant }}');
				expect([...answers, ...again].map((answer) => answer.statusCode)).toEqual(Array(2 * ITEMS).fill(200));
				return `first: ${described(one)}, ${first.storeWrites} credential writes; second: ${described(two)}; stored audience still an expression`;
			},
		);
	}

	faultCase(
		"n8n's HTTP Request node, 2.x semantics, one process: the stored token is the other tenant's",
		'the token this process holds for the item\'s own fields is sent: no token request, no renewal',
		async () => {
			const first = host(tenantCredential({ audience: '={{ $json.tenant }}' }));
			await httpRequestNode(first);
			await tenants('reset', {});
			const second = host(first.stored);
			const preAuthenticationsBefore = second.preAuthentications;
			await httpRequestNode(second);
			const s = await stats();
			expect(s.wrongTenant).toBe(0);
			expect(s.tokenRequests).toBe(0);
			expect(second.preAuthentications - preAuthenticationsBefore).toBe(0);
			return `${described(s)}; ${second.preAuthentications} preAuthentications`;
		},
	);
});

describe('n8n 1.x is never handed a token to store', () => {
	faultCase('our node and n8n\'s HTTP Request node on 1.x semantics, per-item audience', 'no credential write at all: the tokens stay in the data of the run and in the process', async () => {
		const ours = host(tenantCredential({ audience: '={{ $json.tenant }}' }), { line: 1 });
		await execute(ours);
		const http = host(tenantCredential({ audience: '={{ $json.tenant }}' }), { line: 1 });
		await httpRequestNode(http);
		const s = await stats();
		expect(ours.storeWrites + http.storeWrites).toBe(0);
		expect(s.tokenRequests).toBe(2);
		expect(s.wrongTenant).toBe(0);
		return `${ours.storeWrites} + ${http.storeWrites} credential writes; ${described(s)}`;
	});

	faultCase(
		"n8n's HTTP Request node on 1.x semantics, a token stored by an earlier version that is now due",
		'every item succeeds (n8n resends after its renewal); one write, which clears the stored token; the next execution writes nothing',
		async () => {
			const credential = tenantCredential({ audience: 'tenant-a' });
			const dueToken = await (await fetch(lab.urls.tenantTokenUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'tenant-client', client_secret: SECRET, audience: 'tenant-a' }),
			})).json() as { access_token: string };
			const now = Date.now();
			const stored = { ...credential, accessToken: dueToken.access_token, expiresAt: now + 5_000, issuedAt: now - 3_595_000, fingerprint: fingerprintFor(credential, 'client_credentials'), accessTokenType: 'Bearer' };
			await tenants('reset', {});
			const n8n = host(stored, { line: 1, items: items(ITEMS, () => 'tenant-a') });
			const answers = await httpRequestNode(n8n, () => 'tenant-a');
			const s = await stats();
			expect(answers.map((answer) => answer.statusCode)).toEqual(Array(ITEMS).fill(200));
			expect(s.tokenRequests).toBe(1);
			expect(n8n.stored.accessToken).toBe('');
			expect(n8n.stored.audience).toBe('tenant-a');
			const writes = n8n.storeWrites;
			const next = host(n8n.stored, { line: 1, items: items(ITEMS, () => 'tenant-a') });
			expect((await httpRequestNode(next, () => 'tenant-a')).every((answer) => answer.statusCode === 200)).toBe(true);
			expect(next.storeWrites).toBe(0);
			return `${ITEMS}/${ITEMS} items ok, ${described(s)}, ${writes} write(s) (stored token now empty); next execution: ${next.storeWrites} writes`;
		},
	);
});

describe('the stored fingerprint covers every field a tenant may differ in', () => {
	const fields: Array<[string, unknown, unknown]> = [
		['tokenUrl', 'https://a.example.test/token', 'https://b.example.test/token'],
		['clientId', 'tenant-a', 'tenant-b'],
		['clientSecret', 'secret-a', 'secret-b'],
		['audience', 'tenant-a', 'tenant-b'],
		['resource', 'https://a.example.test/', 'https://b.example.test/'],
		['scope', 'read', 'write'],
		['extraParameters', { parameter: [{ name: 'tenant', value: 'a' }] }, { parameter: [{ name: 'tenant', value: 'b' }] }],
	];
	faultCase('a token stored for one tenant, checked with another tenant\'s fields', 'stale for each of token URL, client id, secret, audience, resource, scope, extra parameters', async () => {
		for (const [field, a, b] of fields) {
			const forA = credentialDataFor('client_credentials', { tokenUrl: 'https://a.example.test/token', clientId: 'c', clientSecret: 's', [field]: a });
			const stored = { ...forA, accessToken: 'token-a', expiresAt: NOW + 3_600_000, issuedAt: NOW, fingerprint: fingerprintFor(forA, 'client_credentials'), accessTokenType: 'Bearer' };
			expect([field, checkStoredToken(stored, TYPE, NOW).state]).toEqual([field, 'valid']);
			expect([field, checkStoredToken({ ...stored, [field]: b }, TYPE, NOW).state]).toEqual([field, 'stale']);
		}
		return `${fields.length} fields: a token stored for tenant a is stale for tenant b's value of each`;
	});
});
