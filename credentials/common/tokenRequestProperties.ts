import type { INodeProperties } from 'n8n-workflow';

import type { GrantType } from '../../engine/types';

// What the token request asks for besides the client's identity: grant, scope, audience, resource,
// format, extra parameters and headers.
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

export const tokenRequestProperties = (grant: GrantType): INodeProperties[] => [
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
