// npm run test:ui — the editor test in Debian's Chromium against the demo n8n (2.x by default).
// npm run docs:screenshots (or --screenshots) — the same run, writing its screenshots to docs/images.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
