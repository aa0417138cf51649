import { buildTokenRequest } from '../../../engine/request';
import { OAuth2ConfigError } from '../../../engine/error';
import type { ClientAuthentication, RequestFormat } from '../../../engine/types';
import { basicOf, config, formOf, jsonOf, passwordConfig, SECRET } from './helpers';

const SPECIAL = 'p%s+w:rd/é';

function paramsOf(request: ReturnType<typeof buildTokenRequest>, format: RequestFormat): Record<string, unknown> {
	if (format === 'json') return jsonOf(request);
	const result: Record<string, unknown> = {};
	for (const [name, value] of formOf(request)) {
		const existing = result[name];
		result[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return result;
}

describe('buildTokenRequest: client authentication × request format', () => {
	const cases: Array<[ClientAuthentication, RequestFormat]> = [];
	for (const auth of ['header', 'headerRaw', 'body', 'none'] as ClientAuthentication[]) {
		for (const format of ['form', 'json'] as RequestFormat[]) cases.push([auth, format]);
	}

	it.each(cases)('%s with %s body', (clientAuthentication, requestFormat) => {
		const request = buildTokenRequest(
			config({ clientAuthentication, requestFormat, extraParameters: [{ name: 'tenant', value: 'acme' }] }),
			'client_credentials',
		);
		expect(request.method).toBe('POST');
		expect(request.url).toBe('https://auth.example.test/oauth/token');
		expect(request.headers.Accept).toBe('application/json');
		expect(request.headers['Content-Type']).toBe(
			requestFormat === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
		);
		expect(request.timeoutMs).toBe(30_000);
		const params = paramsOf(request, requestFormat);
		expect(params.grant_type).toBe('client_credentials');
		expect(params.tenant).toBe('acme');
		switch (clientAuthentication) {
			case 'header':
			case 'headerRaw':
				expect(basicOf(request)).toBe(`my-client:${SECRET}`);
				expect(params.client_id).toBeUndefined();
				expect(params.client_secret).toBeUndefined();
				break;
			case 'body':
				expect(request.headers.Authorization).toBeUndefined();
				expect(params.client_id).toBe('my-client');
				expect(params.client_secret).toBe(SECRET);
				break;
			case 'none':
				expect(request.headers.Authorization).toBeUndefined();
				expect(params.client_id).toBe('my-client');
				expect(params.client_secret).toBeUndefined();
				break;
		}
	});

	it('header encodes id and secret as application/x-www-form-urlencoded before base64 (RFC 6749 §2.3.1)', () => {
		const request = buildTokenRequest(config({ clientId: 'my client/é', clientSecret: SPECIAL }), 'client_credentials');
		expect(basicOf(request)).toBe('my+client%2F%C3%A9:p%25s%2Bw%3Ard%2F%C3%A9');
	});

	it('headerRaw sends id:secret as typed, UTF-8', () => {
		const request = buildTokenRequest(config({ clientAuthentication: 'headerRaw', clientSecret: SPECIAL }), 'client_credentials');
		expect(request.headers.Authorization).toBe(`Basic ${Buffer.from(`my-client:${SPECIAL}`, 'utf8').toString('base64')}`);
		expect(basicOf(request)).toBe(`my-client:${SPECIAL}`);
	});

	it('body mode sends the special secret form-encoded and it decodes back exactly', () => {
		const request = buildTokenRequest(config({ clientAuthentication: 'body', clientSecret: SPECIAL }), 'client_credentials');
		expect(formOf(request).get('client_secret')).toBe(SPECIAL);
		expect(request.body).toContain('client_secret=p%25s%2Bw%3Ard%2F%C3%A9');
		const json = buildTokenRequest(config({ clientAuthentication: 'body', requestFormat: 'json', clientSecret: SPECIAL }), 'client_credentials');
		expect(jsonOf(json).client_secret).toBe(SPECIAL);
	});
});

describe('buildTokenRequest: grants', () => {
	it('password grant sends username and password (RFC 6749 §4.3)', () => {
		const request = buildTokenRequest(passwordConfig({ clientAuthentication: 'none' }), 'password');
		const form = formOf(request);
		expect(form.get('grant_type')).toBe('password');
		expect(form.get('username')).toBe('alice');
		expect(form.get('password')).toBe('alice-Pa55word!');
		expect(form.get('client_id')).toBe('my-client');
	});

	it('refresh grant sends the refresh token and no password (RFC 6749 §6)', () => {
		const request = buildTokenRequest(passwordConfig({ scope: 'read' }), 'refresh_token', 'rt-1');
		const form = formOf(request);
		expect(form.get('grant_type')).toBe('refresh_token');
		expect(form.get('refresh_token')).toBe('rt-1');
		expect(form.get('password')).toBeNull();
		expect(form.get('username')).toBeNull();
		expect(form.get('scope')).toBe('read');
	});

	it('refresh grant without a refresh token is a config error', () => {
		expect(() => buildTokenRequest(passwordConfig(), 'refresh_token')).toThrow(OAuth2ConfigError);
	});

	it('json password grant', () => {
		const body = jsonOf(buildTokenRequest(passwordConfig({ requestFormat: 'json', clientAuthentication: 'body' }), 'password'));
		expect(body).toEqual({
			grant_type: 'password',
			username: 'alice',
			password: 'alice-Pa55word!',
			client_id: 'my-client',
			client_secret: SECRET,
		});
	});
});

describe('buildTokenRequest: scope, audience, resource, extras', () => {
	it.each(['', '   ', '\n\t', ' , ,', undefined])('omits an empty scope %j (never "scope=")', (scope) => {
		const request = buildTokenRequest(config({ scope }), 'client_credentials');
		expect(request.body).not.toContain('scope');
		const json = buildTokenRequest(config({ scope, requestFormat: 'json' }), 'client_credentials');
		expect(jsonOf(json)).not.toHaveProperty('scope');
	});

	it('normalises commas, newlines and runs of spaces to single spaces', () => {
		const request = buildTokenRequest(config({ scope: ' read,write\n  admin ,,  openid\r\nprofile ' }), 'client_credentials');
		expect(formOf(request).get('scope')).toBe('read write admin openid profile');
		expect(request.body).toContain('scope=read+write+admin+openid+profile');
	});

	it('sends audience and each resource as its own parameter (form)', () => {
		const request = buildTokenRequest(
			config({ audience: ' https://api.example.test ', resource: ['https://a.example.test/', ' ', 'https://b.example.test/'] }),
			'client_credentials',
		);
		const form = formOf(request);
		expect(form.get('audience')).toBe('https://api.example.test');
		expect(form.getAll('resource')).toEqual(['https://a.example.test/', 'https://b.example.test/']);
	});

	it('JSON: one resource is a string, several an array', () => {
		const one = jsonOf(buildTokenRequest(config({ requestFormat: 'json', resource: ['https://a/'] }), 'client_credentials'));
		expect(one.resource).toBe('https://a/');
		const two = jsonOf(buildTokenRequest(config({ requestFormat: 'json', resource: ['https://a/', 'https://b/'], audience: 'aud' }), 'client_credentials'));
		expect(two.resource).toEqual(['https://a/', 'https://b/']);
		expect(two.audience).toBe('aud');
	});

	it('sends extra parameters in every client authentication mode, skipping rows without a name', () => {
		for (const clientAuthentication of ['header', 'headerRaw', 'body', 'none'] as ClientAuthentication[]) {
			const request = buildTokenRequest(
				config({
					clientAuthentication,
					extraParameters: [
						{ name: ' tenant ', value: 'acme corp' },
						{ name: '', value: 'ignored' },
						{ name: 'prompt', value: '' },
					],
				}),
				'client_credentials',
			);
			const form = formOf(request);
			expect(form.get('tenant')).toBe('acme corp');
			expect(form.get('prompt')).toBe('');
			expect(form.has('')).toBe(false);
		}
	});

	it.each([
		'grant_type',
		'client_id',
		'client_secret',
		'username',
		'password',
		'refresh_token',
		'client_assertion',
		'client_assertion_type',
		' Grant_Type ',
		'CLIENT_SECRET',
	])('refuses the reserved extra parameter %j, naming it', (name) => {
		const build = () => buildTokenRequest(config({ extraParameters: [{ name, value: 'x' }] }), 'client_credentials');
		expect(build).toThrow(OAuth2ConfigError);
		expect(build).toThrow(`"${name.trim()}"`);
	});

	it.each([
		['scope', 'scope'],
		['Audience', 'audience'],
		[' resource', 'resource'],
	])('refuses %j in the extra parameters with a hint to the dedicated field', (name, field) => {
		const build = () => buildTokenRequest(config({ extraParameters: [{ name, value: 'x' }] }), 'client_credentials');
		expect(build).toThrow(OAuth2ConfigError);
		expect(build).toThrow(`use the ${field} field`);
	});
});

describe('buildTokenRequest: validation', () => {
	it('requires an absolute http(s) token URL', () => {
		expect(() => buildTokenRequest(config({ tokenUrl: '' }), 'client_credentials')).toThrow('The access token URL is missing.');
		expect(() => buildTokenRequest(config({ tokenUrl: 'auth.example.test/token' }), 'client_credentials')).toThrow(
			/not an absolute URL; it must start with https:\/\/.*e\.g\. https:\/\/auth\.example\.test\/token/,
		);
		expect(() => buildTokenRequest(config({ tokenUrl: 'localhost:8080/token' }), 'client_credentials')).toThrow('not an absolute URL');
		expect(() => buildTokenRequest(config({ tokenUrl: '/oauth/token' }), 'client_credentials')).toThrow('not an absolute URL');
		expect(() => buildTokenRequest(config({ tokenUrl: 'ftp://x/token' }), 'client_credentials')).toThrow('https:// or http://');
		expect(() => buildTokenRequest(config({ tokenUrl: 'https://' }), 'client_credentials')).toThrow('not a valid URL');
		expect(buildTokenRequest(config({ tokenUrl: '  http://127.0.0.1:3000/token ' }), 'client_credentials').url).toBe(
			'http://127.0.0.1:3000/token',
		);
	});

	it('requires the client ID, and the secret unless the client is public', () => {
		expect(() => buildTokenRequest(config({ clientId: '  ' }), 'client_credentials')).toThrow('The client ID is missing.');
		expect(() => buildTokenRequest(config({ clientSecret: '' }), 'client_credentials')).toThrow('client secret is missing');
		expect(() => buildTokenRequest(config({ clientSecret: '', clientAuthentication: 'none' }), 'client_credentials')).not.toThrow();
	});

	it('requires username and password for the password grant', () => {
		expect(() => buildTokenRequest(passwordConfig({ username: '' }), 'password')).toThrow('username is missing');
		expect(() => buildTokenRequest(passwordConfig({ password: '' }), 'password')).toThrow('password is missing');
	});

	it('config errors never contain the secret', () => {
		let message = '';
		try {
			buildTokenRequest(config({ extraParameters: [{ name: 'client_secret', value: SECRET }] }), 'client_credentials');
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain('client_secret');
		expect(message).not.toContain(SECRET);
	});

	it('takes the timeout from requestTimeoutSeconds and passes ignoreSslIssues', () => {
		const request = buildTokenRequest(config({ requestTimeoutSeconds: 5, ignoreSslIssues: true }), 'client_credentials');
		expect(request.timeoutMs).toBe(5000);
		expect(request.skipSslCertificateValidation).toBe(true);
		expect(buildTokenRequest(config({ requestTimeoutSeconds: 0 }), 'client_credentials').timeoutMs).toBe(30_000);
		expect(buildTokenRequest(config(), 'client_credentials').skipSslCertificateValidation).toBeUndefined();
	});
});

describe('buildTokenRequest: extra headers (a gateway key on the token request)', () => {
	const KEY = 'gw-Subscr1ption-K3y-abc';

	it('sends them with the engine\'s own headers, values as typed', () => {
		const request = buildTokenRequest(
			config({ extraHeaders: [{ name: ' Ocp-Apim-Subscription-Key ', value: KEY }, { name: '', value: 'ignored' }, { name: 'X-Tenant', value: ' t 1 ' }] }),
			'client_credentials',
		);
		expect(request.headers['Ocp-Apim-Subscription-Key']).toBe(KEY);
		expect(request.headers['X-Tenant']).toBe(' t 1 ');
		expect(request.headers.Accept).toBe('application/json');
		expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		expect(basicOf(request)).toBe(`my-client:${SECRET}`);
		expect(Object.keys(request.headers)).toHaveLength(5);
		// Never a one-time secret of the request (that would rebuild it for every attempt); masked through requestSecretsOf.
		expect(request.secrets).toBeUndefined();
	});

	it('sends nothing more without them', () => {
		expect(Object.keys(buildTokenRequest(config(), 'client_credentials').headers).sort()).toEqual(['Accept', 'Authorization', 'Content-Type']);
		expect(Object.keys(buildTokenRequest(config({ extraHeaders: [] }), 'client_credentials').headers)).toHaveLength(3);
	});

	it.each(['Authorization', 'content-type', 'CONTENT-LENGTH', 'Host', 'Transfer-Encoding', 'connection', 'Accept', 'Proxy-Authorization', 'Expect'])(
		'refuses the header %j, naming it and the field, never the value',
		(name) => {
			const build = () => buildTokenRequest(config({ extraHeaders: [{ name, value: KEY }] }), 'client_credentials');
			expect(build).toThrow(OAuth2ConfigError);
			expect(build).toThrow(`The header "${name}" cannot be set in extraHeaders: `);
			try {
				build();
			} catch (error) {
				expect((error as OAuth2ConfigError).field).toBe('extraHeaders');
				expect((error as Error).message).not.toContain(KEY);
			}
		},
	);

	it('says why a reserved header is the engine\'s', () => {
		const reason = (name: string) => {
			try {
				buildTokenRequest(config({ extraHeaders: [{ name, value: 'x' }] }), 'client_credentials');
			} catch (error) {
				return (error as Error).message;
			}
			return '';
		};
		expect(reason('Authorization')).toContain('it carries the client authentication; choose that in the clientAuthentication field');
		expect(reason('Content-Type')).toContain('the engine sets it from the requestFormat field');
		expect(reason('Accept')).toContain('asks for JSON');
		expect(reason('Host')).toContain('the HTTP client sets it');
	});

	it.each([
		['a space in the name', [{ name: 'X Api Key', value: 'k' }], 'is not a valid HTTP header name'],
		['a colon in the name', [{ name: 'X-Key:', value: 'k' }], 'is not a valid HTTP header name'],
		['a line break in the value', [{ name: 'X-Api-Key', value: `${KEY}\r\nX-Injected: 1` }], 'holds a line break'],
		['a non-ASCII value', [{ name: 'X-Api-Key', value: `${KEY}é` }], 'outside ASCII'],
		['the same header twice (any case)', [{ name: 'X-Api-Key', value: KEY }, { name: 'x-api-key', value: 'other-value' }], 'is set twice'],
	])('refuses %s without showing the value', (_label, extraHeaders, words) => {
		let message = '';
		try {
			buildTokenRequest(config({ extraHeaders }), 'client_credentials');
		} catch (error) {
			expect(error).toBeInstanceOf(OAuth2ConfigError);
			message = (error as Error).message;
		}
		expect(message).toContain(words);
		expect(message).not.toContain(KEY);
	});
});

describe('buildTokenRequest: a custom grant type (RFC 6749 §4.5)', () => {
	it('sends it as grant_type, with its parameters from the extra parameters', () => {
		const request = buildTokenRequest(
			config({ customGrantType: ' account_credentials ', extraParameters: [{ name: 'account_id', value: 'acc-1' }] }),
			'client_credentials',
		);
		expect(Object.fromEntries(formOf(request))).toEqual({ grant_type: 'account_credentials', account_id: 'acc-1' });
		expect(basicOf(request)).toBe(`my-client:${SECRET}`);
		expect(jsonOf(buildTokenRequest(config({ customGrantType: 'account_credentials', requestFormat: 'json' }), 'client_credentials')).grant_type).toBe('account_credentials');
	});

	it.each(['urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:token-exchange', 'https://grants.example.com/partner', 'account.credentials-v2_x'])(
		'takes %j (a name or an absolute URI)',
		(value) => {
			expect(formOf(buildTokenRequest(config({ customGrantType: value }), 'client_credentials')).get('grant_type')).toBe(value);
		},
	);

	it('leaves a renewal with a refresh token as refresh_token', () => {
		const request = buildTokenRequest(config({ customGrantType: 'account_credentials' }), 'refresh_token', 'rt-1');
		expect(formOf(request).get('grant_type')).toBe('refresh_token');
	});

	it.each([
		['', 'is empty'],
		['   ', 'is empty'],
		['account credentials', 'is not a grant type'],
		['account_\ncredentials', 'is not a grant type'],
		['acc\u0000ount', 'is not a grant type'],
		['grant"type', 'is not a grant type'],
		['password', "the password grant sends a user's name and password"],
		['refresh_token', 'a refresh token only renews a token'],
		['authorization_code', 'sign in in a browser'],
		['Implicit', 'sign in in a browser'],
		['urn:ietf:params:oauth:grant-type:device_code', 'approve the request on a device'],
		['client_credentials', 'it is the standard client credentials grant'],
	])('refuses %j: %s', (value, words) => {
		const build = () => buildTokenRequest(config({ customGrantType: value }), 'client_credentials');
		expect(build).toThrow(OAuth2ConfigError);
		expect(build).toThrow(words);
		try {
			build();
		} catch (error) {
			expect((error as OAuth2ConfigError).field).toBe('customGrantType');
			expect((error as Error).message).not.toContain('\n');
			expect((error as Error).message).not.toContain('\u0000');
		}
	});

	it('belongs to the client credentials grant only', () => {
		expect(() => buildTokenRequest(passwordConfig({ customGrantType: 'account_credentials' }), 'password')).toThrow('replaces the client credentials grant only');
	});
});

describe('buildTokenRequest: extra parameters in the query string', () => {
	const query = (tokenUrl: string, extraParameters: Array<{ name: string; value: string; sendIn?: 'body' | 'query' }>) =>
		buildTokenRequest(config({ tokenUrl, extraParameters }), 'client_credentials');

	it('appends query rows to the token URL and keeps body rows in the body', () => {
		const request = query('https://auth.example.test/oauth/token', [
			{ name: 'account_id', value: 'acc 1/é', sendIn: 'query' },
			{ name: 'tenant', value: 'acme', sendIn: 'body' },
			{ name: 'prompt', value: 'none' },
		]);
		expect(request.url).toBe('https://auth.example.test/oauth/token?account_id=acc+1%2F%C3%A9');
		expect(new URL(request.url).searchParams.get('account_id')).toBe('acc 1/é');
		expect(Object.fromEntries(formOf(request))).toEqual({ grant_type: 'client_credentials', tenant: 'acme', prompt: 'none' });
	});

	it('keeps the query the token URL already has exactly as written', () => {
		expect(query('https://auth.example.test/token?api-version=2024-01-01&x=%7E', [{ name: 'a', value: 'b', sendIn: 'query' }]).url).toBe(
			'https://auth.example.test/token?api-version=2024-01-01&x=%7E&a=b',
		);
		expect(query('https://auth.example.test/token?', [{ name: 'a', value: 'b', sendIn: 'query' }]).url).toBe('https://auth.example.test/token?a=b');
		expect(query('https://auth.example.test/token?flag', [{ name: 'a', value: '', sendIn: 'query' }]).url).toBe('https://auth.example.test/token?flag&a=');
		expect(query('https://auth.example.test/token#frag', [{ name: 'a', value: 'b', sendIn: 'query' }]).url).toBe('https://auth.example.test/token?a=b');
	});

	it('sends a token URL with a query string as it is when nothing goes to the query', () => {
		expect(query('https://auth.example.test/token?api-version=2', [{ name: 'a', value: 'b' }]).url).toBe('https://auth.example.test/token?api-version=2');
	});

	it.each(['grant_type', 'client_id', 'client_secret', 'username', 'password', 'refresh_token', 'client_assertion', 'client_assertion_type', 'Client_Secret'])(
		'refuses the reserved name %j in the query string too',
		(name) => {
			const build = () => query('https://auth.example.test/token', [{ name, value: 'x', sendIn: 'query' }]);
			expect(build).toThrow(OAuth2ConfigError);
			expect(build).toThrow(`"${name}"`);
		},
	);

	it.each(['scope', 'audience', 'resource'])('sends %j to its own field from the query string too', (name) => {
		expect(() => query('https://auth.example.test/token', [{ name, value: 'x', sendIn: 'query' }])).toThrow(`use the ${name} field`);
	});

	it('refuses a placement it does not know', () => {
		expect(() => query('https://auth.example.test/token', [{ name: 'a', value: 'b', sendIn: 'header' as 'query' }])).toThrow('choose the body or the query string');
	});
});
