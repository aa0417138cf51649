import type { INodeProperties } from 'n8n-workflow';

import { STORED_FIELDS } from './names';
import type { GrantType } from '../../engine/types';
import { enterpriseProperties } from './enterpriseProperties';

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

// An extension grant (RFC 6749 §4.5) instead of client_credentials, e.g. Zoom's account_credentials.
const clientGrantType: INodeProperties[] = [
	{
		displayName: 'Grant Type',
		name: 'clientGrantType',
		type: 'options',
		options: [
			{
				name: 'Client Credentials (Standard)',
				value: 'client_credentials',
				description: 'Grant_type=client_credentials (RFC 6749 §4.4)',
			},
			{
				name: 'Custom',
				value: 'custom',
				description: "Another grant_type the provider defines for a client that authenticates itself, e.g. Zoom's account_credentials",
			},
		],
		default: 'client_credentials',
		description: 'The grant_type the token request sends',
	},
	{
		displayName: 'Custom Grant Type',
		name: 'customGrantType',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'account_credentials',
		description:
			'The grant_type value the provider documents, sent in place of client_credentials: a name (letters, digits, -, . and _) or an absolute URI. Parameters it needs (Zoom: account_id) go in Extra Token Parameters.',
		displayOptions: { show: { clientGrantType: ['custom'] } },
	},
];

const tokenRequest = (grant: GrantType): INodeProperties[] => [
	...(grant === 'client_credentials' ? clientGrantType : []),
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'string',
		default: '',
		placeholder: 'read write',
		hint: 'Separated by spaces. Entra ID: https://graph.microsoft.com/.default',
		description:
			'Space-separated scopes; leave empty to send none. Microsoft Entra ID needs the resource followed by /.default, e.g. https://graph.microsoft.com/.default.',
	},
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'string',
		default: '',
		placeholder: 'https://api.example.com',
		description: 'The API identifier some providers require, e.g. Auth0 (sent as "audience")',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'string',
		default: '',
		description:
			'Resource indicators (RFC 8707), separated by spaces; each is sent as its own "resource" parameter. Used by ADFS and some others.',
	},
	{
		displayName: 'Token Request Format',
		name: 'requestFormat',
		type: 'options',
		options: [
			{ name: 'Form (Standard)', value: 'form', description: 'Application/x-www-form-urlencoded, as RFC 6749 says' },
			{ name: 'JSON', value: 'json', description: 'Application/JSON, for servers that ask for it' },
		],
		default: 'form',
	},
	{
		displayName: 'Extra Token Parameters',
		name: 'extraParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Parameter',
		description:
			'Further parameters the token endpoint needs, in the body or in the token URL\'s query string. grant_type, client_id, client_secret, username, password, refresh_token and the client assertion cannot be overridden here.',
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					{
						displayName: 'Send In',
						name: 'sendIn',
						type: 'options',
						options: [
							{ name: 'Body', value: 'body', description: 'With the other token request parameters, as RFC 6749 says' },
							{ name: 'Query String', value: 'query', description: 'Appended to the token URL, for servers that read it there' },
						],
						default: 'body',
					},
				],
			},
		],
	},
	// Not "token...Headers": n8n's credential-password-field lint takes a name with "token" for a secret.
	{
		displayName: 'Extra Token Request Headers',
		name: 'extraHeaders',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Header',
		description:
			'Headers sent with the token request only, e.g. the key of an API gateway in front of the token endpoint (Azure API Management: Ocp-Apim-Subscription-Key). The values are kept like secrets and never shown. Authorization, Content-Type, Accept, Host, Content-Length, Connection and Transfer-Encoding are set by the node and cannot be set here.',
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'Ocp-Apim-Subscription-Key' },
					{ displayName: 'Value', name: 'value', type: 'string', typeOptions: { password: true }, default: '' },
				],
			},
		],
	},
];

const advanced: INodeProperties[] = [
	{
		displayName: 'API Base URL',
		name: 'baseUrl',
		type: 'string',
		default: '',
		placeholder: 'https://api.example.com/v1',
		hint: 'Optional. Relative URLs in the node are joined to it, and the token goes only to this host',
		description: 'Optional. Relative URLs in the OAuth2 HTTP Request node are joined to it, and the token is then sent only to this host (and to hosts listed under "Allowed HTTP Request Domains").',
	},
	// The names hold no "token": n8n's credential-password-field lint takes such a field for a secret.
	{
		displayName: 'Send Token In',
		name: 'authLocation',
		type: 'options',
		options: [
			{ name: 'Header', value: 'header', description: 'In a request header (Authorization: Bearer ... by default)' },
			{
				name: 'Query Parameter',
				value: 'query',
				description: 'In the URL (?access_token=...), for APIs that accept nothing else. URLs end up in server and proxy logs: prefer the header when the API allows it.',
			},
		],
		default: 'header',
		description: 'Where API requests carry the access token',
	},
	{
		displayName: 'Query Parameter Name',
		name: 'authQueryParameter',
		type: 'string',
		default: 'access_token',
		placeholder: 'access_token',
		description: 'The query parameter that carries the token, e.g. access_token (RFC 6750) or token. It replaces a parameter of the same name (any case) that the request already has.',
		displayOptions: { show: { authLocation: ['query'] } },
	},
	{
		displayName: 'Auth Header Name',
		name: 'authHeaderName',
		type: 'string',
		default: 'Authorization',
		description: 'The request header that carries the token. A few APIs want another, e.g. X-Access-Token.',
		displayOptions: { show: { authLocation: ['header'] } },
	},
	{
		displayName: 'Auth Header Prefix',
		name: 'authHeaderPrefix',
		type: 'string',
		default: 'Bearer',
		description: 'Written before the token in that header. Leave empty to send the token alone.',
		displayOptions: { show: { authLocation: ['header'] } },
	},
	{
		displayName: 'Use Instance URL From Token Response',
		name: 'useInstanceUrl',
		type: 'boolean',
		default: false,
		description:
			'Whether to use the instance_url the token response names as the API base URL (Salesforce)',
	},
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
	// Named without "token" so n8n's credential-password-field lint never asks to mask a path.
	{
		displayName: 'Token Response Fields',
		name: 'responseFields',
		type: 'options',
		options: [
			{
				name: 'Detect Automatically',
				value: 'auto',
				description: 'The token as access_token, accessToken or token, at the top level or under data, result or data.attributes; JSON or form-encoded',
			},
			{
				name: 'Name the Fields',
				value: 'custom',
				description: 'For a response that holds the token under another name',
			},
		],
		default: 'auto',
		description: 'Where the token response holds the access token, its lifetime and the refresh token',
	},
	{
		displayName: 'Access Token Field',
		name: 'responseAccessPath',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'payload.credentials.bearer',
		displayOptions: { show: { responseFields: ['custom'] } },
		description: 'The member of the token response that holds the access token: names from the top of the response joined by dots; a number picks an item of a list (items.0.token)',
	},
	{
		displayName: 'Expiry Field',
		name: 'responseExpiryPath',
		type: 'string',
		default: '',
		placeholder: 'payload.credentials.validUntil',
		displayOptions: { show: { responseFields: ['custom'] } },
		description: 'Optional. The member with the lifetime in seconds, or the expiry as epoch seconds, epoch milliseconds or an ISO 8601 date. Empty: expires_in, expiresIn, expires, expires_at, expiresAt, expiry... next to the token.',
	},
	{
		displayName: 'Refresh Token Field',
		name: 'responseRefreshPath',
		type: 'string',
		default: '',
		placeholder: 'payload.credentials.renewal',
		displayOptions: { show: { responseFields: ['custom'] } },
		description: 'Optional. The member with the refresh token. Empty: refresh_token or refreshToken next to the token.',
	},
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
		...tokenRequest(grant),
		...advanced,
		...stored,
	];
}
