// `--from=A.json,B.json`: one table from several results. Each scenario comes from the last file that
// measured it (a later run of the scale scenario replaces an earlier one's), the profiles and the
// micro-benchmark from the last file that has them; the header names every run.

export function mergeResults(results) {
	if (results.length === 1) return results[0];
	const byScenario = new Map();
	results.forEach((result, index) => {
		for (const s of result.samples) {
			const owner = byScenario.get(s.scenario);
			if (owner === undefined || owner < index) byScenario.set(s.scenario, index);
		}
	});
	const samples = results.flatMap((result, index) => result.samples.filter((s) => byScenario.get(s.scenario) === index));
	const last = (pick) => [...results].reverse().map(pick).find((v) => v !== null && v !== undefined) ?? null;
	const first = results[0];
	return {
		...first,
		samples,
		profiles: last((r) => r.profiles),
		micro: last((r) => r.micro),
		durationS: results.reduce((sum, r) => sum + r.durationS, 0),
		command: results.map((r) => r.command).join('` and `'),
		runs: results.map((r) => ({
			startedAt: r.startedAt,
			commit: r.machine?.gitCommit ?? null,
			command: r.command,
			scenarios: [...new Set(r.samples.filter((s) => byScenario.get(s.scenario) === results.indexOf(r)).map((s) => s.scenario))],
		})),
	};
}
