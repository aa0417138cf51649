import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { encodeForm, fieldText, findHeader, replaceHeader, setPath } from './encode';
import type { BodyContentType, ItemBody } from './itemRequest';
import { createBoundary, encodeMultipart, multipartContentType, type MultipartPart } from './multipart';
import { addNamedEntries, asItemError, isPlainObject, jsonParameter, type ItemParameters, type NameValue } from './parameters';

/** Methods that never carry a body, as in n8n's HTTP Request node. */
const METHODS_WITHOUT_BODY = new Set(['HEAD', 'OPTIONS', 'TRACE']);

type Body = IHttpRequestOptions['body'];

/** The JSON body: fields set by path, or the JSON document; an empty object is still sent. */
function jsonBody(parameters: ItemParameters): Body {
	let value: unknown;
	if (parameters.get<string>('specifyBody', 'keypair') === 'json') {
		value = jsonParameter(parameters, 'jsonBody', 'JSON Body');
		if (value === undefined) return undefined;
	} else {
		const fields: IDataObject = {};
		for (const entry of parameters.get<NameValue[]>('bodyParameters.parameters', [])) {
			const name = fieldText(entry.name);
			if (name === '') continue;
			asItemError(parameters, () => setPath(fields, name, entry.value));
		}
		value = fields;
	}
	// n8n's HTTP client drops an empty object and cannot send a bare scalar as JSON: send text.
	if (isPlainObject(value) && Object.keys(value).length === 0) return '{}';
	if (typeof value !== 'object' || value === null) return JSON.stringify(value);
	return value as IDataObject | IDataObject[];
}

function formBody(parameters: ItemParameters): string {
	if (parameters.get<string>('specifyBody', 'keypair') === 'string') return fieldText(parameters.get<unknown>('body', ''));
	const entries = parameters.get<NameValue[]>('bodyParameters.parameters', []);
	return encodeForm(addNamedEntries(parameters, {}, entries, (entry) => [fieldText(entry.name), entry.value ?? '']));
}

async function multipartParts(parameters: ItemParameters, entries: NameValue[]): Promise<MultipartPart[]> {
	const { ctx, itemIndex } = parameters;
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

async function multipartBody(parameters: ItemParameters, headers: IDataObject): Promise<ItemBody> {
	const entries = parameters.get<NameValue[]>('bodyParameters.parameters', []);
	const boundary = createBoundary();
	const build = async () => encodeMultipart(await multipartParts(parameters, entries), boundary);
	replaceHeader(headers, 'content-type', multipartContentType(boundary));
	return { body: await build(), reloadBody: build };
}

async function binaryBody(parameters: ItemParameters, headers: IDataObject): Promise<ItemBody> {
	const { ctx, itemIndex } = parameters;
	const fieldName = fieldText(parameters.get<unknown>('inputDataFieldName', '')).trim();
	if (fieldName === '') {
		throw parameters.fail(
			'Input Data Field Name is empty',
			'Enter the name of the binary field of the input item whose file should be sent, such as data',
		);
	}
	const binary = ctx.helpers.assertBinaryData(itemIndex, fieldName);
	const body = await ctx.helpers.getBinaryDataBuffer(itemIndex, fieldName);
	if (findHeader(headers, 'content-type') === undefined) headers['content-type'] = binary.mimeType || 'application/octet-stream';
	return { body, reloadBody: async () => await ctx.helpers.getBinaryDataBuffer(itemIndex, fieldName) };
}

async function bodyOfType(parameters: ItemParameters, bodyType: BodyContentType, headers: IDataObject): Promise<ItemBody> {
	switch (bodyType) {
		case 'json': {
			const body = jsonBody(parameters);
			if (findHeader(headers, 'content-type') === undefined) headers['content-type'] = 'application/json';
			return { body };
		}
		case 'form-urlencoded': {
			const body = formBody(parameters);
			replaceHeader(headers, 'content-type', 'application/x-www-form-urlencoded');
			return { body };
		}
		case 'multipart-form-data':
			return await multipartBody(parameters, headers);
		case 'binaryData':
			return await binaryBody(parameters, headers);
		case 'raw': {
			const body = fieldText(parameters.get<unknown>('body', ''));
			const rawContentType = fieldText(parameters.get<unknown>('rawContentType', '')).trim();
			if (rawContentType !== '') replaceHeader(headers, 'content-type', rawContentType);
			return { body };
		}
		default:
			throw parameters.fail(`"${String(bodyType)}" is not a supported body content type`);
	}
}

/**
 * "Send Body": the body of one item, and the Content-Type it needs set in `headers` (a JSON value,
 * an encoded form string, a multipart Buffer, a binary file Buffer or raw text). Nothing for a
 * method that carries no body.
 */
export async function readBody(parameters: ItemParameters, method: string, headers: IDataObject): Promise<ItemBody> {
	if (!parameters.get('sendBody', false) || METHODS_WITHOUT_BODY.has(method)) return {};
	const bodyType = String(parameters.get('contentType', 'json')) as BodyContentType;
	const built = await bodyOfType(parameters, bodyType, headers);
	return built.body === undefined ? { ...built, bodyType: undefined } : { ...built, bodyType };
}
