// The package as users meet it, in a real browser: Debian's Chromium driven through n8n's editor
// (the demo n8n: package installed from its tarball, the lab's servers, the lab credentials).
// Screenshots go to UI_SCREENSHOT_DIR (docs/images with `npm run docs:screenshots`).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CRED, SECRETS } from '../n8n-harness/fixtures/credentials.mjs';
import { asLabWorkflow, chatCredential } from '../n8n-harness/fixtures/examples.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { setUpOwner, startN8nProcess } from '../n8n-harness/n8n-server.mjs';
import { startChatModel } from '../servers/chat-model.mjs';
import { launchBrowser } from './browser.mjs';
import {
	closeCredentialModal,
	fieldHint,
	fieldInput,
	fillField,
	ndvLabels,
	ndvParameters,
	openNewCredential,
	openNodeCreatorFrom,
	openWorkflow,
	optionNames,
	pollUntil,
	retryTest,
	saveAndReadTest,
	screenshotCanvas,
	screenshotDialog,
	screenshotDir,
	screenshotWholeDialog,
	searchCredentialTypes,
	searchNodes,
	selectOption,
	settleForScreenshot,
	signIn,
	visibleFields,
} from './n8n-editor.mjs';

const CC_TYPE = 'OAuth2 Client Credentials API';
const PW_TYPE = 'OAuth2 Password Grant API';
const NODE = 'OAuth2 HTTP Request';
const TOOL = 'OAuth2 HTTP Request Tool';
// The fields n8n must never show: the token and its bookkeeping live in hidden fields.
const HIDDEN = ['accessToken', 'expiresAt', 'issuedAt', 'refreshToken', 'fingerprint', 'accessTokenType', 'grantedScope', 'instanceUrl'];
const WF = { call: 'uiCallTheApi0001', agent: 'uiAgentEmpty0001', example: 'uiExampleAgent01' };

let h;
let chat;
let server;
let browser;
let page;
const shots = screenshotDir();
const shot = (name) => path.join(shots, name);

/** A test that leaves a screenshot of the page behind when it fails. */
function uiTest(name, fn) {
	test(name, async () => {
		try {
			await fn();
		} catch (error) {
			const file = shot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
			await page?.screenshot({ path: file }).catch(() => {});
			error.message += `\n(screenshot: ${file})`;
			throw error;
		}
	});
}

const inOrder = (list, names) => {
	const indexes = names.map((n) => list.indexOf(n));
	return indexes.every((index, i) => index >= 0 && (i === 0 || index > indexes[i - 1]));
};

before(async () => {
	h = await startHarness();
	chat = await startChatModel();
	await h.cli.importJson('credentials', [chatCredential(chat.baseUrl)]);
	const trigger = { id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	await h.importWorkflows([
		{ id: WF.call, name: 'UI: call the API', active: false, nodes: [trigger], connections: {}, settings: { executionOrder: 'v1' } },
		{
			id: WF.agent,
			name: 'UI: AI Agent',
			active: false,
			nodes: [
				trigger,
				{ id: 'a', name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3, position: [260, 0], parameters: { promptType: 'define', text: 'Hello', options: {} } },
			],
			connections: { Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		},
		asLabWorkflow('ai-agent-tool.json', WF.example),
	]);
	server = await startN8nProcess(h.cli);
	const owner = await setUpOwner(server.url);
	browser = await launchBrowser();
	page = browser.page;
	await signIn(page, server.url, owner);
});

after(async () => {
	await browser?.close();
	await server?.stop();
	await chat?.close();
	await h?.stop();
});

describe('the credentials in the editor', () => {
	uiTest('"Add credential" finds both types under their display names', async () => {
		assert.ok((await searchCredentialTypes(page, server.url, 'OAuth2 Client')).includes(CC_TYPE));
		assert.ok((await searchCredentialTypes(page, server.url, 'password grant')).includes(PW_TYPE));
		assert.ok((await searchCredentialTypes(page, server.url, 'client credentials')).includes(CC_TYPE));
	});

	uiTest('client credentials form: the fields in order, the token fields hidden, the token URL readable', async () => {
		const modal = await openNewCredential(page, server.url, CC_TYPE);
		const fields = await visibleFields(modal);
		assert.ok(inOrder(fields, ['tokenUrl', 'clientId', 'clientAuthentication', 'clientSecret', 'scope', 'audience', 'requestFormat', 'baseUrl', 'authHeaderName']), fields.join(','));
		for (const name of [...HIDDEN, 'username', 'password']) assert.ok(!fields.includes(name), `${name} shown`);
		assert.equal(await fieldInput(modal, 'tokenUrl').getAttribute('type'), 'text', 'the token URL is not masked');
		assert.equal(await fieldInput(modal, 'clientSecret').getAttribute('type'), 'password', 'the secret is masked');
		assert.match(await fieldHint(modal, 'tokenUrl'), /token is requested/);
		assert.match(await fieldHint(modal, 'baseUrl'), /only to this host/);
		assert.match(await fieldHint(modal, 'scope'), /\.default/);

		const methods = await optionNames(page, modal, 'clientAuthentication');
		for (const m of ['Send as Basic Auth Header', 'Send as Basic Auth Header, Not Encoded', 'Send in Body']) assert.ok(methods.includes(m), `${m} in ${methods}`);
		assert.ok(!methods.includes('None (Public Client)'), 'a client credentials client always authenticates');
		assert.deepEqual(await optionNames(page, modal, 'requestFormat'), ['Form (Standard)', 'JSON']);

		// Each method shows what it needs: a secret for Basic and body, a key for a signed JWT.
		for (const method of ['Send in Body', 'Send as Basic Auth Header, Not Encoded', 'Send as Basic Auth Header']) {
			await selectOption(page, modal, 'clientAuthentication', method);
			assert.ok((await visibleFields(modal)).includes('clientSecret'), `secret shown for ${method}`);
		}
		if (methods.includes('Private Key JWT')) {
			await selectOption(page, modal, 'clientAuthentication', 'Private Key JWT');
			const jwtFields = await visibleFields(modal);
			assert.ok(jwtFields.includes('privateKey') && !jwtFields.includes('clientSecret'), jwtFields.join(','));
			await selectOption(page, modal, 'clientAuthentication', 'Send as Basic Auth Header');
		}

		await fillField(modal, 'tokenUrl', 'https://YOUR_TENANT.eu.auth0.com/oauth/token');
		await fillField(modal, 'clientId', 'n8n-reporting');
		await fillField(modal, 'clientSecret', 'example-secret-value');
		await fillField(modal, 'audience', 'https://api.example.com');
		await fillField(modal, 'baseUrl', 'https://api.example.com/v1');
		await screenshotWholeDialog(page, modal, shot('credential-client-credentials.png'));
		await closeCredentialModal(page, modal);
	});

	uiTest('fields for providers off the textbook appear only when a choice needs them', async () => {
		const modal = await openNewCredential(page, server.url, CC_TYPE);
		const CONDITIONAL = ['customGrantType', 'responseAccessPath', 'responseExpiryPath', 'responseRefreshPath', 'authQueryParameter'];
		const fields = await visibleFields(modal);
		for (const name of ['clientGrantType', 'responseFields', 'authLocation', 'authHeaderName', 'authHeaderPrefix']) assert.ok(fields.includes(name), `${name} missing: ${fields}`);
		for (const name of CONDITIONAL) assert.ok(!fields.includes(name), `${name} shown with every choice at its default`);
		assert.ok(inOrder(fields, ['clientGrantType', 'scope', 'requestFormat', 'baseUrl', 'authLocation', 'authHeaderName', 'defaultLifetimeSeconds', 'responseFields']), fields.join(','));
		// The gateway key's collection is one line with an add button until a header is added.
		assert.match(await modal.innerText(), /Extra Token Request Headers\s+Currently no items exist\s+Add Header/);

		await selectOption(page, modal, 'clientGrantType', 'Custom');
		assert.ok((await visibleFields(modal)).includes('customGrantType'), 'Custom shows the grant type field');
		await selectOption(page, modal, 'responseFields', 'Name the Fields');
		const named = await visibleFields(modal);
		for (const name of ['responseAccessPath', 'responseExpiryPath', 'responseRefreshPath']) assert.ok(named.includes(name), `${name} shown for Name the Fields`);
		await selectOption(page, modal, 'authLocation', 'Query Parameter');
		const query = await visibleFields(modal);
		assert.ok(query.includes('authQueryParameter'), 'Query Parameter shows the parameter name');
		assert.ok(!query.includes('authHeaderName') && !query.includes('authHeaderPrefix'), 'the header fields go away for a query parameter');
		await closeCredentialModal(page, modal);

		const password = await openNewCredential(page, server.url, PW_TYPE);
		assert.ok(!(await visibleFields(password)).includes('clientGrantType'), 'the password grant has no grant type choice');
		await closeCredentialModal(page, password);
	});

	uiTest("the credential test reports success against the lab, and the server's error_description for a wrong secret", async () => {
		const modal = await openNewCredential(page, server.url, CC_TYPE);
		await fillField(modal, 'tokenUrl', h.urls.oidcTokenUrl);
		await fillField(modal, 'clientId', 'cc-basic');
		await fillField(modal, 'clientSecret', 'wrong-secret-4417');
		await fillField(modal, 'scope', 'read');
		await fillField(modal, 'baseUrl', h.urls.apiUrl);
		await h.reset();
		const failed = await saveAndReadTest(page, modal);
		assert.equal(failed.ok, false);
		assert.ok(failed.message.length > 0, 'the editor shows the error');
		assert.match(failed.message, /invalid_client/);
		assert.match(failed.message, /client authentication failed/, 'the server\'s error_description');
		assert.ok(!failed.message.includes('wrong-secret-4417'), 'the secret is never shown');
		await screenshotDialog(page, modal, shot('credential-test-error.png'));

		await fillField(modal, 'clientSecret', SECRETS.ccSecret);
		const passed = await saveAndReadTest(page, modal);
		assert.equal(passed.ok, true, passed.message);
		assert.equal((await h.stats()).tokenRequests.total, 2, 'each save tested against the lab: one refused, one issued');
		const probes = (await h.stats()).apiRequests;
		const retried = await retryTest(page, modal);
		assert.equal(retried.ok, true);
		assert.equal((await h.stats()).apiRequests, probes + 1, 'the test button probed the API with the token');
		await screenshotDialog(page, modal, shot('credential-test-success.png'));
		await closeCredentialModal(page, modal);
	});

	uiTest('token request format: JSON reaches a JSON-only token endpoint, form does not', async () => {
		const modal = await openNewCredential(page, server.url, CC_TYPE);
		await fillField(modal, 'tokenUrl', h.urls.jsonTokenUrl);
		await fillField(modal, 'clientId', 'json-client');
		await fillField(modal, 'clientSecret', 'json-secret');
		await selectOption(page, modal, 'clientAuthentication', 'Send in Body');
		const asForm = await saveAndReadTest(page, modal);
		assert.equal(asForm.ok, false, 'the JSON endpoint refuses a form body');
		await selectOption(page, modal, 'requestFormat', 'JSON');
		const asJson = await saveAndReadTest(page, modal);
		assert.equal(asJson.ok, true, asJson.message);
		await closeCredentialModal(page, modal);
	});

	uiTest('password grant form: username and password, a public client hides the secret, the test succeeds', async () => {
		const modal = await openNewCredential(page, server.url, PW_TYPE);
		const fields = await visibleFields(modal);
		assert.ok(inOrder(fields, ['tokenUrl', 'clientId', 'clientAuthentication', 'clientSecret', 'username', 'password', 'scope', 'baseUrl']), fields.join(','));
		for (const name of HIDDEN) assert.ok(!fields.includes(name), `${name} shown`);
		assert.equal(await fieldInput(modal, 'password').getAttribute('type'), 'password');
		assert.equal(await fieldInput(modal, 'username').getAttribute('type'), 'text');
		assert.ok((await optionNames(page, modal, 'clientAuthentication')).includes('None (Public Client)'));
		await selectOption(page, modal, 'clientAuthentication', 'None (Public Client)');
		assert.ok(!(await visibleFields(modal)).includes('clientSecret'), 'no secret for a public client');
		await selectOption(page, modal, 'clientAuthentication', 'Send in Body');
		assert.ok((await visibleFields(modal)).includes('clientSecret'));

		await fillField(modal, 'tokenUrl', 'https://login.salesforce.com/services/oauth2/token');
		await fillField(modal, 'clientId', '3MVG9...consumer-key');
		await fillField(modal, 'clientSecret', 'example-secret-value');
		await fillField(modal, 'username', 'integration@example.com');
		await fillField(modal, 'password', 'example-password');
		await screenshotWholeDialog(page, modal, shot('credential-password-grant.png'));

		await fillField(modal, 'tokenUrl', h.urls.oauth2TokenUrl);
		await fillField(modal, 'clientId', 'pw-client');
		await fillField(modal, 'clientSecret', SECRETS.pwClientSecret);
		await fillField(modal, 'username', 'alice');
		await fillField(modal, 'password', SECRETS.password);
		await fillField(modal, 'scope', 'read');
		await fillField(modal, 'baseUrl', h.urls.apiUrl);
		const result = await saveAndReadTest(page, modal);
		assert.equal(result.ok, true, result.message);
		await closeCredentialModal(page, modal);
	});
});

describe('the node in the editor', () => {
	uiTest('the nodes panel finds it for "OAuth2" and "HTTP", it opens with the HTTP Request parameters and runs', async () => {
		await openWorkflow(page, server.url, WF.call);
		await openNodeCreatorFrom(page, 'Start');
		const http = await searchNodes(page, 'HTTP', NODE);
		assert.ok(http.includes(NODE) && http.includes('HTTP Request'), http.join(','));
		const oauth = await searchNodes(page, 'OAuth2', NODE);
		assert.ok(oauth.includes(NODE), oauth.join(','));
		await page.screenshot({ path: shot('node-search.png') });

		await page.locator('[data-test-id=node-creator-item-name]', { hasText: NODE }).first().click();
		const actions = (await page.locator('[data-test-id=node-creator] [data-test-id=item-iterator-item]').allInnerTexts()).map((t) => t.trim());
		assert.ok(actions.some((a) => a.includes('Send an HTTP request')) && actions.some((a) => a.includes('Get an access token')), actions.join(' | '));
		await page.locator('[data-test-id=node-creator] [data-test-id=item-iterator-item]', { hasText: 'Send an HTTP request' }).click();
		await page.locator('[data-test-id=node-parameters]').waitFor();

		const parameters = await ndvParameters(page);
		assert.ok(inOrder(parameters, ['operation', 'method', 'url', 'sendQuery', 'sendHeaders', 'sendBody']), parameters.join(','));
		assert.ok((await ndvLabels(page)).includes('Credential'), 'one credential picker for both types');

		await page.locator('[data-test-id=node-credentials-select]').click();
		await page.locator('[data-test-id=node-credentials-select-item], .el-select-dropdown__item:visible').filter({ hasText: CRED.clientCredentials.name }).first().click();
		await page.locator('[data-test-id=parameter-input-url] input, [data-test-id=parameter-input-url] [contenteditable]').first().click();
		await page.keyboard.type('/echo?from=editor');
		await page.locator('[data-test-id=node-parameters] label', { hasText: 'Method' }).first().click();
		// The editor stores a typed value after a short delay: run once the node's subtitle shows it.
		const node = page.locator('[data-test-id=canvas-node]', { hasText: NODE });
		await pollUntil(async () => (await node.innerText()).includes('/echo?from=editor'), { what: 'the URL stored in the node' });
		await h.reset();
		await page.locator('[data-test-id=node-execute-button]').first().click();
		const output = page.locator('[data-test-id=output-panel]');
		const shown = await pollUntil(
			async () => {
				const text = await output.innerText();
				return text.includes('/api/echo') || /answered|error|problem/i.test(text) ? text : undefined;
			},
			{ timeoutMs: 120_000, what: 'the node output' },
		);
		assert.ok(shown.includes('/api/echo'), shown);
		const s = await h.stats();
		assert.equal(s.apiRequests, 1);
		assert.equal(s.api401, 0);
		assert.match(await output.innerText(), /editor/);
		await settleForScreenshot(page);
		await page.screenshot({ path: shot('node-parameters.png') });
		await page.keyboard.press('Escape');
	});

	uiTest('the AI Agent is offered the node as a tool, without "Get Access Token"', async () => {
		// On a busy machine the canvas sometimes takes the click on the tool handle before it is
		// ready and opens the ordinary nodes panel: open the workflow again and retry.
		let tools = [];
		for (let attempt = 0; attempt < 3 && !tools.includes(TOOL); attempt++) {
			if (attempt > 0) await page.keyboard.press('Escape');
			await openWorkflow(page, server.url, WF.agent);
			await openNodeCreatorFrom(page, 'AI Agent', { handle: 'input', connectionType: 'ai_tool' });
			tools = await searchNodes(page, 'OAuth2', TOOL);
		}
		assert.ok(tools.includes(TOOL), tools.join(','));
		await page.screenshot({ path: shot('ai-agent-tool-search.png') });
		await page.locator('[data-test-id=node-creator-item-name]', { hasText: TOOL }).first().click();
		await page.locator('[data-test-id=node-parameters]').waitFor();
		const parameters = await ndvParameters(page);
		assert.ok(inOrder(parameters, ['descriptionType', 'method', 'url']), parameters.join(','));
		// No operation to choose: requests only, so the token itself is never a tool's output.
		assert.ok(!parameters.includes('operation'), parameters.join(','));
		assert.ok(!(await page.locator('[data-test-id=node-parameters]').innerText()).includes('Get Access Token'));
		await page.screenshot({ path: shot('ai-agent-tool-parameters.png') });
		await page.keyboard.press('Escape');
	});

	uiTest('icons: the light variants in the light theme, the dark ones in the dark theme', async () => {
		const iconsOnCanvas = async () =>
			await page.locator('[data-test-id=canvas-node] img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')).filter((src) => src.includes('oauth2-grants')));
		await openWorkflow(page, server.url, WF.example);
		await pollUntil(async () => (await iconsOnCanvas()).length > 0, { what: 'our icon on the canvas' });
		assert.ok((await iconsOnCanvas()).every((src) => src.endsWith('/oAuth2HttpRequest.svg')), (await iconsOnCanvas()).join(','));
		await screenshotCanvas(page, shot('workflow-ai-agent-tool.png'));

		await page.evaluate(() => localStorage.setItem('N8N_THEME', 'dark'));
		await openWorkflow(page, server.url, WF.example);
		await pollUntil(async () => (await iconsOnCanvas()).length > 0, { what: 'our icon on the canvas' });
		assert.ok((await iconsOnCanvas()).every((src) => src.endsWith('/oAuth2HttpRequest.dark.svg')), (await iconsOnCanvas()).join(','));
		await screenshotCanvas(page, shot('workflow-ai-agent-tool-dark.png'));
		await page.evaluate(() => localStorage.setItem('N8N_THEME', 'light'));
	});
});
