// The machine and software a result was measured on, and how busy the machine was.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function n8nVersion(n8nBin) {
	for (let dir = path.dirname(fs.realpathSync(n8nBin)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (!fs.existsSync(file)) continue;
		const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
		if (pkg.name === 'n8n') return pkg.version;
	}
	return 'unknown';
}

/** n8n processes on the machine (other engineers' tests share it): a hint of how noisy the run was. */
export function otherN8nProcesses() {
	try {
		return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
			.split('\n')
			.filter((line) => /\/\.?bin\/n8n\b/.test(line)).length;
	} catch {
		return null;
	}
}

export function machineInfo(env, repoRoot) {
	const cpus = os.cpus();
	return {
		nproc: os.availableParallelism?.() ?? cpus.length,
		cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
		memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		os: `${os.type()} ${os.release()}`,
		benchNode: process.version,
		n8nNode: env ? execFileSync(path.join(env.nodeBin, 'node'), ['--version'], { encoding: 'utf8' }).trim() : null,
		n8nVersion: env ? n8nVersion(env.n8nBin) : null,
		packageVersion: JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
		gitCommit: (() => {
			try {
				return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
			} catch {
				return null;
			}
		})(),
	};
}

export function loadSnapshot() {
	return { at: new Date().toISOString(), loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100), n8nProcesses: otherN8nProcesses() };
}
