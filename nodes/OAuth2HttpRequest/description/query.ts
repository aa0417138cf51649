import type { INodeProperties } from 'n8n-workflow';

export const queryProperties: INodeProperties[] = [
	{
		displayName: 'Send Query Parameters',
		name: 'sendQuery',
		type: 'boolean',
		displayOptions: { show: { operation: ['request'] } },
		default: false,
		noDataExpression: true,
		description: 'Whether to add parameters to the query string of the URL',
	},
	{
		displayName: 'Specify Query Parameters',
		name: 'specifyQuery',
		type: 'options',
		displayOptions: { show: { operation: ['request'], sendQuery: [true] } },
		options: [
			{ name: 'Using Fields Below', value: 'keypair' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'keypair',
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		displayOptions: {
			show: { operation: ['request'], sendQuery: [true], specifyQuery: ['keypair'] },
		},
		typeOptions: { multipleValues: true },
		placeholder: 'Add Query Parameter',
		default: { parameters: [{ name: '', value: '' }] },
		options: [
			{
				name: 'parameters',
				displayName: 'Query Parameter',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Parameter name. Use the same name more than once to send a list.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'JSON',
		name: 'jsonQuery',
		type: 'json',
		displayOptions: { show: { operation: ['request'], sendQuery: [true], specifyQuery: ['json'] } },
		default: '',
		placeholder: '{ "status": "open", "page": 1 }',
		description: 'An object whose keys become query parameters; arrays are written as set in Options',
	},
];
