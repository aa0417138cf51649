// The scenarios, repetition by repetition, with the ways in a rotating order inside each one, so
// drift of the (shared, noisy) machine hits every way alike.
import fs from 'node:fs';
import path from 'node:path';

import { activateWorkflow, startN8nProcess } from '../../test/n8n-harness/n8n-server.mjs';
import { measureExecute, measureWebhookBurst } from './measure.mjs';
import { MARKERS, attributeProfile, perItemSplit, readNewestProfile } from './profile.mjs';
import { FLOOR_CREDENTIAL_TYPE, rotation, waysFor, withFloorToken } from './ways.mjs';

const LONG_TTL = 3600;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function describe(sample) {
	const secs = Number.isFinite(sample.ms) ? `${(sample.ms / 1000).toFixed(2)} s` : 'no time';
	const problem = sample.status === 'success' ? '' : ` — ${sample.status}: ${sample.error ?? ''}`.slice(0, 400);
	return `${sample.scenario} ${sample.items} items (${sample.way}): ${secs}, ${sample.tokenRequests} token req, ${sample.api401} × 401, ${sample.apiTotal} API req, ${sample.itemsOk}/${sample.itemsExpected} ok, writes ${sample.credentialWrites ?? 'n/a'}${problem}`;
}

/** A token the lab accepts now for every floor + credential credential (see withFloorToken). */
async function refreshFloorCredentials(ctx, plan) {
	if (!plan.credentials.some((c) => c.type === FLOOR_CREDENTIAL_TYPE)) return;
	await ctx.h.cli.importJson('credentials', await withFloorToken(plan.credentials, ctx.h.urls));
}

/** Runs the n8n part of the benchmark; `record(sample)` receives every measured sample. */
export async function runScenarios(ctx, plan, options, record) {
	const wants = (s) => options.only.has(s);
	const keep = (sample) => {
		ctx.log(`  rep ${sample.rep + 1}: ${describe(sample)}`);
		record(sample);
	};
	for (let rep = 0; rep < plan.reps.length; rep++) {
		const cases = plan.reps[rep];
		const all = rotation(rep);
		const order = all;
		const orderOf = (scenario) => all.filter((way) => waysFor(scenario).includes(way));
		ctx.log(`repetition ${rep + 1} of ${plan.reps.length}, order ${order.join(' ')}`);
		await ctx.h.configure({ accessTokenTtlSeconds: LONG_TTL });
		// The previous repetition's revocation scenario made the lab forget the floor + credential's token.
		if (plan.coldSizes.length) await refreshFloorCredentials(ctx, plan);

		for (const size of plan.coldSizes) {
			for (const way of order) {
				const { sample } = await measureExecute(ctx, { scenario: 'cold', rep, caseInfo: cases.cold[size][way] });
				if (wants('cold')) keep(sample);
				else ctx.log(`  rep ${rep + 1}: (set-up) ${describe(sample)}`);
			}
		}
		const chain = cases.cold[plan.largest];
		if (wants('warm')) {
			for (const way of orderOf('warm')) keep((await measureExecute(ctx, { scenario: 'warm', rep, caseInfo: chain[way] })).sample);
		}
		if (wants('revocation')) {
			for (const way of orderOf('revocation')) {
				// The server forgets every token it issued between this way's previous execution and this one.
				await ctx.h.revokeAll();
				keep((await measureExecute(ctx, { scenario: 'revocation', rep, caseInfo: chain[way] })).sample);
			}
		}
		if (wants('expiry')) await runExpiry(ctx, cases.expiry, orderOf('expiry'), rep, options, keep);
		if (wants('concurrency')) await runConcurrency(ctx, cases.concurrency, orderOf('concurrency'), rep, options, keep);
	}
	if (wants('profile') || wants('scale')) {
		await ctx.h.configure({ accessTokenTtlSeconds: LONG_TTL });
		await refreshFloorCredentials(ctx, plan);
	}
	if (wants('profile')) ctx.profiles = await runProfiles(ctx, plan.profile);
	if (wants('scale')) await runScale(ctx, plan.scale, options, keep);
}

// Large executions need more than Node's default heap: n8n keeps every item of the run, and
// `n8n execute --rawOutput` prints them all.
const LARGE_HEAP = { NODE_OPTIONS: '--max-old-space-size=8192' };

/**
 * One execution of 20,000 and of 100,000 items (by default) per way, at the default concurrency:
 * ours cold (new credential), the floor, the floor + credential, ours warm (same workflow again).
 * The floors need no warm-up, so their one run pairs with both of ours.
 */
async function runScale(ctx, cases, options, keep) {
	await ctx.h.configure({ accessTokenTtlSeconds: LONG_TTL });
	for (const size of options.scaleItems) {
		const steps = [
			['scale-cold', 'c'],
			['scale-cold', 'f'],
			['scale-cold', 'fc'],
			['scale-warm', 'c'],
		];
		for (const [scenario, way] of steps) {
			const { sample } = await measureExecute(ctx, { scenario, rep: 0, caseInfo: cases[size][way], extraEnv: LARGE_HEAP });
			keep(sample);
			if (way === 'f' || way === 'fc') keep({ ...sample, scenario: 'scale-warm' });
		}
	}
}

/**
 * One cold and one warm 2,000-item execution of ours, one of the floor and one of the floor +
 * credential (default concurrency) under `--cpu-prof`, apart from the timed runs (profiling slows them). Returns the per-item split of each.
 */
async function runProfiles(ctx, cases) {
	const result = {};
	// The same workflow of ours runs cold, then warm (its token stored by the cold run).
	for (const [key, way, marker] of [
		['c', 'c', MARKERS.ours],
		['cWarm', 'c', MARKERS.ours],
		['f', 'f', MARKERS.floor],
		['fc', 'fc', MARKERS.floor],
	]) {
		const dir = path.join(ctx.profileDir ?? ctx.h.work, `cpu-profile-${key}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const caseInfo = cases[way];
		const { sample } = await measureExecute(ctx, {
			scenario: 'profile',
			rep: 0,
			caseInfo,
			extraEnv: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=250` },
		});
		const profile = readNewestProfile(dir);
		if (!profile) {
			ctx.log(`  profile (${key}): no .cpuprofile written`);
			result[key] = { error: 'no profile written', sample };
			continue;
		}
		const split = perItemSplit(attributeProfile(profile, { marker }), caseInfo.items);
		ctx.log(`  profile (${key}): ${describe(sample)}; busy ${split.busyUs.toFixed(0)} µs per item, ours ${split.oursUs.toFixed(0)} µs`);
		result[key] = { items: caseInfo.items, split, ms: sample.ms, status: sample.status, dir };
	}
	return result;
}

/**
 * First execution (1 item) stores a token that lives `expiryTtl` seconds; the measured execution
 * starts after that lifetime. The lab issues long-lived tokens again before the measured runs, so
 * a renewal inside a measured run is not cut short by the next expiry.
 */
async function runExpiry(ctx, cases, order, rep, options, keep) {
	await ctx.h.configure({ accessTokenTtlSeconds: options.expiryTtl });
	const firstEnded = {};
	for (const way of order) {
		const caseInfo = cases[way];
		const { sample, endedAt } = await measureExecute(ctx, {
			scenario: 'expiry-first',
			rep,
			caseInfo,
			workflowId: caseInfo.firstWorkflowId,
			itemsExpected: 1,
		});
		firstEnded[way] = endedAt;
		ctx.log(`  rep ${rep + 1}: (first run) ${describe({ ...sample, items: 1 })}`);
		ctx.extra.push({ ...sample, items: 1 });
	}
	await ctx.h.configure({ accessTokenTtlSeconds: LONG_TTL });
	for (const way of order) {
		const wait = firstEnded[way] + options.expiryTtl * 1000 + 1000 - Date.now();
		if (wait > 0) await sleep(wait);
		const gapAfterFirstRunMs = Date.now() - firstEnded[way];
		const { sample } = await measureExecute(ctx, { scenario: 'expiry', rep, caseInfo: cases[way] });
		keep({ ...sample, gapAfterFirstRunMs });
	}
}

async function waitForLog(server, text, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!server.log().includes(text)) {
		if (Date.now() > deadline) throw new Error(`n8n did not log "${text}" within ${timeoutMs / 1000} s; see ${server.logFile}`);
		await sleep(250);
	}
}

async function waitForWebhooks(db, paths, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const registered = await db.registeredWebhookPaths();
		const missing = paths.filter((p) => !registered.has(p));
		if (missing.length === 0) return;
		if (Date.now() > deadline) throw new Error(`n8n did not register the webhooks ${missing.join(', ')} within ${timeoutMs / 1000} s`);
		await sleep(250);
	}
}

/**
 * One n8n process per repetition (a new process has empty caches; the credentials are new too),
 * with one published webhook workflow per way; the ways' bursts run one after another.
 */
async function runConcurrency(ctx, cases, order, rep, options, keep) {
	for (const way of order) await activateWorkflow(ctx.h.cli, cases[way].workflowId, ctx.h.env.line);
	ctx.log(`  rep ${rep + 1}: starting n8n (server mode) for the concurrency scenario`);
	const server = await startN8nProcess(ctx.h.cli);
	try {
		// /healthz answers before the published workflows' webhooks are registered, and 2.x's
		// publication service registers them after n8n says the editor is accessible.
		await waitForLog(server, 'Editor is now accessible', 180_000);
		await waitForWebhooks(ctx.db, order.map((way) => cases[way].webhookPath), 180_000);
		for (const way of order) {
			keep(await measureWebhookBurst(ctx, { server, rep, caseInfo: cases[way], count: options.concurrent }));
		}
	} finally {
		await server.stop();
	}
}
