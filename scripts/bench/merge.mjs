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
	const lastIndex = (pick) => results.map(pick).findLastIndex((v) => v !== null && v !== undefined);
	const profilesFrom = lastIndex((r) => r.profiles);
	const microFrom = lastIndex((r) => r.micro);
	const first = results[0];
	return {
		...first,
		samples,
		profiles: results[profilesFrom]?.profiles ?? null,
		micro: results[microFrom]?.micro ?? null,
		durationS: results.reduce((sum, r) => sum + r.durationS, 0),
		command: results.map((r) => r.command).join('` and `'),
		runs: results.map((r, index) => ({
			startedAt: r.startedAt,
			commit: r.machine?.gitCommit ?? null,
			// The scale scenario runs once whatever --reps says.
			reps: r.samples.every((s) => s.scenario.startsWith('scale-')) ? 1 : (r.options?.reps ?? null),
			command: r.command,
			scenarios: [
				...new Set(r.samples.filter((s) => byScenario.get(s.scenario) === index).map((s) => s.scenario)),
				...(profilesFrom === index ? ['profile'] : []),
				...(microFrom === index ? ['micro'] : []),
			],
		})),
	};
}
