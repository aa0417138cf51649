import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	PaginationOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OutgoingRequest, SendPolicy } from './send';
import { sendApiRequest } from './send';
import type { ApiResponse, CredentialSession } from './session';

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

interface PaginationParameter {
	type: string;
	name: string;
	value: string;
}

/** The same pagination settings as n8n's HTTP Request node, with the expressions kept raw. */
export function readPagination(ctx: IExecuteFunctions): PaginationOptions | undefined {
	const p = ctx.getNodeParameter('options.pagination.pagination', 0, null, { rawExpressions: true }) as IDataObject | null;
	if (!p || !p.paginationMode || p.paginationMode === 'off') return undefined;
	const neverError = Boolean(
		((ctx.getNodeParameter('options.response.response', 0, {}) as IDataObject) ?? {}).neverError,
	);
	const failed = '($response.statusCode < 200 || $response.statusCode >= 300)';
	let more: string;
	if (p.paginationCompleteWhen === 'receiveSpecificStatusCodes') {
		const codes = String(p.statusCodesWhenComplete ?? '').split(',').map((c) => parseInt(c.trim(), 10)).filter((c) => !Number.isNaN(c));
		more = `!${JSON.stringify(codes)}.includes($response.statusCode)`;
	} else if (p.paginationCompleteWhen === 'other') {
		const expression = String(p.completeExpression ?? '').trim();
		if (!expression.startsWith('={{') || !expression.endsWith('}}')) {
			throw new NodeOperationError(ctx.getNode(), 'Pagination: "Complete Expression" must be an expression such as {{ $response.body.next === null }}');
		}
		const completion = expression.slice(3, -2);
		// A failed page ends in an error unless "Never Error" is on, as in n8n's own node.
		more = neverError ? `!(${completion})` : `!(${completion}) || ${failed}`;
	} else {
		more = 'Array.isArray($response.body) ? $response.body.length > 0 : !!$response.body && Object.keys($response.body).length > 0';
	}

	const request: IDataObject = {};
	if (p.paginationMode === 'updateAParameterInEachRequest') {
		const parameters = ((p.parameters as IDataObject)?.parameters ?? []) as PaginationParameter[];
		if (!parameters.some((x) => x.name && x.value)) {
			throw new NodeOperationError(ctx.getNode(), 'Pagination: add at least one parameter with a name and a value to update in each request');
		}
		for (const parameter of parameters) {
			if (!['body', 'headers', 'qs'].includes(parameter.type)) {
				throw new NodeOperationError(ctx.getNode(), `Pagination: parameter "${parameter.name}" must go in body, headers or qs`);
			}
			const target = ((request[parameter.type] as IDataObject) ??= {});
			target[parameter.name] = parameter.value;
		}
	} else {
		request.url = p.nextURL as string;
	}
	return {
		continue: `={{ ${more} }}`,
		request,
		requestInterval: Number(p.requestInterval ?? 0),
		maxRequests: p.limitPagesFetched ? Number(p.maxRequests ?? 100) : undefined,
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
	request: OutgoingRequest,
	itemIndex: number,
	policy: SendPolicy,
	pagination: PaginationOptions,
): Promise<ApiResponse[]> {
	const base = request.options;
	const plainBody = base.body && typeof base.body === 'object' && !Buffer.isBuffer(base.body) ? base.body : undefined;
	const first: PageRequest = {
		uri: base.url,
		method: base.method,
		qs: { ...(base.qs ?? {}) },
		headers: { ...(base.headers ?? {}) },
		...(plainBody ? { body: plainBody as IDataObject } : {}),
	};
	const sendPage = async (_type: string, page: PageRequest) => {
		const options: IHttpRequestOptions = {
			...base,
			url: String(page.uri ?? page.url ?? base.url),
			qs: page.qs as IDataObject,
			headers: page.headers as IDataObject,
			body: plainBody ? (page.body as IDataObject) : base.body,
		};
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
