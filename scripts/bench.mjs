// npm run bench — the same workload in real n8n 2.x, three ways, against the lab's counting
// authorization server and API: n8n's HTTP Request node with n8n's generic OAuth2 credential (a),
// n8n's HTTP Request node with this package's credential (b), this package's node (c). Then the
// token engine alone. Prints a markdown table; writes bench-results/latest.json (and .md).
// `npm run bench -- --help` lists the flags; --quick takes a few minutes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureN8n } from '../test/n8n-harness/n8n-env.mjs';
import { USAGE, parseArgs } from './bench/args.mjs';
import { loadSnapshot, machineInfo } from './bench/machine.mjs';
import { N8nDatabase } from './bench/n8n-db.mjs';
import { makePlan } from './bench/plan.mjs';
import { checkTargets, markdown, summaryRows } from './bench/report.mjs';
import { runScenarios } from './bench/scenarios.mjs';
import { updateReadme } from './bench/readme.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (m) => process.stderr.write(`[bench] ${m}\n`);

/** The micro-benchmark in its own process, under n8n's Node, so the lab and n8n part do not disturb it. */
function runMicro(nodeBin) {
	return new Promise((resolve) => {
		const child = spawn(path.join(nodeBin, 'node'), [path.join(root, 'scripts/bench/authenticator.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => {
			for (const line of String(d).split('\n')) if (line.startsWith('[bench:micro]')) process.stderr.write(`${line}\n`);
		});
		child.on('close', (code) => {
			try {
				resolve(JSON.parse(out.trim().split('\n').pop()));
			} catch {
				resolve({ error: `micro-benchmark exited ${code} without a result` });
			}
		});
	});
}

/** The table and target checks of a result (a fresh one, or one read back with --from). */
function render(result) {
	const rows = summaryRows(result.samples);
	const targets = checkTargets(result.samples, rows, result.micro, Math.max(...result.options.items));
	const table = markdown({ ...result, rows, targets, options: { ...result.options, only: new Set(result.options.only) } });
	return { rows, targets, table };
}

function publish(result, table, options) {
	console.log(table);
	if (options.updateReadme) {
		updateReadme(path.join(root, 'README.md'), table, result.command);
		log('README.md: benchmark table replaced');
	}
}

async function main() {
	process.env.N8N_LINE = '2'; // the comparison is with n8n 2.x's built-in OAuth2
	const options = parseArgs(process.argv.slice(2));
	if (options.help) {
		console.log(USAGE);
		return 0;
	}
	if (options.from) {
		const result = JSON.parse(fs.readFileSync(path.resolve(root, options.from), 'utf8'));
		publish(result, render(result).table, options);
		return 0;
	}
	const startedAt = new Date().toISOString();
	const started = Date.now();
	const load = { start: loadSnapshot() };
	log(`started ${startedAt}; load average ${load.start.loadAverage.join(' / ')}, ${load.start.n8nProcesses ?? '?'} n8n processes already running`);
	if (load.start.loadAverage[0] > 2) log('the machine is busy: times will be noisy (counts are not affected). Run again when it is quieter for figures to publish.');

	const wantsN8n = ['cold', 'warm', 'revocation', 'expiry', 'concurrency'].some((s) => options.only.has(s));
	const samples = [];
	const extra = [];
	let env = ensureN8n('2');
	let h;
	try {
		if (wantsN8n) {
			// Imported here: the harness loads the lab (oidc-provider), which --from does not need.
			const { startHarness } = await import('../test/n8n-harness/harness.mjs');
			h = await startHarness({ skipBuild: options.skipBuild });
			env = h.env;
			const db = new N8nDatabase({ nodeBin: env.nodeBin, userFolder: h.userFolder });
			const plan = makePlan(options, h.urls);
			log(`importing ${plan.credentials.length} credentials and ${plan.workflows.length} workflows`);
			await h.cli.importJson('credentials', plan.credentials);
			await h.cli.importJson('workflow', plan.workflows);
			let countWrites = true;
			await db.installWriteCounter().catch((error) => {
				countWrites = false;
				log(`credential writes not counted: ${error.message}`);
			});
			const ctx = { h, db, countWrites, log, extra };
			await runScenarios(ctx, plan, options, (s) => samples.push(s));
		} else if (!options.skipBuild) {
			log('building the package for the micro-benchmark');
			await new Promise((resolve, reject) => {
				const child = spawn('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
				child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`build failed (${code})`))));
			});
		}
	} finally {
		await h?.stop();
	}

	let micro = null;
	if (options.only.has('micro')) {
		log('micro-benchmark of the authenticator');
		micro = await runMicro(env.nodeBin);
	}
	load.end = loadSnapshot();
	const result = {
		startedAt,
		durationS: (Date.now() - started) / 1000,
		command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
		options: { ...options, only: [...options.only] },
		machine: machineInfo(env, root),
		load,
		noise: 'Other engineers run n8n on this machine at the same time: times are noisy, counts are not.',
		micro,
		samples,
		firstRunsOfExpiry: extra,
	};
	const { rows, targets, table } = render(result);
	const outFile = path.resolve(root, options.out);
	fs.mkdirSync(path.dirname(outFile), { recursive: true });
	fs.writeFileSync(outFile, `${JSON.stringify({ ...result, rows, targets }, null, 2)}\n`);
	fs.writeFileSync(`${outFile.replace(/\.json$/, '')}.md`, `${table}\n`);
	log(`wrote ${path.relative(root, outFile)} and its .md in ${Math.round(result.durationS)} s`);
	publish(result, table, options);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
