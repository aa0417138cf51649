import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	sendApiRequest,
	type SendPolicy,
	TooManyRedirects,
} from '../../../../../nodes/OAuth2HttpRequest/transport/send';
import { TokenDestinationError } from '../../../../../credentials/common/destination';
import { type ApiResponse, CredentialSession } from '../../../../../nodes/OAuth2HttpRequest/transport/session';
import { CLIENT_CREDENTIALS_TYPE } from '../../../../../credentials/common/names';
import { sharedAuthenticator } from '../../../../../credentials/common/sharedAuthenticator';
import { API_URL, clientData, NOW, withToken } from '../../../../support/credentialFixtures';
import { type ApiHandler, fakeN8n, type FakeN8nOptions } from '../../../../support/fakeN8n';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

const sleepMock = sleep as jest.MockedFunction<typeof sleep>;
const HOUR = 3600_000;

function policy(overrides: Partial<SendPolicy> = {}): SendPolicy {
	return {
		renewOn: new Set([401]),
		retryOn: new Set([429, 502, 503, 504]),
		maxRetries: 2,
		followRedirects: true,
		maxRedirects: 5,
		...overrides,
	};
}

function stored(overrides: ICredentialDataDecryptedObject = {}, token = 'stored-token'): ICredentialDataDecryptedObject {
	return withToken(clientData({ baseUrl: API_URL, ...overrides }), 'client_credentials', token, {
		obtainedAt: NOW - HOUR,
		expiresAt: NOW + HOUR,
	});
}

function setup(options: FakeN8nOptions = {}, data = stored()) {
	const n8n = fakeN8n(options);
	const session = new CredentialSession(n8n.ctx, CLIENT_CREDENTIALS_TYPE, { id: 'cred-1', name: 'My API' }, data);
	const send = (request: IHttpRequestOptions, p: SendPolicy = policy(), reloadBody?: () => Promise<IHttpRequestOptions['body']>) =>
		sendApiRequest(n8n.ctx, session, { options: request, reloadBody }, p);
	return { n8n, session, send };
}

const ok = (body: unknown = { ok: true }): ApiResponse => ({ statusCode: 200, headers: {}, body });
const status = (statusCode: number, headers: Record<string, unknown> = {}): ApiResponse => ({ statusCode, headers, body: {} });

/** Answers in turn; the last answer repeats. */
function sequence(...answers: Array<ApiResponse | ((token?: string) => ApiResponse)>): ApiHandler {
	return (call, index) => {
		const answer = answers[Math.min(index, answers.length - 1)];
		return typeof answer === 'function' ? answer(call.token) : answer;
	};
}

beforeEach(() => {
	sharedAuthenticator.clear();
	sleepMock.mockClear();
	jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => {
	jest.restoreAllMocks();
});

describe('sendApiRequest on a refused token', () => {
	it('renews once and resends once with the new token', async () => {
		const { n8n, send } = setup();
		n8n.revoked.add('stored-token');
		const response = await send({ method: 'GET', url: `${API_URL}/items` });
		expect(response.statusCode).toBe(200);
		expect(n8n.apiCalls.map((c) => c.token)).toEqual(['stored-token', 'token-1']);
		expect(n8n.endpoint.calls).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('drops a refused token that this process holds, so the renewal is a new token', async () => {
		const { n8n, send } = setup({}, clientData({ baseUrl: API_URL }));
		await send({ method: 'GET', url: `${API_URL}/a` });
		n8n.revoked.add('token-1');
		const response = await send({ method: 'GET', url: `${API_URL}/b` });
		expect(response.statusCode).toBe(200);
		expect(n8n.apiCalls.map((c) => c.token)).toEqual(['token-1', 'token-1', 'token-2']);
		expect(n8n.endpoint.calls).toHaveLength(2);
	});

	it('reports a second refusal as the response instead of renewing again', async () => {
		const { n8n, send } = setup({ api: () => status(401) });
		const response = await send({ method: 'GET', url: `${API_URL}/items` });
		expect(response.statusCode).toBe(401);
		expect(n8n.apiCalls).toHaveLength(2);
		expect(n8n.endpoint.calls).toHaveLength(1);
	});

	it('renews on the statuses it is told to', async () => {
		const { n8n, send } = setup({ api: sequence(status(403), ok()) });
		expect((await send({ method: 'GET', url: `${API_URL}/x` }, policy({ renewOn: new Set([403]) }))).statusCode).toBe(200);
		expect(n8n.endpoint.calls).toHaveLength(1);
		const other = setup({ api: sequence(status(401), ok()) });
		expect((await other.send({ method: 'GET', url: `${API_URL}/x` }, policy({ renewOn: new Set() }))).statusCode).toBe(401);
		expect(other.n8n.endpoint.calls).toHaveLength(0);
	});

	it('reloads a binary body for the resend', async () => {
		const { n8n, send } = setup({ api: sequence(status(401), ok()) });
		const reload = jest.fn(async () => Buffer.from('again'));
		await send({ method: 'POST', url: `${API_URL}/upload`, body: Buffer.from('first') }, policy(), reload);
		expect(reload).toHaveBeenCalledTimes(1);
		expect(n8n.apiCalls.map((c) => String(c.options.body))).toEqual(['first', 'again']);
	});
});

describe('sendApiRequest on a transient failure', () => {
	it('retries up to maxRetries and then returns the last response', async () => {
		const { n8n, send } = setup({ api: () => status(503) });
		const response = await send({ method: 'GET', url: `${API_URL}/items` }, policy({ maxRetries: 3 }));
		expect(response.statusCode).toBe(503);
		expect(n8n.apiCalls).toHaveLength(4);
		expect(sleepMock).toHaveBeenCalledTimes(3);
		expect(n8n.endpoint.calls).toHaveLength(0);
	});

	it('stops retrying once the API answers', async () => {
		const { n8n, send } = setup({ api: sequence(status(503), status(429), ok()) });
		expect((await send({ method: 'GET', url: `${API_URL}/items` })).statusCode).toBe(200);
		expect(n8n.apiCalls).toHaveLength(3);
		expect(sleepMock).toHaveBeenCalledTimes(2);
	});

	it('backs off exponentially with jitter (the engine retry policy), and honours Retry-After up to 30 s', async () => {
		const { send } = setup({ api: () => status(503) });
		await send({ method: 'GET', url: `${API_URL}/items` }, policy({ maxRetries: 3 }));
		const waits = sleepMock.mock.calls.map(([ms]) => ms as number);
		expect(waits).toHaveLength(3);
		// Equal jitter: between half and all of 500 ms × 2^retry.
		waits.forEach((ms, retry) => {
			expect(ms).toBeGreaterThanOrEqual(250 * 2 ** retry);
			expect(ms).toBeLessThanOrEqual(500 * 2 ** retry);
		});

		sleepMock.mockClear();
		const asked = setup({ api: sequence(status(429, { 'Retry-After': '7' }), status(503, { 'retry-after': '120' }), ok()) });
		await asked.send({ method: 'GET', url: `${API_URL}/items` });
		expect(sleepMock.mock.calls.map(([ms]) => ms)).toEqual([7000, 30_000]);
	});

	it('does not retry a status it was not told to, nor with maxRetries 0', async () => {
		const a = setup({ api: () => status(500) });
		expect((await a.send({ method: 'GET', url: `${API_URL}/x` })).statusCode).toBe(500);
		expect(a.n8n.apiCalls).toHaveLength(1);
		const b = setup({ api: () => status(503) });
		expect((await b.send({ method: 'GET', url: `${API_URL}/x` }, policy({ maxRetries: 0 }))).statusCode).toBe(503);
		expect(b.n8n.apiCalls).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
	});
});

describe('sendApiRequest and redirects', () => {
	it('asks the HTTP client not to follow redirects itself', async () => {
		const { n8n, send } = setup();
		await send({ method: 'GET', url: `${API_URL}/items` });
		expect(n8n.apiCalls[0].options).toMatchObject({ disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false });
	});

	it('follows a redirect to another origin without any credential', async () => {
		const { n8n, send } = setup({
			headerName: 'X-Access-Token',
			api: () => status(302, { Location: 'https://files.other.example/download/1?sig=abc' }),
			plain: () => ok('file'),
		}, stored({ authHeaderName: 'X-Access-Token', authHeaderPrefix: '' }));
		const headers = { Accept: '*/*', cookie: 'a=1', 'PROXY-AUTHORIZATION': 'Basic eA==', authorization: 'Basic eQ==', 'x-access-TOKEN': 'user-set' };
		const response = await send({ method: 'GET', url: `${API_URL}/export`, headers });

		expect(response.body).toBe('file');
		expect(n8n.apiCalls).toHaveLength(1);
		expect(n8n.apiCalls[0].options.headers).toMatchObject({ 'X-Access-Token': 'stored-token' });
		expect(n8n.plainCalls).toHaveLength(1);
		const plain = n8n.plainCalls[0] as IHttpRequestOptions & { maxRedirects?: number };
		expect(plain.url).toBe('https://files.other.example/download/1?sig=abc');
		// Every credential header goes, whoever set it and in whatever case; the others stay.
		expect(plain.headers).toEqual({ Accept: '*/*' });
		expect(JSON.stringify(plain)).not.toContain('stored-token');
		// Each further hop is decided here too, never by n8n's client.
		expect(plain).toMatchObject({ returnFullResponse: true, ignoreHttpStatusErrors: true, disableFollowRedirect: true });
	});

	it('sends no hop after leaving the origin with a credential, even one back at the API', async () => {
		const { n8n, send } = setup({
			api: () => status(302, { location: 'https://other.example/hop' }),
			plain: (options) => (options.url === 'https://other.example/hop' ? status(302, { location: `${API_URL}/back` }) : ok('back')),
		});
		const response = await send({ method: 'GET', url: `${API_URL}/start`, headers: { Cookie: 'c=1' } });
		expect(response.body).toBe('back');
		expect(n8n.apiCalls).toHaveLength(1);
		expect(n8n.plainCalls.map((c) => [c.url, c.headers])).toEqual([
			['https://other.example/hop', {}],
			[`${API_URL}/back`, {}],
		]);
	});

	it('treats another port or scheme of the API host as another origin, and a default port as the same', async () => {
		for (const [location, leaves] of [
			['https://api.example.test:8443/v1/x', true],
			['http://api.example.test/v1/x', true],
			['https://api.example.test:443/v1/x', false],
		] as const) {
			const { n8n, send } = setup({ api: sequence(status(307, { location }), ok()), plain: () => ok('plain') });
			await send({ method: 'GET', url: `${API_URL}/items` }).catch(() => undefined);
			expect([n8n.apiCalls.length, n8n.plainCalls.length]).toEqual(leaves ? [1, 1] : [2, 0]);
		}
	});

	it('keeps the token on a redirect within the API\'s origin', async () => {
		const { n8n, send } = setup({ api: sequence(status(301, { location: '/v1/moved' }), ok()) });
		const response = await send({ method: 'GET', url: `${API_URL}/items`, qs: { page: 2 } });
		expect(response.statusCode).toBe(200);
		expect(n8n.plainCalls).toHaveLength(0);
		expect(n8n.apiCalls.map((c) => [c.options.url, c.token])).toEqual([
			[`${API_URL}/items`, 'stored-token'],
			['https://api.example.test/v1/moved', 'stored-token'],
		]);
		expect(n8n.apiCalls[1].options.qs).toBeUndefined();
	});

	it('turns a POST into a bodiless GET on 303, and keeps it on 307', async () => {
		const a = setup({ api: sequence(status(303, { location: '/v1/result' }), ok()) });
		await a.send({ method: 'POST', url: `${API_URL}/jobs`, body: { x: 1 } });
		expect(a.n8n.apiCalls[1].options).toMatchObject({ method: 'GET', body: undefined });
		const b = setup({ api: sequence(status(307, { location: '/v1/jobs2' }), ok()) });
		await b.send({ method: 'POST', url: `${API_URL}/jobs`, body: { x: 1 } });
		expect(b.n8n.apiCalls[1].options).toMatchObject({ method: 'POST', body: { x: 1 } });
	});

	it('stops after maxRedirects', async () => {
		const { send } = setup({ api: () => status(302, { location: '/v1/loop' }) });
		await expect(send({ method: 'GET', url: `${API_URL}/loop` }, policy({ maxRedirects: 3 }))).rejects.toBeInstanceOf(TooManyRedirects);
	});

	it('returns a redirect as it is when not following redirects', async () => {
		const { n8n, send } = setup({ api: () => status(302, { location: 'https://elsewhere.example/' }) });
		const response = await send({ method: 'GET', url: `${API_URL}/x` }, policy({ followRedirects: false }));
		expect(response.statusCode).toBe(302);
		expect(n8n.plainCalls).toHaveLength(0);
	});
});

describe('sendApiRequest and the token destination', () => {
	it('refuses a host outside the credential\'s policy before anything is sent', async () => {
		const { n8n, send } = setup({}, clientData({ baseUrl: API_URL }));
		const error = await send({ method: 'GET', url: 'https://evil.example.org/x' }).catch((e: unknown) => e as Error);
		expect(error).toBeInstanceOf(TokenDestinationError);
		expect((error as Error).message).toContain('evil.example.org');
		expect(n8n.apiCalls).toHaveLength(0);
		expect(n8n.endpoint.calls).toHaveLength(0);
	});
});
