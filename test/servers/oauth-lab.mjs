// The OAuth lab: real authorization servers, a protected API and control endpoints on one loopback port.
// Run as a program (`node test/servers/oauth-lab.mjs`, prints `LAB_READY {json}`) or import startLab().
// It is ESM because oidc-provider 9 is ESM-only; TypeScript tests drive it as a child process (lab.ts).

import http from 'node:http';
import { pathToFileURL } from 'node:url';

import { createApi } from './api.mjs';
import { createConfig } from './config.mjs';
import { createControl } from './control.mjs';
import { createFaultToken } from './fault-token.mjs';
import { readBody, sendJson, sendOAuthError, sleep } from './http-util.mjs';
import { createJsonToken } from './json-token.mjs';
import { readPki, startMtlsListeners } from './mtls.mjs';
import { createOAuth2Server } from './oauth2-server.mjs';
import { createRawBasic } from './raw-basic.mjs';
import { createOriginIssuer, ORIGIN_ISSUER_MOUNT } from './origin-issuer.mjs';
import { createOidc, OIDC_MOUNT } from './oidc.mjs';
import { startOrigins } from './origins.mjs';
import { startOtherHost } from './other-host.mjs';
import { createRegistry } from './registry.mjs';
import { createStats } from './stats.mjs';
import { createTenants } from './tenants.mjs';
import { recordTokenRequest } from './token-requests.mjs';
import { createWild, WILD_MOUNT } from './wild.mjs';

const TOKEN_ENDPOINTS = {
	'/oidc/token': 'oidc',
	'/oauth2/token': 'oauth2',
	'/json/token': 'json',
	'/faults/token': 'faults',
	'/wso2/token': 'wso2',
};

function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(server.address().port);
		});
	});
}

/**
 * Starts the lab. `options`: `{ port?, otherPort?, config?, pkiDir?, oidcClients? }` (ports default to
 * 0 = random). `pkiDir` (a folder written by pki.mjs) adds the mutual-TLS listeners; `oidcClients` adds
 * oidc-provider clients (private_key_jwt with a JWKS, client_secret_jwt, tls_client_auth...).
 * Resolves to `{ urls, close() }`.
 */
export async function startLab(options = {}) {
	const config = createConfig(options.config);
	const stats = createStats();
	const registry = createRegistry();
	let baseUrl = '';
	const handlers = {};

	async function handleToken(endpoint, req, res) {
		const body = await readBody(req, 1024 * 1024);
		// Only a POST asks for a token; a GET or HEAD (the node's renewal probe) is not a token request.
		if (req.method === 'POST') recordTokenRequest(stats, endpoint, req, res, body);
		// Holding every token response back lets concurrent callers pile up on a single token fetch.
		if (config.current.tokenDelayMs) await sleep(config.current.tokenDelayMs);
		return handlers[endpoint].handle(req, res, body);
	}

	async function route(req, res) {
		const path = new URL(req.url, 'http://lab').pathname;
		if (TOKEN_ENDPOINTS[path]) return handleToken(TOKEN_ENDPOINTS[path], req, res);
		if (path === '/api' || path.startsWith('/api/')) return handlers.api.handle(req, res);
		if (handlers.tenants.serves(path)) return handlers.tenants.handle(req, res, (...args) => recordTokenRequest(stats, 'tenants', ...args));
		if (path.startsWith('/__lab/')) return handlers.control.handle(req, res);
		if (path.startsWith(`${WILD_MOUNT}/`)) return handlers.wild.handle(req, res);
		if (path.startsWith(`${ORIGIN_ISSUER_MOUNT}/`)) return handlers.originIssuer.handle(req, res);
		if (path === OIDC_MOUNT || path.startsWith(`${OIDC_MOUNT}/`)) return handlers.oidc.handle(req, res);
		req.resume();
		return sendJson(res, 404, { error: 'Not Found', status: 404 });
	}

	const handleRequest = (req, res) => {
		route(req, res).catch((err) => {
			if (res.headersSent) return res.destroy();
			return sendOAuthError(res, err?.status ?? 500, err?.status === 413 ? 'invalid_request' : 'server_error', String(err?.message ?? err));
		});
	};
	const server = http.createServer(handleRequest);
	// Tests open many short-lived connections; the default 5 s keep-alive would only delay close().
	server.keepAliveTimeout = 1000;

	const port = await listen(server, options.port ?? 0);
	baseUrl = `http://127.0.0.1:${port}`;
	const otherHost = await startOtherHost({ stats, port: options.otherPort ?? 0 });
	const origins = await startOrigins();
	const mtls = options.pkiDir
		? await startMtlsListeners({ pki: readPki(options.pkiDir), handler: handleRequest })
		: undefined;

	const oidc = createOidc({
		issuer: `${baseUrl}${OIDC_MOUNT}`,
		config,
		registry,
		extraClients: options.oidcClients ?? [],
		mtlsTokenUrl: mtls ? `${mtls.mtlsUrl}/oidc/token` : undefined,
	});
	const faults = createFaultToken({ config, registry, stats });
	const api = createApi({ config, registry, stats, baseUrl: () => baseUrl });
	Object.assign(handlers, {
		oidc,
		oauth2: createOAuth2Server({ config, registry }),
		json: createJsonToken({ config, registry }),
		wso2: createRawBasic({ config, registry }),
		faults,
		api,
		originIssuer: createOriginIssuer(),
		tenants: createTenants({ config, registry }),
		control: createControl({ stats, registry, config, faults, api }),
		wild: createWild({ config, registry, stats, baseUrl: () => baseUrl }),
	});

	const urls = {
		baseUrl,
		otherHostUrl: otherHost.url,
		otherHostIsFallback: otherHost.fallback,
		...origins.urls,
		oidcIssuer: `${baseUrl}${OIDC_MOUNT}`,
		oidcTokenUrl: `${baseUrl}/oidc/token`,
		oauth2TokenUrl: `${baseUrl}/oauth2/token`,
		jsonTokenUrl: `${baseUrl}/json/token`,
		faultTokenUrl: `${baseUrl}/faults/token`,
		// Reads Basic credentials raw; anything else gets 403 with an empty body (WSO2-like).
		rawBasicTokenUrl: `${baseUrl}/wso2/token`,
		// Tokens that belong to one tenant each, and an API that counts requests with another tenant's token.
		tenantTokenUrl: `${baseUrl}/tenants/token`,
		tenantBaseUrl: `${baseUrl}/tenants`,
		apiUrl: `${baseUrl}/api`,
		// test/servers/wild/: providers off the textbook, `${wildBaseUrl}/<name>/...` (see the README).
		wildBaseUrl: `${baseUrl}${WILD_MOUNT}`,
		controlUrl: `${baseUrl}/__lab`,
		// With a PKI only: the same routes over HTTPS that asks for a client certificate.
		...(mtls
			? {
				mtlsBaseUrl: mtls.mtlsUrl,
				mtlsTokenUrl: `${mtls.mtlsUrl}/oidc/token`,
				mtlsStrictBaseUrl: mtls.strictUrl,
				mtlsStrictTokenUrl: `${mtls.strictUrl}/oidc/token`,
				mtlsStrictApiUrl: `${mtls.strictUrl}/api`,
			}
			: {}),
	};

	let closing;
	function close() {
		closing ??= Promise.all([
			new Promise((resolve) => {
				server.close(() => resolve());
				// Hung fault requests and keep-alive sockets would otherwise hold close() open forever.
				server.closeAllConnections();
			}),
			otherHost.close(),
			origins.close(),
			mtls?.close(),
		]).then(() => undefined);
		return closing;
	}

	return { urls, close };
}

function envJson(name) {
	const value = process.env[name];
	if (value === undefined || value === '') return undefined;
	try {
		return JSON.parse(value);
	} catch (err) {
		throw new Error(`${name} must be JSON: ${err.message}`);
	}
}

function envPort(name) {
	const value = process.env[name];
	if (value === undefined || value === '') return 0;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number, got "${value}"`);
	return port;
}

async function main() {
	// oidc-provider prints notices with console.info; stdout must carry nothing but the LAB_READY line.
	console.log = console.error;
	console.info = console.error;

	let lab = null;
	const stop = () => {
		// If a socket refuses to close, exit anyway rather than leave a test run waiting.
		setTimeout(() => process.exit(0), 3000).unref();
		Promise.resolve(lab?.close()).then(() => process.exit(0));
	};
	// Installed before LAB_READY is printed: a parent may signal the moment it reads that line.
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);

	lab = await startLab({
		port: envPort('LAB_PORT'),
		otherPort: envPort('LAB_OTHER_PORT'),
		pkiDir: process.env.LAB_PKI_DIR || undefined,
		oidcClients: envJson('LAB_OIDC_CLIENTS'),
	});
	process.stdout.write(`LAB_READY ${JSON.stringify(lab.urls)}\n`);

	// Opt-in (lab.ts sets it): a lab whose parent test process died must not keep running.
	if (process.env.LAB_EXIT_ON_STDIN_CLOSE === '1') {
		process.stdin.on('end', stop);
		process.stdin.on('close', stop);
		process.stdin.resume();
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main().catch((err) => {
		console.error(err);
		process.exit(1);
	});
}
