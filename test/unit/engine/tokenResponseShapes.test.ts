// Token responses that are not textbook (issue 15 item 3): JSON under another Content-Type,
// form-encoded answers, the token and its fields under other names or nested, and the fields the
// user names. What `extra` keeps and what error messages show are checked for every shape.

import { validateConfig } from '../../../engine/config';
import { OAuth2ConfigError, OAuth2TokenError } from '../../../engine/error';
import { MAX_LIFETIME_SECONDS, secondsLeftOf } from '../../../engine/lifetime';
import { OAuth2TokenTypeError, parseTokenResponse } from '../../../engine/token';
import type { ResponseFields, Token, TransportResponse } from '../../../engine/types';
import { N8N_WORDING } from '../../../credentials/common/formFields';
import { assertNoLeaks, errorText } from '../../support/leakSearch';
import { config, jsonResponse, jwtWith } from './helpers';

const NOW = 1_700_000_000_000;
const NOW_S = NOW / 1000;
const AT = 'at-Nested-0123456789abcdef';
const RT = 'rt-Nested-fedcba9876543210';
const IDT = 'idt-Nested-55555555555555';

const withType = (type: string | undefined, body: string): TransportResponse => ({
	statusCode: 200,
	headers: type === undefined ? {} : { 'content-type': type },
	body,
});

function parse(response: TransportResponse, responseFields?: ResponseFields, overrides = {}): Token {
	return parseTokenResponse(response, config({ responseFields, ...overrides }), NOW, { wording: N8N_WORDING });
}

function failure(response: TransportResponse, responseFields?: ResponseFields): OAuth2TokenError {
	try {
		parse(response, responseFields);
	} catch (error) {
		expect(error).toBeInstanceOf(OAuth2TokenError);
		return error as OAuth2TokenError;
	}
	throw new Error('expected parseTokenResponse to throw');
}

const lifetimeOf = (token: Token) => (token.expiresAt - NOW) / 1000;

describe('JSON whatever the Content-Type says', () => {
	const body = JSON.stringify({ access_token: AT, token_type: 'Bearer', expires_in: 1200 });

	it.each([
		['application/json', body],
		['text/plain', body],
		['text/plain; charset=ISO-8859-1', body],
		['application/octet-stream', body],
		['text/javascript', body],
		['application/x-www-form-urlencoded', body],
		[undefined, body],
		['application/json (with a byte order mark)', `\uFEFF${body}`],
	])('%s', (type, text) => {
		const token = parse(withType(type?.split(' (')[0], text));
		expect(token.accessToken).toBe(AT);
		expect(lifetimeOf(token)).toBe(1200);
	});
});

describe('form-encoded token responses', () => {
	it.each([
		['application/x-www-form-urlencoded; charset=utf-8'],
		['text/plain'],
		['text/html'.replace('html', 'plain; charset=utf-8')],
		[undefined],
	])('Facebook-style access_token=...&expires=... as %s', (type) => {
		const token = parse(withType(type, `access_token=${AT}&token_type=bearer&expires=5183944`));
		expect(token).toMatchObject({ accessToken: AT, tokenType: 'Bearer', extra: {} });
		expect(lifetimeOf(token)).toBe(5183944);
	});

	it('GitHub-style, with scope and no lifetime (the default lifetime), percent-encoding decoded', () => {
		const token = parse(withType('application/x-www-form-urlencoded', `access_token=gho_${'x'.repeat(20)}&scope=repo%2Cgist&token_type=bearer`));
		expect(token.accessToken).toBe(`gho_${'x'.repeat(20)}`);
		expect(token.scope).toBe('repo,gist');
		expect(lifetimeOf(token)).toBe(3600);
	});

	it('keeps "=" in a value (unencoded base64 padding), a refresh token and expires_in, and other pairs in extra', () => {
		const token = parse(withType('text/plain', `access_token=abc%2Bdef==&refresh_token=${RT}&expires_in=60&instance_url=https%3A%2F%2Feu.example.test`));
		expect(token).toMatchObject({ accessToken: 'abc+def==', refreshToken: RT, extra: { instance_url: 'https://eu.example.test' } });
		expect(lifetimeOf(token)).toBe(60);
	});

	it.each([[200], [400], [401]])('an OAuth error in form encoding with status %i is the usual OAuth2TokenError', (status) => {
		const error = failure({ statusCode: status, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'error=invalid_client&error_description=Client+authentication+failed' });
		expect(error).toMatchObject({ status, error: 'invalid_client', errorDescription: 'Client authentication failed' });
		expect(error.message).toContain(`failed: ${status} invalid_client (Client authentication failed).`);
		expect(error.message).toContain('Check the client ID and secret');
	});

	it('a form-like error status without an OAuth error is quoted as text, as before', () => {
		const error = failure({ statusCode: 503, headers: { 'content-type': 'text/plain' }, body: 'status=down' });
		expect(error.message).toContain('503, the response is not JSON: "status=down"');
	});

	it('a form body without a token names its pairs, never their values', () => {
		const error = failure(withType('text/plain', `session=${AT}&expires=60`));
		expect(error.message).toContain('the response has form-encoded pairs: session, expires');
		assertNoLeaks(errorText(error), [AT], 'form without token');
	});

	it('text that is not name=value pairs stays "not JSON"', () => {
		expect(failure(withType('text/plain', 'token abc-def-ghi')).message).toContain('the response is text (17 characters), not JSON.');
	});
});

describe('token_type in any case, next to the token or at the top level', () => {
	it.each([['bearer'], ['BEARER'], ['Bearer'], [' bEaReR ']])('%s', (type) => {
		expect(parse(jsonResponse(200, { access_token: AT, token_type: type })).tokenType).toBe('Bearer');
		expect(parse(jsonResponse(200, { data: { token: AT, tokenType: type } })).tokenType).toBe('Bearer');
		expect(parse(jsonResponse(200, { token_type: type, result: { accessToken: AT } })).tokenType).toBe('Bearer');
	});

	it('refuses another type found next to a nested token, its token and refresh token masked', () => {
		let caught: unknown;
		try {
			parse(jsonResponse(200, { data: { accessToken: AT, refreshToken: RT, tokenType: 'DPoP' } }));
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(OAuth2TokenTypeError);
		expect((caught as Error).message).toContain('of type "DPoP"');
		assertNoLeaks(errorText(caught), [AT, RT], 'type error');
	});
});

describe('auto-detection', () => {
	const epochS = NOW_S + 900;
	it.each<[string, Record<string, unknown>, { lifetime: number; refresh?: string; extra: Record<string, unknown> }]>([
		['data.access_token + data.expires_in', { code: 0, data: { access_token: AT, expires_in: 7200, refresh_token: RT, openid: 'u1' } }, { lifetime: 7200, refresh: RT, extra: { data: { openid: 'u1' } } }],
		['result.token + result.expires_at (epoch seconds)', { success: true, result: { token: AT, expires_at: epochS } }, { lifetime: 900, extra: { success: true, result: {} } }],
		['accessToken + expiresIn + refreshToken', { accessToken: AT, expiresIn: 300, refreshToken: RT, userId: 7 }, { lifetime: 300, refresh: RT, extra: { userId: 7 } }],
		['token + expires (ISO 8601)', { token: AT, expires: new Date(NOW + 1_800_000).toISOString() }, { lifetime: 1800, extra: {} }],
		['data.attributes.token + expiry (epoch milliseconds), JSON:API', { data: { type: 'tokens', id: '1', attributes: { token: AT, expiry: NOW + 600_000 } } }, { lifetime: 600, extra: { data: { type: 'tokens', id: '1', attributes: {} } } }],
		['data.token, lifetime at the top level', { data: { token: AT }, expires_in: 100 }, { lifetime: 100, extra: { data: {} } }],
	])('%s', (_label, body, expected) => {
		const token = parse(jsonResponse(200, body));
		expect(token.accessToken).toBe(AT);
		expect(token.refreshToken).toBe(expected.refresh);
		expect(lifetimeOf(token)).toBe(expected.lifetime);
		expect(token.extra).toEqual(expected.extra);
	});

	it('looks in a fixed order: containers top level, data, result, data.attributes; names access_token, accessToken, token', () => {
		expect(parse(jsonResponse(200, { token: 'c', accessToken: 'b', access_token: 'a' })).accessToken).toBe('a');
		expect(parse(jsonResponse(200, { token: 'c', accessToken: 'b' })).accessToken).toBe('b');
		expect(parse(jsonResponse(200, { token: 'top', data: { access_token: 'nested' } })).accessToken).toBe('top');
		expect(parse(jsonResponse(200, { result: { token: 'r' }, data: { token: 'd' } })).accessToken).toBe('d');
		expect(parse(jsonResponse(200, { data: { attributes: { token: 'attr' } }, result: { token: 'r' } })).accessToken).toBe('r');
		// A candidate that is there but no string is passed over.
		expect(parse(jsonResponse(200, { access_token: '', data: { access_token: 'd' } })).accessToken).toBe('d');
	});

	it('takes the lifetime and refresh token next to the token before the top level', () => {
		const token = parse(jsonResponse(200, { expires_in: 100, refresh_token: 'top-refresh', data: { token: AT, expires_in: 50, refreshToken: RT } }));
		expect(lifetimeOf(token)).toBe(50);
		expect(token.refreshToken).toBe(RT);
	});

	it('falls back to the JWT exp, then the default lifetime, as for RFC responses', () => {
		const jwt = jwtWith({ exp: NOW_S + 450 });
		expect(lifetimeOf(parse(jsonResponse(200, { data: { token: jwt } })))).toBe(450);
		expect(lifetimeOf(parse(jsonResponse(200, { data: { token: 'opaque' } }), undefined, { defaultLifetimeSeconds: 777 }))).toBe(777);
	});
});

describe('the lifetime rule', () => {
	const at = (value: unknown, relative = false) => secondsLeftOf({ value, relative }, NOW);

	it('expires_in and its spellings are seconds from now whatever their size (RFC 6749), as before', () => {
		for (const name of ['expires_in', 'expiresIn', 'expire_in', 'expireIn']) {
			expect(lifetimeOf(parse(jsonResponse(200, { access_token: AT, [name]: 1e12 })))).toBe(MAX_LIFETIME_SECONDS);
			expect(lifetimeOf(parse(jsonResponse(200, { access_token: AT, [name]: '90' })))).toBe(90);
		}
	});

	it('other names by magnitude: seconds below 1e9, epoch seconds below 1e12, else epoch milliseconds', () => {
		expect(at(3600)).toBe(3600);
		expect(at('3600')).toBe(3600);
		expect(at(999_999_999)).toBe(999_999_999);
		expect(at(NOW_S + 120)).toBe(120);
		expect(at(String(NOW_S + 120))).toBe(120);
		expect(at(NOW + 120_000)).toBe(120);
	});

	it('an ISO 8601 date: with Z, with an offset, without one (read as UTC), or a date alone', () => {
		expect(at('2023-11-14T22:15:20Z')).toBe(120);
		expect(at('2023-11-14T22:15:20.000Z')).toBe(120);
		expect(at('2023-11-15T00:15:20+02:00')).toBe(120);
		expect(at('2023-11-15T00:15:20+0200')).toBe(120);
		expect(at('2023-11-14 22:15:20')).toBe(120);
		expect(at('2023-11-15')).toBe((Date.UTC(2023, 10, 15) - NOW) / 1000);
	});

	it('a time already past, zero, negative or unreadable says nothing: the JWT exp, else the default lifetime', () => {
		for (const value of [NOW_S - 10, NOW - 10_000, '2020-01-01T00:00:00Z', 0, -5, 'soon', true, null, {}, '2023-13-45']) expect(at(value)).toBeUndefined();
		const token = parse(jsonResponse(200, { token: AT, expires_at: NOW_S - 10 }));
		expect(lifetimeOf(token)).toBe(3600);
	});

	it('an absurd future is capped at a year, so date arithmetic never overflows', () => {
		for (const value of [1e300, '9'.repeat(400), '9999-12-31T23:59:59Z']) {
			expect(lifetimeOf(parse(jsonResponse(200, { token: AT, expires: value })))).toBe(MAX_LIFETIME_SECONDS);
		}
	});
});

describe('fields the user names', () => {
	const custom = {
		status: 'ok',
		payload: { credentials: { bearer: AT, validUntil: new Date(NOW + 1_500_000).toISOString(), renewal: RT }, session: { id_token: IDT, user: 'svc' } },
	};

	it('reads the token, expiry and refresh token at their paths', () => {
		const token = parse(jsonResponse(200, custom), { accessToken: 'payload.credentials.bearer', expiry: 'payload.credentials.validUntil', refreshToken: 'payload.credentials.renewal' });
		expect(token).toMatchObject({ accessToken: AT, refreshToken: RT });
		expect(lifetimeOf(token)).toBe(1500);
		// Members of credential names (credentials, session, *token, code...) never reach extra, whatever they hold.
		expect(token.extra).toEqual({ status: 'ok', payload: {} });
	});

	it('detects what is not named next to the named token', () => {
		const token = parse(jsonResponse(200, { out: { jwt: AT, expires_in: 40, refresh_token: RT } }), { accessToken: 'out.jwt' });
		expect(token).toMatchObject({ accessToken: AT, refreshToken: RT });
		expect(lifetimeOf(token)).toBe(40);
	});

	it('picks an item of a list by number, written a.0.b or a[0].b', () => {
		const body = { list: [{ value: AT, ttl: 30 }] };
		for (const path of ['list.0.value', 'list[0].value']) {
			const token = parse(jsonResponse(200, body), { accessToken: path, expiry: path.replace('value', 'ttl') });
			expect(token.accessToken).toBe(AT);
			expect(lifetimeOf(token)).toBe(30);
			expect(token.extra).toEqual({ list: [{ ttl: 30 }] });
		}
	});

	it('a named path that holds nothing is an error naming the path, the shape and the field, without a value', () => {
		const error = failure(jsonResponse(200, custom), { accessToken: 'payload.credentials.token' });
		expect(error.message).toContain('failed: 200, the response has no access token at payload.credentials.token.');
		expect(error.message).toContain('the response has members: status, payload {credentials {bearer, validUntil, renewal}, session {id_token, user}}');
		expect(error.message).toContain('Check Access Token Field');
		assertNoLeaks(errorText(error), [AT, RT, IDT], 'named path');
	});

	it('a named path that holds a number says so', () => {
		expect(failure(jsonResponse(200, { a: { b: 42 } }), { accessToken: 'a.b' }).message).toContain('no access token at a.b: it is a number, not a string.');
	});

	it('a path that is no path is a configuration error before anything is sent, naming the field', () => {
		for (const path of ['data..token', '.token', 'data.', 'data. token']) {
			let caught: unknown;
			try {
				validateConfig(config({ responseFields: { accessToken: path } }), 'client_credentials', N8N_WORDING);
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(OAuth2ConfigError);
			expect((caught as OAuth2ConfigError).field).toBe('responseFields.accessToken');
			expect((caught as Error).message).toContain('The Access Token Field');
		}
		expect(() => validateConfig(config({ responseFields: { accessToken: ' ', expiry: 'a.b', refreshToken: 'c[0].d' } }))).not.toThrow();
		expect(() => validateConfig(config({ responseFields: { expiry: 'a..b' } }))).toThrow(/Expiry|responseFields\.expiry/);
	});
});

describe('no token found', () => {
	it('names the endpoint and status, the shape by names only, where it looked, and the field to set', () => {
		const error = failure(jsonResponse(200, { code: 0, message: `ok ${AT}`, data: { user: 'u', jwt: AT, list: [1, 2] } }));
		expect(error.message).toBe(
			'Token request to https://auth.example.test/oauth/token failed: 200, the response has no access_token. ' +
				'The server did not issue an access token under the names looked for (access_token, accessToken, token, at the top level and under data, result, data.attributes); ' +
				'the response has members: code, message, data {user, jwt, list [2 items]}. Check the grant type, the token URL and the request format. ' +
				'If the token is in the response under another name, name its field: Token Response Fields, then Access Token Field (a path such as data.jwt).',
		);
		assertNoLeaks(errorText(error), [AT], 'no token');
	});

	it('says which candidate was there but unusable', () => {
		expect(failure(jsonResponse(200, { data: { token: 12 } })).message).toContain('the response has no access_token: data.token is a number, not a string.');
		expect(failure(jsonResponse(200, { access_token: '' })).message).toContain('the response has no access_token: it is empty.');
	});

	it('shows no member name that could be a value', () => {
		const error = failure(jsonResponse(200, { [AT.repeat(2)]: true, ok: 1 }));
		expect(error.message).toContain('members: (a member of another name), ok');
		assertNoLeaks(errorText(error), [AT], 'odd member name');
	});
});

describe('extra never holds a token value', () => {
	it('strips the token, the refresh token, id tokens and strings holding them, at any depth', () => {
		const body = {
			data: { accessToken: AT, refreshToken: RT, deep: { id_token: IDT, header: `Bearer ${AT}`, again: [AT, 'keep'], idToken: IDT } },
			instance_url: 'https://eu1.example.test',
			links: { self: 'https://api.example.test/me' },
		};
		const token = parse(jsonResponse(200, body));
		expect(token.extra).toEqual({ data: { deep: { again: ['keep'] } }, instance_url: 'https://eu1.example.test', links: { self: 'https://api.example.test/me' } });
		assertNoLeaks(JSON.stringify(token.extra), [AT, RT, IDT], 'extra');
	});

	it('masks every token of the body in an OAuth error, nested or renamed', () => {
		const error = failure(jsonResponse(400, { error: 'invalid_request', error_description: `refused ${AT} and ${RT}`, data: { accessToken: AT, session: { refreshToken: RT } } }));
		expect(error.error).toBe('invalid_request');
		assertNoLeaks(errorText(error), [AT, RT], 'oauth error');
	});
});
