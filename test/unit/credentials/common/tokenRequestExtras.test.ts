// Issue 15, item 4: the credential fields for token requests off the textbook (a gateway key on the
// token request, a custom grant type, extra parameters in the query string), read into the engine's
// configuration, worded in n8n's words, and masked by the one redaction policy.
import { tokenConfigFromCredentials } from '../../../../credentials/common/credentialData';
import { N8N_WORDING } from '../../../../credentials/common/formFields';
import { credentialRedactor, credentialValuesOf } from '../../../../credentials/common/redaction';
import { buildTokenRequest, legacyFingerprintOf, tokenCacheKeyOf } from '../../../../engine';
import { clientData, passwordData } from '../../../support/credentialFixtures';

const KEY = 'apim-Subscr1ption-K3y-5f0c2a9e8d7b';
const headers = (...rows: Array<{ name?: unknown; value?: unknown }>) => ({ extraHeaders: { header: rows } });

describe('tokenConfigFromCredentials: Extra Token Request Headers', () => {
	it('reads the { header: [{ name, value }] } rows, names trimmed, values as typed, rows without a name dropped', () => {
		const config = tokenConfigFromCredentials(
			clientData(headers({ name: ' Ocp-Apim-Subscription-Key ', value: KEY }, { name: '', value: 'dropped' }, { name: 'X-Spaced', value: ' v ' }, { name: 'X-Empty', value: null })),
			'client_credentials',
		);
		expect(config.extraHeaders).toEqual([
			{ name: 'Ocp-Apim-Subscription-Key', value: KEY },
			{ name: 'X-Spaced', value: ' v ' },
			{ name: 'X-Empty', value: '' },
		]);
		expect(buildTokenRequest(config, 'client_credentials').headers['Ocp-Apim-Subscription-Key']).toBe(KEY);
	});

	it('has none for a credential without rows, as an existing credential reads', () => {
		for (const data of [clientData(), clientData({ extraHeaders: {} }), clientData(headers()), clientData(headers({ name: ' ', value: 'x' }))]) {
			expect(tokenConfigFromCredentials(data, 'client_credentials')).not.toHaveProperty('extraHeaders');
		}
	});

	it('names the form field in a refusal, in n8n\'s words', () => {
		const config = tokenConfigFromCredentials(clientData(headers({ name: 'Authorization', value: KEY })), 'client_credentials');
		expect(() => buildTokenRequest(config, 'client_credentials', undefined, { wording: N8N_WORDING })).toThrow(
			'The header "Authorization" cannot be set in Extra Token Request Headers: it carries the client authentication; choose that in the Client Authentication field.',
		);
		const format = tokenConfigFromCredentials(clientData(headers({ name: 'content-type', value: 'text/plain' })), 'client_credentials');
		expect(() => buildTokenRequest(format, 'client_credentials', undefined, { wording: N8N_WORDING })).toThrow('the node sets it from the Token Request Format field');
	});

	it('are values the redaction policy masks, by value and by header name', () => {
		const data = clientData(headers({ name: 'Ocp-Apim-Subscription-Key', value: ` ${KEY} ` }, { name: 'X-Short', value: 'k1' }));
		expect(credentialValuesOf(data)).toEqual(expect.arrayContaining([` ${KEY} `, KEY, 'k1']));
		const redactor = credentialRedactor(data);
		// The key as typed (with its spaces) and as a server trims it.
		expect(redactor.mask(`got [${KEY}] and [${encodeURIComponent(KEY)}]`)).toBe('got [***] and [***]');
		// A value too short to search for (k1) is still masked where its header is quoted.
		expect(redactor.mask('headers: X-Short: k1; Accept: application/json')).toBe('headers: X-Short: ***; Accept: application/json');
	});
});

describe('tokenConfigFromCredentials: Grant Type', () => {
	it('sends the Custom Grant Type only when Custom is chosen, trimmed', () => {
		const custom = tokenConfigFromCredentials(clientData({ clientGrantType: 'custom', customGrantType: ' account_credentials ' }), 'client_credentials');
		expect(custom.customGrantType).toBe('account_credentials');
		const form = new URLSearchParams(buildTokenRequest(custom, 'client_credentials').body);
		expect(form.get('grant_type')).toBe('account_credentials');
		for (const data of [clientData(), clientData({ clientGrantType: 'client_credentials', customGrantType: 'left_over' })]) {
			expect(tokenConfigFromCredentials(data, 'client_credentials')).not.toHaveProperty('customGrantType');
		}
	});

	it('never for the password grant, whatever the data holds', () => {
		const config = tokenConfigFromCredentials(passwordData({ clientGrantType: 'custom', customGrantType: 'account_credentials' }), 'password');
		expect(config).not.toHaveProperty('customGrantType');
	});

	it('an empty Custom Grant Type is refused naming the field', () => {
		const config = tokenConfigFromCredentials(clientData({ clientGrantType: 'custom', customGrantType: '  ' }), 'client_credentials');
		expect(config.customGrantType).toBe('');
		expect(() => buildTokenRequest(config, 'client_credentials', undefined, { wording: N8N_WORDING })).toThrow('The Custom Grant Type is empty');
	});
});

describe('tokenConfigFromCredentials: Send In of the extra parameters', () => {
	it('keeps Query String rows apart; Body and rows saved before the field existed go in the body', () => {
		const config = tokenConfigFromCredentials(
			clientData({
				extraParameters: {
					parameter: [
						{ name: 'account_id', value: 'acc-1', sendIn: 'query' },
						{ name: 'tenant', value: 'acme', sendIn: 'body' },
						{ name: 'old', value: 'row' },
					],
				},
			}),
			'client_credentials',
		);
		expect(config.extraParameters).toEqual([
			{ name: 'account_id', value: 'acc-1', sendIn: 'query' },
			{ name: 'tenant', value: 'acme' },
			{ name: 'old', value: 'row' },
		]);
		const request = buildTokenRequest({ ...config, tokenUrl: 'https://zoom.example.test/oauth/token' }, 'client_credentials');
		expect(request.url).toBe('https://zoom.example.test/oauth/token?account_id=acc-1');
		expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ grant_type: 'client_credentials', tenant: 'acme', old: 'row' });
	});
});

describe('an existing credential', () => {
	it('has the configuration, cache key and legacy fingerprint it had before these fields', () => {
		const before = { extraParameters: { parameter: [{ name: 'tenant', value: 'acme' }] } };
		const after = {
			extraParameters: { parameter: [{ name: 'tenant', value: 'acme', sendIn: 'body' }] },
			extraHeaders: {},
			clientGrantType: 'client_credentials',
			customGrantType: '',
		};
		const old = tokenConfigFromCredentials(clientData(before), 'client_credentials');
		const now = tokenConfigFromCredentials(clientData(after), 'client_credentials');
		expect(now).toEqual(old);
		expect(tokenCacheKeyOf(now)).toBe(tokenCacheKeyOf(old));
		expect(legacyFingerprintOf(now)).toBe(legacyFingerprintOf(old));
	});
});
