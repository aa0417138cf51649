import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addRepeatable, encodeForm, fieldText, findHeader, replaceHeader, setPath } from './encode';
import type { MultipartPart } from './multipart';
import { createBoundary, encodeMultipart, multipartContentType } from './multipart';
import type { BodyContentType, HttpRequestOptions, ItemRequest, ResponseConfig, ResponseFormat } from './types';
import { joinUrl } from './url';

export type { BodyContentType, HttpRequestOptions, ItemRequest, ResponseConfig, ResponseFormat } from './types';

export const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

/** Methods that never carry a body, as in n8n's HTTP Request node. */
const METHODS_WITHOUT_BODY = new Set(['HEAD', 'OPTIONS', 'TRACE']);

/** Without the Timeout option the HTTP Request node waits 5 minutes; so do we. */
export const DEFAULT_TIMEOUT_MS = 300_000;

export const DEFAULT_MAX_REDIRECTS = 21;

const RESPONSE_FORMATS: ResponseFormat[] = ['autodetect', 'file', 'json', 'text'];

/** The Accept header sent when the user sets none, by response format (as the HTTP Request node does). */
const ACCEPT_BY_FORMAT: Record<ResponseFormat, string> = {
	json: 'application/json,text/*;q=0.99',
	text: 'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1',
	autodetect:
		'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7',
	file: 'application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7',
};

interface NameValue {
	name?: unknown;
	value?: unknown;
	parameterType?: unknown;
	inputDataFieldName?: unknown;
}

function asObject(value: unknown): IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {};
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Reads Options > Response with the defaults of the HTTP Request node. */
export function readResponseConfig(options: IDataObject, url: string): ResponseConfig {
	const response = asObject(asObject(options.response).response);
	const format = String(response.responseFormat ?? 'autodetect') as ResponseFormat;
	const outputPropertyName = String(response.outputPropertyName ?? '').trim();
	return {
		responseFormat: RESPONSE_FORMATS.includes(format) ? format : 'autodetect',
		fullResponse: response.fullResponse === true,
		neverError: response.neverError === true,
		outputPropertyName: outputPropertyName || 'data',
		url,
	};
}

/**
 * Turns the Proxy option ("http://user:pass@host:3128", or "host:3128") into the object
 * IHttpRequestOptions wants. Throws a plain Error for anything that is not an address.
 */
export function parseProxy(value: string): NonNullable<IHttpRequestOptions['proxy']> {
	const text = value.trim();
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
	let parsed: URL | undefined;
	try {
		parsed = new URL(withScheme);
	} catch {
		parsed = undefined;
	}
	if (!parsed?.hostname) {
		throw new Error(`The proxy "${text}" is not a valid address, such as http://myproxy:3128`);
	}
	const protocol = parsed.protocol.replace(/:$/, '');
	const port = parsed.port ? Number(parsed.port) : protocol === 'https' ? 443 : 80;
	const proxy: NonNullable<IHttpRequestOptions['proxy']> = { protocol, host: parsed.hostname, port };
	if (parsed.username) {
		proxy.auth = {
			username: decodeURIComponent(parsed.username),
			password: decodeURIComponent(parsed.password),
		};
	}
	return proxy;
}

/**
 * Reads every parameter of "Send Request" for one item and builds the request n8n's
 * httpRequest helpers take. Nothing is sent here.
 *
 * - url: joined to `baseUrl` (the credential's API base URL) when relative.
 * - qs with arrayFormat from "Array Format in Query Parameters" (brackets unless set).
 * - headers: the user's (lowercased unless "Lowercase Headers" is off), then Content-Type for
 *   the body and an Accept header fitting the response format, unless the user set them.
 * - body: a JSON value (object, or a JSON string for an empty object or a scalar), an encoded
 *   form string, a multipart Buffer, a binary file Buffer or raw text. See ItemRequest.bodyType.
 * - encoding 'arraybuffer' always: the body comes back as a Buffer and toOutputItems decodes it
 *   as the response format says, so text is kept byte for byte and files stay intact.
 * - returnFullResponse and ignoreHttpStatusErrors are set: statuses are the sender's to judge.
 */
export async function buildItemRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	baseUrl?: string,
): Promise<ItemRequest> {
	const node = ctx.getNode();
	const fail = (message: string, description?: string) =>
		new NodeOperationError(node, message, { itemIndex, ...(description ? { description } : {}) });
	const get = <T>(name: string, fallback: T): T => ctx.getNodeParameter(name, itemIndex, fallback) as T;

	const method = String(get<unknown>('method', 'GET') || 'GET').toUpperCase();
	if (!(METHODS as readonly string[]).includes(method)) {
		throw fail(`"${method}" is not a supported method`, `Use one of ${METHODS.join(', ')}`);
	}

	let url: string;
	try {
		url = joinUrl(baseUrl, get<string>('url', ''));
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message, { itemIndex });
	}

	const options = asObject(get<unknown>('options', {}));
	const response = readResponseConfig(options, url);
	const lowercaseHeaders = options.lowercaseHeaders !== false;

	// Query parameters
	let qs: IDataObject = {};
	if (get('sendQuery', false)) {
		if (get<string>('specifyQuery', 'keypair') === 'json') {
			qs = jsonObjectParameter(ctx, itemIndex, 'jsonQuery', 'JSON Query Parameters');
		} else {
			for (const entry of get<NameValue[]>('queryParameters.parameters', [])) {
				const name = fieldText(entry.name);
				if (name === '') continue;
				try {
					addRepeatable(qs, name, entry.value ?? '');
				} catch (error) {
					throw new NodeOperationError(node, (error as Error).message, { itemIndex });
				}
			}
		}
	}

	// Headers
	const headers: IDataObject = {};
	if (get('sendHeaders', false)) {
		const headerName = (name: string) => (lowercaseHeaders ? name.toLowerCase() : name);
		if (get<string>('specifyHeaders', 'keypair') === 'json') {
			const given = jsonObjectParameter(ctx, itemIndex, 'jsonHeaders', 'JSON Headers');
			for (const [name, value] of Object.entries(given)) {
				headers[headerName(name.trim())] = headerValue(value);
			}
		} else {
			for (const entry of get<NameValue[]>('headerParameters.parameters', [])) {
				const name = fieldText(entry.name).trim();
				if (name === '') continue;
				try {
					addRepeatable(headers, headerName(name), headerValue(entry.value));
				} catch (error) {
					throw new NodeOperationError(node, (error as Error).message, { itemIndex });
				}
			}
		}
	}

	// Body
	let body: IHttpRequestOptions['body'];
	let bodyType: BodyContentType | undefined;
	let reloadBody: ItemRequest['reloadBody'];
	if (get('sendBody', false) && !METHODS_WITHOUT_BODY.has(method)) {
		bodyType = String(get('contentType', 'json')) as BodyContentType;
		switch (bodyType) {
			case 'json': {
				body = jsonBody(ctx, itemIndex);
				if (findHeader(headers, 'content-type') === undefined) headers['content-type'] = 'application/json';
				break;
			}
			case 'form-urlencoded': {
				if (get<string>('specifyBody', 'keypair') === 'string') {
					body = fieldText(get<unknown>('body', ''));
				} else {
					const fields: IDataObject = {};
					for (const entry of get<NameValue[]>('bodyParameters.parameters', [])) {
						const name = fieldText(entry.name);
						if (name === '') continue;
						try {
							addRepeatable(fields, name, entry.value ?? '');
						} catch (error) {
							throw new NodeOperationError(node, (error as Error).message, { itemIndex });
						}
					}
					body = encodeForm(fields);
				}
				replaceHeader(headers, 'content-type', 'application/x-www-form-urlencoded');
				break;
			}
			case 'multipart-form-data': {
				const entries = get<NameValue[]>('bodyParameters.parameters', []);
				const boundary = createBoundary();
				const build = async () => encodeMultipart(await multipartParts(ctx, itemIndex, entries), boundary);
				body = await build();
				reloadBody = build;
				replaceHeader(headers, 'content-type', multipartContentType(boundary));
				break;
			}
			case 'binaryData': {
				const fieldName = fieldText(get<unknown>('inputDataFieldName', '')).trim();
				if (fieldName === '') {
					throw fail(
						'Input Data Field Name is empty',
						'Enter the name of the binary field of the input item whose file should be sent, such as data',
					);
				}
				const binary = ctx.helpers.assertBinaryData(itemIndex, fieldName);
				body = await ctx.helpers.getBinaryDataBuffer(itemIndex, fieldName);
				reloadBody = async () => await ctx.helpers.getBinaryDataBuffer(itemIndex, fieldName);
				if (findHeader(headers, 'content-type') === undefined) {
					headers['content-type'] = binary.mimeType || 'application/octet-stream';
				}
				break;
			}
			case 'raw': {
				body = fieldText(get<unknown>('body', ''));
				const rawContentType = fieldText(get<unknown>('rawContentType', '')).trim();
				if (rawContentType !== '') replaceHeader(headers, 'content-type', rawContentType);
				break;
			}
			default:
				throw fail(`"${String(bodyType)}" is not a supported body content type`);
		}
	}

	if (findHeader(headers, 'accept') === undefined) headers.accept = ACCEPT_BY_FORMAT[response.responseFormat];

	const request: HttpRequestOptions = {
		method: method as IHttpRequestOptions['method'],
		url,
		headers,
		arrayFormat: queryArrayFormat(options.queryParameterArrays),
		encoding: 'arraybuffer',
		timeout: Number(options.timeout) > 0 ? Number(options.timeout) : DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (Object.keys(qs).length > 0) request.qs = qs;
	if (body !== undefined) request.body = body;
	if (options.allowUnauthorizedCerts === true) request.skipSslCertificateValidation = true;

	const proxy = fieldText(options.proxy).trim();
	if (proxy !== '') {
		try {
			request.proxy = parseProxy(proxy);
		} catch (error) {
			throw new NodeOperationError(node, (error as Error).message, { itemIndex });
		}
	}

	// Redirects are followed by default (HTTP Request node v4); "Follow Redirects" off stops that.
	const redirect = asObject(asObject(options.redirect).redirect);
	if (redirect.followRedirects === false) {
		request.disableFollowRedirect = true;
	} else {
		const maxRedirects = Number(redirect.maxRedirects ?? DEFAULT_MAX_REDIRECTS);
		request.maxRedirects = Number.isFinite(maxRedirects) && maxRedirects >= 0 ? maxRedirects : DEFAULT_MAX_REDIRECTS;
	}

	return { options: request, response, ...(bodyType && body !== undefined ? { bodyType } : {}), ...(reloadBody ? { reloadBody } : {}) };
}

function queryArrayFormat(value: unknown): 'brackets' | 'indices' | 'repeat' {
	return value === 'indices' || value === 'repeat' ? value : 'brackets';
}

function headerValue(value: unknown): string | string[] {
	return Array.isArray(value) ? value.map(fieldText) : fieldText(value);
}

/**
 * A JSON parameter as the user wrote it: text is parsed, an expression that already returned an
 * object is taken as it is, empty text is undefined.
 */
function jsonParameter(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): unknown {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `"${label}" (${name}) is not valid JSON`, {
			itemIndex,
			description: `${(error as Error).message}. Check quotes, commas and brackets, or build the value with an expression.`,
		});
	}
}

function jsonObjectParameter(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): IDataObject {
	const value = jsonParameter(ctx, itemIndex, name, label);
	if (value === undefined || value === null) return {};
	if (!isPlainObject(value)) {
		throw new NodeOperationError(ctx.getNode(), `"${label}" (${name}) must be a JSON object`, {
			itemIndex,
			description: 'Write it as an object of names and values, such as { "name": "value" }',
		});
	}
	return { ...value };
}

/** The JSON body: fields set by path, or the JSON document; an empty object is still sent. */
function jsonBody(ctx: IExecuteFunctions, itemIndex: number): IHttpRequestOptions['body'] {
	let value: unknown;
	if (ctx.getNodeParameter('specifyBody', itemIndex, 'keypair') === 'json') {
		value = jsonParameter(ctx, itemIndex, 'jsonBody', 'JSON Body');
		if (value === undefined) return undefined;
	} else {
		const fields: IDataObject = {};
		const entries = ctx.getNodeParameter('bodyParameters.parameters', itemIndex, []) as NameValue[];
		for (const entry of entries) {
			const name = fieldText(entry.name);
			if (name === '') continue;
			try {
				setPath(fields, name, entry.value);
			} catch (error) {
				throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex });
			}
		}
		value = fields;
	}
	// n8n's HTTP client drops an empty object and cannot send a bare scalar as JSON: send text.
	if (isPlainObject(value) && Object.keys(value).length === 0) return '{}';
	if (typeof value !== 'object' || value === null) return JSON.stringify(value);
	return value as IDataObject | IDataObject[];
}

async function multipartParts(
	ctx: IExecuteFunctions,
	itemIndex: number,
	entries: NameValue[],
): Promise<MultipartPart[]> {
	const parts: MultipartPart[] = [];
	for (const entry of entries) {
		const name = fieldText(entry.name);
		if (entry.parameterType === 'formBinaryData') {
			const fieldName = fieldText(entry.inputDataFieldName).trim();
			if (fieldName === '') continue;
			const binary = ctx.helpers.assertBinaryData(itemIndex, fieldName);
			parts.push({
				name,
				value: await ctx.helpers.getBinaryDataBuffer(itemIndex, fieldName),
				fileName: binary.fileName ?? 'file',
				contentType: binary.mimeType || 'application/octet-stream',
			});
			continue;
		}
		if (name === '') continue;
		parts.push({ name, value: fieldText(entry.value) });
	}
	return parts;
}
