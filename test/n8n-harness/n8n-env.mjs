// Finds (installing once into a cache outside the repo) Node.js 24 and a pinned n8n.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The n8n line under test: N8N_LINE=1 (or --n8n=1) for 1.x, default 2.x. */
export function n8nLine() {
	const flag = process.argv.find((a) => a.startsWith('--n8n='));
	return flag ? flag.slice(6) : process.env.N8N_LINE || '2';
}

export function ensureN8n(line = n8nLine()) {
	const out = execFileSync('bash', [path.join(repoRoot, 'scripts/n8n-runtime/ensure.sh'), line], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const vars = Object.fromEntries(
		out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
	);
	return { line, nodeBin: vars.NODE_BIN, n8nBin: vars.N8N_BIN };
}
