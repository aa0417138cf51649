import type { IDataObject } from 'n8n-workflow';

import type { HttpResponse, ResponseConfig } from './responseConfig';

// Reading a response body as Options > Response > Response Format says: the content types that are
// JSON, text or files, the charset, and the parse.

export type BodyKind = 'json' | 'text' | 'file';

/** A response body read as the response format says: parsed JSON, a string, or a Buffer for a file. */
export interface DecodedBody {
	kind: BodyKind;
	value: unknown;
}

/** Content types that are files even though nothing in their name says so. */
const BINARY_TYPES = [
	'image/',
	'audio/',
	'video/',
	'font/',
	'application/octet-stream',
	'application/pdf',
	'application/zip',
	'application/gzip',
	'application/x-gzip',
	'application/x-tar',
	'application/x-7z-compressed',
	'application/x-bzip',
	'application/x-bzip2',
	'application/vnd.rar',
	'application/x-rar-compressed',
	'application/epub+zip',
	'application/msword',
	'application/vnd.ms-',
	'application/vnd.openxmlformats-officedocument.',
	'application/vnd.oasis.opendocument.',
	'application/vnd.visio',
	'application/vnd.amazon.ebook',
	'application/x-cdf',
	'application/wasm',
	'application/java-archive',
	'application/x-protobuf',
	'application/vnd.apache.parquet',
	'application/x-parquet',
];

/** Content types that are text even though they are not text/*. */
const TEXT_TYPES = [
	'application/xml',
	'application/javascript',
	'application/ecmascript',
	'application/x-www-form-urlencoded',
	'application/yaml',
	'application/x-yaml',
	'application/graphql',
	'application/sql',
	'application/csv',
	'application/x-ndjson',
	'application/jsonl',
	'application/x-sh',
	'application/rtf',
];

const AUTH_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** The response headers as a plain object with lowercase names, without any authorization header. */
export function normalizeHeaders(headers: unknown): IDataObject {
	const result: IDataObject = {};
	if (typeof headers !== 'object' || headers === null) return result;
	const source =
		typeof (headers as { toJSON?: unknown }).toJSON === 'function'
			? ((headers as { toJSON: () => unknown }).toJSON() as Record<string, unknown>)
			: (headers as Record<string, unknown>);
	for (const [name, value] of Object.entries(source ?? {})) {
		const key = name.toLowerCase();
		if (AUTH_HEADERS.has(key) || value === undefined || typeof value === 'function') continue;
		result[key] = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value : String(value);
	}
	return result;
}

export function headerText(headers: IDataObject, name: string): string {
	const value = headers[name];
	if (Array.isArray(value)) return String(value[0] ?? '');
	return value === undefined || value === null ? '' : String(value);
}

/** "text/csv; charset=utf-8" -> "text/csv" */
export function mimeTypeOf(contentType: string): string {
	return contentType.split(';')[0].trim().toLowerCase();
}

function charsetOf(contentType: string): string | undefined {
	const match = /charset\s*=\s*"?([^";,\s]+)"?/i.exec(contentType);
	return match ? match[1].toLowerCase() : undefined;
}

/** The body as bytes, whatever form the HTTP client returned it in. */
export function bodyToBuffer(body: unknown): Buffer {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return Buffer.from(JSON.stringify(body), 'utf8');
}

// One decoder per charset a response named, made once: a decoder without `stream` keeps no state
// between calls, and making two per response was a good part of decoding a small body.
type Decoder = InstanceType<typeof TextDecoder>;

const decoders = new Map<string, Decoder>();

function decoderFor(charset: string): Decoder {
	let decoder = decoders.get(charset);
	if (!decoder) {
		try {
			decoder = new TextDecoder(charset);
		} catch {
			// An unknown charset: read the bytes as UTF-8.
			decoder = decoders.get('utf-8') ?? new TextDecoder('utf-8');
		}
		// Charsets come from servers: keep a bounded few.
		if (decoders.size < 64) decoders.set(charset, decoder);
	}
	return decoder;
}

/** Decodes bytes with the charset of the Content-Type (UTF-8 when none or unknown); drops a BOM. */
export function decodeText(buffer: Buffer, contentType = ''): string {
	return decoderFor(charsetOf(contentType) ?? 'utf-8').decode(buffer);
}

function isValidUtf8Text(buffer: Buffer): boolean {
	const sample = buffer.subarray(0, 64 * 1024);
	if (sample.includes(0)) return false;
	try {
		// A cut in the middle of a multi-byte character at the end of the sample is not an error.
		new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: sample.length < buffer.length });
		return true;
	} catch {
		return false;
	}
}

function isJsonType(mimeType: string): boolean {
	return mimeType === 'application/json' || mimeType === 'text/json' || mimeType.endsWith('+json');
}

function isBinaryType(mimeType: string): boolean {
	return BINARY_TYPES.some((type) => mimeType.startsWith(type));
}

function isTextType(mimeType: string): boolean {
	return mimeType.startsWith('text/') || mimeType.endsWith('+xml') || TEXT_TYPES.includes(mimeType);
}

/**
 * What "Autodetect" makes of a response: JSON for JSON content types, a file for binary ones,
 * text for text ones; with no or an unknown content type, text when the bytes are UTF-8 text.
 */
export function detectBodyKind(contentType: string, body: unknown): BodyKind {
	const mimeType = mimeTypeOf(contentType);
	if (isJsonType(mimeType)) return 'json';
	if (mimeType !== '' && isBinaryType(mimeType)) return 'file';
	if (isTextType(mimeType)) return 'text';
	if (typeof body === 'string') return 'text';
	if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && !ArrayBuffer.isView(body) && !(body instanceof ArrayBuffer)) {
		return 'json';
	}
	return isValidUtf8Text(bodyToBuffer(body)) ? 'text' : 'file';
}

type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

function parseJsonBody(text: string): JsonParse {
	if (text.trim() === '') return { ok: true, value: {} };
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, message: (error as Error).message };
	}
}

function isAlreadyParsed(body: unknown): boolean {
	return (
		typeof body === 'object' &&
		body !== null &&
		!Buffer.isBuffer(body) &&
		!ArrayBuffer.isView(body) &&
		!(body instanceof ArrayBuffer)
	);
}

/**
 * Reads a response body as the response format says. Autodetect and JSON parse JSON (an empty
 * body is {}); text decodes with the response's charset; file keeps the bytes. Invalid JSON
 * throws, except for Autodetect with Never Error, which keeps the text.
 * Useful to the pagination loop too ($response.body). `headers`: the response's, already normalised
 * by a caller that has them.
 */
export function decodeResponseBody(
	response: HttpResponse,
	config: Pick<ResponseConfig, 'responseFormat' | 'neverError'>,
	headers: IDataObject = normalizeHeaders(response.headers),
): DecodedBody {
	const contentType = headerText(headers, 'content-type');
	const kind: BodyKind =
		config.responseFormat === 'autodetect'
			? detectBodyKind(contentType, response.body)
			: (config.responseFormat as BodyKind);

	if (kind === 'file') return { kind, value: bodyToBuffer(response.body) };

	if (isAlreadyParsed(response.body)) {
		return kind === 'json' ? { kind, value: response.body } : { kind, value: JSON.stringify(response.body) };
	}
	const text = typeof response.body === 'string' ? response.body : decodeText(bodyToBuffer(response.body), contentType);
	if (kind === 'text') return { kind, value: text };

	const parsed = parseJsonBody(text);
	if (parsed.ok) return { kind, value: parsed.value };
	if (config.responseFormat === 'autodetect' && config.neverError) return { kind: 'text', value: text };
	const error = new Error(
		config.responseFormat === 'json'
			? 'The response body is not valid JSON. Set Options > Response > Response Format to Text to get it as it is.'
			: `The response says it is JSON (${mimeTypeOf(contentType)}) but its body is not valid JSON. Set Options > Response > Response Format to Text to get it as it is.`,
	);
	(error as Error & { detail?: string }).detail = `${parsed.message}. The body starts with: ${text.slice(0, 200)}`;
	throw error;
}
