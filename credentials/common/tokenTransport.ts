import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Transport, TransportRequest, TransportResponse } from '../../engine/types';
import { agentOptionsOf, type AgentOptions } from './clientTls';

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** What this transport hands n8n's older request helper: the request-library option names it reads. */
interface LegacyRequestOptions {
	method: string;
	uri: string;
	headers: IDataObject;
	body?: string;
	timeout: number;
	json: false;
	resolveWithFullResponse: true;
	simple: false;
	followRedirect: false;
	rejectUnauthorized?: false;
	agentOptions: AgentOptions;
}

/** n8n's older request helper (`helpers.request`), present where the caller hands it over (n8n 1.x). */
export type LegacyRequest = (options: LegacyRequestOptions) => Promise<unknown>;

/** n8n-workflow 1.120 does not declare `agentOptions` on IHttpRequestOptions; n8n 2.x reads it. */
type HttpRequestWithAgent = IHttpRequestOptions & { agentOptions?: AgentOptions };

interface FullResponse {
	statusCode?: number;
	status?: number;
	headers?: Record<string, string | string[] | undefined>;
	body?: unknown;
}

function responseBodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

/** n8n's failures carry the socket code in different places on 1.x and 2.x. */
function n8nSocketCodeOf(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown }; context?: { code?: unknown } };
	for (const candidate of [e?.code, e?.cause?.code, e?.context?.code]) {
		// ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED and the like carry digits.
		if (typeof candidate === 'string' && /^E[A-Z0-9_]+$/.test(candidate)) return candidate;
	}
	return undefined;
}

/**
 * A request with a client certificate through the older helper, which hands `agentOptions` to the TLS
 * agent on every n8n line; n8n 1.x's httpRequest drops them, so the certificate would silently be missing.
 */
function sendLegacy(legacyRequest: LegacyRequest, request: TransportRequest): Promise<unknown> {
	const options: LegacyRequestOptions = {
		method: request.method,
		uri: request.url,
		headers: request.headers as IDataObject,
		body: request.body,
		timeout: request.timeoutMs,
		json: false,
		resolveWithFullResponse: true,
		simple: false,
		followRedirect: false,
		agentOptions: agentOptionsOf(request.tls ?? {}),
	};
	if (request.skipSslCertificateValidation === true) options.rejectUnauthorized = false;
	return legacyRequest(options);
}

/**
 * The authenticator's transport over n8n's `helpers.httpRequest`, so n8n's proxy, TLS and
 * (in 2.x) the credential's allowed domains apply to the token request too. A request with TLS
 * material goes through `legacyRequest` when the caller has it (n8n 1.x hands it to
 * pre-authentication, 2.x does not and honours `agentOptions` in httpRequest).
 */
export function n8nTransport(httpRequest: HttpRequest, legacyRequest?: LegacyRequest): Transport {
	return async (request) => {
		const options: HttpRequestWithAgent = {
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
			// The engine decides on redirects (engine/destination.ts): n8n's helper would re-post the
			// body, secret and password included, to whatever host a 307/308 names.
			disableFollowRedirect: true,
		};
		if (request.tls) options.agentOptions = agentOptionsOf(request.tls);
		let response: FullResponse;
		try {
			response = (await (request.tls && legacyRequest ? sendLegacy(legacyRequest, request) : httpRequest(options))) as FullResponse;
		} catch (error) {
			// No response at all: the engine decides on retries by the socket code, and a refusal
			// by n8n itself (for example a domain outside the allowed list) keeps n8n's words.
			const code = n8nSocketCodeOf(error);
			const reason = code ?? String((error as Error)?.message ?? error);
			const failure = new Error(`no response (${reason})`) as Error & { code?: string };
			if (code) failure.code = code;
			throw failure;
		}
		const result: TransportResponse = {
			statusCode: Number(response.statusCode ?? response.status ?? 0),
			headers: response.headers ?? {},
			body: responseBodyText(response.body),
		};
		return result;
	};
}
