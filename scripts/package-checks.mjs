// npm run test:package [-- --release] [-- --keep]
//
// Checks the package as npm would publish it. It builds nothing (run `npm run build` first) and
// publishes nothing:
//   1. package.json against what n8n asks of a community package (n8n-node's new/lint/release, the
//      community node standards and verification guidelines): name, keyword, n8n section, MIT
//      license, no runtime dependencies, files, README;
//   2. `npm pack`, once: the tarball's files, then every node and credential it lists, loaded from the
//      extracted tarball the way n8n loads them (class named after the file);
//   3. `npm publish --dry-run` of that tarball, in an environment that cannot publish: no inherited
//      npm settings or tokens, empty npm config files, a registry on a closed loopback port;
//   4. n8n's community package scanner (@n8n/scan-community-package, pinned) on the extracted tarball
//      and on the source, with the scanner's own ESLint config, files and options, as it scans a
//      published package (it downloads by name from npm, so its download step is not used);
//   5. release prerequisites (public GitHub repository, author email, CHANGELOG entry): reported as
//      pending, and fatal with --release, which the release workflow passes.
// Every check prints one line; the run fails on any failed check. --keep keeps the work folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCANNER = '@n8n/scan-community-package';
const SCANNER_VERSION = '0.32.0'; // the scan below mirrors this version's analyzePackage(); re-read it on a bump
const TARBALL_PATTERNS = ['**/*.js', 'package.json']; // the scanner's patterns for the downloaded tarball
const CLOSED_REGISTRY = 'http://127.0.0.1:9/'; // discard port: nothing listens, so nothing can be published

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const keep = process.argv.includes('--keep');
const started = Date.now();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-package-'));
const counts = { ok: 0, fail: 0, pending: 0, warn: 0 };

const log = (text) => console.log(`[package] ${text}`);
function report(status, what, detail = '') {
	counts[status]++;
	const label = { ok: 'ok     ', fail: 'FAIL   ', pending: release ? 'FAIL   ' : 'PENDING', warn: 'warn   ' }[status];
	if (status === 'pending' && release) counts.fail++;
	console.log(`[package] ${label} ${what}${detail ? ` — ${detail}` : ''}`);
}
const check = (passed, what, failure) => report(passed ? 'ok' : 'fail', what, passed ? '' : failure);
const section = (title) => console.log(`\n[package] == ${title}`);
const read = (file) => fs.readFileSync(file, 'utf8');

/** The environment for npm children: none of npm's exported settings (npm_config_ignore_scripts,
 * npm_config_dry_run, ... from `npm run`), and no variable naming a token (NODE_AUTH_TOKEN, NPM_TOKEN,
 * GitHub's ACTIONS_ID_TOKEN_REQUEST_* for OIDC). */
function cleanEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key) || /token/i.test(key)) continue;
		env[key] = value;
	}
	return env;
}
const emptyUserConfig = path.join(work, 'user.npmrc');
const emptyGlobalConfig = path.join(work, 'global.npmrc');
fs.writeFileSync(emptyUserConfig, '');
fs.writeFileSync(emptyGlobalConfig, '');
function npm(args, cwd) {
	const all = [...args, `--userconfig=${emptyUserConfig}`, `--globalconfig=${emptyGlobalConfig}`, '--ignore-scripts'];
	const result = spawnSync('npm', all, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 120_000 });
	return { ...result, command: `npm ${args.join(' ')}` };
}

const pkg = JSON.parse(read(path.join(root, 'package.json')));
const n8n = pkg.n8n ?? {};
const listed = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
const isStringArray = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string');

function checkPackageJson() {
	section(`package.json of ${pkg.name}@${pkg.version}${release ? ' (release mode)' : ''}`);
	const nameRule = /^(@[a-z0-9]+(-[a-z0-9]+)*\/)?n8n-nodes-[a-z0-9]+(-[a-z0-9]+)*$/;
	check(nameRule.test(pkg.name ?? ''), `name "${pkg.name}" is n8n-nodes-* or @scope/n8n-nodes-*`, 'n8n installs community packages only under such names (n8n-node validates the name the same way)');
	check(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version ?? ''), `version "${pkg.version}" is a semantic version`, 'npm and n8n need x.y.z (optionally -prerelease)');
	check(typeof pkg.description === 'string' && pkg.description.trim().length > 0, 'description is set', 'n8n\'s scanner requires a non-empty "description"');
	check(pkg.private !== true, 'not "private"', 'npm refuses to publish a private package');
	check(isStringArray(pkg.keywords) && pkg.keywords.includes('n8n-community-node-package'), 'keywords include "n8n-community-node-package"', 'n8n finds community packages on npm by this keyword');
	check(pkg.license === 'MIT', `license is MIT ("${pkg.license}")`, 'n8n verifies only MIT-licensed community nodes');
	const runtime = ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies'].filter((key) => {
		const value = pkg[key];
		return value !== undefined && (Array.isArray(value) ? value.length > 0 : Object.keys(value ?? {}).length > 0);
	});
	check(runtime.length === 0, 'no runtime dependencies', `${runtime.join(', ')} must be empty or absent: n8n's verification guidelines allow no run-time dependencies`);
	const peers = Object.entries(pkg.peerDependencies ?? {});
	const peersOk = pkg.peerDependencies?.['n8n-workflow'] === '*' && peers.every(([name]) => ['n8n-workflow', '@n8n/ai-node-sdk'].includes(name));
	check(peersOk, 'peerDependencies is "n8n-workflow": "*" (n8n provides it)', `got ${JSON.stringify(pkg.peerDependencies)}; n8n's scanner allows only "n8n-workflow": "*" (and @n8n/ai-node-sdk)`);
	const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'].filter((name) => pkg.scripts?.[name]);
	check(installScripts.length === 0, 'no install-time lifecycle scripts', `${installScripts.join(', ')} would run on every n8n instance that installs the package`);
	check(typeof n8n === 'object' && pkg.n8n !== undefined, 'has an "n8n" section', 'n8n reads the nodes and credentials to load from package.json "n8n"');
	check(n8n.n8nNodesApiVersion === 1, 'n8n.n8nNodesApiVersion is the number 1', `got ${JSON.stringify(n8n.n8nNodesApiVersion)}`);
	check(isStringArray(n8n.nodes) && n8n.nodes.length > 0 && n8n.nodes.every((file) => /^dist\/.+\.node\.js$/.test(file)), 'n8n.nodes lists dist/**/*.node.js files', `got ${JSON.stringify(n8n.nodes)}`);
	check(n8n.credentials === undefined || (isStringArray(n8n.credentials) && n8n.credentials.every((file) => /^dist\/.+\.credentials\.js$/.test(file))), 'n8n.credentials lists dist/**/*.credentials.js files', `got ${JSON.stringify(n8n.credentials)}`);
	check(typeof n8n.strict === 'boolean', `n8n.strict is a boolean (${n8n.strict})`, 'n8n-node lint reads it to decide whether eslint.config.mjs must be its unmodified template');
	check(isStringArray(pkg.files) && pkg.files.length > 0, '"files" limits what is published', 'without it npm publishes the whole folder');
	check(fs.existsSync(path.join(root, 'README.md')) && fs.existsSync(path.join(root, 'LICENSE')), 'README.md and LICENSE exist', 'n8n asks for a README in the npm package, and MIT needs its license text');
}

/** dist/ exists for every listed file and is not older than the sources it is built from. */
function checkBuilt() {
	section('build output (this script does not build: npm run build)');
	const missing = listed.filter((file) => !fs.existsSync(path.join(root, file)));
	check(missing.length === 0, 'every file in package.json "n8n" exists', `missing ${missing.join(', ')}: run npm run build`);
	if (missing.length) return false;
	const walk = (dir, filter) => fs.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && filter(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
	const sources = ['credentials', 'nodes'].flatMap((dir) => walk(path.join(root, dir), (name) => /\.(ts|svg|json)$/.test(name)));
	const built = walk(path.join(root, 'dist'), (name) => name.endsWith('.js'));
	const newest = sources.reduce((best, file) => (fs.statSync(file).mtimeMs > best.time ? { file, time: fs.statSync(file).mtimeMs } : best), { time: 0 });
	const oldest = Math.min(...built.map((file) => fs.statSync(file).mtimeMs));
	check(newest.time <= oldest, 'dist/ is newer than every source in credentials/ and nodes/', `${path.relative(root, newest.file ?? '')} changed after the last build: run npm run build`);
	return true;
}

function packTarball() {
	section('npm pack (once)');
	const result = npm(['pack', '--json', `--pack-destination=${work}`], root);
	if (result.status !== 0) {
		check(false, result.command, `exit ${result.status ?? result.signal}: ${(result.stderr || result.error?.message || '').trim()}`);
		return null;
	}
	const [packed] = JSON.parse(result.stdout);
	const tarball = path.join(work, packed.filename);
	check(fs.existsSync(tarball), `packed ${packed.filename} (${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} kB)`, 'npm pack reported a file that is not there');
	const extracted = path.join(work, 'package');
	fs.mkdirSync(extracted);
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1'], { encoding: 'utf8' });
	check(tar.status === 0, 'tarball extracts', tar.stderr);
	return { ...packed, tarball, extracted, paths: packed.files.map((file) => file.path) };
}

function checkTarballFiles(packed) {
	section('tarball contents');
	const shipped = new Set(packed.paths);
	const required = ['package.json', 'README.md', 'LICENSE', pkg.main ?? 'index.js', ...listed];
	const missing = required.filter((file) => !shipped.has(file));
	check(missing.length === 0, `ships package.json, README.md, LICENSE, ${pkg.main ?? 'index.js'} and every file in "n8n" (${listed.length})`, `missing from the tarball: ${missing.join(', ')}`);
	const forbidden = [
		[/\.map$/, 'source map'], [/\.tsbuildinfo$/, 'TypeScript build info'], [/(?<!\.d)\.ts$/, 'TypeScript source'],
		[/(^|\/)(test|tests|__tests__)\//, 'test file'], [/(^|\/)node_modules\//, 'node_modules'], [/(^|\/)\.env/, '.env file'],
		[/(^|\/)\.npmrc$/, '.npmrc'], [/\.tgz$/, 'tarball'], [/(^|\/)\.git\//, 'git data'],
	];
	const unwanted = packed.paths.flatMap((file) => forbidden.filter(([pattern]) => pattern.test(file)).map(([, kind]) => `${file} (${kind})`));
	check(unwanted.length === 0, 'ships no source maps, sources, tests, config or secrets', unwanted.join(', '));
	const unlisted = packed.paths.filter((file) => /\.(node|credentials)\.js$/.test(file) && !listed.includes(file));
	check(unlisted.length === 0, 'every shipped *.node.js and *.credentials.js is listed in "n8n"', `n8n would not load ${unlisted.join(', ')}`);
	const readme = fs.readFileSync(path.join(packed.extracted, 'README.md'), 'utf8');
	check(readme.length > 1000 && readme.includes(pkg.name) && /install/i.test(readme), 'README.md in the tarball names the package and how to install it', 'n8n asks for usage documentation in the npm package');
	const packedPkg = JSON.parse(read(path.join(packed.extracted, 'package.json')));
	check(packedPkg.name === pkg.name && packedPkg.version === pkg.version, `tarball's package.json is ${pkg.name}@${pkg.version}`, `got ${packedPkg.name}@${packedPkg.version}`);
}

/** Runs in a separate node in the extracted tarball: n8n's loader requires each listed file and takes
 * the export named after the file (X.node.js -> class X), then reads the instance's description. */
const LOADER = `
const path = require('path'), fs = require('fs');
const pkg = require('./package.json');
const out = { credentials: [], nodes: [], errors: [] };
const iconFiles = (icon, dir) => (typeof icon === 'string' ? [icon] : icon ? [icon.light, icon.dark] : [])
  .map((value) => String(value).replace(/^file:/, '')).map((file) => path.join(dir, file));
for (const kind of ['credentials', 'nodes']) for (const file of pkg.n8n[kind] || []) {
  const className = path.basename(file, kind === 'nodes' ? '.node.js' : '.credentials.js');
  try {
    const Class = require(path.resolve(file))[className];
    if (typeof Class !== 'function') { out.errors.push(file + ': exports no class ' + className + ' (n8n takes the class named after the file)'); continue; }
    const instance = new Class();
    const d = kind === 'nodes' ? instance.description : instance;
    const icon = d && d.icon;
    const missingIcons = iconFiles(icon, path.dirname(file)).filter((f) => !fs.existsSync(f));
    out[kind].push({ file, className, name: d && d.name, displayName: d && d.displayName, version: d && d.version,
      properties: Array.isArray(d && d.properties) ? d.properties.length : -1, icon: Boolean(icon), missingIcons,
      inputs: Boolean(d && d.inputs), outputs: Boolean(d && d.outputs), credentials: ((d && d.credentials) || []).map((c) => c.name),
      runs: kind === 'nodes' ? typeof instance.execute === 'function' || typeof instance.trigger === 'function' || typeof instance.webhook === 'function' || typeof instance.poll === 'function' || Boolean(d && d.requestDefaults) : true });
  } catch (error) { out.errors.push(file + ': ' + error.message); }
}
fs.writeFileSync(process.argv[1], JSON.stringify(out));
`;

function checkLoads(packed) {
	section('nodes and credentials load from the tarball as n8n loads them');
	const peer = path.join(root, 'node_modules', 'n8n-workflow');
	if (!fs.existsSync(peer)) return check(false, 'n8n-workflow (devDependency) is installed', 'run npm ci');
	fs.mkdirSync(path.join(packed.extracted, 'node_modules'));
	fs.symlinkSync(peer, path.join(packed.extracted, 'node_modules', 'n8n-workflow'), 'dir');
	const resultFile = path.join(work, 'loaded.json');
	const child = spawnSync(process.execPath, ['-e', LOADER, resultFile], { cwd: packed.extracted, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
	if (child.status !== 0 || !fs.existsSync(resultFile)) return check(false, 'loader ran', `exit ${child.status ?? child.signal}: ${child.stderr.trim()}`);
	const output = `${child.stdout}${child.stderr}`.trim();
	check(output === '', 'loading prints nothing', `the shipped code printed while n8n loads it: ${output.slice(0, 300)}`);
	const loaded = JSON.parse(read(resultFile));
	for (const error of loaded.errors) check(false, 'load', error);
	const credentialNames = new Set(loaded.credentials.map((c) => c.name));
	check(credentialNames.size === loaded.credentials.length, `credential type names are unique (${[...credentialNames].join(', ')})`, 'two credentials share a name');
	for (const item of [...loaded.credentials, ...loaded.nodes]) {
		const problems = [];
		if (typeof item.name !== 'string' || !item.name) problems.push('no name');
		if (typeof item.displayName !== 'string' || !item.displayName) problems.push('no displayName');
		if (item.properties < 0) problems.push('no properties array');
		if (!item.icon) problems.push('no icon');
		if (item.missingIcons.length) problems.push(`icon files missing: ${item.missingIcons.join(', ')}`);
		if (item.file.endsWith('.node.js')) {
			const versions = [item.version].flat();
			if (!versions.length || !versions.every((v) => typeof v === 'number')) problems.push(`version ${JSON.stringify(item.version)} is not a number or list of numbers`);
			if (!item.inputs || !item.outputs) problems.push('no inputs/outputs');
			if (!item.runs) problems.push('neither execute, trigger, webhook, poll nor requestDefaults');
			const unknown = item.credentials.filter((name) => !credentialNames.has(name));
			if (unknown.length) problems.push(`uses credentials this package does not ship: ${unknown.join(', ')}`);
		}
		check(problems.length === 0, `${item.file}: class ${item.className}, "${item.name}" (${item.properties} properties)`, problems.join('; '));
	}
	check(loaded.nodes.length === (n8n.nodes ?? []).length && loaded.credentials.length === (n8n.credentials ?? []).length,
		`loaded ${loaded.nodes.length} node(s) and ${loaded.credentials.length} credential(s) of ${listed.length} listed`, 'some listed files did not load');
}

function checkDryRun(packed) {
	section('npm publish --dry-run of that tarball (cannot publish)');
	const env = cleanEnv();
	const leaked = Object.keys(env).filter((key) => /^npm_|token/i.test(key));
	check(leaked.length === 0, 'dry run gets no npm settings and no tokens from this environment', `still set: ${leaked.join(', ')}`);
	const result = npm(['publish', packed.tarball, '--dry-run', '--json', '--access=public', `--registry=${CLOSED_REGISTRY}`, '--fetch-retries=0'], work);
	const notice = `Publishing to ${CLOSED_REGISTRY} with tag latest and public access (dry-run)`;
	check(result.status === 0, `${result.command.replace(packed.tarball, path.basename(packed.tarball))} exits 0`, `exit ${result.status ?? result.signal}: ${(result.stderr || result.error?.message || '').trim()}`);
	check(result.stderr.includes(notice), `npm says: "${notice}"`, `npm did not report a dry run: ${result.stderr.trim()}`);
	let published = null;
	try {
		const parsed = JSON.parse(result.stdout);
		published = parsed[pkg.name] ?? parsed;
	} catch (error) {
		return check(false, 'dry run printed its JSON report', error.message);
	}
	check(published.shasum === packed.shasum && published.files.length === packed.files.length,
		`it would publish the packed tarball (sha1 ${packed.shasum.slice(0, 12)}…, ${packed.files.length} files)`,
		`got ${published.shasum} with ${published.files?.length} files`);
}

function authorEmail(author) {
	if (typeof author === 'string') return /<([^>]+)>/.exec(author)?.[1]?.trim() ?? '';
	return typeof author?.email === 'string' ? author.email.trim() : '';
}

async function checkScanner(packed) {
	section(`n8n's community package scanner (${SCANNER}) on the tarball and on the source`);
	const scannerDir = path.join(root, 'node_modules', ...SCANNER.split('/'));
	const installed = fs.existsSync(path.join(scannerDir, 'package.json')) ? JSON.parse(read(path.join(scannerDir, 'package.json'))).version : null;
	check(installed === SCANNER_VERSION && pkg.devDependencies?.[SCANNER] === SCANNER_VERSION,
		`${SCANNER}@${SCANNER_VERSION} is installed and pinned`, `installed ${installed}, package.json asks ${pkg.devDependencies?.[SCANNER]}: run npm ci; after a version bump re-read its scanner.mjs and update SCANNER_VERSION`);
	if (installed !== SCANNER_VERSION) return;
	// scanner.mjs makes a temporary folder when imported: make it inside this run's work folder.
	process.env.TMPDIR = work;
	const scannerFile = path.join(scannerDir, 'scanner', 'scanner.mjs');
	const scanner = await import(pathToFileURL(scannerFile).href);
	const fromScanner = createRequire(scannerFile);
	const { ESLint } = fromScanner('eslint');
	const glob = fromScanner('fast-glob');

	// What analyzePackage() does, keeping ESLint's results instead of its formatted text.
	async function scan(dir, patterns) {
		const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
		const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
		const results = files.length ? await eslint.lintFiles(files) : [];
		return { files: files.map((file) => path.relative(dir, file)), results };
	}

	// Canary: a package with known faults must fail the real analyzePackage() and show the rules in
	// the mirrored scan, so a scan that silently checks nothing cannot pass.
	const canary = path.join(work, 'canary');
	fs.mkdirSync(path.join(canary, 'dist', 'nodes'), { recursive: true });
	fs.writeFileSync(path.join(canary, 'package.json'), JSON.stringify({ name: 'n8n-nodes-canary', version: '0.0.1', description: 'canary', license: 'MIT', keywords: ['n8n-community-node-package'], n8n: { n8nNodesApiVersion: 1, nodes: ['dist/nodes/Canary.node.js'] }, peerDependencies: { 'n8n-workflow': '*' } }, null, 2));
	fs.writeFileSync(path.join(canary, 'dist', 'nodes', 'Canary.node.js'), "'use strict';\nconsole.log('canary');\n");
	const real = await scanner.analyzePackage(canary, TARBALL_PATTERNS);
	const canaryRules = new Set((await scan(canary, TARBALL_PATTERNS)).results.flatMap((r) => r.messages.map((m) => m.ruleId)));
	check(real.passed === false && canaryRules.has('@n8n/community-nodes/valid-author') && canaryRules.has('no-console'),
		'canary: a package without author and with console.log fails the scanner (rules are live)', `analyzePackage passed=${real.passed}, rules seen: ${[...canaryRules].join(', ')}`);

	const email = authorEmail(pkg.author);
	const legs = [
		{ label: 'tarball', dir: packed.extracted, patterns: TARBALL_PATTERNS, expect: ['package.json', ...listed] },
		{ label: 'source', dir: root, patterns: scanner.SOURCE_FILE_PATTERNS, expect: ['package.json'] },
	];
	for (const leg of legs) {
		const { files, results } = await scan(leg.dir, leg.patterns);
		const absent = leg.expect.filter((file) => !files.includes(file));
		const noSources = leg.label === 'source' && !['nodes/', 'credentials/'].every((dir) => files.some((file) => file.startsWith(dir)));
		check(results.length === files.length && absent.length === 0 && !noSources, `${leg.label}: scanned ${files.length} files (${leg.patterns.join(', ')})`,
			`not scanned: ${absent.join(', ') || 'nodes/ or credentials/ sources'}; linted ${results.length} of ${files.length}`);
		const errors = [];
		const pendingEmail = [];
		for (const result of results) {
			const file = path.relative(leg.dir, result.filePath);
			for (const m of result.messages) {
				const line = `${file}:${m.line ?? 0} ${m.ruleId ?? 'parse error'}: ${m.message}`;
				if (m.ruleId === '@n8n/community-nodes/valid-author' && m.messageId === 'authorEmailMissing' && file === 'package.json' && !email) pendingEmail.push(line);
				else if (m.severity === 2 || m.fatal) errors.push(line);
				else report('warn', `${leg.label}: ${line}`, "a warning: n8n's scanner passes with warnings");
			}
		}
		check(errors.length === 0, `${leg.label}: no scanner errors`, `\n    ${errors.join('\n    ')}`);
		if (pendingEmail.length) log(`        ${leg.label}: ${pendingEmail.join('; ')} (see the author email prerequisite below)`);
	}

	// The scanner lints the source at the commit npm's provenance names, finding the folder whose
	// package.json declares the package name: exactly one may declare it, at the top.
	const git = spawnSync('git', ['ls-files', '-z', '--', '*package.json'], { cwd: root, encoding: 'utf8' });
	const manifests = git.status === 0 ? git.stdout.split('\0').filter(Boolean) : glob.sync('**/package.json', { cwd: root, ignore: ['**/node_modules/**'] });
	const declaring = manifests.filter((file) => {
		try { return JSON.parse(read(path.join(root, file))).name === pkg.name; } catch { return false; }
	});
	check(declaring.length === 1 && declaring[0] === 'package.json', `source: only the top package.json declares "${pkg.name}" (${git.status === 0 ? 'git-tracked files' : 'working tree, git unavailable'})`,
		`declared by ${declaring.join(', ')}: the scanner could lint the wrong folder`);
}

function checkReleasePrerequisites() {
	section(`release prerequisites (${release ? 'fatal: --release' : 'pending; fatal with --release, as the release workflow runs this'})`);
	const repoUrl = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	const match = /^(?:git\+)?https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(repoUrl ?? '');
	const expected = process.env.GITHUB_REPOSITORY;
	if (!repoUrl) {
		report('pending', 'package.json "repository" is the public GitHub repository the release is built in',
			'absent. npm provenance requires it (docs.npmjs.com/generating-provenance-statements), and n8n\'s scanner lints the source at the commit the provenance names: add "repository": {"type": "git", "url": "git+https://github.com/OWNER/REPO.git"} once that repository exists');
	} else if (!match) {
		report('fail', 'package.json "repository" is a GitHub https URL', `got ${repoUrl}: npm provenance and n8n's source check need github.com`);
	} else if (expected && `${match[1]}/${match[2]}` !== expected) {
		report('fail', `package.json "repository" matches this workflow's repository ${expected}`, `got ${match[1]}/${match[2]}: npm rejects provenance from another repository`);
	} else {
		report('ok', `package.json "repository" is github.com/${match[1]}/${match[2]}${expected ? ' (this workflow\'s repository)' : ''}`);
	}
	const email = authorEmail(pkg.author);
	if (email) report('ok', `author email is set (${email})`);
	else report('pending', 'package.json "author" has an email', 'n8n\'s scanner (rule @n8n/community-nodes/valid-author) requires a real contact address of the maintainer who publishes; none exists yet');
	const changelog = fs.existsSync(path.join(root, 'CHANGELOG.md')) ? read(path.join(root, 'CHANGELOG.md')) : '';
	const heading = `## [${pkg.version}]`;
	if (changelog.split('\n').some((line) => line.startsWith(heading))) report('ok', `CHANGELOG.md has "${heading}"`);
	else report('pending', `CHANGELOG.md has a "${heading}" section`, 'a release documents its changes');
}

/** A section that throws fails as one check; the sections after it still run. */
async function guard(name, run) {
	try {
		return await run();
	} catch (error) {
		report('fail', `${name} ran to the end`, error.stack ?? String(error));
		return null;
	}
}

try {
	await guard('package.json checks', checkPackageJson);
	if (await guard('build output checks', checkBuilt)) {
		const packed = await guard('npm pack', packTarball);
		if (packed) {
			await guard('tarball checks', () => checkTarballFiles(packed));
			await guard('load checks', () => checkLoads(packed));
			await guard('dry run', () => checkDryRun(packed));
			await guard('scanner', () => checkScanner(packed));
		} else {
			log('stopped: the tarball, load, dry-run and scanner checks need the packed tarball');
		}
	} else {
		log('stopped: the pack, tarball, load, dry-run and scanner checks need a built dist/ (npm run build)');
	}
	await guard('release prerequisites', checkReleasePrerequisites);
} finally {
	if (keep) log(`work folder kept: ${work}`);
	else fs.rmSync(work, { recursive: true, force: true });
}

section('not checked here');
for (const line of [
	'provenance: exists only once the release workflow has published from GitHub Actions; n8n\'s scanner checks it then (npx @n8n/scan-community-package n8n-nodes-oauth2-grants)',
	'that the GitHub repository is public and its tagged commit holds this source (the scanner downloads it)',
	'English-only text and n8n\'s UX guidelines: a person reviews them',
	`n8n Cloud strict mode: n8n.strict is ${n8n.strict}; lint uses n8n's rules without the Cloud-only ones, the scanner above runs them all`,
]) log(`        ${line}`);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log('');
if (counts.pending && !release) log(`${counts.pending} release prerequisite(s) pending: npm run test:package -- --release fails until they are met`);
log(`${counts.warn} warning(s); finished in ${seconds} s`);
console.log(`package-checks: ${counts.ok} passed, ${counts.fail} failed`);
process.exitCode = counts.fail > 0 ? 1 : 0;
