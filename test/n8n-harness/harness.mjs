// One n8n user folder with the packed package installed, the lab servers, and the credentials
// imported: what every e2e test starts from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startLab } from '../servers/oauth-lab.mjs';
import { credentialFixtures } from './fixtures/credentials.mjs';
import { N8nCli } from './n8n-cli.mjs';
import { ensureN8n } from './n8n-env.mjs';
import { buildAndPack, installIntoUserFolder } from './package-install.mjs';

const log = (message) => console.log(`[e2e] ${message}`);

/** `lab`: options for startLab (e.g. `pkiDir`, `oidcClients` for the enterprise client authentications). */
export async function startHarness({ skipBuild = process.env.E2E_SKIP_BUILD === '1', lab: labOptions = {} } = {}) {
	const started = Date.now();
	const env = ensureN8n();
	log(`n8n line ${env.line}: ${env.n8nBin}`);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-e2e-'));
	const userFolder = path.join(work, 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	log('building and packing the package');
	const tarball = buildAndPack(path.join(work, 'pack'), { skipBuild });
	log(`installing ${path.basename(tarball)} into ${userFolder}/.n8n/nodes`);
	installIntoUserFolder(userFolder, tarball);

	const lab = await startLab(labOptions);
	log(`lab servers at ${lab.urls.baseUrl}`);
	const cli = new N8nCli({ nodeBin: env.nodeBin, n8nBin: env.n8nBin, userFolder });
	await cli.importJson('credentials', credentialFixtures(lab.urls));
	log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

	const control = async (pathname, body) => {
		const response = await fetch(`${lab.urls.baseUrl}/__lab/${pathname}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return response.json();
	};

	return {
		env,
		work,
		userFolder,
		lab,
		urls: lab.urls,
		cli,
		stats: () => control('stats'),
		reset: () => control('reset', {}),
		revokeAll: () => control('revoke-all', {}),
		configure: (config) => control('config', config),
		issuedTokens: () => control('issued-tokens'),
		/** POSTs to one of the lab's control endpoints (token faults, revocations...); fails on a refusal. */
		async labControl(name, body) {
			const response = await fetch(`${lab.urls.controlUrl}/${name}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body ?? {}),
			});
			const text = await response.text();
			if (response.status !== 200) throw new Error(`lab ${name}: ${response.status} ${text}`);
			return JSON.parse(text);
		},
		async importWorkflows(workflows) {
			await cli.importJson('workflow', workflows);
		},
		async stop() {
			await lab.close();
			if (process.env.E2E_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
		},
	};
}
