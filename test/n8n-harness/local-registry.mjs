// A private npm registry (Verdaccio) on loopback, with no uplink: what n8n's Community Nodes panel
// installs from in tests, so an install, upgrade or uninstall never touches the public registry.
//
// Verdaccio lives in the runtime cache beside n8n, not in the repo's devDependencies: it wants
// Node.js 22+ (the repo's own toolchain is Node.js 20) and would add ~240 packages to the lock file
// for one test. It runs under the cached Node.js 24.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './n8n-cli.mjs';

/**
 * fetch, once more on a socket the registry closed: fetch keeps the sign-up's connection alive while
 * npm publishes from another process, and Verdaccio closes idle connections after 5 s, so the next
 * request can meet a socket closing under it (seen on a slow fresh machine: "other side closed").
 */
async function fetchFresh(target, init) {
	try {
		return await fetch(target, init);
	} catch (error) {
		if (error?.cause?.code !== 'UND_ERR_SOCKET') throw error;
		return await fetch(target, init);
	}
}

export const VERDACCIO_VERSION = '6.10.4';

/** Where ensure.sh keeps Node.js 24 and n8n; overridable the same way. */
export function runtimeCacheDir() {
	return process.env.OAUTH2_GRANTS_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-oauth2-grants');
}

/**
 * The environment for npm commands this file runs: without the `npm_config_*` variables an outer
 * `npm run` exports (ignore-scripts, a registry, a userconfig...), so a command only does what its
 * own flags say.
 */
export function cleanNpmEnv(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
	return { ...env, ...extra };
}

const log = (message) => console.log(`[registry] ${message}`);

/**
 * Installs Verdaccio into the cache once and returns its entry script. Installed into a scratch
 * folder and renamed into place, so a run killed halfway leaves nothing that looks complete.
 */
export function ensureVerdaccio({ cacheDir = runtimeCacheDir() } = {}) {
	const dir = path.join(cacheDir, `verdaccio-${VERDACCIO_VERSION}`);
	const entry = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (fs.existsSync(path.join(dir, '.complete')) && fs.existsSync(entry)) return entry;
	log(`installing verdaccio@${VERDACCIO_VERSION} into ${dir}`);
	fs.mkdirSync(cacheDir, { recursive: true });
	const scratch = fs.mkdtempSync(path.join(cacheDir, '.verdaccio-install-'));
	try {
		fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'verdaccio-cache', private: true }));
		// Verdaccio needs no install scripts; its engines field (Node 22+) only warns under npm's Node.
		execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `verdaccio@${VERDACCIO_VERSION}`], {
			cwd: scratch,
			env: cleanNpmEnv(),
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		fs.writeFileSync(path.join(scratch, '.complete'), new Date().toISOString());
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(scratch, dir);
	} catch (error) {
		fs.rmSync(scratch, { recursive: true, force: true });
		// Another run may have finished the same install meanwhile.
		if (!fs.existsSync(path.join(dir, '.complete'))) throw error;
	}
	return entry;
}

function writeConfig(workDir) {
	const config = [
		`storage: ${JSON.stringify(path.join(workDir, 'storage'))}`,
		'auth:',
		'  htpasswd:',
		`    file: ${JSON.stringify(path.join(workDir, 'htpasswd'))}`,
		// No uplinks and no `proxy:` below: a package that was not published here does not exist.
		'uplinks: {}',
		'packages:',
		"  '**':",
		'    access: $all',
		'    publish: $authenticated',
		'    unpublish: $authenticated',
		'web:',
		'  enable: false',
		'log: { type: stdout, format: json, level: warn }',
		'',
	].join('\n');
	const file = path.join(workDir, 'config.yaml');
	fs.writeFileSync(file, config);
	return file;
}

async function waitUntilUp(url, child, logFile) {
	for (let attempt = 0; attempt < 240; attempt++) {
		if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}); see ${logFile}`);
		try {
			if ((await fetch(`${url}/-/ping`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`verdaccio did not answer on ${url}; see ${logFile}`);
}

/** Creates a user through the registry's own `npm adduser` endpoint and returns its token. */
async function addUser(url, name, password) {
	const response = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name, password }),
	});
	const body = await response.json().catch(() => ({}));
	if (!response.ok || !body.token) throw new Error(`adding registry user failed: ${response.status} ${JSON.stringify(body)}`);
	return body.token;
}

function stopChild(child) {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	return exited.finally(() => clearTimeout(timer));
}

/**
 * Starts Verdaccio on a free loopback port with its storage, users and config in `workDir` (made
 * if missing; removed by stop() unless `keep`). `nodeBin`: a folder holding Node.js 22+.
 * Resolves to `{ url, publish(tarball), stop(), log() }`.
 */
export async function startLocalRegistry({ nodeBin, workDir, keep = false }) {
	const entry = ensureVerdaccio();
	fs.mkdirSync(workDir, { recursive: true });
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const logFile = path.join(workDir, 'verdaccio.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(path.join(nodeBin, 'node'), [entry, '--config', writeConfig(workDir), '--listen', `127.0.0.1:${port}`], {
		env: cleanNpmEnv(),
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	try {
		await waitUntilUp(url, child, logFile);
	} catch (error) {
		await stopChild(child);
		throw error;
	}

	const token = await addUser(url, 'e2e-publisher', 'e2e-publisher-Passw0rd');
	const userconfig = path.join(workDir, 'publisher.npmrc');
	fs.writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);

	return {
		url,
		logFile,
		log: () => fs.readFileSync(logFile, 'utf8'),
		/** `npm publish <tarball>` as the registry's user; publish versions in ascending order. */
		publish(tarball) {
			execFileSync('npm', ['publish', tarball, `--registry=${url}/`, `--userconfig=${userconfig}`, '--ignore-scripts', '--loglevel=error'], {
				env: cleanNpmEnv(),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
		},
		/** The registry's metadata document of one package (its versions and dist-tags). */
		async packument(name) {
			const response = await fetchFresh(`${url}/${encodeURIComponent(name)}`);
			return response.ok ? await response.json() : undefined;
		},
		async stop() {
			await stopChild(child);
			if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
		},
	};
}
