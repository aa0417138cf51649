// Where the credential's token and secrets may go (issue 14, findings 1, 4, 5, 7), through the real
// code paths against real listeners (test/servers/origins.mjs: a redirector and a target, each its
// own origin, reachable as 127.0.0.1 and as localhost):
// - token and discovery requests: the credential's preAuthentication with an axios helpers.httpRequest;
// - API requests signed by the credential's authenticate (what n8n's HTTP Request node uses), then sent;
// - the node's send path (sendApiRequest) over a session whose n8n sends for real.
// Every case records a row of the fault table and counts what arrived at the other origin.
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { authenticateFor } from '../../credentials/common/authenticate';
import { TokenDestinationError } from '../../credentials/common/destination';
import { CLIENT_CREDENTIALS_TYPE } from '../../credentials/common/names';
import { TokenFetchError } from '../../credentials/common/preAuthentication';
import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { type ApiResponse, CredentialSession } from '../../nodes/OAuth2HttpRequest/transport/session';
import { sendApiRequest, type SendPolicy } from '../../nodes/OAuth2HttpRequest/transport/send';
import { NOW, withToken } from '../support/credentialFixtures';
import { fakeN8n } from '../support/fakeN8n';
import { useLab } from '../support/lab';
import { axiosHttpRequest } from './axiosHttpRequest';
import {
	assertNothingLeaks,
	credentialData,
	errorOf,
	FAULT_PASSWORD,
	FAULT_SECRET,
	fieldsOf,
	passwordData,
	preAuthenticate,
	rows,
} from './credentialPath';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

const GROUP = 'security: destination';
const HOUR = 3600_000;
const TOKEN = 'destination-api-token-Zq81';
const lab = useLab();

interface Arrival {
	listener: string;
	kind: 'redirect' | 'answer';
	origin: string;
	method: string;
	path: string;
	/** The request target as received, query included. */
	url?: string;
	headers: Record<string, string>;
	body: string;
}

async function arrivals(): Promise<Arrival[]> {
	const response = await fetch(`${lab.urls.redirectorUrl}/__origins/log`);
	return ((await response.json()) as { log: Arrival[] }).log;
}

const at = (log: Arrival[], origin: string) => log.filter((entry) => entry.origin === origin);

beforeEach(async () => {
	await fetch(`${lab.urls.redirectorUrl}/__origins/reset`, { method: 'POST' });
	sharedAuthenticator.clear();
});

function securityCase(name: string, expected: string, body: () => Promise<string>): void {
	it(name, async () => await rows.runCase({ group: GROUP, name, expected }, body));
}

const hostOf = (url: string) => new URL(url).host;

/** Fails when any request that reached `origin` carried one of `secrets` (raw, form-encoded, or in Basic). */
function assertNoSecretArrived(log: Arrival[], origin: string, secrets: string[]): void {
	const forms = secrets.flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]);
	for (const entry of at(log, origin)) {
		const basic = String(entry.headers.authorization ?? '').replace(/^Basic /i, '');
		const seen = `${entry.body}\n${JSON.stringify(entry.headers)}\n${Buffer.from(basic, 'base64').toString('utf8')}`;
		for (const form of forms) expect(seen.includes(form)).toBe(false);
	}
}

describe('token and discovery requests never follow a redirect to another origin (finding 1)', () => {
	const otherOrigins = () => ({
		port: lab.urls.targetUrl,
		host: lab.urls.redirectorAsLocalhostUrl,
		hostport: lab.urls.targetAsLocalhostUrl,
	});

	const rowsOfFinding1: Array<{ name: string; status: 307 | 308; to: 'port' | 'host' | 'hostport'; data: (url: string) => ICredentialDataDecryptedObject; secrets: string[] }> = [
		{ name: 'client secret in the body, 307 to another port', status: 307, to: 'port', data: (url) => credentialData(url, { clientAuthentication: 'body' }), secrets: [FAULT_SECRET] },
		{ name: 'client secret in Basic, 308 to another port', status: 308, to: 'port', data: (url) => credentialData(url, { clientAuthentication: 'header' }), secrets: [FAULT_SECRET] },
		{ name: 'password grant, 307 to another host on the same port (localhost)', status: 307, to: 'host', data: (url) => passwordData(url, { clientAuthentication: 'body' }), secrets: [FAULT_SECRET, FAULT_PASSWORD] },
		{ name: 'password grant, 308 to another host and port', status: 308, to: 'hostport', data: (url) => passwordData(url, { clientAuthentication: 'body' }), secrets: [FAULT_SECRET, FAULT_PASSWORD] },
	];

	for (const row of rowsOfFinding1) {
		securityCase(
			`token endpoint answers ${row.status} to another origin: ${row.name}`,
			'refused: nothing arrives at the other origin; the error names only the target host',
			async () => {
				const target = otherOrigins()[row.to];
				const tokenUrl = `${lab.urls.redirectorUrl}/redirect/${row.status}/${row.to}/token?tenant=t1`;
				const error = errorOf(await preAuthenticate(row.data(tokenUrl), row.name.startsWith('password') ? 'password' : 'client_credentials'));
				const log = await arrivals();
				assertNoSecretArrived(log, target, row.secrets);
				expect(at(log, target)).toHaveLength(0);
				expect(error.message).toContain(hostOf(target));
				expect(error.message).not.toContain(`${hostOf(target)}/`);
				assertNothingLeaks(error, row.secrets);
				return `${at(log, target).length} requests at ${hostOf(target)}; error: ${error.message}`;
			},
		);
	}

	securityCase('token endpoint answers 307 to the same origin', 'followed (same origin, at most 3 hops): a token is stored', async () => {
		const tokenUrl = `${lab.urls.redirectorUrl}/redirect/307/same/token`;
		const fields = fieldsOf(await preAuthenticate(credentialData(tokenUrl, { clientAuthentication: 'body' })));
		const log = await arrivals();
		expect(fields.accessToken).toBe('origins-token-/token');
		expect(log.map((e) => e.kind)).toEqual(['redirect', 'answer']);
		expect(log[1].method).toBe('POST');
		return `${log.length} requests, all at ${hostOf(lab.urls.redirectorUrl)}; token stored`;
	});

	securityCase('token endpoint redirects within its origin four times', 'refused after 3 redirects', async () => {
		const hops = '/redirect/307/same'.repeat(4);
		const error = errorOf(await preAuthenticate(credentialData(`${lab.urls.redirectorUrl}${hops}/token`, { clientAuthentication: 'body' })));
		const log = await arrivals();
		expect(log).toHaveLength(4);
		expect(log.every((e) => e.kind === 'redirect')).toBe(true);
		// Pre-authentication words the refusal without a code: n8n would show a code instead of the message.
		expect(error).toBeInstanceOf(TokenFetchError);
		expect((error as { code?: unknown }).code).toBeUndefined();
		expect(error.message).toMatch(/redirected more than 3 times within its origin/);
		return `${log.length} requests; error: ${error.message}`;
	});

	for (const to of ['port', 'host'] as const) {
		securityCase(`issuer discovery answers 302 to another origin (${to === 'port' ? 'other port' : 'localhost'})`, 'refused: nothing arrives at the other origin; the error names only the target host', async () => {
			const target = otherOrigins()[to];
			const data = credentialData('', { issuerUrl: `${lab.urls.redirectorUrl}/redirect/302/${to}/issuer`, clientAuthentication: 'body' });
			const error = errorOf(await preAuthenticate(data));
			const log = await arrivals();
			expect(at(log, target)).toHaveLength(0);
			expect(error).toBeInstanceOf(TokenFetchError);
			expect(error.message).toMatch(/to another origin/);
			expect(error.message).toContain(hostOf(target));
			expect(error.message).not.toContain(`${hostOf(target)}/`);
			return `${at(log, target).length} requests at ${hostOf(target)}; error: ${error.message}`;
		});
	}
});

/** Credential data with a valid stored token, as n8n hands it to authenticate. */
function signed(overrides: Record<string, unknown>): ICredentialDataDecryptedObject {
	const data = credentialData(`${lab.urls.baseUrl}/faults/token`, overrides);
	return withToken(data, 'client_credentials', TOKEN, { obtainedAt: Date.now() - 60_000, expiresAt: Date.now() + HOUR });
}

/** What authenticate did with a request to `url`: refused it, or signed it and the request went out. */
async function authenticateAndSend(data: ICredentialDataDecryptedObject, url: string): Promise<{ error?: Error; sent?: IHttpRequestOptions }> {
	let options: IHttpRequestOptions;
	try {
		options = await authenticateFor(CLIENT_CREDENTIALS_TYPE)(data, { method: 'GET', url, headers: {} });
	} catch (error) {
		return { error: error as Error };
	}
	await axiosHttpRequest({ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true });
	return { sent: options };
}

const tokenArrivals = (log: Arrival[]) => log.filter((e) => JSON.stringify(e.headers).includes(TOKEN));

describe('API requests: origin-based, https never downgraded, a bad base URL refused (findings 4, 5)', () => {
	const refusedRows: Array<{ name: string; base: () => string; url: () => string; domains?: () => string; code: string; names?: string }> = [
		{ name: 'https base URL, request to the same host over http', base: () => lab.urls.redirectorUrl.replace('http:', 'https:'), url: () => `${lab.urls.redirectorUrl}/x`, code: 'NOT_ALLOWED' },
		{ name: 'base URL on one port, request to another port of the host', base: () => lab.urls.redirectorUrl, url: () => `${lab.urls.targetUrl}/x`, code: 'NOT_ALLOWED' },
		{ name: 'base URL 127.0.0.1, request to localhost on the same port', base: () => lab.urls.redirectorUrl, url: () => `${lab.urls.redirectorAsLocalhostUrl}/x`, code: 'NOT_ALLOWED' },
		{ name: 'base URL without a scheme (host/v1)', base: () => `${hostOf(lab.urls.redirectorUrl)}/v1`, url: () => `${lab.urls.targetUrl}/x`, code: 'INVALID_BASE_URL', names: 'API Base URL' },
		{ name: 'base URL with a port out of range', base: () => 'http://127.0.0.1:70000/v1', url: () => `${lab.urls.targetUrl}/x`, code: 'INVALID_BASE_URL', names: 'API Base URL' },
		{ name: 'base URL with an ftp: scheme', base: () => 'ftp://127.0.0.1/v1', url: () => `${lab.urls.targetUrl}/x`, code: 'INVALID_BASE_URL', names: 'API Base URL' },
		{ name: 'allowed domain with scheme and port, request to another port', base: () => '', domains: () => lab.urls.targetUrl, url: () => `${lab.urls.redirectorUrl}/x`, code: 'NOT_ALLOWED' },
		{ name: 'allowed domain https://host:port, request over http to that port', base: () => '', domains: () => lab.urls.targetUrl.replace('http:', 'https:'), url: () => `${lab.urls.targetUrl}/x`, code: 'NOT_ALLOWED' },
		{ name: 'https base URL and a host-only allowed domain, request over http', base: () => 'https://api.example.test', domains: () => '127.0.0.1', url: () => `${lab.urls.targetUrl}/x`, code: 'NOT_ALLOWED' },
	];

	for (const row of refusedRows) {
		securityCase(`authenticate refuses: ${row.name}`, `TokenDestinationError ${row.code}; no token leaves`, async () => {
			const domains = row.domains?.();
			const data = signed({ baseUrl: row.base(), ...(domains !== undefined ? { allowedHttpRequestDomains: 'domains', allowedDomains: domains } : {}) });
			const { error } = await authenticateAndSend(data, row.url());
			const log = await arrivals();
			expect(tokenArrivals(log)).toHaveLength(0);
			expect(error).toBeInstanceOf(TokenDestinationError);
			expect((error as TokenDestinationError).code).toBe(row.code);
			if (row.names) expect(error?.message).toContain(`"${row.names}"`);
			return `${tokenArrivals(log).length} requests carried the token; error: ${error?.message}`;
		});
	}

	const allowedRows: Array<{ name: string; base: () => string; url: () => string; domains?: () => string }> = [
		{ name: 'request to the base URL\'s origin', base: () => `${lab.urls.redirectorUrl}/v1`, url: () => `${lab.urls.redirectorUrl}/other/path` },
		{ name: 'allowed domain with scheme and port, request to it', base: () => lab.urls.redirectorUrl, domains: () => lab.urls.targetUrl, url: () => `${lab.urls.targetUrl}/x` },
		{ name: 'host-only allowed domain, no base URL, any port over http', base: () => '', domains: () => 'localhost', url: () => `${lab.urls.targetAsLocalhostUrl}/x` },
	];
	for (const row of allowedRows) {
		securityCase(`authenticate signs: ${row.name}`, 'the token is sent', async () => {
			const domains = row.domains?.();
			const data = signed({ baseUrl: row.base(), ...(domains !== undefined ? { allowedHttpRequestDomains: 'domains', allowedDomains: domains } : {}) });
			const { error } = await authenticateAndSend(data, row.url());
			expect(error).toBeUndefined();
			expect(tokenArrivals(await arrivals())).toHaveLength(1);
			return 'token sent once';
		});
	}

	securityCase('authenticate signs: default ports written out (https://h:443 is https://h, http://h:80 is http://h)', 'the token header is set', async () => {
		for (const [base, url] of [['https://api.example.test/v1', 'https://api.example.test:443/x'], ['http://api.example.test:80', 'http://api.example.test/x'], ['HTTPS://API.Example.TEST', 'https://api.example.test/x']]) {
			const options = await authenticateFor(CLIENT_CREDENTIALS_TYPE)(signed({ baseUrl: base }), { url });
			expect((options.headers as Record<string, string>).Authorization).toBe(`Bearer ${TOKEN}`);
		}
		return 'signed for all three';
	});

	securityCase('authenticate: n8n must not carry Authorization across origins', 'sendCredentialsOnCrossOriginRedirect is false; a custom header turns redirects off', async () => {
		const standard = await authenticateFor(CLIENT_CREDENTIALS_TYPE)(signed({ baseUrl: lab.urls.redirectorUrl }), { url: `${lab.urls.redirectorUrl}/x`, sendCredentialsOnCrossOriginRedirect: true });
		expect(standard.sendCredentialsOnCrossOriginRedirect).toBe(false);
		const custom = (await authenticateFor(CLIENT_CREDENTIALS_TYPE)(signed({ baseUrl: lab.urls.redirectorUrl, authHeaderName: 'X-Api-Token' }), {
			url: `${lab.urls.redirectorUrl}/x`,
			followRedirect: true,
			maxRedirects: 21,
		} as IHttpRequestOptions)) as IHttpRequestOptions & { followRedirect?: boolean; followAllRedirects?: boolean; maxRedirects?: number };
		expect(custom.disableFollowRedirect).toBe(true);
		expect(custom.followRedirect).toBe(false);
		expect(custom.followAllRedirects).toBe(false);
		expect(custom.maxRedirects).toBe(0);
		return 'Authorization: sendCredentialsOnCrossOriginRedirect false; X-Api-Token: redirects not followed by n8n';
	});
});

/** A session over a fake n8n whose API calls really go out (axios, redirects not followed when asked). */
function nodeSession(data: ICredentialDataDecryptedObject) {
	const realSend = async (options: IHttpRequestOptions) =>
		(await axiosHttpRequest({ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true })) as ApiResponse;
	const n8n = fakeN8n({ api: async (call) => await realSend(call.options), plain: realSend as never, headerName: String(data.authHeaderName || 'Authorization') });
	const session = new CredentialSession(n8n.ctx, CLIENT_CREDENTIALS_TYPE, { id: 'cred-1', name: 'My API' }, data);
	const policy: SendPolicy = { renewOn: new Set([401]), retryOn: new Set(), maxRetries: 0, followRedirects: true, maxRedirects: 5 };
	return (options: IHttpRequestOptions) => sendApiRequest(n8n.ctx, session, { options }, policy);
}

const CARRIED = ['authorization', 'cookie', 'proxy-authorization', 'x-api-token'];

describe('the node: every request and redirect hop passes the policy; a cross-origin hop drops credentials (findings 4, 5, 7)', () => {
	const redirectRows: Array<{ name: string; header?: string; to: 'port' | 'host' | 'hostport'; status: number; userHeaders: Record<string, string> }> = [
		{ name: 'Authorization credential; user Cookie and Proxy-Authorization; 302 to another port', to: 'port', status: 302, userHeaders: { COOKIE: 'session=user-cookie', 'Proxy-Authorization': 'Basic cHJveHk6cHc=', 'X-Keep': 'kept' } },
		{ name: 'X-Api-Token credential; user Authorization and Cookie; 307 POST to localhost', header: 'X-Api-Token', to: 'host', status: 307, userHeaders: { authorization: 'Basic dXNlcjpwYXNz', Cookie: 'session=user-cookie', 'X-Keep': 'kept' } },
		{ name: 'X-Api-Token credential; user x-API-token of its own; 308 to another host and port', header: 'X-Api-Token', to: 'hostport', status: 308, userHeaders: { 'x-API-token': 'user-set-token', 'X-Keep': 'kept' } },
	];
	for (const row of redirectRows) {
		securityCase(`API redirect to another origin: ${row.name}`, 'followed; the target gets none of Authorization, Cookie, Proxy-Authorization, the token header', async () => {
			const data = withToken(
				credentialData(`${lab.urls.baseUrl}/faults/token`, { baseUrl: lab.urls.redirectorUrl, ...(row.header ? { authHeaderName: row.header } : {}) }),
				'client_credentials',
				TOKEN,
				{ obtainedAt: NOW, expiresAt: Date.now() + HOUR },
			);
			const send = nodeSession(data);
			const method = row.status === 302 ? 'GET' : 'POST';
			const response = await send({ method, url: `${lab.urls.redirectorUrl}/redirect/${row.status}/${row.to}/echo`, headers: { ...row.userHeaders }, body: method === 'POST' ? { order: 7 } : undefined, json: true });
			const target = { port: lab.urls.targetUrl, host: lab.urls.redirectorAsLocalhostUrl, hostport: lab.urls.targetAsLocalhostUrl }[row.to];
			const landed = at(await arrivals(), target);
			expect(response.statusCode).toBe(200);
			expect(landed).toHaveLength(1);
			const got = Object.keys(landed[0].headers);
			for (const name of CARRIED) expect(got).not.toContain(name);
			expect(landed[0].headers['x-keep']).toBe('kept');
			expect(JSON.stringify(landed[0].headers)).not.toContain(TOKEN);
			return `target reached once by ${landed[0].method}; headers it got: ${got.sort().join(', ')}`;
		});
	}

	securityCase('API redirect leaves the origin and comes back', 'no credential on any hop after the first cross-origin one', async () => {
		const data = withToken(credentialData(`${lab.urls.baseUrl}/faults/token`, { baseUrl: lab.urls.redirectorUrl }), 'client_credentials', TOKEN, { obtainedAt: NOW, expiresAt: Date.now() + HOUR });
		const send = nodeSession(data);
		await send({ method: 'GET', url: `${lab.urls.redirectorUrl}/redirect/302/port/redirect/302/same/echo`, headers: { Cookie: 'c=1' } });
		const log = await arrivals();
		const back = log.filter((e) => e.kind === 'answer');
		expect(back).toHaveLength(1);
		expect(back[0].origin).toBe(lab.urls.redirectorUrl);
		for (const name of CARRIED) expect(Object.keys(back[0].headers)).not.toContain(name);
		return `${log.length} requests; the last (back at the API's origin) carried: ${Object.keys(back[0].headers).sort().join(', ')}`;
	});

	const nodeRefusals: Array<{ name: string; base: () => string; url: () => string; code: string }> = [
		{ name: 'https base URL, request to http on the same host', base: () => lab.urls.redirectorUrl.replace('http:', 'https:'), url: () => `${lab.urls.redirectorUrl}/echo`, code: 'NOT_ALLOWED' },
		{ name: 'base URL without a scheme', base: () => `${hostOf(lab.urls.redirectorUrl)}/v1`, url: () => `${lab.urls.targetUrl}/echo`, code: 'INVALID_BASE_URL' },
	];
	for (const row of nodeRefusals) {
		securityCase(`node refuses: ${row.name}`, `TokenDestinationError ${row.code}; nothing sent`, async () => {
			const data = withToken(credentialData(`${lab.urls.baseUrl}/faults/token`, { baseUrl: row.base() }), 'client_credentials', TOKEN, { obtainedAt: NOW, expiresAt: Date.now() + HOUR });
			const error = await nodeSession(data)({ method: 'GET', url: row.url() }).then(() => undefined, (e: unknown) => e as Error);
			expect(error).toBeInstanceOf(TokenDestinationError);
			expect((error as TokenDestinationError).code).toBe(row.code);
			expect(await arrivals()).toHaveLength(0);
			return `0 requests; error: ${error?.message}`;
		});
	}
});

describe('a token in a query parameter (issue 15 item 5): the same origin rules as a header', () => {
	/** Requests that carried TOKEN anywhere: URL, headers or body. */
	const carried = (log: Arrival[]) => log.filter((e) => `${e.url ?? ''}\n${JSON.stringify(e.headers)}\n${e.body}`.includes(TOKEN));
	const inQuery = (overrides: Record<string, unknown> = {}) =>
		withToken(
			credentialData(`${lab.urls.baseUrl}/faults/token`, { baseUrl: lab.urls.redirectorUrl, authLocation: 'query', ...overrides }),
			'client_credentials',
			TOKEN,
			{ obtainedAt: NOW, expiresAt: Date.now() + HOUR },
		);

	securityCase('query token, authenticate: request to the API\'s origin', 'the token is in the query once, in no header', async () => {
		const { error } = await authenticateAndSend(inQuery(), `${lab.urls.redirectorUrl}/x?keep=1`);
		expect(error).toBeUndefined();
		const log = await arrivals();
		expect(log).toHaveLength(1);
		expect(new URL(String(log[0].url), 'http://x').searchParams.getAll('access_token')).toEqual([TOKEN]);
		expect(JSON.stringify(log[0].headers)).not.toContain(TOKEN);
		return `arrived as ${String(log[0].url).replace(TOKEN, '<token>')}`;
	});

	securityCase('query token, authenticate: request to another origin (other port)', 'TokenDestinationError NOT_ALLOWED; nothing carries the token', async () => {
		const { error } = await authenticateAndSend(inQuery(), `${lab.urls.targetUrl}/x`);
		expect(error).toBeInstanceOf(TokenDestinationError);
		expect((error as TokenDestinationError).code).toBe('NOT_ALLOWED');
		expect(carried(await arrivals())).toHaveLength(0);
		return `0 requests carried the token; error: ${error?.message}`;
	});

	const hops: Array<{ name: string; to: 'port' | 'host' | 'hostport'; status: number; parameter?: string }> = [
		{ name: '302 to another port, the Location echoing access_token', to: 'port', status: 302 },
		{ name: '307 to localhost, the Location echoing a custom parameter (sig_q)', to: 'host', status: 307, parameter: 'sig_q' },
		{ name: '308 to another host and port', to: 'hostport', status: 308 },
	];
	for (const row of hops) {
		securityCase(`query token, node: redirect hop ${row.name}`, 'followed; the hop\'s URL has lost the token parameter, the rest kept; nothing at the target carries the token', async () => {
			const send = nodeSession(inQuery(row.parameter ? { authQueryParameter: row.parameter } : {}));
			const method = row.status === 302 ? 'GET' : 'POST';
			const response = await send({ method, url: `${lab.urls.redirectorUrl}/redirect/${row.status}/${row.to}/echo?keep=1`, body: method === 'POST' ? { order: 7 } : undefined, json: true });
			const target = { port: lab.urls.targetUrl, host: lab.urls.redirectorAsLocalhostUrl, hostport: lab.urls.targetAsLocalhostUrl }[row.to];
			const log = await arrivals();
			const first = log.find((e) => e.kind === 'redirect');
			const landed = at(log, target);
			expect(response.statusCode).toBe(200);
			// The first hop did carry it, and the redirector put it into its Location.
			expect(String(first?.url)).toContain(`${row.parameter ?? 'access_token'}=${TOKEN}`);
			expect(landed).toHaveLength(1);
			expect(landed[0].url).toBe('/echo?keep=1');
			expect(carried(landed)).toHaveLength(0);
			return `target reached once by ${landed[0].method} at ${landed[0].url}`;
		});
	}

	securityCase('query token, node: redirect within the origin, the Location echoing the token', 'the hop carries the (current) token once, not twice', async () => {
		const send = nodeSession(inQuery());
		const response = await send({ method: 'GET', url: `${lab.urls.redirectorUrl}/redirect/302/same/echo?keep=1` });
		const log = await arrivals();
		const answered = log.filter((e) => e.kind === 'answer');
		expect(response.statusCode).toBe(200);
		expect(answered).toHaveLength(1);
		const query = new URL(String(answered[0].url), 'http://x').searchParams;
		expect(query.getAll('access_token')).toEqual([TOKEN]);
		expect(query.get('keep')).toBe('1');
		return `${log.length} requests; the second at ${String(answered[0].url).replace(TOKEN, '<token>')}`;
	});
});
