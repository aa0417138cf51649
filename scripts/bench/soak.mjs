// `npm run bench -- --soak`: one running n8n (`n8n start`) and one published webhook workflow with
// this package's node, called at a steady rate for `--soak-minutes` while the lab's tokens live 15 s.
// It counts token requests per token lifetime, requests the API received with an expired token,
// failed executions, and follows the n8n process's memory (VmRSS) from start to end. Not part of CI.
import { webhookWorkflow } from '../../test/n8n-harness/fixtures/workflows.mjs';
import { activateWorkflow, startN8nProcess } from '../../test/n8n-harness/n8n-server.mjs';
import { memoryOf } from './n8n-process.mjs';
import { N8nDatabase } from './n8n-db.mjs';
import { callFor, credentialFor } from './ways.mjs';

export const SOAK_TTL_SECONDS = 15;

// The node renews a stored token once less than the renewal margin (60 s, at most half the token's
// lifetime) plus its own 2 s look-ahead remain.
const LOOK_AHEAD_MS = 2000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The part of a token's lifetime in which a new token request means a second one for that lifetime. */
export function usableLifetimeMs(ttlSeconds) {
	const margin = Math.min(60_000, (ttlSeconds * 1000) / 2);
	return ttlSeconds * 1000 - margin - LOOK_AHEAD_MS;
}

/**
 * Token requests per token lifetime, from the times of the token requests: a request that comes
 * before the previous token was due (less than `usableMs` after it, with half a second of slack)
 * is a second request for one lifetime.
 */
export function tokenRequestsPerLifetime(times, usableMs) {
	const sorted = [...times].sort((a, b) => a - b);
	let lifetimes = 0;
	let extra = 0;
	for (let i = 0; i < sorted.length; i++) {
		if (i > 0 && sorted[i] - sorted[i - 1] < usableMs - 500) extra++;
		else lifetimes++;
	}
	return { requests: sorted.length, lifetimes, extra, perLifetime: lifetimes ? sorted.length / lifetimes : null };
}

async function waitForWebhook(db, webhookPath, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!(await db.registeredWebhookPaths()).has(webhookPath)) {
		if (Date.now() > deadline) throw new Error(`n8n did not register the soak's webhook within ${timeoutMs / 1000} s`);
		await sleep(500);
	}
}

async function callOnce(url, items) {
	try {
		const response = await fetch(url);
		const text = await response.text();
		let body;
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
		const ok = response.status === 200 && Array.isArray(body) && body.length === items && body.every((i) => i && i.error === undefined);
		return { ok, status: response.status, detail: ok ? undefined : String(text).slice(0, 300) };
	} catch (error) {
		return { ok: false, status: 0, detail: String(error?.message ?? error) };
	}
}

export async function runSoak(options, log) {
	const { startHarness } = await import('../../test/n8n-harness/harness.mjs');
	const h = await startHarness({ skipBuild: options.skipBuild });
	let server;
	try {
		const tag = Date.now().toString(36).slice(-6);
		const credential = credentialFor('c', `bSoakCr${tag}`.padEnd(16, '0'), h.urls);
		const workflowId = `bSoakWf${tag}`.padEnd(16, '0');
		const webhookPath = `bench-soak-${tag}`;
		const wf = webhookWorkflow(workflowId, 'bench soak', { path: webhookPath, items: options.soakItems, call: callFor('c', credential, h.urls) });
		await h.cli.importJson('credentials', [credential]);
		await h.cli.importJson('workflow', [wf]);
		await activateWorkflow(h.cli, workflowId, h.env.line);
		const db = new N8nDatabase({ nodeBin: h.env.nodeBin, userFolder: h.userFolder });
		server = await startN8nProcess(h.cli);
		// A busy machine can take minutes to start n8n and register the webhook.
		await waitForWebhook(db, webhookPath, 600_000);
		await h.configure({ accessTokenTtlSeconds: SOAK_TTL_SECONDS });
		await h.reset();

		const url = `${server.url}/webhook/${webhookPath}`;
		const durationMs = options.soakMinutes * 60_000;
		const intervalMs = 60_000 / options.soakRate;
		const memory = [];
		const sampleMemory = () => {
			const m = memoryOf(server.child.pid);
			if (m) memory.push({ atS: (Date.now() - started) / 1000, rssBytes: m.rssBytes, peakBytes: m.peakBytes });
		};
		const started = Date.now();
		sampleMemory();
		const memoryTimer = setInterval(sampleMemory, 10_000);
		const calls = [];
		log(`soak: ${options.soakMinutes} min, ${options.soakRate} executions a minute of ${options.soakItems} items, tokens living ${SOAK_TTL_SECONDS} s`);
		for (let n = 0; Date.now() - started < durationMs; n++) {
			calls.push(callOnce(url, options.soakItems));
			if (n % Math.max(1, options.soakRate * 5) === 0 && n > 0) {
				const latest = memory[memory.length - 1];
				log(`  ${Math.round((Date.now() - started) / 60_000)} min: ${n} executions started; n8n RSS ${(latest.rssBytes / 2 ** 20).toFixed(0)} MiB`);
			}
			const wait = started + (n + 1) * intervalMs - Date.now();
			if (wait > 0) await sleep(wait);
		}
		const results = await Promise.all(calls);
		clearInterval(memoryTimer);
		sampleMemory();
		const stats = await h.stats();
		const rows = await db.executionsOf(workflowId);
		const tokenTimes = stats.tokenLog.filter((t) => t.endpoint === 'oidc').map((t) => t.at);
		const failedCalls = results.filter((r) => !r.ok);
		// The process's memory once it has warmed up (after the first minute), and at the end.
		const warm = memory.find((m) => m.atS >= 60) ?? memory[0];
		return {
			startedAt: new Date(started).toISOString(),
			minutes: options.soakMinutes,
			ratePerMinute: options.soakRate,
			itemsPerExecution: options.soakItems,
			ttlSeconds: SOAK_TTL_SECONDS,
			executions: results.length,
			executionsRecorded: rows.length,
			failedExecutions: Math.max(failedCalls.length, rows.filter((r) => r.status !== 'success').length),
			failures: failedCalls.slice(0, 5),
			tokens: tokenRequestsPerLifetime(tokenTimes, usableLifetimeMs(SOAK_TTL_SECONDS)),
			tokenRequests: stats.tokenRequests.total,
			apiRequests: stats.apiRequests,
			apiExpired: stats.apiExpired,
			api401: stats.api401,
			memory: {
				firstBytes: memory[0]?.rssBytes ?? null,
				startBytes: warm?.rssBytes ?? null,
				endBytes: memory[memory.length - 1]?.rssBytes ?? null,
				maxBytes: Math.max(...memory.map((m) => m.rssBytes ?? 0)),
				peakBytes: memory[memory.length - 1]?.peakBytes ?? null,
				samples: memory,
			},
		};
	} finally {
		await server?.stop();
		await h.stop();
	}
}
