import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	PaginationOptions,
} from 'n8n-workflow';

import type { ItemRequest } from '../request/itemRequest';
import { sendApiRequest, type SendPolicy } from '../transport/send';
import type { ApiResponse, CredentialSession } from '../transport/session';
import { applyPageUpdate } from './pageUpdate';
import type { PaginationConfig } from './parsePagination';

/** The legacy request shape n8n's paginated helper works with. */
interface PageRequest {
	uri?: string;
	url?: string;
	method?: IHttpRequestOptions['method'];
	qs?: IDataObject;
	headers?: IDataObject;
	body?: IDataObject;
}

type FirstPage = Parameters<IExecuteFunctions['helpers']['requestWithAuthenticationPaginated']>[0];

/**
 * The checked pagination settings as n8n's paginated helper takes them: expressions stay raw
 * strings, resolved by n8n per page with $response, $pageCount and $request.
 */
export function toN8nPagination(config: PaginationConfig, neverError: boolean): PaginationOptions {
	const failed = '($response.statusCode < 200 || $response.statusCode >= 300)';
	let more: string;
	if (config.completeWhen === 'receiveSpecificStatusCodes') {
		more = `!${JSON.stringify([...config.statusCodesWhenComplete])}.includes($response.statusCode)`;
	} else if (config.completeWhen === 'other') {
		const completion = String(config.completeExpression ?? '').trim().replace(/^=\{\{/, '').replace(/\}\}$/, '');
		// A failed page ends in an error unless "Never Error" is on, as in n8n's own node.
		more = neverError ? `!(${completion})` : `!(${completion}) || ${failed}`;
	} else {
		more =
			'!(($response.body === undefined || $response.body === null || $response.body === "") || (Array.isArray($response.body) && $response.body.length === 0) || (typeof $response.body === "object" && !Array.isArray($response.body) && Object.keys($response.body).length === 0))';
	}
	const request: IDataObject = {};
	if (config.mode === 'responseContainsNextURL') {
		request.url = config.nextURL;
	} else {
		for (const parameter of config.parameters) {
			const target = ((request[parameter.type] as IDataObject) ??= {});
			target[parameter.name] = parameter.value;
		}
	}
	return {
		continue: `={{ ${more} }}`,
		request,
		requestInterval: Number(config.requestInterval) || 0,
		maxRequests: config.maxPages,
	};
}

function withParsedJson(response: ApiResponse): ApiResponse {
	const type = String((response.headers ?? {})['content-type'] ?? '');
	let body = response.body;
	if (type.includes('json') && (typeof body === 'string' || Buffer.isBuffer(body))) {
		const text = body.toString();
		try {
			body = text.trim() === '' ? {} : JSON.parse(text);
		} catch {
			body = text;
		}
	}
	return { ...response, body };
}

/**
 * n8n resolves pagination expressions ($response, $pageCount, $request) only inside its
 * paginated helper. We let it do that and hand it our own sender for each page, so every page
 * goes through the session: a token refused on page 5 is renewed and page 5 resent.
 */
export async function paginate(
	ctx: IExecuteFunctions,
	session: CredentialSession,
	request: ItemRequest,
	itemIndex: number,
	policy: SendPolicy,
	pagination: PaginationOptions,
): Promise<ApiResponse[]> {
	const base = request.options;
	// The body stays ours: n8n's helper only merges the page's body parameters into nothing.
	const first: PageRequest = {
		uri: base.url,
		method: base.method,
		qs: { ...(base.qs ?? {}) },
		headers: { ...(base.headers ?? {}) },
	};
	const sendPage = async (_type: string, page: PageRequest) => {
		const options = applyPageUpdate(base, request.bodyType, {
			url: String(page.uri ?? page.url ?? base.url),
			qs: page.qs,
			headers: page.headers,
			body: page.body,
		});
		return withParsedJson(await sendApiRequest(ctx, session, { options, reloadBody: request.reloadBody }, policy));
	};
	const pageContext = { helpers: { requestWithAuthentication: sendPage, request: sendPage } };
	return (await ctx.helpers.requestWithAuthenticationPaginated.call(
		pageContext as unknown as IExecuteFunctions,
		first as FirstPage,
		itemIndex,
		pagination,
		session.credentialType,
	)) as ApiResponse[];
}
