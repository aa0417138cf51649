// Micro-benchmark of the token engine alone, on the built package (run `npm run build` first):
//  - the cost per request of a cached-token lookup: TokenAuthenticator.getToken with a warm cache
//    (it hashes the configuration into its fingerprint each time), peek() by a known fingerprint,
//    and the credential's authenticate(), which is what every API request through n8n runs;
//  - 10,000 concurrent getToken calls on a cold cache, against the lab's real oidc-provider token
//    endpoint over HTTP: the lab counts the token requests it receives (must be 1).
// `node scripts/bench/authenticator.mjs` prints a JSON object on stdout; progress goes to stderr.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startLab } from '../../test/servers/oauth-lab.mjs';
import { median } from './stats.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const engine = require(path.join(root, 'dist/engine/index.js'));
const { ClientCredentialsOAuth2Api } = require(path.join(root, 'dist/credentials/ClientCredentialsOAuth2Api.credentials.js'));

const ROUNDS = 7;
const ITERATIONS = 100_000;
const CALLERS = 10_000;
const COLD_ROUNDS = 3;
const log = (m) => process.stderr.write(`[bench:micro] ${m}\n`);

/** A plain fetch transport that counts what it sends (the lab counts what it receives). */
function fetchTransport(counter) {
	return async (request) => {
		counter.calls++;
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), request.timeoutMs);
		try {
			const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: controller.signal });
			return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
		} finally {
			clearTimeout(timer);
		}
	};
}

/** n8n's helpers.httpRequest as the credential's pre-authentication uses it (full response, text body). */
async function fetchHttpRequest(options) {
	const response = await fetch(options.url, { method: options.method, headers: options.headers, body: options.body });
	return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

/** Nanoseconds per call of `fn`, one figure per round. */
async function nsPerCall(fn, { rounds = ROUNDS, iterations = ITERATIONS } = {}) {
	for (let i = 0; i < 10_000; i++) await fn(); // warm-up, so the JIT has settled
	const perRound = [];
	for (let r = 0; r < rounds; r++) {
		const t0 = process.hrtime.bigint();
		for (let i = 0; i < iterations; i++) await fn();
		perRound.push(Number(process.hrtime.bigint() - t0) / iterations);
	}
	return { medianNs: median(perRound), minNs: Math.min(...perRound), maxNs: Math.max(...perRound), rounds, iterations };
}

export async function runAuthenticatorBench(lab) {
	const labStats = async () => (await fetch(`${lab.urls.controlUrl}/stats`)).json();
	const labReset = async () => fetch(`${lab.urls.controlUrl}/reset`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
	const config = {
		tokenUrl: lab.urls.oidcTokenUrl,
		grantType: 'client_credentials',
		clientId: 'cc-basic',
		clientSecret: 'cc-basic-secret',
		clientAuthentication: 'header',
		requestFormat: 'form',
		scope: 'read',
	};
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

	const cold = [];
	for (let round = 0; round < COLD_ROUNDS; round++) {
		const authenticator = new engine.TokenAuthenticator();
		const counter = { calls: 0 };
		await labReset();
		const t0 = process.hrtime.bigint();
		const tokens = await Promise.all(
			Array.from({ length: CALLERS }, () => authenticator.getToken(config, { transport: fetchTransport(counter), sleep })),
		);
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		const stats = await labStats();
		cold.push({
			callers: CALLERS,
			tokenRequests: stats.tokenRequests.total,
			transportCalls: counter.calls,
			distinctTokens: new Set(tokens.map((t) => t.accessToken)).size,
			ms,
		});
		log(`cold cache, ${CALLERS} concurrent callers: ${stats.tokenRequests.total} token request(s), ${ms.toFixed(1)} ms`);
	}

	const warm = new engine.TokenAuthenticator();
	const deps = { transport: fetchTransport({ calls: 0 }), sleep };
	await warm.getToken(config, deps);
	const cacheKey = engine.tokenCacheKeyOf(config);
	const getToken = await nsPerCall(() => warm.getToken(config, deps));
	log(`getToken, cached: ${getToken.medianNs.toFixed(0)} ns per call`);
	const peek = await nsPerCall(() => warm.peek(cacheKey));
	log(`peek by cache key: ${peek.medianNs.toFixed(0)} ns per call`);

	// The stored fingerprint: made with one scrypt, checked with one scrypt the first time this process
	// sees a value (here one made by another process: another salt), then a key and a map lookup.
	const msOf = (fn) => {
		const started = process.hrtime.bigint();
		fn();
		return Number(process.hrtime.bigint() - started) / 1e6;
	};
	let made = '';
	const newMs = msOf(() => (made = engine.newFingerprint(config)));
	const elsewhere = engine.newFingerprint({ ...config, scope: 'made elsewhere' }).replace(/\$[^$]+\$([^$]+)$/, (_all, hash) => `$${'A'.repeat(22)}$${hash}`);
	const coldCheckMs = msOf(() => engine.fingerprintMatches(elsewhere, config));
	const warmCheck = await nsPerCall(() => engine.fingerprintMatches(made, config));
	log(`stored fingerprint: made in ${newMs.toFixed(1)} ms, first check ${coldCheckMs.toFixed(1)} ms, later checks ${warmCheck.medianNs.toFixed(0)} ns`);

	// The credential as n8n holds it after its pre-authentication stored a token.
	const credential = new ClientCredentialsOAuth2Api();
	const fields = {
		tokenUrl: lab.urls.oidcTokenUrl,
		baseUrl: lab.urls.apiUrl,
		clientId: 'cc-basic',
		clientSecret: 'cc-basic-secret',
		clientAuthentication: 'header',
		requestFormat: 'form',
		scope: 'read',
		accessToken: '',
	};
	let authenticate;
	try {
		const stored = await credential.preAuthentication.call({ helpers: { httpRequest: fetchHttpRequest } }, fields);
		const data = { ...fields, ...stored };
		const url = `${lab.urls.apiUrl}/echo`;
		const probe = await credential.authenticate(data, { method: 'GET', url });
		if (!probe?.headers?.Authorization && !probe?.headers?.authorization) throw new Error('authenticate added no Authorization header');
		authenticate = await nsPerCall(() => credential.authenticate(data, { method: 'GET', url }));
		log(`credential authenticate (stored-token check + header): ${authenticate.medianNs.toFixed(0)} ns per call`);
	} catch (error) {
		authenticate = { error: String(error?.message ?? error) };
		log(`credential authenticate not measured: ${authenticate.error}`);
	}

	return {
		runtime: process.version,
		transport: 'fetch over HTTP to the lab oidc-provider token endpoint (the lab counts token requests)',
		cold,
		cachedGetToken: getToken,
		peekByCacheKey: peek,
		storedFingerprint: { newMs, coldCheckMs, warmCheck },
		credentialAuthenticate: authenticate,
	};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const lab = await startLab();
	try {
		process.stdout.write(`${JSON.stringify(await runAuthenticatorBench(lab))}\n`);
	} finally {
		await lab.close();
	}
}
