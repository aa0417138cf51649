// Headers of the token request beyond the engine's own: what an API gateway in front of the token
// endpoint wants (Azure API Management's Ocp-Apim-Subscription-Key, X-Api-Key). Their values are
// secrets (a gateway key is a credential): the request's secrets include them (requestSecretsOf), so
// every message masks them, and only their names are ever shown.

import { OAuth2ConfigError } from './error';
import type { ExtraHeader } from './types';
import type { Wording } from './wording';

/** RFC 9110 §5.6.2: a field name is a token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Printable ASCII and tab: what every HTTP client sends as it is (no line break can split the header). */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Headers the request sets itself, and why (lower case). */
function reservedReason(name: string, wording: Wording): string | undefined {
	switch (name) {
		case 'authorization':
			return `it carries the client authentication; choose that in the ${wording.fieldLabel('clientAuthentication')} field`;
		case 'content-type':
			return `${wording.sender} sets it from the ${wording.fieldLabel('requestFormat')} field`;
		case 'accept':
			return `${wording.sender} asks for JSON, the only token response it reads`;
		case 'content-length':
		case 'host':
		case 'transfer-encoding':
		case 'connection':
		case 'keep-alive':
		case 'upgrade':
		case 'te':
		case 'trailer':
		case 'expect':
		case 'proxy-connection':
		case 'proxy-authorization':
			return 'the HTTP client sets it for each connection';
		default:
			return undefined;
	}
}

/** Extra headers with trimmed names; rows without a name (left empty in a form) are dropped. */
export function normaliseExtraHeaders(extra: ExtraHeader[] | undefined): ExtraHeader[] {
	if (!Array.isArray(extra)) return [];
	return extra
		.filter((header) => header && typeof header.name === 'string' && header.name.trim())
		.map((header) => ({ name: header.name.trim(), value: header.value === undefined || header.value === null ? '' : String(header.value) }));
}

/** The header values, to be masked wherever the request may be quoted: as sent, and as a server trims them. */
export function extraHeaderValuesOf(extra: ExtraHeader[] | undefined): string[] {
	const values = normaliseExtraHeaders(extra).flatMap((header) => [header.value, header.value.trim()]);
	return [...new Set(values.filter((value) => value !== ''))];
}

/** Throws an OAuth2ConfigError naming the header (never its value) for one that cannot be sent. */
export function checkExtraHeaders(extra: ExtraHeader[] | undefined, wording: Wording): void {
	const label = wording.fieldLabel('extraHeaders');
	const seen = new Set<string>();
	for (const { name, value } of normaliseExtraHeaders(extra)) {
		if (!HEADER_NAME.test(name)) {
			throw new OAuth2ConfigError(
				`The header name "${name.replace(/[^\x20-\x7e]/g, '?')}" in ${label} is not a valid HTTP header name: use letters, digits and - (e.g. Ocp-Apim-Subscription-Key).`,
				'extraHeaders',
			);
		}
		const key = name.toLowerCase();
		const reason = reservedReason(key, wording);
		if (reason) throw new OAuth2ConfigError(`The header "${name}" cannot be set in ${label}: ${reason}.`, 'extraHeaders');
		if (seen.has(key)) throw new OAuth2ConfigError(`The header "${name}" is set twice in ${label}; keep one.`, 'extraHeaders');
		seen.add(key);
		if (!HEADER_VALUE.test(value)) {
			throw new OAuth2ConfigError(
				`The value of the header "${name}" in ${label} holds a line break, a control character or a character outside ASCII; a header value cannot carry it.`,
				'extraHeaders',
			);
		}
	}
}
