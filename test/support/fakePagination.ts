// n8n-core's `helpers.requestWithAuthenticationPaginated` as the fake n8n host plays it (read from
// n8n-core 2.41.1, request-helpers/pagination.js): before each page it resolves the pagination's
// `request` with $response (the last page's body, headers and statusCode; {} before the first),
// $pageCount and $request, merges it into the request (url becomes uri), sends the page through
// `this.helpers.requestWithAuthentication`, stops at `maxRequests` pages, else asks `continue`; a
// page it would continue after that is no 2xx fails the item. Expressions are `={{ js }}`, or text
// with `{{ js }}` parts; as in n8n, an error such as reading a field of undefined makes the value
// undefined. n8n's "identical 5x" guard is not played.
import type { IDataObject, IExecuteFunctions, PaginationOptions } from 'n8n-workflow';

interface PageKeys {
	$response: { body?: unknown; headers?: IDataObject; statusCode?: number };
	$pageCount: number;
	$request: unknown;
}

function evaluate(code: string, keys: PageKeys): unknown {
	try {
		return new Function('$response', '$pageCount', '$request', `return (${code});`)(keys.$response, keys.$pageCount, keys.$request) as unknown;
	} catch {
		return undefined;
	}
}

function resolve(value: unknown, keys: PageKeys): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		const text = value.slice(1);
		const whole = /^\{\{([\s\S]*)\}\}$/.exec(text.trim());
		if (whole && !whole[1].includes('{{')) return evaluate(whole[1], keys);
		return text.replace(/\{\{([\s\S]*?)\}\}/g, (_match, code: string) => String(evaluate(code, keys) ?? ''));
	}
	if (Array.isArray(value)) return value.map((entry) => resolve(entry, keys));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry, keys)]));
	}
	return value;
}

function merged(request: IDataObject, page: IDataObject): IDataObject {
	const next: IDataObject = { ...request, ...page, uri: page.url ?? request.uri };
	for (const part of ['qs', 'headers', 'body'] as const) {
		if (page[part] !== undefined) next[part] = { ...((request[part] as IDataObject) ?? {}), ...(page[part] as IDataObject) };
	}
	return next;
}

interface PageResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

export async function requestWithAuthenticationPaginated(
	this: IExecuteFunctions,
	requestOptions: IDataObject,
	_itemIndex: number,
	pagination: PaginationOptions,
	credentialsType?: string,
): Promise<PageResponse[]> {
	const request: IDataObject = { ...requestOptions, qs: requestOptions.qs ?? {}, resolveWithFullResponse: true, simple: false };
	const keys: PageKeys = { $response: {}, $pageCount: 0, $request: request };
	const pages: PageResponse[] = [];
	const send = this.helpers.requestWithAuthentication as unknown as (this: unknown, type: string | undefined, options: IDataObject) => Promise<PageResponse>;
	for (;;) {
		const page = merged(request, (resolve(pagination.request, keys) ?? {}) as IDataObject);
		const response = await send.call(this, credentialsType, page);
		pages.push(response);
		keys.$response = { body: response.body, headers: response.headers, statusCode: response.statusCode };
		keys.$pageCount++;
		const maxRequests = Number(resolve(pagination.maxRequests, keys) ?? 0);
		if (maxRequests && keys.$pageCount >= maxRequests) break;
		if (!resolve(pagination.continue, keys)) break;
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw Object.assign(new Error(`${response.statusCode} - "${JSON.stringify(response.body)}"`), { statusCode: response.statusCode });
		}
	}
	return pages;
}
