import { DEFAULT_TIMEOUT_MS } from '../../../../../nodes/OAuth2HttpRequest/defaults';
import { parseItemOptions, parseResponseOptions } from '../../../../../nodes/OAuth2HttpRequest/options/itemOptions';
import { parseProxy } from '../../../../../nodes/OAuth2HttpRequest/options/proxy';

describe('parseProxy', () => {
	it('parses proxies without scheme or port and refuses nonsense', () => {
		expect(parseProxy('myproxy:3128')).toEqual({ protocol: 'http', host: 'myproxy', port: 3128 });
		expect(parseProxy('https://secure-proxy')).toEqual({ protocol: 'https', host: 'secure-proxy', port: 443 });
		expect(() => parseProxy('http://')).toThrow('is not a valid address');
	});
});

describe('parseItemOptions', () => {
	it('has the defaults of the HTTP Request node', () => {
		expect(parseItemOptions(undefined)).toEqual({
			response: { responseFormat: 'autodetect', fullResponse: false, neverError: false, outputPropertyName: 'data' },
			lowercaseHeaders: true,
			arrayFormat: 'brackets',
			timeout: DEFAULT_TIMEOUT_MS,
			skipSslCertificateValidation: false,
		});
	});

	it('reads each option of the item', () => {
		const options = parseItemOptions({
			lowercaseHeaders: false,
			queryParameterArrays: 'repeat',
			timeout: 50,
			allowUnauthorizedCerts: true,
			proxy: ' proxy.local:8080 ',
			response: { response: { responseFormat: 'file', outputPropertyName: ' bin ' } },
		});
		expect(options).toMatchObject({ lowercaseHeaders: false, arrayFormat: 'repeat', timeout: 50, skipSslCertificateValidation: true });
		expect(options.proxy).toEqual({ protocol: 'http', host: 'proxy.local', port: 8080 });
		expect(options.response).toMatchObject({ responseFormat: 'file', outputPropertyName: 'bin' });
	});

	it('falls back for unknown values', () => {
		expect(parseResponseOptions({ response: { response: { responseFormat: 'xml' } } }).responseFormat).toBe('autodetect');
		expect(parseItemOptions({ queryParameterArrays: 'weird', timeout: -1 })).toMatchObject({ arrayFormat: 'brackets', timeout: DEFAULT_TIMEOUT_MS });
	});
});
