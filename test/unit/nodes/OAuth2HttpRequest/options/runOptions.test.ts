import { NodeOperationError } from 'n8n-workflow';

import { parseRunOptions, readRunOptions } from '../../../../../nodes/OAuth2HttpRequest/options/runOptions';
import { fakeContext } from '../../../../support/fakeN8n';

describe('run options', () => {
	it('has defaults that keep a converted HTTP Request node working', () => {
		expect(parseRunOptions({})).toEqual({
			concurrency: 5,
			renewTokenOnStatus: new Set([401]),
			retryOnStatus: new Set([429, 502, 503, 504]),
			maxRetries: 2,
			followRedirects: true,
			maxRedirects: 21,
			neverError: false,
		});
	});

	it('reads every option', () => {
		const options = parseRunOptions({
			concurrency: 0,
			renewTokenOnStatus: '401, 403',
			retryOnStatus: '',
			maxRetries: 0,
			batching: { batch: { batchSize: 0, batchInterval: 500 } },
			redirect: { redirect: { followRedirects: false } },
			response: { response: { neverError: true } },
		});
		expect(options).toMatchObject({
			concurrency: 0,
			renewTokenOnStatus: new Set([401, 403]),
			retryOnStatus: new Set(),
			maxRetries: 0,
			batching: { batchSize: 1, batchInterval: 500 },
			followRedirects: false,
			neverError: true,
		});
	});

	it('has no batching when it is off or has no interval', () => {
		expect(parseRunOptions({ batching: { batch: { batchSize: -1, batchInterval: 500 } } }).batching).toBeUndefined();
		expect(parseRunOptions({ batching: { batch: { batchSize: 10, batchInterval: 0 } } }).batching).toBeUndefined();
		expect(parseRunOptions({ batching: { batch: {} } }).batching).toEqual({ batchSize: 50, batchInterval: 1000 });
	});

	it('names a wrong option', () => {
		expect(() => parseRunOptions({ concurrency: -1 })).toThrow('"Concurrent Requests" must be a whole number of 0 or more');
		expect(() => parseRunOptions({ maxRetries: 1.5 })).toThrow('"Max Retries"');
		expect(() => parseRunOptions({ retryOnStatus: '5xx' })).toThrow('"Retry on Status Codes" contains "5xx"');
		expect(() => readRunOptions(fakeContext({ params: { options: { renewTokenOnStatus: 'x' } } }))).toThrow(NodeOperationError);
	});
});
