import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_BATCH_INTERVAL_MS,
	DEFAULT_BATCH_SIZE,
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_REDIRECTS,
	DEFAULT_MAX_RETRIES,
	DEFAULT_OUTPUT_PROPERTY_NAME,
	DEFAULT_RENEW_TOKEN_ON_STATUS,
	DEFAULT_RENEW_WHEN_BODY_STATUS_CODES,
	DEFAULT_RETRY_ON_STATUS,
} from '../defaults';
import { paginationOption } from './pagination';

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	displayOptions: { show: { operation: ['request'] } },
	default: {},
	options: [
		{
			displayName: 'Array Format in Query Parameters',
			name: 'queryParameterArrays',
			type: 'options',
			displayOptions: { show: { '/sendQuery': [true] } },
			options: [
				{
					name: 'Brackets Only',
					value: 'brackets',
					description: 'Write a list as tag[]=a&tag[]=b',
				},
				{
					name: 'Brackets with Indices',
					value: 'indices',
					description: 'Write a list as tag[0]=a&tag[1]=b',
				},
				{
					name: 'No Brackets',
					value: 'repeat',
					description: 'Write a list as tag=a&tag=b',
				},
			],
			default: 'brackets',
			description: 'How a query parameter with several values is written into the URL',
		},
		{
			displayName: 'Batching',
			name: 'batching',
			placeholder: 'Add Batching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { batch: {} },
			options: [
				{
					displayName: 'Batching',
					name: 'batch',
					values: [
						{
							displayName: 'Items per Batch',
							name: 'batchSize',
							type: 'number',
							typeOptions: { minValue: -1 },
							default: DEFAULT_BATCH_SIZE,
							description:
								'Number of items whose requests start before the next pause. -1 turns batching off; 0 counts as 1.',
						},
						{
							displayName: 'Batch Interval (Milliseconds)',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: DEFAULT_BATCH_INTERVAL_MS,
							description: 'Milliseconds to pause between two batches; 0 does not pause',
						},
					],
				},
			],
		},
		{
			displayName: 'Concurrent Requests',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items may wait for a response at the same time. Set 0 to start the requests of all items at once, as the HTTP Request node does; a lower number is gentler on rate-limited APIs. All items share one access token either way.',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			noDataExpression: true,
			default: false,
			description: 'Whether to connect even if SSL certificate validation is not possible',
		},
		{
			displayName: 'Lowercase Headers',
			name: 'lowercaseHeaders',
			type: 'boolean',
			default: true,
			description: 'Whether to turn the names of your own headers into lowercase before sending',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'How many times one request is sent again after a status from Retry on Status Codes. 0 never retries.',
		},
		paginationOption,
		{
			displayName: 'Proxy',
			name: 'proxy',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://myproxy:3128',
			description: 'HTTP proxy to send the request through, with user:password@ if it needs a login',
		},
		{
			displayName: 'Redirects',
			name: 'redirect',
			placeholder: 'Add Redirect',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { redirect: {} },
			options: [
				{
					displayName: 'Redirect',
					name: 'redirect',
					values: [
						{
							displayName: 'Follow Redirects',
							name: 'followRedirects',
							type: 'boolean',
							default: true,
							noDataExpression: true,
							description: 'Whether to follow a redirect (3xx status) to its new location',
						},
						{
							displayName: 'Max Redirects',
							name: 'maxRedirects',
							type: 'number',
							displayOptions: { show: { followRedirects: [true] } },
							default: DEFAULT_MAX_REDIRECTS,
							description: 'Highest number of redirects to follow for one request',
						},
					],
				},
			],
		},
		{
			displayName: 'Renew Token on Status Codes',
			name: 'renewTokenOnStatus',
			type: 'multiOptions',
			options: [
				{ name: '401 Unauthorized', value: '401' },
				{ name: '403 Forbidden', value: '403' },
				{ name: '419 Authentication Timeout', value: '419' },
				{ name: '440 Login Time-Out', value: '440' },
				{ name: '498 Invalid Token', value: '498' },
			],
			default: [...DEFAULT_RENEW_TOKEN_ON_STATUS],
			description:
				'Status codes that mean the API refused the access token. The node then gets a new token once and sends the request again. Leave empty to never renew on a response.',
		},
		{
			displayName: 'Renew Token When Response Body Says',
			name: 'renewTokenWhenBody',
			placeholder: 'Add Rule',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			description:
				'For APIs that say in the body, not with a 401, that the access token expired, such as Marketo (200 with errors[].code 601 or 602). A response that matches a rule makes the node get a new token once, shared by all items, and send the request again; if the answer still matches, the item fails.',
			options: [
				{
					displayName: 'Rule',
					name: 'rules',
					values: [
						{
							displayName: 'Status Codes',
							name: 'statusCodes',
							type: 'string',
							default: DEFAULT_RENEW_WHEN_BODY_STATUS_CODES,
							placeholder: 'e.g. 200, 400',
							description:
								'Status codes, separated by commas, of the responses to check. Leave empty to check every response.',
						},
						{
							displayName: 'Field',
							name: 'field',
							type: 'string',
							default: '',
							required: true,
							placeholder: 'e.g. errors.code',
							description:
								'Where the code is in the JSON body, as keys separated by dots. A list on the way matches if any of its entries does: errors.code looks at the code of every entry of errors, errors.0.code only at the first. A body that is not JSON never matches.',
						},
						{
							displayName: 'Values',
							name: 'values',
							type: 'string',
							default: '',
							required: true,
							placeholder: 'e.g. 601, 602',
							description:
								'Values of the field, separated by commas, that mean the access token expired or is not valid. Compared as text, so 601 matches both 601 and "601".',
						},
					],
				},
			],
		},
		{
			displayName: 'Response',
			name: 'response',
			placeholder: 'Add Response',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { response: {} },
			options: [
				{
					displayName: 'Response',
					name: 'response',
					values: [
						{
							displayName: 'Include Response Headers and Status',
							name: 'fullResponse',
							type: 'boolean',
							default: false,
							description:
								'Whether to output the status code, status message and headers along with the body',
						},
						{
							displayName: 'Never Error',
							name: 'neverError',
							type: 'boolean',
							default: false,
							description:
								'Whether to output the response even when its status code is not 2xx instead of failing',
						},
						{
							displayName: 'Response Format',
							name: 'responseFormat',
							type: 'options',
							noDataExpression: true,
							options: [
								{
									name: 'Autodetect',
									value: 'autodetect',
									description: 'Decide by the Content-Type the server sends',
								},
								{
									name: 'File',
									value: 'file',
									description: 'Keep the body as a binary file',
								},
								{
									name: 'JSON',
									value: 'json',
									description: 'Read the body as JSON',
								},
								{
									name: 'Text',
									value: 'text',
									description: 'Keep the body as text',
								},
							],
							default: 'autodetect',
							description: 'How to read the body of the response',
						},
						{
							displayName: 'Put Output in Field',
							name: 'outputPropertyName',
							type: 'string',
							default: DEFAULT_OUTPUT_PROPERTY_NAME,
							required: true,
							displayOptions: { show: { responseFormat: ['file', 'text'] } },
							description:
								'Name of the field for the text, or of the binary field for the file, in the output item',
						},
					],
				},
			],
		},
		{
			displayName: 'Retry on Status Codes',
			name: 'retryOnStatus',
			type: 'string',
			default: DEFAULT_RETRY_ON_STATUS,
			placeholder: 'e.g. 429, 503',
			description:
				'Status codes, separated by commas, after which the request is sent again, up to Max Retries times, waiting longer each time and as long as a Retry-After header asks. Leave empty to never retry.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10000,
			description:
				'Milliseconds to wait for the server to start answering before giving up. Without this option the node waits up to 5 minutes.',
		},
	],
};
