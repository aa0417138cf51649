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
