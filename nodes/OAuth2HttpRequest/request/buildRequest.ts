import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { parseItemOptions } from '../options/itemOptions';
import { readBody } from './body';
import { addDefaultAccept, readHeaders } from './headers';
import type { HttpRequestOptions, ItemRequest } from './itemRequest';
import { asItemError, itemParameters } from './parameters';
import { readQuery } from './query';
import { joinUrl } from './url';

export const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

/**
 * Reads every parameter of "Send Request" for one item and builds the request n8n's
 * httpRequest helpers take. Nothing is sent here.
 *
 * - url: joined to `baseUrl` (the credential's API base URL) when relative (url.ts).
 * - qs with arrayFormat from "Array Format in Query Parameters" (query.ts, options/itemOptions.ts).
 * - headers: the user's (headers.ts), then Content-Type for the body (body.ts) and an Accept
 *   header fitting the response format, unless the user set them.
 * - encoding 'arraybuffer' always: the body comes back as a Buffer and toOutputItems decodes it
 *   as the response format says, so text is kept byte for byte and files stay intact.
 * - returnFullResponse and ignoreHttpStatusErrors are set: statuses are the sender's to judge, and
 *   so are redirects (transport/send.ts follows them itself).
 */
export async function buildItemRequest(ctx: IExecuteFunctions, itemIndex: number, baseUrl?: string): Promise<ItemRequest> {
	const parameters = itemParameters(ctx, itemIndex);
	const method = String(parameters.get<unknown>('method', 'GET') || 'GET').toUpperCase();
	if (!(METHODS as readonly string[]).includes(method)) {
		throw parameters.fail(`"${method}" is not a supported method`, `Use one of ${METHODS.join(', ')}`);
	}
	const url = asItemError(parameters, () => joinUrl(baseUrl, parameters.get<string>('url', '')));
	const options = asItemError(parameters, () => parseItemOptions(parameters.get<unknown>('options', {})));

	const qs = readQuery(parameters);
	const headers = readHeaders(parameters, options.lowercaseHeaders);
	const { body, bodyType, reloadBody } = await readBody(parameters, method, headers);
	addDefaultAccept(headers, options.response.responseFormat);

	const request: HttpRequestOptions = {
		method: method as IHttpRequestOptions['method'],
		url,
		headers,
		arrayFormat: options.arrayFormat,
		encoding: 'arraybuffer',
		timeout: options.timeout,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (Object.keys(qs).length > 0) request.qs = qs;
	if (body !== undefined) request.body = body;
	if (options.skipSslCertificateValidation) request.skipSslCertificateValidation = true;
	if (options.proxy) request.proxy = options.proxy;

	return {
		options: request,
		response: { ...options.response, url },
		...(bodyType && body !== undefined ? { bodyType } : {}),
		...(reloadBody ? { reloadBody } : {}),
	};
}
