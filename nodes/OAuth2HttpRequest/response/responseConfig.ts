// What an item's response becomes (Options > Response), and the response as n8n returns it.

export type ResponseFormat = 'autodetect' | 'file' | 'json' | 'text';

export const RESPONSE_FORMATS: ResponseFormat[] = ['autodetect', 'file', 'json', 'text'];

/** Options > Response, parsed (options/itemOptions.ts). */
export interface ResponseOptions {
	responseFormat: ResponseFormat;
	/** Include Response Headers and Status. */
	fullResponse: boolean;
	/** Output non-2xx responses instead of failing. Deciding that is the sender's job. */
	neverError: boolean;
	/** Field for text output and binary field for file output; "data" unless set. */
	outputPropertyName: string;
}

/** How a response becomes output items, plus the URL for file names. */
export interface ResponseConfig extends ResponseOptions {
	/** The URL the request went to; its last path segment names a downloaded file. */
	url: string;
}

/** A response as returned with returnFullResponse: true. */
export interface HttpResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
	statusMessage?: string;
}
