// npm run demo — the package's main job on an embedded default: a local OAuth2 server and API,
// n8n with the package installed, a demo credential and workflow; runs it once, then leaves n8n
// running on http://localhost:5678 until Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startLab } from '../test/servers/oauth-lab.mjs';
import { CRED, credentialFixtures } from '../test/n8n-harness/fixtures/credentials.mjs';
import { CALL, ourCall, workflow } from '../test/n8n-harness/fixtures/workflows.mjs';
import { N8nCli, nodeOutput } from '../test/n8n-harness/n8n-cli.mjs';
import { ensureN8n } from '../test/n8n-harness/n8n-env.mjs';
import { buildAndPack, installIntoUserFolder } from '../test/n8n-harness/package-install.mjs';

const say = (m) => console.log(`[demo] ${m}`);
const port = Number(process.env.N8N_PORT || 5678);

say('step 1/5: Node.js 24 and n8n (installed once into a cache; the first time takes about 5 minutes)');
const env = ensureN8n(process.env.N8N_LINE || '2');
const userFolder = path.join(process.env.OAUTH2_GRANTS_CACHE || path.join(os.homedir(), '.cache/n8n-nodes-oauth2-grants'), 'demo-user');
fs.rmSync(userFolder, { recursive: true, force: true });
fs.mkdirSync(userFolder, { recursive: true });

say('step 2/5: building, packing and installing the package into n8n');
installIntoUserFolder(userFolder, buildAndPack(path.join(userFolder, 'pack')));

say('step 3/5: starting the local OAuth2 authorization server and protected API');
const lab = await startLab({ port: Number(process.env.LAB_PORT || 5681) });
say(`  token URL ${lab.urls.oidcTokenUrl}, API ${lab.urls.apiUrl}`);

say('step 4/5: importing the demo credential and workflow, running the workflow once');
const cli = new N8nCli({ ...env, userFolder, extraEnv: { N8N_PORT: String(port) } });
await cli.importJson('credentials', credentialFixtures(lab.urls).filter((c) => c.id !== CRED.wrongSecret.id));
const demo = workflow('demoOAuth2Grants1', 'OAuth2 Grants demo', {
	items: 3,
	call: ourCall(CRED.clientCredentials, { method: 'GET', url: '=/echo?item={{ $json.ids }}' }),
});
await cli.importJson('workflow', [demo]);
const { run } = await cli.execute(demo.id);
const items = nodeOutput(run, CALL).map((i) => i.json);
console.log(JSON.stringify(items, null, 2));
say(`workflow status: ${run?.status ?? 'unknown'}; ${items.length} items from the protected API`);

say(`step 5/5: starting n8n on http://localhost:${port} (Ctrl-C to stop)`);
const n8n = spawn(path.join(env.nodeBin, 'node'), [env.n8nBin, 'start'], { env: await cli.processEnv(), stdio: 'inherit' });
const stop = async () => {
	n8n.kill('SIGTERM');
	await lab.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
