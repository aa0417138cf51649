import { NodeOperationError } from 'n8n-workflow';

import { toN8nPagination } from '../../../../../nodes/OAuth2HttpRequest/pagination/paginate';
import { applyPageUpdate } from '../../../../../nodes/OAuth2HttpRequest/pagination/pageUpdate';
import { parsePagination, readPagination } from '../../../../../nodes/OAuth2HttpRequest/pagination/parsePagination';
import { fakeContext } from '../../../../support/fakeN8n';

const pageParam = { parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] } };

describe('parsePagination', () => {
	it('is off when unset or off', () => {
		expect(parsePagination(undefined)).toBeUndefined();
		expect(parsePagination(null)).toBeUndefined();
		expect(parsePagination({ paginationMode: 'off' })).toBeUndefined();
	});

	it('reads "Update a Parameter in Each Request" with the defaults of the HTTP Request node', () => {
		expect(parsePagination(pageParam)).toEqual({
			mode: 'updateAParameterInEachRequest',
			parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }],
			completeWhen: 'responseIsEmpty',
			statusCodesWhenComplete: new Set(),
			requestInterval: 0,
		});
	});

	it('reads "Response Contains Next URL" with status codes, a page limit and an interval', () => {
		const config = parsePagination({
			paginationMode: 'responseContainsNextURL',
			nextURL: '={{ $response.body.next }}',
			paginationCompleteWhen: 'receiveSpecificStatusCodes',
			statusCodesWhenComplete: '204, 404',
			limitPagesFetched: true,
			maxRequests: 10,
			requestInterval: 250,
		});
		expect(config).toEqual({
			mode: 'responseContainsNextURL',
			nextURL: '={{ $response.body.next }}',
			parameters: [],
			completeWhen: 'receiveSpecificStatusCodes',
			statusCodesWhenComplete: new Set([204, 404]),
			maxPages: 10,
			requestInterval: 250,
		});
	});

	it('reads "Other" with its expression and ignores Max Pages unless limited', () => {
		const config = parsePagination({ ...pageParam, paginationCompleteWhen: 'other', completeExpression: '={{ !$response.body.more }}', maxRequests: 5 });
		expect(config?.completeExpression).toBe('={{ !$response.body.more }}');
		expect(config?.maxPages).toBeUndefined();
	});

	it.each([
		[{ paginationMode: 'sideways' }, 'Pagination Mode "sideways" is not known'],
		[{ paginationMode: 'responseContainsNextURL', nextURL: '' }, 'enter the Next URL'],
		[{ parameters: { parameters: [{ type: 'qs', name: '', value: '' }] } }, 'needs at least one parameter with a name and a value'],
		[{ parameters: { parameters: [{ type: 'qs', name: '', value: '={{1}}' }] } }, 'parameter 1 has no name'],
		[{ parameters: { parameters: [{ type: 'qs', name: 'a', value: '1' }, { type: 'qs', name: 'page', value: '' }] } }, 'parameter 2 ("page") has no value'],
		[{ parameters: { parameters: [{ type: 'cookie', name: 'a', value: '1' }] } }, 'unknown type "cookie"'],
		[{ ...pageParam, paginationCompleteWhen: 'receiveSpecificStatusCodes', statusCodesWhenComplete: '' }, 'enter the Status Code(s) When Complete'],
		[{ ...pageParam, paginationCompleteWhen: 'receiveSpecificStatusCodes', statusCodesWhenComplete: '20x' }, '"Status Code(s) When Complete" contains "20x"'],
		[{ ...pageParam, paginationCompleteWhen: 'other', completeExpression: ' ' }, 'enter the Complete Expression'],
		[{ ...pageParam, paginationCompleteWhen: 'never' }, 'Pagination Complete When "never" is not known'],
		[{ ...pageParam, limitPagesFetched: true, maxRequests: 0 }, 'Max Pages must be a whole number of 1 or more'],
		[{ ...pageParam, requestInterval: -5 }, 'Interval Between Requests must be 0 or more'],
	])('refuses %j', (raw, message) => {
		expect(() => parsePagination(raw)).toThrow(message);
	});

	it('is read once from item 0 with raw expressions, errors as NodeOperationError', () => {
		const context = fakeContext({ params: { operation: 'request', options: { pagination: { pagination: pageParam } } } });
		expect(readPagination(context)?.parameters[0].name).toBe('page');
		expect(context.calls.getNodeParameter.find((call) => call.name === 'options.pagination.pagination')).toEqual({
			name: 'options.pagination.pagination',
			itemIndex: 0,
			options: { rawExpressions: true },
		});
		expect(readPagination(fakeContext({ params: { operation: 'request' } }))).toBeUndefined();
		expect(readPagination(fakeContext({ params: { operation: 'getAccessToken', options: { pagination: { pagination: pageParam } } } }))).toBeUndefined();
		expect(() => readPagination(fakeContext({ params: { options: { pagination: { pagination: { paginationMode: 'x' } } } } }))).toThrow(NodeOperationError);
	});
});

describe('toN8nPagination', () => {
	const parse = (raw: Record<string, unknown>) => parsePagination(raw)!;

	it('puts parameters to update where n8n merges them, expressions untouched', () => {
		const options = toN8nPagination(
			parse({
				paginationMode: 'updateAParameterInEachRequest',
				parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $response.body.nextPage }}' }] },
				paginationCompleteWhen: 'responseIsEmpty',
			}),
			false,
		);
		expect(options.request).toEqual({ qs: { page: '={{ $response.body.nextPage }}' } });
		expect(options.maxRequests).toBeUndefined();
		expect(String(options.continue)).toMatch(/^=\{\{ .*\$response\.body.* \}\}$/);
	});

	it('takes the next URL and stops on the listed status codes', () => {
		const options = toN8nPagination(
			parse({
				paginationMode: 'responseContainsNextURL',
				nextURL: '={{ $response.body.next }}',
				paginationCompleteWhen: 'receiveSpecificStatusCodes',
				statusCodesWhenComplete: '404, 410',
				limitPagesFetched: true,
				maxRequests: 7,
			}),
			false,
		);
		expect(options.request).toEqual({ url: '={{ $response.body.next }}' });
		expect(options.continue).toBe('={{ ![404,410].includes($response.statusCode) }}');
		expect(options.maxRequests).toBe(7);
	});

	it('ends a failed page in an error unless Never Error is on', () => {
		const raw = {
			paginationMode: 'updateAParameterInEachRequest',
			parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
			paginationCompleteWhen: 'other',
			completeExpression: '={{ $response.body.done }}',
		};
		expect(toN8nPagination(parse(raw), false).continue).toBe(
			'={{ !( $response.body.done ) || ($response.statusCode < 200 || $response.statusCode >= 300) }}',
		);
		expect(toN8nPagination(parse(raw), true).continue).toBe('={{ !( $response.body.done ) }}');
	});
});

describe('applyPageUpdate', () => {
	const options = {
		method: 'POST' as const,
		url: 'https://api.example.com/items?x=1',
		qs: { page: 1, size: 50 },
		headers: { 'x-cursor': 'a', accept: 'application/json' },
	};

	it('sets query parameters and headers without touching the original', () => {
		const next = applyPageUpdate(options, undefined, { qs: { page: 2 }, headers: { 'X-Cursor': 'b' } });
		expect(next.qs).toEqual({ page: 2, size: 50 });
		expect(next.headers).toEqual({ accept: 'application/json', 'X-Cursor': 'b' });
		expect(options.qs.page).toBe(1);
		expect(options.headers['x-cursor']).toBe('a');
	});

	it('takes a next URL and drops query parameters it already carries', () => {
		const next = applyPageUpdate(options, undefined, { url: 'https://api.example.com/items?page=7' });
		expect(next.url).toBe('https://api.example.com/items?page=7');
		expect(next.qs).toEqual({ size: 50 });
	});

	it('merges body parameters into JSON and form bodies, or makes a JSON body', () => {
		expect(applyPageUpdate({ ...options, body: { filter: 'x' } }, 'json', { body: { cursor: 'c' } }).body).toEqual({ filter: 'x', cursor: 'c' });
		expect(applyPageUpdate({ ...options, body: '{}' }, 'json', { body: { cursor: 'c' } }).body).toEqual({ cursor: 'c' });
		expect(applyPageUpdate({ ...options, body: 'a=1&page=1' }, 'form-urlencoded', { body: { page: 2 } }).body).toBe('a=1&page=2');
		const created = applyPageUpdate(options, undefined, { body: { page: 2 } });
		expect(created.body).toEqual({ page: 2 });
		expect(created.headers).toMatchObject({ 'content-type': 'application/json' });
		expect(() => applyPageUpdate({ ...options, body: Buffer.from('x') }, 'multipart-form-data', { body: { page: 2 } })).toThrow(
			'a Body parameter works with a JSON or Form URL Encoded body only',
		);
	});
});
