import { NodeOperationError } from 'n8n-workflow';

import type { PaginationConfig } from '../../../nodes/OAuth2HttpRequest/transport/pagination';
import {
	applyPageUpdate,
	isResponseEmpty,
	nextPageOutcome,
	parsePagination,
	readPagination,
} from '../../../nodes/OAuth2HttpRequest/transport/pagination';
import { fakeContext } from './fakeContext';

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

describe('page completion', () => {
	const base = parsePagination(pageParam) as PaginationConfig;
	const never = () => {
		throw new Error('must not be evaluated');
	};

	it('knows empty bodies', () => {
		for (const empty of [undefined, null, '', '  \n', [], {}, Buffer.alloc(0), false, 0]) expect(isResponseEmpty(empty)).toBe(true);
		for (const full of ['x', [0], { a: 1 }, Buffer.from('x'), true, 1]) expect(isResponseEmpty(full)).toBe(false);
	});

	it('responseIsEmpty: next while data comes, complete when empty, fail on an error page', async () => {
		expect(await nextPageOutcome(base, { statusCode: 200, body: [1] }, 1, false, never)).toBe('next');
		expect(await nextPageOutcome(base, { statusCode: 200, body: [] }, 2, false, never)).toBe('complete');
		expect(await nextPageOutcome(base, { statusCode: 500, body: 'boom' }, 2, false, never)).toBe('fail');
		expect(await nextPageOutcome(base, { statusCode: 500, body: 'boom' }, 2, true, never)).toBe('fail');
	});

	it('receiveSpecificStatusCodes: complete on a listed status, even an error status', async () => {
		const config = { ...base, completeWhen: 'receiveSpecificStatusCodes' as const, statusCodesWhenComplete: new Set([404]) };
		expect(await nextPageOutcome(config, { statusCode: 404, body: 'x' }, 3, false, never)).toBe('complete');
		expect(await nextPageOutcome(config, { statusCode: 200, body: [] }, 3, false, never)).toBe('next');
		expect(await nextPageOutcome(config, { statusCode: 429, body: '' }, 3, false, never)).toBe('fail');
	});

	it('other: evaluates the expression; without Never Error an error page fails unevaluated', async () => {
		const config = { ...base, completeWhen: 'other' as const, completeExpression: '={{ true }}' };
		expect(await nextPageOutcome(config, { statusCode: 200, body: {} }, 1, false, () => true)).toBe('complete');
		expect(await nextPageOutcome(config, { statusCode: 200, body: {} }, 1, false, async () => false)).toBe('next');
		expect(await nextPageOutcome(config, { statusCode: 503, body: {} }, 1, false, never)).toBe('fail');
		expect(await nextPageOutcome(config, { statusCode: 503, body: {} }, 1, true, () => true)).toBe('complete');
		expect(await nextPageOutcome(config, { statusCode: 503, body: {} }, 1, true, () => false)).toBe('fail');
	});

	it('stops at Max Pages', async () => {
		const config = { ...base, maxPages: 2 };
		expect(await nextPageOutcome(config, { statusCode: 200, body: [1] }, 1, false, never)).toBe('next');
		expect(await nextPageOutcome(config, { statusCode: 200, body: [1] }, 2, false, never)).toBe('complete');
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
