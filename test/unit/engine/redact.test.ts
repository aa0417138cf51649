import { basicCredentials, basicCredentialsFormEncoded, formEncode, maskSecrets, safeUrl } from '../../../engine/redact';

const SPECIAL = 'p%s+w:rd/é';

describe('maskSecrets', () => {
	it('masks the secret in every form it can take', () => {
		const forms = [
			SPECIAL,
			formEncode(SPECIAL),
			encodeURIComponent(SPECIAL),
			JSON.stringify('a"b\\c').slice(1, -1),
		];
		const text = `raw=${forms[0]} form=${forms[1]} uri=${forms[2]} b64=${Buffer.from(SPECIAL).toString('base64')}`;
		const masked = maskSecrets(text, [SPECIAL]);
		expect(masked).toBe('raw=*** form=*** uri=*** b64=***');
		expect(maskSecrets(`json={"s":"${forms[3]}"}`, ['a"b\\c'])).toBe('json={"s":"***"}');
	});

	it('masks Basic header values when given', () => {
		const raw = basicCredentials('id', SPECIAL);
		const rfc = basicCredentialsFormEncoded('id', SPECIAL);
		expect(maskSecrets(`Basic ${raw} / Basic ${rfc}`, [raw, rfc])).toBe('Basic *** / Basic ***');
	});

	it('masks the longer secret first and ignores empty ones', () => {
		expect(maskSecrets('abcdef and abc', ['abc', 'abcdef', '', undefined])).toBe('*** and ***');
		expect(maskSecrets('nothing here', [])).toBe('nothing here');
	});
});

describe('formEncode', () => {
	it('encodes as application/x-www-form-urlencoded with + for spaces', () => {
		expect(formEncode('a b+c')).toBe('a+b%2Bc');
		expect(formEncode(SPECIAL)).toBe('p%25s%2Bw%3Ard%2F%C3%A9');
	});
});

describe('safeUrl', () => {
	it('removes user info and masks credential-like query values', () => {
		expect(safeUrl('https://u:p@host.test/token?client_secret=x&tenant=t&api_key=k')).toBe(
			'https://host.test/token?client_secret=***&tenant=t&api_key=***',
		);
		expect(safeUrl(' https://host.test/token ')).toBe('https://host.test/token');
	});

	it('strips user info from text that does not parse', () => {
		expect(safeUrl('user:pw@host/token')).toBe('host/token');
		expect(safeUrl('http://us er:pw@ho st/')).toBe('http://ho st/');
	});
});
