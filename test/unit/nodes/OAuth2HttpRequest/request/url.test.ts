import { joinUrl } from '../../../../../nodes/OAuth2HttpRequest/request/url';

describe('joinUrl', () => {
	it('keeps an absolute URL as it is, ignoring the base', () => {
		expect(joinUrl('https://api.example.com/v1', 'https://other.example.org/x?y=1')).toBe('https://other.example.org/x?y=1');
		expect(joinUrl(undefined, '  http://localhost:8080/a  ')).toBe('http://localhost:8080/a');
		expect(joinUrl(undefined, 'HTTPS://EXAMPLE.COM')).toBe('HTTPS://EXAMPLE.COM');
	});

	it.each([
		['https://api.example.com/v1', '/orders', 'https://api.example.com/v1/orders'],
		['https://api.example.com/v1/', '/orders', 'https://api.example.com/v1/orders'],
		['https://api.example.com/v1/', 'orders', 'https://api.example.com/v1/orders'],
		['https://api.example.com/v1', 'orders', 'https://api.example.com/v1/orders'],
		['https://api.example.com/v1///', '///orders/7', 'https://api.example.com/v1/orders/7'],
		['https://api.example.com', 'orders?status=open', 'https://api.example.com/orders?status=open'],
		['https://api.example.com/v1', 'files:copy', 'https://api.example.com/v1/files:copy'],
		['https://api.example.com/v1', '?page=2', 'https://api.example.com/v1?page=2'],
		[' https://api.example.com/v1 ', '', 'https://api.example.com/v1'],
	])('joins %s and %s with one slash', (base, url, expected) => {
		expect(joinUrl(base, url)).toBe(expected);
	});

	it('refuses a relative URL when the credential has no API base URL', () => {
		expect(() => joinUrl(undefined, '/orders')).toThrow(
			'The URL "/orders" is relative but the credential has no API base URL',
		);
		expect(() => joinUrl('  ', 'orders')).toThrow('is relative but the credential has no API base URL');
	});

	it('refuses an empty URL without a base, other schemes and a base that is not a URL', () => {
		expect(() => joinUrl(undefined, '  ')).toThrow('The URL is empty');
		expect(() => joinUrl('https://api.example.com', 'ftp://files.example.com/a')).toThrow('must start with http:// or https://');
		expect(() => joinUrl('api.example.com', '/orders')).toThrow('API base URL "api.example.com" must be a full URL');
		expect(() => joinUrl('https://api.example.com', 42 as unknown as string)).toThrow('The URL must be text, but it is number');
	});
});
