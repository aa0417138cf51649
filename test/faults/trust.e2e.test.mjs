// Trust and storage (issue 14, findings 10 and 11) in real n8n: the packed package, the lab, and a
// running n8n with an owner. A credential holds a token as the package stores it (fetched from the lab,
// its fingerprint made by the installed package; n8n 1.x does not store tokens itself any more, but
// reads those 2.x or 0.2.0 stored). What the editor loads of a credential (GET /rest/credentials/:id with
// includeData, and the list) shows none of the hidden fields the package stores; a save from the editor
// (PATCH with the data as loaded, sentinels included) keeps the stored token, which the next run uses
// without a token request; a token of a type other than Bearer is refused in our node with an error
// that names the endpoint and the type. Each case records a row of the fault table.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { SECRETS } from '../n8n-harness/fixtures/credentials.mjs';
import { CALL, ourCall, webhookWorkflow, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';
import { activateWorkflow, setUpOwner, startN8nProcess, waitForWebhook } from '../n8n-harness/n8n-server.mjs';
import { findLeaks } from '../support/leakSearch.cjs';
import { runCase } from './rows.cjs';

const GROUP = 'security: trust and storage (real n8n)';
const FAULT_SECRET = 'trust-e2e-S3cret:%+é';
// Every field the package stores with a token (credentials/common/names.ts STORED_FIELDS). The two times
// are numbers, which n8n 1.x cannot redact (its redaction calls startsWith on the value): they are the
// only ones the editor may see.
const HIDDEN = ['accessToken', 'expiresAt', 'issuedAt', 'refreshToken', 'fingerprint', 'accessTokenType', 'grantedScope', 'instanceUrl'];
const TIMES = ['expiresAt', 'issuedAt'];
const HOOK = 'trust-e2e-stored';

const TCRED = {
	stored: { id: 'trsStoredCred001', name: 'Trust: token stored by the package', type: 'passwordGrantOAuth2Api' },
	mac: { id: 'trsMacTypeCred01', name: 'Trust: token endpoint issues mac tokens', type: 'clientCredentialsOAuth2Api' },
};
const WF = { hook: 'trsWfStoredHook1', mac: 'trsWfMacType0001' };

let h;
let server;
let owner;
let stored; // the hidden fields the credential holds
const outputs = []; // every n8n output and REST answer of this file, searched for secrets at the end
const MAC_TOKEN = 'mac-typed-e2e-token-5f1c';

/** A password-grant token from the lab, as an earlier run would have fetched it. */
async function earlierToken(u) {
	const response = await fetch(u.oauth2TokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: SECRETS.password, client_id: 'pw-client', client_secret: SECRETS.pwClientSecret, scope: 'read' }).toString(),
	});
	assert.equal(response.status, 200, `earlier token: ${response.status}`);
	return await response.json();
}

/** The hidden fields the installed package stores with `token` for `fixture`'s fields. */
function storedFieldsFor(fixture, token) {
	const require = createRequire(import.meta.url);
	const dist = path.join(h.userFolder, '.n8n/nodes/node_modules/n8n-nodes-oauth2-grants/dist');
	const { grantTypeOf, tokenConfigFromCredentials } = require(path.join(dist, 'credentials/common/credentialData.js'));
	const fingerprints = require(path.join(dist, 'engine/fingerprint.js'));
	const config = tokenConfigFromCredentials(fixture.data, grantTypeOf(fixture.type));
	// Before issue 14 the package had one unsalted form, fingerprintOf.
	const fingerprint = fingerprints.newFingerprint ? fingerprints.newFingerprint(config) : fingerprints.fingerprintOf(config);
	const now = Date.now();
	return {
		accessToken: token.access_token,
		expiresAt: now + 3_600_000,
		issuedAt: now,
		refreshToken: token.refresh_token,
		fingerprint,
		accessTokenType: 'Bearer',
		grantedScope: 'read',
		instanceUrl: '',
	};
}

function credentials(u) {
	return [
		{
			...TCRED.stored,
			data: {
				tokenUrl: u.oauth2TokenUrl,
				baseUrl: u.apiUrl,
				clientId: 'pw-client',
				clientSecret: SECRETS.pwClientSecret,
				clientAuthentication: 'body',
				requestFormat: 'form',
				username: 'alice',
				password: SECRETS.password,
				scope: 'read',
				accessToken: '',
			},
		},
		{
			...TCRED.mac,
			data: {
				tokenUrl: u.faultTokenUrl,
				baseUrl: u.apiUrl,
				clientId: 'fault-client',
				clientSecret: FAULT_SECRET,
				clientAuthentication: 'header',
				requestFormat: 'form',
				accessToken: '',
			},
		},
	];
}

const echo = (cred) => ourCall(cred, { method: 'GET', url: '=/echo?item={{ $json.ids }}' });

async function execute(id) {
	const result = await h.cli.execute(id);
	outputs.push(result.stdout, result.stderr);
	assert.ok(result.run, `no run in the output of ${id}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
	const error = runError(result.run) ?? result.run.data?.resultData?.runData?.[CALL]?.[0]?.error;
	return { run: result.run, items: nodeOutput(result.run, CALL), error };
}

function trustCase(name, expected, body) {
	test(name, async () => await runCase({ group: GROUP, name, expected }, body));
}

/** One run of the webhook workflow in the running n8n (n8n stores the token the way it does for every user). */
async function runHook() {
	const response = await fetch(`${server.url}/webhook/${HOOK}`);
	const body = await response.text();
	outputs.push(body);
	assert.equal(response.status, 200, body.slice(0, 500));
	return JSON.parse(body);
}

/** A value n8n's credential API puts in place of a password field's value (CREDENTIAL_BLANKING_VALUE, CREDENTIAL_EMPTY_VALUE). */
const isSentinel = (value) => typeof value === 'string' && /^__n8n_(BLANK|EMPTY)_VALUE_/.test(value);

/**
 * The stored values that must not appear anywhere in what the editor loads: the tokens, the fingerprint
 * and the times. A short value (the granted scope "read", the type "Bearer") is also an ordinary word of
 * the answer; its field is checked by name.
 */
function storedValues(data) {
	return HIDDEN.filter((name) => !TIMES.includes(name))
		.map((name) => [name, data[name]])
		.filter(([, value]) => value !== undefined && String(value).length >= 12);
}

before(async () => {
	h = await startHarness();
	// n8n's most talkative log level, so the leak search sees everything n8n could write; as JSON
	// lines, in which the run of `n8n execute` is the message of one line.
	Object.assign(h.cli.env, { N8N_LOG_LEVEL: 'debug', N8N_LOG_FORMAT: 'json' });
	const fixtures = credentials(h.urls);
	const holder = fixtures.find((fixture) => fixture.id === TCRED.stored.id);
	stored = storedFieldsFor(holder, await earlierToken(h.urls));
	Object.assign(holder.data, stored);
	await h.cli.importJson('credentials', fixtures);
	await h.importWorkflows([
		webhookWorkflow(WF.hook, 'trust: runs with the stored token', { path: HOOK, items: 2, call: echo(TCRED.stored) }),
		workflow(WF.mac, 'trust: token type mac', { items: 1, call: echo(TCRED.mac) }),
	]);
	await activateWorkflow(h.cli, WF.hook, h.env.line);
});

after(async () => {
	await server?.stop();
	await h?.stop();
});

describe(`trust and storage in n8n ${process.env.N8N_LINE ?? '2'}.x`, () => {
	trustCase(
		'token_type "mac" from the token endpoint, our node',
		'the run fails: the error names the token endpoint and the type, not the token; no API request',
		async () => {
			await h.reset();
			const token = MAC_TOKEN;
			await h.labControl('token-faults', [{ status: 200, headers: { 'content-type': 'application/json' }, body: { access_token: token, token_type: 'mac', expires_in: 600 } }]);
			const { error } = await execute(WF.mac);
			const s = await h.stats();
			assert.ok(error, 'the run should fail');
			const shown = `${error.message}\n${error.description ?? ''}`;
			assert.match(shown, new RegExp(`Token request to ${h.urls.faultTokenUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} failed`));
			assert.match(shown, /type "mac"/);
			assert.ok(!outputs.join('\n').includes(token), 'the mac token shows in n8n\'s output');
			assert.equal(s.apiRequests, 0);
			return `error: ${error.message}; API requests: ${s.apiRequests}`;
		},
	);

	trustCase('a token stored in the credential', 'used as it is: 0 token requests, every API request carries it', async () => {
		server = await startN8nProcess(h.cli);
		owner = await setUpOwner(server.url);
		await waitForWebhook(server.url, HOOK);
		await h.reset();
		assert.equal((await runHook()).length, 2);
		const s = await h.stats();
		assert.equal(s.tokenRequests.total, 0);
		assert.equal(s.apiRequests, 2);
		assert.equal(s.api401, 0);
		return `${s.tokenRequests.total} token requests; ${s.apiRequests} API requests, ${s.api401} refused`;
	});

	trustCase(
		'what the editor loads: GET /rest/credentials/:id?includeData=true and the list',
		'no hidden text field\'s value (tokens, fingerprint, type, scope, instance URL): each is n8n\'s sentinel; nor the secret or password; only the two times show',
		async () => {
			const one = await owner.rest('GET', `/credentials/${TCRED.stored.id}?includeData=true`);
			assert.equal(one.status, 200, one.text);
			const list = await owner.rest('GET', '/credentials?includeData=true');
			assert.equal(list.status, 200, list.text);
			outputs.push(one.text, list.text);
			const data = (one.json.data ?? one.json).data;
			assert.ok(data && typeof data === 'object', `no data in ${one.text.slice(0, 300)}`);
			const shownFields = HIDDEN.filter((name) => !TIMES.includes(name) && data[name] !== undefined && !isSentinel(data[name]));
			for (const name of TIMES) assert.equal(typeof data[name], 'number', `${name} is a time`);
			assert.deepEqual(shownFields, [], `shown to the browser: ${shownFields.map((name) => `${name}=${JSON.stringify(data[name])}`).join(', ')}`);
			for (const [name, value] of storedValues(stored)) {
				for (const [label, text] of [['credential', one.text], ['list', list.text]]) {
					assert.ok(!text.includes(String(value)), `${label} shows the stored ${name}`);
				}
			}
			for (const secret of [SECRETS.pwClientSecret, SECRETS.password]) assert.ok(!one.text.includes(secret));
			return `fields in the answer: ${HIDDEN.filter((name) => name in data).map((name) => `${name}=${String(data[name]).slice(0, 18)}`).join(', ')}`;
		},
	);

	trustCase(
		'a save from the editor: PATCH /rest/credentials/:id with the data as loaded',
		'the stored token, refresh token, fingerprint and times stay as they were (no sentinel stored); the next run sends the stored token, 0 token requests',
		async () => {
			const loaded = await owner.rest('GET', `/credentials/${TCRED.stored.id}?includeData=true`);
			const credential = loaded.json.data ?? loaded.json;
			const saved = await owner.rest('PATCH', `/credentials/${TCRED.stored.id}`, { id: credential.id, name: credential.name, type: credential.type, data: credential.data });
			assert.equal(saved.status, 200, saved.text);
			outputs.push(saved.text);
			const after = (await h.cli.exportCredentials(TCRED.stored.id)).data;
			for (const name of HIDDEN) {
				assert.ok(!isSentinel(after[name]), `${name} now holds n8n's sentinel`);
				assert.deepEqual(after[name], stored[name], `${name} changed on save`);
			}
			await h.reset();
			assert.equal((await runHook()).length, 2);
			const s = await h.stats();
			assert.equal(s.tokenRequests.total, 0, 'no token request after the save');
			assert.equal(s.apiRequests, 2);
			assert.equal(s.api401, 0);
			return `after the save: hidden fields unchanged; run: ${s.apiRequests} API requests, ${s.tokenRequests.total} token requests, ${s.api401} refused`;
		},
	);

	trustCase(
		'search every output of this file, the REST answers and n8n\'s logs (debug level)',
		'no client secret, password, stored or issued token anywhere',
		async () => {
			const { tokens } = await h.issuedTokens();
			const values = [
				{ value: SECRETS.pwClientSecret, clientId: 'pw-client', label: 'client secret' },
				{ value: SECRETS.password, label: 'password' },
				{ value: FAULT_SECRET, clientId: 'fault-client', label: 'the mac credential\'s secret' },
				{ value: MAC_TOKEN, label: 'the mac token' },
				{ value: stored.accessToken, label: 'the stored access token' },
				{ value: stored.refreshToken, label: 'the stored refresh token' },
				...tokens.map((value) => ({ value, label: 'an issued token' })),
			];
			const logs = [h.cli.logFile, server?.logFile].filter(Boolean).map((file) => fs.readFileSync(file, 'utf8'));
			const haystack = [...outputs, ...logs].join('\n');
			const leaks = findLeaks(haystack, values);
			assert.deepEqual(leaks.map((leak) => `${leak.label} as ${leak.encoding}: ${leak.excerpt}`), []);
			return `${Math.round(haystack.length / 1024)} KiB searched for ${values.length} values in every encoding of test/support/leakSearch: none found`;
		},
	);
});
