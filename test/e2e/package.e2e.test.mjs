// End to end in real n8n: the packed package installed as users install it, the lab's real
// authorization servers and counting API, workflows run with `n8n execute`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { assertNoLeaks } from '../support/leakSearch.cjs';
import { CRED, EXPRESSION_SCOPE, SECRETS } from '../n8n-harness/fixtures/credentials.mjs';
import { CALL, convertHttpRequestNode, httpRequestCall, ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { assertRunSucceeded, nodeOutput } from '../n8n-harness/n8n-cli.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SHORT_TTL = 20; // seconds: renewal margin is capped at half of it, well above one execution
let h;
const outputs = []; // every n8n output, searched for secrets at the end
const issuedTokens = new Set();
const shownTokens = new Set();
let shownOutput = '\u0000';

async function run(id) {
	const result = await h.cli.execute(id);
	outputs.push(result.stdout, result.stderr);
	return result;
}

async function runOk(id) {
	const result = await run(id);
	assertRunSucceeded(result, id);
	return { result, items: nodeOutput(result.run, CALL) };
}

async function collectTokens() {
	return await h.stats();
}

const apiGet = (path, extra = {}) => ({ method: 'GET', url: path, ...extra });

const WF = {
	ours200: 'e2eOursCc0000200',
	oursPw: 'e2eOursPw0000020',
	httpCc: 'e2eHttpCc0000020',
	httpPw: 'e2eHttpPw0000020',
	wrongSecret: 'e2eWrongSecret01',
	getToken: 'e2eGetToken00001',
	redirect: 'e2eRedirect00001',
	redirectCustom: 'e2eRedirectHdr01',
	pagination: 'e2ePagination001',
	file: 'e2eFileDownload1',
	continueOnFail: 'e2eContinueFail1',
	httpOriginal: 'e2eConvertHttp01',
	httpConverted: 'e2eConvertOurs01',
	expressionScope: 'e2eExprScope0001',
};

before(async () => {
	h = await startHarness();
	const u = h.urls;
	const echo = (i) => apiGet(`=/echo?item={{ $json.ids }}${i ?? ''}`);
	const original = httpRequestCall(CRED.clientCredentials, {
		method: 'POST',
		url: `${u.apiUrl}/echo`,
		sendQuery: true,
		queryParameters: { parameters: [{ name: 'item', value: '={{ $json.ids }}' }, { name: 'kind', value: 'converted' }] },
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'X-Trace', value: 'abc' }] },
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={"item": {{ $json.ids }}, "tags": ["a", "b"]}',
		options: {},
	});
	await h.importWorkflows([
		workflow(WF.ours200, 'ours cc 200', { items: 200, call: ourCall(CRED.clientCredentials, echo()) }),
		workflow(WF.oursPw, 'ours pw', { items: 20, call: ourCall(CRED.passwordGrant, echo()) }),
		workflow(WF.httpCc, 'http cc', { items: 20, call: httpRequestCall(CRED.clientCredentials, { url: `=${u.apiUrl}/echo?item={{ $json.ids }}`, options: {} }) }),
		workflow(WF.httpPw, 'http pw', { items: 20, call: httpRequestCall(CRED.passwordGrant, { url: `=${u.apiUrl}/echo?item={{ $json.ids }}`, options: {} }) }),
		workflow(WF.wrongSecret, 'wrong secret', { items: 3, call: ourCall(CRED.wrongSecret, echo()) }),
		workflow(WF.getToken, 'get token', { items: 1, call: ourCall(CRED.clientCredentials, { operation: 'getAccessToken' }) }),
		workflow(WF.redirect, 'redirect', {
			items: 1,
			call: ourCall(CRED.clientCredentials, apiGet(`/redirect?to=${encodeURIComponent(`${u.otherHostUrl}/landing`)}`)),
		}),
		workflow(WF.redirectCustom, 'redirect custom header', {
			items: 1,
			call: ourCall(CRED.customHeader, apiGet(`/redirect?to=${encodeURIComponent(`${u.otherHostUrl}/landing-custom`)}`)),
		}),
		workflow(WF.pagination, 'pagination', {
			items: 1,
			call: ourCall(CRED.clientCredentials, apiGet('/items?revokeAtPage=3&key=e2e', {
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $response.body.nextPage }}' }] },
							paginationCompleteWhen: 'other',
							completeExpression: '={{ $response.body.nextPage === null }}',
						},
					},
				},
			})),
		}),
		workflow(WF.file, 'file', { items: 1, call: ourCall(CRED.clientCredentials, apiGet('/file')) }),
		workflow(WF.continueOnFail, 'continue on fail', {
			items: 5,
			call: ourCall(
				CRED.clientCredentials,
				apiGet('={{ $json.ids === 2 ? "/status/500" : "/echo?item=" + $json.ids }}'),
				{ onError: 'continueRegularOutput' },
			),
		}),
		workflow(WF.expressionScope, 'scope as expression', { items: 2, call: ourCall(CRED.expressionScope, echo()) }),
		workflow(WF.httpOriginal, 'converted: original', { items: 3, call: original }),
		workflow(WF.httpConverted, 'converted: ours', { items: 3, call: convertHttpRequestNode(original) }),
	]);
});

after(async () => {
	await h?.stop();
});

describe('the package in real n8n', () => {
	test('200 items: one token request, 200 API calls, none refused', async () => {
		await h.reset();
		const { items } = await runOk(WF.ours200);
		const s = await collectTokens();
		assert.equal(items.length, 200);
		assert.deepEqual(items.map((i) => Number(i.json.query.item)), Array.from({ length: 200 }, (_, i) => i));
		assert.equal(s.tokenRequests.total, 1);
		assert.equal(s.apiRequests, 200);
		assert.equal(s.api401, 0);
	});

	test('a second execution reuses the stored token (n8n 2.x; 1.x stores none: one per process)', async () => {
		await h.reset();
		const { items } = await runOk(WF.ours200);
		const s = await collectTokens();
		assert.equal(items.length, 200);
		assert.equal(s.tokenRequests.total, h.env.line === '1' ? 1 : 0);
		assert.equal(s.api401, 0);
	});

	test('a token that expired between executions is renewed before use', async () => {
		await h.configure({ accessTokenTtlSeconds: SHORT_TTL });
		await h.revokeAll();
		await run(WF.ours200); // stores a short-lived token (after one refusal of the revoked one)
		await sleep((SHORT_TTL + 1) * 1000);
		await h.reset();
		const { items } = await runOk(WF.ours200);
		const s = await collectTokens();
		await h.configure({ accessTokenTtlSeconds: 3600 });
		assert.equal(items.length, 200);
		assert.equal(s.tokenRequests.total, 1);
		assert.equal(s.apiExpired, 0, 'no request may carry an expired token');
		assert.equal(s.api401, 0);
	});

	test('a token the server revoked early: one renewal, every item succeeds', async () => {
		await h.revokeAll();
		await runOk(WF.ours200); // stores a fresh, long-lived token after one refusal
		await h.revokeAll();
		await h.reset();
		const { items } = await runOk(WF.ours200);
		const s = await collectTokens();
		assert.equal(items.length, 200);
		assert.ok(items.every((i) => i.json.path === '/api/echo'));
		assert.equal(s.tokenRequests.total, 1);
		// 1.x stores no token: the new process fetches one, and no revoked token is tried.
		assert.equal(s.api401, h.env.line === '1' ? 0 : 1, 'the stored token is tried by one request before the batch follows');
	});

	test("n8n's HTTP Request node with the client credentials type: renews before use too", async () => {
		await h.reset();
		await runOk(WF.httpCc);
		let s = await collectTokens();
		assert.equal(s.apiRequests - s.api401, 20);
		await h.reset();
		await runOk(WF.httpCc);
		s = await collectTokens();
		assert.equal(s.tokenRequests.total, h.env.line === '1' ? 1 : 0, 'stored token reused (1.x stores none)');
		await h.configure({ accessTokenTtlSeconds: SHORT_TTL });
		await h.revokeAll();
		await run(WF.httpCc);
		await sleep((SHORT_TTL + 1) * 1000);
		await h.reset();
		const { items } = await runOk(WF.httpCc);
		s = await collectTokens();
		await h.configure({ accessTokenTtlSeconds: 3600 });
		assert.equal(items.length, 20);
		assert.equal(s.apiExpired, 0);
		assert.equal(s.api401, 0);
		assert.ok(s.tokenRequests.total >= 1);
	});

	test('password grant: our node and n8n\'s HTTP Request node', async () => {
		await h.reset();
		const ours = await runOk(WF.oursPw);
		const http = await runOk(WF.httpPw);
		const s = await collectTokens();
		assert.equal(ours.items.length, 20);
		assert.equal(http.items.length, 20);
		// Two executions, two processes: 1.x stores no token, so each fetches one.
		assert.equal(s.tokenRequests.byEndpoint.oauth2, h.env.line === '1' ? 2 : 1);
		assert.equal(s.api401, 0);
	});

	test('a wrong secret fails with the server\'s error_description and without the secret', async () => {
		const { result } = { result: await run(WF.wrongSecret) };
		const text = `${result.stdout}\n${result.stderr}`;
		assert.notEqual(result.run?.status, 'success');
		assert.match(text, /invalid_client/);
		assert.match(text, /client authentication failed/i);
		assert.ok(!text.includes(SECRETS.wrongSecret), 'the secret appears in the output');
	});

	test('Get Access Token outputs a token the API accepts', async () => {
		const { items } = await runOk(WF.getToken);
		const token = items[0].json;
		assert.equal(typeof token.access_token, 'string');
		assert.match(token.token_type, /bearer/i);
		assert.ok(Date.parse(token.expires_at) > Date.now());
		const response = await fetch(`${h.urls.apiUrl}/echo`, { headers: { authorization: `Bearer ${token.access_token}` } });
		assert.equal(response.status, 200);
		// The one output that may show a token: leave it out of the leak search.
		shownTokens.add(token.access_token);
		shownOutput = outputs.splice(-2, 2)[0];
	});

	test('a redirect to another host does not carry the token, whatever its header', async () => {
		await h.reset();
		const standard = await runOk(WF.redirect);
		await h.configure({ apiAuthHeader: 'x-api-token' });
		const custom = await runOk(WF.redirectCustom).finally(() => h.configure({ apiAuthHeader: 'authorization' }));
		const s = await h.stats();
		assert.equal(standard.items[0].json.otherHost, true);
		assert.equal(custom.items[0].json.otherHost, true);
		const landed = s.otherHost.filter((r) => r.path.startsWith('/landing'));
		assert.equal(landed.length, 2);
		for (const r of landed) {
			assert.equal(r.headers.authorization, undefined);
			assert.equal(r.headers['x-api-token'], undefined);
		}
	});

	test('pagination follows every page, renewing a token refused on page 3', async () => {
		await h.reset();
		const { items } = await runOk(WF.pagination);
		const s = await h.stats();
		const ids = items.flatMap((i) => (i.json.items ?? []).map((x) => x.id));
		assert.equal(ids.length, 23);
		assert.equal(new Set(ids).size, 23);
		assert.equal(s.api401, 1, 'page 3 was refused once');
		// n8n 1.x is handed no token to store, so this process fetches one before page 1 as well.
		const fetches = h.env.line === '1' ? 2 : 1;
		assert.equal(s.tokenRequests.total, fetches, h.env.line === '1' ? 'one fetch and one renewal' : 'one renewal');
	});

	test('a file download becomes binary data with its file name', async () => {
		const { items } = await runOk(WF.file);
		assert.equal(items[0].binary?.data?.fileName, 'report.png');
		assert.equal(items[0].binary?.data?.mimeType, 'image/png');
	});

	test('continue on fail: the failing item carries its error, the others their results, in order', async () => {
		const { items } = await runOk(WF.continueOnFail);
		assert.equal(items.length, 5);
		items.forEach((item, i) => {
			if (i === 2) assert.ok(item.json.error, 'item 2 has an error');
			else assert.equal(Number(item.json.query.item), i);
		});
	});

	test('an HTTP Request node converted to ours gives the same output', async () => {
		// n8n's two HTTP helpers differ in their default User-Agent (1.x: axios vs n8n); nothing else may
		// differ but, on n8n 1.x (no token stored), the token each process fetched and so its expiry.
		const ownToken = (client) => (h.env.line === '1' && client ? { ...client, expiresAt: undefined } : client);
		const seen = (items) => items.map((i) => ({ ...i.json, client: ownToken(i.json.client), headers: { ...i.json.headers, 'user-agent': undefined } }));
		const original = seen((await runOk(WF.httpOriginal)).items);
		const converted = seen((await runOk(WF.httpConverted)).items);
		assert.deepEqual(converted, original);
		assert.equal(converted[1].body.item, 1);
	});

	test('a field set as an expression: kept as typed (n8n 1.x, which would store it resolved, is handed no token to store)', async () => {
		await runOk(WF.expressionScope);
		const stored = await h.cli.exportCredentials(CRED.expressionScope.id);
		if (h.env.line === '1') assert.equal(stored.data.accessToken, '', 'n8n 1.x was handed no token to store');
		else assert.ok(stored.data.accessToken, 'the token was stored');
		assert.equal(stored.data.scope, EXPRESSION_SCOPE);
	});

	test('no secret or issued token appears in any output or n8n log', async () => {
		const { tokens } = await h.issuedTokens();
		for (const token of tokens) if (!shownTokens.has(token)) issuedTokens.add(token);
		assert.ok(issuedTokens.size > 5, `the lab issued ${issuedTokens.size} tokens`);
		const text = outputs.join('\n') + fs.readFileSync(h.cli.logFile, 'utf8').replace(shownOutput, '');
		// Client ids too, so the search also covers the HTTP Basic values the secrets travel in.
		const clientIds = { ccSecret: 'cc-basic', pwClientSecret: 'pw-client', wrongSecret: 'cc-basic' };
		assertNoLeaks(text, [
			...Object.entries(SECRETS).map(([name, value]) => ({ value, clientId: clientIds[name], label: name })),
			...[...issuedTokens].map((value) => ({ value, label: 'an issued access token' })),
		], 'the outputs and the n8n log');
	});
});
