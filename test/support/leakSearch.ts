// Typed access to the one leak search (leakSearch.cjs, shared with the node:test e2e files).

export interface LeakValue {
	value: string;
	/** How the report names the value ("client secret"); never the value itself. */
	label?: string;
	/** Also search the HTTP Basic header values of this client id with the value as its secret. */
	clientId?: string;
}

export interface Leak {
	label: string;
	encoding: string;
	at: number;
	/** The text around the leak, the leaked text replaced by its label. */
	excerpt: string;
}

export interface LeakSearchOptions {
	/** Parameter, member and header names under which a short value is searched. */
	names?: string[];
}

interface LeakSearch {
	ENCODINGS: Array<[string, (value: string) => string]>;
	SECRET_NAMES: string[];
	MIN_FREE_SEARCH: number;
	encodingsOf(value: string, options?: { clientId?: string }): Array<{ text: string; encoding: string }>;
	findLeaks(haystack: string, values: Array<string | LeakValue>, options?: LeakSearchOptions): Leak[];
	describeLeaks(leaks: Leak[]): string;
	assertNoLeaks(haystack: string, values: Array<string | LeakValue>, where?: string, options?: LeakSearchOptions): void;
	errorText(error: unknown): string;
}

const search = require('./leakSearch.cjs') as LeakSearch;

export const { ENCODINGS, SECRET_NAMES, MIN_FREE_SEARCH, encodingsOf, findLeaks, describeLeaks, assertNoLeaks, errorText } = search;
