import type { INodeProperties, IDisplayOptions } from 'n8n-workflow';

// The fields of private key JWT and mutual TLS. Each shows only with the client authentication that
// uses it; the certificate fields show for TLS Client Certificate, or for any other method when "Use
// Client Certificate" is on (n8n's display rules cannot say "or", so those fields are declared once
// for each case, under the same names, as n8n's own credentials do).

const PRIVATE_KEY_JWT: IDisplayOptions = { show: { clientAuthentication: ['privateKeyJwt'] } };
const TLS_CLIENT_AUTH: IDisplayOptions = { show: { clientAuthentication: ['tlsClientAuth'] } };
const CERTIFICATE_OPTED_IN: IDisplayOptions = {
	show: { useClientCertificate: [true] },
	hide: { clientAuthentication: ['tlsClientAuth'] },
};

const privateKeyJwt: INodeProperties[] = [
	{
		displayName: 'Private Key',
		name: 'privateKey',
		type: 'string',
		typeOptions: { password: true, rows: 5 },
		default: '',
		required: true,
		placeholder: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
		description:
			'PEM private key (PKCS#8, or RSA/EC PRIVATE KEY) that signs the client assertion. The server keeps the matching public key or certificate.',
		displayOptions: PRIVATE_KEY_JWT,
	},
	{
		displayName: 'Key ID (Kid)',
		name: 'privateKeyId',
		type: 'string',
		default: '',
		description:
			'Optional. Sent as "kid" in the assertion header, for servers that keep several keys for the client (the key ID of the registered JWK).',
		displayOptions: PRIVATE_KEY_JWT,
	},
	{
		displayName: 'Certificate of the Private Key',
		name: 'privateKeyCertificate',
		type: 'string',
		typeOptions: { password: true, rows: 5 },
		default: '',
		placeholder: '-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----',
		description:
			'Optional. The certificate uploaded for this key, for servers that identify the key by its thumbprint, such as Microsoft Entra ID: its SHA-1 and SHA-256 thumbprints are sent as x5t and x5t#S256.',
		displayOptions: PRIVATE_KEY_JWT,
	},
	{
		displayName: 'Signing Algorithm',
		name: 'signingAlgorithm',
		type: 'options',
		options: [
			{ name: 'ES256', value: 'ES256', description: 'ECDSA with an EC key on the P-256 curve' },
			{ name: 'PS256', value: 'PS256', description: 'RSA-PSS with an RSA key of at least 2048 bits' },
			{ name: 'RS256', value: 'RS256', description: 'RSA PKCS#1 v1.5 with an RSA key of at least 2048 bits; the most widely accepted' },
		],
		default: 'RS256',
		displayOptions: PRIVATE_KEY_JWT,
	},
];

const useClientCertificate: INodeProperties = {
	displayName: 'Use Client Certificate (Mutual TLS)',
	name: 'useClientCertificate',
	type: 'boolean',
	default: false,
	description:
		'Whether to present a client certificate on the token request (RFC 8705) besides the client authentication above, for servers that require mutual TLS',
	displayOptions: { hide: { clientAuthentication: ['tlsClientAuth'] } },
};

function certificateFields(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Client Certificate',
			name: 'clientCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 5 },
			default: '',
			required: displayOptions === TLS_CLIENT_AUTH,
			placeholder: '-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----',
			description: 'PEM client certificate, optionally followed by its intermediate CA certificates',
			displayOptions,
		},
		{
			displayName: 'Client Certificate Key',
			name: 'clientCertificateKey',
			type: 'string',
			typeOptions: { password: true, rows: 5 },
			default: '',
			required: displayOptions === TLS_CLIENT_AUTH,
			placeholder: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
			description: 'PEM private key of the client certificate',
			displayOptions,
		},
		{
			displayName: 'Client Certificate Key Passphrase',
			name: 'clientCertificatePassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted key (-----BEGIN ENCRYPTED PRIVATE KEY-----)',
			displayOptions,
		},
		{
			displayName: 'CA Certificates',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 5 },
			default: '',
			description:
				"Optional. PEM certificates of the CA that issued the server's certificate, for servers with a private CA. They replace the system's trusted CAs for these requests.",
			displayOptions,
		},
		{
			displayName: 'Use Client Certificate for API Requests',
			name: 'useClientCertificateForApi',
			type: 'boolean',
			default: false,
			description:
				'Whether API requests made with this credential present the client certificate too (and trust the CA certificates above), for APIs behind mutual TLS',
			displayOptions,
		},
	];
}

/** The fields that follow the client secret. */
export const enterpriseProperties: INodeProperties[] = [
	...privateKeyJwt,
	useClientCertificate,
	...certificateFields(TLS_CLIENT_AUTH),
	...certificateFields(CERTIFICATE_OPTED_IN),
];
