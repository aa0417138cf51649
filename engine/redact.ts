// The one redaction policy of the package. Every message it produces (engine, credential, node) goes
// through a Redactor before anyone sees it: error messages are shown in the n8n UI, stored in
// executions and written to logs.
//
// Two passes, so that neither a long secret nor a one-character one gets through:
// 1. By value: every value the credential holds, in every encoding a server or library may echo it
//    in. Values shorter than MIN_VALUE_LENGTH are not searched (they would mask half the message
//    and reveal themselves by the pattern of masks); short ones only as whole words.
// 2. By structure, whatever the values: URL userinfo, secret-looking parameters in query strings and
//    form bodies, JSON members, credential headers, Bearer/Basic credentials.
// Every hit, overlapping or adjacent ones merged, becomes one "***", whatever its length.

const MASK = '***';

/** Values shorter than this are masked by structure only. */
export const MIN_VALUE_LENGTH = 4;

/** Values shorter than this are masked by value only where they stand as a whole word. */
const WHOLE_WORD_BELOW = 8;

/** application/x-www-form-urlencoded: encodeURIComponent, with spaces as "+" (RFC 6749 Appendix B). */
export function formEncode(value: string): string {
	return encodeURIComponent(value).replace(/%20/g, '+');
}

function base64(value: string): string {
	return Buffer.from(value, 'utf8').toString('base64');
}

/** The value of an HTTP Basic Authorization header for these credentials, as typed. */
export function basicCredentials(id: string, secret: string): string {
	return base64(`${id}:${secret}`);
}

/** The value of an HTTP Basic Authorization header, id and secret form-encoded first (RFC 6749 §2.3.1). */
export function basicCredentialsFormEncoded(id: string, secret: string): string {
	return basicCredentials(formEncode(id), formEncode(secret));
}

/** What URLSearchParams makes of a value: it also encodes !'()~, which encodeURIComponent leaves. */
function searchParamsEncode(value: string): string {
	return new URLSearchParams([['', value]]).toString().slice(1);
}

/** The HTTP Basic header values these credentials may have been sent as, to be masked too. */
export function basicForms(id: string, secret: string | undefined): string[] {
	if (!secret) return [];
	return [...new Set([basicCredentials(id, secret), basicCredentialsFormEncoded(id, secret), basicCredentials(searchParamsEncode(id), searchParamsEncode(secret))])];
}

// ---- names -----------------------------------------------------------------------------------

/** Names that say "the value is a credential" wherever they occur in a name. */
const SECRET_WORDS = /secret|passw|passphrase|token|apikey|api[_-]key|assertion|credential|private|signature|authoriz|cookie|session/;

/** Whole names (or the last part after "_" or "-") that are credentials. */
const SECRET_NAMES = /(^|[_-])(key|sig|auth|pwd|pass|jwt)$|^(code|otp|pin)$/;

/** Names that contain a secret word but hold a description of one ("token_type", "token_endpoint"). */
const NOT_SECRET = /(_type|_type_hint|_endpoint|_url|_uri|_in|_at|_method|_methods|_supported|_alg|_hint|_length|_name)$/;

/** Whether a parameter, JSON member or header of this name holds a credential. */
export function isSecretName(name: string): boolean {
	const lower = name.toLowerCase().replace(/^x-/, '');
	if (NOT_SECRET.test(lower)) return false;
	return SECRET_WORDS.test(lower) || SECRET_NAMES.test(lower);
}

/** Names of a token's type: "tokenType" holds "token" but no credential. */
const TYPE_NAMES = new Set(['token_type', 'tokentype']);

/** Every string under a credential name (any *token, *secret...) of a parsed body, at any depth. */
export function credentialValuesIn(value: unknown, depth = 0, out: string[] = []): string[] {
	if (value === null || typeof value !== 'object' || depth >= 32) return out;
	for (const [name, member] of Object.entries(value)) {
		if (typeof member === 'string') {
			if (member && isSecretName(name) && !TYPE_NAMES.has(name.toLowerCase())) out.push(member);
		} else credentialValuesIn(member, depth + 1, out);
	}
	return out;
}

// ---- values ----------------------------------------------------------------------------------

const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * The text as a reader decodes it, each character remembering the span of the original text it
 * came from, so a value found in the decoded text is masked where it stands in the original.
 */
interface View {
	text: string;
	start: number[];
	end: number[];
}

type Decoder = (text: string, at: number) => { value: string; length: number } | undefined;

function originalView(text: string): View {
	const start = [...Array(text.length).keys()];
	return { text, start, end: start.map((i) => i + 1) };
}

function decodedView(view: View, decode: Decoder): View {
	const out: View = { text: '', start: [], end: [] };
	let text = '';
	for (let at = 0; at < view.text.length; ) {
		const decoded = decode(view.text, at);
		const value = decoded?.value ?? view.text[at];
		const length = decoded?.length ?? 1;
		for (let unit = 0; unit < value.length; unit++) {
			out.start.push(view.start[at]);
			out.end.push(view.end[at + length - 1]);
		}
		text += value;
		at += length;
	}
	out.text = text;
	return out;
}

const PERCENT_RUN = /(?:%[0-9a-f]{2})+/iy;

/** Percent-encoding, hex of any case; with `plusIsSpace`, "+" as a space (form encoding). */
function percentDecoder(plusIsSpace: boolean): Decoder {
	return (text, at) => {
		if (plusIsSpace && text[at] === '+') return { value: ' ', length: 1 };
		if (text[at] !== '%') return undefined;
		PERCENT_RUN.lastIndex = at;
		const run = PERCENT_RUN.exec(text)?.[0];
		if (!run) return undefined;
		try {
			return { value: decodeURIComponent(run), length: run.length };
		} catch {
			// Not UTF-8 as a whole: one escape at a time, bytes above ASCII left as they are.
			const byte = parseInt(run.slice(1, 3), 16);
			return byte < 0x80 ? { value: String.fromCharCode(byte), length: 3 } : undefined;
		}
	};
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'" };

/** JSON string escapes: \uXXXX of any case, \/, \" and the rest. */
const jsonDecoder: Decoder = (text, at) => {
	if (text[at] !== '\\') return undefined;
	const next = text[at + 1];
	if (next === 'u' || next === 'U') {
		const hex = text.slice(at + 2, at + 6);
		return /^[0-9a-f]{4}$/i.test(hex) ? { value: String.fromCharCode(parseInt(hex, 16)), length: 6 } : undefined;
	}
	const value = next === undefined ? undefined : JSON_ESCAPES[next];
	return value === undefined ? undefined : { value, length: 2 };
};

const HTML_REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/y;
const HTML_NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** HTML character references, as an error page quotes what it was sent. */
const htmlDecoder: Decoder = (text, at) => {
	if (text[at] !== '&') return undefined;
	HTML_REFERENCE.lastIndex = at;
	const match = HTML_REFERENCE.exec(text);
	if (!match) return undefined;
	const code = match[1] ? Number(match[1]) : match[2] ? parseInt(match[2], 16) : undefined;
	if (code !== undefined && code > 0x10ffff) return undefined;
	return { value: code !== undefined ? String.fromCodePoint(code) : HTML_NAMED[match[3]], length: match[0].length };
};

/**
 * Every reading of the text a value may hide in: as it is; percent-decoded (with "+" kept, and as a
 * space); JSON-unescaped once and twice (JSON quoted inside JSON, a log line of a JSON run);
 * HTML-decoded. Any mix of encoded and plain characters within one reading is found, so both form
 * encodings (URLSearchParams also encodes !'()~) and either hex case are covered.
 */
function viewsOf(text: string): View[] {
	const original = originalView(text);
	const views = [original];
	if (text.includes('%')) views.push(decodedView(original, percentDecoder(false)));
	if (text.includes('%') || text.includes('+')) views.push(decodedView(original, percentDecoder(true)));
	if (text.includes('\\')) {
		const once = decodedView(original, jsonDecoder);
		views.push(once);
		if (once.text.includes('\\')) views.push(decodedView(once, jsonDecoder));
	}
	if (text.includes('&')) views.push(decodedView(original, htmlDecoder));
	return views;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Encodings that are not character by character: base64 in its variants. */
function literalFormsOf(value: string): string[] {
	const encoded = base64(value);
	return [encoded, encoded.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url')];
}

/** Whether the hit stands as a word: a short value inside a longer word is most likely not that value. */
function standsAlone(text: string, at: number, length: number): boolean {
	const before = text[at - 1];
	const after = text[at + length];
	const edgeIsWord = (char: string | undefined, edge: string) => WORD_CHAR.test(edge) && char !== undefined && WORD_CHAR.test(char);
	return !edgeIsWord(before, text[at]) && !edgeIsWord(after, text[at + length - 1]);
}

type Span = [start: number, end: number];

function mergeSpans(spans: Span[]): Span[] {
	const sorted = [...spans].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
	const merged: Span[] = [];
	for (const span of sorted) {
		const last = merged[merged.length - 1];
		if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
		else merged.push([span[0], span[1]]);
	}
	return merged;
}

function replaceSpans(text: string, spans: Span[]): string {
	let out = '';
	let at = 0;
	for (const [start, end] of mergeSpans(spans)) {
		out += text.slice(at, start) + MASK;
		at = end;
	}
	return out + text.slice(at);
}

// ---- structure -------------------------------------------------------------------------------

/** scheme://userinfo@ — the userinfo (user name and password) goes, whatever it is. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>\\]*(?:@[^\s/?#@"'<>\\]*)*)@/gi;

/** name=value in a query string, a form body or a Set-Cookie-like list. */
const PARAMETER = /(^|[?&;\s"'(,{[])([\w.[\]-]+)=([^&\s"'<>#;,)}\]]*)/g;

/** "name": "value" in JSON, in JSON quoted inside JSON, and in Python's repr. */
const JSON_MEMBERS: RegExp[] = [
	/(")([^"\\\s]+)("\s*:\s*")((?:[^"\\]|\\.)*)(")/g,
	/(\\")([^"\\\s]+)(\\"\s*:\s*\\")((?:[^"\\]|\\[^"])*)(\\")/g,
	/(')([^'\\\s]+)('\s*:\s*')((?:[^'\\]|\\.)*)(')/g,
];

/** Header lines: the credential headers by name (more may be added per credential). */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token'];

const AUTH_SCHEMES = ['Bearer', 'Basic', 'Digest', 'DPoP', 'MAC', 'Token', 'Negotiate', 'NTLM'];

/** An auth scheme and its credentials: "Bearer abc", "Basic dXNlcjpwYXNz". */
const SCHEME_CREDENTIALS = new RegExp(`\\b(${AUTH_SCHEMES.join('|')})(\\s+)([A-Za-z0-9\\-._~+/]+=*)`, 'g');

/** A word ("Basic authentication", "Bearer tokens", "Token URL"), not a credential, which mixes cases. */
const PLAIN_WORD = /^(?:[A-Z]?[a-z]+|[A-Z]+)$/;

function headerPattern(names: ReadonlyArray<string>): RegExp {
	const alternatives = [...new Set(names.map((name) => name.toLowerCase()))].map(escapeRegExp).join('|');
	// Up to the end of the line or a quote; a header list written "a: x; b: y" ends at "; b:".
	return new RegExp(`(^|[^\\w-])(${alternatives})(\\s*:\\s*)((?:(?!;\\s*[\\w-]+\\s*:)[^\\r\\n"'])*)`, 'gi');
}

function maskStructure(text: string, headers: RegExp, parameters: ReadonlySet<string>): string {
	let out = text.replace(USERINFO, `$1${MASK}@`);
	out = out.replace(headers, (_all, before: string, name: string, separator: string, value: string) => {
		// The scheme says how the header was meant ("Bearer ***"), not what it held.
		const scheme = /^(\w+)\s+\S/.exec(value)?.[1];
		const kept = scheme && AUTH_SCHEMES.includes(scheme) ? `${scheme} ` : '';
		return value.trim() ? `${before}${name}${separator}${kept}${MASK}` : `${before}${name}${separator}${value}`;
	});
	out = out.replace(SCHEME_CREDENTIALS, (all, scheme: string, space: string, credentials: string) =>
		credentials === MASK || PLAIN_WORD.test(credentials) ? all : `${scheme}${space}${MASK}`,
	);
	for (const member of JSON_MEMBERS) {
		out = out.replace(member, (all, open: string, name: string, middle: string, value: string, close: string) =>
			isSecretName(name) && value !== '' ? `${open}${name}${middle}${MASK}${close}` : all,
		);
	}
	out = out.replace(PARAMETER, (all, before: string, name: string, value: string) =>
		(isSecretName(name) || parameters.has(name.toLowerCase())) && value !== '' ? `${before}${name}=${MASK}` : all,
	);
	return out;
}

// ---- the redactor ----------------------------------------------------------------------------

export interface RedactorOptions {
	/** More header names whose value is a credential (a credential's own token header). */
	headers?: ReadonlyArray<string>;
	/** More query and form parameter names whose value is a credential (a credential's token parameter), any case. */
	parameters?: ReadonlyArray<string>;
}

/**
 * Masks the values it was given and everything that looks like a credential by its structure. Build
 * one per failure with every value the credential holds and every token issued or sent for it.
 */
export class Redactor {
	private readonly values = new Set<string>();

	private readonly headerNames: string[];

	private readonly parameterNames: ReadonlySet<string>;

	private compiled?: { forms: Array<{ form: string; wholeWord: boolean }>; headers: RegExp };

	constructor(values: Iterable<unknown> = [], options: RedactorOptions = {}) {
		this.headerNames = [...CREDENTIAL_HEADERS, ...(options.headers ?? []).filter((name) => typeof name === 'string' && name.trim() !== '')];
		this.parameterNames = new Set((options.parameters ?? []).filter((name) => typeof name === 'string' && name.trim() !== '').map((name) => name.trim().toLowerCase()));
		this.add(...values);
	}

	/** Adds values to mask; anything that is not a non-empty string is ignored. */
	add(...values: unknown[]): this {
		for (const value of values) {
			if (typeof value === 'string' && value !== '') this.values.add(value);
		}
		this.compiled = undefined;
		return this;
	}

	/** Adds the HTTP Basic header values of this client id and secret. */
	addBasic(id: string, secret: string | undefined): this {
		return this.add(...basicForms(id, secret));
	}

	/** `text` with every value and every structural credential replaced by "***". */
	mask(text: unknown): string {
		const input = typeof text === 'string' ? text : text == null ? '' : String(text);
		if (input === '') return input;
		const { forms, headers } = this.compile();
		const spans: Span[] = [];
		if (forms.length) {
			for (const view of viewsOf(input)) {
				for (const { form, wholeWord } of forms) {
					for (let at = view.text.indexOf(form); at >= 0; at = view.text.indexOf(form, at + 1)) {
						if (wholeWord && !standsAlone(view.text, at, form.length)) continue;
						spans.push([view.start[at], view.end[at + form.length - 1]]);
					}
				}
			}
		}
		return maskStructure(spans.length ? replaceSpans(input, spans) : input, headers, this.parameterNames);
	}

	private compile(): NonNullable<Redactor['compiled']> {
		if (this.compiled) return this.compiled;
		const forms = new Map<string, boolean>();
		for (const value of this.values) {
			const length = [...value].length;
			if (length < MIN_VALUE_LENGTH) continue;
			forms.set(value, length < WHOLE_WORD_BELOW);
			for (const form of literalFormsOf(value)) if (!forms.has(form)) forms.set(form, false);
		}
		this.compiled = { forms: [...forms].map(([form, wholeWord]) => ({ form, wholeWord })), headers: headerPattern(this.headerNames) };
		return this.compiled;
	}
}

/** `text` with `secrets` (in every encoding) and structural credentials masked. */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	return new Redactor(secrets).mask(text);
}

/**
 * A URL fit for a message: without user name and password, and with the values of query parameters
 * that look like credentials replaced by "***". Text that is not a URL only loses anything that looks
 * like userinfo.
 */
export function safeUrl(url: string): string {
	const trimmed = (url ?? '').trim();
	let parsed: URL | undefined;
	try {
		parsed = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? new URL(trimmed) : undefined;
	} catch {
		parsed = undefined;
	}
	if (!parsed) return trimmed.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1').replace(/^[^/@?#:]+:[^/?#]*@/, '');
	parsed.username = '';
	parsed.password = '';
	const names = [...new Set(parsed.searchParams.keys())];
	for (const name of names) {
		if (isSecretName(name)) parsed.searchParams.set(name, MASK);
	}
	return parsed.toString();
}
