'use strict';
// The floor + credential way of `npm run bench`: the floor (BenchFloor.node.js), item for item the
// same, except that the Authorization header is read from the node's credential for each item with
// `this.getCredentials(type, itemIndex)`, as any node must whose credential fields may be
// expressions of the item. So this is the least any n8n node costs that resolves its credential per
// item; the difference to the floor is n8n's credential read. With Credential Type set to this
// package's type (the floor + this credential way), it reads that credential per item instead, and
// sends the floor's fixed header: the difference to (c) is then the work of the package's node.
// Not shipped.
const CREDENTIAL = 'benchFloorTokenApi';
const PACKAGE_CREDENTIAL = 'clientCredentialsOAuth2Api';

class BenchFloorCredential {
	constructor() {
		this.description = {
			displayName: 'Bench Floor Credential',
			name: 'benchFloorCredential',
			group: ['transform'],
			version: 1,
			description: "One GET per item with the Authorization header from the item's credential",
			defaults: { name: 'Bench Floor Credential' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [
				{ name: CREDENTIAL, required: true, displayOptions: { show: { credentialType: [CREDENTIAL] } } },
				{ name: PACKAGE_CREDENTIAL, required: true, displayOptions: { show: { credentialType: [PACKAGE_CREDENTIAL] } } },
			],
			properties: [
				{
					displayName: 'Credential Type',
					name: 'credentialType',
					type: 'options',
					options: [
						{ name: 'Bench Floor Token', value: CREDENTIAL },
						{ name: 'OAuth2 Client Credentials (this package)', value: PACKAGE_CREDENTIAL },
					],
					default: CREDENTIAL,
				},
				{ displayName: 'URL', name: 'url', type: 'string', default: '' },
				{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 5 },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const limit = Number(this.getNodeParameter('concurrency', 0, 5));
		const type = this.getNodeParameter('credentialType', 0, CREDENTIAL);
		const fixed = process.env.BENCH_FLOOR_AUTHORIZATION ?? '';
		const results = new Array(items.length);
		let next = 0;
		const lane = async () => {
			while (next < items.length) {
				const itemIndex = next++;
				const url = this.getNodeParameter('url', itemIndex);
				const credential = await this.getCredentials(type, itemIndex);
				const authorization = type === CREDENTIAL ? credential.authorization : fixed;
				const body = await this.helpers.httpRequest({ method: 'GET', url, headers: { authorization } });
				results[itemIndex] = { json: body, pairedItem: { item: itemIndex } };
			}
		};
		const width = limit > 0 ? Math.min(limit, items.length) : items.length;
		await Promise.all(Array.from({ length: width }, lane));
		return [results];
	}
}

module.exports = { BenchFloorCredential };
