import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addRepeatable } from './encode';

/** One item's parameters, read through n8n, with errors that name the item. */
export interface ItemParameters {
	ctx: IExecuteFunctions;
	itemIndex: number;
	get<T>(name: string, fallback: T): T;
	fail(message: string, description?: string): NodeOperationError;
}

/** A row of a name/value collection (query, header and body parameters). */
export interface NameValue {
	name?: unknown;
	value?: unknown;
	parameterType?: unknown;
	inputDataFieldName?: unknown;
}

export function itemParameters(ctx: IExecuteFunctions, itemIndex: number): ItemParameters {
	return {
		ctx,
		itemIndex,
		get: <T>(name: string, fallback: T): T => ctx.getNodeParameter(name, itemIndex, fallback) as T,
		fail: (message: string, description?: string) =>
			new NodeOperationError(ctx.getNode(), message, { itemIndex, ...(description ? { description } : {}) }),
	};
}

/** `work()`, with a plain Error it throws (a message for the user) turned into this item's NodeOperationError. */
export function asItemError<T>(parameters: ItemParameters, work: () => T): T {
	try {
		return work();
	} catch (error) {
		throw parameters.fail((error as Error).message);
	}
}

/**
 * Adds the rows of a name/value collection to `target`; a name given again collects its values in a
 * list. `entryOf` gives a row's name and value; a row without a name is skipped.
 */
export function addNamedEntries(
	parameters: ItemParameters,
	target: IDataObject,
	entries: NameValue[],
	entryOf: (entry: NameValue) => [name: string, value: unknown],
): IDataObject {
	for (const entry of entries) {
		const [name, value] = entryOf(entry);
		if (name === '') continue;
		asItemError(parameters, () => addRepeatable(target, name, value));
	}
	return target;
}

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/**
 * A JSON parameter as the user wrote it: text is parsed, an expression that already returned an
 * object is taken as it is, empty text is undefined.
 */
export function jsonParameter(parameters: ItemParameters, name: string, label: string): unknown {
	const value = parameters.get<unknown>(name, '');
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw parameters.fail(
			`"${label}" (${name}) is not valid JSON`,
			`${(error as Error).message}. Check quotes, commas and brackets, or build the value with an expression.`,
		);
	}
}

export function jsonObjectParameter(parameters: ItemParameters, name: string, label: string): IDataObject {
	const value = jsonParameter(parameters, name, label);
	if (value === undefined || value === null) return {};
	if (!isPlainObject(value)) {
		throw parameters.fail(`"${label}" (${name}) must be a JSON object`, 'Write it as an object of names and values, such as { "name": "value" }');
	}
	return { ...value };
}
