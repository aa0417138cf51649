// One measured execution (or batch of concurrent executions): the lab's counters, the items n8n
// output, the time n8n recorded for the measured node, the CPU time the n8n process spent while
// that node ran, and the credential writes the database trigger counted.
import fs from 'node:fs';
import path from 'node:path';

import { CALL } from '../../test/n8n-harness/fixtures/workflows.mjs';
import { nodeOutput, runError } from '../../test/n8n-harness/n8n-cli.mjs';
import { cpuBetween, executeWorkflow } from './n8n-process.mjs';
import { SETTLE_SECONDS } from './plan.mjs';
import { floorAuthorization, isCredentialFloor, isFloor } from './ways.mjs';

const okItem = (item) => item && item.json && item.json.error === undefined;

export function sampleFrom({ scenario, rep, caseInfo, stats, itemsOk, itemsExpected, ms, writes, status, error, extra = {} }) {
	return {
		scenario,
		items: caseInfo.items,
		way: caseInfo.way,
		rep,
		tokenRequests: stats.tokenRequests.total,
		api401: stats.api401,
		apiExpired: stats.apiExpired,
		apiRevoked: stats.apiRevoked,
		apiTotal: stats.apiRequests,
		itemsOk,
		itemsExpected,
		ms,
		credentialWrites: writes,
		status,
		...(error ? { error } : {}),
		credentialId: caseInfo.credentialId,
		workflowId: caseInfo.workflowId,
		...extra,
	};
}

async function writesOf(ctx, credentialId) {
	if (!ctx.countWrites || !credentialId) return null;
	try {
		return (await ctx.db.credentialWrites())[credentialId] ?? 0;
	} catch {
		return null;
	}
}

/** The measured node's run as n8n recorded it: its start (epoch ms) and its execution time (ms). */
export function nodeTimeOf(run, nodeName = CALL) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[0];
	return Number.isFinite(task?.startTime) && Number.isFinite(task?.executionTime) ? { startMs: task.startTime, ms: task.executionTime } : null;
}

/**
 * `n8n execute` of one workflow; the time is the measured node's own, as n8n records it in the run
 * (not the CLI's start-up, the items' creation, or the wait before the node).
 * `extraEnv` goes to that n8n process only (a heap size for large runs, a CPU profile). The floor's
 * token is fetched before the lab's counters are reset, so its token request is not counted.
 */
export async function measureExecute(ctx, { scenario, rep, caseInfo, workflowId = caseInfo.workflowId, itemsExpected = caseInfo.items, extraEnv = {} }) {
	const env = { ...(ctx.n8nEnv ?? {}), ...extraEnv };
	// The floor + credential reads its token from its credential (refreshed by the scenarios).
	if (isFloor(caseInfo.way) && !isCredentialFloor(caseInfo.way)) env.BENCH_FLOOR_AUTHORIZATION = await floorAuthorization(ctx.h.urls);
	await ctx.h.reset();
	const before = await writesOf(ctx, caseInfo.credentialId);
	const spawnedAt = Date.now();
	const result = await executeWorkflow(ctx.h.cli, workflowId, { extraEnv: env });
	const stats = await ctx.h.stats();
	const after = await writesOf(ctx, caseInfo.credentialId);
	const run = result.run;
	if (!run && result.code === 0) {
		const fallback = await runFromDatabase(ctx, workflowId, spawnedAt, stats, itemsExpected);
		if (fallback) {
			keepUnparsedOutput(ctx, workflowId, result.stdout);
			return {
				endedAt: Date.now(),
				sample: sampleFrom({
					scenario,
					rep,
					caseInfo,
					stats,
					...fallback,
					itemsExpected,
					writes: before === null || after === null ? null : after - before,
					extra: { peakMemoryBytes: result.peakBytes, cpuMs: cpuBetween(result.cpuSamples, fallback.startMs, fallback.startMs + fallback.ms), runFrom: 'database', stdoutBytes: result.stdout.length },
				}),
			};
		}
	}
	const failure = runError(run);
	const status = run?.status ?? (run ? (failure ? 'error' : 'success') : 'no run');
	const output = nodeOutput(run, CALL);
	const node = nodeTimeOf(run);
	return {
		endedAt: Date.now(),
		sample: sampleFrom({
			scenario,
			rep,
			caseInfo,
			stats,
			itemsOk: status === 'success' ? output.filter(okItem).length : 0,
			itemsExpected,
			ms: node?.ms ?? NaN,
			writes: before === null || after === null ? null : after - before,
			status,
			error: failure?.message ?? (run ? undefined : `no run in n8n's output (exit ${result.code}): ${result.stderr.slice(-400)}`),
			extra: { peakMemoryBytes: result.peakBytes, cpuMs: node ? cpuBetween(result.cpuSamples, node.startMs, node.startMs + node.ms) : null },
		}),
	};
}

/**
 * Now and then `n8n execute` exits 0 without a run the harness can read in its output. The execution
 * is in n8n's database all the same: its status and times come from there (the report marks them),
 * and the items from the
 * lab's count of API requests it answered 200 (n8n marks the execution failed if an item failed).
 */
async function runFromDatabase(ctx, workflowId, spawnedAt, stats, itemsExpected) {
	if (!ctx.db) return null;
	const rows = await ctx.db.executionsOf(workflowId).catch(() => []);
	const last = rows.filter((r) => r.startMs >= spawnedAt - 1000).pop();
	if (!last || !Number.isFinite(last.stopMs)) return null;
	const answered = Number(stats.apiByStatus?.['200'] ?? 0);
	// The node's own time is only in the run's data; the execution's, less the wait before the node,
	// is an upper bound of it (it also holds the creation of the items).
	const settleMs = SETTLE_SECONDS * 1000;
	return {
		status: last.status,
		startMs: last.startMs + settleMs,
		ms: last.stopMs - last.startMs - settleMs,
		itemsOk: last.status === 'success' ? Math.min(itemsExpected, answered) : 0,
		error: last.status === 'success' ? undefined : `execution ${last.id}: ${last.status} (read from n8n's database)`,
	};
}

/** The head and tail of an output the harness could not read, beside the results, to see why. */
function keepUnparsedOutput(ctx, workflowId, stdout) {
	if (!ctx.profileDir) return;
	const file = path.join(path.dirname(ctx.profileDir), `unparsed-${workflowId}.txt`);
	fs.writeFileSync(file, `${stdout.length} bytes\n--- head ---\n${stdout.slice(0, 4000)}\n--- tail ---\n${stdout.slice(-4000)}\n`);
}

async function settledExecutions(db, workflowId, count, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await db.executionsOf(workflowId);
		const done = rows.filter((r) => Number.isFinite(r.stopMs));
		if (done.length >= count || Date.now() > deadline) return rows;
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * `count` requests to the workflow's webhook at the same moment, on one running n8n. The time is
 * what n8n recorded: from the first execution's start to the last one's stop.
 */
export async function measureWebhookBurst(ctx, { server, rep, caseInfo, count }) {
	await ctx.h.reset();
	const before = await writesOf(ctx, caseInfo.credentialId);
	const responses = await Promise.all(
		Array.from({ length: count }, () =>
			fetch(`${server.url}/webhook/${caseInfo.webhookPath}`).then(
				async (r) => {
					const text = await r.text();
					let body;
					try {
						body = JSON.parse(text);
					} catch {
						body = text;
					}
					return { status: r.status, body };
				},
				(error) => ({ status: 0, body: String(error?.message ?? error) }),
			),
		),
	);
	const stats = await ctx.h.stats();
	const rows = await settledExecutions(ctx.db, caseInfo.workflowId, count);
	const after = await writesOf(ctx, caseInfo.credentialId);
	const finished = rows.filter((r) => Number.isFinite(r.startMs) && Number.isFinite(r.stopMs));
	const itemsOk = responses.reduce((sum, r) => sum + (r.status === 200 && Array.isArray(r.body) ? r.body.filter((i) => i && i.error === undefined).length : 0), 0);
	const failed = responses.filter((r) => r.status !== 200);
	return sampleFrom({
		scenario: 'concurrency',
		rep,
		caseInfo,
		stats,
		itemsOk,
		itemsExpected: caseInfo.items * count,
		ms: finished.length ? Math.max(...finished.map((r) => r.stopMs)) - Math.min(...finished.map((r) => r.startMs)) : NaN,
		writes: before === null || after === null ? null : after - before,
		status: failed.length === 0 && rows.every((r) => r.status === 'success') ? 'success' : 'error',
		error: failed.length ? `${failed.length} of ${count} webhook calls answered ${failed.map((r) => r.status).join(', ')}: ${JSON.stringify(failed[0].body).slice(0, 300)}` : undefined,
		extra: {
			executions: rows.length,
			executionMs: finished.map((r) => r.stopMs - r.startMs),
			executionStatuses: rows.map((r) => r.status),
		},
	});
}
