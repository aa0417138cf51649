// Where the credential's token and secrets may go (issue 14, findings 1, 4, 5, 7), in real n8n: the
// packed package, the lab's origins (test/servers/origins.mjs: a redirector and a target, each its own
// origin, also reachable as localhost), one workflow per case, run with `n8n execute`. Both this
// package's node and n8n's own HTTP Request node with this package's credential (predefined credential
// type, the path through the credential's authenticate). Each case records a row of the fault table
// and counts what arrived at the other origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { SECRETS } from '../n8n-harness/fixtures/credentials.mjs';
import { CALL, httpRequestCall, ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';
import { runCase } from './rows.cjs';

const GROUP = 'security: destination (real n8n)';
const SECRET = 'dest-e2e-S3cret:%+é';
const PASSWORD = 'dest-e2e-Pa55!word';

const cc = (id, name) => ({ id, name, type: 'clientCredentialsOAuth2Api' });
const DCRED = {
	token307: cc('dstToken307Crd01', 'Destination: token endpoint 307 to another port'),
	pw308: { id: 'dstPw308Cred0001', name: 'Destination: password grant 308 to localhost', type: 'passwordGrantOAuth2Api' },
	discovery: cc('dstDiscoveryCr01', 'Destination: discovery 302 to another origin'),
	httpsBase: cc('dstHttpsBaseCr01', 'Destination: https base URL'),
	badBase: cc('dstBadBaseCred01', 'Destination: base URL without scheme'),
	domains: cc('dstDomainsCred01', 'Destination: allowed domain with scheme and port'),
	api: cc('dstApiCred000001', 'Destination: API on the redirector'),
	apiCustom: cc('dstApiCustomCr01', 'Destination: API on the redirector, X-Api-Token'),
	apiQuery: cc('dstApiQueryCrd01', 'Destination: API on the redirector, token in the query'),
	wildQuery: cc('dstWildQueryCr01', 'Destination: query-token API of the lab, token in the query'),
};

const WF = {
	token307: 'dstWfToken307001',
	token307Http: 'dstWfToken307Ht1',
	pw308: 'dstWfPw308000001',
	discovery: 'dstWfDiscovery01',
	httpsBase: 'dstWfHttpsBase01',
	httpsBaseHttp: 'dstWfHttpsBaseH1',
	badBase: 'dstWfBadBase0001',
	badBaseHttp: 'dstWfBadBaseHt01',
	domains: 'dstWfDomains0001',
	redirectOurs: 'dstWfRedirOurs01',
	redirectCustom: 'dstWfRedirCust01',
	redirectHttp: 'dstWfRedirHttp01',
	redirectHttpCustom: 'dstWfRedirHtCu01',
	queryOurs: 'dstWfQueryOurs01',
	queryHttp: 'dstWfQueryHttp01',
	queryHttpOk: 'dstWfQueryHtOk01',
	queryHttpError: 'dstWfQueryHtEr01',
	queryOursError: 'dstWfQueryOuEr01',
};

let h;
const outputs = [];

function credentials(u) {
	const base = (ref, data) => ({
		...ref,
		data: {
			tokenUrl: u.oidcTokenUrl,
			baseUrl: u.redirectorUrl,
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
		base(DCRED.token307, { tokenUrl: `${u.redirectorUrl}/redirect/307/port/token`, clientId: 'dest-client', clientSecret: SECRET, clientAuthentication: 'body' }),
		base(DCRED.pw308, {
			tokenUrl: `${u.redirectorUrl}/redirect/308/host/token`,
			clientId: 'dest-client',
			clientSecret: SECRET,
			clientAuthentication: 'body',
			username: 'alice',
			password: PASSWORD,
		}),
		base(DCRED.discovery, { tokenUrl: '', issuerUrl: `${u.redirectorUrl}/redirect/302/port/issuer`, clientId: 'dest-client', clientSecret: SECRET, clientAuthentication: 'body' }),
		base(DCRED.httpsBase, { baseUrl: u.redirectorUrl.replace('http:', 'https:') }),
		base(DCRED.badBase, { baseUrl: `${new URL(u.redirectorUrl).host}/v1` }),
		base(DCRED.domains, { baseUrl: '', allowedHttpRequestDomains: 'domains', allowedDomains: `${u.targetUrl}, ${u.baseUrl}` }),
		base(DCRED.api, {}),
		base(DCRED.apiCustom, { authHeaderName: 'X-Api-Token' }),
		base(DCRED.apiQuery, { authLocation: 'query' }),
		base(DCRED.wildQuery, { baseUrl: u.baseUrl, authLocation: 'query' }),
	];
}

const get = (url, extra = {}) => ({ method: 'GET', url, ...extra });
const headers = (list) => ({ sendHeaders: true, specifyHeaders: 'keypair', headerParameters: { parameters: list.map(([name, value]) => ({ name, value })) } });
const httpHeaders = (list) => ({ sendHeaders: true, headerParameters: { parameters: list.map(([name, value]) => ({ name, value })) } });

function workflows(u) {
	const one = (id, name, call) => workflow(id, name, { items: 1, call });
	return [
		one(WF.token307, 'destination: token 307, our node', ourCall(DCRED.token307, get(`${u.redirectorUrl}/echo`))),
		one(WF.token307Http, 'destination: token 307, HTTP Request', httpRequestCall(DCRED.token307, { url: `${u.redirectorUrl}/echo`, options: {} })),
		one(WF.pw308, 'destination: password 308, our node', ourCall(DCRED.pw308, get(`${u.redirectorUrl}/echo`))),
		one(WF.discovery, 'destination: discovery 302, our node', ourCall(DCRED.discovery, get(`${u.redirectorUrl}/echo`))),
		one(WF.httpsBase, 'destination: https base, http request, our node', ourCall(DCRED.httpsBase, get(`${u.redirectorUrl}/echo`))),
		one(WF.httpsBaseHttp, 'destination: https base, http request, HTTP Request', httpRequestCall(DCRED.httpsBase, { url: `${u.redirectorUrl}/echo`, options: {} })),
		one(WF.badBase, 'destination: bad base URL, our node', ourCall(DCRED.badBase, get(`${u.targetUrl}/echo`))),
		one(WF.badBaseHttp, 'destination: bad base URL, HTTP Request', httpRequestCall(DCRED.badBase, { url: `${u.targetUrl}/echo`, options: {} })),
		one(WF.domains, 'destination: allowed domain with port, other port', ourCall(DCRED.domains, get(`${u.redirectorUrl}/echo`))),
		one(WF.redirectOurs, 'destination: API 302 to another port, user headers', ourCall(DCRED.api, get('/redirect/302/port/echo', headers([['Cookie', 'session=user-cookie'], ['Proxy-Authorization', 'Basic cHJveHk6cHc='], ['X-Keep', 'kept']])))),
		one(WF.redirectCustom, 'destination: API 307 to localhost, custom header', ourCall(DCRED.apiCustom, {
			method: 'POST',
			url: '/redirect/307/host/echo',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '{"order": 7}',
			...headers([['authorization', 'Basic dXNlcjpwYXNz'], ['cookie', 'session=user-cookie'], ['X-Keep', 'kept']]),
		})),
		one(WF.redirectHttp, 'destination: HTTP Request, API 302 to another port', httpRequestCall(DCRED.api, { url: `${u.redirectorUrl}/redirect/302/port/echo`, options: {}, ...httpHeaders([['X-Keep', 'kept']]) })),
		one(WF.redirectHttpCustom, 'destination: HTTP Request, API 302 to another port, custom header', httpRequestCall(DCRED.apiCustom, { url: `${u.redirectorUrl}/redirect/302/port/echo`, options: {} })),
		one(WF.queryOurs, 'destination: query token, our node, API 302 to another port', ourCall(DCRED.apiQuery, get('/redirect/302/port/echo?keep=1'))),
		one(WF.queryHttp, 'destination: query token, HTTP Request, API 302 to another port', httpRequestCall(DCRED.apiQuery, { url: `${u.redirectorUrl}/redirect/302/port/echo?keep=1`, options: {} })),
		one(WF.queryHttpOk, 'destination: query token, HTTP Request, query-token API', httpRequestCall(DCRED.wildQuery, { url: `${u.wildBaseUrl}/query-token/api/echo?item=0`, options: {} })),
		one(WF.queryHttpError, 'destination: query token, HTTP Request, API error', httpRequestCall(DCRED.wildQuery, { url: `${u.wildBaseUrl}/query-token/api/status/500`, options: {} })),
		one(WF.queryOursError, 'destination: query token, our node, API error quoting the URL', ourCall(DCRED.wildQuery, get(`${u.wildBaseUrl}/query-token/api/status/500?quote=1`))),
	];
}

async function originsLog() {
	return (await (await fetch(`${h.urls.redirectorUrl}/__origins/log`)).json()).log;
}

async function resetAll() {
	await h.reset();
	await fetch(`${h.urls.redirectorUrl}/__origins/reset`, { method: 'POST' });
}

const at = (log, origin) => log.filter((entry) => entry.origin === origin);
const hostOf = (url) => new URL(url).host;

/** One `n8n execute`: the Call API node's items and the error n8n reports, if any. */
async function execute(id) {
	const result = await h.cli.execute(id);
	outputs.push(result.stdout, result.stderr);
	const run = result.run;
	assert.ok(run, `no run in the output of ${id}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
	const error = runError(run);
	const nodeError = run.data?.resultData?.runData?.[CALL]?.[0]?.error;
	return { items: nodeOutput(run, CALL), failed: Boolean(error), message: error?.message ?? nodeError?.message ?? '', description: error?.description ?? nodeError?.description ?? '' };
}

function securityCase(name, expected, body) {
	test(name, async () => await runCase({ group: GROUP, name, expected }, body));
}

/** Fails when any request that reached `origin` carried one of `secrets` (raw, encoded or in Basic). */
function assertNoSecretArrived(log, origin, secrets) {
	for (const entry of at(log, origin)) {
		const basic = String(entry.headers.authorization ?? '').replace(/^Basic /i, '');
		const seen = `${entry.body}\n${JSON.stringify(entry.headers)}\n${Buffer.from(basic, 'base64').toString('utf8')}`;
		for (const secret of secrets) {
			for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]) {
				assert.ok(!seen.includes(form), `a request at ${origin} carried a secret (${secret.slice(0, 4)}…)`);
			}
		}
	}
}

before(async () => {
	h = await startHarness();
	// n8n's most talkative log level, as JSON lines, so the secret search below sees everything n8n writes.
	Object.assign(h.cli.env, { N8N_LOG_LEVEL: 'debug', N8N_LOG_FORMAT: 'json' });
	await h.cli.importJson('credentials', credentials(h.urls));
	await h.importWorkflows(workflows(h.urls));
});

after(async () => {
	await h?.stop();
});

describe('token and discovery requests never follow a redirect to another origin (finding 1)', () => {
	const tokenRows = [
		{ name: 'token endpoint 307 to another port (secret in the body), our node', wf: WF.token307, to: 'targetUrl', secrets: [SECRET] },
		{ name: 'token endpoint 307 to another port (secret in the body), n8n\'s HTTP Request node', wf: WF.token307Http, to: 'targetUrl', secrets: [SECRET] },
		{ name: 'password grant, token endpoint 308 to localhost (same port), our node', wf: WF.pw308, to: 'redirectorAsLocalhostUrl', secrets: [SECRET, PASSWORD] },
		{ name: 'issuer discovery 302 to another port, our node', wf: WF.discovery, to: 'targetUrl', secrets: [SECRET] },
	];
	for (const row of tokenRows) {
		securityCase(row.name, 'the run fails naming the target host only; 0 requests arrive at the other origin', async () => {
			await resetAll();
			const run = await execute(row.wf);
			const target = h.urls[row.to];
			const log = await originsLog();
			assertNoSecretArrived(log, target, row.secrets);
			assert.equal(at(log, target).length, 0, `requests at ${target}: ${JSON.stringify(at(log, target)).slice(0, 400)}`);
			assert.equal(run.failed, true);
			assert.ok(`${run.message} ${run.description}`.includes(hostOf(target)), `the error names ${hostOf(target)}: ${run.message} ${run.description}`);
			assert.ok(!run.message.includes(`${hostOf(target)}/`), `the error shows no path at the target: ${run.message}`);
			return `${at(log, target).length} requests at ${hostOf(target)}; error: ${run.message}`;
		});
	}
});

describe('API requests: origin-based, no downgrade, a bad base URL refused (findings 4, 5)', () => {
	const refusalRows = [
		{ name: 'https base URL, http request to the same host, our node', wf: WF.httpsBase, pattern: /not the origin|neither the origin/ },
		{ name: 'https base URL, http request to the same host, n8n\'s HTTP Request node', wf: WF.httpsBaseHttp, pattern: /not the origin|neither the origin/ },
		{ name: 'base URL without a scheme, our node', wf: WF.badBase, pattern: /"API Base URL"/ },
		{ name: 'base URL without a scheme, n8n\'s HTTP Request node', wf: WF.badBaseHttp, pattern: /"API Base URL"/ },
		{ name: 'allowed domain http://127.0.0.1:<port>, request to another port, our node', wf: WF.domains, pattern: /Allowed HTTP Request Domains/ },
	];
	for (const row of refusalRows) {
		securityCase(row.name, 'the run fails with the destination refusal; no request carries the token', async () => {
			await resetAll();
			const run = await execute(row.wf);
			const log = await originsLog();
			const carrying = log.filter((e) => /authorization/i.test(Object.keys(e.headers).join(',')));
			assert.equal(carrying.length, 0, `requests with a token: ${JSON.stringify(carrying).slice(0, 400)}`);
			assert.equal(run.failed, true);
			assert.match(`${run.message} ${run.description}`, row.pattern);
			return `${log.length} requests at the origins, ${carrying.length} with a token; error: ${run.message}`;
		});
	}
});

const CARRIED = ['authorization', 'cookie', 'proxy-authorization', 'x-api-token'];

describe('a redirect to another origin drops every credential header (finding 7)', () => {
	const rows = [
		{ name: 'our node, 302 to another port; user Cookie and Proxy-Authorization', wf: WF.redirectOurs, to: 'targetUrl' },
		{ name: 'our node, X-Api-Token credential, 307 POST to localhost; user Authorization and Cookie', wf: WF.redirectCustom, to: 'redirectorAsLocalhostUrl' },
		{ name: 'n8n\'s HTTP Request node 4.2, 302 to another port', wf: WF.redirectHttp, to: 'targetUrl' },
	];
	for (const row of rows) {
		securityCase(row.name, 'followed; the target gets none of Authorization, Cookie, Proxy-Authorization, the token header', async () => {
			await resetAll();
			const run = await execute(row.wf);
			assert.equal(run.failed, false, run.message);
			const target = h.urls[row.to];
			const landed = at(await originsLog(), target);
			assert.equal(landed.length, 1);
			const got = Object.keys(landed[0].headers);
			for (const name of CARRIED) assert.ok(!got.includes(name), `${name} reached ${target}`);
			assert.equal(landed[0].headers['x-keep'], 'kept');
			return `target reached once by ${landed[0].method}; headers it got: ${got.sort().join(', ')}`;
		});
	}

	securityCase('n8n\'s HTTP Request node, X-Api-Token credential, 302 to another port', 'n8n does not follow it: 0 requests at the target', async () => {
		await resetAll();
		const run = await execute(WF.redirectHttpCustom);
		const target = h.urls.targetUrl;
		const landed = at(await originsLog(), target);
		assert.equal(landed.length, 0, `headers at the target: ${JSON.stringify(landed.map((e) => e.headers))}`);
		return `0 requests at the target; the node ${run.failed ? `failed: ${run.message}` : `returned ${JSON.stringify(run.items[0]?.json ?? {}).slice(0, 120)}`}`;
	});
});

describe('a token in a query parameter (issue 15 item 5)', () => {
	const issued = async () => (await h.issuedTokens()).tokens;
	const queryStats = async () => await (await fetch(`${h.urls.wildBaseUrl}/query-token/stats`)).json();

	securityCase('our node, token in the query, 302 to another port echoing the query', 'followed; the target gets the URL without the token parameter; nothing there carries a token', async () => {
		await resetAll();
		const run = await execute(WF.queryOurs);
		assert.equal(run.failed, false, run.message);
		const log = await originsLog();
		const first = log.find((e) => e.kind === 'redirect');
		assert.match(String(first?.url), /access_token=/);
		const landed = at(log, h.urls.targetUrl);
		assert.equal(landed.length, 1);
		assert.equal(landed[0].url, '/echo?keep=1');
		for (const value of await issued()) assert.ok(!JSON.stringify(landed[0]).includes(value), 'a token reached the target');
		return `target reached once at ${landed[0].url}`;
	});

	securityCase('n8n\'s HTTP Request node, token in the query, 302 to another port', 'n8n does not follow it: 0 requests at the target; the API got the token once, in the query', async () => {
		await resetAll();
		const run = await execute(WF.queryHttp);
		const log = await originsLog();
		assert.equal(at(log, h.urls.targetUrl).length, 0);
		const first = log.find((e) => e.kind === 'redirect');
		assert.equal(new URL(String(first?.url), 'http://x').searchParams.getAll('access_token').length, 1);
		assert.ok(!/authorization/i.test(Object.keys(first?.headers ?? {}).join(',')));
		return `0 requests at the target; the node ${run.failed ? `failed: ${run.message}` : 'returned the 302'}`;
	});

	securityCase('n8n\'s HTTP Request node, token in the query, the lab\'s query-token API', 'answered: the token arrived in the query only, once', async () => {
		await resetAll();
		await fetch(`${h.urls.wildBaseUrl}/query-token/reset`, { method: 'POST' });
		const run = await execute(WF.queryHttpOk);
		assert.equal(run.failed, false, run.message);
		const s = await queryStats();
		assert.equal(s.byState.valid, 1);
		assert.equal(s.inHeader + s.duplicate, 0);
		assert.equal(run.items[0]?.json?.ok, true);
		return `query-token API: ${JSON.stringify(s.byState)}, ${s.inHeader} in a header, ${s.duplicate} twice`;
	});

	const errorRows = [
		// n8n's node shows the API's body as it came: a quote of the token there is outside the credential's reach.
		[WF.queryHttpError, 'n8n\'s HTTP Request node, token in the query, a 500', 'the run fails; no issued token in anything n8n printed for it (the error and the request in its context)'],
		[WF.queryOursError, 'our node, token in the query, a 500 quoting the request URL', 'the run fails; no issued token in anything n8n printed for it, the quote masked'],
	];
	for (const [wf, name, expected] of errorRows) {
		securityCase(name, expected, async () => {
			await resetAll();
			const before = outputs.length;
			const run = await execute(wf);
			assert.equal(run.failed, true);
			const printed = outputs.slice(before).join('\n');
			const leaks = [];
			for (const value of await issued()) {
				for (const form of [value, encodeURIComponent(value)]) if (printed.includes(form)) leaks.push(printed.slice(Math.max(0, printed.indexOf(form) - 120), printed.indexOf(form)).replace(/\s+/g, ' '));
			}
			assert.deepEqual(leaks, [], `a token was printed after: ${leaks.join(' | ')}`);
			return `error: ${run.message.slice(0, 160)}`;
		});
	}
});

describe('nothing shows the secrets', () => {
	securityCase('every n8n output of this file', 'none holds the client secret or the password', async () => {
		const all = outputs.join('\n');
		for (const secret of [SECRET, PASSWORD, encodeURIComponent(SECRET), encodeURIComponent(PASSWORD)]) assert.ok(!all.includes(secret));
		return `${outputs.length / 2} executions searched`;
	});
});
