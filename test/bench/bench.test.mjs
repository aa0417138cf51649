// The benchmark's pure parts: profile attribution, the chart, the README block, the soak's count of
// token requests per lifetime, /proc parsing. `node --test test/bench/` (not jest: the bench is ESM).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { drawChart, niceStep } from '../../scripts/bench/chart.mjs';
import { parseProcStatus } from '../../scripts/bench/n8n-process.mjs';
import { MARKERS, attributeProfile, perItemSplit } from '../../scripts/bench/profile.mjs';
import { END, START, updateReadme } from '../../scripts/bench/readme.mjs';
import { tokenRequestsPerLifetime, usableLifetimeMs } from '../../scripts/bench/soak.mjs';

const OURS = '/u/.n8n/nodes/node_modules/n8n-nodes-oauth2-grants/dist/';
const frame = (functionName, url) => ({ functionName, url, scriptId: '0', lineNumber: 0, columnNumber: 0 });

/** A profile from stacks (root first), one sample each, every sample 1 ms long. */
function profileOf(stacks) {
	const nodes = [{ id: 1, callFrame: frame('(root)', ''), children: [] }];
	const samples = [];
	for (const stack of stacks) {
		let parent = nodes[0];
		for (const f of stack) {
			let child = parent.children.map((id) => nodes[id - 1]).find((n) => n.callFrame.functionName === f.functionName && n.callFrame.url === f.url);
			if (!child) {
				child = { id: nodes.length + 1, callFrame: f, children: [] };
				nodes.push(child);
				parent.children.push(child.id);
			}
			parent = child;
		}
		samples.push(parent.id);
	}
	return { nodes, startTime: 0, endTime: samples.length * 1000, samples, timeDeltas: samples.map(() => 1000) };
}

test('attributes samples by the nearest frame of ours or n8n entry point, inside the execute window', () => {
	const action = frame('sendRequest', `${OURS}nodes/OAuth2HttpRequest/actions/sendRequest.operation.js`);
	const profile = profileOf([
		[frame('loadNodes', '/n8n/dist/load.js'), frame('', `${OURS}nodes/OAuth2HttpRequest/request/url.js`)], // start-up: outside
		[action, frame('buildItemRequest', `${OURS}nodes/OAuth2HttpRequest/request/buildRequest.js`)],
		[action, frame('getNodeParameter', '/n8n-core/dist/ctx.js'), frame('evaluate', '/n8n-workflow/dist/expr.js')],
		[frame('processTicksAndRejections', 'node:internal/process/task_queues'), frame('runQuery', '/node_modules/sqlite3/lib/sqlite3.js')],
		[frame('httpRequestWithAuthentication', '/n8n-core/dist/request-helpers/authentication.js'), frame('authenticate', `${OURS}credentials/common/authenticate.js`)],
		[frame('socketOnData', 'node:_http_client')],
		[frame('(garbage collector)', '')],
		[frame('(idle)', '')],
		[action, frame('toOutputItems', `${OURS}nodes/OAuth2HttpRequest/response/outputItems.js`)],
		[frame('later', '/n8n/dist/save.js')], // after the last sample of execute: outside
	]);
	const a = attributeProfile(profile, { marker: MARKERS.ours });
	assert.equal(a.found, true);
	// Samples 1 to 8, each lasting until the next.
	assert.equal(a.windowMs, 8);
	assert.equal(a.parts.request.ours, 1);
	assert.equal(a.parts.parameters.n8n, 1);
	assert.equal(a.parts.credential.n8n, 1);
	assert.equal(a.parts.token.ours, 1);
	assert.equal(a.parts.helper.n8n, 1);
	assert.equal(a.parts.gc.n8n, 1);
	assert.equal(a.idleMs, 1);
	const split = perItemSplit(a, 2);
	assert.equal(split.oursUs, 1500); // request, token and output: 3 ms over 2 items
	assert.equal(split.n8nUs, 2000); // parameters, credential, helper, gc
});

test('a profile without the marked frames has no window', () => {
	const a = attributeProfile(profileOf([[frame('x', '/n8n/a.js')]]), { marker: MARKERS.floor });
	assert.deepEqual([a.found, a.windowMs], [false, 0]);
});

test('the chart draws one path per way with points, and a bar per way', () => {
	const svg = drawChart({
		series: [
			{ label: '(a) <built-in>', points: [{ items: 200, usPerItem: 7000 }, { items: 2000, usPerItem: 6500 }] },
			{ label: '(c)', points: [{ items: 200, usPerItem: 3000 }, { items: 100000, usPerItem: 2500 }] },
		],
		bars: [{ label: '(a)', value: 4 }, { label: '(c)', value: 1 }],
	});
	assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
	assert.equal((svg.match(/<path /g) ?? []).length, 2);
	assert.equal((svg.match(/<circle /g) ?? []).length, 4);
	assert.equal((svg.match(/<rect x=/g) ?? []).length, 2);
	assert.match(svg, /\(a\) &lt;built-in&gt;/);
	assert.match(svg, />100,000</);
	assert.equal(niceStep(7000), 2000);
});

test('the README block is replaced and nothing else', () => {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-readme-')), 'README.md');
	fs.writeFileSync(file, `# T\n\nbefore\n\n${START}\nold table\n${END}\n\nafter\n`);
	updateReadme(file, '| new |\n', 'npm run bench');
	assert.equal(fs.readFileSync(file, 'utf8'), `# T\n\nbefore\n\n${START}\n\`npm run bench\`:\n\n| new |\n${END}\n\nafter\n`);
	fs.writeFileSync(file, 'no markers');
	assert.throws(() => updateReadme(file, 'x', 'c'), /no <!-- bench:start -->/);
});

test('token requests per lifetime: a request before the previous token was due is a second one', () => {
	const usable = usableLifetimeMs(15);
	assert.equal(usable, 5500);
	assert.deepEqual(tokenRequestsPerLifetime([0, 6000, 12500, 19000], usable), { requests: 4, lifetimes: 4, extra: 0, perLifetime: 1 });
	assert.deepEqual(tokenRequestsPerLifetime([0, 30, 6000], usable), { requests: 3, lifetimes: 2, extra: 1, perLifetime: 1.5 });
	assert.equal(tokenRequestsPerLifetime([], usable).perLifetime, null);
});

test('reads peak and current memory from /proc/<pid>/status', () => {
	assert.deepEqual(parseProcStatus('Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n'), { peakBytes: 200 * 2 ** 20, rssBytes: 100 * 2 ** 20 });
	assert.deepEqual(parseProcStatus('Name: x\n'), { peakBytes: null, rssBytes: null });
});

test('merging results: each scenario from the last file that measured it', async () => {
	const { mergeResults } = await import('../../scripts/bench/merge.mjs');
	const sample = (scenario, way, ms) => ({ scenario, way, ms, items: 2000, rep: 0 });
	const a = { startedAt: '2026-01-01T00:00:00Z', durationS: 60, command: 'a', machine: { gitCommit: 'aaa' }, profiles: { c: 1 }, micro: null, samples: [sample('cold', 'c', 1), sample('scale-cold', 'c', 2)] };
	const b = { startedAt: '2026-01-02T00:00:00Z', durationS: 30, command: 'b', machine: { gitCommit: 'bbb' }, profiles: null, micro: { m: 1 }, samples: [sample('scale-cold', 'c', 3)] };
	const merged = mergeResults([a, b]);
	assert.deepEqual(merged.samples.map((s) => [s.scenario, s.ms]), [['cold', 1], ['scale-cold', 3]]);
	assert.deepEqual([merged.profiles, merged.micro, merged.durationS], [{ c: 1 }, { m: 1 }, 90]);
	assert.deepEqual(merged.runs.map((r) => [r.commit, r.scenarios]), [['aaa', ['cold', 'profile']], ['bbb', ['scale-cold', 'micro']]]);
});

test('the floor + credential: (c) and the others against it pair by pair, it against the floor', async () => {
	const { summaryRows, scaleRows, checkTargets } = await import('../../scripts/bench/report.mjs');
	const sample = (scenario, way, rep, ms, items = 2000) => ({ scenario, way, rep, ms, items, status: 'success', tokenRequests: 0, api401: 0, apiExpired: 0, apiTotal: items, itemsOk: items, itemsExpected: items, credentialWrites: 0 });
	const samples = [
		// rep 0 and rep 1 ran on a machine twice as fast in rep 1: the pairs keep the ratios.
		...[0, 1].flatMap((rep) => {
			const k = rep === 0 ? 1 : 0.5;
			return [sample('cold', 'a', rep, 8000 * k), sample('cold', 'c', rep, 6000 * k), sample('cold', 'c0', rep, 5000 * k), sample('cold', 'f', rep, 3000 * k), sample('cold', 'f0', rep, 2000 * k), sample('cold', 'fc', rep, 5000 * k), sample('cold', 'fc0', rep, 4000 * k)];
		}),
		sample('scale-cold', 'c', 0, 60_000, 20_000),
		sample('scale-cold', 'f', 0, 30_000, 20_000),
		sample('scale-cold', 'fc', 0, 50_000, 20_000),
	];
	const rows = summaryRows(samples);
	const row = (way, scenario = 'cold') => rows.find((r) => r.way === way && r.scenario === scenario);
	assert.deepEqual([row('c').ratioToFloor.median, row('c').ratioToFloorCredential.median], [2, 1.2]);
	assert.deepEqual([row('c0').ratioToFloor.median, row('c0').ratioToFloorCredential.median], [2.5, 1.25]);
	assert.equal(row('a').ratioToFloorCredential.median, 2);
	// The floor + credential over the floor at the same concurrency: what n8n's credential read costs.
	assert.deepEqual([row('fc').ratioToFloor.median, row('fc0').ratioToFloor.median], [5 / 3, 2]);
	assert.deepEqual([row('fc').ratioToBaseline, row('f').ratioToFloorCredential, row('fc').ratioToFloorCredential], [null, null, null]);
	const scale = scaleRows(rows, 2000);
	const us = (way) => scale.find((r) => r.way === way);
	assert.deepEqual([us('c').overFloorUs, us('c').overFloorCredentialUs, us('fc').overFloorUs, us('f').overFloorUs], [1500, 500, 1000, NaN]);
	const targets = checkTargets(samples, rows, null, 2000).filter((t) => t.target.includes('floor + credential'));
	assert.deepEqual(targets.map((t) => [t.met, t.measured]), [[false, '1.20'], [false, '1.25']]);
});

test('reads a process CPU time from /proc/<pid>/stat, a command name with spaces and parentheses included', async () => {
	const { parseProcStat } = await import('../../scripts/bench/n8n-process.mjs');
	// Fields 14 and 15 (utime, stime) are 250 and 50 ticks: 3,000 ms at 100 ticks a second.
	const stat = '4242 (node (n8n) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 50 0 0 20 0 11 0 100 1000000 5000';
	assert.equal(parseProcStat(stat, 100), 3000);
	assert.equal(parseProcStat('4242 (gone)', 100), null);
});

test('CPU time between two moments is interpolated inside the sample intervals that hold them', async () => {
	const { cpuBetween } = await import('../../scripts/bench/n8n-process.mjs');
	// Start-up burns 100 ms of CPU per 50 ms (two threads), the execution 40 ms per 50 ms.
	const samples = [
		{ at: 1000, cpuMs: 0 },
		{ at: 1050, cpuMs: 100 },
		{ at: 1100, cpuMs: 140 },
		{ at: 1150, cpuMs: 180 },
		{ at: 1200, cpuMs: 220 },
	];
	assert.equal(cpuBetween(samples, 1050, 1150), 80);
	assert.equal(cpuBetween(samples, 1075, 1175), 80);
	assert.equal(cpuBetween(samples, 1025, 1050), 50);
	// A moment outside the samples, or an end before the start: not measured.
	assert.equal(cpuBetween(samples, 900, 1100), null);
	assert.equal(cpuBetween(samples, 1100, 1300), null);
	assert.equal(cpuBetween(samples, 1150, 1100), null);
	assert.equal(cpuBetween([], 1000, 1100), null);
});

test('CPU per item and its ratios pair by pair, in the table and the targets', async () => {
	const { summaryRows, checkTargets, markdown } = await import('../../scripts/bench/report.mjs');
	const sample = (scenario, way, rep, ms, cpuMs) => ({ scenario, way, rep, ms, cpuMs, items: 2000, status: 'success', tokenRequests: scenario === 'cold' && !way.startsWith('f') ? 1 : 0, api401: 0, apiExpired: 0, apiTotal: 2000, itemsOk: 2000, itemsExpected: 2000, credentialWrites: 0 });
	const samples = [0, 1].flatMap((rep) => {
		const k = rep === 0 ? 1 : 2; // rep 1 on a machine half as fast: the pairs keep the ratios
		return ['cold', 'warm'].flatMap((scenario) => [
			sample(scenario, 'a', rep, 9000, 8000 * k),
			sample(scenario, 'c', rep, 7000, 4400 * k),
			sample(scenario, 'f', rep, 4000, 4000 * k),
			sample(scenario, 'fc', rep, 6000, 5000 * k),
			sample(scenario, 'fp', rep, 6500, 4000 * k),
		]);
	});
	// A run without CPU samples (an older result file) is left out of the CPU figures, not counted as 0.
	samples.push({ ...sample('cold', 'c', 2, 7000, null), cpuMs: undefined });
	const rows = summaryRows(samples);
	const c = rows.find((r) => r.way === 'c' && r.scenario === 'cold');
	assert.deepEqual([c.cpuMs.n, c.cpuRatioToBaseline.median, c.cpuRatioToFloor.median, c.cpuRatioToFloorCredential.median], [2, 0.55, 1.1, 0.88]);
	const fc = rows.find((r) => r.way === 'fc' && r.scenario === 'warm');
	assert.deepEqual([fc.cpuRatioToFloor.median, fc.cpuRatioToBaseline, fc.cpuRatioToFloorCredential], [1.25, null, null]);
	// The floor + this credential: against the floor and the floor + credential like the others, and (c) against it.
	const fp = rows.find((r) => r.way === 'fp' && r.scenario === 'cold');
	assert.deepEqual([fp.cpuRatioToFloor.median, fp.cpuRatioToFloorCredential.median, fp.cpuRatioToBaseline], [1, 0.8, null]);
	assert.deepEqual([c.ratioToFloorThisCredential.median, c.cpuRatioToFloorThisCredential.median], [7000 / 6500, 1.1]);
	const cpuTargets = checkTargets(samples, rows, null, 2000).filter((t) => t.target.includes('CPU'));
	assert.deepEqual(cpuTargets.map((t) => [t.target.slice(0, 40), t.met, t.measured]), [
		['(c) n8n CPU vs the floor at the same con', true, '1.10'],
		['(c) n8n CPU vs the floor + credential pe', true, '0.88'],
		['(c) n8n CPU vs the floor + this credenti', true, '1.10'],
		['(c) n8n CPU vs the floor at the same con', true, '1.10'],
		['(c) n8n CPU vs the floor + credential pe', true, '0.88'],
		['(c) n8n CPU vs the floor + this credenti', true, '1.10'],
	]);
	const timeTargets = checkTargets(samples, rows, null, 2000).filter((t) => t.target.includes('time vs the floor + this credential'));
	assert.deepEqual(timeTargets.map((t) => [t.met, t.measured]), [[true, '1.08'], [true, '1.08']]);
	const text = markdown({
		rows,
		targets: [],
		machine: { n8nVersion: 'x', n8nNode: 'x', nproc: 2, cpuModel: 'x', memoryGiB: 1, packageVersion: 'x', gitCommit: 'x' },
		options: { reps: 2, concurrent: 5 },
		load: { start: { loadAverage: [0, 0, 0] }, end: { loadAverage: [0, 0, 0] } },
		startedAt: '2026-12-02T00:00:00Z',
		durationS: 60,
	});
	// (c) cold: 4,400 and 8,800 ms over 2,000 items: 2,200 and 4,400 µs per item, median 3,300.
	assert.match(text, /\| \(c\) \| 3300 \(2200–4400\) \| 0\.55 \| 1\.10 \| 0\.88 \| 1\.10 \| 3300 \(2200–4400\) \| 0\.55 \| 1\.10 \| 0\.88 \| 1\.10 \|/);
	assert.match(text, /\| floor \| 3000 \(2000–4000\) \| – \| floor \| – \| – \|/);
	assert.match(text, /\| floor \+ this credential \| 3000 \(2000–4000\) \| – \| 1\.00 \| 0\.80 \| floor \+ this credential \|/);
	assert.match(text, /\| cold \| 2000 \| c \| .* \| 7\.00 \| 0\.78 \| 1\.75 \| 1\.17 \| 1\.08 \|/);
});

test("the measured node's time is its own run's, after the wait that lets n8n finish starting", async () => {
	const { nodeTimeOf } = await import('../../scripts/bench/measure.mjs');
	const { CALL, workflow } = await import('../n8n-harness/fixtures/workflows.mjs');
	const { SETTLE_SECONDS } = await import('../../scripts/bench/plan.mjs');
	const run = { startedAt: '2026-12-02T10:00:00.000Z', stoppedAt: '2026-12-02T10:00:09.000Z', data: { resultData: { runData: { [CALL]: [{ startTime: 1_764_669_603_100, executionTime: 5400 }] } } } };
	assert.deepEqual(nodeTimeOf(run), { startMs: 1_764_669_603_100, ms: 5400 });
	assert.equal(nodeTimeOf({ data: { resultData: { runData: {} } } }), null);
	const wf = workflow('w', 'w', { items: 2, call: { type: 'x', typeVersion: 1, parameters: {} }, settleSeconds: SETTLE_SECONDS });
	const settle = wf.nodes.find((n) => n.type === 'n8n-nodes-base.wait');
	assert.deepEqual(settle.parameters, { amount: SETTLE_SECONDS, unit: 'seconds' });
	assert.deepEqual([wf.connections.Split.main[0][0].node, wf.connections[settle.name].main[0][0].node], [settle.name, CALL]);
	// Without it, the e2e suites' workflows are as before: the items go straight to the call.
	assert.equal(workflow('w', 'w', { items: 2, call: {} }).connections.Split.main[0][0].node, CALL);
});

test('a scale run printed on its own compares with its own smallest count', async () => {
	const { summaryRows, scaleRows, scaleReferenceItems } = await import('../../scripts/bench/report.mjs');
	const sample = (items, ms) => ({ scenario: 'scale-cold', way: 'c', rep: 0, ms, items, status: 'success', tokenRequests: 1, api401: 0, apiExpired: 0, apiTotal: items, itemsOk: items, itemsExpected: items, credentialWrites: 1 });
	const rows = summaryRows([sample(2000, 8000), sample(20000, 40000)]);
	assert.equal(scaleReferenceItems(rows, 0), 2000);
	assert.deepEqual(scaleRows(rows, 0).map((r) => r.growth), [1, 0.5]);
});
