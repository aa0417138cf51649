'use strict';
// The smallest community node: if n8n's loader finds it and runs it, the cached n8n can load packages.
class RuntimeProbe {
	constructor() {
		this.description = {
			displayName: 'Runtime Probe',
			name: 'runtimeProbe',
			group: ['transform'],
			version: 1,
			description: 'Says it was loaded',
			defaults: { name: 'Runtime Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}

	async execute() {
		return [[{ json: { probe: 'loaded' } }]];
	}
}

module.exports = { RuntimeProbe };
