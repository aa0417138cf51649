import type { INodeProperties } from 'n8n-workflow';

// Where API requests go and how they carry the token: the fields the node and authenticate read.
export const apiProperties: INodeProperties[] = [
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
];
