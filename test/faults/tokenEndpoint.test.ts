// Faults of the token endpoint, through the credential's real code path: preAuthentication, the
// process-wide engine, and an axios `helpers.httpRequest` against the lab's fault endpoint, which
// plays back the exact answers each case queues. Every case records a row of the fault table.
//
// The engine waits between retries with n8n-workflow's sleep. Here that sleep records how long it
// was asked to wait and then waits at most 25 ms, so the table can show the waits (Retry-After
// honoured, capped) without the suite taking as long as the waits.
import * as net from 'node:net';

import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { type TokenFault } from '../servers/lab';
import { useLab } from '../support/lab';
import {
	assertNothingLeaks,
	credentialData,
	errorOf,
	FAULT_PASSWORD,
	FAULT_SECRET,
	fieldsOf,
	fingerprintFor,
	lifetimeSeconds,
	passwordData,
	preAuthenticate,
	rows,
	type Outcome,
} from './credentialPath';

const mockWaits: number[] = [];
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async (ms: number) => {
		mockWaits.push(ms);
		await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 25)));
	}),
}));

const GROUP = 'token endpoint';
const DEFAULT_LIFETIME = 1234;
const YEAR = 365 * 24 * 3600;
const lab = useLab();



beforeEach(async () => {
	await lab.reset();
	await lab.configure({ accessTokenTtlSeconds: 3600, tokenDelayMs: 0 });
	sharedAuthenticator.clear();
	mockWaits.length = 0;
});

function faultCase(name: string, expected: string, body: () => Promise<string>): void {
	it(name, async () => await rows.runCase({ group: GROUP, name, expected }, body));
}

const faultData = (overrides: Record<string, unknown> = {}) =>
	credentialData(lab.urls.faultTokenUrl, { defaultLifetimeSeconds: DEFAULT_LIFETIME, ...overrides });

/** "2 requests (503, 200)": what reached the token endpoint and what it answered (- for no answer). */
async function requestsSeen(): Promise<string> {
	const log = (await lab.stats()).tokenLog;
	const statuses = log.map((entry) => (entry.status === null ? '-' : String(entry.status)));
	return `${log.length} request${log.length === 1 ? '' : 's'} (${statuses.join(', ')})`;
}

function waitsSeen(): string {
	return mockWaits.length ? `waited ${mockWaits.map((ms) => `${ms} ms`).join(', ')}` : 'no wait';
}

function outcomeSeen(outcome: Outcome): string {
	if (outcome.error) return `error: ${outcome.error.message}`;
	return `token stored, lifetime ${lifetimeSeconds(outcome.fields)} s`;
}

async function seen(outcome: Outcome): Promise<string> {
	return `${await requestsSeen()}; ${waitsSeen()}; ${outcomeSeen(outcome)}`;
}

async function statuses(): Promise<Array<number | null>> {
	return (await lab.stats()).tokenLog.map((entry) => entry.status);
}

const oauthError = (status: number, error: string, description: string, headers: Record<string, string> = {}): TokenFault => ({
	status,
	headers: { 'content-type': 'application/json', ...headers },
	body: { error, error_description: description },
});

const tokenBody = (fields: Record<string, unknown>): TokenFault => ({
	status: 200,
	headers: { 'content-type': 'application/json' },
	body: { access_token: `queued-${Math.random().toString(36).slice(2)}`, token_type: 'Bearer', ...fields },
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

function unsignedJwt(claims: Record<string, unknown>): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe('no answer', () => {
	faultCase(
		'connection refused',
		'retry twice with backoff, then fail: endpoint, "connection refused", what to check (socket code in the description)',
		async () => {
			const url = `http://127.0.0.1:${await closedPort()}/token`;
			const outcome = await preAuthenticate(credentialData(url));
			const error = errorOf(outcome);
			// No socket code in the message: n8n would replace such a message with a generic one.
			expect(error.message).toContain(`Token request to ${url} failed: connection refused.`);
			expect(error.message).toContain('Nothing accepts connections at 127.0.0.1');
			expect(error.message).toContain('(3 attempts.)');
			const description = String((error as Error & { description?: string }).description);
			expect(description).toContain('(Socket error ECONNREFUSED.)');
			expect(mockWaits).toHaveLength(2);
			assertNothingLeaks(error, [FAULT_SECRET]);
			return `${waitsSeen()}; ${outcomeSeen(outcome)} Description: ${description}`;
		},
	);

	faultCase(
		'a hang past the timeout (0.5 s)',
		'each attempt abandoned after the timeout, retried twice, then fail: "no response within 0.5 seconds"',
		async () => {
			await lab.queueTokenFaults([{ hang: true }, { hang: true }, { hang: true }]);
			const outcome = await preAuthenticate(faultData({ requestTimeoutSeconds: 0.5 }));
			const error = errorOf(outcome);
			expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl} failed: no response within 0.5 seconds`);
			expect(error.message).toContain('raise the request timeout');
			expect(error.message).toContain('(3 attempts.)');
			expect(await statuses()).toEqual([null, null, null]);
			return await seen(outcome);
		},
	);
});

describe('server errors, with and without Retry-After', () => {
	const retried = [502, 503, 504];
	for (const status of [500, ...retried]) {
		for (const retryAfter of [undefined, '1']) {
			const label = `${status} ${retryAfter ? 'with Retry-After: 1' : 'without Retry-After'}`;
			const expected =
				status === 500
					? 'no retry (a 500 is not transient; Retry-After ignored), fail: endpoint, 500, server\'s words, "try again later"'
					: retryAfter
						? 'wait the asked 1000 ms, retry, token'
						: 'wait a backoff of 250-500 ms, retry, token';
			faultCase(label, expected, async () => {
				const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
				await lab.queueTokenFaults([oauthError(status, 'server_error', `upstream said ${status}`, headers)]);
				const outcome = await preAuthenticate(faultData());
				if (status === 500) {
					const error = errorOf(outcome);
					expect(error.message).toBe(
						`Token request to ${lab.urls.faultTokenUrl} failed: 500 server_error (upstream said 500). The authorization server has a problem; try again later.`,
					);
					expect(await statuses()).toEqual([500]);
					expect(mockWaits).toEqual([]);
				} else {
					expect(fieldsOf(outcome).accessToken).toMatch(/^fault-/);
					expect(await statuses()).toEqual([status, 200]);
					expect(mockWaits).toHaveLength(1);
					if (retryAfter) expect(mockWaits[0]).toBe(1000);
					else expect(mockWaits[0]).toBeGreaterThanOrEqual(250);
					expect(mockWaits[0]).toBeLessThanOrEqual(1000);
				}
				return await seen(outcome);
			});
		}
	}

	faultCase('503 on every attempt', 'three attempts, then fail: endpoint, 503, server\'s words, attempt count', async () => {
		await lab.queueTokenFaults(Array.from({ length: 3 }, () => oauthError(503, 'temporarily_unavailable', 'maintenance', { 'retry-after': '1' })));
		const outcome = await preAuthenticate(faultData());
		const error = errorOf(outcome);
		expect(error.message).toBe(
			`Token request to ${lab.urls.faultTokenUrl} failed: 503 temporarily_unavailable (maintenance). The authorization server has a problem; try again later. (3 attempts.)`,
		);
		expect(mockWaits).toEqual([1000, 1000]);
		return await seen(outcome);
	});

	faultCase('429 with Retry-After: 2', 'wait the asked 2000 ms, retry, token', async () => {
		await lab.queueTokenFaults([{ status: 429, headers: { 'retry-after': '2', 'content-type': 'text/plain' }, body: 'slow down' }]);
		const outcome = await preAuthenticate(faultData());
		expect(fieldsOf(outcome).accessToken).toMatch(/^fault-/);
		expect(mockWaits).toEqual([2000]);
		expect(await statuses()).toEqual([429, 200]);
		return await seen(outcome);
	});

	faultCase('429 asking for an hour (Retry-After: 3600)', 'wait capped at 10 s, retry, token', async () => {
		await lab.queueTokenFaults([{ status: 429, headers: { 'retry-after': '3600' }, body: '' }]);
		const outcome = await preAuthenticate(faultData());
		expect(fieldsOf(outcome).accessToken).toMatch(/^fault-/);
		expect(mockWaits).toEqual([10_000]);
		return await seen(outcome);
	});
});

describe('answers that are not a token response', () => {
	faultCase('an HTML error page with status 200', 'no retry, fail: "an HTML page, not JSON", check the token URL is not a login page', async () => {
		await lab.queueTokenFaults([{ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Sign in</title><form>…</form>' }]);
		const outcome = await preAuthenticate(faultData());
		const error = errorOf(outcome);
		expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl} failed: 200, the response is an HTML page, not JSON.`);
		expect(error.message).toContain('not a login page');
		expect(await statuses()).toEqual([200]);
		return await seen(outcome);
	});

	faultCase('invalid JSON', 'fail: "not valid JSON" and its length; a 200 body may hold fresh credentials, so none of it is quoted', async () => {
		await lab.queueTokenFaults([{ status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token": "abc", ' }]);
		const outcome = await preAuthenticate(faultData());
		const error = errorOf(outcome);
		expect(error.message).toContain('failed: 200, the response is not valid JSON (23 characters).');
		return await seen(outcome);
	});

	faultCase('JSON without access_token', 'fail: "the response has no access_token"', async () => {
		await lab.queueTokenFaults([{ status: 200, headers: { 'content-type': 'application/json' }, body: { token_type: 'Bearer', expires_in: 3600 } }]);
		const outcome = await preAuthenticate(faultData());
		expect(errorOf(outcome).message).toContain('failed: 200, the response has no access_token. The server did not issue an access token');
		return await seen(outcome);
	});

	faultCase('access_token not a string (a number)', 'fail: says access_token is a number, not a string', async () => {
		await lab.queueTokenFaults([{ status: 200, headers: { 'content-type': 'application/json' }, body: { access_token: 1234567, token_type: 'Bearer' } }]);
		const outcome = await preAuthenticate(faultData());
		expect(errorOf(outcome).message).toContain('failed: 200, the response has no access_token: it is a number, not a string.');
		return await seen(outcome);
	});
});

describe('expires_in, token_type and JWT exp', () => {
	// Bodies are built when the case runs, so the JWT's exp is counted from then.
	const cases: Array<[label: string, body: () => TokenFault, lifetime: number, expected: string]> = [
		['expires_in missing', () => tokenBody({}), DEFAULT_LIFETIME, 'token kept for the credential\'s Default Token Lifetime (1234 s here)'],
		['expires_in "3600" (a string)', () => tokenBody({ expires_in: '3600' }), 3600, 'read as 3600 s'],
		['expires_in 0', () => tokenBody({ expires_in: 0 }), DEFAULT_LIFETIME, 'treated as unknown: Default Token Lifetime; the API\'s 401 renews it if it was really dead'],
		['expires_in negative (-60)', () => tokenBody({ expires_in: -60 }), DEFAULT_LIFETIME, 'treated as unknown: Default Token Lifetime'],
		['expires_in huge (1e12)', () => tokenBody({ expires_in: 1e12 }), YEAR, 'capped at one year'],
		['expires_in 1e400 (Infinity in JSON)', () => ({ status: 200, body: '{"access_token":"inf-token","expires_in":1e400}' }), YEAR, 'capped at one year'],
		['expires_in not a number ("soon")', () => tokenBody({ expires_in: 'soon' }), DEFAULT_LIFETIME, 'treated as unknown: Default Token Lifetime'],
		['a JWT without exp and no expires_in', () => tokenBody({ access_token: unsignedJwt({ sub: 'svc' }) }), DEFAULT_LIFETIME, 'Default Token Lifetime'],
		['a JWT with exp (+900 s) and no expires_in', () => tokenBody({ access_token: unsignedJwt({ sub: 'svc', exp: Math.floor(Date.now() / 1000) + 900 }) }), 900, 'lifetime from exp'],
	];
	for (const [label, body, lifetime, expected] of cases) {
		faultCase(label, expected, async () => {
			await lab.queueTokenFaults([body()]);
			const outcome = await preAuthenticate(faultData());
			expect(Math.abs(lifetimeSeconds(fieldsOf(outcome)) - lifetime)).toBeLessThanOrEqual(1);
			return await seen(outcome);
		});
	}

	faultCase(
		'token_type other than Bearer ("mac")',
		'refused (RFC 6749 §7.1): endpoint and type named, nothing stored, never sent as Bearer (test/faults/trust.test.ts has every type)',
		async () => {
			await lab.queueTokenFaults([tokenBody({ access_token: 'mac-typed-token', token_type: 'mac', expires_in: 600 })]);
			const error = errorOf(await preAuthenticate(faultData()));
			expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl} failed: 200, the server issued a token of type "mac"`);
			assertNothingLeaks(error, [FAULT_SECRET, 'mac-typed-token']);
			return `error: ${error.message}`;
		},
	);
});

describe('many callers, refresh tokens, echoed secrets', () => {
	faultCase(
		'the answer arrives after 200 concurrent items are waiting',
		'one token request; all 200 get the same token',
		async () => {
			await lab.configure({ tokenDelayMs: 400 });
			const data = faultData();
			const outcomes = await Promise.all(Array.from({ length: 200 }, () => preAuthenticate(data)));
			const tokens = new Set(outcomes.map((outcome) => fieldsOf(outcome).accessToken));
			expect(tokens.size).toBe(1);
			expect(await statuses()).toEqual([200]);
			return `${await requestsSeen()} for 200 waiting callers; ${tokens.size} distinct token`;
		},
	);

	faultCase(
		'a failing answer after 200 concurrent items are waiting (503 ×3)',
		'three requests in all (not 600); all 200 get the same clear error',
		async () => {
			await lab.queueTokenFaults(Array.from({ length: 3 }, () => ({ ...oauthError(503, 'temporarily_unavailable', 'overloaded'), delayMs: 200 })));
			const data = faultData();
			const outcomes = await Promise.all(Array.from({ length: 200 }, () => preAuthenticate(data)));
			const messages = new Set(outcomes.map((outcome) => errorOf(outcome).message));
			expect(messages.size).toBe(1);
			expect([...messages][0]).toContain('failed: 503 temporarily_unavailable (overloaded)');
			expect(await statuses()).toEqual([503, 503, 503]);
			return `${await requestsSeen()} for 200 waiting callers; ${messages.size} distinct error: ${[...messages][0]}`;
		},
	);

	const REFRESH = 'rt-old-Q7x1k9Zp';

	faultCase(
		'a refresh token that the server rejects (password grant)',
		'one refresh attempt, then one password grant; new token stored, old refresh token dropped',
		async () => {
			await lab.queueTokenFaults([oauthError(400, 'invalid_grant', 'refresh token expired')]);
			const base = passwordData(lab.urls.faultTokenUrl);
			const data = { ...base, refreshToken: REFRESH, fingerprint: fingerprintFor(base, 'password') };
			const fields = fieldsOf(await preAuthenticate(data, 'password'));
			const log = (await lab.stats()).tokenLog;
			expect(log.map((entry) => [entry.grant, entry.status])).toEqual([
				['refresh_token', 400],
				['password', 200],
			]);
			expect(fields.accessToken).toMatch(/^fault-/);
			expect(fields.refreshToken).toBe('');
			return `${log.map((entry) => `${entry.grant} → ${entry.status}`).join(', ')}; new token stored, refresh token field cleared`;
		},
	);

	faultCase(
		'a rejected refresh token, then a rejected password',
		'fail with the password grant\'s error and a hint about the user; no password or refresh token shown',
		async () => {
			await lab.queueTokenFaults([
				oauthError(400, 'invalid_grant', `refresh token ${REFRESH} was revoked`),
				oauthError(400, 'invalid_grant', `wrong password ${FAULT_PASSWORD} for alice`),
			]);
			const base = passwordData(lab.urls.faultTokenUrl);
			const outcome = await preAuthenticate({ ...base, refreshToken: REFRESH, fingerprint: fingerprintFor(base, 'password') }, 'password');
			const error = errorOf(outcome);
			expect(error.message).toBe(
				`Token request to ${lab.urls.faultTokenUrl} failed: 400 invalid_grant (wrong password *** for alice). Check the username and password, and that this user may sign in with the password grant.`,
			);
			assertNothingLeaks(error, [FAULT_PASSWORD, REFRESH, FAULT_SECRET]);
			return await seen(outcome);
		},
	);

	faultCase(
		'an error that echoes the secret, its Basic header and the password',
		'the server\'s words shown with each of them masked as ***',
		async () => {
			const basic = Buffer.from(`fault-client:${encodeURIComponent(FAULT_SECRET)}`).toString('base64');
			await lab.queueTokenFaults([
				oauthError(401, 'invalid_client', `secret "${FAULT_SECRET}" (Basic ${basic}, form ${encodeURIComponent(FAULT_SECRET)}) rejected for password ${FAULT_PASSWORD}`),
			]);
			// RFC Basic only: automatic would answer this one queued refusal with the raw form (basicAuto.test.ts).
			const outcome = await preAuthenticate(passwordData(lab.urls.faultTokenUrl, { clientAuthentication: 'header' }), 'password');
			const error = errorOf(outcome);
			expect(error.message).toContain('failed: 401 invalid_client (secret "***" (Basic ***, form ***) rejected for password ***)');
			assertNothingLeaks(error, [FAULT_SECRET, FAULT_PASSWORD]);
			return await seen(outcome);
		},
	);
});
