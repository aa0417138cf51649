// Where one execution's CPU time goes, from a V8 CPU profile of the n8n process (`--cpu-prof`).
// Each sample is given to the part its stack is in, from the leaf up: the first frame that is either
// in this package's dist (its folder names the part: request/, response/, ...) or one of n8n's entry
// points that the node calls (getNodeParameter, getCredentials, the request helpers) decides. The
// window is from the first to the last sample with a frame of the profiled node on its stack, so
// n8n's start-up and the other nodes of the workflow are left out.
import fs from 'node:fs';
import path from 'node:path';

const OURS = '/n8n-nodes-oauth2-grants/dist/';
const FLOOR = '/n8n-nodes-bench-floor/';

/** The parts the bench prints, in order; `owner` says whose code runs there. */
export const PARTS = [
	{ key: 'parameters', label: 'parameter reading' },
	{ key: 'request', label: 'request building' },
	{ key: 'credential', label: 'credential lookup' },
	{ key: 'token', label: 'token check, destination, authenticate' },
	{ key: 'helper', label: "n8n's helper (HTTP client)" },
	{ key: 'output', label: 'output shaping' },
	{ key: 'loop', label: 'item loop, sessions, sending' },
	{ key: 'gc', label: 'garbage collection' },
	{ key: 'other', label: 'n8n and Node, other' },
];

// Our dist, by folder: the part and the owner.
const OUR_FOLDERS = [
	['nodes/OAuth2HttpRequest/options/', 'parameters'],
	['nodes/OAuth2HttpRequest/request/', 'request'],
	['nodes/OAuth2HttpRequest/pagination/', 'request'],
	['nodes/OAuth2HttpRequest/response/', 'output'],
	['nodes/OAuth2HttpRequest/transport/openSession', 'credential'],
	['nodes/OAuth2HttpRequest/', 'loop'],
	['credentials/', 'token'],
	['engine/', 'token'],
];

// n8n's functions the node calls: a sample under one of them (and under no frame of ours nearer the
// leaf) is n8n's work on that part.
const N8N_ENTRY_POINTS = new Map([
	['getNodeParameter', 'parameters'],
	['_getNodeParameter', 'parameters'],
	['getCredentials', 'credential'],
	['_getCredentials', 'credential'],
	['getDecrypted', 'credential'],
	['httpRequestWithAuthentication', 'helper'],
	['httpRequest', 'helper'],
	['requestWithAuthentication', 'helper'],
	['prepareBinaryData', 'output'],
]);

// Where no frame above decides, files do, wherever on the stack: a continuation after an await runs
// without its caller's frames (n8n reading a credential row goes on in the database driver and the
// cipher; a response is parsed in the HTTP client's callbacks).
const FILE_PARTS = [
	[/\/(sqlite3|@n8n\/typeorm|typeorm)\/|\/encryption\/|\/credentials-helper\.js$|\/credentials\.js$/, 'credential'],
	[/\/request-helper-functions\.js$|\/request-helpers\/|\/axios\/|\/follow-redirects\/|\/proxy-from-env\/|\/http\/env-proxy|^node:(_http|http|https|net|tls|_tls|zlib|internal\/(stream_base_commons|streams|net))/, 'helper'],
];

/** One frame: whose code, and which part (or null when it decides nothing). */
export function classifyFrame({ functionName, url }) {
	if (url.includes(OURS)) {
		const rest = url.slice(url.indexOf(OURS) + OURS.length);
		const hit = OUR_FOLDERS.find(([folder]) => rest.startsWith(folder));
		return { owner: 'ours', part: hit ? hit[1] : 'loop' };
	}
	if (url.includes(FLOOR)) return { owner: 'floor', part: 'loop' };
	if (N8N_ENTRY_POINTS.has(functionName)) return { owner: 'n8n', part: N8N_ENTRY_POINTS.get(functionName) };
	return null;
}

function fallbackPart(stack) {
	if (stack[0].functionName === '(garbage collector)') return 'gc';
	for (const frame of stack) {
		const hit = FILE_PARTS.find(([re]) => re.test(frame.url));
		if (hit) return hit[1];
	}
	return 'other';
}

/** The frames that mark the profiled node's execute (not its module's loading at start-up). */
export const MARKERS = {
	ours: (frame) => frame.url.includes(`${OURS}nodes/OAuth2HttpRequest/actions/`),
	floor: (frame) => frame.url.includes(FLOOR) && (frame.functionName === 'execute' || frame.functionName === 'lane'),
};

/**
 * Attributes a profile's samples: `{ windowMs, idleMs, parts: { [key]: { ours, n8n, floor } } }`,
 * times in ms, inside the window from the first to the last sample with a `marker` frame on its stack.
 */
export function attributeProfile(profile, { marker = MARKERS.ours } = {}) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
	const stackOf = (id) => {
		const frames = [];
		for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
		return frames; // leaf first
	};
	const { samples, timeDeltas } = profile;
	// A sample lasts until the next one.
	const durationUs = (i) => (i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0);
	const marked = new Map();
	const isMarked = (id) => {
		if (!marked.has(id)) marked.set(id, stackOf(id).some(marker));
		return marked.get(id);
	};
	let first = -1;
	let last = -1;
	for (let i = 0; i < samples.length; i++) {
		if (!isMarked(samples[i])) continue;
		if (first < 0) first = i;
		last = i;
	}
	const parts = Object.fromEntries(PARTS.map((p) => [p.key, { ours: 0, n8n: 0, floor: 0 }]));
	let idleUs = 0;
	let windowUs = 0;
	if (first < 0) return { windowMs: 0, idleMs: 0, parts, found: false };
	const decided = new Map();
	for (let i = first; i <= last; i++) {
		const us = durationUs(i);
		windowUs += us;
		const id = samples[i];
		if (!decided.has(id)) {
			const stack = stackOf(id);
			const leaf = stack[0];
			let verdict = null;
			if (leaf.functionName === '(idle)') verdict = 'idle';
			else if (leaf.functionName === '(program)') verdict = { owner: 'n8n', part: 'other' };
			else {
				for (const frame of stack) {
					verdict = classifyFrame(frame);
					if (verdict) break;
				}
				verdict ??= { owner: 'n8n', part: fallbackPart(stack) };
			}
			decided.set(id, verdict);
		}
		const verdict = decided.get(id);
		if (verdict === 'idle') idleUs += us;
		else parts[verdict.part][verdict.owner] += us;
	}
	const ms = (us) => us / 1000;
	for (const p of Object.values(parts)) for (const k of Object.keys(p)) p[k] = ms(p[k]);
	return { windowMs: ms(windowUs), idleMs: ms(idleUs), parts, found: true };
}

/** Per item, in µs: the split of an attribution for `items` items, and the sums by owner. */
export function perItemSplit(attribution, items) {
	const us = (ms) => (ms * 1000) / items;
	const rows = PARTS.map(({ key, label }) => {
		const p = attribution.parts[key];
		return { key, label, oursUs: us(p.ours + p.floor), n8nUs: us(p.n8n), totalUs: us(p.ours + p.floor + p.n8n) };
	});
	const sum = (f) => rows.reduce((s, r) => s + f(r), 0);
	return {
		items,
		rows,
		oursUs: sum((r) => r.oursUs),
		n8nUs: sum((r) => r.n8nUs),
		busyUs: sum((r) => r.totalUs),
		idleUs: us(attribution.idleMs),
		windowUs: us(attribution.windowMs),
	};
}

/** The newest .cpuprofile file written into `dir`. */
export function readNewestProfile(dir) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
	if (!files.length) return null;
	const newest = files.map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t)[0].f;
	return JSON.parse(fs.readFileSync(path.join(dir, newest), 'utf8'));
}

