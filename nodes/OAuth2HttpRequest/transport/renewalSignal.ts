import { OAuth2GrantsError } from '../../../engine/baseError';
import type { BodyRenewalRule } from '../options/renewTokenWhenBody';
import { comparableText, valuesAt } from '../response/bodyField';
import { bodyToBuffer, decodeText, headerText, normalizeHeaders } from '../response/decodeBody';
import type { ApiResponse } from './session';

// The one answer to "does this response ask for a new token?", for single requests and every page:
// a status of Renew Token on Status Codes, or a rule of Renew Token When Response Body Says.

export interface RenewalRules {
	/** Statuses meaning "this token was refused" (Renew Token on Status Codes). */
	renewOn: ReadonlySet<number>;
	/** Renew Token When Response Body Says; none when the option is not set. */
	renewWhenBody?: readonly BodyRenewalRule[];
}

export type RenewalAsk = { by: 'status'; status: number } | { by: 'body'; status: number; field: string; value: string };

const NOT_JSON = Symbol('not JSON');
const UNREAD = Symbol('not read yet');

function firstByteOpensJson(buffer: Buffer): boolean {
	for (const byte of buffer) {
		// Whitespace and a UTF-8 byte order mark may come first.
		if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
		return byte === 0x7b || byte === 0x5b;
	}
	return false;
}

/**
 * The body as JSON, or NOT_JSON. The node asks for bytes (a Buffer), which are decoded only when
 * they open an object or a list, so a large file is never turned into text here.
 */
function jsonOf(response: ApiResponse): unknown {
	const body = response.body;
	if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && !ArrayBuffer.isView(body) && !(body instanceof ArrayBuffer)) {
		return body;
	}
	if (typeof body !== 'string' && !Buffer.isBuffer(body) && !ArrayBuffer.isView(body) && !(body instanceof ArrayBuffer)) return NOT_JSON;
	const buffer = bodyToBuffer(body);
	if (!firstByteOpensJson(buffer)) return NOT_JSON;
	try {
		return JSON.parse(decodeText(buffer, headerText(normalizeHeaders(response.headers), 'content-type'))) as unknown;
	} catch {
		return NOT_JSON;
	}
}

/** Why `response` asks for a new token, or undefined if it does not. The body is parsed at most once. */
export function renewalAskedBy(response: ApiResponse, rules: RenewalRules): RenewalAsk | undefined {
	const status = response.statusCode;
	if (rules.renewOn.has(status)) return { by: 'status', status };
	let json: unknown = UNREAD;
	for (const rule of rules.renewWhenBody ?? []) {
		if (rule.statuses.size > 0 && !rule.statuses.has(status)) continue;
		if (json === UNREAD) json = jsonOf(response);
		if (json === NOT_JSON) return undefined;
		for (const found of valuesAt(json, rule.path)) {
			const text = comparableText(found);
			if (text !== undefined && rule.values.has(text)) return { by: 'body', status, field: rule.field, value: text };
		}
	}
	return undefined;
}

/**
 * After the one renewal and resend the API still said, in the body, that the token expired. The item
 * fails with this rather than renewing again: a fresh token that is refused at once will not be
 * accepted by asking for another.
 */
export class ExpiryAfterRenewalError extends OAuth2GrantsError {
	constructor(
		readonly response: ApiResponse,
		readonly ask: Extract<RenewalAsk, { by: 'body' }>,
	) {
		super(
			'TOKEN_EXPIRED_AFTER_RENEWAL',
			`The API still signalled an expired token after the node renewed it and sent the request again (HTTP ${ask.status}, ${ask.field} is ${ask.value})`,
		);
	}
}
