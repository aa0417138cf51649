// Every workflow in examples/ runs in real n8n, so the examples users import never rot. Each is
// imported as a user would (its credential references re-pointed at the lab's credentials of the
// same type; the relative URLs resolve against the credential's API base URL), then executed.
// The AI Agent example talks to the scripted chat model in test/servers/chat-model.mjs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { FINAL_ANSWER_PREFIX, startChatModel } from '../servers/chat-model.mjs';
import { assertNoLeaks } from '../support/leakSearch.cjs';
import { asLabWorkflow, chatCredential, exampleFiles } from '../n8n-harness/fixtures/examples.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';

const AGENT_PAGE = 2;

let h;
let chat;
const outputs = [];

const WF = {
	'client-credentials.json': 'exClientCreds001',
	'password-grant.json': 'exPasswordGrant1',
	'pagination.json': 'exPagination0001',
	'binary-download.json': 'exBinaryDownload',
	'ai-agent-tool.json': 'exAiAgentTool001',
};

async function runExample(file) {
	const result = await h.cli.execute(WF[file]);
	outputs.push(result.stdout, result.stderr);
	const status = result.run?.status ?? (runError(result.run) ? 'error' : 'unknown');
	assert.equal(status, 'success', `${file} failed:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`);
	return result.run;
}

before(async () => {
	h = await startHarness();
	chat = await startChatModel({ toolArguments: { page: AGENT_PAGE } });
	await h.cli.importJson('credentials', [chatCredential(chat.baseUrl)]);
	await h.importWorkflows(Object.entries(WF).map(([file, id]) => asLabWorkflow(file, id)));
});

after(async () => {
	await chat?.close();
	await h?.stop();
});

describe('the examples in examples/', () => {
	test('every example file is listed here, so none goes untested', () => {
		assert.deepEqual(exampleFiles(), Object.keys(WF).sort());
	});

	test('client credentials: three orders sent with one token', async () => {
		await h.revokeAll();
		await h.reset();
		const run = await runExample('client-credentials.json');
		const items = nodeOutput(run, 'Send each order').map((i) => i.json);
		const s = await h.stats();
		assert.deepEqual(items.map((i) => i.body), [
			{ orderId: 101, total: 25.5 },
			{ orderId: 102, total: 12 },
			{ orderId: 103, total: 99.9 },
		]);
		assert.ok(items.every((i) => i.method === 'POST' && i.path === '/api/echo' && i.client.grant === 'client_credentials'));
		assert.equal(s.tokenRequests.total, 1);
		assert.equal(s.apiRequests, 3);
		assert.equal(s.api401, 0);
	});

	test('password grant: the API sees a token issued for the user', async () => {
		await h.reset();
		const run = await runExample('password-grant.json');
		const [item] = nodeOutput(run, 'Call the API as the user').map((i) => i.json);
		assert.equal(item.client.grant, 'password');
		assert.equal(item.client.clientId, 'pw-client');
		assert.deepEqual(item.query, { view: 'profile' });
	});

	test('pagination: all 23 records from 5 pages, one token (the stored one)', async () => {
		await h.reset();
		const run = await runExample('pagination.json');
		const pages = nodeOutput(run, 'Get every page');
		const records = nodeOutput(run, 'One item per record').map((i) => i.json.id);
		const s = await h.stats();
		assert.equal(pages.length, 5);
		assert.deepEqual(records, Array.from({ length: 23 }, (_, i) => i + 1));
		assert.ok(s.tokenRequests.total <= 1, `token requests: ${s.tokenRequests.total}`);
		assert.equal(s.apiRequests, 5);
		assert.equal(s.api401, 0);
	});

	test('binary download: the PNG arrives as binary data', async () => {
		await h.reset();
		const run = await runExample('binary-download.json');
		const [item] = nodeOutput(run, 'Download the file');
		assert.equal(item.binary?.data?.mimeType, 'image/png');
		assert.ok(item.binary.data.fileSize || item.binary.data.data, 'binary content present');
	});

	test('AI Agent: the model calls the OAuth2 tool and answers with what the API returned', async () => {
		await h.reset();
		const callsBefore = chat.toolCalls.length;
		const run = await runExample('ai-agent-tool.json');
		const [answer] = nodeOutput(run, 'AI Agent').map((i) => i.json.output);
		const calls = chat.toolCalls.slice(callsBefore);
		const s = await h.stats();
		assert.equal(calls.length, 1, 'one tool call');
		assert.equal(calls[0].name, 'Inventory_API');
		assert.ok(!calls[0].offered.some((name) => /token/i.test(name)), `no token tool offered: ${calls[0].offered}`);
		assert.ok(typeof answer === 'string' && answer.startsWith(FINAL_ANSWER_PREFIX), `agent output: ${answer}`);
		// Page 2 holds items 6 to 10; the tool's result reached the model and its answer.
		for (const id of [6, 7, 8, 9, 10]) assert.match(answer, new RegExp(`"id":\\s*${id}\\b`));
		assert.ok(s.tokenRequests.total <= 1, `token requests: ${s.tokenRequests.total}`);
		assert.equal(s.apiRequests, 1);
		assert.equal(s.api401, 0);
		const prompts = JSON.stringify(chat.requests);
		const { tokens } = await h.issuedTokens();
		assert.ok(tokens.length > 0);
		for (const token of tokens) assert.ok(!prompts.includes(token), 'no access token reaches the model');
	});

	test('no secret or token appears in any n8n output', async () => {
		const all = outputs.join('\n');
		const { tokens } = await h.issuedTokens();
		assert.ok(tokens.length > 0 && all.length > 0);
		const secrets = [['cc-basic-secret', 'cc-basic'], ['pw-client-secret', 'pw-client'], ['alice-password']];
		assertNoLeaks(all, [
			...secrets.map(([value, clientId]) => ({ value, clientId, label: `the secret ${value.slice(0, 3)}…` })),
			...tokens.map((value) => ({ value, label: 'an issued access token' })),
		], 'the n8n outputs');
	});
});
