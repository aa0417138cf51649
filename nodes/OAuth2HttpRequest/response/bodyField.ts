// A field of a JSON body by a dot path, where a list on the way stands for each of its entries: the
// path errors.code reaches the code of every entry of { errors: [{ code }, { code }] }.

/** Every value at `path` in `body`; a whole-number key picks one entry of a list instead. */
export function valuesAt(body: unknown, path: readonly string[]): unknown[] {
	let current: unknown[] = [body];
	for (const key of path) {
		const next: unknown[] = [];
		for (const value of current) collect(value, key, next);
		if (next.length === 0) return next;
		current = next;
	}
	// A list at the end is its entries: { codes: [601, 602] } has 601 and 602 at codes.
	return current.flatMap((value) => (Array.isArray(value) ? value : [value]));
}

function collect(value: unknown, key: string, into: unknown[]): void {
	if (Array.isArray(value)) {
		if (/^\d+$/.test(key)) {
			if (Number(key) < value.length) into.push(value[Number(key)]);
			return;
		}
		for (const entry of value) collect(entry, key, into);
		return;
	}
	if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, key)) {
		into.push((value as Record<string, unknown>)[key]);
	}
}

/** A value as the text a user types to compare it with; objects and lists have none. */
export function comparableText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value === null) return 'null';
	return undefined;
}
