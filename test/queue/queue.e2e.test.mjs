// n8n in queue mode: one main, two workers, Redis and PostgreSQL. Each process has its own user
// folder with the package installed as users install it; they share only the database (the
// stored, encrypted token) and the queue. 50 concurrent webhook executions run cold, then 50 more
// after the token expired, and the token requests are counted per worker through each worker's
// own HTTP proxy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startLab } from '../servers/oauth-lab.mjs';
import { CRED, SECRETS, credentialFixtures } from '../n8n-harness/fixtures/credentials.mjs';
import { ourCall, webhookWorkflow } from '../n8n-harness/fixtures/workflows.mjs';
import { N8nCli } from '../n8n-harness/n8n-cli.mjs';
import { ensureN8n } from '../n8n-harness/n8n-env.mjs';
import { activateWorkflow, freePort, startN8nProcess } from '../n8n-harness/n8n-server.mjs';
import { buildAndPack, installIntoUserFolder } from '../n8n-harness/package-install.mjs';
import { queueModeEnv, startQueueServices } from './services.mjs';
import { startWorkerTap } from './worker-tap.mjs';

const log = (message) => console.log(`[queue] ${message}`);

const WORKFLOW_ID = 'queueHookOurs001';
const HOOK = 'oauth2-grants-queue';
const EXECUTIONS = 50;
const ITEMS = 3;
const WORKERS = ['worker-1', 'worker-2'];
// Long enough that a burst of 50 executions ends before the token is due, short enough to wait out.
const TTL_SECONDS = 60;
// Small, so the token is used for nearly its whole lifetime (the default would be half of it).
const RENEWAL_MARGIN_SECONDS = 2;
// The node treats a token as due this much before the margin starts (it must stay valid while
// the request is on its way); one more second for the time between the lab's log and the node's clock.
const NODE_CHECK_AHEAD_SECONDS = 2 + 1;
// The shortest time a worker may use one token before it asks for the next one.
const RENEWAL_INTERVAL_MS = (TTL_SECONDS - RENEWAL_MARGIN_SECONDS - NODE_CHECK_AHEAD_SECONDS) * 1000;

let work;
let servicesDir;
let services;
let lab;
let cli;
let main;
const workers = [];
const taps = [];
const phases = {};
const timings = {};
let runStarted;

async function labControl(pathname, body) {
	const response = await fetch(`${lab.urls.baseUrl}/__lab/${pathname}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return response.json();
}

async function waitForLog(proc, pattern, timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	while (!pattern.test(proc.log())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in ${proc.logFile}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/**
 * n8n 2.x registers published workflows' webhooks after start-up, from a publication outbox in
 * the database: wait until no publication is pending and main answers a CORS preflight for the
 * webhook with GET. Neither runs the workflow.
 */
async function waitForWebhook(timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const [[outbox]] = await services.query(`SELECT to_regclass('workflow_publication_outbox') IS NOT NULL`);
		const pending = outbox === 't'
			? Number((await services.query(`SELECT count(*) FROM workflow_publication_outbox WHERE status IN ('pending', 'in_progress')`))[0][0])
			: 0;
		const preflight = await fetch(`${main.url}/webhook/${HOOK}`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1' } });
		const methods = preflight.headers.get('access-control-allow-methods') ?? '';
		if (pending === 0 && preflight.status === 204 && methods.split(/,\s*/).includes('GET')) return;
		if (Date.now() > deadline) throw new Error(`webhook not registered: ${pending} publications pending, preflight ${preflight.status} "${methods}"`);
		await new Promise((r) => setTimeout(r, 1000));
	}
}

function tapEntries() {
	return taps.flatMap((t) => t.log());
}

const isTokenRequest = (e) => e.method === 'POST' && e.path === '/oidc/token';
const isApiRequest = (e) => e.path.startsWith('/api/');

/** Execution ids each worker's log says it started ("Worker started execution N"). */
function executionsByWorker() {
	return Object.fromEntries(
		workers.map((w) => [w.name, [...w.proc.log().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1])]),
	);
}

async function fire(count) {
	const started = Date.now();
	const responses = await Promise.all(
		Array.from({ length: count }, async () => {
			const response = await fetch(`${main.url}/webhook/${HOOK}`);
			const text = await response.text();
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
			return { status: response.status, body };
		}),
	);
	return { responses, started, ended: Date.now() };
}

function assertAllSucceeded(responses) {
	for (const r of responses) {
		assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
		assert.ok(Array.isArray(r.body), JSON.stringify(r.body).slice(0, 500));
		assert.equal(r.body.length, ITEMS);
		assert.deepEqual(r.body.map((item) => item.path), Array(ITEMS).fill('/api/echo'));
	}
}

/**
 * At most one token request per worker per token lifetime: one per burst, unless a burst on a
 * very slow machine outlasts the token, when a renewal during the burst is due and right.
 */
function assertOnePerWorkerPerLifetime(phase) {
	const allowed = 1 + Math.floor((phase.ended - phase.started) / RENEWAL_INTERVAL_MS);
	for (const name of WORKERS) assert.ok(phase.tokens[name] <= allowed, `${name}: ${phase.tokens[name]} token requests, at most ${allowed} allowed`);
}

/** Token requests per worker between two instants, from the workers' proxies. */
function tokenRequestsPerWorker(from, to) {
	return Object.fromEntries(
		WORKERS.map((name) => [name, tapEntries().filter((e) => e.worker === name && isTokenRequest(e) && e.at >= from && e.at <= to).length]),
	);
}

before(async () => {
	const started = Date.now();
	runStarted = started;
	const env = ensureN8n();
	log(`n8n line ${env.line}: ${env.n8nBin}`);
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-queue-'));
	const tarball = buildAndPack(path.join(work, 'pack'), { skipBuild: process.env.E2E_SKIP_BUILD === '1' });

	// Not inside `work`: PostgreSQL runs as its own user, who may not enter our private temp folder.
	servicesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-queue-services-'));
	services = startQueueServices(servicesDir);
	log(`redis 127.0.0.1:${services.REDIS_PORT}, postgresql 127.0.0.1:${services.PG_PORT}`);
	lab = await startLab();
	log(`lab at ${lab.urls.baseUrl}`);

	const shared = queueModeEnv(services);
	const cliFor = (role) => {
		const userFolder = path.join(work, role);
		fs.mkdirSync(userFolder, { recursive: true });
		installIntoUserFolder(userFolder, tarball);
		return new N8nCli({ nodeBin: env.nodeBin, n8nBin: env.n8nBin, userFolder, extraEnv: shared });
	};
	cli = cliFor('main');
	const workerClis = WORKERS.map(cliFor);
	timings.setupSeconds = (Date.now() - started) / 1000;

	const fixture = credentialFixtures(lab.urls).find((c) => c.id === CRED.clientCredentials.id);
	await cli.importJson('credentials', [{ ...fixture, data: { ...fixture.data, renewalMarginSeconds: RENEWAL_MARGIN_SECONDS } }]);
	await cli.importJson('workflow', [
		webhookWorkflow(WORKFLOW_ID, 'queue webhook ours', {
			path: HOOK,
			items: ITEMS,
			call: ourCall(CRED.clientCredentials, { method: 'GET', url: '=/echo?item={{ $json.ids }}' }),
		}),
	]);
	await activateWorkflow(cli, WORKFLOW_ID, env.line);

	for (const name of WORKERS) taps.push(await startWorkerTap(name));
	// Every process starts its own task runner broker: give each its own port.
	const [mainProc, ...workerProcs] = await Promise.all([
		startN8nProcess(cli, { command: 'start', extraEnv: { N8N_RUNNERS_BROKER_PORT: String(await freePort()) } }),
		...workerClis.map(async (workerCli, i) =>
			startN8nProcess(workerCli, {
				command: 'worker',
				extraEnv: { N8N_RUNNERS_BROKER_PORT: String(await freePort()), HTTP_PROXY: taps[i].url, NO_PROXY: '' },
			}),
		),
	]);
	main = mainProc;
	workerProcs.forEach((proc, i) => workers.push({ name: WORKERS[i], proc }));
	// /healthz answers before the active workflows' webhooks are registered.
	await waitForLog(main, /Editor is now accessible via/);
	await waitForWebhook();
	timings.readySeconds = (Date.now() - started) / 1000;
	log(`main ${main.url}, workers ${workers.map((w) => w.proc.url).join(', ')}; ready in ${timings.readySeconds.toFixed(0)} s`);
});

after(async () => {
	for (const proc of [main, ...workers.map((w) => w.proc)]) await proc?.stop().catch(() => {});
	for (const tap of taps) await tap.close();
	await lab?.close();
	try {
		services?.stop();
	} finally {
		for (const dir of [work, servicesDir].filter(Boolean)) {
			if (process.env.E2E_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
			else log(`kept ${dir}`);
		}
	}
});

describe('queue mode: one main, two workers, PostgreSQL and Redis', () => {
	test(`cold: ${EXECUTIONS} concurrent webhook executions, at most one token request per worker`, async () => {
		await labControl('config', { accessTokenTtlSeconds: TTL_SECONDS });
		await labControl('reset', {});
		phases.cold = await fire(EXECUTIONS);
		assertAllSucceeded(phases.cold.responses);
		phases.cold.tokens = tokenRequestsPerWorker(phases.cold.started, phases.cold.ended);
		phases.cold.executions = executionsByWorker();
		log(`cold: token requests per worker ${JSON.stringify(phases.cold.tokens)}, burst ${((phases.cold.ended - phases.cold.started) / 1000).toFixed(1)} s`);
		assertOnePerWorkerPerLifetime(phases.cold);
		const s = await labControl('stats');
		assert.ok(s.tokenRequests.total >= 1);
		assert.equal(s.apiRequests, EXECUTIONS * ITEMS);
		assert.equal(s.api401, 0);
	});

	test(`after expiry: ${EXECUTIONS} more renew at once, one token request per worker, no expired token sent`, async () => {
		// Wait until every token of the cold burst has expired, then give new tokens a lifetime
		// that outlasts the checks below.
		const lastToken = Math.max(...tapEntries().filter(isTokenRequest).map((e) => e.at));
		const wait = lastToken + TTL_SECONDS * 1000 + 2000 - Date.now();
		log(`waiting ${(wait / 1000).toFixed(0)} s for the token to expire`);
		await new Promise((r) => setTimeout(r, Math.max(0, wait)));
		await labControl('config', { accessTokenTtlSeconds: 3600 });

		phases.expired = await fire(EXECUTIONS);
		assertAllSucceeded(phases.expired.responses);
		phases.expired.tokens = tokenRequestsPerWorker(phases.expired.started, phases.expired.ended);
		const s = await labControl('stats');
		phases.expired.stats = s;
		log(`expired: token requests per worker ${JSON.stringify(phases.expired.tokens)}, apiExpired ${s.apiExpired}, burst ${((phases.expired.ended - phases.expired.started) / 1000).toFixed(1)} s`);
		assertOnePerWorkerPerLifetime(phases.expired);
		assert.ok(Object.values(phases.expired.tokens).reduce((a, b) => a + b, 0) >= 1, 'the expired token was renewed');
		assert.equal(s.apiExpired, 0);
		assert.equal(s.api401, 0);
		assert.equal(s.apiRequests, 2 * EXECUTIONS * ITEMS);
	});

	test('every request of the run went through a worker, and no worker renewed before its token was due', async () => {
		const s = await labControl('stats');
		const entries = tapEntries();
		// The proxies saw everything the lab counted: the main process made no token or API request.
		assert.equal(entries.filter(isTokenRequest).length, s.tokenRequests.total);
		assert.equal(entries.filter(isApiRequest).length, s.apiRequests);
		assert.deepEqual(entries.filter((e) => e.method === 'CONNECT'), []);
		for (const name of WORKERS) {
			const times = entries.filter((e) => e.worker === name && isTokenRequest(e)).map((e) => e.at).sort((a, b) => a - b);
			for (let i = 1; i < times.length; i++) {
				assert.ok(
					times[i] - times[i - 1] >= RENEWAL_INTERVAL_MS,
					`${name} asked again after ${times[i] - times[i - 1]} ms`,
				);
			}
		}
	});

	test('the executions ran on both workers and all succeeded in the database', async () => {
		const byWorker = executionsByWorker();
		const counts = Object.fromEntries(Object.entries(byWorker).map(([name, ids]) => [name, ids.length]));
		log(`executions per worker ${JSON.stringify(counts)} (cold: ${JSON.stringify(Object.fromEntries(Object.entries(phases.cold.executions).map(([n, ids]) => [n, ids.length])))})`);
		for (const name of WORKERS) assert.ok(counts[name] > 0, `${name} ran no execution`);
		const all = Object.values(byWorker).flat();
		assert.equal(all.length, 2 * EXECUTIONS);
		assert.equal(new Set(all).size, all.length, 'no execution ran twice');
		const rows = await services.query(`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}' GROUP BY status`);
		assert.deepEqual(rows, [['success', String(2 * EXECUTIONS)]]);
	});

	test('the stored credential decrypts and holds a token the API accepts (1.x: holds none)', async () => {
		const exported = await cli.exportCredentials(CRED.clientCredentials.id);
		const token = exported.data.accessToken;
		// n8n 1.x would write back the credential resolved for one item: it is handed no token to store.
		if (ensureN8n().line === '1') {
			assert.equal(token, '', 'n8n 1.x stored no token');
		} else {
			assert.ok(typeof token === 'string' && token.length > 0, 'a token is stored');
			assert.ok(exported.data.expiresAt > Date.now(), 'it has not expired');
			await labControl('reset', {});
			const response = await fetch(`${lab.urls.apiUrl}/echo`, { headers: { authorization: `Bearer ${token}` } });
			assert.equal(response.status, 200);
			const s = await labControl('stats');
			assert.equal(s.apiExpired, 0);
		}
		// Nothing any process logged carries the client secret or a token.
		const { tokens: issued } = await labControl('issued-tokens');
		assert.ok(issued.length >= 2);
		for (const file of [main.logFile, ...workers.map((w) => w.proc.logFile), cli.logFile]) {
			const text = fs.readFileSync(file, 'utf8');
			assert.ok(!text.includes(SECRETS.ccSecret), `${file} shows the client secret`);
			for (const t of issued) assert.ok(!text.includes(t), `${file} shows a token`);
		}
		timings.totalSeconds = (Date.now() - runStarted) / 1000;
		log(`run took ${timings.totalSeconds.toFixed(0)} s (set-up ${timings.setupSeconds.toFixed(0)} s, processes ready at ${timings.readySeconds.toFixed(0)} s)`);
		const perWorker = (ids) => Object.fromEntries(Object.entries(ids).map(([name, list]) => [name, list.length]));
		const burst = (phase) => Number(((phase.ended - phase.started) / 1000).toFixed(1));
		log(
			`summary ${JSON.stringify({
				executionsPerWorker: perWorker(executionsByWorker()),
				coldExecutionsPerWorker: perWorker(phases.cold.executions),
				tokenRequestsPerWorker: { cold: phases.cold.tokens, afterExpiry: phases.expired.tokens },
				apiRequests: phases.expired.stats.apiRequests,
				apiExpired: phases.expired.stats.apiExpired,
				api401: phases.expired.stats.api401,
				burstSeconds: { cold: burst(phases.cold), afterExpiry: burst(phases.expired) },
				readySeconds: Math.round(timings.readySeconds),
				runSeconds: Math.round(timings.totalSeconds),
			})}`,
		);
	});
});
