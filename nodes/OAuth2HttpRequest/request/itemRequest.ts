import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ResponseConfig } from '../response/responseConfig';

export type BodyContentType = 'json' | 'form-urlencoded' | 'multipart-form-data' | 'raw' | 'binaryData';

/**
 * n8n-workflow 1.120's IHttpRequestOptions has no maxRedirects, but n8n's HTTP client (n8n 2.x)
 * reads it; the intersection keeps the value without a cast.
 */
export type HttpRequestOptions = IHttpRequestOptions & { maxRedirects?: number };

/** A body as built for one item, with what a resend needs to send it again. */
export interface ItemBody {
	body?: IHttpRequestOptions['body'];
	/** The content type of the body as built, or undefined when the request has no body. */
	bodyType?: BodyContentType;
	/**
	 * Rebuilds a body that holds binary data, reading the files again. Set only for the
	 * "Binary File" and "Form-Data" content types. The body is a Buffer, which can be sent
	 * more than once anyway; this is for a resend that wants fresh data.
	 */
	reloadBody?: () => Promise<IHttpRequestOptions['body']>;
}

export interface ItemRequest extends Omit<ItemBody, 'body'> {
	options: HttpRequestOptions;
	response: ResponseConfig;
}
