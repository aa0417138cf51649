// One running n8n: concurrent webhook executions share one token, and the credential test of
// both types reports success or the server's error, with and without an API base URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CRED, credentialFixtures } from '../n8n-harness/fixtures/credentials.mjs';
import { ourCall, webhookWorkflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { activateWorkflow, setUpOwner, startN8nProcess, waitForWebhook } from '../n8n-harness/n8n-server.mjs';

let h;
let server;
let owner;
const HOOK = 'oauth2-grants-e2e';

before(async () => {
	h = await startHarness();
	await h.importWorkflows([
		webhookWorkflow('e2eHookOurs00001', 'webhook ours', {
			path: HOOK,
			items: 20,
			call: ourCall(CRED.clientCredentials, { method: 'GET', url: '=/echo?item={{ $json.ids }}' }),
		}),
	]);
	await activateWorkflow(h.cli, 'e2eHookOurs00001', h.env.line);
	server = await startN8nProcess(h.cli);
	owner = await setUpOwner(server.url);
	await waitForWebhook(server.url, HOOK);
});

after(async () => {
	await server?.stop();
	await h?.stop();
});

async function credentialTest(fixture, changes = {}) {
	const credentials = { ...fixture, data: { ...fixture.data, ...changes } };
	const { json, status, text } = await owner.rest('POST', '/credentials/test', { credentials });
	assert.equal(status, 200, text);
	return json.data;
}

describe('a running n8n', () => {
	test('5 concurrent executions of one process share one token request', async () => {
		await h.revokeAll();
		await h.reset();
		const responses = await Promise.all(
			Array.from({ length: 5 }, () => fetch(`${server.url}/webhook/${HOOK}`).then(async (r) => ({ status: r.status, body: await r.json() }))),
		);
		const s = await h.stats();
		for (const r of responses) {
			assert.equal(r.status, 200);
			assert.equal(r.body.length, 20);
		}
		assert.equal(s.tokenRequests.total, 1);
		assert.equal(s.apiRequests, 100);
		assert.equal(s.api401, 0);
	});

	test('the credential test succeeds, with and without an API base URL, for both types', async () => {
		const fixtures = credentialFixtures(h.urls);
		const cc = fixtures.find((c) => c.id === CRED.clientCredentials.id);
		const pw = fixtures.find((c) => c.id === CRED.passwordGrant.id);
		await h.reset();
		// A distinct scope each time, so no test can be answered from the process's token cache.
		for (const [fixture, changes] of [[cc, { scope: 'write' }], [cc, { baseUrl: '', scope: 'read write' }], [pw, { scope: 'read' }], [pw, { baseUrl: '', scope: 'write' }]]) {
			const result = await credentialTest(fixture, changes);
			assert.equal(result.status, 'OK', `${fixture.type} ${JSON.stringify(changes)}: ${result.message}`);
		}
		const s = await h.stats();
		assert.equal(s.tokenRequests.total, 4, 'each test fetched a token');
	});

	test("the credential test shows the server's error for a wrong secret, without the secret", async () => {
		const fixtures = credentialFixtures(h.urls);
		const cc = fixtures.find((c) => c.id === CRED.clientCredentials.id);
		const result = await credentialTest(cc, { clientSecret: 'wrong-secret-9931' });
		assert.equal(result.status, 'Error');
		assert.match(result.message, /invalid_client/);
		assert.ok(!result.message.includes('wrong-secret-9931'));
	});

	test('the credential test of a token URL that redirects to another origin says so in words, not by a code', async () => {
		const fixtures = credentialFixtures(h.urls);
		const cc = fixtures.find((c) => c.id === CRED.clientCredentials.id);
		const result = await credentialTest(cc, { tokenUrl: `${h.urls.redirectorUrl}/redirect/307/port/token`, clientSecret: 'moved-secret-5521' });
		assert.equal(result.status, 'Error');
		assert.match(result.message, /redirected \(307\) to another origin/, result.message);
		assert.doesNotMatch(result.message, /^[A-Z_]+$/, 'a code alone');
		assert.ok(!result.message.includes('moved-secret-5521'));
	});
});
