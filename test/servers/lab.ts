// Test-side handle on the OAuth lab. The lab runs as a child process because oidc-provider 9 is ESM-only
// and jest runs our TypeScript as CommonJS; everything here talks to it over HTTP.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface LabUrls {
	baseUrl: string;
	/** Another origin (127.0.0.2, or localhost when that cannot be bound): tokens must never arrive here. */
	otherHostUrl: string;
	otherHostIsFallback: boolean;
	/** test/servers/origins.mjs: a path with `/redirect/<status>/<same|port|host|hostport>` redirects to that origin; everything else is recorded (`/__origins/log`). */
	redirectorUrl: string;
	/** 127.0.0.1 on another port than the redirector: another origin. */
	targetUrl: string;
	/** The redirector reached as `localhost`: another host, same port. */
	redirectorAsLocalhostUrl: string;
	targetAsLocalhostUrl: string;
	oidcIssuer: string;
	oidcTokenUrl: string;
	oauth2TokenUrl: string;
	jsonTokenUrl: string;
	faultTokenUrl: string;
	/** test/servers/raw-basic.mjs: reads Basic credentials raw (wso2-client), 403 with an empty body otherwise. */
	rawBasicTokenUrl: string;
	/** Tokens for one tenant each (audience, else resource, else client id); `${tenantBaseUrl}/<tenant>/token` for a token URL per tenant. */
	tenantTokenUrl: string;
	/** `${tenantBaseUrl}/api/<tenant>/...` refuses another tenant's token (403) and counts it; `/stats`, `/reset`, `/revoke` steer it. */
	tenantBaseUrl: string;
	/** Base of the protected API, without trailing slash: `${apiUrl}/echo`, `${apiUrl}/items`, ... */
	apiUrl: string;
	/** test/servers/wild/: providers off the textbook, each at `${wildBaseUrl}/<name>/...`. */
	wildBaseUrl: string;
	controlUrl: string;
	/** With LAB_PKI_DIR only: every route over HTTPS that asks for a client certificate and lets oidc-provider judge it. */
	mtlsBaseUrl?: string;
	/** oidc-provider's token endpoint on that listener (tls_client_auth); discovery names it in mtls_endpoint_aliases. */
	mtlsTokenUrl?: string;
	/** With LAB_PKI_DIR only: HTTPS that ends the handshake unless the client shows a certificate of the lab CA. */
	mtlsStrictBaseUrl?: string;
	mtlsStrictTokenUrl?: string;
	mtlsStrictApiUrl?: string;
}

export interface LabConfig {
	accessTokenTtlSeconds: number;
	tokenDelayMs: number;
	apiAuthHeader: string;
	apiAuthPrefix: string;
}

export type TokenEndpoint = 'oidc' | 'oauth2' | 'json' | 'faults';
export type TokenState = 'valid' | 'expired' | 'revoked' | 'unknown' | 'missing';

export interface TokenLogEntry {
	endpoint: TokenEndpoint;
	grant: string | null;
	clientId: string | null;
	/** null while unanswered, or forever when the lab hung or reset the request. */
	status: number | null;
	/** assertion: client_assertion in the body (private_key_jwt, client_secret_jwt). */
	authMethod: 'basic' | 'body' | 'assertion' | 'none';
	contentType: string | null;
	/** Subject of the client certificate the TLS connection showed, verified or not. */
	clientCertificate: string | null;
	/** oidc-provider's reason for refusing the client (its error_detail), e.g. "jwt expired". */
	errorDetail: string | null;
	at: number;
}

export interface ApiLogEntry {
	method: string;
	path: string;
	status: number | null;
	tokenState: TokenState;
	at: number;
}

export interface OtherHostEntry {
	method: string;
	path: string;
	url: string;
	headers: Record<string, string | string[]>;
	at: number;
}

export interface FaultRequestEntry {
	method: string;
	url: string;
	headers: Record<string, string | string[]>;
	/** Raw request body as UTF-8 (first 64 KiB). */
	body: string;
	at: number;
}

export interface LabStats {
	tokenRequests: {
		total: number;
		byEndpoint: Record<TokenEndpoint, number>;
		byGrant: Record<string, number>;
		byClient: Record<string, number>;
	};
	tokenLog: TokenLogEntry[];
	apiRequests: number;
	api401: number;
	/** Requests that carried a known token which had already expired: must stay 0. */
	apiExpired: number;
	apiRevoked: number;
	apiUnknown: number;
	apiMissing: number;
	byPath: Record<string, number>;
	apiByStatus: Record<string, number>;
	apiLog: ApiLogEntry[];
	otherHost: OtherHostEntry[];
	faultRequests: FaultRequestEntry[];
}

/** One scripted answer of the fault token endpoint. */
export interface TokenFault {
	status?: number;
	headers?: Record<string, string>;
	/** Sent verbatim (a non-string is JSON-encoded). */
	body?: string | object;
	delayMs?: number;
	/** Never answer (the socket is destroyed when the lab stops). */
	hang?: boolean;
	/** Destroy the socket instead of answering. */
	reset?: boolean;
	/**
	 * Quote the request instead of `body`: the body as received (raw), with lower-case percent escapes,
	 * URL-decoded, as JSON (json), as PHP-style JSON with \/ and \u escapes (php), the Authorization and
	 * Cookie headers (headers), the request target (url).
	 */
	echo?: Array<'raw' | 'lowercase' | 'decoded' | 'json' | 'php' | 'headers' | 'url'>;
	/** The quote as an OAuth error's error_description (default) or as the plain text of the body. */
	echoAs?: 'oauth' | 'text';
}

export interface Lab {
	urls: LabUrls;
	stats(): Promise<LabStats>;
	/** Zeroes counters and logs, clears queued faults and flaky/reset-once keys; keeps tokens and config. */
	reset(): Promise<void>;
	/** Every access token issued so far becomes invalid at the API (401, counted as apiRevoked). */
	revokeAll(): Promise<void>;
	/** Every refresh token of the oauth2 server becomes invalid (invalid_grant). */
	revokeRefreshTokens(): Promise<void>;
	/** Merges into the lab config and returns the whole config. */
	configure(partial: Partial<LabConfig>): Promise<LabConfig>;
	getConfig(): Promise<{ config: LabConfig; defaults: LabConfig }>;
	/** Appends answers for the next requests to the fault token endpoint. */
	queueTokenFaults(faults: TokenFault[]): Promise<void>;
	/** Kills the lab and waits until it has exited. */
	stop(): Promise<void>;
}

const LAB_SCRIPT = path.join(__dirname, 'oauth-lab.mjs');
const STARTUP_TIMEOUT_MS = 20_000;
const STDERR_TAIL = 8192;

async function control<T>(urls: LabUrls, method: 'GET' | 'POST', name: string, body?: unknown): Promise<T> {
	const response = await fetch(`${urls.controlUrl}/${name}`, {
		method,
		headers: body === undefined ? undefined : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`lab ${method} /__lab/${name} failed: ${response.status} ${text}`);
	return JSON.parse(text) as T;
}

function waitForExit(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a lab child process. `env` is added to the child's environment (e.g. `LAB_PORT`, `LAB_PKI_DIR`
 * for the mutual-TLS listeners, `LAB_OIDC_CLIENTS` with a JSON array of extra oidc-provider clients).
 * Set `LAB_DEBUG=1` in the test environment to see the lab's stderr.
 */
export async function startLab(env: Record<string, string> = {}): Promise<Lab> {
	const child = spawn(process.execPath, [LAB_SCRIPT], {
		// stdin stays open as a lifeline: if this test process dies, the lab sees EOF and exits.
		stdio: ['pipe', 'pipe', 'pipe'],
		env: { ...process.env, LAB_EXIT_ON_STDIN_CLOSE: '1', ...env },
	});

	let stderr = '';
	child.stderr!.setEncoding('utf8');
	child.stderr!.on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-STDERR_TAIL);
		if (process.env.LAB_DEBUG) process.stderr.write(chunk);
	});

	const urls = await new Promise<LabUrls>((resolve, reject) => {
		let stdout = '';
		const settle = () => {
			clearTimeout(timer);
			child.off('error', onError);
			child.off('exit', onExit);
			child.stdout!.off('data', onData);
		};
		const fail = (why: string) => {
			settle();
			child.kill('SIGKILL');
			reject(new Error(`OAuth lab did not start: ${why}\n--- lab stderr ---\n${stderr}`));
		};
		const onError = (err: Error) => fail(err.message);
		const onExit = (code: number | null, signal: string | null) => fail(`exited early (code ${code}, signal ${signal})`);
		const onData = (chunk: string) => {
			stdout += chunk;
			const line = stdout.split('\n').find((l) => l.startsWith('LAB_READY '));
			if (!line) return;
			try {
				const ready = JSON.parse(line.slice('LAB_READY '.length)) as LabUrls;
				settle();
				// Keep draining stdout so a chatty lab can never block on a full pipe.
				child.stdout!.resume();
				resolve(ready);
			} catch (err) {
				fail(`unreadable LAB_READY line: ${String(err)}`);
			}
		};
		const timer = setTimeout(() => fail(`no LAB_READY within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
		child.on('error', onError);
		child.on('exit', onExit);
		child.stdout!.setEncoding('utf8');
		child.stdout!.on('data', onData);
	});

	let stopping: Promise<void> | undefined;

	return {
		urls,
		stats: () => control<LabStats>(urls, 'GET', 'stats'),
		reset: async () => {
			await control(urls, 'POST', 'reset');
		},
		revokeAll: async () => {
			await control(urls, 'POST', 'revoke-all');
		},
		revokeRefreshTokens: async () => {
			await control(urls, 'POST', 'revoke-refresh-tokens');
		},
		configure: (partial) => control<LabConfig>(urls, 'POST', 'config', partial),
		getConfig: () => control<{ config: LabConfig; defaults: LabConfig }>(urls, 'GET', 'config'),
		queueTokenFaults: async (faults) => {
			await control(urls, 'POST', 'token-faults', faults);
		},
		stop: () => {
			stopping ??= (async () => {
				const exited = waitForExit(child);
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
				await exited;
				clearTimeout(timer);
				child.stdin?.destroy();
				child.stdout?.destroy();
				child.stderr?.destroy();
			})();
			return stopping;
		},
	};
}
