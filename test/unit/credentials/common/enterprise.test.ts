// The credential side of private key JWT, client secret JWT, mutual TLS and discovery: which fields each
// method shows (as n8n's own display rules decide), what reaches the engine, what requests carry.

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../../../credentials/PasswordGrantOAuth2Api.credentials';
import { authenticateFor } from '../../../../credentials/common/authenticate';
import { apiTlsOf, clientTlsOf } from '../../../../credentials/common/clientTls';
import { tokenConfigFromCredentials } from '../../../../credentials/common/credentialData';
import { n8nTransport, type LegacyRequest } from '../../../../credentials/common/tokenTransport';
import { preAuthenticationFor } from '../../../../credentials/common/preAuthentication';
import { newFingerprint, tokenCacheKeyOf } from '../../../../engine';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { createTestPki, removeTestPki } from '../../../servers/certificates';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

const client = new ClientCredentialsOAuth2Api();
const password = new PasswordGrantOAuth2Api();

const CERT = '-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----';
const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----';

const certificateData = {
	clientCertificate: CERT,
	clientCertificateKey: KEY,
	clientCertificatePassphrase: 'pass',
	caCertificate: CA,
};

/** The names of the fields n8n's editor shows for these values. */
function shown(properties: INodeProperties[], values: IDataObject): string[] {
	const visible = properties.filter((p) => p.type !== 'hidden' && NodeHelpers.displayParameter(values as ICredentialDataDecryptedObject, p, null, null));
	return [...new Set(visible.map((p) => p.name))];
}

/** The credential data as n8n resolves it for an execution: defaults added, hidden fields dropped. */
function resolved(properties: INodeProperties[], values: IDataObject): IDataObject {
	return NodeHelpers.getNodeParameters(properties, values as never, true, false, null, null) as IDataObject;
}

const ENTERPRISE = [
	'privateKey',
	'privateKeyId',
	'privateKeyCertificate',
	'signingAlgorithm',
	'useClientCertificate',
	'clientCertificate',
	'clientCertificateKey',
	'clientCertificatePassphrase',
	'caCertificate',
	'useClientCertificateForApi',
];
const enterpriseShown = (values: IDataObject) => shown(client.properties, values).filter((name) => ENTERPRISE.includes(name) || name === 'clientSecret');

describe('the fields each client authentication shows', () => {
	it.each([
		['header', {}, ['clientSecret', 'useClientCertificate']],
		['body', {}, ['clientSecret', 'useClientCertificate']],
		['clientSecretJwt', {}, ['clientSecret', 'useClientCertificate']],
		['privateKeyJwt', {}, ['privateKey', 'privateKeyId', 'privateKeyCertificate', 'signingAlgorithm', 'useClientCertificate']],
		['tlsClientAuth', {}, ['clientCertificate', 'clientCertificateKey', 'clientCertificatePassphrase', 'caCertificate', 'useClientCertificateForApi']],
		[
			'header',
			{ useClientCertificate: true },
			['clientSecret', 'useClientCertificate', 'clientCertificate', 'clientCertificateKey', 'clientCertificatePassphrase', 'caCertificate', 'useClientCertificateForApi'],
		],
		[
			'privateKeyJwt',
			{ useClientCertificate: true },
			['privateKey', 'privateKeyId', 'privateKeyCertificate', 'signingAlgorithm', 'useClientCertificate', 'clientCertificate', 'clientCertificateKey', 'clientCertificatePassphrase', 'caCertificate', 'useClientCertificateForApi'],
		],
	])('%s %j', (clientAuthentication, extra, fields) => {
		expect(enterpriseShown({ clientAuthentication, ...extra }).sort()).toEqual([...fields].sort());
	});

	it('requires the certificate and its key for TLS Client Certificate only, the private key for private key JWT', () => {
		const required = (name: string, values: IDataObject) =>
			client.properties.find((p) => p.name === name && NodeHelpers.displayParameter(values as ICredentialDataDecryptedObject, p, null, null))?.required === true;
		expect(required('clientCertificate', { clientAuthentication: 'tlsClientAuth' })).toBe(true);
		expect(required('clientCertificateKey', { clientAuthentication: 'tlsClientAuth' })).toBe(true);
		expect(required('clientCertificate', { clientAuthentication: 'header', useClientCertificate: true })).toBe(false);
		expect(required('privateKey', { clientAuthentication: 'privateKeyJwt' })).toBe(true);
	});

	it('masks the keys, the passphrase and the certificates, not the key ID', () => {
		for (const name of ['privateKey', 'privateKeyCertificate', 'clientCertificate', 'clientCertificateKey', 'clientCertificatePassphrase', 'caCertificate']) {
			for (const property of client.properties.filter((p) => p.name === name)) expect(property.typeOptions).toMatchObject({ password: true });
		}
		expect(client.properties.find((p) => p.name === 'privateKeyId')?.typeOptions?.password).toBeUndefined();
	});

	it('offers RS256, PS256 and ES256, RS256 by default', () => {
		const algorithm = client.properties.find((p) => p.name === 'signingAlgorithm');
		expect((algorithm?.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(['ES256', 'PS256', 'RS256']);
		expect(algorithm?.default).toBe('RS256');
	});

	it('are the same for the password grant', () => {
		expect(shown(password.properties, { clientAuthentication: 'tlsClientAuth' })).toEqual(
			expect.arrayContaining(['clientCertificate', 'clientCertificateKey', 'username', 'password']),
		);
	});
});

describe('what n8n hands over and the engine gets', () => {
	it('keeps the certificate fields of TLS Client Certificate, and of another method with Use Client Certificate on', () => {
		for (const values of [{ clientAuthentication: 'tlsClientAuth' }, { clientAuthentication: 'header', useClientCertificate: true }]) {
			const data = resolved(client.properties, { tokenUrl: 'https://t', clientId: 'c', ...values, ...certificateData });
			expect(data).toMatchObject(certificateData);
			expect(tokenConfigFromCredentials(data as ICredentialDataDecryptedObject, 'client_credentials').tls).toEqual({
				cert: CERT,
				key: KEY,
				passphrase: 'pass',
				ca: CA,
			});
		}
	});

	it('uses no certificate for another method with Use Client Certificate off, even if the fields kept old values', () => {
		const data = { tokenUrl: 'https://t', clientId: 'c', clientAuthentication: 'header', useClientCertificate: false, ...certificateData };
		expect(tokenConfigFromCredentials(data, 'client_credentials').tls).toBeUndefined();
		expect(tokenCacheKeyOf(tokenConfigFromCredentials(data, 'client_credentials'))).toBe(
			tokenCacheKeyOf(tokenConfigFromCredentials({ ...data, ...Object.fromEntries(Object.keys(certificateData).map((k) => [k, ''])) }, 'client_credentials')),
		);
	});

	it('reads the private key JWT fields only for that method', () => {
		const data = { tokenUrl: 'https://t', clientId: 'c', privateKey: KEY, privateKeyId: ' kid-1 ', privateKeyCertificate: CERT, signingAlgorithm: 'ES256' };
		expect(tokenConfigFromCredentials({ ...data, clientAuthentication: 'privateKeyJwt' }, 'client_credentials')).toMatchObject({
			clientAuthentication: 'privateKeyJwt',
			privateKey: KEY,
			privateKeyId: 'kid-1',
			privateKeyCertificate: CERT,
			signingAlgorithm: 'ES256',
		});
		expect(tokenConfigFromCredentials({ ...data, clientAuthentication: 'header' }, 'client_credentials').privateKey).toBeUndefined();
		expect(tokenConfigFromCredentials({ ...data, signingAlgorithm: '', clientAuthentication: 'privateKeyJwt' }, 'client_credentials').signingAlgorithm).toBe('RS256');
	});

	it('passes the issuer URL for discovery', () => {
		expect(tokenConfigFromCredentials({ tokenUrl: '', issuerUrl: ' https://login.example.test/t ', clientId: 'c' }, 'client_credentials')).toMatchObject({
			tokenUrl: '',
			issuerUrl: 'https://login.example.test/t',
		});
	});

	it('gives API requests the certificate only when asked', () => {
		const data = { clientAuthentication: 'tlsClientAuth', ...certificateData };
		expect(clientTlsOf(data)).toBeDefined();
		expect(apiTlsOf(data)).toBeUndefined();
		expect(apiTlsOf({ ...data, useClientCertificateForApi: true })).toEqual({ cert: CERT, key: KEY, passphrase: 'pass', ca: CA });
	});
});

describe('authenticate with a client certificate for the API', () => {
	const authenticate = authenticateFor('clientCredentialsOAuth2Api');
	const NOW = Date.now();

	async function withToken(extra: ICredentialDataDecryptedObject, url: string): Promise<IHttpRequestOptions & { agentOptions?: unknown }> {
		const data: ICredentialDataDecryptedObject = {
			tokenUrl: 'https://login.example.test/token',
			clientId: 'c',
			clientAuthentication: 'tlsClientAuth',
			...certificateData,
			...extra,
		};
		const config = tokenConfigFromCredentials(data, 'client_credentials');
		Object.assign(data, { accessToken: 'at-1', expiresAt: NOW + 3600_000, issuedAt: NOW, fingerprint: newFingerprint(config) });
		return (await authenticate(data, { url, method: 'GET' })) as IHttpRequestOptions & { agentOptions?: unknown };
	}

	it('adds agentOptions with the certificate, key, passphrase and CA', async () => {
		const request = await withToken({ useClientCertificateForApi: true }, 'https://api.example.test/x');
		expect(request.headers).toEqual({ Authorization: 'Bearer at-1' });
		expect(request.agentOptions).toEqual({ cert: CERT, key: KEY, passphrase: 'pass', ca: CA });
	});

	it('adds nothing when the API does not need it', async () => {
		expect((await withToken({}, 'https://api.example.test/x')).agentOptions).toBeUndefined();
	});

	it('gives the token URL probe the certificate, without a token', async () => {
		const request = await withToken({}, 'https://login.example.test/token');
		expect(request.headers).toBeUndefined();
		expect(request.agentOptions).toMatchObject({ cert: CERT, key: KEY });
	});

	it('lets the issuer URL probe (discovery, no token URL) through without a token', async () => {
		const request = await withToken({ tokenUrl: '', issuerUrl: 'https://login.example.test/t' }, 'https://login.example.test/t');
		expect(request.headers).toBeUndefined();
	});
});

describe('n8nTransport with a client certificate', () => {
	const tlsRequest = {
		method: 'POST' as const,
		url: 'https://login.example.test/token',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials&client_id=c',
		timeoutMs: 5000,
		tls: { cert: CERT, key: KEY, passphrase: 'pass', ca: CA },
	};

	it('uses n8n 1.x\'s request helper, whose agentOptions reach the TLS agent, when the caller has it', async () => {
		const httpRequest = jest.fn();
		const legacy = jest.fn(async () => ({ statusCode: 200, headers: {}, body: '{"access_token":"a"}' }));
		const response = await n8nTransport(httpRequest, legacy as unknown as LegacyRequest)(tlsRequest);
		expect(response).toEqual({ statusCode: 200, headers: {}, body: '{"access_token":"a"}' });
		expect(httpRequest).not.toHaveBeenCalled();
		expect(legacy).toHaveBeenCalledWith({
			method: 'POST',
			uri: tlsRequest.url,
			headers: tlsRequest.headers,
			body: tlsRequest.body,
			timeout: 5000,
			json: false,
			resolveWithFullResponse: true,
			simple: false,
			followRedirect: false,
			agentOptions: { cert: CERT, key: KEY, passphrase: 'pass', ca: CA },
		});
	});

	it('uses httpRequest with agentOptions otherwise (n8n 2.x), and for requests without TLS material', async () => {
		const httpRequest = jest.fn(async () => ({ statusCode: 200, headers: {}, body: '{}' }));
		const legacy = jest.fn();
		await n8nTransport(httpRequest)(tlsRequest);
		expect(httpRequest).toHaveBeenLastCalledWith(expect.objectContaining({ url: tlsRequest.url, agentOptions: { cert: CERT, key: KEY, passphrase: 'pass', ca: CA } }));
		await n8nTransport(httpRequest, legacy as unknown as LegacyRequest)({ ...tlsRequest, tls: undefined });
		expect(legacy).not.toHaveBeenCalled();
		expect(httpRequest).toHaveBeenLastCalledWith(expect.not.objectContaining({ agentOptions: expect.anything() }));
	});

	it('keeps the TLS alert code of a refused handshake', async () => {
		const transport = n8nTransport(async () => {
			throw Object.assign(new Error('alert'), { cause: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } });
		});
		await expect(transport(tlsRequest)).rejects.toMatchObject({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
	});

	it('is what preAuthentication uses with the helpers n8n 1.x hands it', async () => {
		const pki = createTestPki();
		try {
			sharedAuthenticator.clear();
			const legacy = jest.fn(async () => ({ statusCode: 200, headers: {}, body: '{"access_token":"at-mtls","expires_in":60}' }));
			const httpRequest = jest.fn();
			const helper = { helpers: { httpRequest, request: legacy } } as unknown as IHttpRequestHelper;
			const data = { tokenUrl: 'https://login.example.test/token', clientId: 'c', clientAuthentication: 'tlsClientAuth', clientCertificate: pki.client.cert, clientCertificateKey: pki.client.key };
			const stored = await preAuthenticationFor('client_credentials').call(helper, data);
			// n8n 1.x is never handed a token to store (it would write back the resolved credential): it is put in place.
			expect(stored.accessToken).toBeUndefined();
			expect((data as Record<string, unknown>).accessToken).toBe('at-mtls');
			expect(httpRequest).not.toHaveBeenCalled();
			expect(legacy).toHaveBeenCalledWith(expect.objectContaining({ agentOptions: { cert: pki.client.cert.trim(), key: pki.client.key.trim() } }));
		} finally {
			removeTestPki(pki);
		}
	});
});
