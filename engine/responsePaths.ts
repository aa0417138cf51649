// The paths a user names for the token response's fields (TokenRequestConfig.responseFields): member
// names from the top of the response joined by dots; a number picks an item of a list.

import { OAuth2ConfigError, type ConfigField } from './error';
import type { ResponseFields } from './types';
import type { Wording } from './wording';

export type Path = readonly string[];

/**
 * A path as written (`data.jwt`, `items.0.token`, `items[0].token`), or undefined when it is not one
 * (an empty part, spaces around a part). A member whose name holds a dot cannot be named.
 */
export function parsePath(text: string): Path | undefined {
	const written = text.trim().replace(/\[(\d+)\]/g, '.$1');
	if (!written) return undefined;
	const segments = written.split('.');
	return segments.every((segment) => segment.length > 0 && segment.trim() === segment) ? segments : undefined;
}

const FIELDS: Array<[keyof ResponseFields, ConfigField]> = [
	['accessToken', 'responseFields.accessToken'],
	['expiry', 'responseFields.expiry'],
	['refreshToken', 'responseFields.refreshToken'],
];

/** Throws for a named path that is no path; an empty one means "detect it". */
export function checkResponseFields(fields: ResponseFields | undefined, wording: Wording): void {
	if (fields === undefined || fields === null) return;
	for (const [key, field] of FIELDS) {
		const text = fields[key];
		if (text === undefined || text === null || (typeof text === 'string' && !text.trim())) continue;
		if (typeof text !== 'string' || !parsePath(text)) {
			throw new OAuth2ConfigError(
				`The ${wording.fieldLabel(field)} "${String(text).trim()}" is not a field path: write the member names from the top of the response, joined by dots, e.g. data.access_token (a number picks an item of a list: items.0.token).`,
				field,
			);
		}
	}
}
