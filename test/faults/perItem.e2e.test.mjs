// Per-item credentials in real n8n (finding 6 of issue 14): a credential whose audience, client id
// or token URL is an expression of the item, 20 items over two tenants, through this package's node
// and through n8n's own HTTP Request node (predefined credential type). The lab's tenant API
// (test/servers/tenants.mjs) refuses, and counts, every request that carries another tenant's token.
// Each workflow runs twice (a second execution reads what the first one stored), and the stored
// credential must still hold its expression afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CALL, httpRequestCall, ourCall, workflow } from '../n8n-harness/fixtures/workflows.mjs';
import { startHarness } from '../n8n-harness/harness.mjs';
import { nodeOutput, runError } from '../n8n-harness/n8n-cli.mjs';
import { runCase } from './rows.cjs';

const GROUP = 'security: per-item credentials (real n8n)';
const LINE = process.env.N8N_LINE ?? '2';
const ITEMS = 20;
const SECRET = 'tenant-S3cret:%+é';
const TENANT = '($json.ids % 2 === 0 ? "tenant-a" : "tenant-b")';
const TENANT_EXPR = `={{ ${TENANT} }}`;

const VARIANTS = {
	audience: { label: 'audience', fields: () => ({ audience: TENANT_EXPR }) },
	clientId: { label: 'client id', fields: () => ({ clientId: TENANT_EXPR }) },
	tokenUrl: { label: 'token URL', fields: (u) => ({ tokenUrl: `={{ "${u.tenantBaseUrl}/" + ${TENANT} + "/token" }}` }) },
	constant: { label: 'none (constant audience)', fields: () => ({ audience: 'tenant-a' }), constant: true },
};
const NODES = { ours: 'our node', http: "n8n's HTTP Request node" };

const credId = (node, variant) => `pi${node === 'ours' ? 'O' : 'H'}${variant}`.padEnd(16, '0').slice(0, 16);
const wfId = (node, variant) => `piWf${node === 'ours' ? 'O' : 'H'}${variant}`.padEnd(16, '0').slice(0, 16);
const ref = (node, variant) => ({ id: credId(node, variant), name: `Per item: ${VARIANTS[variant].label} (${node})`, type: 'clientCredentialsOAuth2Api' });

let h;

function credentials(u) {
	return Object.keys(NODES).flatMap((node) =>
		Object.keys(VARIANTS).map((variant) => ({
			...ref(node, variant),
			data: {
				tokenUrl: u.tenantTokenUrl,
				baseUrl: `${u.tenantBaseUrl}/api`,
				clientId: 'tenant-client',
				clientSecret: SECRET,
				clientAuthentication: 'header',
				requestFormat: 'form',
				scope: '',
				audience: '',
				accessToken: '',
				...VARIANTS[variant].fields(u),
			},
		})),
	);
}

function workflows(u) {
	const neverError = { response: { response: { neverError: true } } };
	return Object.keys(VARIANTS).flatMap((variant) => {
		const tenant = VARIANTS[variant].constant ? '"tenant-a"' : TENANT;
		const path = `"/" + ${tenant} + "/echo?item=" + $json.ids`;
		return [
			workflow(wfId('ours', variant), `per item: ${variant}, our node`, {
				items: ITEMS,
				call: ourCall(ref('ours', variant), { method: 'GET', url: `={{ ${path} }}`, options: neverError }),
			}),
			workflow(wfId('http', variant), `per item: ${variant}, HTTP Request`, {
				items: ITEMS,
				call: httpRequestCall(ref('http', variant), { url: `={{ "${u.tenantBaseUrl}/api" + ${path} }}`, options: neverError }),
			}),
		];
	});
}

async function tenants(name, body) {
	const response = await fetch(`${h.urls.tenantBaseUrl}/${name}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	assert.equal(response.status, 200, `tenants ${name}`);
	return await response.json();
}

/** One execution: what the tenant API saw, and the node's items (in order, with their tenant). */
async function runOnce(node, variant) {
	await h.reset();
	await tenants('reset', {});
	const result = await h.cli.execute(wfId(node, variant));
	assert.ok(result.run, `no run for ${wfId(node, variant)}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
	const error = runError(result.run);
	assert.equal(error, undefined, `the run failed: ${error?.message}`);
	const items = nodeOutput(result.run, CALL);
	return { s: await tenants('stats'), items };
}

function describeRun({ s }) {
	const wrong = Object.entries(s.wrongByTenant).map(([t, n]) => `${n} to ${t}`).join(', ') || 'none';
	return `${s.tokenRequests} token requests (${JSON.stringify(s.tokensByTenant)}), ${s.apiRequests} API requests, wrong tenant: ${wrong}, refused: ${s.refused}`;
}

before(async () => {
	h = await startHarness();
	await h.cli.importJson('credentials', credentials(h.urls));
	await h.importWorkflows(workflows(h.urls));
});

after(async () => {
	await h?.stop();
});

describe('per-item credentials in real n8n', () => {
	for (const node of Object.keys(NODES)) {
		for (const variant of Object.keys(VARIANTS)) {
			const { constant, label } = VARIANTS[variant];
			const name = `${NODES[node]}, ${ITEMS} items, credential field per item: ${label}`;
			const expected = constant
				? 'one token for every item, each sent to its tenant with that token; again on a second execution'
				: 'each item sent with its own tenant\'s token (0 wrong), 2 token requests, 2 tenants × 10 results in order; the same on a second execution; the stored credential keeps its expression';
			test(name, async () => await runCase({ group: GROUP, name, expected }, async () => {
				const first = await runOnce(node, variant);
				const second = await runOnce(node, variant);
				const stored = (await h.cli.exportCredentials(credId(node, variant))).data;
				for (const [which, run] of [['first', first], ['second', second]]) {
					assert.equal(run.s.wrongTenant, 0, `${which} execution: ${describeRun(run)}`);
					assert.equal(run.items.length, ITEMS, `${which} execution: ${run.items.length} items`);
					run.items.forEach((item, i) => {
						assert.equal(Number(item.json.item), i, `${which} execution, item ${i}: ${JSON.stringify(item.json)}`);
						assert.equal(item.json.tenant, constant || i % 2 === 0 ? 'tenant-a' : 'tenant-b');
					});
				}
				assert.equal(first.s.tokenRequests, constant ? 1 : 2, `first execution: ${describeRun(first)}`);
				// 2.x stores a token (one per credential: the last tenant's); 1.x is never handed one to store, as
				// it would write back the credential resolved for one item, so a new process fetches again.
				const secondAtMost = LINE === '1' ? (constant ? 1 : 2) : (constant ? 0 : 2);
				assert.ok(second.s.tokenRequests <= secondAtMost, `second execution: ${describeRun(second)}`);
				for (const [field, value] of Object.entries(VARIANTS[variant].fields(h.urls))) {
					assert.equal(stored[field], value, `the stored credential's ${field} after two executions`);
				}
				if (LINE === '1') assert.equal(stored.accessToken, '', 'n8n 1.x stored no token');
				else assert.ok(stored.accessToken, 'n8n 2.x stored a token');
				const kept = Object.keys(VARIANTS[variant].fields(h.urls)).join(', ');
				return `n8n ${LINE}.x; first: ${describeRun(first)}; second: ${describeRun(second)}; stored ${kept} as typed, stored token ${stored.accessToken ? 'present' : 'none'}`;
			}));
		}
	}
});
