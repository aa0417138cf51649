import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { decodeResponseBody, headerText, mimeTypeOf, normalizeHeaders, type DecodedBody } from './decodeBody';
import { fileNameFromContentDisposition, fileNameFromUrl } from './fileName';
import type { HttpResponse, ResponseConfig } from './responseConfig';

function toJsonObject(value: unknown): IDataObject {
	if (value === undefined || value === null) return {};
	if (typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
	return { data: value as IDataObject[string] };
}

/**
 * Turns one response into output items, as the HTTP Request node does:
 *
 * - JSON: a list becomes one item per entry (a scalar entry is { data }), an object one item;
 *   with Include Response Headers and Status, one item { body, headers, statusCode, statusMessage }.
 * - Text: one item { [outputPropertyName]: text } (plus headers, statusCode, statusMessage).
 * - File: one item whose binary field outputPropertyName holds the file, named after the
 *   Content-Disposition header or the URL; its json is the input item's json, or the headers and
 *   status with Include Response Headers and Status; the input item's other binary fields stay.
 *
 * Every item has pairedItem { item: itemIndex }. Only response headers are output (without any
 * authorization header), never the request's.
 */
export async function toOutputItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	response: HttpResponse,
	settings: ResponseConfig,
): Promise<INodeExecutionData[]> {
	const pairedItem = { item: itemIndex };
	const headers = normalizeHeaders(response.headers);
	const meta: IDataObject = {
		headers,
		statusCode: response.statusCode,
		statusMessage: response.statusMessage ?? '',
	};

	let decoded: DecodedBody;
	try {
		decoded = decodeResponseBody(response, settings, headers);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			itemIndex,
			description: (error as Error & { detail?: string }).detail,
		});
	}

	if (decoded.kind === 'file') {
		const input = ctx.getInputData()[itemIndex];
		const contentType = headerText(headers, 'content-type');
		const fromHeader = fileNameFromContentDisposition(headerText(headers, 'content-disposition'));
		const fromUrl = fromHeader ? undefined : fileNameFromUrl(settings.url);
		const knownName = fromHeader ?? (fromUrl?.includes('.') ? fromUrl : undefined);
		const binaryData = await ctx.helpers.prepareBinaryData(
			decoded.value as Buffer,
			knownName,
			mimeTypeOf(contentType) || undefined,
		);
		if (!binaryData.fileName) {
			const stem = fromUrl ?? settings.outputPropertyName;
			binaryData.fileName = binaryData.fileExtension ? `${stem}.${binaryData.fileExtension}` : stem;
		}
		const binary: IBinaryKeyData = { ...(input?.binary ?? {}), [settings.outputPropertyName]: binaryData };
		const json = settings.fullResponse ? meta : { ...(input?.json ?? {}) };
		return [{ json, binary, pairedItem }];
	}

	if (decoded.kind === 'text') {
		const json: IDataObject = { [settings.outputPropertyName]: decoded.value as string };
		return [{ json: settings.fullResponse ? { ...json, ...meta } : json, pairedItem }];
	}

	if (settings.fullResponse) {
		return [{ json: { body: decoded.value as IDataObject, ...meta }, pairedItem }];
	}
	if (Array.isArray(decoded.value)) {
		return decoded.value.map((entry) => ({ json: toJsonObject(entry), pairedItem }));
	}
	return [{ json: toJsonObject(decoded.value), pairedItem }];
}
