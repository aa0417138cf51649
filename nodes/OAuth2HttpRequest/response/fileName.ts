// The file name of a downloaded file: from Content-Disposition, else from the URL's last segment.

/** Keeps only the last part of a path and drops characters that do not belong in a file name. */
function safeFileName(name: string | undefined): string | undefined {
	if (!name) return undefined;
	const last = name.split(/[/\\]/).pop() ?? '';
	const base = Array.from(last)
		.filter((char) => char.charCodeAt(0) >= 32 && char.charCodeAt(0) !== 127)
		.join('')
		.trim();
	return base === '' || base === '.' || base === '..' ? undefined : base;
}

function decodePercent(text: string, charset: string): string {
	try {
		return charset === 'utf-8' || charset === '' ? decodeURIComponent(text) : decodeLatin1Percent(text);
	} catch {
		return text;
	}
}

function decodeLatin1Percent(text: string): string {
	return text.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The file name of a Content-Disposition header; filename* (RFC 6266/8187) wins over filename. */
export function fileNameFromContentDisposition(value: string): string | undefined {
	if (!value) return undefined;
	const extended = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(value);
	if (extended) {
		const name = safeFileName(decodePercent(extended[2].trim().replace(/^"|"$/g, ''), extended[1].trim().toLowerCase()));
		if (name) return name;
	}
	const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;]*))/i.exec(value);
	if (plain) {
		const raw = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2].trim();
		return safeFileName(raw);
	}
	return undefined;
}

/** The last segment of a URL's path, decoded, or undefined when the path ends with "/". */
export function fileNameFromUrl(url: string): string | undefined {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		path = url.split(/[?#]/)[0];
	}
	const segment = path.split('/').pop() ?? '';
	return safeFileName(decodePercent(segment, 'utf-8'));
}
