// A throw-away PKI for mutual TLS tests, made with the openssl command line: a lab CA, the lab's server
// certificate (127.0.0.1, localhost), a client certificate the lab accepts, the same client key encrypted
// with a passphrase, and a client certificate from a CA the lab does not trust.
// `node test/servers/pki.mjs [dir]` writes the files and prints the PEMs as JSON (for jest, which cannot
// import ESM); ESM code imports createTestPki().

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CLIENT_SUBJECT = 'CN=lab-mtls-client';
export const CLIENT_KEY_PASSPHRASE = 'lab-key-passphrase-7Qw';

function openssl(dir, args) {
	execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(dir, file) {
	openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

function selfSignedCa(dir, name, subject) {
	newKey(dir, `${name}.key`);
	openssl(dir, [
		'req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '3', '-subj', `/${subject}`,
		'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
	]);
}

/** A leaf certificate for `subject`, signed by the CA `ca`, with the extensions in `extensions`. */
function issue(dir, name, subject, ca, extensions) {
	newKey(dir, `${name}.key`);
	openssl(dir, ['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/${subject}`]);
	fs.writeFileSync(path.join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
	openssl(dir, [
		'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
		'-out', `${name}.pem`, '-days', '2', '-sha256', '-extfile', `${name}.ext`,
	]);
}

const read = (dir, file) => fs.readFileSync(path.join(dir, file), 'utf8');

/**
 * Writes the PKI into `dir` (a new temporary folder when omitted) and returns the PEMs:
 * `{ dir, ca, server: {cert, key}, client: {cert, key, encryptedKey, passphrase, subject}, rogue: {cert, key} }`.
 * `rogue` has the same subject as `client` but comes from a CA the lab does not trust.
 */
export function createTestPki(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-pki-'))) {
	fs.mkdirSync(dir, { recursive: true });
	selfSignedCa(dir, 'ca', 'CN=OAuth Lab Test CA');
	selfSignedCa(dir, 'rogue-ca', 'CN=Rogue Test CA');
	issue(dir, 'server', 'CN=127.0.0.1', 'ca', [
		'subjectAltName=IP:127.0.0.1,DNS:localhost',
		'extendedKeyUsage=serverAuth',
	]);
	issue(dir, 'client', CLIENT_SUBJECT, 'ca', ['extendedKeyUsage=clientAuth']);
	issue(dir, 'rogue', CLIENT_SUBJECT, 'rogue-ca', ['extendedKeyUsage=clientAuth']);
	openssl(dir, ['pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${CLIENT_KEY_PASSPHRASE}`, '-out', 'client-encrypted.key']);
	return {
		dir,
		ca: read(dir, 'ca.pem'),
		server: { cert: read(dir, 'server.pem'), key: read(dir, 'server.key') },
		client: {
			cert: read(dir, 'client.pem'),
			key: read(dir, 'client.key'),
			encryptedKey: read(dir, 'client-encrypted.key'),
			passphrase: CLIENT_KEY_PASSPHRASE,
			subject: CLIENT_SUBJECT,
		},
		rogue: { cert: read(dir, 'rogue.pem'), key: read(dir, 'rogue.key') },
	};
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.stdout.write(`${JSON.stringify(createTestPki(process.argv[2]))}\n`);
}
