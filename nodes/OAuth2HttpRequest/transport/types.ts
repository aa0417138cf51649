import type { IHttpRequestOptions } from 'n8n-workflow';

export type BodyContentType = 'json' | 'form-urlencoded' | 'multipart-form-data' | 'raw' | 'binaryData';

export type ResponseFormat = 'autodetect' | 'file' | 'json' | 'text';

/** How a response becomes output items (Options > Response), plus the URL for file names. */
export interface ResponseConfig {
	responseFormat: ResponseFormat;
	/** Include Response Headers and Status. */
	fullResponse: boolean;
	/** Output non-2xx responses instead of failing. Deciding that is the sender's job. */
	neverError: boolean;
	/** Field for text output and binary field for file output; "data" unless set. */
	outputPropertyName: string;
	/** The URL the request went to; its last path segment names a downloaded file. */
	url: string;
}

/**
 * n8n-workflow 1.120's IHttpRequestOptions has no maxRedirects, but n8n's HTTP client (n8n 2.x)
 * reads it; the intersection keeps the value without a cast.
 */
export type HttpRequestOptions = IHttpRequestOptions & { maxRedirects?: number };

export interface ItemRequest {
	options: HttpRequestOptions;
	/**
	 * Rebuilds a body that holds binary data, reading the files again. Set only for the
	 * "Binary File" and "Form-Data" content types. The body is a Buffer, which can be sent
	 * more than once anyway; this is for a resend that wants fresh data.
	 */
	reloadBody?: () => Promise<IHttpRequestOptions['body']>;
	/** The content type of the body as built, or undefined when the request has no body. */
	bodyType?: BodyContentType;
	response: ResponseConfig;
}

/** A response as returned with returnFullResponse: true. */
export interface HttpResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
	statusMessage?: string;
}
