// A minimal multipart/form-data reader for the echo endpoint (no busboy in node_modules). It only has to
// understand what HTTP clients send, and reports files by size and hash instead of keeping their bytes.

import { createHash } from 'node:crypto';

function boundaryOf(contentType) {
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match ? match[1] ?? match[2] : undefined;
}

function parsePartHeaders(text) {
	const headers = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return headers;
}

function dispositionParam(disposition, name) {
	// Accepts both name="x" and the RFC 5987 name*=UTF-8''x form some clients use for non-ASCII file names.
	const extended = new RegExp(`;\\s*${name}\\*=([^']*)'[^']*'([^;]+)`, 'i').exec(disposition);
	if (extended) return decodeURIComponent(extended[2]);
	const match = new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]+))`, 'i').exec(disposition);
	if (!match) return undefined;
	return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2].trim();
}

/**
 * Returns `{ fields, files }`; a field sent more than once becomes an array. Returns undefined when the
 * body is not multipart as declared, so the caller can report the raw bytes instead.
 */
export function parseMultipart(contentType, body) {
	const boundary = boundaryOf(contentType);
	if (!boundary) return undefined;
	const delimiter = Buffer.from(`--${boundary}`);
	const fields = {};
	const files = [];

	let pos = body.indexOf(delimiter);
	if (pos === -1) return undefined;
	for (;;) {
		pos += delimiter.length;
		if (body.subarray(pos, pos + 2).toString() === '--') break;
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd === -1) return undefined;
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next === -1) return undefined;
		const headers = parsePartHeaders(body.subarray(pos, headerEnd).toString('utf8'));
		const content = body.subarray(headerEnd + 4, next);
		const disposition = headers['content-disposition'] ?? '';
		const name = dispositionParam(disposition, 'name') ?? '';
		const filename = dispositionParam(disposition, 'filename');
		if (filename !== undefined) {
			files.push({
				name,
				filename,
				size: content.length,
				contentType: headers['content-type'] ?? null,
				sha256: createHash('sha256').update(content).digest('hex'),
			});
		} else {
			const value = content.toString('utf8');
			if (name in fields) fields[name] = [].concat(fields[name], value);
			else fields[name] = value;
		}
		pos = next + 2;
	}
	return { fields, files };
}
