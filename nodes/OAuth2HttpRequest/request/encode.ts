import type { IDataObject } from 'n8n-workflow';

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Splits "a.b[0].c" into ["a", "b", 0, "c"], as the HTTP Request node reads body field names. */
export function parsePath(path: string): Array<string | number> {
	const segments: Array<string | number> = [];
	const pattern = /([^.[\]]+)|\[(\d+)\]/g;
	let match: RegExpExecArray | null;
	while ((match = pattern.exec(path)) !== null) {
		segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
	}
	return segments;
}

/**
 * Sets `value` at a dotted path, creating objects (or lists, where the next segment is an index)
 * on the way. Refuses names that would reach an object's prototype.
 */
export function setPath(target: IDataObject, path: string, value: unknown): void {
	const segments = parsePath(path);
	if (segments.length === 0) return;
	for (const segment of segments) {
		if (typeof segment === 'string' && UNSAFE_KEYS.has(segment)) {
			throw new Error(`The field name "${path}" is not allowed`);
		}
	}
	let current: Record<string | number, unknown> = target;
	for (let index = 0; index < segments.length - 1; index++) {
		const segment = segments[index];
		const existing = current[segment];
		if (typeof existing !== 'object' || existing === null) {
			current[segment] = typeof segments[index + 1] === 'number' ? [] : {};
		}
		current = current[segment] as Record<string | number, unknown>;
	}
	current[segments[segments.length - 1]] = value;
}

/**
 * Adds a name/value pair; a name given again collects its values in a list, so repeated query
 * parameters and form fields are all sent.
 */
export function addRepeatable(target: IDataObject, name: string, value: unknown): void {
	if (UNSAFE_KEYS.has(name)) throw new Error(`The parameter name "${name}" is not allowed`);
	if (!Object.prototype.hasOwnProperty.call(target, name)) {
		target[name] = value as IDataObject[string];
		return;
	}
	const existing = target[name];
	target[name] = (Array.isArray(existing) ? [...existing, value] : [existing, value]) as IDataObject[string];
}

/** The text form of a value that goes into a form field, a query parameter or a header. */
export function fieldText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (Buffer.isBuffer(value)) return value.toString('utf8');
	return JSON.stringify(value);
}

/**
 * application/x-www-form-urlencoded encoding of flat fields; a list becomes one pair per value
 * (tag=a&tag=b), as HTML forms send it.
 */
export function encodeForm(fields: IDataObject): string {
	const pairs: string[] = [];
	for (const [name, value] of Object.entries(fields)) {
		const values = Array.isArray(value) ? value : [value];
		for (const entry of values) {
			pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(fieldText(entry))}`);
		}
	}
	return pairs.join('&');
}

/** Reads an encoded form back into fields; repeated names become lists. */
export function decodeForm(text: string): IDataObject {
	const fields: IDataObject = {};
	for (const pair of text.split('&')) {
		if (pair === '') continue;
		const equals = pair.indexOf('=');
		const rawName = equals === -1 ? pair : pair.slice(0, equals);
		const rawValue = equals === -1 ? '' : pair.slice(equals + 1);
		const decode = (part: string) => {
			try {
				return decodeURIComponent(part.replace(/\+/g, ' '));
			} catch {
				return part;
			}
		};
		addRepeatable(fields, decode(rawName), decode(rawValue));
	}
	return fields;
}

/** The key under which `headers` holds `name`, compared without case. */
export function findHeader(headers: IDataObject | Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	return Object.keys(headers).find((key) => key.toLowerCase() === wanted);
}

/** Sets a header, replacing one of the same name whatever its case. */
export function replaceHeader(headers: IDataObject, name: string, value: string): void {
	const existing = findHeader(headers, name);
	if (existing !== undefined) delete headers[existing];
	headers[name] = value;
}
