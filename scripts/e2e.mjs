// npm run test:e2e — the end-to-end suite in real n8n (2.x by default; N8N_LINE=1 or --n8n=1 for 1.x).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const line = process.argv.find((a) => a.startsWith('--n8n='))?.slice(6) ?? process.env.N8N_LINE ?? '2';
// Every *.e2e.test.mjs in test/e2e runs: a new file cannot be left out by forgetting a list.
const files = fs
	.readdirSync(path.join(root, 'test/e2e'))
	.filter((name) => name.endsWith('.e2e.test.mjs'))
	.sort()
	.map((name) => `test/e2e/${name}`);
if (files.length === 0) throw new Error('no test/e2e/*.e2e.test.mjs found');
const started = Date.now();
console.log(`[e2e] suite against n8n ${line}.x: ${files.join(', ')}`);
const result = spawnSync(
	process.execPath,
	['--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
	{ cwd: root, stdio: 'inherit', env: { ...process.env, N8N_LINE: line } },
);
console.log(`[e2e] suite took ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.status ?? 1);
