'use strict';
// The credential of the floor + credential way of `npm run bench`: one stored field, the whole
// Authorization header value. Nothing to renew, test or authenticate: what n8n costs to hand a node
// its credential (database read, decryption, expression resolution) and nothing else.
class BenchFloorTokenApi {
	constructor() {
		this.name = 'benchFloorTokenApi';
		this.displayName = 'Bench Floor Token';
		this.properties = [{ displayName: 'Authorization', name: 'authorization', type: 'string', typeOptions: { password: true }, default: '' }];
	}
}

module.exports = { BenchFloorTokenApi };
