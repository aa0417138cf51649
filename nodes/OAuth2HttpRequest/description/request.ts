import type { INodeProperties } from 'n8n-workflow';

import { showForRequest } from './operation';

export const requestProperties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		displayOptions: showForRequest,
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'HEAD', value: 'HEAD' },
			{ name: 'OPTIONS', value: 'OPTIONS' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'GET',
		description: 'HTTP method of the request',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		displayOptions: showForRequest,
		default: '',
		required: true,
		placeholder: 'e.g. /v1/orders or a full https:// URL',
		description:
			'Address to call. A full URL (starting with http:// or https://) is used as it is. A relative one such as /v1/orders is added to the API Base URL of the credential.',
	},
];
