import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readResponseConfig } from './buildRequest';
import type { HttpResponse, ResponseConfig } from './types';

export type { HttpResponse, ResponseConfig } from './types';

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

function headerText(headers: IDataObject, name: string): string {
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

/** Decodes bytes with the charset of the Content-Type (UTF-8 when none or unknown); drops a BOM. */
export function decodeText(buffer: Buffer, contentType = ''): string {
	const charset = charsetOf(contentType) ?? 'utf-8';
	let label = 'utf-8';
	try {
		label = new TextDecoder(charset).encoding;
	} catch {
		// An unknown charset: read the bytes as UTF-8.
	}
	return new TextDecoder(label).decode(buffer);
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

function parseJson(text: string): JsonParse {
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
 * Useful to the pagination loop too ($response.body).
 */
export function decodeResponseBody(
	response: HttpResponse,
	config: Pick<ResponseConfig, 'responseFormat' | 'neverError'>,
): DecodedBody {
	const headers = normalizeHeaders(response.headers);
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

	const parsed = parseJson(text);
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

/** Keeps only the last part of a path and drops characters that do not belong in a file name. */
function safeFileName(name: string | undefined): string | undefined {
	if (!name) return undefined;
	const last = name.split(/[/\\]/).pop() ?? '';
	const base = Array.from(last)
		.filter((char) => char.charCodeAt(0) >= 32 && char.charCodeAt(0) !== 127)
		.join('')
		.trim();
	return base === '' || base === '.' || base === '..' ? undefined : base;
}

function decodePercent(text: string, charset: string): string {
	try {
		return charset === 'utf-8' || charset === '' ? decodeURIComponent(text) : decodeLatin1Percent(text);
	} catch {
		return text;
	}
}

function decodeLatin1Percent(text: string): string {
	return text.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The file name of a Content-Disposition header; filename* (RFC 6266/8187) wins over filename. */
export function fileNameFromContentDisposition(value: string): string | undefined {
	if (!value) return undefined;
	const extended = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(value);
	if (extended) {
		const name = safeFileName(decodePercent(extended[2].trim().replace(/^"|"$/g, ''), extended[1].trim().toLowerCase()));
		if (name) return name;
	}
	const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;]*))/i.exec(value);
	if (plain) {
		const raw = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2].trim();
		return safeFileName(raw);
	}
	return undefined;
}

/** The last segment of a URL's path, decoded, or undefined when the path ends with "/". */
export function fileNameFromUrl(url: string): string | undefined {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		path = url.split(/[?#]/)[0];
	}
	const segment = path.split('/').pop() ?? '';
	return safeFileName(decodePercent(segment, 'utf-8'));
}

function toJsonObject(value: unknown): IDataObject {
	if (value === undefined || value === null) return {};
	if (typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
	return { data: value as IDataObject[string] };
}

/**
 * Turns one response into output items, as the HTTP Request node does:
 *
 * - JSON: a list becomes one item per entry (a scalar entry is { data }), an object one item;
 *   with Include Response Headers and Status, one item { body, headers, statusCode, statusMessage }.
 * - Text: one item { [outputPropertyName]: text } (plus headers, statusCode, statusMessage).
 * - File: one item whose binary field outputPropertyName holds the file, named after the
 *   Content-Disposition header or the URL; its json is the input item's json, or the headers and
 *   status with Include Response Headers and Status; the input item's other binary fields stay.
 *
 * Every item has pairedItem { item: itemIndex }. Only response headers are output (without any
 * authorization header), never the request's.
 * `config` defaults to the item's Options > Response, with the URL parameter as given.
 */
export async function toOutputItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	response: HttpResponse,
	config?: ResponseConfig,
): Promise<INodeExecutionData[]> {
	const settings =
		config ??
		readResponseConfig(
			ctx.getNodeParameter('options', itemIndex, {}) as IDataObject,
			String(ctx.getNodeParameter('url', itemIndex, '') ?? ''),
		);
	const pairedItem = { item: itemIndex };
	const headers = normalizeHeaders(response.headers);
	const meta: IDataObject = {
		headers,
		statusCode: response.statusCode,
		statusMessage: response.statusMessage ?? '',
	};

	let decoded: DecodedBody;
	try {
		decoded = decodeResponseBody(response, settings);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			itemIndex,
			description: (error as Error & { detail?: string }).detail,
		});
	}

	if (decoded.kind === 'file') {
		const input = ctx.getInputData()[itemIndex];
		const contentType = headerText(headers, 'content-type');
		const fromHeader = fileNameFromContentDisposition(headerText(headers, 'content-disposition'));
		const fromUrl = fromHeader ? undefined : fileNameFromUrl(settings.url);
		const knownName = fromHeader ?? (fromUrl?.includes('.') ? fromUrl : undefined);
		const binaryData = await ctx.helpers.prepareBinaryData(
			decoded.value as Buffer,
			knownName,
			mimeTypeOf(contentType) || undefined,
		);
		if (!binaryData.fileName) {
			const stem = fromUrl ?? settings.outputPropertyName;
			binaryData.fileName = binaryData.fileExtension ? `${stem}.${binaryData.fileExtension}` : stem;
		}
		const binary: IBinaryKeyData = { ...(input?.binary ?? {}), [settings.outputPropertyName]: binaryData };
		const json = settings.fullResponse ? meta : { ...(input?.json ?? {}) };
		return [{ json, binary, pairedItem }];
	}

	if (decoded.kind === 'text') {
		const json: IDataObject = { [settings.outputPropertyName]: decoded.value as string };
		return [{ json: settings.fullResponse ? { ...json, ...meta } : json, pairedItem }];
	}

	if (settings.fullResponse) {
		return [{ json: { body: decoded.value as IDataObject, ...meta }, pairedItem }];
	}
	if (Array.isArray(decoded.value)) {
		return decoded.value.map((entry) => ({ json: toJsonObject(entry), pairedItem }));
	}
	return [{ json: toJsonObject(decoded.value), pairedItem }];
}
