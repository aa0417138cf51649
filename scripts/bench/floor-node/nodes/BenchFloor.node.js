'use strict';
// The floor of `npm run bench`: the cheapest programmatic node that does the benchmark's work. Each
// item's URL is read as n8n resolves it for that item, the request goes through n8n's
// `helpers.httpRequest` with one fixed Authorization header (no credential, no token handling, no
// checks), at most `concurrency` at once (0: all at once), and each response body becomes one item
// with its pairedItem, as the package's node outputs a JSON object. The header value comes from the
// process's environment (BENCH_FLOOR_AUTHORIZATION), so the bench can hand each execution a token
// the lab accepts without a credential. Not shipped: it lives beside the benchmark only.
class BenchFloor {
	constructor() {
		this.description = {
			displayName: 'Bench Floor',
			name: 'benchFloor',
			group: ['transform'],
			version: 1,
			description: 'One GET per item with a fixed Authorization header',
			defaults: { name: 'Bench Floor' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'URL', name: 'url', type: 'string', default: '' },
				{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 5 },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const limit = Number(this.getNodeParameter('concurrency', 0, 5));
		const headers = { authorization: process.env.BENCH_FLOOR_AUTHORIZATION ?? '' };
		const results = new Array(items.length);
		let next = 0;
		const lane = async () => {
			while (next < items.length) {
				const itemIndex = next++;
				const url = this.getNodeParameter('url', itemIndex);
				const body = await this.helpers.httpRequest({ method: 'GET', url, headers });
				results[itemIndex] = { json: body, pairedItem: { item: itemIndex } };
			}
		};
		const width = limit > 0 ? Math.min(limit, items.length) : items.length;
		await Promise.all(Array.from({ length: width }, lane));
		return [results];
	}
}

module.exports = { BenchFloor };
