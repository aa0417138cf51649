import type { IDataObject } from 'n8n-workflow';

import type { ResponseFormat } from '../response/responseConfig';
import { fieldText, findHeader } from './encode';
import { addNamedEntries, jsonObjectParameter, type ItemParameters, type NameValue } from './parameters';

/** The Accept header sent when the user sets none, by response format (as the HTTP Request node does). */
const ACCEPT_BY_FORMAT: Record<ResponseFormat, string> = {
	json: 'application/json,text/*;q=0.99',
	text: 'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1',
	autodetect:
		'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7',
	file: 'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7',
};

function headerValueText(value: unknown): string | string[] {
	return Array.isArray(value) ? value.map(fieldText) : fieldText(value);
}

/** "Send Headers": the user's headers of one item, names lowercased unless `lowercase` is off. */
export function readHeaders(parameters: ItemParameters, lowercase: boolean): IDataObject {
	const headers: IDataObject = {};
	if (!parameters.get('sendHeaders', false)) return headers;
	const headerName = (name: string) => (lowercase ? name.toLowerCase() : name);
	if (parameters.get<string>('specifyHeaders', 'keypair') === 'json') {
		const given = jsonObjectParameter(parameters, 'jsonHeaders', 'JSON Headers');
		for (const [name, value] of Object.entries(given)) headers[headerName(name.trim())] = headerValueText(value);
		return headers;
	}
	const entries = parameters.get<NameValue[]>('headerParameters.parameters', []);
	return addNamedEntries(parameters, headers, entries, (entry) => {
		const name = fieldText(entry.name).trim();
		return [name === '' ? '' : headerName(name), headerValueText(entry.value)];
	});
}

/** Adds an Accept header fitting the response format, unless the user set one. */
export function addDefaultAccept(headers: IDataObject, format: ResponseFormat): void {
	if (findHeader(headers, 'accept') === undefined) headers.accept = ACCEPT_BY_FORMAT[format];
}
