import { basicCredentials, basicCredentialsFormEncoded, formEncode, isSecretName, maskSecrets, Redactor, safeUrl } from '../../../engine/redact';
import { findLeaks } from '../../support/leakSearch';

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

	it('masks a secret that contains another whole, and ignores empty ones', () => {
		expect(maskSecrets('abcdefgh and abcd', ['abcd', 'abcdefgh', '', undefined])).toBe('*** and ***');
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

describe('Redactor', () => {
	const SECRET_WITH_SIGNS = "p!'()~ %/+:é";

	it('masks the values of the parameter names it was given, in any case, whatever the value', () => {
		const redactor = new Redactor([], { parameters: ['sig_q', ' '] });
		expect(redactor.mask('GET /v1?sig_q=abc&SIG_Q=d&page=2 and form sig_q=e;')).toBe('GET /v1?sig_q=***&SIG_Q=***&page=2 and form sig_q=***;');
		expect(new Redactor().mask('/v1?sig_q=abc')).toBe('/v1?sig_q=abc');
	});

	it('finds a value in every encoding of the leak search, and leaves nothing of it', () => {
		const redactor = new Redactor([SECRET_WITH_SIGNS]).addBasic('id', SECRET_WITH_SIGNS);
		const text = require('../../support/leakSearch.cjs')
			.encodingsOf(SECRET_WITH_SIGNS, { clientId: 'id' })
			.map(({ text: form }: { text: string }) => `[${form}]`)
			.join(' ');
		expect(findLeaks(redactor.mask(text), [{ value: SECRET_WITH_SIGNS, clientId: 'id' }])).toEqual([]);
	});

	it.each<[string, string, string[], string]>([
		['userinfo', 'see https://svc:pw@idp.test/x and ftp://a@b.test', [], 'see https://***@idp.test/x and ftp://***@b.test'],
		['secret query parameters', 'GET /t?api_key=k&tenant=t&access_token=a#f', [], 'GET /t?api_key=***&tenant=t&access_token=***#f'],
		['form body', 'grant_type=password&username=alice&password=x&client_secret=y', [], 'grant_type=password&username=alice&password=***&client_secret=***'],
		['JSON members', '{"password":"x","token_type":"Bearer","refresh_token":"r"}', [], '{"password":"***","token_type":"Bearer","refresh_token":"***"}'],
		['JSON inside JSON', '"{\\"client_secret\\":\\"x\\"}"', [], '"{\\"client_secret\\":\\"***\\"}"'],
		['credential headers', 'Authorization: Basic YTpi\nCookie: sid=1; x=2\nAccept: */*', [], 'Authorization: Basic ***\nCookie: ***\nAccept: */*'],
		['the credential\'s own header', 'X-Tenant-Key: abc', [], 'X-Tenant-Key: ***'],
		['Bearer and Basic credentials in prose', 'refused "Bearer eyJ0.x-y" and Basic dXNlcjpw', [], 'refused "Bearer ***" and Basic ***'],
		['prose about Bearer, Basic and Token stays', 'only Bearer tokens; the Basic header or the body; check the Token URL', [], 'only Bearer tokens; the Basic header or the body; check the Token URL'],
		['a 1-character secret: by structure only', 'password=e and every e stays', ['e'], 'password=*** and every e stays'],
		['a 5-character secret: whole words only', 'abcde, xabcdex, (abcde)', ['abcde'], '***, xabcdex, (***)'],
		['overlapping secrets', 'xx-abcdefgh-ijkl-xx', ['abcdefgh', 'efgh-ijkl'], 'xx-***-xx'],
		['lower-case percent escapes', 'pw%2fx%3a%c3%a9', ['pw/x:é'], '***'],
		['\\/ and \\u escapes', 'pw\\/x:\\u00e9 and pw\\/x:\\u00E9', ['pw/x:é'], '*** and ***'],
		['URLSearchParams encoding', new URLSearchParams({ s: SECRET_WITH_SIGNS }).toString(), [SECRET_WITH_SIGNS], 's=***'],
		['HTML references', 'p!&#39;()~ %/+:&#xe9;', [SECRET_WITH_SIGNS], '***'],
		['base64 without padding', Buffer.from('secret-value').toString('base64').replace(/=+$/, ''), ['secret-value'], '***'],
	])('%s', (_label, text, values, expected) => {
		expect(new Redactor(values, { headers: ['X-Tenant-Key'] }).mask(text)).toBe(expected);
	});

	it('shows every hit as one mask, whatever its length', () => {
		expect(new Redactor(['a-very-long-secret-value-indeed']).mask('[a-very-long-secret-value-indeed]')).toBe('[***]');
	});
});

describe('isSecretName', () => {
	it.each([
		['password', true], ['client_secret', true], ['refresh_token', true], ['api_key', true], ['X-Api-Key', true], ['key', true],
		['client_assertion', true], ['Proxy-Authorization', true], ['code', true], ['sig', true],
		['token_type', false], ['client_assertion_type', false], ['token_endpoint', false], ['expires_in', false], ['grant_type', false],
		['username', false], ['scope', false], ['error_code', false], ['monkey', false],
	])('%s → %s', (name, secret) => {
		expect(isSecretName(name as string)).toBe(secret);
	});
});
