import { parseStatusList } from '../../../../../nodes/OAuth2HttpRequest/options/statusList';

describe('parseStatusList', () => {
	it('reads codes separated by commas, spaces or semicolons', () => {
		expect([...parseStatusList('401, 403', 'Renew')]).toEqual([401, 403]);
		expect([...parseStatusList('429 502;503,,504 ', 'Retry')]).toEqual([429, 502, 503, 504]);
		expect([...parseStatusList('401,401', 'Renew')]).toEqual([401]);
	});

	it('takes a number, a list and empty values', () => {
		expect([...parseStatusList(401, 'Renew')]).toEqual([401]);
		expect([...parseStatusList(['429', 503], 'Retry')]).toEqual([429, 503]);
		expect(parseStatusList('', 'Retry').size).toBe(0);
		expect(parseStatusList('  ', 'Retry').size).toBe(0);
		expect(parseStatusList(undefined, 'Retry').size).toBe(0);
		expect(parseStatusList(null, 'Retry').size).toBe(0);
	});

	it('names the option and the wrong entry', () => {
		expect(() => parseStatusList('401, abc', 'Renew Token on Status Codes')).toThrow(
			'"Renew Token on Status Codes" contains "abc", which is not an HTTP status code',
		);
		expect(() => parseStatusList('99', 'Retry')).toThrow('"99"');
		expect(() => parseStatusList('600', 'Retry')).toThrow('"600"');
		expect(() => parseStatusList('4011', 'Retry')).toThrow('"4011"');
		expect(() => parseStatusList('40.1', 'Retry')).toThrow('"40.1"');
		expect(() => parseStatusList({}, 'Retry')).toThrow('"Retry" must be a list of HTTP status codes');
	});
});
