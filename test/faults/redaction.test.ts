// Issue 14, findings 2, 3 and 8: no value the credential holds appears in any message the package
// produces, in any encoding a server, a library or a log may echo it in. Each case runs the
// credential's real preAuthentication (the engine, n8n's wording) against the lab's fault endpoint,
// which quotes the request it received (raw, lower-case escapes, URL-decoded, JSON, PHP-style JSON,
// headers, target) or answers a 2xx that is not a JSON object; everything the resulting error shows
// is searched for every value in every encoding (test/support/leakSearch), and the message must still
// say what went wrong.
import { generateKeyPairSync } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { OAuth2HttpRequest } from '../../nodes/OAuth2HttpRequest/OAuth2HttpRequest.node';
import type { TokenFault } from '../servers/lab';
import { API_URL, clientData as fixtureClientData } from '../support/credentialFixtures';
import { fakeN8n, type ApiHandler } from '../support/fakeN8n';
import { useLab } from '../support/lab';
import { axiosHttpRequest } from './axiosHttpRequest';
import { assertNoLeaks, errorText, type LeakValue } from '../support/leakSearch';
import { credentialData, errorOf, fingerprintFor, passwordData, preAuthenticate, rows } from './credentialPath';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const GROUP = 'security: redaction';
const lab = useLab();

/** Characters that URLSearchParams and encodeURIComponent encode differently, a space, "%/+:" and non-ASCII. */
const SECRET = "S3cr!'()~ %/+:é-ünï";
const PASSWORD = "Pa55!'()~ %/+:ü-wörd";
const CLIENT_ID = 'redact-client';

beforeEach(async () => {
	await lab.reset();
	sharedAuthenticator.clear();
});

function redactionCase(name: string, expected: string, body: () => Promise<string>): void {
	it(name, async () => await rows.runCase({ group: GROUP, name, expected }, body));
}

const echo = (parts: NonNullable<TokenFault['echo']>, echoAs: TokenFault['echoAs'] = 'oauth'): TokenFault => ({
	status: 400,
	headers: { 'content-type': echoAs === 'text' ? 'text/plain' : 'application/json' },
	echo: parts,
	echoAs,
});

const ALL_PARTS: NonNullable<TokenFault['echo']> = ['raw', 'lowercase', 'decoded', 'json', 'php', 'headers', 'url'];

function clientData(overrides: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return credentialData(lab.urls.faultTokenUrl, { clientId: CLIENT_ID, clientSecret: SECRET, ...overrides });
}

function userData(overrides: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return passwordData(lab.urls.faultTokenUrl, { clientId: CLIENT_ID, clientSecret: SECRET, password: PASSWORD, ...overrides });
}

/** What reached the endpoint: proof that the server really had the value to echo. */
async function lastRequestBody(): Promise<string> {
	const requests = (await lab.stats()).faultRequests;
	return requests.length ? requests[requests.length - 1].body : '';
}

/** Runs preAuthentication, expects it to fail, searches all the error shows, returns its message. */
async function failureOf(data: ICredentialDataDecryptedObject, values: LeakValue[], grant: 'client_credentials' | 'password' = 'client_credentials') {
	const error = errorOf(await preAuthenticate(data, grant));
	assertNoLeaks(errorText(error), values, 'the error');
	return error;
}

const secretValue = (value = SECRET): LeakValue => ({ value, label: 'client secret', clientId: CLIENT_ID });
const passwordValue = (value = PASSWORD): LeakValue => ({ value, label: 'password' });

describe('a token endpoint that quotes the request it received', () => {
	for (const [auth, format] of [['body', 'form'], ['header', 'form'], ['headerRaw', 'form'], ['body', 'json']] as const) {
		redactionCase(
			`client secret with !'()~ %/+: and non-ASCII, ${auth} authentication, ${format} body`,
			'the error keeps the server\'s words and shows the secret in none of its encodings (raw, both form encodings, any-case percent, JSON, \\/ and \\u, base64, Basic)',
			async () => {
				await lab.queueTokenFaults([echo(ALL_PARTS)]);
				const error = await failureOf(clientData({ clientAuthentication: auth, requestFormat: format }), [secretValue()]);
				if (auth === 'body') expect(await lastRequestBody()).toContain(format === 'json' ? JSON.stringify(SECRET) : new URLSearchParams({ s: SECRET }).toString().slice(2));
				expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl} failed: 400 invalid_request (could not read the request: body `);
				expect(error.message).toContain('***');
				return error.message;
			},
		);
	}

	redactionCase(
		'password grant: password and client secret, every quoting',
		'neither the password nor the secret shows; the grant and user name stay readable',
		async () => {
			await lab.queueTokenFaults([echo(ALL_PARTS)]);
			const error = await failureOf(userData({ clientAuthentication: 'body' }), [secretValue(), passwordValue()], 'password');
			expect(await lastRequestBody()).toContain('grant_type=password');
			expect(error.message).toContain('grant_type=password');
			expect(error.message).toContain('username=alice');
			return error.message;
		},
	);

	redactionCase(
		'PHP-style JSON (\\/ and \\u escapes) as the plain-text body',
		'the body snippet shows the parameters with the secret masked',
		async () => {
			await lab.queueTokenFaults([echo(['php'], 'text')]);
			const error = await failureOf(userData({ clientAuthentication: 'body' }), [secretValue(), passwordValue()], 'password');
			expect(error.message).toContain('"grant_type":"password"');
			return error.message;
		},
	);

	redactionCase(
		'a 1-character password ("e")',
		'structure masks it (password=***, "password":"***"); every other "e" of the message stays',
		async () => {
			await lab.queueTokenFaults([echo(['raw', 'decoded', 'json', 'php'])]);
			const error = await failureOf(userData({ password: 'e', clientAuthentication: 'body' }), [secretValue(), passwordValue('e')], 'password');
			expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl} failed: 400 invalid_request (could not read the request: body grant_type=password&username=alice&password=***&`);
			expect(error.message).toContain('"password":"***"');
			expect(error.message).toContain('The server found the request malformed');
			return error.message;
		},
	);

	redactionCase(
		'overlapping secrets (one ending where the other begins), and one repeated back to back',
		'no part of either stays visible',
		async () => {
			const secret = 'Overlap-Secret-2bXy';
			const password = 'Secret-2bXy-tail!x';
			await lab.queueTokenFaults([
				{
					status: 401,
					headers: { 'content-type': 'application/json' },
					body: { error: 'invalid_client', error_description: `glued ${secret.slice(0, 8)}${password}; twice ${password}${password}` },
				},
			]);
			const error = await failureOf(userData({ clientSecret: secret, password }), [secretValue(secret), passwordValue(password), { value: 'Secret-2bXy', label: 'the overlap' }], 'password');
			expect(error.message).toContain('401 invalid_client (glued ***; twice ***)');
			return error.message;
		},
	);

	redactionCase(
		'the stored access token, the refresh token and the access token sent for the credential',
		'none of them shows in the error that quotes them',
		async () => {
			const access = 'Stored-Access-T0ken-9f8e7d';
			const refresh = 'Stored-Refresh-T0ken-1a2b3c';
			const base = userData({ clientAuthentication: 'body' });
			const data: ICredentialDataDecryptedObject = { ...base, accessToken: access, refreshToken: refresh, expiresAt: Date.now() - 1000, issuedAt: Date.now() - 3_600_000 };
			data.fingerprint = fingerprintFor(data, 'password');
			const quote = (grant: string): TokenFault => ({
				status: 400,
				headers: { 'content-type': 'application/json' },
				body: { error: 'invalid_grant', error_description: `${grant}: refresh ${encodeURIComponent(refresh)} of access ${Buffer.from(access).toString('base64')} (${access}) revoked` },
			});
			await lab.queueTokenFaults([quote('refresh'), quote('password')]);
			const error = await failureOf(data, [secretValue(), passwordValue(), { value: access, label: 'stored access token' }, { value: refresh, label: 'refresh token' }], 'password');
			const grants = (await lab.stats()).faultRequests.map((request) => new URLSearchParams(request.body).get('grant_type'));
			expect(grants).toEqual(['refresh_token', 'password']);
			expect(error.message).toContain('400 invalid_grant (password: refresh *** of access *** (***) revoked)');
			return error.message;
		},
	);
});

describe('client assertions and keys', () => {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

	redactionCase(
		'private_key_jwt: the assertion and the private key quoted back (raw, JSON, PHP-style)',
		'neither the JWT nor any line of the key shows',
		async () => {
			await lab.queueTokenFaults([echo(['raw', 'lowercase', 'json', 'php'])]);
			const data = clientData({ clientAuthentication: 'privateKeyJwt', privateKey: pem, clientSecret: '' });
			const outcome = await preAuthenticate(data);
			const assertion = new URLSearchParams(await lastRequestBody()).get('client_assertion') ?? '';
			expect(assertion.split('.')).toHaveLength(3);
			const error = errorOf(outcome);
			const keyLines = pem.split('\n').filter((line) => line && !line.startsWith('-----'));
			assertNoLeaks(errorText(error), [{ value: assertion, label: 'client assertion' }, { value: pem, label: 'private key' }, ...keyLines.map((value) => ({ value, label: 'a line of the private key' }))], 'the error');
			return error.message;
		},
	);

	redactionCase(
		'a server that quotes the private key it was configured with (JSON with \\n and \\/ escapes)',
		'no line of the key shows',
		async () => {
			const phpPem = JSON.stringify(pem).replace(/\//g, '\\/');
			await lab.queueTokenFaults([{ status: 500, headers: { 'content-type': 'text/plain' }, body: `key dump ${phpPem} / ${JSON.stringify(pem)}` }]);
			const data = clientData({ clientAuthentication: 'privateKeyJwt', privateKey: pem, clientSecret: '' });
			const keyLines = pem.split('\n').filter((line) => line && !line.startsWith('-----'));
			const error = await failureOf(data, [{ value: pem, label: 'private key' }, ...keyLines.map((value) => ({ value, label: 'a line of the private key' }))]);
			expect(error.message).toContain('key dump');
			return error.message;
		},
	);

	redactionCase(
		'client_secret_jwt: the HS256 assertion quoted back',
		'neither the JWT nor the secret shows',
		async () => {
			await lab.queueTokenFaults([echo(['raw', 'decoded', 'json'])]);
			const outcome = await preAuthenticate(clientData({ clientAuthentication: 'clientSecretJwt' }));
			const assertion = new URLSearchParams(await lastRequestBody()).get('client_assertion') ?? '';
			expect(assertion.split('.')).toHaveLength(3);
			const error = errorOf(outcome);
			assertNoLeaks(errorText(error), [{ value: assertion, label: 'client assertion' }, secretValue()], 'the error');
			return error.message;
		},
	);
});

describe('a 2xx token response that is not a JSON object (finding 3)', () => {
	const access = 'Fresh-Access-T0ken-Zq9x8w7v';
	const refresh = 'Fresh-Refresh-T0ken-Kp1o2i3u';
	const cases: Array<[string, TokenFault, RegExp]> = [
		[
			// A form-encoded token response is read since issue 15 (GitHub, Facebook); one without a token is named by its pairs.
			'form-encoded, the tokens under names no detection knows',
			{ status: 200, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `session=${access}&token_type=bearer&renewal=${refresh}&expires_in=3600` },
			/the response has no access_token\. .*the response has form-encoded pairs: session, token_type, renewal, expires_in\./,
		],
		[
			'a JSON array',
			{ status: 200, headers: { 'content-type': 'application/json' }, body: [{ access_token: access, refresh_token: refresh, token_type: 'Bearer' }] },
			/the response is a JSON array \(of 1 item\), not a JSON object/,
		],
		[
			'plain text',
			{ status: 200, headers: { 'content-type': 'text/plain' }, body: `Your token is ${access} and you can refresh it with ${refresh}` },
			/the response is text \(\d+ characters\), not JSON/,
		],
	];
	for (const [label, fault, shape] of cases) {
		redactionCase(`${label}, carrying an access and a refresh token`, 'the error names the shape only: neither token shows', async () => {
			await lab.queueTokenFaults([fault]);
			const error = await failureOf(clientData(), [secretValue(), { value: access, label: 'issued access token' }, { value: refresh, label: 'issued refresh token' }]);
			expect(error.message).toMatch(shape);
			return error.message;
		});
	}
});

describe('URLs in messages (finding 8)', () => {
	redactionCase(
		'userinfo and secret query parameters in the token URL, quoted back by the server',
		'the URL is shown without userinfo and with secret parameters as ***; the server\'s quote of the target too',
		async () => {
			const url = new URL(lab.urls.faultTokenUrl);
			url.username = 'svc';
			url.password = 'UrlInfo-Pa55w0rd';
			url.search = '?api_key=Query-ApiK3y-77&tenant=t1';
			await lab.queueTokenFaults([echo(['url', 'headers'])]);
			const error = await failureOf(credentialData(url.toString(), { clientId: CLIENT_ID, clientSecret: SECRET }), [
				secretValue(),
				{ value: 'UrlInfo-Pa55w0rd', label: 'userinfo password' },
				{ value: 'Query-ApiK3y-77', label: 'api_key query value' },
			]);
			expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl}?api_key=***&tenant=t1 failed`);
			expect(error.message).toContain('tenant=t1');
			return error.message;
		},
	);

	redactionCase(
		'a server error naming URLs with userinfo, secret query parameters and a proxy with a password',
		'userinfo masked, api_key / access_token / client_secret / password values masked, the hosts kept',
		async () => {
			const values = { info: 'Userinfo-Pa55', proxy: 'Pr0xy-Pa55!', key: 'QueryK3y-abc', token: 'QueryT0ken-def', secret: 'QuerySecret-ghi' };
			await lab.queueTokenFaults([
				{
					status: 400,
					headers: { 'content-type': 'application/json' },
					body: {
						error: 'invalid_request',
						error_description: `upstream https://svc:${values.info}@idp.example.test/x?api_key=${values.key}&access_token=${values.token} via proxy http://proxy-user:${encodeURIComponent(values.proxy)}@proxy.example.test:3128 refused; retry https://idp.example.test/t?client_secret=${values.secret}&password=Q`,
					},
				},
			]);
			const error = await failureOf(clientData(), [
				secretValue(),
				...Object.entries(values).map(([label, value]) => ({ value, label })),
				{ value: 'Q', label: 'one-character password in a query' },
			]);
			expect(error.message).toContain('https://***@idp.example.test/x?api_key=***&access_token=***');
			expect(error.message).toContain('http://***@proxy.example.test:3128');
			return error.message;
		},
	);

	redactionCase(
		'discovery: an issuer URL with userinfo and an api_key, metadata not found',
		'the discovery error names the URLs tried without userinfo or the key',
		async () => {
			const issuer = new URL(`${lab.urls.baseUrl}/no-such-issuer`);
			issuer.username = 'svc';
			issuer.password = 'Issuer-Pa55w0rd';
			issuer.search = '?api_key=Issuer-K3y-5';
			const data = clientData({ tokenUrl: '', issuerUrl: issuer.toString() });
			const error = await failureOf(data, [secretValue(), { value: 'Issuer-Pa55w0rd', label: 'issuer userinfo password' }, { value: 'Issuer-K3y-5', label: 'issuer api_key' }]);
			expect(error.message).toContain('Could not find the token endpoint of issuer');
			expect(error.message).toContain('answered 404');
			return error.message;
		},
	);
});

describe('the node: the token an item sent (finding 8)', () => {
	redactionCase(
		'a 403 that quotes the token item 1 sent, answered after item 2\'s 401 renewed the token',
		'item 1\'s error shows neither that token nor the new one (with continueOnFail, and without)',
		async () => {
			const outcomes: string[] = [];
			for (const continueOnFail of [true, false]) {
				sharedAuthenticator.clear();
				let refusals = 0;
				const api: ApiHandler = async (call) => {
					if (String(call.options.url).endsWith('/quote')) {
						// Answers after item 1 was refused and the token renewed.
						await new Promise((resolve) => setTimeout(resolve, 50));
						return { statusCode: 403, headers: {}, body: { message: `token ${call.token} may not read this` } };
					}
					// Item 2's first try is refused, which renews the token; its resend succeeds.
					if (String(call.options.url).endsWith('/refuse') && refusals++ === 0) return { statusCode: 401, headers: {}, body: { error: 'invalid_token' } };
					return { statusCode: 200, headers: {}, body: { ok: true } };
				};
				const n8n = fakeN8n({
					params: { authentication: 'clientCredentialsOAuth2Api', operation: 'request', method: 'GET', url: '/quote' },
					// Item 0 fetches the token; items 1 and 2 then go out together with it.
					perItem: [{ url: '/ok' }, { url: '/quote' }, { url: '/refuse' }],
					items: [{ json: {} }, { json: {} }, { json: {} }],
					credential: { type: 'clientCredentialsOAuth2Api', data: fixtureClientData({ baseUrl: API_URL }) },
					continueOnFail,
					api,
				});
				const run = new OAuth2HttpRequest().execute.call(n8n.ctx).then(
					([output]) => output.map((item) => JSON.stringify(item.json)).join('\n'),
					(error: unknown) => errorText(error),
				);
				const shown = await run;
				const sent = [...new Set(n8n.apiCalls.map((call) => call.token).filter((token): token is string => !!token))];
				expect(sent.length).toBeGreaterThanOrEqual(2);
				assertNoLeaks(shown, sent.map((value) => ({ value, label: 'an access token of this credential' })), 'the node\'s error');
				expect(shown).toContain('The API answered 403: may not read this'.slice(0, 20));
				outcomes.push(`${continueOnFail ? 'continueOnFail' : 'failing'}: ${sent.length} tokens sent, none shown: ${shown.split('\n')[0].slice(0, 160)}`);
			}
			return outcomes.join(' | ');
		},
	);
});

describe('a token in a query parameter (issue 15 item 5)', () => {
	const moduleUrl = () => `${lab.urls.wildBaseUrl}/query-token`;
	const realApi: ApiHandler = async (call) =>
		(await axiosHttpRequest({ ...call.options, returnFullResponse: true, ignoreHttpStatusErrors: true })) as Awaited<ReturnType<ApiHandler>>;

	/** The node over the lab's query-token API with an oidc token; what it output or threw, as text. */
	async function run(url: string, parameter: string, continueOnFail: boolean, options: Record<string, unknown> = {}) {
		const data = credentialData(lab.urls.oidcTokenUrl, {
			clientId: 'cc-basic',
			clientSecret: 'cc-basic-secret',
			clientAuthentication: 'header',
			scope: 'read',
			baseUrl: `${moduleUrl()}/api${parameter === 'access_token' ? '' : `/param/${parameter}`}`,
			authLocation: 'query',
			authQueryParameter: parameter,
			accessToken: '',
		});
		const n8n = fakeN8n({
			params: { authentication: 'clientCredentialsOAuth2Api', operation: 'request', method: 'GET', url, options },
			credential: { type: 'clientCredentialsOAuth2Api', data },
			tokenHttpRequest: axiosHttpRequest,
			api: realApi,
			queryParameter: parameter,
			continueOnFail,
		});
		const shown = await new OAuth2HttpRequest().execute.call(n8n.ctx).then(
			([output]) => output.map((item) => JSON.stringify(item.json)).join('\n'),
			(error: unknown) => errorText(error),
		);
		const token = String(n8n.stored.accessToken);
		expect(token.length).toBeGreaterThan(20);
		expect(n8n.apiCalls.every((call) => call.token === token)).toBe(true);
		return { shown, token };
	}

	for (const parameter of ['access_token', 'sig_q']) {
		redactionCase(
			`the API quotes the request URL with the token in ${parameter} (500)`,
			`the node's error keeps the status and the API's words, the URL with ${parameter}=***; the token in none of its encodings (failing, and with continueOnFail)`,
			async () => {
				const outcomes: string[] = [];
				for (const continueOnFail of [false, true]) {
					const { shown, token } = await run('/status/500?quote=1&item=1', parameter, continueOnFail);
					assertNoLeaks(shown, [{ value: token, label: 'the access token' }], 'the node\'s error', { names: [parameter] });
					expect(shown).toContain('The API answered 500');
					expect(shown).toContain(`${parameter}=***`);
					outcomes.push(`${continueOnFail ? 'continueOnFail' : 'failing'}: ${shown.split('\n')[0].slice(0, 200)}`);
				}
				return outcomes.join(' | ');
			},
		);
	}

	redactionCase(
		'a redirect loop whose Location carries the token back (Max Redirects 2)',
		'the "Stopped after 2 redirects" error names the last Location with the parameter as ***',
		async () => {
			const loop = `${moduleUrl()}/api/redirect?echo=1`;
			const { shown, token } = await run(loop, 'access_token', false, { redirect: { redirect: { followRedirects: true, maxRedirects: 2 } } });
			assertNoLeaks(shown, [{ value: token, label: 'the access token' }], 'the node\'s error', { names: ['access_token'] });
			expect(shown).toContain('Stopped after 2 redirects');
			expect(shown).toContain('access_token=***');
			return shown.split('\n')[0].slice(0, 240);
		},
	);
});

describe('a gateway key on the token request (issue 15, item 4)', () => {
	redactionCase(
		'Extra Token Request Headers: a gateway key the server quotes back raw, percent- and form-encoded, base64, JSON and as a header line',
		'the key shows in none of its encodings; the header name and the server\'s words stay readable',
		async () => {
			const key = "Gw-K3y!'()~ %/+:&=-77aa";
			const quoted = [
				key,
				encodeURIComponent(key),
				encodeURIComponent(key).toLowerCase(),
				new URLSearchParams({ k: key }).toString().slice(2),
				Buffer.from(key).toString('base64'),
				JSON.stringify(key).replace(/\//g, '\\/'),
			].join(' | ');
			await lab.queueTokenFaults([
				{
					status: 401,
					headers: { 'content-type': 'application/json' },
					body: { error: 'invalid_client', error_description: `refused ${quoted}; Ocp-Apim-Subscription-Key: ${key}` },
				},
			]);
			const data = clientData({ clientAuthentication: 'body', extraHeaders: { header: [{ name: 'Ocp-Apim-Subscription-Key', value: key }] } });
			const error = await failureOf(data, [secretValue(), { value: key, label: 'gateway key' }]);
			const requests = (await lab.stats()).faultRequests;
			expect(requests[requests.length - 1].headers['ocp-apim-subscription-key']).toBe(key);
			expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl} failed: 401 invalid_client (refused ***`);
			expect(error.message).toContain('Ocp-Apim-Subscription-Key: ***');
			return error.message;
		},
	);
});
