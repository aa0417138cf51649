// Faults of the API, bad node input and secret leaks, in real n8n: the packed package installed as
// users install it, the lab's servers, one workflow per case (all imported once), run with
// `n8n execute`. Each case records a row of the fault table (rows.cjs); the last case searches every
// output of this file and n8n's log for every secret and every token the lab issued.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CRED, SECRETS } from '../n8n-harness/fixtures/credentials.mjs';
import { CALL, ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { freePort, nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';
import { findLeaks } from '../support/leakSearch.cjs';
import { runCase } from './rows.cjs';

const GROUP_API = 'API (real n8n)';
const GROUP_INPUT = 'node and credential input (real n8n)';
const GROUP_SECRETS = 'secrets (real n8n)';
const FAULT_SECRET = 'fault-e2e-S3cret:%+é';

const cc = (id, name) => ({ id, name, type: 'clientCredentialsOAuth2Api' });
const FCRED = {
	always401: cc('fltAlways401Crd1', 'Faults: API answers 401'),
	oldToken: cc('fltOldTokenCred1', 'Faults: one old token refused'),
	noBase: cc('fltNoBaseCred001', 'Faults: no API base URL'),
	tokenDown: cc('fltTokenDownCrd1', 'Faults: token endpoint down'),
	echoSecret: cc('fltEchoSecretCr1', 'Faults: token endpoint echoes the secret'),
	extraGrant: cc('fltExtraGrantCr1', 'Faults: extra parameter grant_type'),
	getToken: cc('fltGetTokenCred1', 'Faults: Get Access Token'),
	refresh: { id: 'fltRefreshCred01', name: 'Faults: refresh token rejected', type: 'passwordGrantOAuth2Api' },
};

const WF = {
	always401: 'fltWfAlways401x1',
	oldToken: 'fltWfOldToken001',
	retryAfter: 'fltWfRetryAfter1',
	retryHour: 'fltWfRetryHour01',
	always429: 'fltWfAlways429x1',
	redirect: 'fltWfRedirect001',
	redirectCustom: 'fltWfRedirectHd1',
	slow: 'fltWfSlowApi0001',
	reset: 'fltWfResetMid001',
	tokenDown: 'fltWfTokenDown01',
	echoSecret: 'fltWfEchoSecret1',
	echoToken: 'fltWfEchoToken01',
	refresh: 'fltWfRefreshRej1',
	relative: 'fltWfRelativeUr1',
	otherHost: 'fltWfOtherHost01',
	extraGrant: 'fltWfExtraGrant1',
	getToken: 'fltWfGetToken001',
};

let h;
const outputs = []; // every n8n output of this file, searched for secrets at the end
let shownOutput; // the Get Access Token run: the one output allowed to show a token
let executions = 0;

/** Two tokens fetched before the run, stored in their credentials as if an earlier execution had. */
async function fetchEarlierTokens(urls) {
	const post = async (url, params, headers = {}) => {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body: new URLSearchParams(params).toString(),
		});
		assert.equal(response.status, 200, `earlier token from ${url}: ${response.status}`);
		return await response.json();
	};
	const basic = `Basic ${Buffer.from(`cc-basic:${SECRETS.ccSecret}`).toString('base64')}`;
	const cc = await post(urls.oidcTokenUrl, { grant_type: 'client_credentials', scope: 'read' }, { authorization: basic });
	const pw = await post(urls.oauth2TokenUrl, {
		grant_type: 'password',
		username: 'alice',
		password: SECRETS.password,
		client_id: 'pw-client',
		client_secret: SECRETS.pwClientSecret,
		scope: 'read',
	});
	return { oldAccess: cc.access_token, pwAccess: pw.access_token, pwRefresh: pw.refresh_token };
}

/**
 * The hidden fields of a credential holding `tokens`, issued now for an hour, with the fingerprint
 * of its fields as the installed package computes it, so the node sends the token as it is.
 */
function storedFields(h, fixture, tokens) {
	const require = createRequire(import.meta.url);
	const dist = path.join(h.userFolder, '.n8n/nodes/node_modules/n8n-nodes-oauth2-grants/dist');
	const { grantTypeOf, tokenConfigFromCredentials } = require(path.join(dist, 'credentials/common/credentialData.js'));
	const fingerprints = require(path.join(dist, 'engine/fingerprint.js'));
	const now = Date.now();
	// The installed package's own fingerprint function (0.3.0 salts it; 0.2.0 had fingerprintOf).
	const fingerprintOf = fingerprints.newFingerprint ?? fingerprints.fingerprintOf;
	const fingerprint = fingerprintOf(tokenConfigFromCredentials(fixture.data, grantTypeOf(fixture.type)));
	return { ...fixture, data: { ...fixture.data, ...tokens, expiresAt: now + 3_600_000, issuedAt: now, fingerprint } };
}

function credentials(urls, tokenDownUrl) {
	const base = (ref, data) => ({
		...ref,
		data: {
			tokenUrl: urls.oidcTokenUrl,
			baseUrl: urls.apiUrl,
			clientId: 'cc-basic',
			clientSecret: SECRETS.ccSecret,
			clientAuthentication: 'header',
			requestFormat: 'form',
			scope: 'read',
			accessToken: '',
			...data,
		},
	});
	return [
		base(FCRED.always401, { baseUrl: `${urls.apiUrl}/status/401` }),
		base(FCRED.oldToken, {}),
		base(FCRED.noBase, { baseUrl: '' }),
		base(FCRED.tokenDown, { tokenUrl: tokenDownUrl }),
		base(FCRED.echoSecret, { tokenUrl: urls.faultTokenUrl, clientId: 'fault-client', clientSecret: FAULT_SECRET }),
		base(FCRED.extraGrant, { extraParameters: { parameter: [{ name: 'grant_type', value: 'password' }] } }),
		base(FCRED.getToken, {}),
		base(FCRED.refresh, {
			tokenUrl: urls.oauth2TokenUrl,
			clientId: 'pw-client',
			clientSecret: SECRETS.pwClientSecret,
			clientAuthentication: 'body',
			username: 'alice',
			password: SECRETS.password,
		}),
	];
}

const get = (url, extra = {}) => ({ method: 'GET', url, ...extra });

function workflows(urls) {
	const item = '{{ $json.ids }}';
	return [
		workflow(WF.always401, 'faults: API always 401', { items: 3, call: ourCall(FCRED.always401, get(`=?item=${item}`)) }),
		workflow(WF.oldToken, 'faults: one old token', { items: 10, call: ourCall(FCRED.oldToken, get(`=/echo?item=${item}`)) }),
		workflow(WF.retryAfter, 'faults: 429 and 503 with Retry-After', {
			items: 2,
			call: ourCall(CRED.clientCredentials, get('={{ $json.ids === 0 ? "/flaky-once?key=ra429&status=429&retryAfter=1" : "/flaky-once?key=ra503&status=503&retryAfter=1" }}')),
		}),
		workflow(WF.retryHour, 'faults: Retry-After an hour', {
			items: 1,
			call: ourCall(CRED.clientCredentials, get('/flaky-once?key=hour&status=503&retryAfter=3600')),
		}),
		workflow(WF.always429, 'faults: 429 every time', { items: 1, call: ourCall(CRED.clientCredentials, get('/status/429?retryAfter=0')) }),
		workflow(WF.redirect, 'faults: redirect to another host', {
			items: 1,
			call: ourCall(CRED.clientCredentials, get(`/redirect?status=302&to=${encodeURIComponent(`${urls.otherHostUrl}/landing-standard`)}`)),
		}),
		workflow(WF.redirectCustom, 'faults: redirect, custom header, POST', {
			items: 1,
			call: ourCall(CRED.customHeader, {
				method: 'POST',
				url: `/redirect?status=307&to=${encodeURIComponent(`${urls.otherHostUrl}/landing-custom`)}`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '{"order": 7}',
			}),
		}),
		workflow(WF.slow, 'faults: slow API', { items: 1, call: ourCall(CRED.clientCredentials, get('/slow?ms=5000', { options: { timeout: 1000 } })) }),
		workflow(WF.reset, 'faults: reset mid-batch', {
			items: 10,
			call: ourCall(CRED.clientCredentials, get(`={{ $json.ids === 4 ? "/reset-once?key=mid-batch" : "/echo?item=" + $json.ids }}`), {
				onError: 'continueRegularOutput',
			}),
		}),
		workflow(WF.tokenDown, 'faults: token endpoint down', { items: 2, call: ourCall(FCRED.tokenDown, get('/echo')) }),
		workflow(WF.echoSecret, 'faults: token endpoint echoes the secret', { items: 1, call: ourCall(FCRED.echoSecret, get('/echo')) }),
		workflow(WF.echoToken, 'faults: API echoes the token', { items: 1, call: ourCall(CRED.clientCredentials, get('/status/403?echoAuth=1')) }),
		workflow(WF.refresh, 'faults: refresh token rejected', { items: 5, call: ourCall(FCRED.refresh, get(`=/echo?item=${item}`)) }),
		workflow(WF.relative, 'faults: relative URL, no base URL', { items: 1, call: ourCall(FCRED.noBase, get('/echo')) }),
		workflow(WF.otherHost, 'faults: URL to another host', { items: 1, call: ourCall(CRED.clientCredentials, get(`${urls.otherHostUrl}/elsewhere`)) }),
		workflow(WF.extraGrant, 'faults: extra parameter grant_type', { items: 1, call: ourCall(FCRED.extraGrant, get('/echo')) }),
		workflow(WF.getToken, 'faults: get access token', { items: 1, call: ourCall(FCRED.getToken, { operation: 'getAccessToken' }) }),
	];
}

/** One `n8n execute`: the run, the Call API node's items, and the error n8n reports, if any. */
async function execute(id) {
	const result = await h.cli.execute(id);
	executions++;
	outputs.push(result.stdout, result.stderr);
	const run = result.run;
	assert.ok(run, `no run in the output of ${id}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
	const error = runError(run);
	const nodeError = run.data?.resultData?.runData?.[CALL]?.[0]?.error;
	return {
		result,
		items: nodeOutput(run, CALL),
		failed: Boolean(error),
		message: error?.message ?? nodeError?.message ?? '',
		description: error?.description ?? nodeError?.description ?? '',
		text: `${result.stdout}\n${result.stderr}`,
	};
}

async function executeOk(id) {
	const outcome = await execute(id);
	assert.equal(outcome.failed, false, `${id} failed: ${outcome.message}\n${outcome.text.slice(-2000)}`);
	return outcome;
}

async function executeFailing(id) {
	const outcome = await execute(id);
	assert.equal(outcome.failed, true, `${id} should fail; items: ${JSON.stringify(outcome.items).slice(0, 500)}`);
	return outcome;
}

const tokenRequests = (s) => s.tokenRequests.total;
const byStatus = (s) => Object.entries(s.apiByStatus).map(([status, n]) => `${n}×${status}`).join(', ');

function faultCase(group, name, expected, body) {
	test(name, async () => await runCase({ group, name, expected }, body));
}

let earlier;

before(async () => {
	h = await startHarness();
	// n8n's most talkative log level, so the leak search sees everything n8n could write; as JSON
	// lines, in which the run is the message of one line.
	Object.assign(h.cli.env, { N8N_LOG_LEVEL: 'debug', N8N_LOG_FORMAT: 'json' });
	const tokenDownUrl = `http://127.0.0.1:${await freePort()}/token`;
	earlier = await fetchEarlierTokens(h.urls);
	const fixtures = credentials(h.urls, tokenDownUrl).map((fixture) => {
		if (fixture.id === FCRED.oldToken.id) return storedFields(h, fixture, { accessToken: earlier.oldAccess });
		if (fixture.id === FCRED.refresh.id) return storedFields(h, fixture, { accessToken: earlier.pwAccess, refreshToken: earlier.pwRefresh });
		return fixture;
	});
	await h.cli.importJson('credentials', fixtures);
	await h.importWorkflows(workflows(h.urls));
});

after(async () => {
	await h?.stop();
});

describe('faults of the API', () => {
	faultCase(GROUP_API, '401 on every request', 'per item: one renewal (shared), one resend, then "The API answered 401"; never a loop', async () => {
		await h.reset();
		const run = await executeFailing(WF.always401);
		const s = await h.stats();
		assert.match(run.message, /^The API answered 401/);
		assert.equal(tokenRequests(s), 2, 'the first token and one renewal');
		assert.equal(s.apiByStatus['401'], 6, 'each of 3 items sent twice');
		return `${tokenRequests(s)} token requests (first + 1 renewal); ${s.apiRequests} API requests (${byStatus(s)}) for 3 items; error: ${run.message}`;
	});

	faultCase(GROUP_API, '401 for one old token only', 'one renewal; the refused items are resent with the new token; all 10 results, in order', async () => {
		// The credential holds a token from an earlier run; the server now refuses that one token only.
		assert.equal((await h.labControl('revoke-tokens', { tokens: [earlier.oldAccess] })).revoked, 1);
		await h.reset();
		const { items } = await executeOk(WF.oldToken);
		const s = await h.stats();
		assert.deepEqual(items.map((i) => Number(i.json.query.item)), Array.from({ length: 10 }, (_, i) => i));
		assert.equal(tokenRequests(s), 1);
		assert.ok(s.apiRevoked >= 1 && s.apiRevoked <= 5, `refused requests: ${s.apiRevoked} (at most the concurrency, 5)`);
		assert.equal(s.apiRequests, 10 + s.apiRevoked);
		return `${s.apiRevoked} requests refused with the old token, ${tokenRequests(s)} renewal, ${items.length}/10 results in order`;
	});

	faultCase(GROUP_API, '429 and 503 with Retry-After: 1', 'wait as asked, send again, both items succeed', async () => {
		await h.reset();
		const { items } = await executeOk(WF.retryAfter);
		const s = await h.stats();
		assert.deepEqual(items.map((i) => i.json.key), ['ra429', 'ra503']);
		assert.deepEqual(s.apiByStatus, { 200: 2, 429: 1, 503: 1 });
		return `API: ${byStatus(s)}; both items ok`;
	});

	faultCase(GROUP_API, '503 with Retry-After: 3600 (an hour)', 'the wait is capped at 30 s, then the request succeeds', async () => {
		await h.reset();
		const { items } = await executeOk(WF.retryHour);
		const s = await h.stats();
		assert.equal(items[0].json.ok, true);
		assert.deepEqual(s.apiByStatus, { 200: 1, 503: 1 });
		const [first, second] = s.apiLog;
		return `API: ${byStatus(s)}; waited ${((second.at - first.at) / 1000).toFixed(1)} s instead of 3600 s`;
	});

	faultCase(GROUP_API, '429 on every request', 'Max Retries (2) more attempts, then "The API answered 429"', async () => {
		await h.reset();
		const run = await executeFailing(WF.always429);
		const s = await h.stats();
		assert.equal(s.apiByStatus['429'], 3);
		assert.match(run.message, /^The API answered 429/);
		return `API: ${byStatus(s)}; error: ${run.message}`;
	});

	faultCase(GROUP_API, 'redirect to another host (Authorization header)', 'followed; the other host gets no Authorization header', async () => {
		await h.reset();
		const { items } = await executeOk(WF.redirect);
		const landed = (await h.stats()).otherHost.filter((r) => r.path === '/landing-standard');
		assert.equal(items[0].json.otherHost, true);
		assert.equal(landed.length, 1);
		assert.equal(landed[0].headers.authorization, undefined);
		return `other host reached once; headers it got: ${Object.keys(landed[0].headers).sort().join(', ')}`;
	});

	faultCase(GROUP_API, 'redirect to another host (custom header X-Api-Token, 307 POST)', 'followed with the body; the other host gets no X-Api-Token', async () => {
		await h.reset();
		await h.configure({ apiAuthHeader: 'x-api-token' });
		const { items } = await executeOk(WF.redirectCustom).finally(() => h.configure({ apiAuthHeader: 'authorization' }));
		const landed = (await h.stats()).otherHost.filter((r) => r.path === '/landing-custom');
		assert.equal(items[0].json.otherHost, true);
		assert.equal(landed.length, 1);
		assert.equal(landed[0].method, 'POST');
		assert.equal(landed[0].headers['x-api-token'], undefined);
		assert.equal(landed[0].headers.authorization, undefined);
		return `other host reached once by ${landed[0].method}; headers it got: ${Object.keys(landed[0].headers).sort().join(', ')}`;
	});

	faultCase(GROUP_API, 'API slower than the node\'s timeout (5 s vs 1 s)', 'the item fails with a timeout error; not resent', async () => {
		await h.reset();
		const run = await executeFailing(WF.slow);
		const s = await h.stats();
		assert.equal(s.apiRequests, 1);
		assert.match(run.message, /^No response from the API within 1000 ms \(the node's Timeout option\) for GET http:\/\/127\.0\.0\.1:\d+\/api\/slow\?ms=5000/);
		return `${s.apiRequests} API request; error: ${run.message}`;
	});

	faultCase(
		GROUP_API,
		'connection reset mid-batch, continue on fail (item 4 of 10)',
		'item 4 carries the error; the 9 other results are kept, in order',
		async () => {
			await h.reset();
			const { items } = await executeOk(WF.reset);
			assert.equal(items.length, 10);
			items.forEach((item, i) => {
				if (i === 4) assert.match(item.json.error, /^The API closed the connection without answering GET http:\/\/127\.0\.0\.1:\d+\/api\/reset-once\?key=\*\*\* \(ECONNRESET\)/);
				else assert.equal(Number(item.json.query.item), i);
			});
			return `10 items out; items 0-3 and 5-9 hold their results in order; item 4 (query value "key" masked as a likely secret): ${items[4].json.error}`;
		},
	);
});

describe('the token endpoint seen from n8n', () => {
	faultCase(GROUP_API, 'token endpoint refuses connections', 'the run fails with the endpoint, "connection refused" and what to check; no API request', async () => {
		await h.reset();
		const run = await executeFailing(WF.tokenDown);
		const s = await h.stats();
		assert.match(run.message, /^Token request to http:\/\/127\.0\.0\.1:\d+\/token failed: connection refused\. Nothing accepts connections at 127\.0\.0\.1:\d+/);
		assert.match(run.description, /\(Socket error ECONNREFUSED\.\)/);
		assert.equal(s.apiRequests, 0);
		return `error: ${run.message} Description: ${run.description}`;
	});

	faultCase(GROUP_SECRETS, 'token endpoint error that echoes the secret', 'the server\'s words are shown with the secret masked', async () => {
		await h.reset();
		await h.labControl('token-faults', [
			{ status: 401, headers: { 'content-type': 'application/json' }, body: { error: 'invalid_client', error_description: `client secret ${FAULT_SECRET} is not valid` } },
		]);
		const run = await executeFailing(WF.echoSecret);
		assert.match(run.message, /401 invalid_client \(client secret \*\*\* is not valid\)/);
		assert.ok(!run.text.includes(FAULT_SECRET));
		return `error: ${run.message}`;
	});

	faultCase(GROUP_SECRETS, 'API error that echoes the token', 'the API\'s words are shown with the token masked', async () => {
		await h.reset();
		const run = await executeFailing(WF.echoToken);
		assert.match(run.message, /The API answered 403: Forbidden: refused the credentials "Bearer \*\*\*"/);
		return `error: ${run.message}`;
	});

	faultCase(
		GROUP_API,
		'refresh token rejected by the server (password grant)',
		'the refused access token triggers one refresh; the refresh is rejected; one password grant; all items succeed',
		async () => {
			// The credential holds an access and a refresh token from an earlier run; the server refuses both.
			assert.equal((await h.labControl('revoke-tokens', { tokens: [earlier.pwAccess] })).revoked, 1);
			await h.labControl('revoke-refresh-tokens');
			await h.reset();
			const { items } = await executeOk(WF.refresh);
			const s = await h.stats();
			assert.equal(items.length, 5);
			assert.deepEqual(s.tokenLog.map((e) => [e.grant, e.status]), [['refresh_token', 400], ['password', 200]]);
			return `token requests: ${s.tokenLog.map((e) => `${e.grant} → ${e.status}`).join(', ')}; ${items.length}/5 items ok`;
		},
	);
});

describe('bad input in the node and the credential', () => {
	faultCase(GROUP_INPUT, 'relative URL, credential without API base URL', 'fails before any request: says the URL is relative and what to set', async () => {
		await h.reset();
		const run = await executeFailing(WF.relative);
		const s = await h.stats();
		assert.match(run.message, /The URL "\/echo" is relative but the credential has no API base URL/);
		assert.equal(tokenRequests(s) + s.apiRequests, 0);
		return `nothing sent; error: ${run.message}`;
	});

	faultCase(GROUP_INPUT, 'URL to a host other than the base URL\'s', 'refused: the token is not sent; nothing reaches the other host', async () => {
		await h.reset();
		const run = await executeFailing(WF.otherHost);
		const s = await h.stats();
		assert.match(run.message, /The OAuth2 access token was not sent: http:\/\/127\.0\.0\.2:\d+ is not the origin \(scheme, host and port\) of the credential's API base URL/);
		assert.equal(s.otherHost.length, 0);
		return `other host got ${s.otherHost.length} requests; error: ${run.message}`;
	});

	faultCase(GROUP_INPUT, 'extra token parameter "grant_type" (in n8n)', 'fails before the token request, naming the parameter', async () => {
		await h.reset();
		const run = await executeFailing(WF.extraGrant);
		const s = await h.stats();
		assert.match(run.message, /The extra parameter "grant_type" cannot be set/);
		assert.equal(tokenRequests(s) + s.apiRequests, 0);
		return `nothing sent; error: ${run.message}`;
	});
});

describe('secrets', () => {
	faultCase(GROUP_SECRETS, 'Get Access Token (the one output that shows a token)', 'outputs a token the API accepts', async () => {
		const { items, result } = await executeOk(WF.getToken);
		const token = items[0].json.access_token;
		const response = await fetch(`${h.urls.apiUrl}/echo`, { headers: { authorization: `Bearer ${token}` } });
		assert.equal(response.status, 200);
		shownOutput = result.stdout;
		outputs.splice(outputs.indexOf(result.stdout), 1);
		return `token of ${token.length} characters, accepted by the API; this run's output is left out of the leak search`;
	});

	faultCase(
		GROUP_SECRETS,
		'search every output of this suite and n8n\'s log',
		'no client secret, password, refresh token or issued access token anywhere (Get Access Token\'s own output excepted)',
		async () => {
			const { tokens } = await h.issuedTokens();
			const clientIds = { ccSecret: 'cc-basic', pwClientSecret: 'pw-client', wrongSecret: 'cc-basic' };
			const values = [
				...Object.entries(SECRETS).map(([name, value]) => ({ value, clientId: clientIds[name], label: name })),
				{ value: FAULT_SECRET, clientId: 'fault-client', label: 'the fault credential\'s secret' },
				...tokens.map((value) => ({ value, label: 'an issued token' })),
			];
			let log = fs.readFileSync(h.cli.logFile, 'utf8');
			if (shownOutput) log = log.replace(shownOutput, '');
			const haystack = `${outputs.join('\n')}\n${log}`;
			assert.ok(tokens.length >= 8, `the lab issued ${tokens.length} tokens`);
			const leaks = findLeaks(haystack, values);
			assert.deepEqual(leaks.map((leak) => `${leak.label} as ${leak.encoding}: ${leak.excerpt}`), []);
			const size = Math.round(haystack.length / 1024);
			const plain = [...Object.values(SECRETS), FAULT_SECRET];
			return `${executions} executions + n8n log (${size} KiB, ${path.basename(h.cli.logFile)}) searched for ${plain.length} secrets and ${tokens.length} issued tokens, each in every encoding of test/support/leakSearch: none found`;
		},
	);
});
