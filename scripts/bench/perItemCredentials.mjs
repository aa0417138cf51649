// Micro-benchmark of per-item credentials (issue 14, finding 6): what the node itself spends per item
// on reading the credential for that item and finding the item's session, at 2,000 items with a
// constant credential (the common case, where all of it is overhead).
//  - the node's whole execute for 2,000 GET items in-process: a small stand-in for n8n's execution
//    context whose API answers at once, so the figure is the node's own cost per item (parameters,
//    request building, session, authenticate) plus the stand-in's getCredentials (a copy of the data);
//  - that getCredentials alone, to subtract it; n8n's real one reads and decrypts the credential row
//    and resolves its expressions, as n8n's HTTP Request node has it do per item too;
//  - the grouping key alone (sessionKeyOf), where the build has it.
// `node scripts/bench/perItemCredentials.mjs [--dist=DIR]` (default dist/ of this checkout; point it at
// another build to compare) prints figures and a JSON line; not a timed test.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { median } from './stats.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const distArg = process.argv.find((arg) => arg.startsWith('--dist='));
const dist = path.resolve(distArg ? distArg.slice('--dist='.length) : path.join(root, 'dist'));
const ITEMS = 2000;
const ROUNDS = 9;
const TYPE = 'clientCredentialsOAuth2Api';
const log = (m) => process.stderr.write(`[bench:per-item] ${m}\n`);

const { OAuth2HttpRequest } = require(path.join(dist, 'nodes/OAuth2HttpRequest/OAuth2HttpRequest.node.js'));
const { ClientCredentialsOAuth2Api } = require(path.join(dist, 'credentials/ClientCredentialsOAuth2Api.credentials.js'));
const { sharedAuthenticator } = require(path.join(dist, 'credentials/common/sharedAuthenticator.js'));
let sessionKeyOf;
try {
	({ sessionKeyOf } = require(path.join(dist, 'nodes/OAuth2HttpRequest/transport/openSession.js')));
} catch {
	sessionKeyOf = undefined;
}

const credentialType = new ClientCredentialsOAuth2Api();

/** The credential's data as n8n hands it over: every field of the type with its default, plus ours. */
function credentialData() {
	const data = {};
	for (const property of credentialType.properties) data[property.name] = property.default;
	return {
		...data,
		tokenUrl: 'https://auth.example.test/oauth/token',
		baseUrl: 'https://api.example.test/v1',
		clientId: 'bench-client',
		clientSecret: 'bench-secret',
		audience: 'tenant-a',
		accessToken: '',
		allowedHttpRequestDomains: 'all',
	};
}

const tokenHttpRequest = async () => ({
	statusCode: 200,
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify({ access_token: 'bench-token', token_type: 'Bearer', expires_in: 3600 }),
});

function lookup(source, dotted) {
	let current = source;
	for (const key of dotted.split('.')) {
		if (current === null || typeof current !== 'object' || !(key in current)) return undefined;
		current = current[key];
	}
	return current;
}

/** The parts of n8n's execution context the node uses, for `count` items and one stored credential. */
function context(count, stored) {
	const params = { authentication: TYPE, operation: 'request', method: 'GET', url: '/things', options: {} };
	const items = Array.from({ length: count }, (_v, i) => ({ json: { i } }));
	const node = { id: 'n', name: 'Bench', type: 'n8n-nodes-oauth2-grants.oAuth2HttpRequest', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { [TYPE]: { id: 'c1', name: 'bench' } } };
	let credentialReads = 0;
	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => false,
		getNodeParameter: (name, _itemIndex, fallback) => {
			const value = lookup(params, name);
			if (value !== undefined) return value;
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			return fallback;
		},
		// n8n returns a new object each time.
		getCredentials: async () => {
			credentialReads++;
			return { ...stored };
		},
		helpers: {
			async httpRequestWithAuthentication(_type, options, additional) {
				const data = additional.credentialsDecrypted.data;
				if (data.accessToken === '') {
					const fields = await credentialType.preAuthentication.call({ helpers: { httpRequest: tokenHttpRequest } }, data);
					Object.assign(data, fields);
				}
				await credentialType.authenticate(data, options);
				return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: { ok: true } };
			},
		},
	};
	return { ctx, reads: () => credentialReads };
}

async function executeOnce() {
	sharedAuthenticator.clear();
	const { ctx, reads } = context(ITEMS, credentialData());
	const t0 = process.hrtime.bigint();
	const [output] = await new OAuth2HttpRequest().execute.call(ctx);
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	if (output.length !== ITEMS) throw new Error(`${output.length} items out of ${ITEMS}`);
	return { ms, reads: reads() };
}

function nsPer(fn, iterations = 20_000) {
	for (let i = 0; i < 2000; i++) fn();
	const rounds = [];
	for (let r = 0; r < ROUNDS; r++) {
		const t0 = process.hrtime.bigint();
		for (let i = 0; i < iterations; i++) fn();
		rounds.push(Number(process.hrtime.bigint() - t0) / iterations);
	}
	return median(rounds);
}

await executeOnce(); // warm-up
const runs = [];
for (let r = 0; r < ROUNDS; r++) runs.push(await executeOnce());
const executeMs = median(runs.map((run) => run.ms));
const stored = credentialData();
const copyNs = nsPer(() => ({ ...stored }));
const keyNs = sessionKeyOf ? nsPer(() => sessionKeyOf(stored)) : undefined;

const result = {
	dist: path.relative(root, dist) || '.',
	items: ITEMS,
	credentialReads: runs[0].reads,
	executeMsMedian: executeMs,
	executeMsRange: [Math.min(...runs.map((run) => run.ms)), Math.max(...runs.map((run) => run.ms))],
	perItemUs: (executeMs * 1000) / ITEMS,
	standInGetCredentialsNs: copyNs,
	sessionKeyNs: keyNs,
};
log(`${result.dist}: ${ITEMS} items in ${executeMs.toFixed(1)} ms median (${result.executeMsRange.map((v) => v.toFixed(1)).join('–')} ms over ${ROUNDS} runs), ${result.perItemUs.toFixed(1)} µs per item; credential read ${result.credentialReads}×`);
log(`the stand-in's getCredentials (a copy of ${Object.keys(stored).length} fields): ${copyNs.toFixed(0)} ns; grouping key: ${keyNs === undefined ? 'not in this build' : `${keyNs.toFixed(0)} ns`} per item`);
process.stdout.write(`${JSON.stringify(result)}\n`);
