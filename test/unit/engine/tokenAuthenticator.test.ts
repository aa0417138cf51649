import { TokenAuthenticator } from '../../../engine/tokenAuthenticator';
import { OAuth2ConfigError, OAuth2TokenError } from '../../../engine/error';
import { newFingerprint, tokenCacheKeyOf } from '../../../engine/fingerprint';
import * as engine from '../../../engine';
import type { TransportResponse } from '../../../engine/types';
import {
	config,
	countingTransport,
	FakeClock,
	fakeTransport,
	flush,
	formOf,
	jsonResponse,
	networkError,
	passwordConfig,
	PASSWORD,
	recordingSleep,
	SECRET,
	tokenResponse,
} from './helpers';
import { findLeaks } from '../../support/leakSearch';

function setup(maxEntries?: number) {
	const clock = new FakeClock();
	const auth = new TokenAuthenticator({ clock, maxEntries, retry: { random: () => 0.5 } });
	const sleep = recordingSleep();
	return { clock, auth, sleep };
}

/** A transport whose answers wait until `open()` is called, so callers really overlap. */
function gatedTransport(answer: (call: number) => TransportResponse | Error = (call) => tokenResponse(`token-${call}`)) {
	let open!: () => void;
	let gate = new Promise<void>((resolve) => (open = resolve));
	const transport = fakeTransport(async (_request, call) => {
		await gate;
		const result = answer(call);
		if (result instanceof Error) throw result;
		return result;
	});
	return {
		transport,
		open: () => open(),
		reset: () => {
			gate = new Promise<void>((resolve) => (open = resolve));
		},
	};
}

describe('index', () => {
	it('exports the class, not a process-wide instance (the host owns that)', () => {
		expect(engine.TokenAuthenticator).toBe(TokenAuthenticator);
		expect('sharedAuthenticator' in engine).toBe(false);
	});
});

describe('getToken: cache and renewal margin', () => {
	it('fetches once and serves the cached token until it is due', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport(); // expires_in 3600
		const deps = { transport, sleep };
		expect((await auth.getToken(config(), deps)).accessToken).toBe('token-1');
		clock.advance(3_539_000); // 61 s left: not due
		expect((await auth.getToken(config(), deps)).accessToken).toBe('token-1');
		expect(auth.peek(tokenCacheKeyOf(config()))?.accessToken).toBe('token-1');
		clock.advance(1000); // 60 s left: due
		expect(auth.peek(tokenCacheKeyOf(config()))).toBeUndefined();
		expect((await auth.getToken(config(), deps)).accessToken).toBe('token-2');
		expect(transport.calls).toHaveLength(2);
	});

	it('honours renewalMarginSeconds', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport();
		const cfg = config({ renewalMarginSeconds: 600 });
		await auth.getToken(cfg, { transport, sleep });
		clock.advance(2_999_000);
		expect((await auth.getToken(cfg, { transport, sleep })).accessToken).toBe('token-1');
		clock.advance(1000);
		expect((await auth.getToken(cfg, { transport, sleep })).accessToken).toBe('token-2');
	});

	it('caps the margin at half the lifetime, so short-lived tokens are still used', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport({ expires_in: 30 });
		await auth.getToken(config(), { transport, sleep });
		clock.advance(14_000);
		expect((await auth.getToken(config(), { transport, sleep })).accessToken).toBe('token-1');
		clock.advance(1000); // 15 s of 30 left
		expect((await auth.getToken(config(), { transport, sleep })).accessToken).toBe('token-2');
	});

	it('isDue: margin default 60 s, capped at half the lifetime, 0 allowed', () => {
		const { auth } = setup();
		const now = 1_000_000;
		expect(auth.isDue({ expiresAt: now + 61_000 }, {}, now)).toBe(false);
		expect(auth.isDue({ expiresAt: now + 60_000 }, {}, now)).toBe(true);
		expect(auth.isDue({ expiresAt: now + 20_000, obtainedAt: now - 19_000 }, {}, now)).toBe(false);
		expect(auth.isDue({ expiresAt: now + 20_000, obtainedAt: now - 20_000 }, {}, now)).toBe(true);
		expect(auth.isDue({ expiresAt: now + 1 }, { renewalMarginSeconds: 0 }, now)).toBe(false);
		expect(auth.isDue({ expiresAt: now }, { renewalMarginSeconds: 0 }, now)).toBe(true);
		expect(auth.isDue({ expiresAt: Number.NaN }, {}, now)).toBe(true);
	});

	it('keeps separate tokens per configuration', async () => {
		const { auth, sleep } = setup();
		const transport = countingTransport();
		const a = await auth.getToken(config({ scope: 'a' }), { transport, sleep });
		const b = await auth.getToken(config({ scope: 'b' }), { transport, sleep });
		const c = await auth.getToken(config({ clientSecret: 'another-secret' }), { transport, sleep });
		expect(new Set([a.accessToken, b.accessToken, c.accessToken]).size).toBe(3);
		expect((await auth.getToken(config({ scope: 'a' }), { transport, sleep })).accessToken).toBe(a.accessToken);
	});

	it('bounds the cache', async () => {
		const { auth, sleep } = setup(3);
		const transport = countingTransport();
		for (const scope of ['a', 'b', 'c', 'd']) await auth.getToken(config({ scope }), { transport, sleep });
		expect(auth.size).toBe(3);
		expect(auth.peek(tokenCacheKeyOf(config({ scope: 'a' })))).toBeUndefined();
		await auth.getToken(config({ scope: 'a' }), { transport, sleep });
		expect(transport.calls).toHaveLength(5);
	});

	it('rejects a bad configuration with OAuth2ConfigError before any request', async () => {
		const { auth, sleep } = setup();
		const transport = countingTransport();
		await expect(auth.getToken(config({ tokenUrl: 'nope' }), { transport, sleep })).rejects.toBeInstanceOf(OAuth2ConfigError);
		expect(transport.calls).toHaveLength(0);
	});
});

describe('getToken: single-flight', () => {
	it('200 concurrent callers cause 1 request; after expiry the next 200 cause 1 more', async () => {
		const { clock, auth, sleep } = setup();
		const gated = gatedTransport();
		const deps = { transport: gated.transport, sleep };
		const first = Array.from({ length: 200 }, () => auth.getToken(config(), deps));
		await flush();
		gated.open();
		const tokens = await Promise.all(first);
		expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['token-1']));
		expect(gated.transport.calls).toHaveLength(1);

		clock.advance(3_600_000);
		gated.reset();
		const second = Array.from({ length: 200 }, () => auth.getToken(config(), deps));
		await flush();
		gated.open();
		const renewed = await Promise.all(second);
		expect(new Set(renewed.map((token) => token.accessToken))).toEqual(new Set(['token-2']));
		expect(gated.transport.calls).toHaveLength(2);
	});

	it('10,000 concurrent callers cause 1 request', async () => {
		const { auth, sleep } = setup();
		const gated = gatedTransport();
		const callers = Array.from({ length: 10_000 }, () => auth.getToken(config(), { transport: gated.transport, sleep }));
		await flush();
		gated.open();
		const tokens = await Promise.all(callers);
		expect(tokens.every((token) => token.accessToken === 'token-1')).toBe(true);
		expect(gated.transport.calls).toHaveLength(1);
	});

	it('a failed fetch reaches every waiter and is not cached', async () => {
		const { auth, sleep } = setup();
		const gated = gatedTransport((call) =>
			call === 1 ? jsonResponse(401, { error: 'invalid_client', error_description: 'bad client' }) : tokenResponse('after'),
		);
		const callers = Array.from({ length: 50 }, () => auth.getToken(config(), { transport: gated.transport, sleep }));
		await flush();
		gated.open();
		const results = await Promise.allSettled(callers);
		expect(results.every((result) => result.status === 'rejected' && result.reason instanceof OAuth2TokenError)).toBe(true);
		const reasons = new Set(results.map((result) => (result as PromiseRejectedResult).reason));
		expect(reasons.size).toBe(1);
		expect(gated.transport.calls).toHaveLength(1);
		expect((await auth.getToken(config(), { transport: gated.transport, sleep })).accessToken).toBe('after');
		expect(gated.transport.calls).toHaveLength(2);
	});

	it('a network failure reaches every waiter too', async () => {
		const { auth } = setup();
		const sleep = recordingSleep();
		const gated = gatedTransport(() => networkError('ECONNREFUSED'));
		const callers = Array.from({ length: 20 }, () => auth.getToken(config(), { transport: gated.transport, sleep }));
		await flush();
		gated.open();
		const results = await Promise.allSettled(callers);
		expect(results.every((result) => result.status === 'rejected' && (result.reason as OAuth2TokenError).networkCode === 'ECONNREFUSED')).toBe(true);
		expect(gated.transport.calls).toHaveLength(3);
		expect(sleep.calls).toEqual([375, 750]);
	});
});

describe('invalidation', () => {
	it('50 concurrent invalidations of the same token cause 1 renewal', async () => {
		const { auth, sleep } = setup();
		const gated = gatedTransport();
		const deps = { transport: gated.transport, sleep };
		gated.open();
		const bad = await auth.getToken(config(), deps);
		gated.reset();
		const key = tokenCacheKeyOf(config());
		const callers = Array.from({ length: 50 }, () => {
			auth.invalidate(key, bad.accessToken);
			return auth.getToken(config(), deps);
		});
		await flush();
		gated.open();
		const tokens = await Promise.all(callers);
		expect(tokens.every((token) => token.accessToken === 'token-2')).toBe(true);
		expect(gated.transport.calls).toHaveLength(2);
	});

	it('50 concurrent getToken calls with rejectToken cause 1 renewal, late callers get the new token', async () => {
		const { auth, sleep } = setup();
		const gated = gatedTransport();
		const deps = { transport: gated.transport, sleep };
		gated.open();
		const bad = await auth.getToken(config(), deps);
		gated.reset();
		const callers = Array.from({ length: 50 }, () => auth.getToken(config(), deps, { rejectToken: bad.accessToken }));
		await flush();
		gated.open();
		expect((await Promise.all(callers)).every((token) => token.accessToken === 'token-2')).toBe(true);
		const late = await auth.getToken(config(), deps, { rejectToken: bad.accessToken });
		expect(late.accessToken).toBe('token-2');
		expect(gated.transport.calls).toHaveLength(2);
	});

	it('invalidating an old token does not drop a newer one', async () => {
		const { auth, sleep } = setup();
		const transport = countingTransport();
		const key = tokenCacheKeyOf(config());
		const old = await auth.getToken(config(), { transport, sleep });
		expect(auth.invalidate(key, old.accessToken)).toBe(true);
		const fresh = await auth.getToken(config(), { transport, sleep });
		expect(auth.invalidate(key, old.accessToken)).toBe(false);
		expect(auth.peek(key)?.accessToken).toBe(fresh.accessToken);
		expect((await auth.getToken(config(), { transport, sleep }, { rejectToken: old.accessToken })).accessToken).toBe(fresh.accessToken);
		expect(transport.calls).toHaveLength(2);
	});

	it('invalidate of an unknown cache key is a no-op', () => {
		const { auth } = setup();
		expect(auth.invalidate('nope', 'x')).toBe(false);
	});
});

describe('stored tokens', () => {
	it('uses a stored token that fits and is not due, without a request, and caches it', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport();
		const fingerprint = newFingerprint(config());
		const stored = { accessToken: 'stored-at', expiresAt: clock.now() + 600_000, fingerprint, tokenType: 'Bearer' };
		const token = await auth.getToken(config(), { transport, sleep }, { stored });
		expect(token).toMatchObject({ accessToken: 'stored-at', expiresAt: stored.expiresAt, tokenType: 'Bearer' });
		expect(transport.calls).toHaveLength(0);
		expect((await auth.getToken(config(), { transport, sleep })).accessToken).toBe('stored-at');
		expect(auth.peek(tokenCacheKeyOf(config()))?.accessToken).toBe('stored-at');
	});

	it('ignores a stored token of another configuration, a due one and the rejected one', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport();
		const fingerprint = newFingerprint(config());
		const later = clock.now() + 600_000;
		expect((await auth.getToken(config(), { transport, sleep }, { stored: { accessToken: 's', expiresAt: later, fingerprint: newFingerprint(config({ scope: 'x' })) } })).accessToken).toBe('token-1');
		auth.clear();
		expect((await auth.getToken(config(), { transport, sleep }, { stored: { accessToken: 's', expiresAt: clock.now() + 30_000, fingerprint } })).accessToken).toBe('token-2');
		auth.clear();
		expect((await auth.getToken(config(), { transport, sleep }, { stored: { accessToken: 's', expiresAt: later, fingerprint }, rejectToken: 's' })).accessToken).toBe('token-3');
		expect(transport.calls).toHaveLength(3);
	});

	it('a cached token that is not due wins over a stored one', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport();
		await auth.getToken(config(), { transport, sleep });
		const stored = { accessToken: 'other', expiresAt: clock.now() + 600_000, fingerprint: newFingerprint(config()) };
		expect((await auth.getToken(config(), { transport, sleep }, { stored })).accessToken).toBe('token-1');
	});

	it('caps the margin of a stored token at half its lifetime when obtainedAt is known', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport();
		const fingerprint = newFingerprint(config());
		const stored = { accessToken: 'short', obtainedAt: clock.now() - 40_000, expiresAt: clock.now() + 50_000, fingerprint };
		expect((await auth.getToken(config(), { transport, sleep }, { stored })).accessToken).toBe('short');
		clock.advance(5_000); // 45 s of 90 left
		expect((await auth.getToken(config(), { transport, sleep })).accessToken).toBe('token-1');
	});
});

describe('password grant with refresh tokens', () => {
	const pw = () => passwordConfig({ clientAuthentication: 'body' });

	it('renews with the refresh token, and keeps it when the response has none', async () => {
		const { clock, auth, sleep } = setup();
		const transport = fakeTransport((request, call) => {
			const form = formOf(request);
			if (form.get('grant_type') === 'password') return tokenResponse(`pw-${call}`, { refresh_token: 'rt-1' });
			expect(form.get('refresh_token')).toBe('rt-1');
			return tokenResponse(`refreshed-${call}`);
		});
		const first = await auth.getToken(pw(), { transport, sleep });
		expect(first).toMatchObject({ accessToken: 'pw-1', refreshToken: 'rt-1' });
		clock.advance(3_600_000);
		const second = await auth.getToken(pw(), { transport, sleep });
		expect(second).toMatchObject({ accessToken: 'refreshed-2', refreshToken: 'rt-1' });
		clock.advance(3_600_000);
		expect((await auth.getToken(pw(), { transport, sleep })).accessToken).toBe('refreshed-3');
		expect(transport.calls.map((request) => formOf(request).get('grant_type'))).toEqual(['password', 'refresh_token', 'refresh_token']);
	});

	it('uses a rotated refresh token', async () => {
		const { clock, auth, sleep } = setup();
		let issued = 0;
		const transport = fakeTransport((request) => {
			const form = formOf(request);
			if (form.get('grant_type') === 'refresh_token') expect(form.get('refresh_token')).toBe(`rt-${issued}`);
			issued++;
			return tokenResponse(`at-${issued}`, { refresh_token: `rt-${issued}` });
		});
		await auth.getToken(pw(), { transport, sleep });
		clock.advance(3_600_000);
		await auth.getToken(pw(), { transport, sleep });
		clock.advance(3_600_000);
		expect(await auth.getToken(pw(), { transport, sleep })).toMatchObject({ accessToken: 'at-3', refreshToken: 'rt-3' });
	});

	it.each([
		['invalid_grant', jsonResponse(400, { error: 'invalid_grant', error_description: 'expired' })],
		['a 401', jsonResponse(401, { error: 'invalid_token' })],
		['a 400 without JSON', { statusCode: 400, headers: {}, body: 'bad' }],
	])('falls back once to the password grant after %s', async (_label, refusal) => {
		const { clock, auth, sleep } = setup();
		const transport = fakeTransport((request, call) => {
			if (formOf(request).get('grant_type') === 'refresh_token') return refusal;
			return tokenResponse(`pw-${call}`, call === 1 ? { refresh_token: 'rt-old' } : {});
		});
		await auth.getToken(pw(), { transport, sleep });
		clock.advance(3_600_000);
		const token = await auth.getToken(pw(), { transport, sleep });
		expect(token.accessToken).toBe('pw-3');
		expect(token.refreshToken).toBeUndefined();
		expect(transport.calls.map((request) => formOf(request).get('grant_type'))).toEqual(['password', 'refresh_token', 'password']);
		clock.advance(3_600_000);
		await auth.getToken(pw(), { transport, sleep });
		expect(formOf(transport.calls[3]).get('grant_type')).toBe('password');
	});

	it('does not fall back when the refresh failed for another reason', async () => {
		const { clock, auth, sleep } = setup();
		const transport = fakeTransport((request, call) => {
			if (formOf(request).get('grant_type') === 'refresh_token') return jsonResponse(500, { error: 'server_error' });
			return tokenResponse(`pw-${call}`, { refresh_token: 'rt' });
		});
		await auth.getToken(pw(), { transport, sleep });
		clock.advance(3_600_000);
		const error = (await auth.getToken(pw(), { transport, sleep }).catch((e: unknown) => e)) as OAuth2TokenError;
		expect(error.status).toBe(500);
		expect(error.grant).toBe('refresh_token');
		expect(transport.calls).toHaveLength(2);
	});

	it('uses the stored refresh token when nothing is cached (what n8n passes after a restart)', async () => {
		const { auth, sleep } = setup();
		const transport = fakeTransport((request) => {
			const form = formOf(request);
			expect(form.get('grant_type')).toBe('refresh_token');
			expect(form.get('refresh_token')).toBe('stored-rt');
			return tokenResponse('from-refresh');
		});
		const stored = { accessToken: '', expiresAt: 0, refreshToken: 'stored-rt', fingerprint: newFingerprint(pw()) };
		const token = await auth.getToken(pw(), { transport, sleep }, { stored, rejectToken: 'old-at' });
		expect(token).toMatchObject({ accessToken: 'from-refresh', refreshToken: 'stored-rt' });
	});

	it('keeps the refresh token when the access token is invalidated', async () => {
		const { auth, sleep } = setup();
		const transport = fakeTransport((request, call) =>
			formOf(request).get('grant_type') === 'password' ? tokenResponse(`pw-${call}`, { refresh_token: 'rt' }) : tokenResponse(`rf-${call}`),
		);
		const first = await auth.getToken(pw(), { transport, sleep });
		const second = await auth.getToken(pw(), { transport, sleep }, { rejectToken: first.accessToken });
		expect(second.accessToken).toBe('rf-2');
	});

	it('client credentials never uses the refresh grant', async () => {
		const { clock, auth, sleep } = setup();
		const transport = countingTransport({ refresh_token: 'rt' });
		await auth.getToken(config(), { transport, sleep });
		clock.advance(3_600_000);
		await auth.getToken(config(), { transport, sleep });
		expect(transport.calls.map((request) => formOf(request).get('grant_type'))).toEqual(['client_credentials', 'client_credentials']);
	});
});

describe('no secret in any error message', () => {
	const REFRESH = 'refresh-Tok3n-value';
	const ACCESS = 'access-Tok3n-value';

	function leaks(message: string): string[] {
		const values = [{ value: SECRET, clientId: 'my-client', label: 'secret' }, { value: PASSWORD, label: 'password' }, { value: REFRESH, label: 'refresh token' }, { value: ACCESS, label: 'access token' }];
		return findLeaks(message, values).map((leak) => `${leak.label} as ${leak.encoding}`);
	}

	const echo = `client_secret=${SECRET}&password=${PASSWORD}&refresh_token=${REFRESH} Authorization: Basic ${Buffer.from(`my-client:${SECRET}`).toString('base64')} bearer ${ACCESS}`;

	it.each<[string, TransportResponse | Error]>([
		['an OAuth error echoing them', jsonResponse(400, { error: 'invalid_request', error_description: echo, error_uri: `https://x/?s=${SECRET}` })],
		['an HTML page echoing them', { statusCode: 500, headers: { 'content-type': 'text/html' }, body: `<html>${echo}</html>` }],
		['a text body echoing them', { statusCode: 200, headers: {}, body: echo }],
		['a JSON body with a message', jsonResponse(403, { message: echo })],
		['a network error echoing them', networkError('ECONNRESET', echo)],
		['a non-retryable network error', networkError('EPROTO', echo)],
	])('%s', async (_label, answer) => {
		const { clock, auth, sleep } = setup();
		const cfg = passwordConfig({ tokenUrl: `https://alice:${PASSWORD}@auth.example.test/token?client_secret=${encodeURIComponent(SECRET)}` });
		let call = 0;
		const transport = fakeTransport(() => {
			call++;
			if (call === 1) return tokenResponse(ACCESS, { refresh_token: REFRESH });
			if (answer instanceof Error) throw answer;
			return answer;
		});
		await auth.getToken(cfg, { transport, sleep });
		clock.advance(3_600_000);
		const error = (await auth.getToken(cfg, { transport, sleep }, { rejectToken: ACCESS }).catch((e: unknown) => e)) as Error;
		expect(error).toBeInstanceOf(OAuth2TokenError);
		expect(leaks(error.message)).toEqual([]);
		expect(leaks(JSON.stringify(error))).toEqual([]);
		expect(leaks(String(error.stack))).toEqual([]);
		expect(error.message).toContain('https://auth.example.test/token');
	});
});

describe('a custom grant type (issue 15, item 4)', () => {
	it('renews with the custom grant again, never with a refresh token the server gave', async () => {
		const { clock, auth, sleep } = setup();
		const transport = fakeTransport((_request, call) => tokenResponse(`zoom-${call}`, { refresh_token: 'rt-unused', expires_in: 3599 }));
		const zoom = config({ customGrantType: 'account_credentials', extraParameters: [{ name: 'account_id', value: 'acc-1' }] });
		expect((await auth.getToken(zoom, { transport, sleep })).accessToken).toBe('zoom-1');
		clock.advance(3600 * 1000);
		expect((await auth.getToken(zoom, { transport, sleep })).accessToken).toBe('zoom-2');
		expect(transport.calls.map((request) => formOf(request).get('grant_type'))).toEqual(['account_credentials', 'account_credentials']);
		expect(transport.calls.every((request) => formOf(request).get('refresh_token') === null)).toBe(true);
	});

	it('keeps the token of the standard grant apart from the custom one', async () => {
		const { auth, sleep } = setup();
		const transport = countingTransport();
		const standard = await auth.getToken(config(), { transport, sleep });
		const custom = await auth.getToken(config({ customGrantType: 'account_credentials' }), { transport, sleep });
		expect(custom.accessToken).not.toBe(standard.accessToken);
		expect(transport.calls).toHaveLength(2);
	});

	it('query parameters are no secrets, but a credential-looking name is masked where the sent URL is shown', async () => {
		const { auth, sleep } = setup();
		const transport = fakeTransport(() => ({ statusCode: 307, headers: { location: 'https://elsewhere.example.test/token' }, body: '' }));
		const extraParameters = [
			{ name: 'account_id', value: 'acc-1', sendIn: 'query' as const },
			{ name: 'api_key', value: 'Query-K3y-9f8e', sendIn: 'query' as const },
		];
		const error = (await auth.getToken(config({ extraParameters }), { transport, sleep }).catch((e: unknown) => e)) as Error;
		expect(transport.calls[0].url).toBe('https://auth.example.test/oauth/token?account_id=acc-1&api_key=Query-K3y-9f8e');
		expect(error.message).toContain('The token request to https://auth.example.test/oauth/token?account_id=acc-1&api_key=*** was redirected (307) to another origin');
		expect(error.message).not.toContain('Query-K3y-9f8e');
	});

	it('a network failure names the custom grant on the error', async () => {
		const { auth, sleep } = setup();
		const transport = fakeTransport(() => {
			throw networkError('ECONNREFUSED');
		});
		const error = await auth.getToken(config({ customGrantType: 'account_credentials' }), { transport, sleep }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OAuth2TokenError);
		expect((error as OAuth2TokenError).customGrant).toBe('account_credentials');
		expect((error as OAuth2TokenError).grant).toBe('client_credentials');
	});
});
