// Basic credentials that just work, in real n8n (issue 15, item 1): credentials that hold only a token
// URL, a client id and a secret with %, +, : and / (every other field at its default, as the editor
// saves them) get tokens from the three kinds of lab server: RFC-encoded Basic only (oidc-provider),
// raw only answering 401 invalid_client (@node-oauth/oauth2-server) and raw only answering 403 with an
// empty body (test/servers/raw-basic.mjs, WSO2-like). Through this package's node and n8n's HTTP
// Request node, counting the token requests at each server: a first execution costs 1 (RFC) or 2
// (raw: the RFC form refused once); a second execution, with the stored token emptied so a new one is
// needed, costs 1 everywhere on n8n 2.x (the form is stored with the token). n8n 1.x is never handed a
// token to store, so there each new process pays the one refused request again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CALL, httpRequestCall, ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';
import { runCase } from './rows.cjs';

const GROUP = 'wild: basic auto (real n8n)';
const LINE = process.env.N8N_LINE ?? '2';
const SECRET = 'p%s+w:rd/x';
const SERVERS = {
	oidc: { label: 'RFC-encoded only (oidc-provider)', url: (u) => u.oidcTokenUrl, clientId: 'cc-special-ascii', first: 1 },
	oauth2: { label: 'raw only, 401 invalid_client (oauth2-server)', url: (u) => u.oauth2TokenUrl, clientId: 'raw-special-ascii', first: 2 },
	wso2: { label: 'raw only, 403 with an empty body (WSO2-like)', url: (u) => u.rawBasicTokenUrl, clientId: 'wso2-client', first: 2 },
};
const NODES = { ours: 'our node', http: "n8n's HTTP Request node" };

const credId = (node, server) => `ba${node === 'ours' ? 'O' : 'H'}${server}`.padEnd(16, '0').slice(0, 16);
const wfId = (node, server) => `baWf${node === 'ours' ? 'O' : 'H'}${server}`.padEnd(16, '0').slice(0, 16);
const ref = (node, server) => ({ id: credId(node, server), name: `Basic auto: ${SERVERS[server].label} (${node})`, type: 'clientCredentialsOAuth2Api' });

let h;

/** Only what a user types: every other field is absent, as n8n stores a field left at its default. */
const dataFor = (u, server) => ({ tokenUrl: SERVERS[server].url(u), clientId: SERVERS[server].clientId, clientSecret: SECRET });

function credentials(u) {
	return Object.keys(NODES).flatMap((node) => Object.keys(SERVERS).map((server) => ({ ...ref(node, server), data: dataFor(u, server) })));
}

function workflows(u) {
	return Object.keys(NODES).flatMap((node) =>
		Object.keys(SERVERS).map((server) =>
			workflow(wfId(node, server), `basic auto: ${server}, ${node}`, {
				call: node === 'ours'
					? ourCall(ref(node, server), { method: 'GET', url: `${u.apiUrl}/echo` })
					: httpRequestCall(ref(node, server), { url: `${u.apiUrl}/echo` }),
			}),
		),
	);
}

async function runOnce(node, server) {
	await h.reset();
	const result = await h.cli.execute(wfId(node, server));
	assert.ok(result.run, `no run for ${wfId(node, server)}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
	const error = runError(result.run);
	assert.equal(error, undefined, `the run failed: ${error?.message}`);
	const items = nodeOutput(result.run, CALL);
	const s = await h.stats();
	const log = s.tokenLog.filter((entry) => entry.endpoint === server).map((entry) => `${entry.basicForm ?? entry.authMethod} ${entry.status}`);
	return { items, requests: s.tokenRequests.byEndpoint[server] ?? 0, log };
}

before(async () => {
	h = await startHarness();
	await h.cli.importJson('credentials', credentials(h.urls));
	await h.importWorkflows(workflows(h.urls));
});

after(async () => {
	await h?.stop();
});

describe('automatic Basic client authentication in real n8n', () => {
	for (const node of Object.keys(NODES)) {
		for (const server of Object.keys(SERVERS)) {
			const { label, first: firstCost } = SERVERS[server];
			const name = `${NODES[node]}, defaults but URL/id/secret, ${label}`;
			const expected = `first execution ${firstCost} token request(s) and a result; second one, the stored token emptied: ${LINE === '1' ? `${firstCost} (1.x stores nothing)` : '1 (the stored form)'}`;
			test(name, async () => await runCase({ group: GROUP, name, expected }, async () => {
				const first = await runOnce(node, server);
				assert.equal(first.items.length, 1, 'one result');
				assert.equal(first.requests, firstCost, `first execution: ${first.requests} token requests (${first.log.join(', ')})`);
				const stored = (await h.cli.exportCredentials(credId(node, server))).data;
				if (LINE !== '1') {
					assert.ok(stored.accessToken, 'n8n 2.x stored a token');
					assert.equal(stored.basicCredentialsForm, firstCost === 1 ? 'encoded' : 'raw', 'the stored form');
					// A token that is gone (as after expiry) must be fetched again, in the stored form.
					await h.cli.importJson('credentials', [{ ...ref(node, server), data: { ...stored, accessToken: '' } }]);
				}
				const second = await runOnce(node, server);
				assert.equal(second.items.length, 1, 'one result');
				assert.equal(second.requests, LINE === '1' ? firstCost : 1, `second execution: ${second.requests} token requests (${second.log.join(', ')})`);
				return `n8n ${LINE}.x; first ${first.requests} (${first.log.join(', ')}), stored form ${stored.basicCredentialsForm || 'none'}, second ${second.requests} (${second.log.join(', ')})`;
			}));
		}
	}
});
