import {
	checkTokenDestination,
	type DestinationPolicy,
	originOf,
	sendWithinOrigin,
	TokenDestinationError,
	withoutCredentialHeaders,
	withoutCredentialParameters,
} from '../../../engine/destination';
import type { TransportRequest, TransportResponse } from '../../../engine/types';

const policy = (overrides: Partial<DestinationPolicy> = {}): DestinationPolicy => ({ mode: 'all', domains: [], baseUrl: '', baseUrlField: 'API Base URL', ...overrides });

function verdict(p: DestinationPolicy, url: string): string {
	try {
		checkTokenDestination(p, url);
		return 'sent';
	} catch (error) {
		if (!(error instanceof TokenDestinationError)) throw error;
		return error.code;
	}
}

describe('origins', () => {
	it('make default ports explicit and ignore case', () => {
		expect(originOf('https://API.example.test')).toEqual({ scheme: 'https', host: 'api.example.test', port: 443 });
		expect(originOf('http://h:80/x')).toEqual({ scheme: 'http', host: 'h', port: 80 });
		expect(originOf('HTTPS://h:8443')).toEqual({ scheme: 'https', host: 'h', port: 8443 });
		for (const bad of ['api.example.com/v1', 'ftp://h/', 'http://h:70000', '/relative', '', 'mailto:a@b']) expect(originOf(bad)).toBeUndefined();
	});
});

describe('the destination policy', () => {
	it.each([
		// base URL: its origin only
		['https://api.x.test/v1', 'https://api.x.test/other', 'sent'],
		['https://api.x.test/v1', 'https://api.x.test:443/other', 'sent'],
		['https://api.x.test', 'http://api.x.test/v1', 'NOT_ALLOWED'],
		['https://api.x.test', 'https://api.x.test:8443/v1', 'NOT_ALLOWED'],
		['https://api.x.test', 'https://sub.api.x.test/v1', 'NOT_ALLOWED'],
		['http://127.0.0.1:8080', 'http://localhost:8080/', 'NOT_ALLOWED'],
		// a base URL that does not parse refuses everything
		['api.x.test/v1', 'https://api.x.test/v1', 'INVALID_BASE_URL'],
		['https://api.x.test:99999', 'https://evil.test/', 'INVALID_BASE_URL'],
		['ftp://api.x.test', 'https://evil.test/', 'INVALID_BASE_URL'],
		// no base URL, mode all: anything http(s)
		['', 'http://anything.test:1234/', 'sent'],
		['', 'ftp://anything.test/', 'INVALID_URL'],
	])('base %s, request %s: %s', (baseUrl, url, expected) => {
		expect(verdict(policy({ baseUrl }), url)).toBe(expected);
	});

	it.each([
		// an entry with a scheme is an origin (default port when none is given)
		['https://api.x.test:8443', '', 'https://api.x.test:8443/a', 'sent'],
		['https://api.x.test:8443', '', 'https://api.x.test/a', 'NOT_ALLOWED'],
		['https://api.x.test:8443', '', 'http://api.x.test:8443/a', 'NOT_ALLOWED'],
		['https://api.x.test', '', 'https://api.x.test:443/a', 'sent'],
		['https://api.x.test/some/path', '', 'https://api.x.test:8443/a', 'NOT_ALLOWED'],
		['https://*.x.test', '', 'https://a.x.test/', 'sent'],
		['https://*.x.test', '', 'http://a.x.test/', 'NOT_ALLOWED'],
		// host only: any port; https always, http only when the base URL is not https
		['api.x.test', '', 'https://api.x.test:9443/', 'sent'],
		['api.x.test', '', 'http://api.x.test:8080/', 'sent'],
		['api.x.test', 'https://base.test', 'http://api.x.test/', 'NOT_ALLOWED'],
		['api.x.test', 'http://base.test', 'http://api.x.test/', 'sent'],
		['api.x.test:8443', '', 'https://api.x.test:8443/', 'sent'],
		['api.x.test:8443', '', 'https://api.x.test/', 'NOT_ALLOWED'],
		['*.x.test', 'https://base.test', 'https://deep.a.x.test/', 'sent'],
		['*.x.test', 'https://base.test', 'https://x.test/', 'sent'],
		['*.x.test', 'https://base.test', 'http://a.x.test/', 'NOT_ALLOWED'],
		['*.x.test', '', 'https://x.test.evil/', 'NOT_ALLOWED'],
		// entries that do not parse allow nothing
		['ftp://api.x.test', '', 'https://api.x.test/', 'NOT_ALLOWED'],
		['*.', '', 'https://api.x.test/', 'NOT_ALLOWED'],
		['a*b.test', '', 'https://axb.test/', 'NOT_ALLOWED'],
	])('domains "%s", base "%s", request %s: %s', (domains, baseUrl, url, expected) => {
		expect(verdict(policy({ mode: 'domains', domains: [domains], baseUrl }), url)).toBe(expected);
	});

	it('refuses everything with mode none, base origin included', () => {
		expect(verdict(policy({ mode: 'none', baseUrl: 'https://api.x.test' }), 'https://api.x.test/')).toBe('NONE_ALLOWED');
	});

	it('names the field of a base URL that does not parse', () => {
		try {
			checkTokenDestination(policy({ baseUrl: 'api.x.test/v1' }), 'https://api.x.test/');
			throw new Error('not refused');
		} catch (error) {
			expect((error as TokenDestinationError).field).toBe('API Base URL');
			expect((error as Error).message).toContain('"API Base URL"');
		}
	});
});

describe('credential headers on another origin', () => {
	it('drops Authorization, Cookie, Proxy-Authorization and the token header in any case', () => {
		expect(withoutCredentialHeaders({ AUTHORIZATION: 'a', cookie: 'b', 'Proxy-Authorization': 'c', 'x-API-key': 'd', Accept: 'e' }, 'X-Api-Key')).toEqual({ Accept: 'e' });
	});
});

describe('credential parameters on another origin', () => {
	it('drops the named parameters in any case and any encoding of the name, and parameters holding a token value', () => {
		const url = 'https://t.example.test/p?a=1&ACCESS_TOKEN=x&access%5Ftoken=y&b=%2Fkeep%20me&c=tok+1&d=tok%201#part';
		expect(withoutCredentialParameters(url, ['access_token'], ['tok 1'])).toBe('https://t.example.test/p?a=1&b=%2Fkeep%20me#part');
	});

	it('keeps a URL without them as written, drops an emptied "?", and reads relative URLs too', () => {
		expect(withoutCredentialParameters('https://t.example.test/p?b=1+2&&x', ['token'])).toBe('https://t.example.test/p?b=1+2&x');
		expect(withoutCredentialParameters('https://t.example.test/p?token=1', ['token'])).toBe('https://t.example.test/p');
		expect(withoutCredentialParameters('/items?token=1&page=2', ['token'])).toBe('/items?page=2');
		expect(withoutCredentialParameters('/items#token=1', ['token'])).toBe('/items#token=1');
		expect(withoutCredentialParameters('/items?bad=%E0%A4%A&token', ['token'])).toBe('/items?bad=%E0%A4%A');
	});
});

describe('sendWithinOrigin', () => {
	const request: TransportRequest = { method: 'POST', url: 'https://idp.test/token?tenant=a', headers: {}, body: 'client_secret=s', timeoutMs: 1000 };
	const redirect = (status: number, location: string): TransportResponse => ({ statusCode: status, headers: { Location: location }, body: '' });
	const ok: TransportResponse = { statusCode: 200, headers: {}, body: '{}' };

	function transportOf(...answers: TransportResponse[]) {
		const sent: TransportRequest[] = [];
		return { sent, transport: async (r: TransportRequest) => { sent.push(r); return answers[Math.min(sent.length - 1, answers.length - 1)]; } };
	}

	it('follows a same-origin 307/308 with the same request', async () => {
		const { sent, transport } = transportOf(redirect(307, '/token2'), redirect(308, 'https://idp.test:443/token3'), ok);
		expect(await sendWithinOrigin(transport, request)).toBe(ok);
		expect(sent.map((r) => [r.method, r.url, r.body])).toEqual([
			['POST', 'https://idp.test/token?tenant=a', 'client_secret=s'],
			['POST', 'https://idp.test/token2', 'client_secret=s'],
			['POST', 'https://idp.test/token3', 'client_secret=s'],
		]);
	});

	it.each(['https://evil.test/steal?x=1', 'http://idp.test/elsewhere', 'https://idp.test:8443/elsewhere'])('refuses a redirect to %s before sending there', async (location) => {
		const { sent, transport } = transportOf(redirect(307, location));
		const error = await sendWithinOrigin(transport, request).catch((e: unknown) => e as TokenDestinationError);
		expect(sent).toHaveLength(1);
		expect(error).toBeInstanceOf(TokenDestinationError);
		expect((error as TokenDestinationError).code).toBe('CROSS_ORIGIN_REDIRECT');
		const target = new URL(location);
		expect((error as Error).message).toContain(`${target.protocol}//${target.host}`);
		expect((error as Error).message).not.toContain(`${target.host}${target.pathname}`);
	});

	it('stops after 3 same-origin hops', async () => {
		const { sent, transport } = transportOf(redirect(307, '/again'));
		await expect(sendWithinOrigin(transport, request)).rejects.toMatchObject({ code: 'TOO_MANY_REDIRECTS' });
		expect(sent).toHaveLength(4);
	});

	it('returns a 302 of a POST as it is, and follows it for a GET', async () => {
		expect((await sendWithinOrigin(transportOf(redirect(302, '/x'), ok).transport, request)).statusCode).toBe(302);
		expect((await sendWithinOrigin(transportOf(redirect(302, '/x'), ok).transport, { ...request, method: 'GET', body: undefined })).statusCode).toBe(200);
	});
});
