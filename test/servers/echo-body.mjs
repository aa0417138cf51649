// Turns a request body into something a test can compare: parsed when the content type says how,
// summarised by size and hash when it is binary (so large uploads stay cheap to echo back).

import { createHash } from 'node:crypto';

import { parseMultipart } from './multipart.mjs';

const TEXT_TYPES = /^(text\/|application\/(xml|javascript|[\w.+-]+\+xml)$)/;

function rawSummary(contentType, body) {
	return { size: body.length, sha256: createHash('sha256').update(body).digest('hex'), contentType: contentType || null };
}

function formToObject(body) {
	const out = {};
	for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
		out[key] = key in out ? [].concat(out[key], value) : value;
	}
	return out;
}

/** `{ bodyType, body }`; bodyType is 'empty' | 'json' | 'form' | 'multipart' | 'text' | 'raw'. */
export function describeBody(contentType, body) {
	if (body.length === 0) return { bodyType: 'empty', body: null };
	const type = String(contentType ?? '').split(';')[0].trim().toLowerCase();
	if (type === 'application/json' || type.endsWith('+json')) {
		try {
			return { bodyType: 'json', body: JSON.parse(body.toString('utf8')) };
		} catch {
			return { bodyType: 'text', body: body.toString('utf8') };
		}
	}
	if (type === 'application/x-www-form-urlencoded') return { bodyType: 'form', body: formToObject(body) };
	if (type === 'multipart/form-data') {
		const parts = parseMultipart(contentType, body);
		return parts ? { bodyType: 'multipart', body: parts } : { bodyType: 'raw', body: rawSummary(contentType, body) };
	}
	if (TEXT_TYPES.test(type)) return { bodyType: 'text', body: body.toString('utf8') };
	return { bodyType: 'raw', body: rawSummary(contentType, body) };
}
