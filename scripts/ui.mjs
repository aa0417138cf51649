// npm run test:ui — the editor test in Debian's Chromium against the demo n8n (2.x by default).
// npm run docs:screenshots (or --screenshots) — the same run, writing its screenshots to docs/images.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Debian's Chromium, never a downloaded browser: installed here when missing and we may.
if (!process.env.CHROMIUM_PATH && !fs.existsSync('/usr/bin/chromium')) {
	if (process.getuid?.() !== 0) {
		console.error('[ui] /usr/bin/chromium is missing: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH)');
		process.exit(1);
	}
	console.log("[ui] installing Debian's chromium package");
	const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	if (apt(['update']).status !== 0 || apt(['install', '-y', '--no-install-recommends', 'chromium']).status !== 0) {
		console.error('[ui] apt-get could not install chromium');
		process.exit(1);
	}
}
const env = { ...process.env };
if (process.argv.includes('--screenshots')) env.UI_SCREENSHOT_DIR = path.join(root, 'docs/images');
const started = Date.now();
console.log(`[ui] editor test${env.UI_SCREENSHOT_DIR ? `, screenshots to ${path.relative(root, env.UI_SCREENSHOT_DIR)}` : ''}`);
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', 'test/ui/editor.ui.test.mjs'], {
	cwd: root,
	stdio: 'inherit',
	env,
});
console.log(`[ui] took ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.status ?? 1);
