// The README's chart, drawn here as SVG text (no dependency): time per item against item count for
// each way (log scale of items), and beside it the token requests each way made for one cold
// execution. Pure: figures in, SVG out.

const COLOURS = ['#d1495b', '#00798c', '#edae49', '#30638e', '#6a4c93', '#7a7a7a'];
// One colour per way, the same in both panels; a series or bar without a way takes the next free one.
const WAY_COLOURS = { a: '#d1495b', b: '#6a4c93', c: '#00798c', c0: '#30638e', f: '#edae49', f0: '#b8860b', fc: '#66a182', fc0: '#2e6b4f' };
const colourOf = (entry, i) => WAY_COLOURS[entry.way] ?? COLOURS[i % COLOURS.length];
const esc = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v) => (v === 0 || v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A round step for about `count` ticks up to `max`. */
export function niceStep(max, count = 5) {
	const raw = max / count;
	const power = 10 ** Math.floor(Math.log10(raw));
	return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
}

/**
 * `series`: [{ label, way?, dashed?, points: [{ items, usPerItem }] }]; `bars`: [{ label, way?, value }]
 * (token requests).
 * Returns the SVG document.
 */
export function drawChart({ series, bars, title = 'Time per item against item count', barsTitle = 'Token requests, one cold execution of 2,000 items' }) {
	const W = 860;
	const legendRows = Math.ceil(series.length / 2);
	const H = 360 + legendRows * 18;
	const plot = { x: 70, y: 40, w: 470, h: 250 };
	const barArea = { x: 620, y: 40, w: 210, h: 250 };
	const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.usPerItem) && p.items > 0);
	const out = [];
	out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
	out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
	out.push(`<text x="${plot.x}" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`);
	if (all.length) {
		const xs = [...new Set(all.map((p) => p.items))].sort((a, b) => a - b);
		const [lo, hi] = [Math.log10(xs[0]), Math.log10(xs[xs.length - 1])];
		// Inset from both ends, so the first and last points sit off the axes.
		const inset = 24;
		const xOf = (items) => plot.x + inset + (hi === lo ? (plot.w - 2 * inset) / 2 : ((Math.log10(items) - lo) / (hi - lo)) * (plot.w - 2 * inset));
		const step = niceStep(Math.max(...all.map((p) => p.usPerItem)));
		const yMax = Math.ceil(Math.max(...all.map((p) => p.usPerItem)) / step) * step;
		const yOf = (v) => plot.y + plot.h - (v / yMax) * plot.h;
		for (let v = 0; v <= yMax + step / 2; v += step) {
			out.push(`<line x1="${plot.x}" y1="${yOf(v).toFixed(1)}" x2="${plot.x + plot.w}" y2="${yOf(v).toFixed(1)}" stroke="#e5e5e5"/>`);
			out.push(`<text x="${plot.x - 6}" y="${(yOf(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
		}
		for (const items of xs) {
			out.push(`<line x1="${xOf(items).toFixed(1)}" y1="${plot.y + plot.h}" x2="${xOf(items).toFixed(1)}" y2="${plot.y + plot.h + 4}" stroke="#333"/>`);
			out.push(`<text x="${xOf(items).toFixed(1)}" y="${plot.y + plot.h + 18}" text-anchor="middle">${items.toLocaleString('en')}</text>`);
		}
		out.push(`<line x1="${plot.x}" y1="${plot.y + plot.h}" x2="${plot.x + plot.w}" y2="${plot.y + plot.h}" stroke="#333"/>`);
		out.push(`<line x1="${plot.x}" y1="${plot.y}" x2="${plot.x}" y2="${plot.y + plot.h}" stroke="#333"/>`);
		out.push(`<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h + 36}" text-anchor="middle">items in one execution (log scale)</text>`);
		out.push(`<text transform="translate(18 ${plot.y + plot.h / 2}) rotate(-90)" text-anchor="middle">µs per item (node time ÷ items)</text>`);
		series.forEach((s, i) => {
			const colour = colourOf(s, i);
			const points = s.points.filter((p) => Number.isFinite(p.usPerItem)).sort((a, b) => a.items - b.items);
			if (!points.length) return;
			const d = points.map((p, j) => `${j ? 'L' : 'M'}${xOf(p.items).toFixed(1)} ${yOf(p.usPerItem).toFixed(1)}`).join(' ');
			out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
			for (const p of points) out.push(`<circle cx="${xOf(p.items).toFixed(1)}" cy="${yOf(p.usPerItem).toFixed(1)}" r="3" fill="${colour}"><title>${esc(`${s.label}: ${p.items} items, ${fmt(p.usPerItem)} µs per item`)}</title></circle>`);
			// The legend goes under the plot, two to a row, so it never covers a point.
			const lx = plot.x + (i % 2) * 380;
			const ly = plot.y + plot.h + 58 + Math.floor(i / 2) * 18;
			out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
			out.push(`<text x="${lx + 26}" y="${ly + 4}">${esc(s.label)}</text>`);
		});
	} else {
		out.push(`<text x="${plot.x}" y="${plot.y + 20}">no times measured</text>`);
	}
	out.push(`<text x="${barArea.x}" y="22" font-size="14" font-weight="bold">${esc(barsTitle.split(',')[0])}</text>`);
	out.push(`<text x="${barArea.x}" y="${barArea.y - 4}" fill="#555">${esc(barsTitle.split(',').slice(1).join(',').trim())}</text>`);
	const maxBar = Math.max(1, ...bars.map((b) => b.value ?? 0));
	const rowH = Math.min(40, barArea.h / Math.max(1, bars.length));
	bars.forEach((b, i) => {
		const y = barArea.y + 10 + i * rowH;
		const w = ((b.value ?? 0) / maxBar) * (barArea.w - 40);
		out.push(`<text x="${barArea.x}" y="${y + 12}">${esc(b.label)}</text>`);
		out.push(`<rect x="${barArea.x}" y="${y + 16}" width="${Math.max(w, 1).toFixed(1)}" height="10" fill="${colourOf(b, i)}"/>`);
		out.push(`<text x="${(barArea.x + Math.max(w, 1) + 6).toFixed(1)}" y="${y + 25}">${b.value ?? '–'}</text>`);
	});
	out.push('</svg>');
	return `${out.join('\n')}\n`;
}
