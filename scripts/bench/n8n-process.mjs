// `n8n execute` for the benchmark, spawned here rather than through the harness's CLI so the bench
// can give one execution its own environment (the floor's token, a CPU profile, a larger heap) and
// follow the process's memory while it runs: VmHWM (peak resident set) from /proc/<pid>/status,
// read every 200 ms; the last reading before exit is the peak up to then.
import { spawn } from 'node:child_process';
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

/** Runs `n8n <args>` with `extraEnv` over the CLI's environment; resolves with its output, run and peak memory. */
export async function runN8n(cli, args, { extraEnv = {}, timeoutMs = 1_800_000 } = {}) {
	const env = await cli.processEnv(extraEnv);
	return await new Promise((resolve, reject) => {
		const child = spawn(`${cli.nodeBin}/node`, [cli.n8nBin, ...args], { env });
		const out = [];
		let stderr = '';
		let peakBytes = null;
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
		const sample = () => {
			const memory = memoryOf(child.pid);
			if (memory?.peakBytes) peakBytes = Math.max(peakBytes ?? 0, memory.peakBytes);
		};
		const poll = setInterval(sample, 200);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearInterval(poll);
			clearTimeout(timer);
			const stdout = Buffer.concat(out).toString('utf8');
			resolve({ code, stdout, stderr, peakBytes });
		});
	});
}

/** `n8n execute --id --rawOutput` of one workflow: the run as JSON and the process's peak memory. */
export async function executeWorkflow(cli, workflowId, options = {}) {
	const result = await runN8n(cli, ['execute', `--id=${workflowId}`, '--rawOutput'], options);
	return { ...result, run: parseRun(result.stdout) };
}
