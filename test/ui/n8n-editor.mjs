// What the UI test does in n8n's editor, in the words of the editor's own test ids (data-test-id),
// so the test reads as the steps a user takes. Checked against n8n 2.41.1.
import fs from 'node:fs';
import path from 'node:path';

export const TEST_SUCCESS = 'Connection tested successfully';
export const TEST_FAILURE = /Couldn.t connect with these settings/;

/** Polls `check` until it returns a truthy value; the machine is slow and shared, so be patient. */
export async function pollUntil(check, { timeoutMs = 60_000, what = 'a condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			last = await check();
			if (last) return last;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last?.message ?? JSON.stringify(last)})`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Signs in through the editor's sign-in page, as a user does. */
export async function signIn(page, baseUrl, { email, password }) {
	await page.goto(`${baseUrl}/signin`);
	const emailInput = page.locator('input[name=emailOrLdapLoginId], input[name=email]').first();
	await emailInput.waitFor({ timeout: 120_000 });
	await emailInput.fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('[data-test-id=form-submit-button]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 120_000 });
}

/** n8n's REST API from inside the signed-in page (its cookie is bound to the page's browser id). */
export async function rest(page, method, pathname, body) {
	return await page.evaluate(
		async ({ method, pathname, body }) => {
			const response = await fetch(`/rest${pathname}`, {
				method,
				headers: { 'content-type': 'application/json', 'browser-id': localStorage.getItem('n8n-browserId') ?? '' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			let json;
			try {
				json = JSON.parse(text);
			} catch {
				json = undefined;
			}
			return { status: response.status, json, text: text.slice(0, 2000) };
		},
		{ method, pathname, body },
	);
}

// ---- "Add credential" ----

export async function openCredentialTypePicker(page, baseUrl) {
	await page.goto(`${baseUrl}/home/credentials/create`);
	const search = page.locator('[data-test-id=new-credential-type-select] input');
	await search.waitFor();
	return search;
}

/** The credential types "Add credential" offers for a search text. */
export async function searchCredentialTypes(page, baseUrl, text) {
	const search = await openCredentialTypePicker(page, baseUrl);
	await search.fill(text);
	const options = page.locator('[data-test-id=new-credential-type-select-option]');
	await options.first().waitFor();
	return (await options.allInnerTexts()).map((t) => t.trim());
}

/** Opens a new, empty credential form of the type with this display name. */
export async function openNewCredential(page, baseUrl, displayName) {
	const search = await openCredentialTypePicker(page, baseUrl);
	await search.fill(displayName);
	await page.locator('[data-test-id=new-credential-type-select-option]', { hasText: displayName }).first().click();
	await page.locator('[data-test-id=new-credential-type-button]').click();
	const modal = page.locator('[data-test-id=editCredential-modal]');
	await modal.locator('form[data-test-id=credential-connection-parameter]').first().waitFor();
	return modal;
}

/** The names of the fields the form shows, top to bottom. */
export async function visibleFields(modal) {
	return await modal.evaluate((root) =>
		[...root.querySelectorAll('form[data-test-id=credential-connection-parameter]')]
			.filter((form) => form.offsetParent !== null)
			.map((form) => form.querySelector(':scope > div > [data-test-id]')?.getAttribute('data-test-id'))
			.filter(Boolean),
	);
}

export const fieldInput = (modal, name) => modal.locator(`[data-test-id=parameter-input-${name}] input`).first();

export async function fillField(modal, name, value) {
	const input = fieldInput(modal, name);
	await input.fill(String(value));
}

/** The hint n8n shows under a field ('' when none). */
export async function fieldHint(modal, name) {
	return await modal.locator(`[data-test-id=${name}]`).first().evaluate((field) => {
		const form = field.closest('form');
		const label = field.querySelector('label')?.innerText ?? '';
		return (form?.innerText ?? '').replace(label, '').trim();
	});
}

/** The option names a select field offers (the first line of each option). */
export async function optionNames(page, modal, name) {
	await modal.locator(`[data-test-id=parameter-input-${name}]`).click();
	const items = page.locator('[data-test-id=parameter-input-item]:visible');
	await items.first().waitFor();
	const names = (await items.allInnerTexts()).map((t) => t.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await items.first().waitFor({ state: 'hidden' });
	return names;
}

export async function selectOption(page, modal, name, optionName) {
	await modal.locator(`[data-test-id=parameter-input-${name}]`).click();
	const item = page.locator('[data-test-id=parameter-input-item]:visible').filter({ hasText: optionName }).first();
	await item.click();
	await item.waitFor({ state: 'hidden' });
}

/**
 * Saves the credential; n8n then tests it (POST /rest/credentials/test). Resolves to
 * `{ ok, message, server }` once the banner shows that test's outcome: `message` as the user reads
 * it ("More details" expanded), `server` as n8n's REST API reported it.
 */
export async function saveAndReadTest(page, modal, { timeoutMs = 90_000 } = {}) {
	return await readTestAfter(page, modal, () => modal.locator('[data-test-id=credential-save-button]').click(), timeoutMs);
}

/** Clicks "Retry" on the test banner and reads the new result. */
export async function retryTest(page, modal, { timeoutMs = 90_000 } = {}) {
	return await readTestAfter(page, modal, () => modal.getByRole('button', { name: 'Retry' }).click(), timeoutMs);
}

async function readTestAfter(page, modal, action, timeoutMs) {
	const tested = page.waitForResponse((r) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST', { timeout: timeoutMs });
	await action();
	const server = (await (await tested).json()).data;
	const ok = server.status === 'OK';
	const text = await pollUntil(
		async () => {
			const now = await modal.innerText();
			return (ok ? now.includes(TEST_SUCCESS) : TEST_FAILURE.test(now)) ? now : undefined;
		},
		{ timeoutMs, what: `the "${ok ? 'success' : 'failure'}" banner` },
	);
	if (ok) return { ok, message: TEST_SUCCESS, server };
	const more = modal.getByText('More details');
	if (await more.count()) await more.first().click();
	const expanded = await pollUntil(async () => {
		const now = await modal.innerText();
		return now.includes(server.message) ? now : undefined;
	}, { what: 'the error details' }).catch(() => text);
	const message = expanded.split('\n').find((line) => line.includes(server.message)) ?? '';
	return { ok, message, server };
}

export async function closeCredentialModal(page, modal) {
	await modal.locator('button[aria-label="Close this dialog"], .el-dialog__headerbtn, [data-test-id=credential-close-button]').first().click().catch(() => page.keyboard.press('Escape'));
	await modal.waitFor({ state: 'hidden', timeout: 30_000 }).catch(async () => {
		// "Close without saving?" confirmation.
		await page.getByRole('button', { name: /close|leave|discard/i }).first().click();
		await modal.waitFor({ state: 'hidden' });
	});
}

// ---- workflows, nodes panel, node details ----

export async function openWorkflow(page, baseUrl, id) {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 120_000 });
}

/** Clicks the "+" on a node's connector: its main output, or an input such as ai_tool. */
export async function openNodeCreatorFrom(page, nodeName, { handle = 'output', connectionType = 'main' } = {}) {
	const selector = `[data-test-id=canvas-node-${handle}-handle][data-connection-type=${connectionType}][data-node-name="${nodeName}"]`;
	await page.locator(selector).locator('[data-test-id=canvas-handle-plus]').click();
	await page.locator('[data-test-id=node-creator]').waitFor();
}

/**
 * Types into the nodes panel search; resolves to the names listed once the list has changed from
 * the previous one (or 3 s passed: the same list) and `expected` is among them.
 */
export async function searchNodes(page, text, expected) {
	const names = page.locator('[data-test-id=node-creator] [data-test-id=node-creator-item-name]');
	const read = async () => (await names.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
	const previous = JSON.stringify(await read());
	const typed = Date.now();
	await page.locator('[data-test-id=node-creator] input').first().fill(text);
	let last = [];
	try {
		return await pollUntil(
			async () => {
				last = await read();
				const settled = JSON.stringify(last) !== previous || Date.now() - typed > 3000;
				return settled && last.includes(expected) ? last : undefined;
			},
			{ timeoutMs: 30_000, what: `"${expected}" among the nodes for "${text}"` },
		);
	} catch {
		return last;
	}
}

/** The names of the parameters the node details view shows (n8n's own test ids). */
export async function ndvParameters(page) {
	return await page.locator('[data-test-id=node-parameters]').evaluate((root) =>
		[...root.querySelectorAll('[data-test-id^="parameter-input-"]')]
			.map((e) => e.getAttribute('data-test-id').slice('parameter-input-'.length))
			.filter((name) => !['field', 'item', 'options-container'].includes(name) && !name.includes('-')),
	);
}

/** Labels as the user reads them in the node details view. */
export async function ndvLabels(page) {
	return (await page.locator('[data-test-id=node-parameters] label, [data-test-id=node-parameters] [data-test-id=credentials-label]').allInnerTexts())
		.map((t) => t.replace(/\*/g, '').trim())
		.filter(Boolean);
}

// ---- screenshots ----

/** Where screenshots go: docs/images with `npm run docs:screenshots`, else a scratch folder. */
export function screenshotDir() {
	const dir = process.env.UI_SCREENSHOT_DIR || path.join(process.env.UI_WORK_DIR || '/tmp', 'oauth2-grants-ui-screenshots');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** Puts the page at rest for a screenshot: no focused field, no toast over the content. */
export async function settleForScreenshot(page) {
	await page.evaluate(() => document.activeElement?.blur?.());
	await page.mouse.move(1, 1);
	const closers = page.locator('.el-notification .el-notification__closeBtn:visible');
	for (let i = await closers.count(); i > 0; i--) await closers.first().click().catch(() => {});
	await page.waitForTimeout(400);
}

/** The dialog as the user sees it. */
export async function screenshotDialog(page, modal, file) {
	await settleForScreenshot(page);
	await modal.screenshot({ path: file, animations: 'disabled' });
}

/** The whole canvas, zoomed to fit and one step out, so the "Execute workflow" button covers nothing. */
export async function screenshotCanvas(page, file) {
	await page.locator('[data-test-id=zoom-to-fit]').click();
	await page.locator('[data-test-id=zoom-out-button]').click();
	await settleForScreenshot(page);
	await page.screenshot({ path: file, animations: 'disabled' });
}

/** A dialog screenshot with all of its content: the dialog is stretched to its scroll height first. */
export async function screenshotWholeDialog(page, modal, file) {
	await settleForScreenshot(page);
	const viewport = page.viewportSize();
	const height = await modal.evaluate((root) => {
		const scroller = [...root.querySelectorAll('*')].find((e) => getComputedStyle(e).overflowY === 'auto' && e.scrollHeight > e.clientHeight + 4);
		const dialog = root.closest('.el-dialog') ?? root;
		return Math.ceil(dialog.getBoundingClientRect().height + (scroller ? scroller.scrollHeight - scroller.clientHeight : 0));
	});
	await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height + 120) });
	const restore = await modal.evaluate((root, h) => {
		const dialog = root.closest('.el-dialog') ?? root;
		const old = dialog.getAttribute('style') ?? '';
		dialog.style.maxHeight = 'none';
		dialog.style.height = `${h}px`;
		return old;
	}, height);
	await page.waitForTimeout(300);
	await modal.screenshot({ path: file, animations: 'disabled' });
	await modal.evaluate((root, old) => (root.closest('.el-dialog') ?? root).setAttribute('style', old), restore);
	await page.setViewportSize(viewport);
}
