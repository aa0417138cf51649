import { existsSync } from 'fs';
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { nodeProperties } from '../../../../../nodes/OAuth2HttpRequest/description';

type Option = INodeProperties | INodePropertyOptions | INodePropertyCollection;

// The runtime cache that scripts/n8n-runtime/ensure.sh fills (npm run setup:n8n, the first step of the
// README's test command): the test fails without it rather than skipping.
const N8N_CACHE = process.env.OAUTH2_GRANTS_CACHE || `${process.env.HOME}/.cache/n8n-nodes-oauth2-grants`;
const N8N_DESCRIPTION = `${N8N_CACHE}/n8n-2.41.1/node_modules/n8n-nodes-base/dist/nodes/HttpRequest/V3/Description.js`;

/** Our parameters shown for "Send Request", matched to n8n's by name and body-related display conditions. */
function key(property: INodeProperties): string {
	const show = { ...(property.displayOptions?.show ?? {}) } as Record<string, unknown>;
	delete show.operation;
	return `${property.name} ${JSON.stringify(show.contentType ?? '')} ${JSON.stringify(show.specifyBody ?? '')}`;
}

/** What has to be equal for a converted workflow to keep its meaning: names, types, values, defaults. */
function shape(option: Option): unknown {
	if ('type' in option && option.type === 'notice') return undefined;
	if ('values' in option) {
		const values = option.values.map(shape).filter(Boolean);
		return { name: option.name, values: values.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
	}
	if (!('type' in option)) return { value: (option as INodePropertyOptions).value };
	const property = option as INodeProperties;
	const options = (property.options ?? []) as Option[];
	return {
		name: property.name,
		type: property.type,
		default: property.default,
		options: options
			.filter((entry) => !('displayOptions' in entry && JSON.stringify(entry.displayOptions).includes('webdavMethods')))
			.map(shape)
			.filter(Boolean)
			.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
	};
}

describe('node description', () => {
	const byName = new Map(nodeProperties.map((property) => [property.name, property]));

	it('has authentication and operation with the agreed values and defaults', () => {
		const authentication = byName.get('authentication')!;
		expect(authentication.default).toBe('clientCredentialsOAuth2Api');
		expect((authentication.options as INodePropertyOptions[]).map((o) => [o.value, o.name])).toEqual([
			['clientCredentialsOAuth2Api', 'OAuth2 Client Credentials'],
			['passwordGrantOAuth2Api', 'OAuth2 Password Grant'],
		]);
		const operations = nodeProperties.filter((p) => p.name === 'operation');
		const operation = operations.find((p) => p.displayOptions?.show?.['@tool']?.[0] === false)!;
		const toolOperation = operations.find((p) => p.displayOptions?.show?.['@tool']?.[0] === true)!;
		// An agent's tool never offers the token itself: its operation is fixed to requests.
		expect(toolOperation).toMatchObject({ type: 'hidden', default: 'request' });
		expect(toolOperation.options).toBeUndefined();
		expect(operation.default).toBe('request');
		expect((operation.options as INodePropertyOptions[]).map((o) => o.value).sort()).toEqual(['getAccessToken', 'request']);
	});

	it('shows every request parameter for Send Request only', () => {
		for (const property of nodeProperties) {
			if (property.name === 'authentication' || property.name === 'operation') continue;
			expect(property.displayOptions?.show?.operation).toEqual(['request']);
		}
	});

	it('has our own options with the agreed names and defaults', () => {
		const options = byName.get('options')!.options as INodeProperties[];
		const own = Object.fromEntries(
			options.filter((o) => ['concurrency', 'renewTokenOnStatus', 'retryOnStatus', 'maxRetries'].includes(o.name)).map((o) => [o.name, [o.type, o.default]]),
		);
		expect(own).toEqual({
			concurrency: ['number', 5],
			renewTokenOnStatus: ['multiOptions', ['401']],
			retryOnStatus: ['string', '429, 502, 503, 504'],
			maxRetries: ['number', 2],
		});
	});

	it('keeps the option names in alphabetical order of their display names', () => {
		const options = byName.get('options')!.options as INodeProperties[];
		const names = options.map((o) => o.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	it('matches the HTTP Request node (v4) in every shared parameter', () => {
		if (!existsSync(N8N_DESCRIPTION)) {
			throw new Error(`n8n 2.41.1 is not in the runtime cache (${N8N_DESCRIPTION}): run npm run setup:n8n first`);
		}
		const { mainProperties } = require(N8N_DESCRIPTION) as { mainProperties: INodeProperties[] };
		const n8n = new Map<string, INodeProperties>();
		for (const property of mainProperties) n8n.set(key(property), property);
		const ours = nodeProperties.filter((p) => !['authentication', 'operation', 'options'].includes(p.name));
		for (const property of ours) {
			const theirs = n8n.get(key(property));
			expect({ key: key(property), shape: theirs && shape(theirs) }).toEqual({ key: key(property), shape: shape(property) });
		}

		const theirOptions = new Map(
			(mainProperties.find((p) => p.name === 'options')!.options as INodeProperties[])
				// Redirects exists twice in n8n: shown for v1-3, and (following by default) for v4.
				.filter((o) => !JSON.stringify(o.displayOptions?.show ?? {}).includes('@version'))
				.map((o) => [o.name, o]),
		);
		const ourOptions = byName.get('options')!.options as INodeProperties[];
		const shared = ourOptions.filter((o) => theirOptions.has(o.name));
		expect(shared.map((o) => o.name).sort()).toEqual(
			['allowUnauthorizedCerts', 'batching', 'lowercaseHeaders', 'pagination', 'proxy', 'queryParameterArrays', 'redirect', 'response', 'timeout'],
		);
		for (const option of shared) {
			expect(shape(option)).toEqual(shape(theirOptions.get(option.name)!));
		}
	});
});
