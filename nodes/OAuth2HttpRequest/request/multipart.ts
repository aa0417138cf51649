import { randomBytes } from 'node:crypto';

/** One field of a multipart/form-data body: text, or a file when `fileName` is set. */
export interface MultipartPart {
	name: string;
	value: string | Buffer;
	fileName?: string;
	contentType?: string;
}

const CRLF = '\r\n';

/** A boundary that cannot plausibly occur in the data. */
export function createBoundary(): string {
	return `----n8nOAuth2Boundary${randomBytes(12).toString('hex')}`;
}

export function multipartContentType(boundary: string): string {
	return `multipart/form-data; boundary=${boundary}`;
}

/** Quotes a field or file name the way browsers do in Content-Disposition. */
function quoted(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Encodes the parts as a complete multipart/form-data body (RFC 7578). The result is a Buffer,
 * so the same body can be sent again after a token renewal or a retry.
 */
export function encodeMultipart(parts: MultipartPart[], boundary: string): Buffer {
	const chunks: Buffer[] = [];
	for (const part of parts) {
		let head = `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(part.name)}"`;
		if (part.fileName !== undefined) {
			head += `; filename="${quoted(part.fileName)}"${CRLF}`;
			head += `Content-Type: ${part.contentType || 'application/octet-stream'}`;
		} else if (part.contentType) {
			head += `${CRLF}Content-Type: ${part.contentType}`;
		}
		head += CRLF + CRLF;
		chunks.push(Buffer.from(head, 'utf8'));
		chunks.push(typeof part.value === 'string' ? Buffer.from(part.value, 'utf8') : part.value);
		chunks.push(Buffer.from(CRLF, 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--${CRLF}`, 'utf8'));
	return Buffer.concat(chunks);
}
