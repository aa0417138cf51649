// Small statistics for a handful of repetitions: median and min–max, nothing that pretends to
// more precision than three samples on a shared 2-core machine can give.

export function median(values) {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return NaN;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function spread(values) {
	const v = values.filter((x) => Number.isFinite(x));
	return v.length ? { min: Math.min(...v), max: Math.max(...v) } : { min: NaN, max: NaN };
}

export function summarise(values) {
	return { median: median(values), ...spread(values), n: values.filter((x) => Number.isFinite(x)).length, values };
}

/**
 * Ratios of one way's times (or another figure, `valueOf`) to the baseline's, pair by pair: samples with the same key (same
 * repetition and scenario) ran next to each other, so machine drift affects both alike.
 */
export function pairedRatios(samples, baseline, keyOf, valueOf = (s) => s.ms) {
	const base = new Map(baseline.map((s) => [keyOf(s), valueOf(s)]));
	return samples
		.map((s) => (base.get(keyOf(s)) > 0 ? valueOf(s) / base.get(keyOf(s)) : NaN))
		.filter((r) => Number.isFinite(r));
}
