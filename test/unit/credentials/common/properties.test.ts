import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../../../credentials/PasswordGrantOAuth2Api.credentials';
import { credentialTestRequest } from '../../../../credentials/common/testRequest';

const client = new ClientCredentialsOAuth2Api();
const password = new PasswordGrantOAuth2Api();

function named(type: ICredentialType, name: string): INodeProperties {
	const property = type.properties.find((p) => p.name === name);
	if (!property) throw new Error(`${type.name} has no field "${name}"`);
	return property;
}

const visible = (type: ICredentialType) => [...new Set(type.properties.filter((p) => p.type !== 'hidden').map((p) => p.name))];
const hidden = (type: ICredentialType) => type.properties.filter((p) => p.type === 'hidden');

/** Declared once for TLS Client Certificate and once for "Use Client Certificate" (n8n's display rules have no "or"). */
const CERTIFICATE_FIELDS = ['clientCertificate', 'clientCertificateKey', 'clientCertificatePassphrase', 'caCertificate', 'useClientCertificateForApi'];

const COMMON = [
	'tokenUrl',
	'issuerUrl',
	'baseUrl',
	'clientId',
	'clientAuthentication',
	'clientSecret',
	'privateKey',
	'privateKeyId',
	'privateKeyCertificate',
	'signingAlgorithm',
	'useClientCertificate',
	...CERTIFICATE_FIELDS,
	'requestFormat',
	'scope',
	'audience',
	'resource',
	'extraParameters',
	'extraHeaders',
	'authLocation',
	'authQueryParameter',
	'authHeaderName',
	'authHeaderPrefix',
	'useInstanceUrl',
	'renewalMarginSeconds',
	'defaultLifetimeSeconds',
	'responseFields',
	'responseAccessPath',
	'responseExpiryPath',
	'responseRefreshPath',
	'requestTimeoutSeconds',
	'ignoreSslIssues',
];

describe('the credential classes', () => {
	it('have the public names, display names and class names', () => {
		expect(ClientCredentialsOAuth2Api.name).toBe('ClientCredentialsOAuth2Api');
		expect(client.name).toBe('clientCredentialsOAuth2Api');
		expect(client.displayName).toBe('OAuth2 Client Credentials API');
		expect(PasswordGrantOAuth2Api.name).toBe('PasswordGrantOAuth2Api');
		expect(password.name).toBe('passwordGrantOAuth2Api');
		expect(password.displayName).toBe('OAuth2 Password Grant API');
	});

	it('have themed icons named after the type, and documentation', () => {
		for (const type of [client, password]) {
			expect(type.icon).toEqual({ light: `file:${type.name}.svg`, dark: `file:${type.name}.dark.svg` });
			expect(type.documentationUrl).toMatch(/^https:\/\//);
		}
	});

	it('bring their own preAuthentication and authenticate functions', () => {
		for (const type of [client, password]) {
			expect(typeof type.preAuthentication).toBe('function');
			expect(typeof type.authenticate).toBe('function');
		}
	});

	it('do not extend n8n\'s oAuth2Api (it would add its own token flow)', () => {
		expect((client as ICredentialType).extends).toBeUndefined();
		expect((password as ICredentialType).extends).toBeUndefined();
	});
});

describe('the fields', () => {
	it('of the client credentials type are the common ones and the grant type, without username and password', () => {
		expect(visible(client).sort()).toEqual([...COMMON, 'clientGrantType', 'customGrantType'].sort());
	});

	it('of the password grant type add username and password', () => {
		expect(visible(password).sort()).toEqual([...COMMON, 'username', 'password'].sort());
	});

	it('have unique names, but for the certificate fields, declared twice', () => {
		for (const type of [client, password]) {
			const names = type.properties.map((p) => p.name);
			const repeated = names.filter((name, index) => names.indexOf(name) !== index);
			expect(repeated).toEqual(CERTIFICATE_FIELDS);
		}
	});

	it('offer auto, header, headerRaw, body and the JWT and certificate methods, and none only for the password grant', () => {
		const values = (type: ICredentialType) =>
			(named(type, 'clientAuthentication').options as Array<{ value: string }>).map((o) => o.value);
		const enterprise = ['privateKeyJwt', 'clientSecretJwt', 'tlsClientAuth'];
		expect(values(client)).toEqual(['auto', 'header', 'headerRaw', 'body', ...enterprise]);
		expect(values(password)).toEqual(['auto', 'header', 'headerRaw', 'body', 'none', ...enterprise]);
		// Issue 15: automatic Basic (RFC form first, raw once when refused) is the default of new credentials.
		expect(named(client, 'clientAuthentication').default).toBe('auto');
		expect(named(password, 'clientAuthentication').default).toBe('auto');
	});

	it('hide the client secret where no secret is used, and require it for client credentials', () => {
		const hideSecret = { hide: { clientAuthentication: ['none', 'privateKeyJwt', 'tlsClientAuth'] } };
		expect(named(password, 'clientSecret').displayOptions).toEqual(hideSecret);
		expect(named(password, 'clientSecret').required).toBe(false);
		expect(named(client, 'clientSecret').displayOptions).toEqual(hideSecret);
		expect(named(client, 'clientSecret').required).toBe(true);
	});

	it('offer the form and JSON request formats, form by default', () => {
		const format = named(client, 'requestFormat');
		expect((format.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['form', 'json']);
		expect(format.default).toBe('form');
	});

	it('give extra parameters the { parameter: [{ name, value }] } fixedCollection shape', () => {
		const extra = named(client, 'extraParameters');
		expect(extra.type).toBe('fixedCollection');
		expect(extra.typeOptions).toMatchObject({ multipleValues: true });
		const [group] = extra.options as Array<{ name: string; values: INodeProperties[] }>;
		expect(group.name).toBe('parameter');
		expect(group.values.map((v) => v.name)).toEqual(['name', 'value', 'sendIn']);
	});

	it('have the documented defaults', () => {
		for (const type of [client, password]) {
			expect(named(type, 'authHeaderName').default).toBe('Authorization');
			expect(named(type, 'authHeaderPrefix').default).toBe('Bearer');
			expect(named(type, 'renewalMarginSeconds')).toMatchObject({ type: 'number', default: 60 });
			expect(named(type, 'defaultLifetimeSeconds')).toMatchObject({ type: 'number', default: 3600 });
			expect(named(type, 'requestTimeoutSeconds')).toMatchObject({ type: 'number', default: 30 });
			expect(named(type, 'useInstanceUrl')).toMatchObject({ type: 'boolean', default: false });
			expect(named(type, 'ignoreSslIssues')).toMatchObject({ type: 'boolean', default: false });
			// Not required: an issuer URL can stand in for it (discovery).
			expect(named(type, 'tokenUrl').required).toBeFalsy();
			expect(named(type, 'clientId').required).toBe(true);
		}
		expect(named(password, 'username').required).toBe(true);
		expect(named(password, 'password').required).toBe(true);
	});

	it('mark the secrets as passwords', () => {
		for (const type of [client, password]) {
			for (const name of ['clientSecret', 'accessToken', 'refreshToken']) {
				expect(named(type, name).typeOptions).toMatchObject({ password: true });
			}
		}
		expect(named(password, 'password').typeOptions).toMatchObject({ password: true });
	});

	it('come in the order providers document them: endpoint, client, user, token request, then the API', () => {
		const order = (type: ICredentialType, names: string[]) => names.map((name) => type.properties.findIndex((p) => p.name === name));
		const increasing = (indexes: number[]) => indexes.every((index, i) => index >= 0 && (i === 0 || index > indexes[i - 1]));
		const common = ['tokenUrl', 'clientId', 'clientAuthentication', 'clientSecret', 'scope', 'audience', 'requestFormat', 'baseUrl', 'authHeaderName'];
		expect(increasing(order(client, common))).toBe(true);
		expect(increasing(order(password, ['clientSecret', 'username', 'password', 'scope', 'baseUrl']))).toBe(true);
	});

	it('show a hint under the fields most people get wrong', () => {
		for (const type of [client, password]) {
			expect(named(type, 'tokenUrl').hint).toMatch(/token/);
			expect(named(type, 'baseUrl').hint).toMatch(/only to this host/);
			expect(named(type, 'scope').hint).toMatch(/\.default/);
		}
	});

	it('do not mask fields that are no secret', () => {
		for (const type of [client, password]) {
			for (const name of ['tokenUrl', 'baseUrl', 'clientId', 'scope', 'audience', 'resource', 'authHeaderName', 'authHeaderPrefix']) {
				expect(named(type, name).typeOptions?.password).not.toBe(true);
			}
		}
		expect(named(password, 'username').typeOptions?.password).not.toBe(true);
	});
});

describe('the hidden fields', () => {
	it('hold the token, its times, the refresh token and the fingerprint', () => {
		for (const type of [client, password]) {
			const names = hidden(type).map((p) => p.name);
			expect(names).toEqual(expect.arrayContaining(['accessToken', 'expiresAt', 'issuedAt', 'refreshToken', 'fingerprint']));
			expect(named(type, 'expiresAt').default).toBe(0);
			expect(named(type, 'accessToken').default).toBe('');
			expect(named(type, 'fingerprint').default).toBe('');
		}
	});

	it('have exactly one expirable property, accessToken, as n8n\'s pre-authentication requires', () => {
		for (const type of [client, password]) {
			const expirable = type.properties.filter((p) => p.typeOptions?.expirable === true);
			expect(expirable.map((p) => p.name)).toEqual(['accessToken']);
			expect(expirable[0].type).toBe('hidden');
			expect(expirable[0].typeOptions).toMatchObject({ expirable: true, password: true });
		}
	});

	it('come after every visible field', () => {
		for (const type of [client, password]) {
			const firstHidden = type.properties.findIndex((p) => p.type === 'hidden');
			expect(type.properties.slice(firstHidden).every((p) => p.type === 'hidden')).toBe(true);
		}
	});
});

describe('the credential test', () => {
	it('probes the API base URL, or else the token URL, and accepts any status', () => {
		for (const type of [client, password]) {
			expect(type.test).toBe(credentialTestRequest);
		}
		expect(credentialTestRequest.request).toEqual({
			method: 'GET',
			url: '={{$credentials.baseUrl || $credentials.tokenUrl || $credentials.issuerUrl}}',
			ignoreHttpStatusErrors: true,
		});
	});
});

describe('the fields for token requests off the textbook (issue 15, item 4)', () => {
	const fieldsOf = (type: ICredentialType) => type.properties.map((p) => p.name);

	it('Extra Token Request Headers: { header: [{ name, value }] }, the value a password field, right after the extra parameters', () => {
		for (const type of [client, password]) {
			const headers = named(type, 'extraHeaders');
			expect(headers).toMatchObject({ displayName: 'Extra Token Request Headers', type: 'fixedCollection', default: {}, typeOptions: { multipleValues: true } });
			expect(headers.displayOptions).toBeUndefined();
			const [group] = headers.options as Array<{ name: string; values: INodeProperties[] }>;
			expect(group.name).toBe('header');
			expect(group.values.map((v) => [v.displayName, v.name, v.default])).toEqual([['Name', 'name', ''], ['Value', 'value', '']]);
			expect(group.values[1].typeOptions).toEqual({ password: true });
			expect(group.values[0].typeOptions?.password).not.toBe(true);
			expect(fieldsOf(type).indexOf('extraHeaders')).toBe(fieldsOf(type).indexOf('extraParameters') + 1);
		}
	});

	it('Send In of each extra parameter: Body (default) or Query String', () => {
		const [group] = named(client, 'extraParameters').options as Array<{ values: INodeProperties[] }>;
		const sendIn = group.values.find((v) => v.name === 'sendIn');
		expect(sendIn).toMatchObject({ displayName: 'Send In', type: 'options', default: 'body' });
		expect((sendIn?.options as Array<{ name: string; value: string }>).map((o) => [o.name, o.value])).toEqual([['Body', 'body'], ['Query String', 'query']]);
	});

	it('Grant Type and Custom Grant Type: client credentials only, first of the token request fields, the custom one shown only for Custom', () => {
		const grant = named(client, 'clientGrantType');
		expect(grant).toMatchObject({ displayName: 'Grant Type', type: 'options', default: 'client_credentials' });
		expect((grant.options as Array<{ name: string; value: string }>).map((o) => [o.name, o.value])).toEqual([
			['Client Credentials (Standard)', 'client_credentials'],
			['Custom', 'custom'],
		]);
		const custom = named(client, 'customGrantType');
		expect(custom).toMatchObject({ displayName: 'Custom Grant Type', type: 'string', default: '', placeholder: 'account_credentials' });
		expect(custom.displayOptions).toEqual({ show: { clientGrantType: ['custom'] } });
		const names = fieldsOf(client);
		expect(names.indexOf('customGrantType')).toBe(names.indexOf('clientGrantType') + 1);
		expect(names.indexOf('scope')).toBe(names.indexOf('customGrantType') + 1);
		expect(fieldsOf(password)).not.toContain('clientGrantType');
		expect(fieldsOf(password)).not.toContain('customGrantType');
	});
});
