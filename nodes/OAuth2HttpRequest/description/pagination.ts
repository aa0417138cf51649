import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_PAGES } from '../defaults';

export const paginationOption: INodeProperties = {
	displayName: 'Pagination',
	name: 'pagination',
	placeholder: 'Add Pagination',
	type: 'fixedCollection',
	typeOptions: { multipleValues: false },
	default: { pagination: {} },
	options: [
		{
			displayName: 'Pagination',
			name: 'pagination',
			values: [
				{
					displayName:
						'About the fields below: $response holds the last response (body, headers, statusCode), $pageCount the number of pages fetched so far and $request the request that was sent',
					name: 'paginationNotice',
					type: 'notice',
					displayOptions: { hide: { paginationMode: ['off'] } },
					default: '',
				},
				{
					displayName: 'Complete Expression',
					name: 'completeExpression',
					type: 'string',
					displayOptions: { show: { paginationCompleteWhen: ['other'] } },
					default: '',
					placeholder: 'e.g. {{ !$response.body.hasMore }}',
					description: 'Expression that is true once the last page has been fetched',
				},
				{
					displayName: 'Interval Between Requests (Milliseconds)',
					name: 'requestInterval',
					type: 'number',
					displayOptions: { hide: { paginationMode: ['off'] } },
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'Milliseconds to wait before asking for the next page; 0 asks at once',
				},
				{
					displayName: 'Limit Pages Fetched',
					name: 'limitPagesFetched',
					type: 'boolean',
					typeOptions: { noDataExpression: true },
					displayOptions: { hide: { paginationMode: ['off'] } },
					default: false,
					noDataExpression: true,
					description: 'Whether to stop after a number of pages even if more are available',
				},
				{
					displayName: 'Max Pages',
					name: 'maxRequests',
					type: 'number',
					typeOptions: { noDataExpression: true, minValue: 1 },
					displayOptions: { show: { limitPagesFetched: [true] } },
					default: DEFAULT_MAX_PAGES,
					description: 'Highest number of pages to fetch for one item',
				},
				{
					displayName: 'Next URL',
					name: 'nextURL',
					type: 'string',
					displayOptions: { show: { paginationMode: ['responseContainsNextURL'] } },
					default: '',
					placeholder: 'e.g. {{ $response.body.next }}',
					description: 'Expression giving the address of the next page',
				},
				{
					displayName: 'Pagination Complete When',
					name: 'paginationCompleteWhen',
					type: 'options',
					typeOptions: { noDataExpression: true },
					displayOptions: { hide: { paginationMode: ['off'] } },
					options: [
						{
							name: 'Other',
							value: 'other',
							description: 'An expression of your own decides',
						},
						{
							name: 'Receive Specific Status Code(s)',
							value: 'receiveSpecificStatusCodes',
							description: 'Stop when the server answers with one of the listed status codes',
						},
						{
							name: 'Response Is Empty',
							value: 'responseIsEmpty',
							description: 'Stop when a page comes back without data',
						},
					],
					default: 'responseIsEmpty',
					description: 'When to stop asking for more pages',
				},
				{
					displayName: 'Pagination Mode',
					name: 'paginationMode',
					type: 'options',
					typeOptions: { noDataExpression: true },
					options: [
						{
							name: 'Off',
							value: 'off',
							description: 'Send one request per item',
						},
						{
							name: 'Response Contains Next URL',
							value: 'responseContainsNextURL',
							description: 'Each response tells where the next page is',
						},
						{
							name: 'Update a Parameter in Each Request',
							value: 'updateAParameterInEachRequest',
							description: 'Change a query, header or body value from page to page',
						},
					],
					default: 'updateAParameterInEachRequest',
					description: 'How to fetch further pages after the first response',
				},
				{
					displayName: 'Parameters',
					name: 'parameters',
					type: 'fixedCollection',
					displayOptions: { show: { paginationMode: ['updateAParameterInEachRequest'] } },
					typeOptions: { multipleValues: true, noExpression: true },
					placeholder: 'Add Parameter',
					default: { parameters: [{ type: 'qs', name: '', value: '' }] },
					options: [
						{
							name: 'parameters',
							displayName: 'Parameter',
							values: [
								{
									displayName: 'Type',
									name: 'type',
									type: 'options',
									options: [
										{ name: 'Body', value: 'body' },
										{ name: 'Header', value: 'headers' },
										{ name: 'Query', value: 'qs' },
									],
									default: 'qs',
									description: 'Part of the request the parameter goes into',
								},
								{
									displayName: 'Name',
									name: 'name',
									type: 'string',
									default: '',
									placeholder: 'e.g. page',
								},
								{
									displayName: 'Value',
									name: 'value',
									type: 'string',
									default: '',
									placeholder: 'e.g. {{ $pageCount + 1 }}',
									hint: 'Usually an expression that uses $response or $pageCount',
								},
							],
						},
					],
				},
				{
					displayName: 'Status Code(s) When Complete',
					name: 'statusCodesWhenComplete',
					type: 'string',
					typeOptions: { noDataExpression: true },
					displayOptions: { show: { paginationCompleteWhen: ['receiveSpecificStatusCodes'] } },
					default: '',
					placeholder: 'e.g. 204, 404',
					description: 'Status codes separated by commas',
				},
			],
		},
	],
};
