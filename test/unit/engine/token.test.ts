import { OAuth2TokenError } from '../../../engine/error';
import { MAX_LIFETIME_SECONDS, OAuth2TokenTypeError, parseTokenResponse } from '../../../engine/token';
import type { TransportResponse } from '../../../engine/types';
import { config, jsonResponse, jwtWith, passwordConfig, PASSWORD, SECRET } from './helpers';

const NOW = 1_700_000_000_000;

function parse(response: TransportResponse, overrides = {}) {
	return parseTokenResponse(response, config(overrides), NOW);
}

function failure(response: TransportResponse, cfg = config(), context = {}): OAuth2TokenError {
	try {
		parseTokenResponse(response, cfg, NOW, context);
	} catch (error) {
		expect(error).toBeInstanceOf(OAuth2TokenError);
		return error as OAuth2TokenError;
	}
	throw new Error('expected parseTokenResponse to throw');
}

describe('parseTokenResponse: success', () => {
	it('reads a full token response, keeping the rest in extra', () => {
		const token = parse(
			jsonResponse(200, {
				access_token: 'at-1',
				token_type: 'bearer',
				expires_in: 1800,
				refresh_token: 'rt-1',
				id_token: 'idt',
				scope: 'read write',
				instance_url: 'https://eu1.example.test',
				nested: { a: 1 },
			}),
		);
		expect(token).toEqual({
			accessToken: 'at-1',
			tokenType: 'Bearer',
			expiresAt: NOW + 1_800_000,
			obtainedAt: NOW,
			refreshToken: 'rt-1',
			scope: 'read write',
			extra: { instance_url: 'https://eu1.example.test', nested: { a: 1 } },
		});
	});

	it('takes Bearer in any case, or no type, as Bearer and refuses every other type (RFC 6749 §7.1)', () => {
		for (const type of [undefined, null, '', 'bearer', 'BEARER', ' Bearer ']) {
			expect(parse(jsonResponse(200, { access_token: 'a', ...(type === undefined ? {} : { token_type: type }) })).tokenType).toBe('Bearer');
		}
		for (const type of ['DPoP', 'mac', 'N_A', 'Bearer2', 5]) {
			let caught: unknown;
			try {
				parse(jsonResponse(201, { access_token: 'the-access-token', token_type: type }));
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(OAuth2TokenTypeError);
			expect(caught).toBeInstanceOf(OAuth2TokenError);
			expect((caught as OAuth2TokenTypeError).tokenType).toBe(String(type));
			expect((caught as Error).message).toContain(`of type "${String(type)}"`);
			expect((caught as Error).message).not.toContain('the-access-token');
		}
	});

	it('accepts an array scope and ignores an empty refresh_token', () => {
		const token = parse(jsonResponse(200, { access_token: 'a', scope: ['a', 'b'], refresh_token: '' }));
		expect(token.scope).toBe('a b');
		expect(token.refreshToken).toBeUndefined();
	});
});

describe('parseTokenResponse: lifetime', () => {
	const jwtExp = NOW / 1000 + 900;
	const jwt = jwtWith({ exp: jwtExp });

	it.each([
		['expires_in number', { expires_in: 120 }, 120],
		['expires_in numeric string', { expires_in: '120' }, 120],
		['expires_in fractional', { expires_in: 1.5 }, 1.5],
		['expires_in string with spaces', { expires_in: ' 300 ' }, 300],
		['expires_in 0 falls back to the default', { expires_in: 0 }, 3600],
		['negative expires_in falls back', { expires_in: -10 }, 3600],
		['non-numeric expires_in falls back', { expires_in: 'soon' }, 3600],
		['null expires_in falls back', { expires_in: null }, 3600],
		['missing expires_in falls back', {}, 3600],
		['huge expires_in is capped at a year', { expires_in: 1e300 }, MAX_LIFETIME_SECONDS],
		['Infinity-like string is capped', { expires_in: '9'.repeat(400) }, MAX_LIFETIME_SECONDS],
	])('%s', (_label, fields, seconds) => {
		const token = parse(jsonResponse(200, { access_token: 'opaque', ...fields }));
		expect(token.expiresAt - NOW).toBe(Math.round(seconds * 1000));
		expect(Number.isFinite(new Date(token.expiresAt).getTime())).toBe(true);
	});

	it('uses a JWT exp when expires_in is missing or unusable', () => {
		expect(parse(jsonResponse(200, { access_token: jwt })).expiresAt).toBe(NOW + 900_000);
		expect(parse(jsonResponse(200, { access_token: jwt, expires_in: 0 })).expiresAt).toBe(NOW + 900_000);
		expect(parse(jsonResponse(200, { access_token: jwt, expires_in: 'x' })).expiresAt).toBe(NOW + 900_000);
	});

	it('prefers expires_in over the JWT exp', () => {
		expect(parse(jsonResponse(200, { access_token: jwt, expires_in: 60 })).expiresAt).toBe(NOW + 60_000);
	});

	it('ignores a JWT exp in the past and a JWT exp far away is capped', () => {
		const past = jwtWith({ exp: NOW / 1000 - 10 });
		expect(parse(jsonResponse(200, { access_token: past })).expiresAt).toBe(NOW + 3_600_000);
		const far = jwtWith({ exp: 1e15 });
		expect(parse(jsonResponse(200, { access_token: far })).expiresAt).toBe(NOW + MAX_LIFETIME_SECONDS * 1000);
	});

	it('uses defaultLifetimeSeconds when set', () => {
		expect(parse(jsonResponse(200, { access_token: 'x' }), { defaultLifetimeSeconds: 600 }).expiresAt).toBe(NOW + 600_000);
	});
});

describe('parseTokenResponse: failures', () => {
	it('an OAuth error names the endpoint, status, error, description and hint', () => {
		const error = failure(jsonResponse(401, { error: 'invalid_client', error_description: 'Client authentication failed' }));
		expect(error.message).toBe(
			'Token request to https://auth.example.test/oauth/token failed: 401 invalid_client (Client authentication failed). ' +
				'Check the client ID and secret. If they hold %, +, :, / or other characters that form-encoding changes, the server may read ' +
				'Basic credentials raw (WSO2 and several gateways read Basic credentials raw and refuse the RFC form): choose the automatic ' +
				'or the raw (not encoded) Basic client authentication. Or send them in the body.',
		);
		expect(error.status).toBe(401);
		expect(error.error).toBe('invalid_client');
		expect(error.errorDescription).toBe('Client authentication failed');
		expect(error.retryable).toBe(false);
		expect(error.tokenUrl).toBe('https://auth.example.test/oauth/token');
	});

	it('invalid_grant: the hint depends on the grant', () => {
		const body = jsonResponse(400, { error: 'invalid_grant', error_description: 'bad', error_uri: 'https://docs/x' });
		const pw = failure(body, passwordConfig());
		expect(pw.message).toContain('Check the username and password');
		expect(pw.errorUri).toBe('https://docs/x');
		const refresh = failure(body, passwordConfig(), { grant: 'refresh_token', refreshToken: 'rt' });
		expect(refresh.message).toContain('refresh token has expired');
	});

	it.each([
		['invalid_scope', 'Check the scope'],
		['unauthorized_client', 'not allowed to use the client credentials grant'],
		['unsupported_grant_type', 'does not support the client credentials grant'],
	])('%s has a hint', (code, hint) => {
		expect(failure(jsonResponse(400, { error: code })).message).toContain(hint);
	});

	it('an error in a 200 body is still an error', () => {
		const error = failure(jsonResponse(200, { error: 'invalid_client' }));
		expect(error.status).toBe(200);
		expect(error.error).toBe('invalid_client');
	});

	it('an HTML error page says so, with a snippet', () => {
		const html = `<!DOCTYPE html><html><head><title>Sign in</title></head><body>${'x'.repeat(500)}</body></html>`;
		const error = failure({ statusCode: 500, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html });
		expect(error.message).toContain('failed: 500, the response is an HTML page, not JSON.');
		expect(error.bodySnippet?.startsWith('<!DOCTYPE html><html><head><title>Sign in')).toBe(true);
		expect(error.bodySnippet!.length).toBeLessThanOrEqual(201);
	});

	it('an HTML page with status 200 says so, without a snippet (a success body may hold fresh credentials)', () => {
		const error = failure({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!DOCTYPE html><title>Sign in</title>' });
		expect(error.message).toContain('failed: 200, the response is an HTML page, not JSON.');
		expect(error.message).toContain('web page');
		expect(error.bodySnippet).toBeUndefined();
	});

	it('a non-JSON error body is reported with its start, secrets masked', () => {
		const error = failure({ statusCode: 400, headers: {}, body: `oops secret=${SECRET} pw=${PASSWORD}` }, passwordConfig());
		expect(error.message).toContain('the response is not JSON: "oops secret=*** pw=***"');
		expect(error.bodySnippet).toBe('oops secret=*** pw=***');
		expect(error.message).not.toContain(SECRET);
	});

	it('a non-JSON 200 body is reported by its shape only', () => {
		const error = failure({ statusCode: 200, headers: {}, body: 'token abc-def-ghi' });
		expect(error.message).toContain('200, the response is text (17 characters), not JSON.');
		expect(error.bodySnippet).toBeUndefined();
	});

	it('a 502 with a plain body is retryable and hints at the server', () => {
		const error = failure({ statusCode: 502, headers: {}, body: 'Bad Gateway' });
		expect(error.retryable).toBe(true);
		expect(error.message).toContain('502, the response is not JSON: "Bad Gateway"');
		expect(error.message).toContain('try again later');
	});

	it('an empty error body names the status', () => {
		const error = failure({ statusCode: 404, headers: {}, body: '' });
		expect(error.message).toBe(
			'Token request to https://auth.example.test/oauth/token failed: 404, the response has an empty body. Check the token URL: the server has no token endpoint at this address.',
		);
	});

	it('a JSON error without an OAuth code shows its message', () => {
		const error = failure(jsonResponse(403, { message: 'Forbidden for this client' }));
		expect(error.message).toContain('403 (Forbidden for this client)');
	});

	it.each([
		['missing', {}],
		['null', { access_token: null }],
		['a number', { access_token: 42 }],
		['empty', { access_token: '' }],
		['an object', { access_token: { value: 'x' } }],
	])('an access_token that is %s is an error', (_label, body) => {
		const error = failure(jsonResponse(200, body));
		expect(error.message).toContain('the response has no access_token');
	});

	it.each([['[1,2]'], ['"text"'], ['null'], ['42']])('a JSON body %s that is not an object is an error', (body) => {
		const error = failure({ statusCode: 200, headers: {}, body });
		expect(error.message).toContain('not a JSON object');
	});

	it('strips user info and credential-like query values from the URL in errors', () => {
		const error = failure(jsonResponse(401, { error: 'invalid_client' }), config({ tokenUrl: 'https://user:pw@auth.example.test/token?tenant=a&client_secret=zzz' }));
		expect(error.tokenUrl).toBe('https://auth.example.test/token?tenant=a&client_secret=***');
		expect(error.message).not.toContain('user:pw');
		expect(error.message).not.toContain('zzz');
	});
});

describe('parseTokenResponse: requests off the textbook', () => {
	const KEY = 'gw-Subscr1ption-K3y-abc';
	const zoom = config({ customGrantType: 'account_credentials', extraParameters: [{ name: 'account_id', value: 'acc-1', sendIn: 'query' }] });

	it('names the custom grant that was sent in the hint of unsupported_grant_type, and takes Zoom\'s "reason"', () => {
		const error = failure(jsonResponse(400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' }), zoom);
		expect(error.message).toContain('400 unsupported_grant_type (unsupported grant type)');
		expect(error.message).toContain('The server does not support the grant type account_credentials at this token URL; check the token URL and the customGrantType (its exact spelling).');
		expect(error.customGrant).toBe('account_credentials');
		expect(error.grant).toBe('client_credentials');
	});

	it('names the custom grant in the other grant hints', () => {
		expect(failure(jsonResponse(400, { error: 'unauthorized_client' }), zoom).message).toContain('not allowed to use the account_credentials grant');
		expect(failure(jsonResponse(400, { error: 'invalid_grant' }), zoom).message).toContain('The server refused the account_credentials grant; check that this client may use it, and the extra parameters it needs.');
	});

	it('keeps the standard wording without a custom grant', () => {
		const error = failure(jsonResponse(400, { error: 'unsupported_grant_type' }));
		expect(error.message).toContain('does not support the client credentials grant');
		expect(error.customGrant).toBeUndefined();
	});

	it('says what was sent (names only) when the server gives no reason', () => {
		const error = failure(
			jsonResponse(401, ''),
			config({ customGrantType: 'account_credentials', extraHeaders: [{ name: 'X-Api-Key', value: KEY }], extraParameters: [{ name: 'account_id', value: 'acc-1', sendIn: 'query' }] }),
		);
		expect(error.sent).toBe('grant_type account_credentials, form-encoded body, in the query string: account_id, client authentication: Basic header (RFC-encoded), extra headers: X-Api-Key');
		expect(error.message).not.toContain(KEY);
		expect(error.message).not.toContain('acc-1');
	});

	it('a gateway that wants its key: the gateway hint and the header names, never the key', () => {
		const message = 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.';
		const error = failure(jsonResponse(401, { statusCode: 401, message: `${message} Got ${KEY}.` }), config({ extraHeaders: [{ name: 'Ocp-Apim-Subscription-Key', value: KEY }] }));
		expect(error.message).toContain(`401 (${message} Got ***.)`);
		expect(error.message).toContain('An API gateway in front of the token endpoint refused the request: check the key in extraHeaders');
		expect(error.message).toContain('extra headers: Ocp-Apim-Subscription-Key');
		expect(error.message).not.toContain(KEY);
		const missing = failure(jsonResponse(401, { statusCode: 401, message: 'Access denied due to missing subscription key.' }));
		expect(missing.hint).toContain('An API gateway');
	});

	it('masks a gateway key the server quotes in any encoding', () => {
		const special = "gw-K3y!'()~ %/+:é";
		const quoted = `${special} ${encodeURIComponent(special)} ${Buffer.from(special).toString('base64')} ${JSON.stringify(special).slice(1, -1)}`;
		const error = failure(jsonResponse(400, { error: 'invalid_request', error_description: quoted }), config({ extraHeaders: [{ name: 'X-Api-Key', value: special }] }));
		expect(error.message).toContain('400 invalid_request (*** *** *** ***)');
	});
});
