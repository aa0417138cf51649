// The glue between the engine's words and the form's: field ids mapped to form fields, n8n's wording,
// and the PEM repair of pasted text, which happens here and not in the engine.
import { generateKeyPairSync } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { tokenConfigFromCredentials } from '../../../../credentials/common/credentialData';
import { formFieldOf, N8N_WORDING } from '../../../../credentials/common/formFields';
import { preAuthenticationFor, TokenFetchError } from '../../../../credentials/common/preAuthentication';
import { credentialProperties } from '../../../../credentials/common/properties';
import { sharedAuthenticator } from '../../../../credentials/common/sharedAuthenticator';
import { buildTokenRequest, TokenAuthenticator } from '../../../../engine';

describe('formFieldOf', () => {
	it('names a form field for every engine field but the grant, and each one exists in the form', () => {
		const names = new Set(credentialProperties('password').map((property) => property.name));
		for (const field of ['tokenUrl', 'tls.cert', 'tls.key', 'tls.passphrase', 'tls.ca', 'extraParameters', 'signingAlgorithm'] as const) {
			expect(names.has(formFieldOf(field) as string)).toBe(true);
		}
		expect(formFieldOf('tls.key')).toBe('clientCertificateKey');
		expect(formFieldOf('grantType')).toBeUndefined();
	});
});

describe('the shared authenticator speaks n8n', () => {
	it('is one TokenAuthenticator for the process', () => {
		expect(sharedAuthenticator).toBeInstanceOf(TokenAuthenticator);
	});

	it('labels fields as the form does and says who sends the reserved parameters', () => {
		const config = {
			tokenUrl: 'https://auth.example.test/token',
			grantType: 'client_credentials' as const,
			clientId: 'c',
			clientSecret: 's',
			clientAuthentication: 'body' as const,
			requestFormat: 'form' as const,
		};
		const build = (name: string) => () =>
			buildTokenRequest({ ...config, extraParameters: [{ name, value: 'x' }] }, 'client_credentials', undefined, { wording: N8N_WORDING });
		expect(build('scope')).toThrow('use the Scope field instead');
		expect(build('grant_type')).toThrow('the node sends grant_type itself');
	});

	it('hands n8n the form field at fault with a configuration error', async () => {
		sharedAuthenticator.clear();
		const preAuthentication = preAuthenticationFor('client_credentials');
		const helper = { helpers: { httpRequest: jest.fn() } } as unknown as IHttpRequestHelper;
		const data = { tokenUrl: 'https://auth.example.test/token', clientId: 'c', clientSecret: 's', clientAuthentication: 'tlsClientAuth' };
		const error = await preAuthentication.call(helper, data).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TokenFetchError);
		expect((error as TokenFetchError).field).toBe('clientCertificate');
		expect(helper.helpers.httpRequest).not.toHaveBeenCalled();
	});
});

describe('PEM text pasted with literal \\n', () => {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().trim();
	const oneLine = pem.split('\n').join('\\n');

	it('is repaired once, when the credential is read, for the private key and the certificate fields', () => {
		const data: ICredentialDataDecryptedObject = {
			tokenUrl: 'https://auth.example.test/token',
			clientId: 'c',
			clientAuthentication: 'privateKeyJwt',
			privateKey: oneLine,
			useClientCertificate: true,
			clientCertificate: 'CERT\\nLINE',
			clientCertificateKey: 'KEY\\nLINE',
			caCertificate: 'CA\\nLINE',
		};
		const config = tokenConfigFromCredentials(data, 'client_credentials');
		expect(config.privateKey).toBe(pem);
		expect(config.tls).toMatchObject({ cert: 'CERT\nLINE', key: 'KEY\nLINE', ca: 'CA\nLINE' });
		expect(() => buildTokenRequest({ ...config, tls: undefined }, 'client_credentials')).not.toThrow();
	});
});
