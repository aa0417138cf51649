// Test-side handle on pki.mjs: jest runs our TypeScript as CommonJS and cannot import the ESM module, so
// the PKI is made by running it as a program, which prints the PEMs as JSON.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestPki {
	/** The folder with the files; give it to the lab as LAB_PKI_DIR. */
	dir: string;
	/** The lab CA's certificate. */
	ca: string;
	server: { cert: string; key: string };
	/** A client certificate of the lab CA; `encryptedKey` is `key` encrypted with `passphrase`. */
	client: { cert: string; key: string; encryptedKey: string; passphrase: string; subject: string };
	/** Same subject as `client`, issued by a CA the lab does not trust. */
	rogue: { cert: string; key: string };
}

export function createTestPki(): TestPki {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-pki-'));
	const output = execFileSync(process.execPath, [path.join(__dirname, 'pki.mjs'), dir], { encoding: 'utf8' });
	return JSON.parse(output) as TestPki;
}

export function removeTestPki(pki: TestPki | undefined): void {
	if (pki?.dir) fs.rmSync(pki.dir, { recursive: true, force: true });
}
