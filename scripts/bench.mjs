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
import { mergeResults } from './bench/merge.mjs';
import { makePlan } from './bench/plan.mjs';
import { drawChart } from './bench/chart.mjs';
import { chartData, checkTargets, markdown, soakTargets, summaryRows } from './bench/report.mjs';
import { runScenarios } from './bench/scenarios.mjs';
import { updateReadme } from './bench/readme.mjs';
import { runSoak, usableLifetimeMs, SOAK_TTL_SECONDS } from './bench/soak.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (m) => process.stderr.write(`[bench] ${m}\n`);

/** The floor's package (scripts/bench/floor-node), where n8n loads community packages from. */
function installFloorNode(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.cpSync(path.join(root, 'scripts/bench/floor-node'), path.join(nodesDir, 'node_modules', 'n8n-nodes-bench-floor'), { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
	pkg.dependencies = { ...(pkg.dependencies ?? {}), 'n8n-nodes-bench-floor': '1.0.0' };
	fs.writeFileSync(manifest, JSON.stringify(pkg, null, 2));
}

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

const CHART_FILE = 'docs/performance.svg';

/** The latest soak's result, if one was written. */
function readSoak(options) {
	const file = path.resolve(root, options.soakFrom);
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

/** The table and target checks of a result (a fresh one, or one read back with --from), with the latest soak's. */
function render(result, soak = null, { chart = false } = {}) {
	const rows = summaryRows(result.samples);
	const largest = Math.max(...result.options.items);
	const targets = [...checkTargets(result.samples, rows, result.micro, largest), ...soakTargets(soak)];
	const table = markdown({ ...result, rows, targets, soak, chartFile: chart ? CHART_FILE : null, options: { ...result.options, only: new Set(result.options.only) } });
	return { rows, targets, table, chart: drawChart(chartData(rows, largest)) };
}

function publish(result, options) {
	const soak = readSoak(options);
	const { table, chart } = render(result, soak, { chart: options.updateReadme });
	console.log(table);
	if (options.updateReadme) {
		fs.mkdirSync(path.join(root, path.dirname(CHART_FILE)), { recursive: true });
		fs.writeFileSync(path.join(root, CHART_FILE), chart);
		updateReadme(path.join(root, 'README.md'), table, result.command);
		log(`README.md: benchmark block replaced; ${CHART_FILE} drawn`);
	}
}

function gitCommit() {
	return machineInfo(null, root).gitCommit;
}

async function soakMain(options) {
	log(`soak of ${options.soakMinutes} min starting ${new Date().toISOString()}`);
	const commit = gitCommit();
	const soak = await runSoak(options, log);
	const result = { ...soak, commit, usableLifetimeMs: usableLifetimeMs(SOAK_TTL_SECONDS), command: `npm run bench -- ${process.argv.slice(2).join(' ')}` };
	const file = path.resolve(root, options.soakFrom);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
	log(`wrote ${path.relative(root, file)}`);
	for (const t of soakTargets(result)) log(`${t.met ? 'met' : 'NOT MET'}: ${t.target} — ${t.measured}`);
	const latest = path.resolve(root, options.out);
	if (options.updateReadme && fs.existsSync(latest)) publish(JSON.parse(fs.readFileSync(latest, 'utf8')), options);
	return 0;
}

async function main() {
	process.env.N8N_LINE = '2'; // the comparison is with n8n 2.x's built-in OAuth2
	const options = parseArgs(process.argv.slice(2));
	if (options.help) {
		console.log(USAGE);
		return 0;
	}
	if (options.soak) return await soakMain(options);
	if (options.from) {
		const results = options.from.split(',').map((file) => JSON.parse(fs.readFileSync(path.resolve(root, file.trim()), 'utf8')));
		publish(mergeResults(results), options);
		return 0;
	}
	const startedAt = new Date().toISOString();
	const started = Date.now();
	const load = { start: loadSnapshot() };
	log(`started ${startedAt}; load average ${load.start.loadAverage.join(' / ')}, ${load.start.n8nProcesses ?? '?'} n8n processes already running`);
	if (load.start.loadAverage[0] > 2) log('the machine is busy: times will be noisy (counts are not affected). Run again when it is quieter for figures to publish.');

	const wantsN8n = ['cold', 'warm', 'revocation', 'expiry', 'concurrency', 'profile', 'scale'].some((s) => options.only.has(s));
	const samples = [];
	const extra = [];
	let profiles = null;
	let env = ensureN8n('2');
	let h;
	try {
		if (wantsN8n) {
			// Imported here: the harness loads the lab (oidc-provider), which --from does not need.
			const { startHarness } = await import('../test/n8n-harness/harness.mjs');
			h = await startHarness({ skipBuild: options.skipBuild });
			env = h.env;
			installFloorNode(h.userFolder);
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
			// The CPU profiles stay beside the results, for a look in a profiler.
			const profileDir = path.join(path.dirname(path.resolve(root, options.out)), 'cpu-profiles');
			const ctx = { h, db, countWrites, log, extra, profileDir };
			await runScenarios(ctx, plan, options, (s) => samples.push(s));
			profiles = ctx.profiles ?? null;
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
		profiles,
		samples,
		firstRunsOfExpiry: extra,
	};
	const { rows, targets, table } = render(result, readSoak(options));
	const outFile = path.resolve(root, options.out);
	fs.mkdirSync(path.dirname(outFile), { recursive: true });
	fs.writeFileSync(outFile, `${JSON.stringify({ ...result, rows, targets }, null, 2)}\n`);
	fs.writeFileSync(`${outFile.replace(/\.json$/, '')}.md`, `${table}\n`);
	log(`wrote ${path.relative(root, outFile)} and its .md in ${Math.round(result.durationS)} s`);
	publish(result, options);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
