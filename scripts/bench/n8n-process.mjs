// `n8n execute` for the benchmark, spawned here rather than through the harness's CLI so the bench
// can give one execution its own environment (the floor's token, a CPU profile, a larger heap) and
// follow the process while it runs: VmHWM (peak resident set) from /proc/<pid>/status and its CPU
// time from /proc/<pid>/stat, read every 50 ms. The CPU time spent between two moments (the measured
// node's start and end as n8n records them) is the work of that node, which other processes' load on
// a shared machine changes much less than it changes the wall time.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';

import { parseRun } from '../../test/n8n-harness/n8n-cli.mjs';

/** VmHWM and VmRSS of a process in bytes (Linux), or null where /proc cannot tell. */
export function memoryOf(pid) {
	try {
		return parseProcStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return null;
	}
}

export function parseProcStatus(text) {
	const kb = (name) => {
		const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
		return match ? Number(match[1]) * 1024 : null;
	};
	return { peakBytes: kb('VmHWM'), rssBytes: kb('VmRSS') };
}

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux x64). */
const TICKS_PER_SECOND = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	} catch {
		return 100;
	}
})();

/** User + system CPU time, in ms, of all threads of a process from its /proc/<pid>/stat text. */
export function parseProcStat(text, ticksPerSecond = TICKS_PER_SECOND) {
	// The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const utime = Number(fields[11]);
	const stime = Number(fields[12]);
	return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / ticksPerSecond : null;
}

function cpuOf(pid) {
	try {
		return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return null;
	}
}

/**
 * CPU ms the process spent from `fromMs` to `toMs` (epoch ms), from samples `{ at, cpuMs }` of its
 * cumulative CPU time, interpolated linearly inside the sample intervals that hold the two moments;
 * null when the samples do not cover both.
 */
export function cpuBetween(samples, fromMs, toMs) {
	const at = (t) => {
		for (let i = 1; i < samples.length; i++) {
			const [a, b] = [samples[i - 1], samples[i]];
			if (a.at <= t && t <= b.at) return b.at === a.at ? b.cpuMs : a.cpuMs + ((b.cpuMs - a.cpuMs) * (t - a.at)) / (b.at - a.at);
		}
		return null;
	};
	if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs < fromMs) return null;
	const [from, to] = [at(fromMs), at(toMs)];
	return from === null || to === null ? null : to - from;
}

/** Runs `n8n <args>` with `extraEnv` over the CLI's environment; resolves with its output, peak memory and CPU samples. */
export async function runN8n(cli, args, { extraEnv = {}, timeoutMs = 1_800_000 } = {}) {
	const env = await cli.processEnv(extraEnv);
	return await new Promise((resolve, reject) => {
		const child = spawn(`${cli.nodeBin}/node`, [cli.n8nBin, ...args], { env });
		const out = [];
		let stderr = '';
		let peakBytes = null;
		const cpuSamples = [];
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
		const sample = () => {
			const memory = memoryOf(child.pid);
			if (memory?.peakBytes) peakBytes = Math.max(peakBytes ?? 0, memory.peakBytes);
			const cpuMs = cpuOf(child.pid);
			if (cpuMs !== null) cpuSamples.push({ at: Date.now(), cpuMs });
		};
		const poll = setInterval(sample, 50);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(poll);
			clearTimeout(timer);
			const stdout = Buffer.concat(out).toString('utf8');
			resolve({ code, stdout, stderr, peakBytes, cpuSamples });
		});
	});
}

/** `n8n execute --id --rawOutput` of one workflow: the run as JSON, the process's peak memory and CPU samples. */
export async function executeWorkflow(cli, workflowId, options = {}) {
	const result = await runN8n(cli, ['execute', `--id=${workflowId}`, '--rawOutput'], options);
	return { ...result, run: parseRun(result.stdout) };
}
