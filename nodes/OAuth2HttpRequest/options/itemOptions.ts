import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { DEFAULT_OUTPUT_PROPERTY_NAME, DEFAULT_TIMEOUT_MS } from '../defaults';
import { fieldText } from '../request/encode';
import { RESPONSE_FORMATS, type ResponseFormat, type ResponseOptions } from '../response/responseConfig';
import { parseProxy } from './proxy';

// The Options of one item that shape its request and its output. The options that steer sending
// for the whole run (concurrency, retries, batching, redirects) are in runOptions.ts.

export type QueryArrayFormat = 'brackets' | 'indices' | 'repeat';

export interface ItemOptions {
	response: ResponseOptions;
	/** Header names as the user typed them are lowercased unless "Lowercase Headers" is off. */
	lowercaseHeaders: boolean;
	arrayFormat: QueryArrayFormat;
	timeout: number;
	skipSslCertificateValidation: boolean;
	proxy?: NonNullable<IHttpRequestOptions['proxy']>;
}

export function asObject(value: unknown): IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** Options > Response with the defaults of the HTTP Request node. */
export function parseResponseOptions(options: IDataObject): ResponseOptions {
	const response = asObject(asObject(options.response).response);
	const format = String(response.responseFormat ?? 'autodetect') as ResponseFormat;
	const outputPropertyName = String(response.outputPropertyName ?? '').trim();
	return {
		responseFormat: RESPONSE_FORMATS.includes(format) ? format : 'autodetect',
		fullResponse: response.fullResponse === true,
		neverError: response.neverError === true,
		outputPropertyName: outputPropertyName || DEFAULT_OUTPUT_PROPERTY_NAME,
	};
}

function queryArrayFormat(value: unknown): QueryArrayFormat {
	return value === 'indices' || value === 'repeat' ? value : 'brackets';
}

/** The raw Options collection of one item, parsed. Throws a plain Error for a proxy that is not an address. */
export function parseItemOptions(raw: unknown): ItemOptions {
	const options = asObject(raw);
	const result: ItemOptions = {
		response: parseResponseOptions(options),
		lowercaseHeaders: options.lowercaseHeaders !== false,
		arrayFormat: queryArrayFormat(options.queryParameterArrays),
		timeout: Number(options.timeout) > 0 ? Number(options.timeout) : DEFAULT_TIMEOUT_MS,
		skipSslCertificateValidation: options.allowUnauthorizedCerts === true,
	};
	const proxy = fieldText(options.proxy).trim();
	if (proxy !== '') result.proxy = parseProxy(proxy);
	return result;
}
