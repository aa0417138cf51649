// Runs n8n's CLI against one user folder. Always spawned asynchronously: the lab servers that n8n
// talks to may live in this same process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

export const ENCRYPTION_KEY = 'e2e-fixed-encryption-key-0123456789';

export class N8nCli {
	constructor({ nodeBin, n8nBin, userFolder, extraEnv = {} }) {
		this.nodeBin = nodeBin;
		this.n8nBin = n8nBin;
		this.userFolder = userFolder;
		this.logFile = path.join(userFolder, 'n8n-output.log');
		this.env = {
			...process.env,
			PATH: `${nodeBin}:${process.env.PATH}`,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			DB_SQLITE_POOL_SIZE: '2',
			NODE_OPTIONS: '',
			...extraEnv,
		};
	}

	/** The environment of one n8n process: its own task-runner broker port, so processes can overlap. */
	async processEnv(extra = {}) {
		return { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra };
	}

	async run(args, { timeoutMs = 300_000 } = {}) {
		const env = await this.processEnv();
		return await new Promise((resolve, reject) => {
			const child = spawn(path.join(this.nodeBin, 'node'), [this.n8nBin, ...args], { env });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				fs.appendFileSync(this.logFile, `\n$ n8n ${args.join(' ')}\n${stdout}\n${stderr}\n`);
				resolve({ code, stdout, stderr });
			});
		});
	}

	async importJson(kind, items) {
		const file = path.join(this.userFolder, `${kind}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
		fs.writeFileSync(file, JSON.stringify(items, null, 2));
		const result = await this.run([`import:${kind}`, `--input=${file}`]);
		fs.rmSync(file);
		if (result.code !== 0) throw new Error(`n8n import:${kind} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
		return result;
	}

	/** `n8n execute --id --rawOutput`: the run as JSON, and the whole output for leak checks. */
	async execute(workflowId) {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput']);
		return { ...result, run: parseRun(result.stdout) };
	}

	async exportCredentials(id) {
		const file = path.join(this.userFolder, `export-${id}.json`);
		const result = await this.run(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
		if (result.code !== 0) throw new Error(`export failed: ${result.stdout}\n${result.stderr}`);
		const data = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.rmSync(file);
		return Array.isArray(data) ? data[0] : data;
	}
}

/**
 * The JSON run follows n8n's log lines, and more log lines may follow it: try every block that
 * starts with a line "{" and ends with a line "}", and keep the first that is a run.
 */
export function parseRun(stdout) {
	return parseRunBlock(stdout) ?? parseRunFromJsonLog(stdout);
}

function parseRunBlock(stdout) {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				const value = JSON.parse(lines.slice(i, j + 1).join('\n'));
				if (value && (value.data || value.status)) return value;
			} catch {
				// not the end of this document yet
			}
		}
	}
	return undefined;
}

/** With N8N_LOG_FORMAT=json every log line is a JSON object; the run is the message of one of them. */
function parseRunFromJsonLog(stdout) {
	for (const line of stdout.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const message = JSON.parse(line).message;
			if (typeof message !== 'string' || !message.startsWith('{')) continue;
			const run = JSON.parse(message);
			if (run && (run.data || run.status)) return run;
		} catch {
			// a line or message that only looks like JSON
		}
	}
	return undefined;
}

/** Throws with the tail of n8n's output unless `n8n execute` printed a run that succeeded. */
export function assertRunSucceeded(result, workflowId) {
	const why = `${workflowId} failed:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`;
	if (!result.run) throw new Error(`no run in the output of n8n execute; ${why}`);
	const status = result.run.status ?? (runError(result.run) ? 'error' : 'success');
	if (status !== 'success') throw new Error(`status ${status}; ${why}`);
}

export function nodeOutput(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

export function runError(run) {
	return run?.data?.resultData?.error;
}
