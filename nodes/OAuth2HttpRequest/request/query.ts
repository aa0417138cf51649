import type { IDataObject } from 'n8n-workflow';

import { fieldText } from './encode';
import { addNamedEntries, jsonObjectParameter, type ItemParameters, type NameValue } from './parameters';

/** "Send Query Parameters": the query of one item, as name/value rows or a JSON object. */
export function readQuery(parameters: ItemParameters): IDataObject {
	if (!parameters.get('sendQuery', false)) return {};
	if (parameters.get<string>('specifyQuery', 'keypair') === 'json') {
		return jsonObjectParameter(parameters, 'jsonQuery', 'JSON Query Parameters');
	}
	const entries = parameters.get<NameValue[]>('queryParameters.parameters', []);
	return addNamedEntries(parameters, {}, entries, (entry) => [fieldText(entry.name), entry.value ?? '']);
}
