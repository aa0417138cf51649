import { certificateHintFor } from '../../../../../nodes/OAuth2HttpRequest/helpers/certificateHint';

const CERT = { clientAuthentication: 'tlsClientAuth', clientCertificate: '-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----', clientCertificateKey: '-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----' };

describe('certificateHintFor', () => {
	it.each([
		['an untrusted server certificate', Object.assign(new Error('self-signed certificate in certificate chain'), { cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } })],
		['a TLS alert', Object.assign(new Error('request failed'), { cause: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } })],
		['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
	])('explains %s on a credential that presents its certificate to the API', (_label, error) => {
		expect(certificateHintFor(error, { ...CERT, useClientCertificateForApi: true })).toMatch(/On n8n 1\.x this node cannot.*HTTP Request node/);
	});

	it('says nothing when the credential does not present a certificate to the API, or the failure is not about TLS', () => {
		const tls = Object.assign(new Error('x'), { cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } });
		expect(certificateHintFor(tls, CERT)).toBeUndefined();
		expect(certificateHintFor(tls, { ...CERT, clientAuthentication: 'header', useClientCertificateForApi: true })).toBeUndefined();
		expect(certificateHintFor(new Error('The API answered 500'), { ...CERT, useClientCertificateForApi: true })).toBeUndefined();
	});
});
