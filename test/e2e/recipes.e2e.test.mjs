// The README's recipes for providers off the textbook (issue 15), each in real n8n against the lab
// server that behaves like that provider (test/servers/wild/): the credential holds what the recipe
// tells the user to enter and nothing else (n8n stores only fields that differ from their default).
// For each: ITEMS items in one execution cost one token lifetime's requests (1; 2 for a server that
// refuses the RFC Basic form once), every item succeeds, and a second execution reuses the stored
// token on n8n 2.x (0 requests; 1.x stores none, so a new process fetches once). Body-signalled expiry
// (Marketo): tokens revoked while the items are in flight cause exactly one renewal for all of them.
// Nothing n8n printed contains a secret or a token, in any encoding.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CALL, httpRequestCall, ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';
import { APIM_SUBSCRIPTION_KEY } from '../servers/wild/apim.mjs';
import { findLeaks } from '../support/leakSearch.cjs';

const LINE = process.env.N8N_LINE ?? '2';
const ITEMS = 20;
const WSO2_SECRET = 'p%s+w:rd/x';

const wild = (u, path) => `${u.wildBaseUrl}${path}`;

/**
 * Each recipe: the credential's fields, the node's parameters, the lab endpoint that counts its token
 * requests, what a first execution costs, and how to tell an item succeeded.
 */
const RECIPES = {
	zoom: {
		name: 'Zoom server-to-server OAuth (account credentials)',
		endpoint: 'wild-zoom',
		data: (u) => ({
			tokenUrl: wild(u, '/zoom/oauth/token'),
			clientId: 'zoom-client',
			clientSecret: 'zoom-client-secret',
			clientGrantType: 'custom',
			customGrantType: 'account_credentials',
			extraParameters: { parameter: [{ name: 'account_id', value: 'zoom-account-1', sendIn: 'query' }] },
		}),
		call: (u) => ({ method: 'GET', url: `${u.apiUrl}/echo` }),
		ok: (json) => json.method === 'GET',
		secrets: ['zoom-client-secret'],
	},
	apim: {
		name: 'An API behind Azure API Management (gateway key on the token request)',
		endpoint: 'wild-apim',
		data: (u) => ({
			tokenUrl: wild(u, '/apim/token'),
			clientId: 'apim-client',
			clientSecret: 'apim-client-secret',
			extraHeaders: { header: [{ name: 'Ocp-Apim-Subscription-Key', value: APIM_SUBSCRIPTION_KEY }] },
		}),
		call: (u) => ({ method: 'GET', url: `${u.apiUrl}/echo` }),
		ok: (json) => json.method === 'GET',
		secrets: ['apim-client-secret', APIM_SUBSCRIPTION_KEY],
	},
	textplain: {
		name: 'A provider that answers JSON as text/plain',
		endpoint: 'wild-textplain',
		data: (u) => ({ tokenUrl: wild(u, '/textplain/token'), clientId: 'textplain-client', clientSecret: 'textplain-secret' }),
		call: (u) => ({ method: 'GET', url: `${u.apiUrl}/echo` }),
		ok: (json) => json.method === 'GET',
		secrets: ['textplain-secret'],
	},
	formResponse: {
		name: 'A form-encoded token response',
		endpoint: 'wild-form-response',
		data: (u) => ({ tokenUrl: wild(u, '/form-response/token'), clientId: 'form-client', clientSecret: 'form-secret' }),
		call: (u) => ({ method: 'GET', url: `${u.apiUrl}/echo` }),
		ok: (json) => json.method === 'GET',
		secrets: ['form-secret'],
	},
	nested: {
		name: 'A token nested in the response, found automatically (data.access_token)',
		endpoint: 'wild-nested',
		data: (u) => ({ tokenUrl: wild(u, '/nested/data/token'), clientId: 'nested-client', clientSecret: 'nested-secret' }),
		call: (u) => ({ method: 'GET', url: `${u.apiUrl}/echo` }),
		ok: (json) => json.method === 'GET',
		secrets: ['nested-secret'],
	},
	namedFields: {
		name: 'Token fields named by the user (payload.credentials.bearer)',
		endpoint: 'wild-nested',
		data: (u) => ({
			tokenUrl: wild(u, '/nested/custom/token'),
			clientId: 'nested-client',
			clientSecret: 'nested-secret',
			responseFields: 'custom',
			responseAccessPath: 'payload.credentials.bearer',
			responseExpiryPath: 'payload.credentials.validUntil',
		}),
		call: (u) => ({ method: 'GET', url: `${u.apiUrl}/echo` }),
		ok: (json) => json.method === 'GET',
		secrets: ['nested-secret'],
	},
	wso2: {
		name: 'A server that reads Basic credentials raw (WSO2)',
		endpoint: 'wso2',
		first: 2,
		data: (u) => ({ tokenUrl: u.rawBasicTokenUrl, clientId: 'wso2-client', clientSecret: WSO2_SECRET }),
		call: (u) => ({ method: 'GET', url: `${u.apiUrl}/echo` }),
		ok: (json) => json.method === 'GET',
		secrets: [WSO2_SECRET],
	},
	queryToken: {
		name: 'An API that wants the token as a query parameter',
		endpoint: 'oidc',
		data: (u) => ({ tokenUrl: u.oidcTokenUrl, clientId: 'cc-basic', clientSecret: 'cc-basic-secret', authLocation: 'query' }),
		call: (u) => ({ method: 'GET', url: wild(u, '/query-token/api/items') }),
		ok: (json) => json.ok === true && json.parameter === 'access_token',
		secrets: ['cc-basic-secret'],
	},
	queryTokenHttpRequest: {
		name: "An API that wants the token as a query parameter, through n8n's HTTP Request node",
		endpoint: 'oidc',
		node: 'http',
		data: (u) => ({ tokenUrl: u.oidcTokenUrl, clientId: 'cc-basic', clientSecret: 'cc-basic-secret', authLocation: 'query' }),
		call: (u) => ({ url: wild(u, '/query-token/api/items') }),
		ok: (json) => json.ok === true && json.parameter === 'access_token',
		secrets: ['cc-basic-secret'],
	},
	marketo: {
		name: 'Marketo (expiry signalled in the body)',
		endpoint: 'wild-marketo',
		data: (u) => ({
			tokenUrl: wild(u, '/marketo/identity/oauth/token'),
			clientId: 'marketo-client',
			clientSecret: 'marketo-secret',
			clientAuthentication: 'body',
		}),
		call: (u, query = '') => ({
			method: 'GET',
			url: wild(u, `/marketo/rest/v1/leads.json?filterType=id&filterValues=1${query}`),
			options: { renewTokenWhenBody: { rules: [{ statusCodes: '200', field: 'errors.code', values: '601, 602' }] } },
		}),
		ok: (json) => json.success === true,
		secrets: ['marketo-secret'],
	},
};

const idOf = (prefix, key) => `${prefix}${key}`.replace(/[^A-Za-z0-9]/g, '').padEnd(16, '0').slice(0, 16);
const credId = (key) => idOf('rcC', key);
const wfId = (key, variant = '') => idOf(`rcW${variant}`, key);
const ref = (key) => ({ id: credId(key), name: `Recipe: ${RECIPES[key].name}`, type: 'clientCredentialsOAuth2Api' });

function callOf(key, u, ...args) {
	const recipe = RECIPES[key];
	return recipe.node === 'http' ? httpRequestCall(ref(key), recipe.call(u, ...args)) : ourCall(ref(key), recipe.call(u, ...args));
}

let h;

before(async () => {
	h = await startHarness();
	await h.cli.importJson('credentials', Object.keys(RECIPES).map((key) => ({ ...ref(key), data: RECIPES[key].data(h.urls) })));
	const workflows = Object.keys(RECIPES).map((key) => workflow(wfId(key), `recipe: ${key}`, { items: ITEMS, call: callOf(key, h.urls) }));
	// Marketo: every token is revoked once, just before the 5th API request of the execution is
	// answered, while the other items are in flight.
	workflows.push(workflow(wfId('marketo', 'R'), 'recipe: marketo, tokens revoked in flight', { items: ITEMS, call: callOf('marketo', h.urls, '&revokeAfter=5&key=in-flight') }));
	await h.importWorkflows(workflows);
});

after(async () => {
	await h?.stop();
});

/** Every secret of the recipe and every token the lab issued, searched in all n8n printed. */
async function assertNothingLeaked(key, result) {
	const { tokens = [] } = await h.issuedTokens();
	const values = [...RECIPES[key].secrets.map((value) => ({ label: 'a secret', value })), ...tokens.map((value) => ({ label: 'an issued token', value }))];
	const leaks = findLeaks(`${result.stdout}\n${result.stderr}`, values);
	assert.deepEqual(leaks.map((leak) => `${leak.label} as ${leak.encoding}: ${leak.excerpt}`), []);
}

async function execute(key, variant = '') {
	const result = await h.cli.execute(wfId(key, variant));
	assert.ok(result.run, `no run for ${key}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
	const error = runError(result.run);
	assert.equal(error, undefined, `the run failed: ${error?.message}`);
	const output = nodeOutput(result.run, CALL).map((item) => item.json);
	const stats = await h.stats();
	await assertNothingLeaked(key, result);
	return { output, tokenRequests: stats.tokenRequests.byEndpoint[RECIPES[key].endpoint] ?? 0, stats };
}

function assertAllSucceeded(key, output) {
	assert.equal(output.length, ITEMS, `${ITEMS} items out`);
	const failed = output.filter((json) => !RECIPES[key].ok(json));
	assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of ${ITEMS} items did not succeed`);
}

describe(`the README's recipes in real n8n ${LINE}.x`, () => {
	for (const key of Object.keys(RECIPES)) {
		const recipe = RECIPES[key];
		const first = recipe.first ?? 1;
		test(`${recipe.name}: ${ITEMS} items, ${first} token request(s), then the stored token`, async () => {
			await h.reset();
			const one = await execute(key);
			assertAllSucceeded(key, one.output);
			assert.equal(one.tokenRequests, first, 'token requests of the first execution');

			await h.reset();
			const two = await execute(key);
			assertAllSucceeded(key, two.output);
			// n8n 2.x stored the token; 1.x stores none, so its new process fetches one more.
			assert.equal(two.tokenRequests, LINE === '1' ? first : 0, 'token requests of the second execution');
		});
	}

	test(`Marketo: tokens revoked while ${ITEMS} items are in flight → exactly one renewal, every item succeeds`, async () => {
		await h.reset();
		await fetch(wild(h.urls, '/marketo/__reset'), { method: 'POST' });
		const run = await execute('marketo', 'R');
		assertAllSucceeded('marketo', run.output);
		const marketo = await (await fetch(wild(h.urls, '/marketo/__stats'))).json();
		assert.ok(marketo.answers['601'] >= 1, `items were refused in the body (601: ${marketo.answers['601']})`);
		// 2.x starts from the stored token, so the one request is the renewal; 1.x's new process fetches first.
		assert.equal(run.tokenRequests, LINE === '1' ? 2 : 1, 'token requests: one renewal for all items in flight');
	});
});
