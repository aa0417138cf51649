// The package tarball as it was at an earlier commit (a released version), built once from a clean
// export of that commit and kept in the runtime cache under the commit's full hash.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { cleanNpmEnv, runtimeCacheDir } from './local-registry.mjs';
import { repoRoot } from './n8n-env.mjs';

const log = (message) => console.log(`[commit-pack] ${message}`);

function fullCommit(commit) {
	return execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], { cwd: repoRoot, encoding: 'utf8' }).trim();
}

function cachedTarball(dir) {
	if (!fs.existsSync(path.join(dir, '.complete'))) return undefined;
	const name = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
	return name ? path.join(dir, name) : undefined;
}

/** `git archive | tar -x`, `npm ci`, `npm run build`, `npm pack`: the commit's own toolchain and lock. */
function buildCommit(sha, outDir) {
	const source = fs.mkdtempSync(path.join(path.dirname(outDir), '.source-'));
	try {
		execFileSync('bash', ['-c', `git -C "$1" archive "$2" | tar -x -C "$3"`, 'archive', repoRoot, sha, source], { stdio: 'inherit' });
		// A clean env: the commit's .npmrc decides install settings, not an outer `npm run`.
		const run = (args) => execFileSync('npm', args, { cwd: source, env: cleanNpmEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
		run(['ci', '--no-audit', '--no-fund', '--loglevel=error']);
		run(['run', 'build', '--silent']);
		fs.mkdirSync(outDir, { recursive: true });
		run(['pack', '--silent', '--pack-destination', outDir]);
	} finally {
		fs.rmSync(source, { recursive: true, force: true });
	}
}

/** Returns the path of the tarball built from `commit` (any name git understands), building it once. */
export function packCommit(commit, { cacheDir = path.join(runtimeCacheDir(), 'package-builds') } = {}) {
	const sha = fullCommit(commit);
	const dir = path.join(cacheDir, sha);
	const cached = cachedTarball(dir);
	if (cached) return cached;
	log(`building the package at ${sha.slice(0, 10)} (npm ci, build, pack; once)`);
	fs.mkdirSync(cacheDir, { recursive: true });
	const scratch = fs.mkdtempSync(path.join(cacheDir, `.${sha.slice(0, 10)}-`));
	try {
		const out = path.join(scratch, 'out');
		buildCommit(sha, out);
		fs.writeFileSync(path.join(out, '.complete'), new Date().toISOString());
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(out, dir);
	} catch (error) {
		// Another run may have put the same build in place meanwhile.
		if (!cachedTarball(dir)) throw error;
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
	return cachedTarball(dir);
}
