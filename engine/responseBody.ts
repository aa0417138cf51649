// What a token endpoint's body holds, whatever its Content-Type says. RFC 6749 §5.1 wants JSON served as
// application/json; providers also serve it as text/plain, application/octet-stream or with no type, and
// older ones (GitHub without an Accept header, Facebook's old endpoint) answer form-encoded pairs.

export type DecodedBody =
	| { format: 'json'; value: unknown }
	| { format: 'form'; value: Record<string, string> }
	| { format: 'neither' };

/** name=value pairs joined by "&"; a value may hold "=" (unencoded base64 padding), never "&" or a space. */
const FORM_PAIRS = /^[\w.~%[\]-]+=[^&\s]*(?:&[\w.~%[\]-]+=[^&\s]*)*&?$/;

/** Whether a body is made of form-encoded pairs, which is how it is read when it is not JSON. */
export function isFormEncoded(text: string): boolean {
	return FORM_PAIRS.test(text.trim());
}

function formPairs(text: string): Record<string, string> | undefined {
	try {
		const pairs: Record<string, string> = {};
		// A repeated name keeps its first value, as OAuth parameters must not repeat (RFC 6749 §3.1).
		for (const [name, value] of new URLSearchParams(text.trim())) {
			if (!Object.prototype.hasOwnProperty.call(pairs, name)) pairs[name] = value;
		}
		return pairs;
	} catch {
		return undefined;
	}
}

/**
 * The body as JSON when it parses (the Content-Type is not consulted: servers mislabel JSON), else as
 * form-encoded pairs when it is made of them, else neither. A leading byte order mark is ignored.
 */
export function decodeBody(text: string): DecodedBody {
	const body = text.replace(/^\uFEFF/, '');
	if (!body.trim()) return { format: 'neither' };
	try {
		return { format: 'json', value: JSON.parse(body) };
	} catch {
		// Not JSON: perhaps form-encoded.
	}
	const pairs = isFormEncoded(body) ? formPairs(body) : undefined;
	return pairs ? { format: 'form', value: pairs } : { format: 'neither' };
}
