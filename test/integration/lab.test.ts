// Proves the OAuth lab itself works, using plain axios/fetch calls, before any test relies on it.

import { createHash } from 'node:crypto';
import * as http from 'node:http';

import axios, { type AxiosResponse } from 'axios';

import { useLab } from '../support/lab';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SPECIAL = 'p%s+w:rd/é';
const SPECIAL_ASCII = 'p%s+w:rd/x';

/** RFC 6749 §2.3.1: form-encode id and secret, then Base64 "id:secret". */
const rfcBasic = (id: string, secret: string) =>
	'Basic ' + Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64');
const rawBasic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`, 'utf8').toString('base64');
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

const http0 = axios.create({ validateStatus: () => true, maxRedirects: 0 });

function post(url: string, body: string | object, headers: Record<string, string> = FORM): Promise<AxiosResponse> {
	return http0.post(url, body, { headers });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const lab = useLab();



beforeEach(async () => {
	await lab.reset();
	await lab.configure({ accessTokenTtlSeconds: 3600, tokenDelayMs: 0, apiAuthHeader: 'authorization', apiAuthPrefix: 'Bearer' });
});

describe('lab process', () => {
	it('reports its URLs and a second host', () => {
		expect(lab.urls.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(lab.urls.oidcIssuer).toBe(`${lab.urls.baseUrl}/oidc`);
		expect(lab.urls.oidcTokenUrl).toBe(`${lab.urls.baseUrl}/oidc/token`);
		expect(lab.urls.apiUrl).toBe(`${lab.urls.baseUrl}/api`);
		expect(new URL(lab.urls.otherHostUrl).host).not.toBe(new URL(lab.urls.baseUrl).host);
	});

	it('rejects bad config and unknown control endpoints with 400/404', async () => {
		await expect(lab.configure({ accessTokenTtlSeconds: 0 })).rejects.toThrow(/400/);
		await expect(lab.configure({ nope: 1 } as never)).rejects.toThrow(/unknown config key/);
		expect((await http0.get(`${lab.urls.baseUrl}/__lab/nothing`)).status).toBe(404);
		const { config, defaults } = await lab.getConfig();
		expect(config).toEqual(defaults);
	});
});

describe('oidc-provider at /oidc', () => {
	it('serves discovery with the issuer and token endpoint', async () => {
		const res = await http0.get(`${lab.urls.oidcIssuer}/.well-known/openid-configuration`);
		expect(res.status).toBe(200);
		expect(res.data.issuer).toBe(lab.urls.oidcIssuer);
		expect(res.data.token_endpoint).toBe(lab.urls.oidcTokenUrl);
		expect(res.data.grant_types_supported).toContain('client_credentials');
	});

	it('issues an opaque token with client_secret_basic that the API accepts', async () => {
		const res = await post(lab.urls.oidcTokenUrl, form({ grant_type: 'client_credentials', scope: 'read' }), {
			...FORM,
			authorization: rfcBasic('cc-basic', 'cc-basic-secret'),
		});
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
		expect(res.data.access_token.split('.')).toHaveLength(1);

		const api = await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer(res.data.access_token) });
		expect(api.status).toBe(200);
		expect(api.data.client).toMatchObject({ issuer: 'oidc', clientId: 'cc-basic', grant: 'client_credentials', scope: 'read' });

		const stats = await lab.stats();
		expect(stats.tokenRequests.byEndpoint.oidc).toBe(1);
		expect(stats.tokenLog[0]).toMatchObject({ endpoint: 'oidc', grant: 'client_credentials', clientId: 'cc-basic', status: 200, authMethod: 'basic' });
	});

	it('issues a token with client_secret_post', async () => {
		const res = await post(
			lab.urls.oidcTokenUrl,
			form({ grant_type: 'client_credentials', client_id: 'cc-post', client_secret: 'cc-post-secret' }),
		);
		expect(res.status).toBe(200);
		expect((await lab.stats()).tokenLog[0]).toMatchObject({ clientId: 'cc-post', authMethod: 'body', status: 200 });
	});

	it('issues a JWT access token for the resource indicator', async () => {
		const res = await post(
			lab.urls.oidcTokenUrl,
			form({ grant_type: 'client_credentials', scope: 'read write', resource: 'https://api.example.test/' }),
			{ ...FORM, authorization: rfcBasic('cc-basic', 'cc-basic-secret') },
		);
		expect(res.status).toBe(200);
		const parts = res.data.access_token.split('.');
		expect(parts).toHaveLength(3);
		const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
		expect(claims).toMatchObject({ aud: 'https://api.example.test/', client_id: 'cc-basic', iss: lab.urls.oidcIssuer, scope: 'read write' });
		const api = await http0.get(`${lab.urls.apiUrl}/text`, { headers: bearer(res.data.access_token) });
		expect(api.status).toBe(200);
		expect(api.data).toBe('hello from the lab');
	});

	it('rejects an unknown resource with invalid_target', async () => {
		const res = await post(lab.urls.oidcTokenUrl, form({ grant_type: 'client_credentials', resource: 'https://other.test/' }), {
			...FORM,
			authorization: rfcBasic('cc-basic', 'cc-basic-secret'),
		});
		expect(res.status).toBe(400);
		expect(res.data.error).toBe('invalid_target');
	});

	it('rejects a wrong secret with invalid_client and a bad scope with invalid_scope', async () => {
		const wrong = await post(lab.urls.oidcTokenUrl, form({ grant_type: 'client_credentials' }), {
			...FORM,
			authorization: rfcBasic('cc-basic', 'nope'),
		});
		expect(wrong.status).toBe(401);
		expect(wrong.data.error).toBe('invalid_client');

		for (const scope of ['admin', 'bogus', 'read bogus']) {
			const bad = await post(lab.urls.oidcTokenUrl, form({ grant_type: 'client_credentials', scope }), {
				...FORM,
				authorization: rfcBasic('cc-basic', 'cc-basic-secret'),
			});
			expect(bad.status).toBe(400);
			expect(bad.data.error).toBe('invalid_scope');
		}
		const stats = await lab.stats();
		expect(stats.tokenRequests.total).toBe(4);
		expect(stats.tokenLog.map((e) => e.status)).toEqual([401, 400, 400, 400]);
		expect(stats.tokenRequests.byClient['cc-basic']).toBe(4);
	});

	it('form-decodes Basic credentials (RFC 6749 §2.3.1): the encoded header works, the raw one fails', async () => {
		const body = form({ grant_type: 'client_credentials' });
		const encoded = await post(lab.urls.oidcTokenUrl, body, { ...FORM, authorization: rfcBasic('cc-special-ascii', SPECIAL_ASCII) });
		expect(encoded.status).toBe(200);
		const raw = await post(lab.urls.oidcTokenUrl, body, { ...FORM, authorization: rawBasic('cc-special-ascii', SPECIAL_ASCII) });
		expect(raw.status).toBe(400);
		expect(raw.data.error).toBe('invalid_request');
	});

	it('refuses a non-ASCII secret in any form (RFC 6749 secrets are VSCHAR only)', async () => {
		const body = form({ grant_type: 'client_credentials' });
		for (const authorization of [rfcBasic('cc-special', SPECIAL), rawBasic('cc-special', SPECIAL)]) {
			const res = await post(lab.urls.oidcTokenUrl, body, { ...FORM, authorization });
			expect(res.status).toBe(400);
			expect(res.data.error).toBe('invalid_request');
		}
	});

	it('takes the access-token lifetime from the lab config at issue time', async () => {
		await lab.configure({ accessTokenTtlSeconds: 42 });
		const res = await post(lab.urls.oidcTokenUrl, form({ grant_type: 'client_credentials' }), {
			...FORM,
			authorization: rfcBasic('cc-basic', 'cc-basic-secret'),
		});
		expect(res.data.expires_in).toBe(42);
	});
});

describe('@node-oauth/oauth2-server at /oauth2/token', () => {
	const password = { grant_type: 'password', username: 'alice', password: 'alice-password' };

	it('issues password-grant tokens with Basic or body client auth, and for a public client', async () => {
		const basic = await post(lab.urls.oauth2TokenUrl, form(password), { ...FORM, authorization: rawBasic('pw-client', 'pw-client-secret') });
		expect(basic.status).toBe(200);
		expect(basic.data).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
		expect(basic.data.refresh_token).toEqual(expect.any(String));

		const body = await post(lab.urls.oauth2TokenUrl, form({ ...password, client_id: 'pw-client', client_secret: 'pw-client-secret' }));
		expect(body.status).toBe(200);

		const pub = await post(lab.urls.oauth2TokenUrl, form({ ...password, client_id: 'public-client' }));
		expect(pub.status).toBe(200);

		const api = await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer(pub.data.access_token) });
		expect(api.data.client).toMatchObject({ issuer: 'oauth2', clientId: 'public-client', grant: 'password' });

		const log = (await lab.stats()).tokenLog;
		expect(log.map((e) => e.authMethod)).toEqual(['basic', 'body', 'none']);
	});

	it('issues client_credentials tokens without a refresh token', async () => {
		const res = await post(lab.urls.oauth2TokenUrl, form({ grant_type: 'client_credentials', scope: 'read' }), {
			...FORM,
			authorization: rawBasic('pw-client', 'pw-client-secret'),
		});
		expect(res.status).toBe(200);
		expect(res.data.scope).toBe('read');
		expect(res.data.refresh_token).toBeUndefined();
	});

	it('rotates refresh tokens and honours revoke-refresh-tokens', async () => {
		const first = await post(lab.urls.oauth2TokenUrl, form({ ...password, client_id: 'pw-client', client_secret: 'pw-client-secret' }));
		const refresh = (token: string) =>
			post(lab.urls.oauth2TokenUrl, form({ grant_type: 'refresh_token', refresh_token: token, client_id: 'pw-client', client_secret: 'pw-client-secret' }));

		const second = await refresh(first.data.refresh_token);
		expect(second.status).toBe(200);
		expect(second.data.refresh_token).not.toBe(first.data.refresh_token);
		expect(second.data.access_token).not.toBe(first.data.access_token);

		const reused = await refresh(first.data.refresh_token);
		expect(reused.status).toBe(400);
		expect(reused.data.error).toBe('invalid_grant');

		const api = await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer(second.data.access_token) });
		expect(api.data.client.grant).toBe('refresh_token');

		await lab.revokeRefreshTokens();
		const revoked = await refresh(second.data.refresh_token);
		expect(revoked.status).toBe(400);
		expect(revoked.data.error).toBe('invalid_grant');
	});

	it('rejects bad credentials, users and scopes with RFC 6749 errors', async () => {
		const wrongSecret = await post(lab.urls.oauth2TokenUrl, form(password), { ...FORM, authorization: rawBasic('pw-client', 'nope') });
		expect(wrongSecret.status).toBe(401);
		expect(wrongSecret.data.error).toBe('invalid_client');

		const noSecret = await post(lab.urls.oauth2TokenUrl, form({ ...password, client_id: 'pw-client' }));
		expect(noSecret.data.error).toBe('invalid_client');

		const badUser = await post(lab.urls.oauth2TokenUrl, form({ ...password, password: 'wrong', client_id: 'public-client' }));
		expect(badUser.status).toBe(400);
		expect(badUser.data.error).toBe('invalid_grant');

		const badScope = await post(lab.urls.oauth2TokenUrl, form({ ...password, scope: 'admin', client_id: 'public-client' }));
		expect(badScope.status).toBe(400);
		expect(badScope.data.error).toBe('invalid_scope');

		const json = await post(lab.urls.oauth2TokenUrl, { ...password, client_id: 'public-client' }, { 'content-type': 'application/json' });
		expect(json.status).toBe(400);
		expect(json.data.error).toBe('invalid_request');
	});

	it('takes Basic credentials raw (no form-decoding): the raw header works, the RFC-encoded one fails', async () => {
		const body = form({ grant_type: 'client_credentials' });
		const raw = await post(lab.urls.oauth2TokenUrl, body, { ...FORM, authorization: rawBasic('raw-special-ascii', SPECIAL_ASCII) });
		expect(raw.status).toBe(200);
		const encoded = await post(lab.urls.oauth2TokenUrl, body, { ...FORM, authorization: rfcBasic('raw-special-ascii', SPECIAL_ASCII) });
		expect(encoded.status).toBe(401);
		expect(encoded.data.error).toBe('invalid_client');
	});

	it('refuses a non-ASCII secret in any form', async () => {
		const body = form({ grant_type: 'client_credentials' });
		const raw = await post(lab.urls.oauth2TokenUrl, body, { ...FORM, authorization: rawBasic('raw-special', SPECIAL) });
		expect(raw.status).toBe(400);
		expect(raw.data.error).toBe('invalid_request');
		const encoded = await post(lab.urls.oauth2TokenUrl, body, { ...FORM, authorization: rfcBasic('raw-special', SPECIAL) });
		expect(encoded.data.error).toBe('invalid_client');
	});
});

describe('JSON token endpoint at /json/token', () => {
	const json = { 'content-type': 'application/json' };

	it('issues tokens for JSON bodies, with body or RFC Basic client auth', async () => {
		const cc = await post(lab.urls.jsonTokenUrl, { grant_type: 'client_credentials', client_id: 'json-client', client_secret: 'json-secret' }, json);
		expect(cc.status).toBe(200);
		expect(cc.data).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read write' });

		const pw = await post(lab.urls.jsonTokenUrl, { grant_type: 'password', username: 'alice', password: 'alice-password', scope: 'read' }, {
			...json,
			authorization: rfcBasic('json-client', 'json-secret'),
		});
		expect(pw.status).toBe(200);
		expect(pw.data.scope).toBe('read');

		const special = await post(lab.urls.jsonTokenUrl, { grant_type: 'client_credentials' }, { ...json, authorization: rfcBasic('json-special', SPECIAL) });
		expect(special.status).toBe(200);

		const api = await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer(pw.data.access_token) });
		expect(api.data.client).toMatchObject({ issuer: 'json', clientId: 'json-client', grant: 'password' });
	});

	it('refuses non-JSON bodies with 415 and bad requests with RFC 6749 errors', async () => {
		const asForm = await post(lab.urls.jsonTokenUrl, form({ grant_type: 'client_credentials', client_id: 'json-client', client_secret: 'json-secret' }));
		expect(asForm.status).toBe(415);
		expect(asForm.data.error).toBe('invalid_request');

		const wrong = await post(lab.urls.jsonTokenUrl, { grant_type: 'client_credentials' }, { ...json, authorization: rfcBasic('json-client', 'nope') });
		expect(wrong.status).toBe(401);
		expect(wrong.data.error).toBe('invalid_client');
		expect(wrong.headers['www-authenticate']).toMatch(/^Basic/);

		const rawSpecial = await post(lab.urls.jsonTokenUrl, { grant_type: 'client_credentials' }, { ...json, authorization: rawBasic('json-special', SPECIAL) });
		expect(rawSpecial.status).toBe(400);

		const creds = { client_id: 'json-client', client_secret: 'json-secret' };
		expect((await post(lab.urls.jsonTokenUrl, { ...creds, grant_type: 'password', username: 'alice', password: 'x' }, json)).data.error).toBe('invalid_grant');
		expect((await post(lab.urls.jsonTokenUrl, { ...creds, grant_type: 'client_credentials', scope: 'admin' }, json)).data.error).toBe('invalid_scope');
		expect((await post(lab.urls.jsonTokenUrl, { ...creds, grant_type: 'authorization_code' }, json)).data.error).toBe('unsupported_grant_type');

		expect((await lab.stats()).tokenRequests.byEndpoint.json).toBe(6);
	});
});

describe('fault token endpoint at /faults/token', () => {
	const ccBody = form({ grant_type: 'client_credentials', client_id: 'anyone', client_secret: 'anything' });

	it('issues a normal token when no fault is queued', async () => {
		const res = await post(lab.urls.faultTokenUrl, ccBody);
		expect(res.status).toBe(200);
		const api = await http0.get(`${lab.urls.apiUrl}/text`, { headers: bearer(res.data.access_token) });
		expect(api.status).toBe(200);
		const stats = await lab.stats();
		expect(stats.faultRequests).toHaveLength(1);
		expect(stats.faultRequests[0].body).toBe(ccBody);
		expect(stats.faultRequests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
	});

	it('plays queued faults in order: status+body, delay, reset, hang', async () => {
		await lab.queueTokenFaults([
			{ status: 503, headers: { 'retry-after': '2', 'content-type': 'text/html' }, body: '<h1>down</h1>' },
			{ status: 200, body: '{"access_token":"not-json', delayMs: 200, headers: { 'content-type': 'application/json' } },
			{ reset: true },
			{ hang: true },
		]);
		const first = await post(lab.urls.faultTokenUrl, ccBody);
		expect(first.status).toBe(503);
		expect(first.headers['retry-after']).toBe('2');
		expect(first.data).toBe('<h1>down</h1>');

		const started = Date.now();
		const second = await http0.post(lab.urls.faultTokenUrl, ccBody, { headers: FORM, transitional: { silentJSONParsing: true }, responseType: 'text' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(second.data).toBe('{"access_token":"not-json');

		await expect(post(lab.urls.faultTokenUrl, ccBody)).rejects.toMatchObject({ code: 'ECONNRESET' });
		await expect(http0.post(lab.urls.faultTokenUrl, ccBody, { headers: FORM, timeout: 300 })).rejects.toMatchObject({ code: 'ECONNABORTED' });

		// Queue drained: back to normal tokens.
		expect((await post(lab.urls.faultTokenUrl, ccBody)).status).toBe(200);
		const stats = await lab.stats();
		expect(stats.tokenRequests.byEndpoint.faults).toBe(5);
		expect(stats.tokenLog.map((e) => e.status)).toEqual([503, 200, null, null, 200]);
	});

	it('rejects a malformed fault list', async () => {
		await expect(lab.queueTokenFaults([{ body: 'no status' }])).rejects.toThrow(/400/);
	});
});

describe('token delay', () => {
	it('holds every token response back by tokenDelayMs', async () => {
		await lab.configure({ tokenDelayMs: 300 });
		const started = Date.now();
		const res = await post(lab.urls.jsonTokenUrl, { grant_type: 'client_credentials', client_id: 'json-client', client_secret: 'json-secret' }, {
			'content-type': 'application/json',
		});
		expect(res.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});
});

describe('protected API', () => {
	async function token(): Promise<string> {
		const res = await post(lab.urls.jsonTokenUrl, { grant_type: 'client_credentials', client_id: 'json-client', client_secret: 'json-secret' }, {
			'content-type': 'application/json',
		});
		return res.data.access_token;
	}

	it('refuses missing, unknown, expired and revoked tokens with 401 invalid_token and counts each', async () => {
		const missing = await http0.get(`${lab.urls.apiUrl}/echo`);
		expect(missing.status).toBe(401);
		expect(missing.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
		expect(missing.data.error).toBe('invalid_token');

		expect((await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer('made-up') })).status).toBe(401);

		await lab.configure({ accessTokenTtlSeconds: 1 });
		const shortLived = await token();
		expect((await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer(shortLived) })).status).toBe(200);
		await new Promise((r) => setTimeout(r, 1100));
		expect((await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer(shortLived) })).status).toBe(401);

		await lab.configure({ accessTokenTtlSeconds: 3600 });
		const revoked = await token();
		await lab.revokeAll();
		const res = await http0.get(`${lab.urls.apiUrl}/echo`, { headers: bearer(revoked) });
		expect(res.status).toBe(401);
		expect(res.data.error).toBe('invalid_token');

		const stats = await lab.stats();
		expect(stats).toMatchObject({ apiRequests: 5, api401: 4, apiMissing: 1, apiUnknown: 1, apiExpired: 1, apiRevoked: 1 });
		expect(stats.byPath['/api/echo']).toBe(5);
		expect(stats.apiLog.map((e) => e.tokenState)).toEqual(['missing', 'unknown', 'valid', 'expired', 'revoked']);
		expect(stats.apiLog.map((e) => e.status)).toEqual([401, 401, 200, 401, 401]);
	});

	it('reset zeroes counters but keeps tokens', async () => {
		const t = await token();
		await http0.get(`${lab.urls.apiUrl}/text`, { headers: bearer(t) });
		await lab.reset();
		const stats = await lab.stats();
		expect(stats.apiRequests).toBe(0);
		expect(stats.tokenRequests.total).toBe(0);
		expect((await http0.get(`${lab.urls.apiUrl}/text`, { headers: bearer(t) })).status).toBe(200);
	});

	it('honours a configured auth header and prefix', async () => {
		const t = await token();
		await lab.configure({ apiAuthHeader: 'X-Api-Key', apiAuthPrefix: '' });
		expect((await http0.get(`${lab.urls.apiUrl}/text`, { headers: bearer(t) })).status).toBe(401);
		const ok = await http0.get(`${lab.urls.apiUrl}/echo`, { headers: { 'x-api-key': t, authorization: 'Bearer leaks?' } });
		expect(ok.status).toBe(200);
		expect(ok.data.headers['x-api-key']).toBeUndefined();
		expect(ok.data.headers.authorization).toBe('Bearer leaks?');

		await lab.configure({ apiAuthHeader: 'authorization', apiAuthPrefix: 'Token' });
		expect((await http0.get(`${lab.urls.apiUrl}/text`, { headers: { authorization: `Token ${t}` } })).status).toBe(200);
	});

	describe('with a valid token', () => {
		let auth: Record<string, string>;
		beforeEach(async () => {
			auth = bearer(await token());
		});

		it('echoes JSON, form, text and raw bodies without the auth header', async () => {
			const j = await http0.post(`${lab.urls.apiUrl}/echo?a=1&a=2&b=x`, { hello: 'world' }, { headers: { ...auth, 'x-custom': 'yes' } });
			expect(j.data).toMatchObject({ method: 'POST', path: '/api/echo', query: { a: ['1', '2'], b: 'x' }, bodyType: 'json', body: { hello: 'world' } });
			expect(j.data.headers['x-custom']).toBe('yes');
			expect(j.data.headers.authorization).toBeUndefined();

			const f = await http0.put(`${lab.urls.apiUrl}/echo`, form({ a: 'b', c: 'd' }), { headers: { ...auth, ...FORM } });
			expect(f.data).toMatchObject({ method: 'PUT', bodyType: 'form', body: { a: 'b', c: 'd' } });

			const t = await http0.patch(`${lab.urls.apiUrl}/echo`, 'plain text', { headers: { ...auth, 'content-type': 'text/plain' } });
			expect(t.data).toMatchObject({ bodyType: 'text', body: 'plain text' });

			const bytes = Buffer.from([0, 1, 2, 255]);
			const r = await http0.post(`${lab.urls.apiUrl}/echo`, bytes, { headers: { ...auth, 'content-type': 'application/octet-stream' } });
			expect(r.data).toMatchObject({
				bodyType: 'raw',
				body: { size: 4, sha256: createHash('sha256').update(bytes).digest('hex'), contentType: 'application/octet-stream' },
			});
		});

		it('echoes multipart fields and files', async () => {
			const data = new FormData();
			data.append('field', 'value');
			data.append('upload', new Blob([Buffer.from('file-bytes')], { type: 'text/csv' }), 'data.csv');
			const res = await fetch(`${lab.urls.apiUrl}/echo`, { method: 'POST', headers: auth, body: data });
			const body = (await res.json()) as { bodyType: string; body: { fields: object; files: object[] } };
			expect(body.bodyType).toBe('multipart');
			expect(body.body.fields).toEqual({ field: 'value' });
			expect(body.body.files).toEqual([
				{ name: 'upload', filename: 'data.csv', size: 10, contentType: 'text/csv', sha256: createHash('sha256').update('file-bytes').digest('hex') },
			]);
		});

		it('paginates 23 items, 5 per page', async () => {
			const ids: number[] = [];
			let url: string | null = `${lab.urls.apiUrl}/items?page=1`;
			let pages = 0;
			while (url) {
				const res: AxiosResponse = await http0.get(url, { headers: auth });
				ids.push(...res.data.items.map((i: { id: number }) => i.id));
				expect(res.headers['x-next-page']).toBe(res.data.nextPage === null ? undefined : String(res.data.nextPage));
				url = res.data.next;
				pages++;
			}
			expect(pages).toBe(5);
			expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
		});

		it('serves a PNG file and a text body', async () => {
			const file = await http0.get(`${lab.urls.apiUrl}/file`, { headers: auth, responseType: 'arraybuffer' });
			expect(file.headers['content-type']).toBe('image/png');
			expect(file.headers['content-disposition']).toBe('attachment; filename="report.png"');
			const png = Buffer.from(file.data);
			expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
			expect(png.subarray(12, 16).toString()).toBe('IHDR');

			const text = await http0.get(`${lab.urls.apiUrl}/text`, { headers: auth });
			expect(text.headers['content-type']).toMatch(/^text\/plain/);
			expect(text.data).toBe('hello from the lab');
		});

		it('answers any status with optional Retry-After', async () => {
			const res = await http0.delete(`${lab.urls.apiUrl}/status/429?retryAfter=3`, { headers: auth });
			expect(res.status).toBe(429);
			expect(res.headers['retry-after']).toBe('3');
			expect(res.data).toEqual({ error: 'Too Many Requests', status: 429 });
			expect((await http0.get(`${lab.urls.apiUrl}/status/500`, { headers: auth })).status).toBe(500);
			const stats = await lab.stats();
			expect(stats.byPath['/api/status/429']).toBe(1);
			expect(stats.apiByStatus).toMatchObject({ '429': 1, '500': 1 });
		});

		it('redirects to another host, which records what it got', async () => {
			const to = `${lab.urls.otherHostUrl}/landing`;
			const res = await http0.get(`${lab.urls.apiUrl}/redirect?to=${encodeURIComponent(to)}&status=307`, { headers: auth });
			expect(res.status).toBe(307);
			expect(res.headers.location).toBe(to);
			const other = await http0.get(res.headers.location, { headers: { 'x-marker': '1' } });
			expect(other.data).toEqual({ otherHost: true, path: '/landing' });
			const stats = await lab.stats();
			expect(stats.otherHost).toHaveLength(1);
			expect(stats.otherHost[0]).toMatchObject({ method: 'GET', path: '/landing' });
			expect(stats.otherHost[0].headers.authorization).toBeUndefined();
			expect(stats.otherHost[0].headers['x-marker']).toBe('1');
		});

		it('is slow on request', async () => {
			const started = Date.now();
			const res = await http0.get(`${lab.urls.apiUrl}/slow?ms=250`, { headers: auth });
			expect(res.status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		});

		it('fails once per key (flaky-once, reset-once), then succeeds', async () => {
			const flaky = `${lab.urls.apiUrl}/flaky-once?key=k1&status=503&retryAfter=1`;
			const first = await http0.get(flaky, { headers: auth });
			expect(first.status).toBe(503);
			expect(first.headers['retry-after']).toBe('1');
			expect((await http0.get(flaky, { headers: auth })).status).toBe(200);

			const resetUrl = `${lab.urls.apiUrl}/reset-once?key=k1`;
			await expect(rawGet(resetUrl, auth)).rejects.toMatchObject({ code: 'ECONNRESET' });
			expect(await rawGet(resetUrl, auth)).toBe(200);

			// reset forgets the keys so tests can reuse them.
			await lab.reset();
			expect((await http0.get(flaky, { headers: auth })).status).toBe(503);
		});
	});
});

/** A bare node:http GET on a fresh connection, so a destroyed socket surfaces as ECONNRESET. */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { headers, agent: false }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
	});
}
