// A long-running n8n (`n8n start`, or a queue-mode main/worker) for webhook-triggered workflows
// and the editor: one start-up for many executions.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { freePort } from './n8n-cli.mjs';

export { freePort };

/** Makes a workflow active before the server starts: 2.x publishes it, 1.x flags it active. */
export async function activateWorkflow(cli, id, line) {
	const args = line === '1' ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
	const result = await cli.run(args);
	if (result.code !== 0) throw new Error(`activating ${id} failed:\n${result.stdout}\n${result.stderr}`);
}

async function waitFor(check, { timeoutMs, what }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			if (await check()) return;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/**
 * Starts `n8n <command>` (start, worker, webhook) with the CLI's environment and waits until it
 * answers on its port. Output goes to a log file beside the CLI's, for the leak checks.
 */
export async function startN8nProcess(cli, { command = 'start', port, extraEnv = {}, readyPath = '/healthz', timeoutMs = 180_000 } = {}) {
	const listenPort = port ?? (await freePort());
	const logFile = path.join(cli.userFolder, `n8n-${command}-${listenPort}.log`);
	const out = fs.openSync(logFile, 'a');
	const env = await cli.processEnv({
		N8N_PORT: String(listenPort),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		WEBHOOK_URL: `http://127.0.0.1:${listenPort}/`,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(listenPort),
		...extraEnv,
	});
	const child = spawn(path.join(cli.nodeBin, 'node'), [cli.n8nBin, command], { env, stdio: ['ignore', out, out] });
	let exited = false;
	child.on('exit', () => (exited = true));
	const url = `http://127.0.0.1:${listenPort}`;
	await waitFor(async () => {
		if (exited) throw new Error(`n8n ${command} exited; see ${logFile}`);
		return (await fetch(`${url}${readyPath}`)).ok;
	}, { timeoutMs, what: `n8n ${command} on ${url}` }).catch((error) => {
		child.kill('SIGKILL');
		throw error;
	});
	return {
		url,
		port: listenPort,
		logFile,
		child,
		log: () => fs.readFileSync(logFile, 'utf8'),
		async stop() {
			if (exited) return;
			const done = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await done;
			clearTimeout(timer);
		},
	};
}

/** Creates the owner account through n8n's REST API and returns a cookie-carrying REST client. */
export async function setUpOwner(serverUrl, { email = 'owner@example.test', password = 'Owner-Passw0rd!' } = {}) {
	// /healthz answers before the REST routes are mounted: retry while they are missing. Until then
	// a busy n8n may also answer with the editor's HTML page (200), which sets up nothing.
	let response;
	for (let attempt = 0; attempt < 120; attempt++) {
		response = await fetch(`${serverUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, password, firstName: 'Test', lastName: 'Owner' }),
		});
		const answeredByRest = (response.headers.get('content-type') ?? '').includes('json');
		if (response.status !== 404 && answeredByRest) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	if (!response.ok) throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
	const cookie = (response.headers.getSetCookie?.() ?? [response.headers.get('set-cookie')]).filter(Boolean).map((c) => c.split(';')[0]).join('; ');
	return { email, password, cookie, rest: restClient(serverUrl, cookie) };
}

/**
 * n8n 2.x registers published webhooks after it starts answering: wait until a CORS preflight
 * for the webhook lists GET (this does not run the workflow).
 */
export async function waitForWebhook(serverUrl, hookPath, { timeoutMs = 120_000 } = {}) {
	await waitFor(async () => {
		const preflight = await fetch(`${serverUrl}/webhook/${hookPath}`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1' } });
		const methods = preflight.headers.get('access-control-allow-methods') ?? '';
		return preflight.status === 204 && methods.split(/,\s*/).includes('GET');
	}, { timeoutMs, what: `webhook ${hookPath}` });
}

/** A REST client with an owner's session cookie, sending what the editor sends. */
export function restClient(baseUrl, cookie) {
	const client = async (method, pathname, body) => {
		const r = await fetch(`${baseUrl}/rest${pathname}`, {
			method,
			headers: { 'content-type': 'application/json', cookie, 'browser-id': 'e2e-browser' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await r.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: r.status, json, text };
	};
	client.cookie = cookie;
	return client;
}
