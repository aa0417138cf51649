// The token engine against token endpoints whose answers are not textbook (issue 15 item 3, the lab's
// wild modules textplain, form-response and nested), over a real HTTP transport. For each shape: one
// token request for many concurrent callers, the lifetime read right (renewed when due, not before),
// the API accepts the token, no token value in `extra`, and none in error messages.

import axios from 'axios';

import { OAuth2TokenError, TokenAuthenticator, type Clock, type Sleep, type Token, type TokenRequestConfig } from '../../engine';
import { assertNoLeaks, errorText } from '../support/leakSearch';
import { useLab } from '../support/lab';
import { axiosTransport } from './axiosTransport';

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class ManualClock implements Clock {
	private offset = 0;
	now(): number {
		return Date.now() + this.offset;
	}
	advance(ms: number): void {
		this.offset += ms;
	}
}

const TTL_SECONDS = 3600;
/** The default renewal margin is 60 s: 70 s before the expiry the token is kept, 50 s before renewed. */
const KEPT_UNTIL_MS = (TTL_SECONDS - 70) * 1000;
const DUE_AFTER_MS = 20_000;
const CALLERS = 25;

const lab = useLab();
let clock: ManualClock;
let auth: TokenAuthenticator;
const deps = { transport: axiosTransport, sleep: realSleep };

beforeEach(async () => {
	await lab.reset();
	await lab.configure({ accessTokenTtlSeconds: TTL_SECONDS, tokenDelayMs: 0 });
	clock = new ManualClock();
	auth = new TokenAuthenticator({ clock, retry: { baseDelayMs: 20, retries: 0 } });
});

async function tokenRequests(endpoint: string, grant?: string): Promise<number> {
	const stats = await lab.stats();
	const log = stats.tokenLog.filter((entry) => (entry.endpoint as string) === endpoint);
	return grant ? log.filter((entry) => entry.grant === grant).length : log.length;
}

async function apiStatus(token: Token): Promise<number> {
	const response = await axios.get(`${lab.urls.apiUrl}/echo`, { headers: { Authorization: `Bearer ${token.accessToken}` }, validateStatus: () => true });
	return response.status;
}

/** Every access and refresh token the lab ever issued, and the nested module's id tokens. */
async function issuedValues(): Promise<string[]> {
	const issued = (await axios.get<{ tokens: string[] }>(`${lab.urls.controlUrl}/issued-tokens`)).data.tokens;
	const ids = (await axios.get<{ idTokens: string[] }>(`${lab.urls.wildBaseUrl}/nested/__issued`)).data.idTokens;
	return [...issued, ...ids];
}

async function failure(promise: Promise<unknown>): Promise<OAuth2TokenError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(OAuth2TokenError);
		return error as OAuth2TokenError;
	}
	throw new Error('expected the token request to fail');
}

interface Shape {
	name: string;
	/** The lab module (its token requests are counted as wild-<module>). */
	module: string;
	config: () => TokenRequestConfig;
	/** What `extra` keeps of the response. */
	extra: Record<string, unknown>;
}

const clientCredentials = (tokenUrl: string, clientId: string, clientSecret: string, more: Partial<TokenRequestConfig> = {}): TokenRequestConfig => ({
	tokenUrl,
	grantType: 'client_credentials',
	clientId,
	clientSecret,
	clientAuthentication: 'header',
	requestFormat: 'form',
	...more,
});

const nested = (shape: string, more: Partial<TokenRequestConfig> = {}) =>
	clientCredentials(`${lab.urls.wildBaseUrl}/nested/${shape}/token`, 'nested-client', 'nested-secret', more);

const CUSTOM_FIELDS = { accessToken: 'payload.credentials.bearer', expiry: 'payload.credentials.validUntil', refreshToken: 'payload.credentials.renewal' };

const SHAPES: Shape[] = [
	{ name: 'JSON served as text/plain', module: 'textplain', config: () => clientCredentials(`${lab.urls.wildBaseUrl}/textplain/token`, 'textplain-client', 'textplain-secret'), extra: {} },
	{ name: 'JSON served as application/octet-stream', module: 'textplain', config: () => clientCredentials(`${lab.urls.wildBaseUrl}/textplain/token?type=octet-stream`, 'textplain-client', 'textplain-secret'), extra: {} },
	{ name: 'JSON served without a Content-Type', module: 'textplain', config: () => clientCredentials(`${lab.urls.wildBaseUrl}/textplain/token?type=none`, 'textplain-client', 'textplain-secret'), extra: {} },
	{ name: 'form-encoded, application/x-www-form-urlencoded (GitHub)', module: 'form-response', config: () => clientCredentials(`${lab.urls.wildBaseUrl}/form-response/token`, 'form-client', 'form-secret'), extra: {} },
	{ name: 'form-encoded, text/plain (Facebook)', module: 'form-response', config: () => clientCredentials(`${lab.urls.wildBaseUrl}/form-response/token?as=text`, 'form-client', 'form-secret'), extra: {} },
	{ name: 'data.access_token + data.expires_in', module: 'nested', config: () => nested('data'), extra: { message: 'success', data: { openid: 'svc-1' } } },
	{ name: 'result.token + result.expires_at (epoch seconds)', module: 'nested', config: () => nested('result'), extra: { success: true, t: expect.any(Number), result: {} } },
	{ name: 'accessToken + expiresIn', module: 'nested', config: () => nested('camel'), extra: { instance_url: 'https://eu1.nested.example.test' } },
	{ name: 'token + expires (ISO 8601)', module: 'nested', config: () => nested('iso'), extra: {} },
	{ name: 'data.attributes.token + expiresAt (epoch milliseconds)', module: 'nested', config: () => nested('epoch-ms'), extra: { data: { type: 'token', id: 'tok-1', attributes: {} } } },
	{ name: 'payload.credentials.bearer + validUntil, named by the user', module: 'nested', config: () => nested('custom', { responseFields: CUSTOM_FIELDS }), extra: { status: 'ok', payload: {} } },
];

describe.each(SHAPES)('$name', (shape) => {
	const endpoint = `wild-${shape.module}`;

	it('one token request for many callers, the API takes it, renewed when due and not before, nothing of it in extra', async () => {
		const config = shape.config();
		const tokens = await Promise.all(Array.from({ length: CALLERS }, () => auth.getToken(config, deps)));
		expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
		expect(await tokenRequests(endpoint)).toBe(1);
		const [first] = tokens;
		expect(first.tokenType).toBe('Bearer');
		expect(await apiStatus(first)).toBe(200);
		expect(first.extra).toEqual(shape.extra);

		clock.advance(KEPT_UNTIL_MS);
		expect((await auth.getToken(config, deps)).accessToken).toBe(first.accessToken);
		expect(await tokenRequests(endpoint)).toBe(1);

		clock.advance(DUE_AFTER_MS);
		const renewed = await Promise.all(Array.from({ length: CALLERS }, () => auth.getToken(config, deps)));
		expect(new Set(renewed.map((token) => token.accessToken)).size).toBe(1);
		expect(renewed[0].accessToken).not.toBe(first.accessToken);
		expect(await tokenRequests(endpoint)).toBe(2);
		expect(await apiStatus(renewed[0])).toBe(200);

		const stats = await lab.stats();
		expect(stats.apiExpired).toBe(0);
		expect(stats.api401).toBe(0);
		assertNoLeaks(JSON.stringify([first.extra, renewed[0].extra]), await issuedValues(), 'extra');
	});

	it('a token field named wrong: the error names the path and the response by its names, no token value', async () => {
		const error = await failure(auth.getToken({ ...shape.config(), responseFields: { accessToken: 'nowhere.token' } }, deps));
		expect(error.status).toBe(200);
		expect(error.message).toContain('failed: 200, the response has no access token at nowhere.token.');
		expect(error.message).toMatch(/the response has (members|form-encoded pairs): /);
		expect(await tokenRequests(endpoint)).toBe(1);
		assertNoLeaks(errorText(error), await issuedValues(), 'error');
	});
});

describe('refresh tokens under other names or nested (password grant)', () => {
	const password = (shape: string, more: Partial<TokenRequestConfig> = {}): TokenRequestConfig =>
		nested(shape, { grantType: 'password', username: 'alice', password: 'alice-password', ...more });

	it.each([
		['data.refresh_token', () => password('data')],
		['refreshToken', () => password('camel')],
		['payload.credentials.renewal, named by the user', () => password('custom', { responseFields: CUSTOM_FIELDS })],
	])('%s is read, kept out of extra, and renews the token when due', async (_label, configOf) => {
		const config = configOf();
		const first = await auth.getToken(config, deps);
		expect(first.refreshToken).toMatch(/^nested-refresh-/);
		clock.advance(KEPT_UNTIL_MS + DUE_AFTER_MS);
		const renewed = await auth.getToken(config, deps);
		expect(renewed.accessToken).not.toBe(first.accessToken);
		expect(renewed.refreshToken).not.toBe(first.refreshToken);
		expect(await tokenRequests('wild-nested', 'password')).toBe(1);
		expect(await tokenRequests('wild-nested', 'refresh_token')).toBe(1);
		expect(await apiStatus(renewed)).toBe(200);
		expect((await lab.stats()).apiExpired).toBe(0);
		assertNoLeaks(JSON.stringify([first.extra, renewed.extra]), await issuedValues(), 'extra');
	});
});

describe('errors of responses off the textbook', () => {
	it('a form-encoded invalid_client is the usual OAuth2TokenError, with its description and hint', async () => {
		const error = await failure(auth.getToken(clientCredentials(`${lab.urls.wildBaseUrl}/form-response/token?as=text`, 'form-client', 'wrong-secret'), deps));
		expect(error).toMatchObject({ status: 401, error: 'invalid_client', errorDescription: 'Client authentication failed' });
		expect(error.message).toContain('failed: 401 invalid_client (Client authentication failed).');
		assertNoLeaks(errorText(error), [{ value: 'wrong-secret', label: 'client secret', clientId: 'form-client' }], 'form error');
	});

	it('a nested shape auto-detection cannot read: the error says where it looked and to name the field', async () => {
		const error = await failure(auth.getToken(nested('custom'), deps));
		expect(error.message).toContain('failed: 200, the response has no access_token.');
		expect(error.message).toContain('looked for (access_token, accessToken, token, at the top level and under data, result, data.attributes)');
		expect(error.message).toContain('the response has members: status, payload {credentials {bearer, validUntil}, session {id_token, user}}');
		expect(error.message).toContain('name its field: responseFields, then responseFields.accessToken');
		assertNoLeaks(errorText(error), await issuedValues(), 'no token');
	});
});
