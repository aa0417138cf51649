// Issue 14, findings 2, 3 and 8 in real n8n: servers that quote what they were sent (the lab's fault
// token endpoint quoting the request body raw, with lower-case escapes, URL-decoded, as JSON and as
// PHP-style JSON; an API quoting the token it refused), 2xx token responses that are no JSON object,
// a proxy with a password, through this package's node (failing and with continueOnFail) and through
// n8n's credential test (POST /rest/credentials/test on a running n8n). n8n runs at debug log level,
// and everything it wrote is searched for every value in every encoding (test/support/leakSearch).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { freePort, nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';
import { setUpOwner, startN8nProcess } from '../n8n-harness/n8n-server.mjs';
import { CALL } from '../n8n-harness/fixtures/workflows.mjs';
import { assertNoLeaks, findLeaks } from '../support/leakSearch.cjs';
import { runCase } from './rows.cjs';

const GROUP = 'security: redaction (real n8n)';
const SECRET = "S3cr!'()~ %/+:é-e2e";
const PASSWORD = "Pa55!'()~ %/+:ü-e2e";
const CLIENT_ID = 'redact-e2e-client';
const PROXY_PASSWORD = 'Pr0xy-Pa55!word';
const FRESH = { access: 'Fresh-Access-E2e-T0ken-a1b2c3', refresh: 'Fresh-Refresh-E2e-T0ken-d4e5f6' };

const ref = (id, name, type) => ({ id, name, type });
const RCRED = {
	echoPassword: ref('rdcEchoPassword1', 'Redaction: password grant, body auth', 'passwordGrantOAuth2Api'),
	echoBasic: ref('rdcEchoBasicCrd1', 'Redaction: client credentials, Basic', 'clientCredentialsOAuth2Api'),
	shortPassword: ref('rdcShortPasswrd1', 'Redaction: 1-character password', 'passwordGrantOAuth2Api'),
	api: ref('rdcApiCredentia1', 'Redaction: tokens the API accepts', 'clientCredentialsOAuth2Api'),
};

const WF = {
	echoFail: 'rdcWfEchoFail001',
	echoContinue: 'rdcWfEchoCont001',
	echoBasic: 'rdcWfEchoBasic01',
	shortPassword: 'rdcWfShortPass01',
	fresh: 'rdcWfFresh2xx001',
	apiEcho: 'rdcWfApiEcho0001',
	apiEchoContinue: 'rdcWfApiEchoCnt1',
	renewed: 'rdcWfRenewed0001',
	proxy: 'rdcWfProxy000001',
	proxyContinue: 'rdcWfProxyCont01',
};

const ECHO_ALL = { status: 400, headers: { 'content-type': 'application/json' }, echo: ['raw', 'lowercase', 'decoded', 'json', 'php', 'headers', 'url'] };

let h;
let server;
const outputs = [];
let closedPort;

function credentials(urls) {
	const base = (cred, data) => ({
		...cred,
		data: {
			tokenUrl: urls.faultTokenUrl,
			baseUrl: urls.apiUrl,
			clientId: CLIENT_ID,
			clientSecret: SECRET,
			clientAuthentication: 'body',
			requestFormat: 'form',
			accessToken: '',
			...data,
		},
	});
	return [
		base(RCRED.echoPassword, { username: 'alice', password: PASSWORD }),
		base(RCRED.echoBasic, { clientAuthentication: 'header' }),
		base(RCRED.shortPassword, { username: 'alice', password: 'e' }),
		base(RCRED.api, {}),
	];
}

const get = (url, extra = {}) => ({ method: 'GET', url, ...extra });
const continuing = { onError: 'continueRegularOutput' };

const proxyUrl = () => `http://proxy-user:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${closedPort}`;

function workflows() {
	const proxy = proxyUrl();
	const perItem = '={{ ["/echo", "/status/403?echoAuth=bare&ms=1500", "/flaky-once?key=renew-e2e&status=401"][$json.ids] }}';
	return [
		workflow(WF.echoFail, 'redaction: token endpoint quotes the request', { call: ourCall(RCRED.echoPassword, get('/echo')) }),
		workflow(WF.echoContinue, 'redaction: same, continue on fail', { call: ourCall(RCRED.echoPassword, get('/echo'), continuing) }),
		workflow(WF.echoBasic, 'redaction: token endpoint quotes the Basic header', { call: ourCall(RCRED.echoBasic, get('/echo')) }),
		workflow(WF.shortPassword, 'redaction: 1-character password quoted', { call: ourCall(RCRED.shortPassword, get('/echo')) }),
		workflow(WF.fresh, 'redaction: 2xx token response that is no JSON object', { call: ourCall(RCRED.api, get('/echo'), continuing) }),
		workflow(WF.apiEcho, 'redaction: API quotes the Authorization header', { call: ourCall(RCRED.api, get('/status/403?echoAuth=1')) }),
		workflow(WF.apiEchoContinue, 'redaction: same, continue on fail', { call: ourCall(RCRED.api, get('/status/403?echoAuth=bare'), continuing) }),
		workflow(WF.renewed, 'redaction: API quotes the token an item sent, after a renewal', { items: 3, call: ourCall(RCRED.api, get(perItem), continuing) }),
		workflow(WF.proxy, 'redaction: proxy with a password, unreachable', { call: ourCall(RCRED.api, get('/echo', { options: { proxy } })) }),
		workflow(WF.proxyContinue, 'redaction: same, continue on fail', { call: ourCall(RCRED.api, get('/echo', { options: { proxy } }), continuing) }),
	];
}

async function execute(id) {
	const result = await h.cli.execute(id);
	outputs.push(result.stdout, result.stderr);
	const run = result.run;
	assert.ok(run, `no run in the output of ${id}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
	const error = runError(run) ?? run.data?.resultData?.runData?.[CALL]?.[0]?.error;
	return { items: nodeOutput(run, CALL), error, text: `${result.stdout}\n${result.stderr}` };
}

/** Every value of this file's credentials, with the Basic forms of the client id. */
function credentialValues() {
	return [
		{ value: SECRET, label: 'client secret', clientId: CLIENT_ID },
		{ value: PASSWORD, label: 'password' },
		{ value: 'e', label: 'one-character password' },
		{ value: PROXY_PASSWORD, label: 'proxy password' },
	];
}

async function tokenValues() {
	const { tokens } = await h.issuedTokens();
	return [...tokens, FRESH.access, FRESH.refresh].map((value) => ({ value, label: 'an access or refresh token of these credentials' }));
}

/**
 * The Proxy option as the workflow holds it: n8n puts the node's parameters into every node error
 * (error.node), so the workflow's own text comes back with the run. That is the user's workflow, not
 * a message; any other place the proxy password shows is still searched.
 */
function withoutWorkflowParameters(text) {
	const url = proxyUrl().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	// As JSON, pretty-printed or not, and quoted once more inside a JSON log line.
	return text.replace(new RegExp(`(proxy\\\\{0,3}"\\s*:\\s*\\\\{0,3}")${url}`, 'g'), "$1<the workflow's parameter>");
}

/** Searches one run's whole output (and its error) now, so a failing case names itself. */
async function assertRunClean(outcome, what) {
	const shown = `${outcome.text}\n${JSON.stringify(outcome.error ?? {})}\n${JSON.stringify(outcome.items)}`;
	assertNoLeaks(withoutWorkflowParameters(shown), [...credentialValues(), ...(await tokenValues())], what);
}

function redactionCase(name, expected, body) {
	test(name, async () => await runCase({ group: GROUP, name, expected }, body));
}

before(async () => {
	h = await startHarness();
	// n8n's most talkative log level, so the search sees everything n8n could write; as JSON lines,
	// in which the run is the message of one line.
	Object.assign(h.cli.env, { N8N_LOG_LEVEL: 'debug', N8N_LOG_FORMAT: 'json' });
	closedPort = await freePort();
	await h.cli.importJson('credentials', credentials(h.urls));
	await h.importWorkflows(workflows());
});

after(async () => {
	await server?.stop();
	await h?.stop();
});

describe('a token endpoint that quotes the request (finding 2)', () => {
	redactionCase(
		'password grant, body authentication, every quoting; the run fails',
		'the error names the endpoint and the server\'s words; neither password nor secret in any encoding anywhere in n8n\'s output',
		async () => {
			await h.reset();
			await h.labControl('token-faults', [ECHO_ALL]);
			const outcome = await execute(WF.echoFail);
			assert.ok(outcome.error, 'the run fails');
			assert.match(outcome.error.message, /^Token request to http:\/\/127\.0\.0\.1:\d+\/faults\/token failed: 400 invalid_request \(could not read the request: body grant_type=password&username=alice&password=\*\*\*/);
			const seen = (await h.stats()).faultRequests.at(-1).body;
			assert.ok(seen.includes(new URLSearchParams({ p: PASSWORD }).toString().slice(2)), 'the endpoint got the password to quote');
			await assertRunClean(outcome, 'the run');
			return `error: ${outcome.error.message}`;
		},
	);

	redactionCase('the same with continueOnFail', 'the item carries the masked error', async () => {
		await h.reset();
		await h.labControl('token-faults', [ECHO_ALL]);
		const outcome = await execute(WF.echoContinue);
		assert.equal(outcome.items.length, 1);
		assert.match(String(outcome.items[0].json.error), /failed: 400 invalid_request/);
		await assertRunClean(outcome, 'the run');
		return `item error: ${outcome.items[0].json.error}`;
	});

	redactionCase('Basic authentication (id and secret form-encoded), the header quoted back', 'the header value is masked', async () => {
		await h.reset();
		await h.labControl('token-faults', [{ ...ECHO_ALL, echo: ['headers', 'raw'] }]);
		const outcome = await execute(WF.echoBasic);
		assert.match(String(outcome.error?.message), /authorization: Basic \*\*\*/);
		await assertRunClean(outcome, 'the run');
		return `error: ${outcome.error.message}`;
	});

	redactionCase('a 1-character password ("e")', 'masked by structure (password=***); the rest of the message readable', async () => {
		await h.reset();
		await h.labControl('token-faults', [{ ...ECHO_ALL, echo: ['raw', 'decoded', 'json'] }]);
		const outcome = await execute(WF.shortPassword);
		assert.match(String(outcome.error?.message), /username=alice&password=\*\*\*&client_id=redact-e2e-client/);
		assert.match(String(outcome.error?.message), /The server found the request malformed/);
		await assertRunClean(outcome, 'the run');
		return `error: ${outcome.error.message}`;
	});
});

describe('2xx token responses that are no JSON object (finding 3)', () => {
	redactionCase('form-encoded, JSON array, text: each carrying a fresh access and refresh token', 'each names the shape only; neither token anywhere', async () => {
		const answers = [
			// A form-encoded token response is read since issue 15; this one holds its tokens under names no detection knows.
			{ status: 200, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `session=${FRESH.access}&renewal=${FRESH.refresh}&token_type=bearer` },
			{ status: 200, headers: { 'content-type': 'application/json' }, body: [{ access_token: FRESH.access, refresh_token: FRESH.refresh }] },
			{ status: 200, headers: { 'content-type': 'text/plain' }, body: `token ${FRESH.access} refresh ${FRESH.refresh}` },
		];
		const seen = [];
		for (const answer of answers) {
			await h.reset();
			await h.labControl('token-faults', [answer]);
			const outcome = await execute(WF.fresh);
			const error = String(outcome.items[0]?.json?.error ?? outcome.error?.message);
			assert.match(error, /failed: 200, the response (has no access_token|is a JSON array|is text)/);
			await assertRunClean(outcome, 'the run');
			seen.push(error.replace(/^Token request to \S+ failed: /, '').split('.')[0]);
		}
		return seen.join(' | ');
	});
});

describe('an API that quotes the token (finding 8)', () => {
	redactionCase('403 quoting the Authorization header; the run fails', '"Bearer ***" in the error', async () => {
		await h.reset();
		const outcome = await execute(WF.apiEcho);
		assert.match(String(outcome.error?.message), /The API answered 403: Forbidden: refused the credentials "Bearer \*\*\*"/);
		await assertRunClean(outcome, 'the run');
		return `error: ${outcome.error.message}`;
	});

	redactionCase('403 quoting the bare token, continueOnFail', 'the token is masked by value', async () => {
		await h.reset();
		const outcome = await execute(WF.apiEchoContinue);
		assert.match(String(outcome.items[0].json.error), /token \*\*\* may not read this/);
		await assertRunClean(outcome, 'the run');
		return `item error: ${outcome.items[0].json.error}`;
	});

	redactionCase(
		'403 quoting the token item 1 sent, answered after item 2\'s 401 renewed the token',
		'item 1 shows neither the token it sent nor the new one',
		async () => {
			await h.reset();
			const outcome = await execute(WF.renewed);
			const s = await h.stats();
			// A renewal during the run: one token request (the stored token went first) or two (none was stored).
			assert.ok(s.tokenRequests.total >= 1, `token requests: ${s.tokenRequests.total}`);
			assert.ok(s.apiRevoked + (s.apiByStatus['401'] ?? 0) >= 1, 'item 2 was refused once');
			assert.match(String(outcome.items[1].json.error), /token \*\*\* may not read this/);
			assert.equal(outcome.items[2].json.ok, true);
			await assertRunClean(outcome, 'the run');
			return `${s.tokenRequests.total} token requests; item 1: ${outcome.items[1].json.error}`;
		},
	);
});

describe('a proxy with a password (finding 8)', () => {
	for (const [id, label] of [[WF.proxy, 'the run fails'], [WF.proxyContinue, 'continueOnFail']]) {
		redactionCase(`the node's Proxy option with a password, nothing listening (${label})`, 'a network error without the proxy password anywhere', async () => {
			await h.reset();
			const outcome = await execute(id);
			const error = String(outcome.items[0]?.json?.error ?? outcome.error?.message ?? '');
			assert.ok(error, 'an error is shown');
			await assertRunClean(outcome, 'the run');
			return `error: ${error}`;
		});
	}
});

describe('the credential test (POST /rest/credentials/test)', () => {
	redactionCase(
		'token endpoint quoting the request, in a running n8n',
		'the test fails with the server\'s words, masked; the server\'s log holds no value',
		async () => {
			server = await startN8nProcess(h.cli);
			const owner = await setUpOwner(server.url);
			const fixture = credentials(h.urls).find((c) => c.id === RCRED.echoPassword.id);
			await h.reset();
			await h.labControl('token-faults', [ECHO_ALL]);
			const { status, json, text } = await owner.rest('POST', '/credentials/test', { credentials: fixture });
			assert.equal(status, 200, text);
			assert.equal(json.data.status, 'Error');
			assert.match(json.data.message, /invalid_request/);
			assert.equal((await h.stats()).faultRequests.length, 1, 'the test asked the token endpoint');
			assertNoLeaks(text, credentialValues(), 'the credential test response');
			outputs.push(text);
			return `message: ${json.data.message}`;
		},
	);
});

describe('everything n8n wrote', () => {
	redactionCase(
		'search every output of this file, n8n\'s CLI log and the server log (debug level)',
		'no value of these credentials, no issued token, no proxy password, in any encoding',
		async () => {
			const logs = [h.cli.logFile, server?.logFile].filter((file) => file && fs.existsSync(file)).map((file) => fs.readFileSync(file, 'utf8'));
			const haystack = withoutWorkflowParameters([...outputs, ...logs].join('\n'));
			const values = [...credentialValues(), ...(await tokenValues())];
			const leaks = findLeaks(haystack, values);
			assert.deepEqual(leaks.map((leak) => `${leak.label} as ${leak.encoding}: ${leak.excerpt}`), []);
			return `${outputs.length} outputs and ${logs.length} logs (${Math.round(haystack.length / 1024)} KiB, ${logs.map((l, i) => (i ? 'server' : path.basename(h.cli.logFile))).join(', ')}) searched for ${values.length} values in every encoding: none found`;
		},
	);
});
