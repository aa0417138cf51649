// The user's path through n8n's Community Nodes panel, against a private registry on loopback:
// install the released 0.2.0, use the node and both credential types, upgrade to this tree's
// version without re-entering anything (the token 0.2.0 stored is reused), uninstall, restart.
//
// n8n (1.x and 2.x) installs from a registry other than the public one only with the license
// feature `feat:communityNodes:customRegistry` (without it: 500 "Your license does not allow for
// feat:communityNodes:customRegistry"). n8n's own test mode (E2E_TESTS=true) lets a test switch a
// license feature on through PATCH /rest/e2e/feature; this file uses it for that feature only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startLab } from '../servers/oauth-lab.mjs';
import { packCommit } from '../n8n-harness/commit-pack.mjs';
import { credentialFixtures, CRED } from '../n8n-harness/fixtures/credentials.mjs';
import { OUR_NODE, ourCall, webhookWorkflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startLocalRegistry } from '../n8n-harness/local-registry.mjs';
import { N8nCli } from '../n8n-harness/n8n-cli.mjs';
import { ensureN8n, repoRoot } from '../n8n-harness/n8n-env.mjs';
import { restClient, setUpOwner, startN8nProcess, waitForWebhook } from '../n8n-harness/n8n-server.mjs';
import { buildAndPack } from '../n8n-harness/package-install.mjs';

const PKG = 'n8n-nodes-oauth2-grants';
const RELEASED = { commit: '3c670a5', version: '0.2.0' };
const CURRENT_VERSION = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
const CREDENTIAL_TYPES = [CRED.clientCredentials.type, CRED.passwordGrant.type];
const HOOK = 'oauth2-grants-panel';
const WORKFLOW_NAME = 'panel webhook';
const ITEMS = 5;
const LONG = { timeout: 20 * 60_000 };
// What a webhook of an active workflow whose node was uninstalled answers, as each line does it.
const UNKNOWN_NODE_STATUS = { 1: 500, 2: 400 };

const log = (message) => console.log(`[panel] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let env;
let work;
let lab;
let registry;
let cli;
let server;
let rest;
const created = {}; // the ids n8n gave the credentials and the workflow

/**
 * n8n 1.x runs the panel's update check (`npm outdated` in the nodes folder) with PATH and
 * NODE_PATH only, so only the folder's own .npmrc can send it to the private registry.
 */
function pointNodesFolderAt(userFolder, registryUrl) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	fs.writeFileSync(path.join(nodesDir, '.npmrc'), `registry=${registryUrl}/\n`);
}

function panelCli(userFolder, registryUrl) {
	const panel = new N8nCli({
		nodeBin: env.nodeBin,
		n8nBin: env.n8nBin,
		userFolder,
		extraEnv: {
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_COMMUNITY_PACKAGES_REGISTRY: registryUrl,
			// A package n8n has not vetted; n8n 2.x warns that this default will become false.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			E2E_TESTS: 'true',
		},
	});
	// n8n 2.x hands its environment to the npm it runs: none of the settings of the npm running this test.
	for (const key of Object.keys(panel.env)) if (/^npm_config_/i.test(key)) delete panel.env[key];
	return panel;
}

/**
 * Until n8n's REST routes are mounted, any path answers with the editor's page (200, HTML): only a
 * JSON answer came from the test endpoint. The feature lives in memory, so every start needs it.
 */
async function enableCustomRegistry(url) {
	for (let attempt = 0; attempt < 240; attempt++) {
		const r = await fetch(`${url}/rest/e2e/feature`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ feature: 'feat:communityNodes:customRegistry', enabled: true }),
		});
		const text = await r.text();
		if ((r.headers.get('content-type') ?? '').includes('json')) {
			assert.equal(r.status, 200, `enabling the custom registry feature: ${text}`);
			return;
		}
		await sleep(500);
	}
	throw new Error('n8n never answered PATCH /rest/e2e/feature with JSON');
}

async function startN8n(port) {
	const started = await startN8nProcess(cli, { port });
	await enableCustomRegistry(started.url);
	return started;
}

async function labControl(pathname, body) {
	const r = await fetch(`${lab.urls.baseUrl}/__lab/${pathname}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return await r.json();
}
const labStats = () => labControl('stats');
const labReset = () => labControl('reset', {});

async function listPackages() {
	const r = await rest('GET', '/community-packages');
	assert.equal(r.status, 200, r.text);
	return r.json.data;
}

/** The node and credential types the editor loads (what its panels and pickers offer). */
async function typesFile(kind) {
	const r = await fetch(`${server.url}/types/${kind}.json`, { headers: { cookie: rest.cookie } });
	assert.equal(r.status, 200, `/types/${kind}.json`);
	return await r.json();
}

function nodesFolderFile(...parts) {
	const file = path.join(cli.userFolder, '.n8n', 'nodes', ...parts);
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

function fixture(key) {
	return credentialFixtures(lab.urls).find((c) => c.id === CRED[key].id);
}

async function createCredentials() {
	for (const key of ['clientCredentials', 'passwordGrant']) {
		const { name, type, data } = fixture(key);
		const r = await rest('POST', '/credentials', { name, type, data });
		assert.equal(r.status, 200, `creating ${type}: ${r.text}`);
		created[key] = r.json.data.id;
	}
}

/** Saves the webhook workflow and activates it, as the editor's Save and Publish/Activate do. */
async function createHookWorkflow() {
	const cred = { ...CRED.clientCredentials, id: created.clientCredentials };
	const { id, ...workflow } = webhookWorkflow('unusedFixtureId1', WORKFLOW_NAME, {
		path: HOOK,
		items: ITEMS,
		call: ourCall(cred, { method: 'GET', url: '=/echo?item={{ $json.ids }}' }),
	});
	void id; // n8n picks the id
	const r = await rest('POST', '/workflows', workflow);
	assert.equal(r.status, 200, r.text);
	created.workflowId = r.json.data.id;
	const a = await rest('POST', `/workflows/${created.workflowId}/activate`, { versionId: r.json.data.versionId });
	assert.equal(a.status, 200, a.text);
	await waitForWebhook(server.url, HOOK);
}

async function callHook() {
	const r = await fetch(`${server.url}/webhook/${HOOK}`);
	const text = await r.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: r.status, text, json };
}

/** One webhook run: every item answered by the API, which accepted a client-credentials token. */
async function assertHookRun() {
	const r = await callHook();
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.length, ITEMS);
	for (const item of r.json) {
		assert.equal(item.client?.clientId, 'cc-basic', JSON.stringify(item));
		assert.equal(item.client?.grant, 'client_credentials');
	}
}

/** The log a restarted n8n wrote from `offset` on, once it says the editor is up. */
async function logOfStart(started, offset) {
	for (let attempt = 0; attempt < 240; attempt++) {
		const text = started.log().slice(offset);
		if (text.includes('Editor is now accessible via')) return text;
		await sleep(500);
	}
	throw new Error(`n8n never logged that the editor is accessible; see ${started.logFile}`);
}

before(async () => {
	env = ensureN8n();
	log(`n8n line ${env.line}: ${env.n8nBin}; this tree's version ${CURRENT_VERSION}`);
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-panel-'));
	// A day: no token may expire between the run before the upgrade and the run after it.
	lab = await startLab({ config: { accessTokenTtlSeconds: 24 * 3600 } });

	const released = packCommit(RELEASED.commit);
	const current = buildAndPack(path.join(work, 'pack'), { skipBuild: process.env.E2E_SKIP_BUILD === '1' });
	registry = await startLocalRegistry({ nodeBin: env.nodeBin, workDir: path.join(work, 'registry'), keep: process.env.E2E_KEEP === '1' });
	registry.publish(released);
	registry.publish(current);
	const versions = Object.keys((await registry.packument(PKG)).versions);
	assert.deepEqual(versions, [RELEASED.version, CURRENT_VERSION]);
	log(`registry ${registry.url} holds ${PKG} ${versions.join(', ')}`);

	const userFolder = path.join(work, 'user');
	pointNodesFolderAt(userFolder, registry.url);
	cli = panelCli(userFolder, registry.url);
	server = await startN8n();
	const owner = await setUpOwner(server.url);
	rest = restClient(server.url, owner.cookie);
}, LONG);

after(async () => {
	await server?.stop();
	await registry?.stop();
	await lab?.close();
	if (work && process.env.E2E_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
});

describe("n8n's Community Nodes panel", () => {
	test(`installs ${PKG}@${RELEASED.version}: its node and both credential types are offered`, LONG, async () => {
		const r = await rest('POST', '/community-packages', { name: PKG, version: RELEASED.version });
		log(`POST /rest/community-packages -> ${r.status}`);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.data.installedVersion, RELEASED.version);
		assert.deepEqual(r.json.data.installedNodes.map((n) => n.type), [OUR_NODE]);

		const listed = await listPackages();
		assert.equal(listed.length, 1, JSON.stringify(listed));
		assert.equal(listed[0].packageName, PKG);
		assert.equal(listed[0].installedVersion, RELEASED.version);
		assert.equal(listed[0].updateAvailable, CURRENT_VERSION, "the panel offers this tree's version from the registry");
		assert.deepEqual(listed[0].installedNodes.map((n) => n.type), [OUR_NODE]);
		assert.equal(nodesFolderFile('package.json').dependencies[PKG], RELEASED.version);

		const nodeTypes = await typesFile('nodes');
		assert.ok(nodeTypes.some((n) => n.name === OUR_NODE), `${OUR_NODE} in the editor's node types`);
		const credentialTypes = await typesFile('credentials');
		for (const type of CREDENTIAL_TYPES) {
			const listedType = credentialTypes.find((t) => t.name === type);
			assert.ok(listedType, `${type} in the editor's credential types`);
			assert.ok(listedType.supportedNodes.includes(OUR_NODE), `${type} is offered for ${OUR_NODE}`);
		}
	});

	test('the node runs with a client-credentials credential; a password-grant credential gets a token', LONG, async () => {
		await createCredentials();
		await createHookWorkflow();
		await labReset();
		await assertHookRun();
		const s = await labStats();
		assert.equal(s.tokenRequests.total, 1, 'one token for every item');
		assert.equal(s.tokenRequests.byGrant.client_credentials, 1);
		assert.equal(s.apiRequests, ITEMS);
		assert.equal(s.api401, 0, 'every API request carried a valid token');

		await labReset();
		// What the editor's "Test" button sends for a saved credential: its id and the form's data.
		const { name, type, data } = fixture('passwordGrant');
		const t = await rest('POST', '/credentials/test', { credentials: { id: created.passwordGrant, name, type, data } });
		assert.equal(t.status, 200, t.text);
		assert.equal(t.json.data.status, 'OK', t.json.data.message);
		const p = await labStats();
		assert.equal(p.tokenRequests.total, 1);
		assert.equal(p.tokenRequests.byGrant.password, 1, 'the credential test fetched a password-grant token');
	});

	test(`upgrades to ${CURRENT_VERSION} without a restart: the workflow runs on with the stored token`, LONG, async () => {
		const r = await rest('PATCH', '/community-packages', { name: PKG, version: CURRENT_VERSION });
		log(`PATCH /rest/community-packages -> ${r.status}`);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.data.installedVersion, CURRENT_VERSION);
		const listed = await listPackages();
		assert.equal(listed.length, 1, JSON.stringify(listed));
		assert.equal(listed[0].installedVersion, CURRENT_VERSION);
		assert.equal(listed[0].updateAvailable, undefined);
		assert.equal(nodesFolderFile('node_modules', PKG, 'package.json').version, CURRENT_VERSION, 'the new files are in place');
		assert.equal(nodesFolderFile('package.json').dependencies[PKG], CURRENT_VERSION);

		// n8n reloads the package in-process (require cache dropped), so no token is left in memory:
		// a run without a token request used the token 0.2.0 stored in the credential.
		await labReset();
		await assertHookRun();
		const s = await labStats();
		assert.equal(s.tokenRequests.total, 0, 'the stored token is reused');
		assert.equal(s.apiRequests, ITEMS);
		assert.equal(s.api401, 0);
	});

	test('uninstalls; n8n starts again on the same user folder and shows the node as unknown', LONG, async () => {
		const r = await rest('DELETE', `/community-packages?name=${encodeURIComponent(PKG)}`);
		log(`DELETE /rest/community-packages -> ${r.status}`);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(await listPackages(), []);
		assert.equal(nodesFolderFile('node_modules', PKG, 'package.json'), undefined, 'the package folder is gone');
		// 2.x also drops it from the nodes folder's package.json; 1.x leaves that entry behind (harmless:
		// what n8n loads at start-up comes from its database, which no longer lists the package).
		assert.equal(nodesFolderFile('package.json').dependencies[PKG], env.line === '1' ? CURRENT_VERSION : undefined);
		await assertTypesGone();
		await assertHookRefused('before the restart');

		const port = server.port;
		await server.stop();
		const offset = server.log().length;
		server = await startN8n(port);
		const startLog = await logOfStart(server, offset);

		assert.deepEqual(await listPackages(), []);
		await assertTypesGone();
		const wf = await rest('GET', `/workflows/${created.workflowId}`);
		assert.equal(wf.status, 200, wf.text);
		assert.ok(wf.json.data.nodes.some((n) => n.type === OUR_NODE), 'the workflow keeps the node, now of an unknown type');
		const creds = await rest('GET', '/credentials');
		assert.equal(creds.status, 200, creds.text);
		assert.deepEqual(creds.json.data.map((c) => c.type).sort(), [...CREDENTIAL_TYPES].sort(), 'the credentials stay, of unknown types');
		await assertHookRefused('after the restart');
		assertStartLog(startLog);
	});
});

async function assertTypesGone() {
	assert.ok(!(await typesFile('nodes')).some((n) => n.name === OUR_NODE), `${OUR_NODE} no longer offered`);
	const credentialTypes = await typesFile('credentials');
	for (const type of CREDENTIAL_TYPES) assert.ok(!credentialTypes.some((t) => t.name === type), `${type} no longer offered`);
}

/** The workflow stays active with its webhook registered; a call fails on the unknown node. */
async function assertHookRefused(when) {
	const r = await callHook();
	log(`webhook ${when}: ${r.status} ${r.json?.message}`);
	assert.equal(r.status, UNKNOWN_NODE_STATUS[env.line], r.text);
	assert.equal(r.json?.message, `Unrecognized node type: ${OUR_NODE}`);
}

/**
 * A clean start: nothing about missing packages (the uninstall removed the package's records
 * too), and the package is named only where the active workflow's node is reported unknown.
 * n8n 1.x tries to activate that workflow at start-up and logs that it could not.
 */
function assertStartLog(startLog) {
	log(`lines of the restart naming the package or failing:\n${startLog.split('\n').filter((l) => l.includes(PKG) || /issue|fail|error/i.test(l)).join('\n')}`);
	assert.doesNotMatch(startLog, /packages are missing|reinstall/i);
	for (const line of startLog.split('\n').filter((l) => l.includes(PKG))) {
		assert.ok(line.includes(`Unrecognized node type: ${OUR_NODE}`), `unexpected log line: ${line}`);
	}
	if (env.line === '1') assert.ok(startLog.includes(`Issue on initial workflow activation try of "${WORKFLOW_NAME}"`), startLog);
}
