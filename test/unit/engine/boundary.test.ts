// The engine's lint zone (eslint.config.mjs: no n8n, no import from credentials/ or nodes/), run on
// engine/ here because package.json's "lint" script names only credentials and nodes.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

test('the engine passes the shipped lint config, boundary zone included', () => {
	const eslint = path.join(root, 'node_modules/eslint/bin/eslint.js');
	let output = '';
	let failed = false;
	try {
		output = execFileSync(process.execPath, [eslint, '--max-warnings=0', 'engine'], { cwd: root, encoding: 'utf8' });
	} catch (error) {
		failed = true;
		output = String((error as { stdout?: string }).stdout ?? error);
	}
	expect({ failed, output }).toEqual({ failed: false, output: '' });
}, 120_000);
