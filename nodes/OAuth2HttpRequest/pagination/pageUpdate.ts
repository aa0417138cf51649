import type { IDataObject } from 'n8n-workflow';

import { decodeForm, encodeForm, findHeader, replaceHeader } from '../request/encode';
import type { BodyContentType, HttpRequestOptions } from '../request/itemRequest';

/** The evaluated pagination values for the next page. */
export interface PageUpdate {
	/** responseContainsNextURL: the next URL (absolute; join it with joinUrl first if needed). */
	url?: string;
	qs?: IDataObject;
	headers?: IDataObject;
	body?: IDataObject;
}

/**
 * The request for the next page: `options` with the evaluated values applied, as the HTTP
 * Request node merges them. A new URL drops the query parameters it already carries; headers
 * replace headers of the same name whatever the case; body values go into a JSON body (object or
 * JSON text) or a form-urlencoded body, and make a JSON body when there was none. Other bodies
 * cannot take a parameter: a plain Error says so.
 */
export function applyPageUpdate(
	options: HttpRequestOptions,
	bodyType: BodyContentType | undefined,
	update: PageUpdate,
): HttpRequestOptions {
	const next: HttpRequestOptions = { ...options, headers: { ...(options.headers ?? {}) } };
	const qs: IDataObject = { ...(options.qs ?? {}), ...(update.qs ?? {}) };

	if (update.url !== undefined) {
		next.url = update.url;
		let searchKeys: string[] = [];
		try {
			searchKeys = Array.from(new URL(update.url).searchParams.keys());
		} catch {
			searchKeys = [];
		}
		for (const key of searchKeys) delete qs[key];
	}
	if (Object.keys(qs).length > 0) next.qs = qs;
	else delete next.qs;

	for (const [name, value] of Object.entries(update.headers ?? {})) {
		replaceHeader(next.headers as IDataObject, name, value === undefined || value === null ? '' : String(value));
	}

	if (update.body && Object.keys(update.body).length > 0) {
		if (next.body === undefined || bodyType === undefined) {
			next.body = { ...update.body };
			if (findHeader(next.headers as IDataObject, 'content-type') === undefined) {
				(next.headers as IDataObject)['content-type'] = 'application/json';
			}
		} else if (bodyType === 'json') {
			const current = typeof next.body === 'string' ? (JSON.parse(next.body) as unknown) : next.body;
			if (typeof current !== 'object' || current === null || Array.isArray(current)) {
				throw new Error('Pagination: a Body parameter needs the JSON body to be an object');
			}
			next.body = { ...(current as IDataObject), ...update.body };
		} else if (bodyType === 'form-urlencoded') {
			next.body = encodeForm({ ...decodeForm(String(next.body)), ...update.body });
		} else {
			throw new Error(
				'Pagination: a Body parameter works with a JSON or Form URL Encoded body only; use a Query or Header parameter',
			);
		}
	}
	return next;
}
