// End to end in real n8n: the enterprise client authentications against the lab's oidc-provider, one
// workflow per method (private key JWT with RS256, ES256 through discovery, client secret JWT, TLS client
// certificate with an encrypted key), the client certificate on API requests (this package's node and
// n8n's HTTP Request node), and the server's refusals. No key, passphrase or secret may show in any
// output or log.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createTestPki } from '../servers/pki.mjs';
import { assertNoLeaks } from '../support/leakSearch.cjs';
import { CALL, httpRequestCall, ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { assertRunSucceeded, nodeOutput } from '../n8n-harness/n8n-cli.mjs';

const TYPE = 'clientCredentialsOAuth2Api';
const CRED = {
	pkjwt: { id: 'e2eEntPkjwtRs256', name: 'Enterprise private key JWT RS256', type: TYPE },
	pkjwtDiscovery: { id: 'e2eEntPkjwtEs256', name: 'Enterprise private key JWT ES256 discovered', type: TYPE },
	csjwt: { id: 'e2eEntCsjwt00001', name: 'Enterprise client secret JWT', type: TYPE },
	mtls: { id: 'e2eEntMtls000001', name: 'Enterprise TLS client certificate', type: TYPE },
	mtlsApi: { id: 'e2eEntMtlsApi001', name: 'Enterprise certificate for the API too', type: TYPE },
	mtlsStrict: { id: 'e2eEntMtlsStrict', name: 'Enterprise certificate, strict token endpoint', type: TYPE },
	wrongKey: { id: 'e2eEntWrongKey01', name: 'Enterprise unregistered key', type: TYPE },
	rogueCert: { id: 'e2eEntRogueCert1', name: 'Enterprise untrusted certificate', type: TYPE },
};
const WF = {
	pkjwt: 'e2eEntWfPkjwt001',
	pkjwtDiscovery: 'e2eEntWfPkjwtDsc',
	csjwt: 'e2eEntWfCsjwt001',
	mtls: 'e2eEntWfMtls0001',
	mtlsToken: 'e2eEntWfMtlsTok1',
	mtlsApiOurs: 'e2eEntWfMtlsApi1',
	mtlsApiHttp: 'e2eEntWfMtlsApi2',
	pkjwtHttp: 'e2eEntWfPkjwtHtp',
	wrongKey: 'e2eEntWfWrongKey',
	rogueCert: 'e2eEntWfRogueCrt',
};

const JWT_SECRET = 'e2e-client-secret-jwt-secret-0123456789';
const pemOf = (key) => key.export({ format: 'pem', type: 'pkcs8' });
const jwkOf = (key, kid) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const unregistered = generateKeyPairSync('rsa', { modulusLength: 2048 });

let h;
let pki;
const outputs = [];

async function run(id) {
	const result = await h.cli.execute(id);
	outputs.push(result.stdout, result.stderr);
	return result;
}

async function runOk(id) {
	const result = await run(id);
	assertRunSucceeded(result, id);
	return nodeOutput(result.run, CALL);
}

async function runFailing(id) {
	const result = await run(id);
	assert.notEqual(result.run?.status, 'success', `${id} should have failed`);
	return `${result.stdout}\n${result.stderr}`;
}

/** The base64 lines of a PEM block, which is what any leak of it would show. */
const pemLines = (pem) => pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----') && !line.includes(':'));

const echo = () => ({ method: 'GET', url: '=/echo?item={{ $json.ids }}' });

before(async () => {
	pki = createTestPki();
	h = await startHarness({
		lab: {
			pkiDir: pki.dir,
			oidcClients: [
				{ client_id: 'pkjwt-client', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwkOf(rsa.publicKey, 'rsa-1'), jwkOf(ec.publicKey, 'ec-1')] } },
				{ client_id: 'csjwt-client', client_secret: JWT_SECRET, token_endpoint_auth_method: 'client_secret_jwt' },
				{ client_id: 'mtls-client', token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: pki.client.subject },
			],
		},
	});
	const u = h.urls;
	const cred = (ref, data) => ({ ...ref, data: { baseUrl: u.apiUrl, requestFormat: 'form', scope: 'read', accessToken: '', ...data } });
	const pkjwt = { tokenUrl: u.oidcTokenUrl, clientId: 'pkjwt-client', clientAuthentication: 'privateKeyJwt' };
	const mtls = {
		tokenUrl: u.mtlsTokenUrl,
		clientId: 'mtls-client',
		clientAuthentication: 'tlsClientAuth',
		clientCertificate: pki.client.cert,
		clientCertificateKey: pki.client.encryptedKey,
		clientCertificatePassphrase: pki.client.passphrase,
		caCertificate: pki.ca,
	};
	await h.cli.importJson('credentials', [
		cred(CRED.pkjwt, { ...pkjwt, privateKey: pemOf(rsa.privateKey), privateKeyId: 'rsa-1', signingAlgorithm: 'RS256' }),
		cred(CRED.pkjwtDiscovery, { ...pkjwt, tokenUrl: '', issuerUrl: u.oidcIssuer, privateKey: pemOf(ec.privateKey), privateKeyId: 'ec-1', signingAlgorithm: 'ES256' }),
		cred(CRED.csjwt, { tokenUrl: u.oidcTokenUrl, clientId: 'csjwt-client', clientAuthentication: 'clientSecretJwt', clientSecret: JWT_SECRET }),
		cred(CRED.mtls, mtls),
		// The strict listener ends the handshake without a lab-CA certificate: only requests that present it get through.
		cred(CRED.mtlsApi, { ...mtls, baseUrl: u.mtlsStrictApiUrl, useClientCertificateForApi: true }),
		cred(CRED.mtlsStrict, { ...mtls, tokenUrl: u.mtlsStrictTokenUrl }),
		cred(CRED.wrongKey, { ...pkjwt, privateKey: pemOf(unregistered.privateKey), privateKeyId: 'rsa-1', signingAlgorithm: 'RS256' }),
		cred(CRED.rogueCert, { ...mtls, clientCertificate: pki.rogue.cert, clientCertificateKey: pki.rogue.key, clientCertificatePassphrase: '' }),
	]);
	await h.importWorkflows([
		workflow(WF.pkjwt, 'private key JWT RS256', { items: 3, call: ourCall(CRED.pkjwt, echo()) }),
		workflow(WF.pkjwtDiscovery, 'private key JWT ES256 discovered', { items: 2, call: ourCall(CRED.pkjwtDiscovery, echo()) }),
		workflow(WF.csjwt, 'client secret JWT', { items: 2, call: ourCall(CRED.csjwt, echo()) }),
		workflow(WF.mtls, 'TLS client certificate', { items: 2, call: ourCall(CRED.mtls, echo()) }),
		workflow(WF.mtlsToken, 'TLS client certificate: get token', { items: 1, call: ourCall(CRED.mtlsStrict, { operation: 'getAccessToken' }) }),
		workflow(WF.mtlsApiOurs, 'certificate for the API: our node', { items: 2, call: ourCall(CRED.mtlsApi, echo()) }),
		workflow(WF.mtlsApiHttp, 'certificate for the API: HTTP Request', {
			items: 2,
			call: httpRequestCall(CRED.mtlsApi, { url: `=${u.mtlsStrictApiUrl}/echo?item={{ $json.ids }}`, options: {} }),
		}),
		workflow(WF.pkjwtHttp, 'private key JWT: HTTP Request', {
			items: 2,
			call: httpRequestCall(CRED.pkjwt, { url: `=${u.apiUrl}/echo?item={{ $json.ids }}`, options: {} }),
		}),
		workflow(WF.wrongKey, 'unregistered key', { items: 1, call: ourCall(CRED.wrongKey, echo()) }),
		workflow(WF.rogueCert, 'untrusted certificate', { items: 1, call: ourCall(CRED.rogueCert, echo()) }),
	]);
});

after(async () => {
	await h?.stop();
	if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
});

/** The token requests of the last run, and the API calls it made. */
async function measured() {
	const s = await h.stats();
	return { tokens: s.tokenLog, api: s.apiRequests, refused: s.api401 };
}

describe('enterprise client authentication in real n8n', () => {
	test('private key JWT (RS256, kid): one signed assertion, every item answered', async () => {
		await h.reset();
		const items = await runOk(WF.pkjwt);
		const m = await measured();
		assert.deepEqual(items.map((i) => Number(i.json.query.item)), [0, 1, 2]);
		assert.equal(m.tokens.length, 1);
		assert.equal(m.tokens[0].clientId, 'pkjwt-client');
		assert.equal(m.tokens[0].authMethod, 'assertion');
		assert.equal(m.tokens[0].status, 200);
		assert.equal(m.api, 3);
		assert.equal(m.refused, 0);
	});

	test('private key JWT (ES256) with the token endpoint discovered from the issuer', async () => {
		await h.reset();
		const items = await runOk(WF.pkjwtDiscovery);
		const m = await measured();
		assert.equal(items.length, 2);
		assert.deepEqual(m.tokens.map((t) => [t.clientId, t.authMethod, t.status]), [['pkjwt-client', 'assertion', 200]]);
	});

	test('client secret JWT', async () => {
		await h.reset();
		const items = await runOk(WF.csjwt);
		const m = await measured();
		assert.equal(items.length, 2);
		assert.deepEqual(m.tokens.map((t) => [t.clientId, t.authMethod, t.status]), [['csjwt-client', 'assertion', 200]]);
	});

	test('TLS client certificate (encrypted key and passphrase, lab CA): client_id alone, the certificate on the connection', async () => {
		await h.reset();
		const items = await runOk(WF.mtls);
		const m = await measured();
		assert.equal(items.length, 2);
		assert.deepEqual(m.tokens.map((t) => [t.clientId, t.authMethod, t.clientCertificate, t.status]), [['mtls-client', 'none', pki.client.subject, 200]]);
	});

	test('Get Access Token from a token endpoint that ends the handshake without a certificate', async () => {
		await h.reset();
		const items = await runOk(WF.mtlsToken);
		const m = await measured();
		assert.deepEqual(m.tokens.map((t) => [t.clientId, t.clientCertificate, t.status]), [['mtls-client', pki.client.subject, 200]]);
		assert.equal(typeof items[0].json.access_token, 'string');
		// The only output that holds a token; it holds no key.
		const response = await fetch(`${h.urls.apiUrl}/echo`, { headers: { authorization: `Bearer ${items[0].json.access_token}` } });
		assert.equal(response.status, 200);
	});

	test("the client certificate on API requests: n8n's HTTP Request node", async () => {
		await h.reset();
		const items = await runOk(WF.mtlsApiHttp);
		const m = await measured();
		assert.equal(items.length, 2);
		assert.equal(m.api, 2);
		assert.equal(m.refused, 0);
	});

	test('the client certificate on API requests: this package\'s node (n8n 2.x; on 1.x a clear error)', async () => {
		await h.reset();
		if (h.env.line === '1') {
			// n8n 1.x's httpRequest drops agentOptions: the strict listener never sees a certificate.
			const text = await runFailing(WF.mtlsApiOurs);
			assert.match(text, /On n8n 1\.x this node cannot/);
			assert.match(text, /HTTP Request node/);
			assert.equal((await measured()).api, 0);
			return;
		}
		const items = await runOk(WF.mtlsApiOurs);
		const m = await measured();
		assert.equal(items.length, 2);
		assert.equal(m.api, 2);
		assert.equal(m.refused, 0);
	});

	test("private key JWT with n8n's HTTP Request node", async () => {
		await h.reset();
		const items = await runOk(WF.pkjwtHttp);
		assert.equal(items.length, 2);
	});

	test("an unregistered key fails with the server's invalid_client and the assertion hint", async () => {
		await h.reset();
		const text = await runFailing(WF.wrongKey);
		const m = await measured();
		assert.match(text, /invalid_client/);
		assert.match(text, /refused the client assertion/);
		assert.equal(m.tokens.at(-1)?.errorDetail, 'signature verification failed');
		assert.equal(m.api, 0);
	});

	test("a certificate of an untrusted CA fails with the server's invalid_client", async () => {
		await h.reset();
		const text = await runFailing(WF.rogueCert);
		const m = await measured();
		assert.match(text, /invalid_client/);
		assert.match(text, /did not accept the client certificate/);
		assert.equal(m.tokens.at(-1)?.errorDetail, 'client certificate was not verified');
	});

	test('no private key, certificate key, passphrase or secret in any output or log', () => {
		const secrets = [
			...pemLines(pemOf(rsa.privateKey)),
			...pemLines(pemOf(ec.privateKey)),
			...pemLines(pemOf(unregistered.privateKey)),
			...pemLines(pki.client.key),
			...pemLines(pki.client.encryptedKey),
			...pemLines(pki.rogue.key),
			pki.client.passphrase,
			JWT_SECRET,
		];
		const logs = [path.join(h.userFolder, 'n8n-output.log'), ...findLogs(path.join(h.userFolder, '.n8n'))];
		const texts = [...outputs, ...logs.map((file) => fs.readFileSync(file, 'utf8'))];
		assert.ok(logs.length >= 1);
		assertNoLeaks(texts.join('\n'), secrets.map((value) => ({ value, label: `a key line or secret (${value.slice(0, 6)}…)` })), 'the outputs and logs');
	});
});

/** n8n's own log files (event log and the like), not its database or the installed packages. */
function findLogs(dir) {
	if (!fs.existsSync(dir)) return [];
	const found = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory() && entry.name !== 'nodes' && entry.name !== 'node_modules') found.push(...findLogs(full));
		else if (entry.isFile() && /\.log$/.test(entry.name)) found.push(full);
	}
	return found;
}
