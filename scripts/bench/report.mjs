// Turns samples into the summary rows, the target checks and the markdown table.
import { BASELINE, WAYS } from './ways.mjs';
import { pairedRatios, summarise } from './stats.mjs';

export const SCENARIO_ORDER = ['cold', 'warm', 'revocation', 'expiry', 'concurrency'];
const WAY_ORDER = WAYS.map((w) => w.key);
const OURS = ['c', 'c0'];
const pairKey = (s) => `${s.scenario}|${s.items}|${s.rep}`;
const ok = (s) => s.status === 'success';

/** Token requests the package's node should make: one per token lifetime per process, none while a stored token is valid. */
export const EXPECTED_TOKEN_REQUESTS = { cold: 1, warm: 0, revocation: 1, expiry: 1, concurrency: 1 };

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
			ratioToBaseline: way === BASELINE ? null : summarise(pairedRatios(group.filter(ok), baseline.filter(ok), pairKey)),
		});
	}
	const rank = (r) => [SCENARIO_ORDER.indexOf(r.scenario), r.items, WAY_ORDER.indexOf(r.way)];
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
	if (micro && !micro.error) {
		const ns = micro.cachedGetToken.medianNs;
		targets.push({ target: 'Cached-token lookup (getToken, warm cache) well under 10 µs', met: ns < 10_000, measured: `${(ns / 1000).toFixed(2)} µs median (min ${(micro.cachedGetToken.minNs / 1000).toFixed(2)} µs)` });
		const cold = micro.cold.map((c) => c.tokenRequests);
		targets.push({ target: '10,000 concurrent callers, cold cache: 1 token request', met: cold.every((n) => n === 1), measured: `${cold.join(', ')} in ${cold.length} rounds` });
	}
	return targets;
}

export function markdown({ rows, targets, micro, machine, options, load, startedAt, durationS }) {
	const lines = [];
	const secs = (v) => v / 1000;
	lines.push(`Measured ${startedAt.slice(0, 16).replace('T', ' ')} UTC in ${Math.round(durationS / 60)} min: ${options.reps} repetition(s), n8n ${machine.n8nVersion} on Node ${machine.n8nNode}, ${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, package ${machine.packageVersion} (${machine.gitCommit ?? 'no git'}).`);
	lines.push(`Load average at start ${load.start.loadAverage.join(' / ')}, at end ${load.end.loadAverage.join(' / ')}; n8n processes on the machine at start: ${load.start.n8nProcesses ?? 'unknown'} (other engineers' runs add noise to the times, not to the counts).`);
	lines.push('');
	lines.push('Ways: ' + WAYS.map((w) => w.label).join('; ') + '.');
	lines.push('');
	if (rows.length) {
		lines.push('| Scenario | Items | Way | Token requests | API 401s | 401s for an expired token | API requests | Items OK | Credential writes | n8n time, s | Time ÷ (a) |');
		lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
		for (const r of rows) {
			const items = r.scenario === 'concurrency' ? `${options.concurrent} × ${r.items}` : String(r.items);
			const ratio = r.way === BASELINE ? 'baseline' : fmtRange(r.ratioToBaseline, 2);
			const failed = r.failures.length ? ` ⚠ ${r.failures.length} failed` : '';
			lines.push(
				`| ${r.scenario} | ${items} | ${r.way === 'c0' ? 'c (all at once)' : r.way} | ${fmtRange(r.tokenRequests)} | ${fmtRange(r.api401)} | ${fmtRange(r.apiExpired)} | ${fmtRange(r.apiTotal)} | ${fmtRange(r.itemsOk)} / ${r.itemsExpected}${failed} | ${r.credentialWrites ? fmtRange(r.credentialWrites) : 'not counted'} | ${fmtRange(r.ms, 2, secs)} | ${ratio} |`,
			);
		}
		lines.push('');
		lines.push('Figures are the median over the repetitions, with (min–max) when they differ. "n8n time" is the execution\'s `startedAt` → `stoppedAt` as n8n records it (start-up of `n8n execute` excluded); for concurrency, from the first execution\'s start to the last one\'s stop. "Time ÷ (a)" is computed pair by pair (same repetition and scenario), then the median taken. Credential writes are UPDATEs of the credential\'s row in n8n\'s database, counted by a SQLite trigger.');
		lines.push('');
		const failures = rows.flatMap((r) => r.failures.map((f) => `- ${r.scenario} ${r.items} (${r.way}): ${f}`));
		if (failures.length) lines.push('Failed runs:', '', ...failures, '');
	}
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
