// The one leak search of the test suites: every encoding in which a server, a library or a log can
// echo a value, generated here and nowhere else, and a search that says which value leaked in which
// encoding. CommonJS, so the jest tests (TypeScript compiled to CommonJS, through leakSearch.ts) and
// the node:test e2e files (ESM) load the same code.
//
// It is written independently of engine/redact.ts on purpose: a search that reused the masking code
// could not find what that code misses.
'use strict';

/** Encodings shorter than this are searched only where structure says a secret is (see below). */
const MIN_FREE_SEARCH = 6;

const lowerHex = (text) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const rfcForm = (value) => encodeURIComponent(value).replace(/%20/g, '+');
const searchParams = (value) => new URLSearchParams([['', value]]).toString().slice(1);
const base64 = (value) => Buffer.from(value, 'utf8').toString('base64');

/** JSON with every non-ASCII character as \uXXXX and "/" as "\/", as PHP's json_encode writes it. */
function asciiJson(value, upper) {
	const escaped = JSON.stringify(value)
		.slice(1, -1)
		.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
		.replace(/\//g, '\\/');
	return upper ? escaped.replace(/\\u([0-9a-f]{4})/g, (_m, hex) => `\\u${hex.toUpperCase()}`) : escaped;
}

function htmlEscape(value) {
	return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Every way one value can be written: the list the whole test suite searches. */
const ENCODINGS = [
	['raw', (v) => v],
	['percent-encoded (encodeURIComponent)', encodeURIComponent],
	['percent-encoded, lower-case hex', (v) => lowerHex(encodeURIComponent(v))],
	['form-encoded (RFC 6749 Appendix B)', rfcForm],
	['form-encoded, lower-case hex', (v) => lowerHex(rfcForm(v))],
	['form-encoded (URLSearchParams)', searchParams],
	['form-encoded (URLSearchParams), lower-case hex', (v) => lowerHex(searchParams(v))],
	['encodeURI', encodeURI],
	['JSON string', (v) => JSON.stringify(v).slice(1, -1)],
	['JSON string inside JSON', (v) => JSON.stringify(JSON.stringify(v)).slice(3, -3)],
	['JSON, \\uxxxx and \\/ escapes', (v) => asciiJson(v, false)],
	['JSON, \\uXXXX and \\/ escapes', (v) => asciiJson(v, true)],
	['JSON, \\u escapes, inside JSON', (v) => JSON.stringify(asciiJson(v, false)).slice(1, -1)],
	['HTML entities', htmlEscape],
	['base64', base64],
	['base64 without padding', (v) => base64(v).replace(/=+$/, '')],
	['base64url', (v) => Buffer.from(v, 'utf8').toString('base64url')],
];

/** Encodings of the pair a client sends in an HTTP Basic header (RFC 7617; RFC 6749 §2.3.1). */
const PAIR_ENCODINGS = [
	['HTTP Basic value (id:secret as typed)', (id, v) => base64(`${id}:${v}`)],
	['HTTP Basic value (id and secret form-encoded)', (id, v) => base64(`${rfcForm(id)}:${rfcForm(v)}`)],
	['HTTP Basic value (URLSearchParams-encoded)', (id, v) => base64(`${searchParams(id)}:${searchParams(v)}`)],
];

/** Parameter, member and header names under which a short secret would show. */
const SECRET_NAMES = [
	'password', 'client_secret', 'secret', 'refresh_token', 'access_token', 'id_token', 'token', 'passphrase',
	'api_key', 'apikey', 'client_assertion', 'assertion', 'key',
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each distinct text of `value` with the names of the encodings that produce it. */
function encodingsOf(value, { clientId } = {}) {
	const byText = new Map();
	const add = (name, text) => {
		if (!text) return;
		if (!byText.has(text)) byText.set(text, []);
		byText.get(text).push(name);
	};
	for (const [name, encode] of ENCODINGS) add(name, encode(value));
	if (clientId !== undefined) for (const [name, encode] of PAIR_ENCODINGS) add(name, encode(clientId, value));
	// One name per text: the first encoding that gives it ("raw" before "JSON string" for plain text).
	return [...byText].map(([text, names]) => ({ text, encoding: names.length > 1 ? `${names[0]} (and ${names.length - 1} more)` : names[0] }));
}

/**
 * Where a short encoding can be told apart from ordinary text: as the value of a secret-looking
 * parameter, JSON member or header, after "Bearer"/"Basic", or as the password of URL userinfo.
 */
function structuredPattern(text, names) {
	const value = escapeRegExp(text);
	const name = `(?:${names.map(escapeRegExp).join('|')})`;
	const end = `(?=$|[&\\s"'\\\\;,)<])`;
	return new RegExp(
		[
			`(?:^|[?&\\s"';,(])${name}=${value}${end}`,
			`\\\\?"${name}\\\\?"\\s*:\\s*\\\\?"${value}\\\\?"`,
			`${name}\\s*:\\s*${value}${end}`,
			`\\b(?:Bearer|Basic)\\s+${value}${end}`,
			`://[^\\s/@:]*:${value}@`,
		].join('|'),
		'gi',
	);
}

/** Text around a hit, with the hit itself replaced by its label so the report does not repeat it. */
function excerptOf(haystack, at, length, label) {
	const before = haystack.slice(Math.max(0, at - 60), at);
	const after = haystack.slice(at + length, at + length + 60);
	return `${before}<<${label}>>${after}`.replace(/\s+/g, ' ');
}

/**
 * The leaks of `values` in `haystack`. A value is a string or `{ value, label, clientId }`
 * (`clientId`: also search the Basic header values of that id with this secret). Encodings of at
 * least MIN_FREE_SEARCH characters are searched anywhere; shorter ones where structure says a
 * secret is (`names`: the parameter, member and header names; default SECRET_NAMES).
 */
function findLeaks(haystack, values, { names = SECRET_NAMES } = {}) {
	const text = String(haystack ?? '');
	const leaks = [];
	for (const entry of values) {
		const spec = typeof entry === 'string' ? { value: entry } : entry;
		if (typeof spec.value !== 'string' || spec.value === '') continue;
		const label = spec.label ?? `a value of ${spec.value.length} characters`;
		for (const { text: form, encoding } of encodingsOf(spec.value, spec)) {
			if (form.length >= MIN_FREE_SEARCH) {
				const at = text.indexOf(form);
				if (at >= 0) leaks.push({ label, encoding, at, excerpt: excerptOf(text, at, form.length, `${label} as ${encoding}`) });
				continue;
			}
			const match = structuredPattern(form, names).exec(text);
			if (match) leaks.push({ label, encoding, at: match.index, excerpt: excerptOf(text, match.index, match[0].length, `${label} as ${encoding}, in context`) });
		}
	}
	return leaks;
}

function describeLeaks(leaks) {
	return leaks.map((leak) => `- ${leak.label} as ${leak.encoding}: …${leak.excerpt}…`).join('\n');
}

/** Throws, naming each value and encoding found, when `haystack` holds any of `values`. */
function assertNoLeaks(haystack, values, where = 'the output', options) {
	const leaks = findLeaks(haystack, values, options);
	if (leaks.length) throw new Error(`${leaks.length} leak(s) in ${where}:\n${describeLeaks(leaks)}`);
}

/** Everything a thrown error shows: message, description, stack and its own fields as JSON, causes too. */
function errorText(error, depth = 0) {
	if (!error || typeof error !== 'object') return String(error);
	const json = (value, keys) => {
		try {
			return JSON.stringify(value, keys);
		} catch {
			return '';
		}
	};
	const parts = [error.message, error.description, error.stack, json(error), json(error, Object.getOwnPropertyNames(error))];
	if (error.cause && depth < 5) parts.push(errorText(error.cause, depth + 1));
	return parts.filter((part) => typeof part === 'string').join('\n');
}

module.exports = { ENCODINGS, PAIR_ENCODINGS, SECRET_NAMES, MIN_FREE_SEARCH, encodingsOf, findLeaks, describeLeaks, assertNoLeaks, errorText };
