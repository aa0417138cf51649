import type { INodeProperties } from 'n8n-workflow';

import { STORED_FIELDS } from './names';
import type { GrantType } from '../../engine/types';
import { apiProperties } from './apiProperties';
import { enterpriseProperties } from './enterpriseProperties';
import { tokenRequestProperties } from './tokenRequestProperties';
import { tokenResponseProperties } from './tokenResponseProperties';

const connection: INodeProperties[] = [
	{
		displayName: 'Token URL',
		name: 'tokenUrl',
		type: 'string',
		default: '',
		placeholder: 'https://login.example.com/oauth2/token',
		hint: 'Where the token is requested, e.g. https://YOUR_TENANT.auth0.com/oauth/token',
		description:
			"The provider's token endpoint, e.g. https://YOUR_TENANT.auth0.com/oauth/token or https://login.microsoftonline.com/TENANT_ID/oauth2/v2.0/token. Use https:// for anything but a local server: with http:// the secret crosses the network in clear text. If \"Allowed HTTP Request Domains\" below is restricted, n8n 2.x holds the token request to that list too.",
	},
	{
		displayName: 'Issuer URL',
		name: 'issuerUrl',
		type: 'string',
		default: '',
		placeholder: 'https://login.example.com/TENANT_ID/v2.0',
		description:
			'Optional. With the Token URL left empty, the token endpoint (and the authentication methods the server supports) are read once from ISSUER/.well-known/openid-configuration or /.well-known/oauth-authorization-server (RFC 8414). The Token URL is required unless this is set.',
	},
	{
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		default: '',
		required: true,
	},
];

const clientSecret = (grant: GrantType): INodeProperties => ({
	displayName: 'Client Secret',
	name: 'clientSecret',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: grant === 'client_credentials',
	displayOptions: { hide: { clientAuthentication: ['none', 'privateKeyJwt', 'tlsClientAuth'] } },
});

const user: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		required: true,
		description: 'The resource owner whose account the API is called with',
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: "The resource owner's password. Salesforce wants the password followed directly by the security token.",
	},
];

const clientAuthentication = (grant: GrantType): INodeProperties => ({
	displayName: 'Client Authentication',
	name: 'clientAuthentication',
	type: 'options',
	options: [
		{
			name: 'Send as Basic Auth Header, Automatic',
			value: 'auto',
			description:
				'HTTP Basic (client_secret_basic), URL-encoded first as RFC 6749 says; if the server refuses that and the raw form differs, once exactly as typed (WSO2 and others want that). The form that worked is stored with the token.',
		},
		{
			name: 'Send as Basic Auth Header',
			value: 'header',
			description:
				'HTTP Basic with the ID and secret URL-encoded first, as RFC 6749 says (client_secret_basic), and nothing else. Auth0, Okta, Keycloak and Entra ID accept it.',
		},
		{
			name: 'Send as Basic Auth Header, Not Encoded',
			value: 'headerRaw',
			description:
				'HTTP Basic with the ID and secret exactly as typed, as n8n itself sends them, and nothing else. WSO2 and several gateways want it for a secret that contains %, +, : or /.',
		},
		{
			name: 'Send in Body',
			value: 'body',
			description: 'Client_id and client_secret as request parameters (client_secret_post)',
		},
		...(grant === 'password'
			? [
				{
					name: 'None (Public Client)',
					value: 'none',
					description: 'Only client_id is sent; for clients that have no secret',
				},
			]
			: []),
		{
			name: 'Private Key JWT',
			value: 'privateKeyJwt',
			description:
				"A short-lived JWT signed with the client's private key (private_key_jwt, RFC 7523); no secret is sent. Entra ID, Okta, Auth0, Keycloak and many banks' APIs accept it.",
		},
		{
			name: 'Client Secret JWT',
			value: 'clientSecretJwt',
			description: 'A short-lived JWT signed with the client secret (HS256, client_secret_jwt); the secret itself is not sent',
		},
		{
			name: 'TLS Client Certificate',
			value: 'tlsClientAuth',
			description: 'The client certificate of a mutual TLS connection (tls_client_auth, RFC 8705); only client_id is sent',
		},
	],
	// n8n stores only the fields that differ from their default, so a credential saved with the RFC
	// option while it was the default holds no value and reads this one. Automatic sends that same RFC
	// request first and differs only after the server refuses it; see the README.
	default: 'auto',
	description: 'How the client proves who it is to the token endpoint: with its secret, a signed JWT or a TLS client certificate',
});

const advanced: INodeProperties[] = [
	...apiProperties,
	{
		displayName: 'Renewal Margin (Seconds)',
		name: 'renewalMarginSeconds',
		type: 'number',
		default: 60,
		description:
			'A token is renewed when less than this remains, so no request goes out with a token about to expire. Capped at half the token lifetime.',
	},
	{
		displayName: 'Default Token Lifetime (Seconds)',
		name: 'defaultLifetimeSeconds',
		type: 'number',
		default: 3600,
		description:
			'Used when the server says neither expires_in nor, in a JWT access token, exp',
	},
	...tokenResponseProperties,
	{
		displayName: 'Token Request Timeout (Seconds)',
		name: 'requestTimeoutSeconds',
		type: 'number',
		default: 30,
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'ignoreSslIssues',
		type: 'boolean',
		default: false,
		description: 'Whether to accept an invalid TLS certificate from the token endpoint',
	},
];

// n8n keeps these encrypted with the credential. The text ones are password fields, so n8n's credential
// API (what the editor loads) sends a sentinel instead of the value and puts the stored value back when
// the editor saves the sentinel: the token, the refresh token, the fingerprint, the token type, the
// granted scope and the instance URL never reach the browser. The two times are numbers and stay plain:
// n8n 1.x's redaction calls startsWith on every password field's value and fails on a number, which
// would break loading the credential in the editor; they tell only when the token was issued and
// expires. The access token stays the first hidden field: n8n takes the first one marked expirable as
// the field that triggers pre-authentication.
const hiddenSecret = (displayName: string, name: string, expirable = false): INodeProperties => ({
	displayName,
	name,
	type: 'hidden',
	typeOptions: expirable ? { expirable: true, password: true } : { password: true },
	default: '',
});

const stored: INodeProperties[] = [
	hiddenSecret('Access Token', STORED_FIELDS.accessToken, true),
	{ displayName: 'Expires At', name: STORED_FIELDS.expiresAt, type: 'hidden', default: 0 },
	{ displayName: 'Issued At', name: STORED_FIELDS.obtainedAt, type: 'hidden', default: 0 },
	hiddenSecret('Refresh Token', STORED_FIELDS.refreshToken),
	hiddenSecret('Fingerprint', STORED_FIELDS.fingerprint),
	hiddenSecret('Access Token Type', STORED_FIELDS.accessTokenType),
	hiddenSecret('Granted Scope', STORED_FIELDS.grantedScope),
	hiddenSecret('Instance URL', STORED_FIELDS.instanceUrl),
	// Automatic client authentication: the Basic form ("encoded" or "raw") this token endpoint took,
	// so other processes and workers send it first. Not a secret, but kept like the others.
	hiddenSecret('Basic Credentials Form', STORED_FIELDS.basicCredentialsForm),
];

export function credentialProperties(grant: GrantType): INodeProperties[] {
	return [
		...connection,
		clientAuthentication(grant),
		clientSecret(grant),
		...(grant === 'password' ? user : []),
		...enterpriseProperties,
		...tokenRequestProperties(grant),
		...advanced,
		...stored,
	];
}
