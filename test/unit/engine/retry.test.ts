import { TokenAuthenticator } from '../../../engine/tokenAuthenticator';
import { OAuth2TokenError } from '../../../engine/error';
import { backoffMs, resolveRetryOptions, retryAfterMs, sendWithRetry } from '../../../engine/retry';
import type { TransportRequest, TransportResponse } from '../../../engine/types';
import { config, FakeClock, fakeTransport, jsonResponse, networkError, recordingSleep, tokenResponse } from './helpers';

const REQUEST: TransportRequest = { method: 'POST', url: 'https://x/token', headers: {}, body: '', timeoutMs: 1000 };
const NOW = 1_700_000_000_000;
const half = () => 0.5;

function scripted(answers: Array<TransportResponse | Error>) {
	return fakeTransport((_request, call) => {
		const answer = answers[Math.min(call, answers.length) - 1];
		if (answer instanceof Error) throw answer;
		return answer;
	});
}

function status(code: number, headers: Record<string, string> = {}): TransportResponse {
	return jsonResponse(code, { error: 'temporarily_unavailable' }, headers);
}

describe('backoff', () => {
	it('doubles from the base with equal jitter, capped', () => {
		const options = resolveRetryOptions({ random: half });
		expect([0, 1, 2, 3].map((retry) => backoffMs(retry, options))).toEqual([375, 750, 1500, 3000]);
		expect(backoffMs(0, resolveRetryOptions({ random: () => 0 }))).toBe(250);
		expect(backoffMs(0, resolveRetryOptions({ random: () => 0.999999 }))).toBe(500);
		expect(backoffMs(20, resolveRetryOptions({ random: () => 0.999999 }))).toBe(10_000);
	});

	it('reads Retry-After as seconds or an HTTP date', () => {
		expect(retryAfterMs({ 'retry-after': '3' }, NOW)).toBe(3000);
		expect(retryAfterMs({ 'Retry-After': ['7'] }, NOW)).toBe(7000);
		expect(retryAfterMs({ 'retry-after': new Date(NOW + 4000).toUTCString() }, NOW)).toBe(4000);
		expect(retryAfterMs({ 'retry-after': new Date(NOW - 4000).toUTCString() }, NOW)).toBe(0);
		expect(retryAfterMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
		expect(retryAfterMs({}, NOW)).toBeUndefined();
	});
});

describe('sendWithRetry', () => {
	it.each([429, 502, 503, 504])('retries %i twice by default, then returns the last response', async (code) => {
		const transport = scripted([status(code)]);
		const sleep = recordingSleep();
		const result = await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW }, { random: half });
		expect(transport.calls).toHaveLength(3);
		expect(sleep.calls).toEqual([375, 750]);
		expect(result).toMatchObject({ ok: true, attempts: 3, response: { statusCode: code } });
	});

	it.each([400, 401, 403, 404, 500])('never retries %i', async (code) => {
		const transport = scripted([status(code), tokenResponse('late')]);
		const sleep = recordingSleep();
		const result = await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW });
		expect(transport.calls).toHaveLength(1);
		expect(sleep.calls).toEqual([]);
		expect(result).toMatchObject({ ok: true, attempts: 1, response: { statusCode: code } });
	});

	it('honours Retry-After, capped at 10 seconds', async () => {
		const transport = scripted([
			status(429, { 'retry-after': '2' }),
			status(503, { 'retry-after': '3600' }),
			tokenResponse('ok'),
		]);
		const sleep = recordingSleep();
		const result = await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW });
		expect(sleep.calls).toEqual([2000, 10_000]);
		expect(result).toMatchObject({ ok: true, attempts: 3, response: { statusCode: 200 } });
	});

	it('honours a Retry-After HTTP date, capped too', async () => {
		const transport = scripted([
			status(503, { 'retry-after': new Date(NOW + 5000).toUTCString() }),
			status(503, { 'retry-after': new Date(NOW + 86_400_000).toUTCString() }),
			tokenResponse('ok'),
		]);
		const sleep = recordingSleep();
		await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW });
		expect(sleep.calls).toEqual([5000, 10_000]);
	});

	it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN'])(
		'retries the network error %s',
		async (code) => {
			const transport = scripted([networkError(code), tokenResponse('ok')]);
			const sleep = recordingSleep();
			const result = await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW }, { random: half });
			expect(transport.calls).toHaveLength(2);
			expect(sleep.calls).toEqual([375]);
			expect(result).toMatchObject({ ok: true, attempts: 2 });
		},
	);

	it('reads the code from the error cause too', async () => {
		const error = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
		const transport = scripted([error, tokenResponse('ok')]);
		const result = await sendWithRetry(REQUEST, { transport, sleep: recordingSleep(), now: () => NOW });
		expect(result).toMatchObject({ ok: true, attempts: 2 });
	});

	it.each(['ENOTFOUND', 'CERT_HAS_EXPIRED', undefined])('does not retry the network error %s', async (code) => {
		const error = code ? networkError(code) : new Error('boom');
		const transport = scripted([error, tokenResponse('ok')]);
		const sleep = recordingSleep();
		const result = await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW });
		expect(transport.calls).toHaveLength(1);
		expect(result).toMatchObject({ ok: false, attempts: 1, error });
	});

	it('gives up after the configured retries with the last network error', async () => {
		const transport = scripted([networkError('ECONNREFUSED')]);
		const sleep = recordingSleep();
		const result = await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW }, { retries: 4, baseDelayMs: 100, random: half });
		expect(transport.calls).toHaveLength(5);
		expect(sleep.calls).toEqual([75, 150, 300, 600]);
		expect(result.ok).toBe(false);
	});

	it('retries: 0 sends once', async () => {
		const transport = scripted([status(503)]);
		const sleep = recordingSleep();
		await sendWithRetry(REQUEST, { transport, sleep, now: () => NOW }, { retries: 0 });
		expect(transport.calls).toHaveLength(1);
		expect(sleep.calls).toEqual([]);
	});
});

describe('TokenAuthenticator retries', () => {
	it('recovers from a 503 with Retry-After and caches the token', async () => {
		const clock = new FakeClock();
		const auth = new TokenAuthenticator({ clock });
		const transport = scripted([status(503, { 'retry-after': '1' }), tokenResponse('good')]);
		const sleep = recordingSleep();
		const token = await auth.getToken(config(), { transport, sleep });
		expect(token.accessToken).toBe('good');
		expect(sleep.calls).toEqual([1000]);
		await auth.getToken(config(), { transport, sleep });
		expect(transport.calls).toHaveLength(2);
	});

	it('reports a timeout with the seconds, the attempts, retryable and the code', async () => {
		const auth = new TokenAuthenticator({ clock: new FakeClock(), retry: { random: half } });
		const transport = scripted([networkError('ETIMEDOUT', 'timeout of 7000ms exceeded')]);
		const sleep = recordingSleep();
		const error = await auth.getToken(config({ requestTimeoutSeconds: 7 }), { transport, sleep }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OAuth2TokenError);
		const tokenError = error as OAuth2TokenError;
		expect(tokenError.networkCode).toBe('ETIMEDOUT');
		expect(tokenError.retryable).toBe(true);
		expect(tokenError.attempts).toBe(3);
		expect(tokenError.message).toBe(
			'Token request to https://auth.example.test/oauth/token failed: no response within 7 seconds (ETIMEDOUT). ' +
				'No answer within 7 seconds; check that the server is reachable from this machine, or raise the request timeout. (3 attempts.)',
		);
		expect(sleep.calls).toEqual([375, 750]);
	});

	it('reports a refused connection with the host', async () => {
		const auth = new TokenAuthenticator({ clock: new FakeClock(), retry: { retries: 0 } });
		const transport = scripted([networkError('ECONNREFUSED')]);
		const error = (await auth.getToken(config({ tokenUrl: 'http://127.0.0.1:9/token' }), { transport, sleep: recordingSleep() }).catch((e: unknown) => e)) as OAuth2TokenError;
		expect(error.message).toBe(
			'Token request to http://127.0.0.1:9/token failed: connection refused (ECONNREFUSED). ' +
				'Nothing accepts connections at 127.0.0.1:9; check the host and port of the token URL, and that the server is running.',
		);
	});

	it('does not retry a 400', async () => {
		const auth = new TokenAuthenticator({ clock: new FakeClock() });
		const transport = scripted([jsonResponse(400, { error: 'invalid_scope' })]);
		const sleep = recordingSleep();
		const error = (await auth.getToken(config(), { transport, sleep }).catch((e: unknown) => e)) as OAuth2TokenError;
		expect(error.error).toBe('invalid_scope');
		expect(error.retryable).toBe(false);
		expect(transport.calls).toHaveLength(1);
		expect(sleep.calls).toEqual([]);
	});

	it('uses the authenticator retry options', async () => {
		const auth = new TokenAuthenticator({ clock: new FakeClock(), retry: { retries: 0 } });
		const transport = scripted([status(503)]);
		const error = (await auth.getToken(config(), { transport, sleep: recordingSleep() }).catch((e: unknown) => e)) as OAuth2TokenError;
		expect(error.status).toBe(503);
		expect(error.retryable).toBe(true);
		expect(transport.calls).toHaveLength(1);
	});
});
