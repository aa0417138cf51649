// npm run test:faults — the fault, bad-input and secret-leak suite: the jest part (token endpoint
// faults and credential input through the credential's code path, test/faults/*.test.ts) and the
// real-n8n part (test/faults/api.e2e.test.mjs; N8N_LINE=1 for n8n 1.x) run side by side, then the
// table of every case (case | expected | observed) is printed from the rows the tests wrote.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-faults-'));
const rowsFile = path.join(work, 'rows.jsonl');
const env = { ...process.env, FAULTS_ROWS: rowsFile };
const GROUP_ORDER = ['token endpoint', 'credential input', 'API (real n8n)', 'node and credential input (real n8n)', 'secrets (real n8n)'];

/** Runs a child; `buffered` keeps its output until the end so two parts never interleave. */
function run(label, args, { buffered = false } = {}) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, args, { cwd: root, env, stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
		let output = '';
		if (buffered) {
			child.stdout.on('data', (d) => (output += d));
			child.stderr.on('data', (d) => (output += d));
		}
		child.on('close', (code, signal) => resolve({ label, code: code ?? (signal ? 1 : 0), output }));
	});
}

function readRows() {
	if (!fs.existsSync(rowsFile)) return [];
	const rows = fs.readFileSync(rowsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
	const rank = (group) => (GROUP_ORDER.includes(group) ? GROUP_ORDER.indexOf(group) : GROUP_ORDER.length);
	return rows.map((row, index) => ({ ...row, index })).sort((a, b) => rank(a.group) - rank(b.group) || a.index - b.index);
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|');

function printTable(rows) {
	console.log('\n## Fault table\n');
	for (const group of [...new Set(rows.map((row) => row.group))]) {
		const inGroup = rows.filter((row) => row.group === group);
		console.log(`### ${group} (${inGroup.filter((row) => row.status === 'pass').length}/${inGroup.length} as expected)\n`);
		console.log('| case | expected | observed | result |');
		console.log('| --- | --- | --- | --- |');
		for (const row of inGroup) console.log(`| ${cell(row.case)} | ${cell(row.expected)} | ${cell(row.observed)} | ${row.status} |`);
		console.log('');
	}
}

// Every test/faults/*.e2e.test.mjs is part of the real-n8n half: none can be left out of a list.
const e2eFiles = fs
	.readdirSync(path.join(root, 'test/faults'))
	.filter((name) => name.endsWith('.e2e.test.mjs'))
	.sort()
	.map((name) => `test/faults/${name}`);
console.log(`[faults] jest part and real-n8n part (n8n ${process.env.N8N_LINE ?? '2'}.x) side by side`);
const [jest, n8n] = await Promise.all([
	run('jest', [path.join(root, 'node_modules/jest/bin/jest.js'), '-c', 'test/faults/jest.config.js', '--runInBand'], { buffered: true }),
	run('n8n', ['--test', '--test-concurrency=1', '--test-reporter=spec', ...e2eFiles]),
]);
console.log('\n[faults] jest part:\n');
console.log(jest.output.trimEnd());

const rows = readRows();
printTable(rows);
const failedRows = rows.filter((row) => row.status !== 'pass');
const seconds = Math.round((Date.now() - started) / 1000);
console.log(
	`[faults] ${rows.length} cases: ${rows.length - failedRows.length} as expected, ${failedRows.length} not; jest ${jest.code === 0 ? 'passed' : 'FAILED'}, n8n part ${n8n.code === 0 ? 'passed' : 'FAILED'}; ${seconds} s`,
);
fs.rmSync(work, { recursive: true, force: true });
process.exit(jest.code === 0 && n8n.code === 0 && failedRows.length === 0 && rows.length > 0 ? 0 : 1);
