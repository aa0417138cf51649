// Turns samples into the summary rows, the target checks and the markdown table.
import { SETTLE_SECONDS } from './plan.mjs';
import { PARTS } from './profile.mjs';
import { BASELINE, FLOOR_CREDENTIAL_OF, FLOOR_OF, FLOOR_THIS_CREDENTIAL_OF, WAYS, isFloor } from './ways.mjs';
import { pairedRatios, summarise } from './stats.mjs';

export const SCENARIO_ORDER = ['cold', 'warm', 'revocation', 'expiry', 'concurrency'];
export const SCALE_SCENARIOS = ['scale-cold', 'scale-warm'];
const ALL_SCENARIOS = [...SCENARIO_ORDER, ...SCALE_SCENARIOS];
const MIB = 2 ** 20;
const GOAL_FLOOR_RATIO = 1.1;
const GOAL_SCALE_GROWTH = 1.2;
const WAY_ORDER = WAYS.map((w) => w.key);
const OURS = ['c', 'c0'];
const pairKey = (s) => `${s.scenario}|${s.items}|${s.rep}`;
const ok = (s) => s.status === 'success';
/** The way the others of `of` are measured against (the floor, the floor + credential, ...). */
const isReferenceOf = (of, way) => Object.values(of).includes(way);

/** Token requests the package's node should make: one per token lifetime per process, none while a stored token is valid. */
export const EXPECTED_TOKEN_REQUESTS = { cold: 1, warm: 0, revocation: 1, expiry: 1, concurrency: 1 };

/**
 * (way) ÷ a floor way at the same concurrency (`of[way]`), pair by pair; null for the floor itself
 * or without that floor's samples.
 */
function floorRatio(samples, group, scenario, items, way, of = FLOOR_OF, valueOf = undefined) {
	const floorWay = of[way];
	if (!floorWay) return null;
	const floor = samples.filter((s) => s.scenario === scenario && s.items === items && s.way === floorWay && ok(s));
	if (!floor.length) return null;
	return summarise(pairedRatios(group.filter(ok), floor, pairKey, valueOf));
}

/** The n8n process's CPU time in the execution window, where it was measured. */
const cpuMsOf = (s) => (Number.isFinite(s.cpuMs) && s.cpuMs > 0 ? s.cpuMs : NaN);

export function summaryRows(samples) {
	const groups = new Map();
	for (const s of samples) {
		const key = `${s.scenario}|${s.items}|${s.way}`;
		if (!groups.has(key)) groups.set(key, []);
		groups.get(key).push(s);
	}
	const rows = [];
	for (const group of groups.values()) {
		const { scenario, items, way } = group[0];
		const baseline = samples.filter((s) => s.scenario === scenario && s.items === items && s.way === BASELINE);
		const pick = (f) => summarise(group.map(f));
		const writes = group.map((s) => s.credentialWrites);
		rows.push({
			scenario,
			items,
			way,
			repetitions: group.length,
			failures: group.filter((s) => s.status !== 'success').map((s) => `rep ${s.rep + 1}: ${s.error ?? s.status}`),
			itemsExpected: group[0].itemsExpected,
			tokenRequests: pick((s) => s.tokenRequests),
			api401: pick((s) => s.api401),
			apiExpired: pick((s) => s.apiExpired),
			apiTotal: pick((s) => s.apiTotal),
			itemsOk: pick((s) => s.itemsOk),
			credentialWrites: writes.some((w) => w === null) ? null : summarise(writes),
			// A failed run's time says nothing about the work: it is left out of times and ratios.
			ms: pick((s) => (s.status === 'success' ? s.ms : NaN)),
			ratioToBaseline: way === BASELINE || isFloor(way) || !baseline.length ? null : summarise(pairedRatios(group.filter(ok), baseline.filter(ok), pairKey)),
			ratioToFloor: floorRatio(samples, group, scenario, items, way),
			ratioToFloorCredential: floorRatio(samples, group, scenario, items, way, FLOOR_CREDENTIAL_OF),
			cpuMs: pick((s) => (ok(s) ? cpuMsOf(s) : NaN)),
			cpuRatioToBaseline: way === BASELINE || isFloor(way) || !baseline.length ? null : summarise(pairedRatios(group.filter(ok), baseline.filter(ok), pairKey, cpuMsOf)),
			cpuRatioToFloor: floorRatio(samples, group, scenario, items, way, FLOOR_OF, cpuMsOf),
			cpuRatioToFloorCredential: floorRatio(samples, group, scenario, items, way, FLOOR_CREDENTIAL_OF, cpuMsOf),
			ratioToFloorThisCredential: floorRatio(samples, group, scenario, items, way, FLOOR_THIS_CREDENTIAL_OF),
			cpuRatioToFloorThisCredential: floorRatio(samples, group, scenario, items, way, FLOOR_THIS_CREDENTIAL_OF, cpuMsOf),
			peakMemoryBytes: pick((s) => s.peakMemoryBytes ?? NaN),
			timesFromDatabase: group.filter((s) => s.runFrom === 'database').length,
		});
	}
	const rank = (r) => [ALL_SCENARIOS.indexOf(r.scenario), r.items, WAY_ORDER.indexOf(r.way)];
	return rows.sort((x, y) => {
		const [a, b] = [rank(x), rank(y)];
		return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
	});
}

const fmtRange = (summary, digits = 0, unit = (v) => v) => {
	if (!summary || summary.n === 0) return '–';
	const f = (v) => unit(v).toFixed(digits);
	return summary.min === summary.max ? f(summary.median) : `${f(summary.median)} (${f(summary.min)}–${f(summary.max)})`;
};

/** Checks each target against the figures; `met` is false when any figure misses it. */
export function checkTargets(samples, rows, micro, largest) {
	const targets = [];
	const ours = samples.filter((s) => OURS.includes(s.way));
	for (const scenario of SCENARIO_ORDER) {
		const these = ours.filter((s) => s.scenario === scenario);
		if (!these.length) continue;
		const expected = EXPECTED_TOKEN_REQUESTS[scenario];
		const seen = [...new Set(these.map((s) => s.tokenRequests))].sort((a, b) => a - b);
		targets.push({
			target: `(c) token requests, ${scenario}: ${expected} per n8n process${scenario === 'warm' ? ' (stored token still valid)' : ''}`,
			met: these.every((s) => s.tokenRequests === expected),
			measured: `${seen.join(', ')} in ${these.length} runs`,
		});
	}
	if (ours.length) {
		const expired = ours.reduce((sum, s) => sum + s.apiExpired, 0);
		targets.push({ target: '(c) API requests refused because the token had expired: 0', met: expired === 0, measured: `${expired} in ${ours.length} runs` });
	}
	for (const row of rows.filter((r) => OURS.includes(r.way) && r.items === largest && r.ratioToBaseline?.n)) {
		targets.push({
			target: `(${row.way === 'c0' ? 'c, all at once' : 'c'}) time vs (a), ${row.scenario} ${row.items} items: median ratio ≤ 1.0`,
			met: row.ratioToBaseline.median <= 1.0,
			measured: fmtRange(row.ratioToBaseline, 2),
		});
	}
	// (c) against each floor at the same concurrency, in time, then in n8n's CPU time.
	const floorGoals = [
		['ratioToFloor', 'time vs the floor at the same concurrency'],
		['ratioToFloorCredential', 'time vs the floor + credential per item at the same concurrency'],
		['ratioToFloorThisCredential', 'time vs the floor + this credential per item'],
	];
	const cpuGoals = [
		['cpuRatioToFloor', 'the floor'],
		['cpuRatioToFloorCredential', 'the floor + credential per item'],
		['cpuRatioToFloorThisCredential', 'the floor + this credential per item'],
	];
	const floorRows = rows.filter((r) => OURS.includes(r.way) && r.items === largest && ['cold', 'warm'].includes(r.scenario));
	const oursName = (row) => (row.way === 'c0' ? 'c, all at once' : 'c');
	const floorTarget = (row, key, what) => ({
		target: `(${oursName(row)}) ${what}, ${row.scenario} ${row.items} items: median ratio ≤ ${GOAL_FLOOR_RATIO.toFixed(2)}`,
		met: row[key].median <= GOAL_FLOOR_RATIO,
		measured: fmtRange(row[key], 2),
	});
	for (const [key, what] of floorGoals) {
		for (const row of floorRows.filter((r) => r[key]?.n)) targets.push(floorTarget(row, key, what));
	}
	for (const row of floorRows) {
		for (const [key, against] of cpuGoals) {
			if (row[key]?.n) targets.push(floorTarget(row, key, `n8n CPU vs ${against} at the same concurrency`));
		}
	}
	for (const t of scaleTargets(rows, largest)) targets.push(t);
	if (micro && !micro.error) {
		const ns = micro.cachedGetToken.medianNs;
		targets.push({ target: 'Cached-token lookup (getToken, warm cache) well under 10 µs', met: ns < 10_000, measured: `${(ns / 1000).toFixed(2)} µs median (min ${(micro.cachedGetToken.minNs / 1000).toFixed(2)} µs)` });
		const cold = micro.cold.map((c) => c.tokenRequests);
		targets.push({ target: '10,000 concurrent callers, cold cache: 1 token request', met: cold.every((n) => n === 1), measured: `${cold.join(', ')} in ${cold.length} rounds` });
	}
	return targets;
}

const largestOf = (rows) => Math.max(0, ...rows.filter((r) => r.scenario === 'cold').map((r) => r.items));

/** µs per item of a row's median time. */
const usPerItem = (row) => (row && row.ms.n ? (row.ms.median * 1000) / row.items : NaN);

/** The scale rows: each way's time per item at every count, against the same way at the cold/warm 2,000-item runs. */
/**
 * The item count the scale rows are compared with: the scale run's own smallest count when it ran
 * one of the table's size or smaller (measured next to the large runs) or there is no table, else the
 * table's largest.
 */
export function scaleReferenceItems(rows, largest) {
	const sizes = rows.filter((r) => SCALE_SCENARIOS.includes(r.scenario)).map((r) => r.items);
	const smallest = Math.min(...sizes);
	return sizes.length && (smallest <= largest || !largest) ? smallest : largest;
}

export function scaleRows(rows, largest) {
	const at = (scenario, items, way) => rows.find((r) => r.scenario === scenario && r.items === items && r.way === way);
	const referenceItems = scaleReferenceItems(rows, largest);
	const own = referenceItems !== largest || rows.some((r) => SCALE_SCENARIOS.includes(r.scenario) && r.items === largest);
	return rows
		.filter((r) => SCALE_SCENARIOS.includes(r.scenario))
		.map((r) => {
			const phase = r.scenario === 'scale-warm' ? 'warm' : 'cold';
			const reference = own ? at(r.scenario, referenceItems, r.way) : (at(phase, largest, r.way) ?? at('cold', largest, r.way));
			const floor = at(r.scenario, r.items, FLOOR_OF[r.way]);
			const floorCredential = at(r.scenario, r.items, FLOOR_CREDENTIAL_OF[r.way]);
			const us = usPerItem(r);
			return {
				...r,
				phase,
				usPerItem: us,
				referenceUsPerItem: usPerItem(reference),
				growth: us / usPerItem(reference),
				// The floor + credential over the floor is what n8n's credential read costs per item.
				overFloorUs: !floor || isReferenceOf(FLOOR_OF, r.way) ? NaN : us - usPerItem(floor),
				overFloorCredentialUs: floorCredential ? us - usPerItem(floorCredential) : NaN,
			};
		});
}

function scaleTargets(rows, largest) {
	const targets = [];
	const referenceItems = scaleReferenceItems(rows, largest);
	for (const r of scaleRows(rows, largest).filter((x) => OURS.includes(x.way))) {
		const expected = r.phase === 'cold' ? 1 : 0;
		targets.push({ target: `(c) token requests, ${r.phase} ${r.items.toLocaleString('en')} items: ${expected}`, met: r.tokenRequests.median === expected && r.tokenRequests.max === expected, measured: fmtRange(r.tokenRequests) });
		if (Number.isFinite(r.growth) && r.items !== referenceItems) {
			targets.push({
				target: `(c) time per item, ${r.phase} ${r.items.toLocaleString('en')} items, within ${GOAL_SCALE_GROWTH}× of ${referenceItems.toLocaleString('en')} items`,
				met: r.growth <= GOAL_SCALE_GROWTH,
				measured: `${r.growth.toFixed(2)}× (${r.usPerItem.toFixed(0)} vs ${r.referenceUsPerItem.toFixed(0)} µs)`,
			});
		}
	}
	return targets;
}

/** The soak's figures, as the targets it has. */
export function soakTargets(soak) {
	if (!soak) return [];
	const m = soak.memory;
	return [
		{ target: 'Soak: token requests per token lifetime: 1', met: soak.tokens.perLifetime === 1, measured: `${soak.tokens.perLifetime?.toFixed(2) ?? '–'} (${soak.tokens.requests} requests, ${soak.tokens.lifetimes} lifetimes)` },
		{ target: 'Soak: API requests sent with an expired token: 0', met: soak.apiExpired === 0, measured: String(soak.apiExpired) },
		{ target: 'Soak: failed executions: 0', met: soak.failedExecutions === 0, measured: `${soak.failedExecutions} of ${soak.executions}` },
		{ target: 'Soak: n8n memory flat (end within 1.25× of start)', met: m.endBytes <= m.startBytes * 1.25, measured: `${(m.startBytes / MIB).toFixed(0)} → ${(m.endBytes / MIB).toFixed(0)} MiB` },
	];
}

const wayName = (way) =>
	({ a: '(a)', b: '(b)', c: '(c)', c0: '(c) all at once', f: 'floor', f0: 'floor all at once', fc: 'floor + credential', fc0: 'floor + credential all at once', fp: 'floor + this credential' })[way] ?? way;

function profileLines(profiles) {
	const lines = [];
	const c = profiles?.c;
	const f = profiles?.f;
	const fc = profiles?.fc?.split ? profiles.fc : null;
	if (!c?.split) return lines;
	const us = (v) => (Number.isFinite(v) ? v.toFixed(1) : '–');
	lines.push(`Where one execution's CPU time goes (a CPU profile of n8n, \`--cpu-prof\`, of one cold ${c.items.toLocaleString('en')}-item execution of (c) at concurrency 5${profiles?.cWarm?.split ? ', the same workflow again warm,' : ''} and one of the floor${fc ? ' and one of the floor + credential' : ''}; the profiler slows every one, so these are shares, not the table's times). Per item, in µs of CPU; "ours" is the package's code, "n8n" is n8n's and Node's on the node's behalf:`);
	lines.push('');
	const w = profiles?.cWarm?.split ? profiles.cWarm : null;
	lines.push(`| Part | (c) cold: ours | (c) cold: n8n |${w ? ' (c) warm: ours | (c) warm: n8n |' : ''} floor: n8n |${fc ? ' floor + credential: n8n |' : ''}`);
	lines.push(`| --- | ---: | ---: |${w ? ' ---: | ---: |' : ''} ---: |${fc ? ' ---: |' : ''}`);
	for (const { key, label } of PARTS) {
		const rc = c.split.rows.find((r) => r.key === key);
		const rw = w?.split.rows.find((r) => r.key === key);
		const rf = f?.split?.rows.find((r) => r.key === key);
		const rfc = fc?.split.rows.find((r) => r.key === key);
		lines.push(`| ${label} | ${us(rc.oursUs)} | ${us(rc.n8nUs)} |${w ? ` ${us(rw.oursUs)} | ${us(rw.n8nUs)} |` : ''} ${rf ? us(rf.n8nUs + rf.oursUs) : '–'} |${fc ? ` ${us(rfc.n8nUs + rfc.oursUs)} |` : ''}`);
	}
	lines.push(`| **busy, all parts** | **${us(c.split.oursUs)}** | **${us(c.split.n8nUs)}** |${w ? ` **${us(w.split.oursUs)}** | **${us(w.split.n8nUs)}** |` : ''} **${f?.split ? us(f.split.busyUs) : '–'}** |${fc ? ` **${us(fc.split.busyUs)}** |` : ''}`);
	lines.push('');
	return lines;
}

/** The n8n process's CPU time per item in the execution window, cold and warm at the largest count. */
function cpuLines(rows, largest) {
	const at = (scenario, way) => rows.find((r) => r.scenario === scenario && r.items === largest && r.way === way);
	const ways = WAY_ORDER.filter((way) => ['cold', 'warm'].some((scenario) => at(scenario, way)?.cpuMs?.n));
	if (!ways.length) return [];
	const perItem = (row) => (row?.cpuMs?.n ? fmtRange(row.cpuMs, 0, (v) => (v * 1000) / largest) : '–');
	const ratio = (row, key, self) => (self ? self : row?.[key]?.n ? fmtRange(row[key], 2) : '–');
	const cells = (scenario, way) => {
		const row = at(scenario, way);
		return [
			perItem(row),
			ratio(row, 'cpuRatioToBaseline', way === BASELINE ? 'baseline' : isFloor(way) ? '–' : null),
			ratio(row, 'cpuRatioToFloor', isReferenceOf(FLOOR_OF, way) ? 'floor' : null),
			ratio(row, 'cpuRatioToFloorCredential', isReferenceOf(FLOOR_CREDENTIAL_OF, way) ? 'floor + credential' : null),
			ratio(row, 'cpuRatioToFloorThisCredential', isReferenceOf(FLOOR_THIS_CREDENTIAL_OF, way) ? 'floor + this credential' : null),
		];
	};
	const lines = [];
	lines.push(`n8n's CPU time per item at ${largest.toLocaleString('en')} items: the user + system time of the \`n8n execute\` process (all its threads) from the node's start to its end as n8n records them, read from /proc every 50 ms and interpolated, divided by the items. It is the work the node makes n8n do; other processes on a shared machine change it much less than they change the wall time above. The ratios are pair by pair, as above.`);
	lines.push('');
	lines.push('| Way | Cold: CPU µs per item | ÷ (a) | ÷ floor | ÷ floor + credential | ÷ floor + this credential | Warm: CPU µs per item | ÷ (a) | ÷ floor | ÷ floor + credential | ÷ floor + this credential |');
	lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const way of ways) lines.push(`| ${wayName(way)} | ${cells('cold', way).join(' | ')} | ${cells('warm', way).join(' | ')} |`);
	lines.push('');
	return lines;
}

/** Runs whose output n8n execute did not print readably: their time is the execution's from the database, less the wait. */
function fromDatabaseLines(rows) {
	const marked = rows.filter((r) => r.timesFromDatabase > 0).map((r) => `${r.scenario} ${r.items.toLocaleString('en')} (${wayName(r.way)}): ${r.timesFromDatabase} of ${r.repetitions}`);
	if (!marked.length) return [];
	return [`Times read from n8n's database (the run's output could not be read; the execution's time less the ${SETTLE_SECONDS} s wait, which also holds the creation of the items): ${marked.join('; ')}.`, ''];
}

function scaleLines(rows, largest) {
	const scale = scaleRows(rows, largest);
	if (!scale.length) return [];
	const ref = scaleReferenceItems(rows, largest).toLocaleString('en');
	const lines = [];
	lines.push(`Scale: one execution per item count at concurrency 5 (n8n's heap raised with \`--max-old-space-size=8192\`); ours cold (new credential), the floor, the floor + credential, ours warm (same workflow again), one count after the other in one run. "× ${ref}" is the time per item against the same way's ${ref}-item run of this table; "over the floor" and "over the floor + credential" are µs per item more than that way at the same count (for the floor + credential's own row, over the floor: n8n's credential read); "peak memory" is the n8n process's VmHWM, read every 50 ms. n8n's HTTP Request node is not run at these counts: it sends every item at once (20,000 sockets at a time, past the process's file limit) and takes several times as long.`);
	lines.push('');
	lines.push(`| Items | Run | Way | Token requests | Items OK | Node time, s | µs per item | × ${ref} | Over the floor, µs per item | Over the floor + credential, µs per item | Peak memory, MiB |`);
	lines.push('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const r of scale) {
		const failed = r.failures.length ? ` ⚠ ${r.failures.length} failed` : '';
		lines.push(
			`| ${r.items.toLocaleString('en')} | ${r.phase} | ${wayName(r.way)} | ${isFloor(r.way) ? '–' : fmtRange(r.tokenRequests)} | ${fmtRange(r.itemsOk)} / ${r.itemsExpected}${failed} | ${fmtRange(r.ms, 2, (v) => v / 1000)} | ${Number.isFinite(r.usPerItem) ? r.usPerItem.toFixed(0) : '–'} | ${Number.isFinite(r.growth) ? r.growth.toFixed(2) : '–'} | ${Number.isFinite(r.overFloorUs) ? r.overFloorUs.toFixed(0) : '–'} | ${Number.isFinite(r.overFloorCredentialUs) ? r.overFloorCredentialUs.toFixed(0) : '–'} | ${r.peakMemoryBytes.n ? (r.peakMemoryBytes.median / MIB).toFixed(0) : '–'} |`,
		);
	}
	lines.push('');
	return lines;
}

/** The soak's row, with the date and commit it ran on. */
export function soakLines(soak) {
	if (!soak) return [];
	const mib = (b) => (Number.isFinite(b) ? (b / MIB).toFixed(0) : '–');
	return [
		`Soak (\`npm run bench -- --soak --soak-minutes=${soak.minutes}\`), measured ${soak.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${soak.commit ?? 'unknown commit'}: one \`n8n start\`, ${soak.ratePerMinute} webhook executions a minute of ${soak.itemsPerExecution} items each with (c), tokens living ${soak.ttlSeconds} s.`,
		'',
		'| Minutes | Executions | Failed | Token requests | Per token lifetime | API requests | Sent with an expired token | n8n memory (RSS) at 1 min → end, MiB | Max, MiB |',
		'| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		`| ${soak.minutes} | ${soak.executions} | ${soak.failedExecutions} | ${soak.tokens.requests} | ${soak.tokens.perLifetime?.toFixed(2) ?? '–'} | ${soak.apiRequests} | ${soak.apiExpired} | ${mib(soak.memory.startBytes)} → ${mib(soak.memory.endBytes)} | ${mib(soak.memory.maxBytes)} |`,
		'',
		`"Per token lifetime": token requests ÷ lifetimes, where a request less than ${((soak.usableLifetimeMs ?? 5500) / 1000).toFixed(1)} s after the previous one (before that token was due for renewal) counts as a second request in one lifetime.`,
		'',
	];
}

/** The chart's figures: µs per item by item count for (a), (c), the floor and the floor + credential, and token requests per way (cold, largest count). */
export function chartData(rows, largest) {
	const point = (r) => ({ items: r.items, usPerItem: usPerItem(r) });
	// One point per item count, from the first scenario that has it (the scale run's counts were measured together).
	const pick = (way, scenarios) => {
		const points = [];
		for (const scenario of scenarios) {
			for (const r of rows.filter((x) => x.way === way && x.scenario === scenario)) {
				if (!points.some((p) => p.items === r.items) && Number.isFinite(usPerItem(r))) points.push(point(r));
			}
		}
		return points;
	};
	const series = [
		{ way: 'a', label: "(a) n8n's HTTP Request + OAuth2 (all at once)", points: pick('a', ['cold']) },
		{ way: 'c', label: '(c) this node, concurrency 5', points: pick('c', ['scale-cold', 'cold']) },
		{ way: 'f', label: 'floor, concurrency 5', points: pick('f', ['scale-cold', 'cold']), dashed: true },
		{ way: 'c0', label: '(c) this node, all at once', points: pick('c0', ['cold']) },
		{ way: 'f0', label: 'floor, all at once', points: pick('f0', ['cold']), dashed: true },
		{ way: 'fc', label: 'floor + credential per item, concurrency 5', points: pick('fc', ['scale-cold', 'cold']), dashed: true },
		{ way: 'fc0', label: 'floor + credential per item, all at once', points: pick('fc0', ['cold']), dashed: true },
	].filter((s) => s.points.length);
	const bars = ['a', 'b', 'c', 'c0']
		.map((way) => rows.find((r) => r.scenario === 'cold' && r.items === largest && r.way === way))
		.filter(Boolean)
		.map((r) => ({ way: r.way, label: wayName(r.way), value: r.tokenRequests.median }));
	return { series, bars, barsTitle: `Token requests, one cold execution of ${largest.toLocaleString('en')} items` };
}

export function markdown({ rows, targets, micro, machine, options, load, startedAt, durationS, profiles, soak, chartFile, runs }) {
	const lines = [];
	const secs = (v) => v / 1000;
	const repetitions = runs?.length > 1 ? 'repetitions per run below' : `${options.reps} repetition(s)`;
	lines.push(`Measured ${startedAt.slice(0, 16).replace('T', ' ')} UTC in ${Math.round(durationS / 60)} min: ${repetitions}, n8n ${machine.n8nVersion} on Node ${machine.n8nNode}, ${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, package ${machine.packageVersion} (${machine.gitCommit ?? 'no git'}).`);
	if (runs?.length > 1) {
		lines.push(`From ${runs.length} runs: ${runs.map((r) => `${r.scenarios.join(', ')} measured ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${r.commit ?? '?'}${r.reps ? ` (${r.reps} repetition${r.reps === 1 ? '' : 's'})` : ''}`).join('; ')}.`);
	}
	lines.push(`Load average at start ${load.start.loadAverage.join(' / ')}, at end ${load.end.loadAverage.join(' / ')}; n8n processes on the machine at start: ${load.start.n8nProcesses ?? 'unknown'} (other engineers' runs add noise to the times, not to the counts).`);
	lines.push('');
	lines.push('Ways: ' + WAYS.map((w) => w.label).join('; ') + '.');
	lines.push('');
	const mainRows = rows.filter((r) => SCENARIO_ORDER.includes(r.scenario));
	if (chartFile) {
		lines.push(`![Time per item against item count, and token requests per way](${chartFile})`);
		lines.push('');
	}
	if (mainRows.length) {
		lines.push('| Scenario | Items | Way | Token requests | API 401s | 401s for an expired token | API requests | Items OK | Credential writes | Node time, s | Time ÷ (a) | Time ÷ floor | Time ÷ floor + credential | Time ÷ floor + this credential |');
		lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
		for (const r of mainRows) {
			const items = r.scenario === 'concurrency' ? `${options.concurrent} × ${r.items}` : String(r.items);
			const ratio = r.way === BASELINE ? 'baseline' : isFloor(r.way) ? '–' : fmtRange(r.ratioToBaseline, 2);
			const toFloor = isReferenceOf(FLOOR_OF, r.way) ? 'floor' : r.ratioToFloor ? fmtRange(r.ratioToFloor, 2) : '–';
			const toFloorCredential = isReferenceOf(FLOOR_CREDENTIAL_OF, r.way) ? 'floor + credential' : r.ratioToFloorCredential ? fmtRange(r.ratioToFloorCredential, 2) : '–';
			const toFloorThisCredential = isReferenceOf(FLOOR_THIS_CREDENTIAL_OF, r.way) ? 'floor + this credential' : r.ratioToFloorThisCredential ? fmtRange(r.ratioToFloorThisCredential, 2) : '–';
			const failed = r.failures.length ? ` ⚠ ${r.failures.length} failed` : '';
			const wayLabel = { c0: 'c (all at once)', f: 'floor', f0: 'floor (all at once)', fc: 'floor + credential', fc0: 'floor + credential (all at once)', fp: 'floor + this credential' }[r.way] ?? r.way;
			lines.push(
				`| ${r.scenario} | ${items} | ${wayLabel} | ${fmtRange(r.tokenRequests)} | ${fmtRange(r.api401)} | ${fmtRange(r.apiExpired)} | ${fmtRange(r.apiTotal)} | ${fmtRange(r.itemsOk)} / ${r.itemsExpected}${failed} | ${r.credentialWrites ? fmtRange(r.credentialWrites) : isReferenceOf(FLOOR_OF, r.way) ? 'no credential' : 'not counted'} | ${fmtRange(r.ms, 2, secs)} | ${ratio} | ${toFloor} | ${toFloorCredential} | ${toFloorThisCredential} |`,
			);
		}
		lines.push('');
		lines.push(`Figures are the median over the repetitions, with (min–max) when they differ. "Node time" is the measured node's own time as n8n records it in the run (its \`startTime\` and \`executionTime\`); the items wait ${SETTLE_SECONDS} s before it, so that n8n's start-up work, which \`n8n execute\` goes on doing in the background for about a second, is not in it. For concurrency it is the executions' time on a running n8n, from the first one's start to the last one's stop. "Time ÷ (a)" is computed pair by pair (same repetition and scenario), then the median taken. "Time ÷ floor" is the same against the floor at the same concurrency ((c) against the floor at 5, the others against the floor all at once). Credential writes are UPDATEs of the credential's row in n8n's database, counted by a SQLite trigger. The floor (\`scripts/bench/floor-node/\`, not shipped) is the least a programmatic node does for this work: each item's URL read, one \`helpers.httpRequest\` with a fixed Authorization header, the body as the item; no credential, so it runs in the cold and warm scenarios only. The floor + credential is the same node reading its credential (one field: that header) with \`getCredentials(type, itemIndex)\` for every item, as a node must whose credential fields may be expressions of the item: the least any node costs that resolves its credential per item; its own "Time ÷ floor" is what that read costs. The floor + this credential is that node reading this package's credential type (the same fields as (c)'s) per item instead and sending the floor's fixed header: the least any node costs that resolves this credential per item, so "Time ÷ floor + this credential" is what (c) adds to that, its own work. "Time ÷ floor + credential" and "Time ÷ floor + this credential" are computed as "Time ÷ floor", against them at the same concurrency.`);
		lines.push('');
		const perItem = (scenario, way) => usPerItem(mainRows.find((r) => r.scenario === scenario && r.items === largestOf(mainRows) && r.way === way));
		const parts = ['c', 'f', 'fc', 'fp', 'c0', 'f0', 'fc0', 'a'].map((way) => [way, perItem('cold', way), perItem('warm', way)]).filter(([, cold]) => Number.isFinite(cold));
		if (parts.length) {
			lines.push(`Per item at ${largestOf(mainRows).toLocaleString('en')} items (node time ÷ items, cold / warm): ${parts.map(([way, cold, warm]) => `${wayName(way)} ${cold.toFixed(0)} / ${Number.isFinite(warm) ? warm.toFixed(0) : '–'} µs`).join('; ')}.`);
			lines.push('');
		}
		const failures = rows.flatMap((r) => r.failures.map((f) => `- ${r.scenario} ${r.items} (${r.way}): ${f}`));
		if (failures.length) lines.push('Failed runs:', '', ...failures, '');
		lines.push(...fromDatabaseLines(mainRows));
	}
	lines.push(...cpuLines(mainRows, largestOf(mainRows)));
	lines.push(...profileLines(profiles));
	lines.push(...scaleLines(rows, largestOf(mainRows)));
	lines.push(...fromDatabaseLines(rows.filter((r) => SCALE_SCENARIOS.includes(r.scenario))));
	lines.push(...soakLines(soak));
	if (micro) {
		lines.push(`Authenticator alone (Node ${micro.runtime ?? '?'}):`);
		lines.push('');
		if (micro.error) {
			lines.push(`- not measured: ${micro.error}`);
		} else {
			const us = (m) => (m.error ? `not measured (${m.error})` : `${(m.medianNs / 1000).toFixed(2)} µs median (${(m.minNs / 1000).toFixed(2)}–${(m.maxNs / 1000).toFixed(2)} over ${m.rounds} rounds of ${m.iterations.toLocaleString('en')})`);
			lines.push(`- cached-token lookup, \`getToken\` with a warm cache (fingerprints the configuration each call): ${us(micro.cachedGetToken)}`);
			lines.push(`- \`peek\` by a known cache key: ${us(micro.peekByCacheKey)}`);
			if (micro.storedFingerprint) {
				const f = micro.storedFingerprint;
				lines.push(`- the stored fingerprint (scrypt, salted): made in ${f.newMs.toFixed(1)} ms, first check of a stored value ${f.coldCheckMs.toFixed(1)} ms, every later check ${us(f.warmCheck)}`);
			}
			lines.push(`- the credential's \`authenticate\` per API request (stored-token check, host policy, header): ${us(micro.credentialAuthenticate)}`);
			lines.push(`- ${micro.cold[0]?.callers.toLocaleString('en')} concurrent \`getToken\` on a cold cache, ${micro.transport}: ${micro.cold.map((c) => `${c.tokenRequests} token request (${c.ms.toFixed(0)} ms)`).join('; ')}`);
		}
		lines.push('');
	}
	if (targets.length) {
		lines.push('| Target | Met | Measured |');
		lines.push('| --- | --- | --- |');
		for (const t of targets) lines.push(`| ${t.target} | ${t.met ? 'yes' : '**no**'} | ${t.measured} |`);
		lines.push('');
	}
	return lines.join('\n');
}
