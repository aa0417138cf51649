import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_RENEW_WHEN_BODY_STATUS_CODES } from '../defaults';
import { asObject } from './itemOptions';
import { parseStatusList } from './statusList';

// Options > Renew Token When Response Body Says: APIs that say "token expired" in the body of a
// response (Marketo: HTTP 200 with errors[].code 601 or 602) rather than with a 401.

export const RENEW_TOKEN_WHEN_BODY_LABEL = 'Renew Token When Response Body Says';

/** One rule: a response with one of `statuses` (any status when empty) whose body has `values` at `path`. */
export interface BodyRenewalRule {
	statuses: ReadonlySet<number>;
	/** The field as the user typed it, for messages. */
	field: string;
	/** The field as keys; a whole number also indexes a list. */
	path: readonly string[];
	values: ReadonlySet<string>;
}

/**
 * "errors.code", "errors.0.code" or "errors[0].code" as keys. Throws for an empty key ("errors..code")
 * since such a path would silently never match.
 */
function fieldPath(field: string, rule: number): string[] {
	const keys = field.replace(/\[(\d+)\]/g, '.$1').split('.');
	if (keys.some((key) => key.trim() === '')) {
		throw new Error(
			`"${RENEW_TOKEN_WHEN_BODY_LABEL}": the Field of rule ${rule} ("${field}") has an empty part. Write the keys separated by dots, such as errors.code`,
		);
	}
	return keys.map((key) => key.trim());
}

function valueList(value: unknown): Set<string> {
	const text = Array.isArray(value) ? value.map(String).join(',') : value === undefined || value === null ? '' : String(value);
	return new Set(text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''));
}

/**
 * The raw option ({ rules: [{ statusCodes, field, values }] }) as rules; none when the option is
 * not set. Throws a plain Error naming the option and the rule for a rule without a field or values.
 */
export function parseRenewTokenWhenBody(raw: unknown): BodyRenewalRule[] {
	const entries = asObject(raw).rules;
	const list = Array.isArray(entries) ? entries : entries === undefined ? [] : [entries];
	return list.map((entry, index) => {
		const rule = asObject(entry as IDataObject);
		const number = index + 1;
		const field = String(rule.field ?? '').trim();
		if (field === '') {
			throw new Error(`"${RENEW_TOKEN_WHEN_BODY_LABEL}": rule ${number} has no Field. Enter where the code is in the JSON body, such as errors.code`);
		}
		const values = valueList(rule.values);
		if (values.size === 0) {
			throw new Error(
				`"${RENEW_TOKEN_WHEN_BODY_LABEL}": rule ${number} has no Values. Enter the values of ${field} that mean the token expired, separated by commas, such as 601, 602`,
			);
		}
		return {
			statuses: parseStatusList(rule.statusCodes ?? DEFAULT_RENEW_WHEN_BODY_STATUS_CODES, `${RENEW_TOKEN_WHEN_BODY_LABEL} > Status Codes`),
			field,
			path: fieldPath(field, number),
			values,
		};
	});
}
