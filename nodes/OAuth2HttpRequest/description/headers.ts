import type { INodeProperties } from 'n8n-workflow';

export const headerProperties: INodeProperties[] = [
	{
		displayName: 'Send Headers',
		name: 'sendHeaders',
		type: 'boolean',
		displayOptions: { show: { operation: ['request'] } },
		default: false,
		noDataExpression: true,
		description:
			'Whether to add your own headers. The Authorization header comes from the credential and does not need to be set here.',
	},
	{
		displayName: 'Specify Headers',
		name: 'specifyHeaders',
		type: 'options',
		displayOptions: { show: { operation: ['request'], sendHeaders: [true] } },
		options: [
			{ name: 'Using Fields Below', value: 'keypair' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'keypair',
	},
	{
		displayName: 'Headers',
		name: 'headerParameters',
		type: 'fixedCollection',
		displayOptions: {
			show: { operation: ['request'], sendHeaders: [true], specifyHeaders: ['keypair'] },
		},
		typeOptions: { multipleValues: true },
		placeholder: 'Add Header',
		default: { parameters: [{ name: '', value: '' }] },
		options: [
			{
				name: 'parameters',
				displayName: 'Header',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
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
		name: 'jsonHeaders',
		type: 'json',
		displayOptions: {
			show: { operation: ['request'], sendHeaders: [true], specifyHeaders: ['json'] },
		},
		default: '',
		placeholder: '{ "X-Source": "n8n" }',
		description: 'An object whose keys are header names',
	},
];
