// The token engine against real authorization servers (oidc-provider, @node-oauth/oauth2-server, the
// lab's JSON-only and fault endpoints), through a plain axios transport. Asserts what the servers
// received (the lab's token log) and what they answered.

import axios from 'axios';

import {
	newFingerprint,
	tokenCacheKeyOf,
	OAuth2TokenError,
	readJwtClaims,
	TokenAuthenticator,
	type Clock,
	type Sleep,
	type Token,
	type TokenRequestConfig,
} from '../../engine';
import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { useLab } from '../support/lab';
import { axiosTransport } from './axiosTransport';

const SPECIAL = 'p%s+w:rd/é';
const SPECIAL_ASCII = 'p%s+w:rd/x';

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

const lab = useLab();
let clock: ManualClock;
let auth: TokenAuthenticator;
const deps = { transport: axiosTransport, sleep: realSleep };



beforeEach(async () => {
	await lab.reset();
	await lab.configure({ accessTokenTtlSeconds: 3600, tokenDelayMs: 0 });
	clock = new ManualClock();
	auth = new TokenAuthenticator({ clock, retry: { baseDelayMs: 20 } });
});

function oidc(overrides: Partial<TokenRequestConfig> = {}): TokenRequestConfig {
	return {
		tokenUrl: lab.urls.oidcTokenUrl,
		grantType: 'client_credentials',
		clientId: 'cc-basic',
		clientSecret: 'cc-basic-secret',
		clientAuthentication: 'header',
		requestFormat: 'form',
		...overrides,
	};
}

function oauth2(overrides: Partial<TokenRequestConfig> = {}): TokenRequestConfig {
	return {
		tokenUrl: lab.urls.oauth2TokenUrl,
		grantType: 'password',
		clientId: 'pw-client',
		clientSecret: 'pw-client-secret',
		clientAuthentication: 'body',
		requestFormat: 'form',
		username: 'alice',
		password: 'alice-password',
		...overrides,
	};
}

function jsonEndpoint(overrides: Partial<TokenRequestConfig> = {}): TokenRequestConfig {
	return {
		tokenUrl: lab.urls.jsonTokenUrl,
		grantType: 'client_credentials',
		clientId: 'json-client',
		clientSecret: 'json-secret',
		clientAuthentication: 'body',
		requestFormat: 'json',
		...overrides,
	};
}

async function failure(config: TokenRequestConfig, authenticator = auth): Promise<OAuth2TokenError> {
	const error = await authenticator.getToken(config, deps).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(OAuth2TokenError);
	return error as OAuth2TokenError;
}

/** What the lab's API says about a token: who it was issued to and how. */
async function apiClient(token: Token): Promise<Record<string, unknown>> {
	const response = await axios.get(`${lab.urls.apiUrl}/echo`, {
		headers: { authorization: `${token.tokenType} ${token.accessToken}` },
		validateStatus: () => true,
	});
	expect(response.status).toBe(200);
	return response.data.client as Record<string, unknown>;
}

function expectNoSecret(message: string, ...secrets: string[]): void {
	for (const secret of secrets) expect(message).not.toContain(secret);
}

describe('oidc-provider (client credentials)', () => {
	it('client_secret_basic: header authentication, token accepted by the API', async () => {
		const token = await auth.getToken(oidc({ scope: 'read' }), deps);
		expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'read' });
		expect(token.expiresAt - token.obtainedAt).toBe(3_600_000);
		expect(await apiClient(token)).toMatchObject({ issuer: 'oidc', clientId: 'cc-basic', grant: 'client_credentials', scope: 'read' });
		const { tokenLog } = await lab.stats();
		expect(tokenLog).toHaveLength(1);
		expect(tokenLog[0]).toMatchObject({
			endpoint: 'oidc',
			grant: 'client_credentials',
			clientId: 'cc-basic',
			authMethod: 'basic',
			status: 200,
			contentType: 'application/x-www-form-urlencoded',
		});
	});

	it('client_secret_post: body authentication', async () => {
		const token = await auth.getToken(oidc({ clientId: 'cc-post', clientSecret: 'cc-post-secret', clientAuthentication: 'body' }), deps);
		expect(await apiClient(token)).toMatchObject({ clientId: 'cc-post' });
		expect((await lab.stats()).tokenLog[0]).toMatchObject({ clientId: 'cc-post', authMethod: 'body', status: 200 });
	});

	it('oidc-provider 9 takes either secret method whatever the client registered (observed, not enforced)', async () => {
		const basicInBody = await auth.getToken(oidc({ clientAuthentication: 'body' }), deps);
		const postInHeader = await auth.getToken(oidc({ clientId: 'cc-post', clientSecret: 'cc-post-secret' }), deps);
		expect(await apiClient(basicInBody)).toMatchObject({ clientId: 'cc-basic' });
		expect(await apiClient(postInHeader)).toMatchObject({ clientId: 'cc-post' });
		expect((await lab.stats()).tokenLog.map((entry) => [entry.clientId, entry.authMethod, entry.status])).toEqual([
			['cc-basic', 'body', 200],
			['cc-post', 'basic', 200],
		]);
	});

	it('resource indicator: a JWT for the API audience, lifetime from expires_in', async () => {
		await lab.configure({ accessTokenTtlSeconds: 900 });
		const token = await auth.getToken(oidc({ scope: 'read, write', resource: ['https://api.example.test/'] }), deps);
		const claims = readJwtClaims(token.accessToken);
		expect(claims).toMatchObject({ aud: 'https://api.example.test/', client_id: 'cc-basic', scope: 'read write' });
		expect(token.expiresAt - token.obtainedAt).toBe(900_000);
		expect(Math.abs((claims!.exp as number) * 1000 - token.expiresAt)).toBeLessThan(5_000);
		const response = await axios.get(`${lab.urls.apiUrl}/text`, { headers: { authorization: `Bearer ${token.accessToken}` } });
		expect(response.data).toBe('hello from the lab');
	});

	it('an unknown resource is invalid_target', async () => {
		const error = await failure(oidc({ resource: ['https://other.example.test/'] }));
		expect(error).toMatchObject({ status: 400, error: 'invalid_target', retryable: false });
		expect(error.message).toContain('resource indicator');
	});

	it('RFC Basic (header) works for a secret with reserved characters; raw Basic (headerRaw) is refused', async () => {
		const config = oidc({ clientId: 'cc-special-ascii', clientSecret: SPECIAL_ASCII });
		const token = await auth.getToken(config, deps);
		expect(await apiClient(token)).toMatchObject({ clientId: 'cc-special-ascii' });
		const error = await failure({ ...config, clientAuthentication: 'headerRaw' });
		expect(error).toMatchObject({ status: 400, error: 'invalid_request' });
		expectNoSecret(error.message, SPECIAL_ASCII, encodeURIComponent(SPECIAL_ASCII));
		expect((await lab.stats()).tokenLog.map((entry) => entry.status)).toEqual([200, 400]);
	});

	it('refuses the non-ASCII secret p%s+w:rd/é in both Basic forms (oidc-provider allows only VSCHAR)', async () => {
		for (const clientAuthentication of ['header', 'headerRaw'] as const) {
			const error = await failure(oidc({ clientId: 'cc-special', clientSecret: SPECIAL, clientAuthentication }));
			expect(error).toMatchObject({ status: 400, error: 'invalid_request' });
			expectNoSecret(error.message, SPECIAL, encodeURIComponent(SPECIAL));
		}
	});

	it('a wrong secret is invalid_client with the description and no secret', async () => {
		const error = await failure(oidc({ clientSecret: 'wrong-Secret-123' }));
		expect(error).toMatchObject({ status: 401, error: 'invalid_client', retryable: false });
		expect(error.errorDescription).toBeTruthy();
		expect(error.message).toContain(`Token request to ${lab.urls.oidcTokenUrl} failed: 401 invalid_client (${error.errorDescription}).`);
		expectNoSecret(error.message, 'wrong-Secret-123', Buffer.from('cc-basic:wrong-Secret-123').toString('base64'));
	});

	it('a bad scope is invalid_scope with the description', async () => {
		const error = await failure(oidc({ scope: 'read admin' }));
		expect(error).toMatchObject({ status: 400, error: 'invalid_scope' });
		expect(error.errorDescription).toBeTruthy();
		expect(error.message).toContain(error.errorDescription);
		expect(error.message).toContain('Check the scope');
	});

	it('200 concurrent callers: exactly 1 token request reaches the server', async () => {
		await lab.configure({ tokenDelayMs: 150 });
		const tokens = await Promise.all(Array.from({ length: 200 }, () => auth.getToken(oidc(), deps)));
		expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
		const stats = await lab.stats();
		expect(stats.tokenRequests.total).toBe(1);
	});

	it('after expiry the next 200 concurrent callers cause exactly 1 more request', async () => {
		const first = await auth.getToken(oidc(), deps);
		clock.advance(3_600_000);
		const tokens = await Promise.all(Array.from({ length: 200 }, () => auth.getToken(oidc(), deps)));
		expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set([tokens[0].accessToken]));
		expect(tokens[0].accessToken).not.toBe(first.accessToken);
		expect((await lab.stats()).tokenRequests.total).toBe(2);
	});

	it('a token the API refused is renewed once for 50 concurrent callers', async () => {
		const bad = await auth.getToken(oidc(), deps);
		await lab.revokeAll();
		const tokens = await Promise.all(
			Array.from({ length: 50 }, () => auth.getToken(oidc(), deps, { rejectToken: bad.accessToken })),
		);
		expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
		expect(tokens[0].accessToken).not.toBe(bad.accessToken);
		expect(await apiClient(tokens[0])).toMatchObject({ clientId: 'cc-basic' });
		expect((await lab.stats()).tokenRequests.total).toBe(2);
	});
});

describe('@node-oauth/oauth2-server (password and refresh_token)', () => {
	it('password grant with the client in the body; the refresh token is kept', async () => {
		const token = await auth.getToken(oauth2(), deps);
		expect(token.refreshToken).toEqual(expect.any(String));
		expect(await apiClient(token)).toMatchObject({ issuer: 'oauth2', clientId: 'pw-client', grant: 'password' });
		expect((await lab.stats()).tokenLog[0]).toMatchObject({ endpoint: 'oauth2', grant: 'password', authMethod: 'body', status: 200 });
	});

	it('password grant for a public client (none)', async () => {
		const token = await auth.getToken(oauth2({ clientId: 'public-client', clientSecret: '', clientAuthentication: 'none' }), deps);
		expect(await apiClient(token)).toMatchObject({ clientId: 'public-client', grant: 'password' });
		expect((await lab.stats()).tokenLog[0]).toMatchObject({ clientId: 'public-client', authMethod: 'none' });
	});

	it('renews with the refresh_token grant, using the rotated refresh token each time', async () => {
		const config = oauth2({ clientAuthentication: 'headerRaw' });
		const first = await auth.getToken(config, deps);
		clock.advance(3_600_000);
		const second = await auth.getToken(config, deps);
		expect(second.accessToken).not.toBe(first.accessToken);
		expect(second.refreshToken).not.toBe(first.refreshToken);
		expect(await apiClient(second)).toMatchObject({ grant: 'refresh_token', clientId: 'pw-client' });
		clock.advance(3_600_000);
		const third = await auth.getToken(config, deps);
		expect(await apiClient(third)).toMatchObject({ grant: 'refresh_token' });
		const { tokenLog } = await lab.stats();
		expect(tokenLog.map((entry) => [entry.grant, entry.status, entry.authMethod])).toEqual([
			['password', 200, 'basic'],
			['refresh_token', 200, 'basic'],
			['refresh_token', 200, 'basic'],
		]);
	});

	it('falls back to the password grant once when the refresh token was revoked', async () => {
		const config = oauth2();
		await auth.getToken(config, deps);
		await lab.revokeRefreshTokens();
		clock.advance(3_600_000);
		const token = await auth.getToken(config, deps);
		expect(await apiClient(token)).toMatchObject({ grant: 'password' });
		const { tokenLog } = await lab.stats();
		expect(tokenLog.map((entry) => [entry.grant, entry.status])).toEqual([
			['password', 200],
			['refresh_token', 400],
			['password', 200],
		]);
	});

	it('uses a refresh token from storage after a restart (fresh authenticator)', async () => {
		const config = oauth2();
		const first = await auth.getToken(config, deps);
		const restarted = new TokenAuthenticator({ clock });
		const stored = { accessToken: '', expiresAt: 0, refreshToken: first.refreshToken, fingerprint: newFingerprint(config) };
		const token = await restarted.getToken(config, deps, { stored, rejectToken: first.accessToken });
		expect(await apiClient(token)).toMatchObject({ grant: 'refresh_token' });
		expect((await lab.stats()).tokenLog.map((entry) => entry.grant)).toEqual(['password', 'refresh_token']);
	});

	it('a stored access token that is not due is used without a request', async () => {
		const config = oauth2();
		const first = await auth.getToken(config, deps);
		const restarted = new TokenAuthenticator({ clock });
		const token = await restarted.getToken(config, deps, {
			stored: { accessToken: first.accessToken, expiresAt: first.expiresAt, obtainedAt: first.obtainedAt, fingerprint: newFingerprint(config) },
		});
		expect(token.accessToken).toBe(first.accessToken);
		expect((await lab.stats()).tokenRequests.total).toBe(1);
	});

	it('raw Basic (headerRaw) works for a secret with reserved characters; RFC Basic (header) is refused', async () => {
		const config = oauth2({ grantType: 'client_credentials', clientId: 'raw-special-ascii', clientSecret: SPECIAL_ASCII, clientAuthentication: 'headerRaw' });
		const token = await auth.getToken(config, deps);
		expect(await apiClient(token)).toMatchObject({ clientId: 'raw-special-ascii', grant: 'client_credentials' });
		const error = await failure({ ...config, clientAuthentication: 'header' });
		expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
		expectNoSecret(error.message, SPECIAL_ASCII, encodeURIComponent(SPECIAL_ASCII));
	});

	it('refuses the non-ASCII secret p%s+w:rd/é: invalid_request raw, invalid_client RFC-encoded', async () => {
		const config = oauth2({ grantType: 'client_credentials', clientId: 'raw-special', clientSecret: SPECIAL });
		const raw = await failure({ ...config, clientAuthentication: 'headerRaw' });
		expect(raw).toMatchObject({ status: 400, error: 'invalid_request' });
		const rfc = await failure({ ...config, clientAuthentication: 'header' });
		expect(rfc).toMatchObject({ status: 401, error: 'invalid_client' });
		for (const error of [raw, rfc]) expectNoSecret(error.message, SPECIAL, encodeURIComponent(SPECIAL));
	});

	it('a wrong secret is invalid_client with the description and no secret', async () => {
		const error = await failure(oauth2({ clientSecret: 'wrong-Secret-456' }));
		expect(error).toMatchObject({ error: 'invalid_client' });
		expect(error.errorDescription).toBeTruthy();
		expect(error.message).toContain(`(${error.errorDescription})`);
		expectNoSecret(error.message, 'wrong-Secret-456', 'alice-password');
	});

	it('a wrong password is invalid_grant with a hint about the user, and no password', async () => {
		const error = await failure(oauth2({ password: 'Wrong-Pa55word' }));
		expect(error).toMatchObject({ status: 400, error: 'invalid_grant', grant: 'password' });
		expect(error.errorDescription).toBeTruthy();
		expect(error.message).toContain(`400 invalid_grant (${error.errorDescription}). Check the username and password`);
		expectNoSecret(error.message, 'Wrong-Pa55word', 'pw-client-secret');
	});

	it('a bad scope is invalid_scope with the description', async () => {
		const error = await failure(oauth2({ scope: 'admin' }));
		expect(error).toMatchObject({ status: 400, error: 'invalid_scope' });
		expect(error.message).toContain(`(${error.errorDescription})`);
	});

	it('a JSON request is refused by this form-only server with invalid_request and a format hint', async () => {
		const error = await failure(oauth2({ requestFormat: 'json' }));
		expect(error).toMatchObject({ status: 400, error: 'invalid_request' });
		expect(error.message).toContain('request format (form or JSON)');
	});
});

describe('JSON-only token endpoint', () => {
	it('client credentials with the client in the JSON body', async () => {
		const token = await auth.getToken(jsonEndpoint(), deps);
		expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'read write' });
		expect(await apiClient(token)).toMatchObject({ issuer: 'json', clientId: 'json-client', grant: 'client_credentials' });
		expect((await lab.stats()).tokenLog[0]).toMatchObject({ endpoint: 'json', contentType: 'application/json', authMethod: 'body', status: 200 });
	});

	it('password grant with RFC Basic and a scope', async () => {
		const token = await auth.getToken(
			jsonEndpoint({ grantType: 'password', clientAuthentication: 'header', username: 'alice', password: 'alice-password', scope: 'read' }),
			deps,
		);
		expect(token.scope).toBe('read');
		expect(await apiClient(token)).toMatchObject({ grant: 'password', scope: 'read' });
		expect((await lab.stats()).tokenLog[0]).toMatchObject({ grant: 'password', authMethod: 'basic' });
	});

	it('the non-ASCII secret p%s+w:rd/é works with RFC Basic and fails raw on this server', async () => {
		const config = jsonEndpoint({ clientId: 'json-special', clientSecret: SPECIAL, clientAuthentication: 'header' });
		expect(await apiClient(await auth.getToken(config, deps))).toMatchObject({ clientId: 'json-special' });
		const error = await failure({ ...config, clientAuthentication: 'headerRaw' });
		expect(error.status).toBe(400);
		expectNoSecret(error.message, SPECIAL, encodeURIComponent(SPECIAL));
	});

	it('a form request is refused with 415 and the hint names the request format', async () => {
		const error = await failure(jsonEndpoint({ requestFormat: 'form' }));
		expect(error).toMatchObject({ status: 415, error: 'invalid_request' });
		expect(error.message).toContain('Content-Type must be application/json');
		expect(error.message).toContain('request format (form or JSON)');
	});

	it('works through the process-wide sharedAuthenticator', async () => {
		const config = jsonEndpoint({ scope: 'write' });
		sharedAuthenticator.clear();
		const [a, b] = await Promise.all([sharedAuthenticator.getToken(config, deps), sharedAuthenticator.getToken(config, deps)]);
		expect(a.accessToken).toBe(b.accessToken);
		expect(sharedAuthenticator.peek(tokenCacheKeyOf(config))?.accessToken).toBe(a.accessToken);
		expect((await lab.stats()).tokenRequests.total).toBe(1);
		sharedAuthenticator.clear();
	});
});

describe('fault endpoint: what was sent, retries and broken answers', () => {
	function faults(overrides: Partial<TokenRequestConfig> = {}): TokenRequestConfig {
		return {
			tokenUrl: lab.urls.faultTokenUrl,
			grantType: 'client_credentials',
			clientId: 'any client',
			clientSecret: 'any secret',
			clientAuthentication: 'body',
			requestFormat: 'form',
			...overrides,
		};
	}

	it('sends the exact form body: scope normalised, empty scope omitted, resources repeated, extras', async () => {
		await auth.getToken(faults({ scope: ' read,\nwrite ', audience: 'aud', resource: ['https://a/', 'https://b/'], extraParameters: [{ name: 'tenant', value: 'acme' }] }), deps);
		await auth.getToken(faults({ scope: '   ', clientAuthentication: 'none', clientSecret: '' }), deps);
		const [first, second] = (await lab.stats()).faultRequests;
		expect(first.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(first.headers.accept).toBe('application/json');
		expect(first.body).toBe(
			'grant_type=client_credentials&client_id=any+client&client_secret=any+secret&scope=read+write&audience=aud&resource=https%3A%2F%2Fa%2F&resource=https%3A%2F%2Fb%2F&tenant=acme',
		);
		expect(second.body).toBe('grant_type=client_credentials&client_id=any+client');
	});

	it('retries a 503 with Retry-After and a 429, then succeeds', async () => {
		await lab.queueTokenFaults([
			{ status: 503, headers: { 'retry-after': '0' }, body: { error: 'temporarily_unavailable' } },
			{ status: 429, headers: { 'content-type': 'text/plain' }, body: 'slow down' },
		]);
		const token = await auth.getToken(faults(), deps);
		expect(await apiClient(token)).toMatchObject({ issuer: 'faults' });
		expect((await lab.stats()).tokenLog.map((entry) => entry.status)).toEqual([503, 429, 200]);
	});

	it('retries a reset connection', async () => {
		await lab.queueTokenFaults([{ reset: true }]);
		const token = await auth.getToken(faults(), deps);
		expect(token.accessToken).toMatch(/^fault-/);
		expect((await lab.stats()).tokenRequests.total).toBe(2);
	});

	it('does not retry a 500 and reports an HTML page as such', async () => {
		await lab.queueTokenFaults([{ status: 500, headers: { 'content-type': 'text/html' }, body: '<!doctype html><h1>Internal error</h1>' }]);
		const error = await failure(faults());
		expect(error).toMatchObject({ status: 500, retryable: false });
		expect(error.bodySnippet).toContain('<h1>Internal error</h1>');
		expect(error.message).toContain('HTML page');
		expect((await lab.stats()).tokenRequests.total).toBe(1);
	});

	it('gives up after 3 attempts of 502 and says so', async () => {
		await lab.queueTokenFaults([{ status: 502, body: 'bad gateway' }, { status: 502, body: 'bad gateway' }, { status: 502, body: 'bad gateway' }]);
		const error = await failure(faults());
		expect(error).toMatchObject({ status: 502, retryable: true, attempts: 3 });
		expect(error.message).toContain('(3 attempts.)');
	});

	it('a 200 without access_token and a 200 that is not JSON are errors', async () => {
		await lab.queueTokenFaults([
			{ status: 200, headers: { 'content-type': 'application/json' }, body: { token_type: 'Bearer' } },
			{ status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"cut' },
		]);
		expect((await failure(faults())).message).toContain('the response has no access_token');
		// A 200 may hold fresh credentials: its shape is named, its content is not quoted.
		expect((await failure(faults())).message).toContain('the response is not valid JSON (20 characters)');
	});

	it('a hanging server times out after requestTimeoutSeconds with a clear message', async () => {
		await lab.queueTokenFaults([{ hang: true }]);
		const noRetry = new TokenAuthenticator({ clock, retry: { retries: 0 } });
		const error = await failure(faults({ requestTimeoutSeconds: 0.5 }), noRetry);
		expect(error.networkCode).toBe('ECONNABORTED');
		expect(error.retryable).toBe(true);
		expect(error.message).toContain('no response within 0.5 seconds');
	});

	it('an unreachable port is a refused connection', async () => {
		const closed = `http://127.0.0.1:1/token`;
		const noRetry = new TokenAuthenticator({ clock, retry: { retries: 0 } });
		const error = await failure(faults({ tokenUrl: closed }), noRetry);
		expect(error.networkCode).toBe('ECONNREFUSED');
		expect(error.message).toContain('connection refused (ECONNREFUSED)');
		expect(error.message).toContain('127.0.0.1:1');
	});
});
