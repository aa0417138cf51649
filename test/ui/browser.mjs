// Debian's Chromium driven by playwright-core: no browser download. The flags keep it off the
// network (this machine has none but the loopback) and working as root in a container.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const FLAGS = [
	'--no-sandbox',
	'--headless',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** A fresh profile each time; `close()` removes it. */
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth2-grants-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: FLAGS,
		viewport,
		deviceScaleFactor: 1,
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(60_000);
	// A "leave the page?" prompt must not block navigation between checks.
	page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
	return {
		context,
		page,
		async close() {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}
