import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Transport, TransportResponse } from '../oauth2/types';

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	statusCode?: number;
	status?: number;
	headers?: Record<string, string | string[] | undefined>;
	body?: unknown;
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

/** n8n's failures carry the socket code in different places on 1.x and 2.x. */
function networkCodeOf(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown }; context?: { code?: unknown } };
	for (const candidate of [e?.code, e?.cause?.code, e?.context?.code]) {
		if (typeof candidate === 'string' && /^E[A-Z_]+$/.test(candidate)) return candidate;
	}
	return undefined;
}

/**
 * The authenticator's transport over n8n's `helpers.httpRequest`, so n8n's proxy, TLS and
 * (in 2.x) the credential's allowed domains apply to the token request too.
 */
export function n8nTransport(httpRequest: HttpRequest): Transport {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: request.headers as IDataObject,
			body: request.body,
			timeout: request.timeoutMs,
			skipSslCertificateValidation: request.skipSslCertificateValidation === true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: 'text',
		};
		let response: FullResponse;
		try {
			response = (await httpRequest(options)) as FullResponse;
		} catch (error) {
			// No response at all: the engine decides on retries by the socket code, and a refusal
			// by n8n itself (for example a domain outside the allowed list) keeps n8n's words.
			const code = networkCodeOf(error);
			const reason = code ?? String((error as Error)?.message ?? error);
			const failure = new Error(`no response (${reason})`) as Error & { code?: string };
			if (code) failure.code = code;
			throw failure;
		}
		const result: TransportResponse = {
			statusCode: Number(response.statusCode ?? response.status ?? 0),
			headers: response.headers ?? {},
			body: bodyText(response.body),
		};
		return result;
	};
}
