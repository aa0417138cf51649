import type { INodeProperties } from 'n8n-workflow';

export const bodyProperties: INodeProperties[] = [
	{
		displayName: 'Send Body',
		name: 'sendBody',
		type: 'boolean',
		displayOptions: { show: { operation: ['request'] } },
		default: false,
		noDataExpression: true,
		description: 'Whether to send data in the body of the request',
	},
	{
		displayName: 'Body Content Type',
		name: 'contentType',
		type: 'options',
		displayOptions: { show: { operation: ['request'], sendBody: [true] } },
		options: [
			{
				name: 'Binary File',
				value: 'binaryData',
				description: 'Send one file from the input item as the whole body',
			},
			{
				name: 'Form URL Encoded',
				value: 'form-urlencoded',
				description: 'Send fields as application/x-www-form-urlencoded',
			},
			{
				name: 'Form-Data',
				value: 'multipart-form-data',
				description: 'Send fields and files as multipart/form-data',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'Send a JSON document',
			},
			{
				name: 'Raw',
				value: 'raw',
				description: 'Send text exactly as typed, with a content type of your choice',
			},
		],
		default: 'json',
		description: 'How the body is encoded',
	},

	// JSON
	{
		displayName: 'Specify Body',
		name: 'specifyBody',
		type: 'options',
		displayOptions: { show: { operation: ['request'], sendBody: [true], contentType: ['json'] } },
		options: [
			{ name: 'Using Fields Below', value: 'keypair' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'keypair',
		description: 'Whether to build the body from single fields or to write the whole document',
	},
	{
		displayName: 'Body Parameters',
		name: 'bodyParameters',
		type: 'fixedCollection',
		displayOptions: {
			show: {
				operation: ['request'],
				sendBody: [true],
				contentType: ['json'],
				specifyBody: ['keypair'],
			},
		},
		typeOptions: { multipleValues: true },
		placeholder: 'Add Body Field',
		default: { parameters: [{ name: '', value: '' }] },
		options: [
			{
				name: 'parameters',
				displayName: 'Body Field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description:
							'Field name. A dotted path such as customer.address.city creates nested objects; items[0] addresses a list entry.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Value of the field. An expression may return a number, a list or an object.',
					},
				],
			},
		],
	},
	{
		displayName: 'JSON',
		name: 'jsonBody',
		type: 'json',
		displayOptions: {
			show: {
				operation: ['request'],
				sendBody: [true],
				contentType: ['json'],
				specifyBody: ['json'],
			},
		},
		default: '',
		placeholder: '{ "name": "Ada", "tags": ["vip"] }',
		description: 'The document to send',
	},

	// multipart/form-data
	{
		displayName: 'Body Parameters',
		name: 'bodyParameters',
		type: 'fixedCollection',
		displayOptions: {
			show: { operation: ['request'], sendBody: [true], contentType: ['multipart-form-data'] },
		},
		typeOptions: { multipleValues: true },
		placeholder: 'Add Body Field',
		default: { parameters: [{ name: '', value: '' }] },
		options: [
			{
				name: 'parameters',
				displayName: 'Body Field',
				values: [
					{
						displayName: 'Type',
						name: 'parameterType',
						type: 'options',
						options: [
							{
								name: 'Binary File',
								value: 'formBinaryData',
								description: 'A file from the input item',
							},
							{
								name: 'Form Data',
								value: 'formData',
								description: 'A text value',
							},
						],
						default: 'formData',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Name of the form field',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						displayOptions: { show: { parameterType: ['formData'] } },
						default: '',
					},
					{
						displayName: 'Input Data Field Name',
						name: 'inputDataFieldName',
						type: 'string',
						displayOptions: { show: { parameterType: ['formBinaryData'] } },
						default: '',
						placeholder: 'e.g. data',
						description:
							'Name of the binary field of the input item that holds the file. Its file name and MIME type are sent along.',
					},
				],
			},
		],
	},

	// application/x-www-form-urlencoded
	{
		displayName: 'Specify Body',
		name: 'specifyBody',
		type: 'options',
		displayOptions: {
			show: { operation: ['request'], sendBody: [true], contentType: ['form-urlencoded'] },
		},
		options: [
			{ name: 'Using Fields Below', value: 'keypair' },
			{ name: 'Using Single Field', value: 'string' },
		],
		default: 'keypair',
		description: 'Whether to build the body from single fields or to write it as one encoded string',
	},
	{
		displayName: 'Body Parameters',
		name: 'bodyParameters',
		type: 'fixedCollection',
		displayOptions: {
			show: {
				operation: ['request'],
				sendBody: [true],
				contentType: ['form-urlencoded'],
				specifyBody: ['keypair'],
			},
		},
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: { parameters: [{ name: '', value: '' }] },
		options: [
			{
				name: 'parameters',
				displayName: 'Field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Field name. Use the same name more than once to send several values.',
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
		displayName: 'Body',
		name: 'body',
		type: 'string',
		displayOptions: {
			show: { operation: ['request'], sendBody: [true], specifyBody: ['string'] },
		},
		default: '',
		placeholder: 'field1=value1&field2=value2',
		description: 'The encoded form, sent as it is',
	},

	// n8n binary file
	{
		displayName: 'Input Data Field Name',
		name: 'inputDataFieldName',
		type: 'string',
		displayOptions: { show: { operation: ['request'], sendBody: [true], contentType: ['binaryData'] } },
		default: '',
		placeholder: 'e.g. data',
		description:
			'Name of the binary field of the input item whose file is the body. Its MIME type becomes the Content-Type unless you set that header yourself.',
	},

	// raw
	{
		displayName: 'Content Type',
		name: 'rawContentType',
		type: 'string',
		displayOptions: { show: { operation: ['request'], sendBody: [true], contentType: ['raw'] } },
		default: '',
		placeholder: 'e.g. text/xml',
		description: 'Value of the Content-Type header sent with the body',
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		displayOptions: { show: { operation: ['request'], sendBody: [true], contentType: ['raw'] } },
		typeOptions: { rows: 5 },
		default: '',
		description: 'Text sent as the body, exactly as written',
	},
];
