// The runtime cache rebuilds itself when its native modules were never built — the state that
// `npm rebuild` under an inherited npm_config_ignore_scripts=true used to leave behind, marked
// complete. A copy of the real cache is broken on purpose; the real cache is not touched.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ensureN8n, n8nLine, repoRoot } from '../n8n-harness/n8n-env.mjs';

const run = promisify(execFile);
const line = n8nLine();
// sqlite3 has no prebuilt binary that loads here, so an unbuilt one breaks n8n on both lines
// (isolated-vm, on 1.x, ships prebuilds for Node.js 24 and loads without a build).
const NATIVE = ['sqlite3'];
let real;
let broken;

before(async () => {
	real = ensureN8n(line);
	const realCache = path.resolve(real.nodeBin, '../../../..');
	const n8nDir = path.resolve(path.dirname(real.n8nBin), '../..');
	broken = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-broken-cache-'));
	fs.symlinkSync(path.join(realCache, 'node24'), path.join(broken, 'node24'));
	const copy = path.join(broken, path.basename(n8nDir));
	// Hard links keep the copy cheap; the native packages are copied for real, since their rebuild
	// writes into them.
	await run('cp', ['-al', n8nDir, copy]);
	for (const name of NATIVE) {
		const pkg = path.join(copy, 'node_modules', name);
		fs.rmSync(pkg, { recursive: true });
		await run('cp', ['-a', path.join(n8nDir, 'node_modules', name), pkg]);
		fs.rmSync(path.join(pkg, 'build'), { recursive: true, force: true });
	}
	assert.ok(fs.existsSync(path.join(copy, '.complete')), 'the broken copy claims to be complete, as the old caches did');
});

after(() => {
	if (broken) fs.rmSync(broken, { recursive: true, force: true });
});

test('a cache marked complete whose native modules were never built is detected, rebuilt and checked', { timeout: 1_800_000 }, async () => {
	// As inside `npm run ...` with the project's .npmrc: install scripts off for every npm it starts.
	const env = { ...process.env, OAUTH2_GRANTS_CACHE: broken, npm_config_ignore_scripts: 'true' };
	const { stdout, stderr } = await run('bash', [path.join(repoRoot, 'scripts/n8n-runtime/ensure.sh'), line], {
		env,
		maxBuffer: 64 * 1024 * 1024,
	});
	assert.match(stderr, new RegExp(`the cached n8n@[0-9.]+ is broken, rebuilding it: native module ${NATIVE[0]} does not load`));
	assert.match(stderr, /checked \(database, community package loader, a workflow run\) and ready/);
	assert.match(stdout, new RegExp(`N8N_BIN=${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
	const copy = path.resolve(stdout.match(/N8N_BIN=(.*)/)[1], '../../..');
	for (const name of NATIVE) {
		const built = fs.readdirSync(path.join(copy, 'node_modules', name, 'build', 'Release')).filter((f) => f.endsWith('.node'));
		assert.ok(built.length > 0, `${name} has a compiled addon again`);
	}
	// And the next run reuses it without rebuilding.
	const again = await run('bash', [path.join(repoRoot, 'scripts/n8n-runtime/ensure.sh'), line], { env });
	assert.doesNotMatch(again.stderr, /rebuilding|installing n8n/);
	assert.match(again.stderr, /ready in/);
});
