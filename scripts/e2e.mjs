// npm run test:e2e — the end-to-end suite in real n8n (2.x by default; N8N_LINE=1 or --n8n=1 for 1.x).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const line = process.argv.find((a) => a.startsWith('--n8n='))?.slice(6) ?? process.env.N8N_LINE ?? '2';
const started = Date.now();
console.log(`[e2e] suite against n8n ${line}.x`);
const result = spawnSync(
	process.execPath,
	['--test', '--test-concurrency=1', '--test-reporter=spec', 'test/e2e/package.e2e.test.mjs', 'test/e2e/server.e2e.test.mjs', 'test/e2e/examples.e2e.test.mjs', 'test/e2e/enterprise.e2e.test.mjs'],
	{ cwd: root, stdio: 'inherit', env: { ...process.env, N8N_LINE: line } },
);
console.log(`[e2e] suite took ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.status ?? 1);
