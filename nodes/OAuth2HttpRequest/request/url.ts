const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const HTTP_URL = /^https?:\/\//i;

/**
 * Builds the address a request goes to. A full URL (scheme://...) is kept as it is; it must use
 * http or https. Anything else is a path relative to the credential's API base URL and is joined
 * to it with exactly one slash ("?..." and "#..." are appended without one). An empty URL means the
 * base URL itself.
 *
 * Throws a plain Error with a message meant for the user; the caller wraps it in a NodeOperationError.
 */
export function joinUrl(baseUrl: string | undefined, url: string): string {
	if (typeof url !== 'string') {
		const actual = url === null ? 'null' : typeof url;
		throw new Error(`The URL must be text, but it is ${actual}`);
	}
	const target = url.trim();

	if (ABSOLUTE_URL.test(target)) {
		if (!HTTP_URL.test(target)) {
			throw new Error(`The URL "${target}" must start with http:// or https://`);
		}
		return target;
	}

	const base = (baseUrl ?? '').trim();
	if (base === '') {
		if (target === '') throw new Error('The URL is empty');
		throw new Error(
			`The URL "${target}" is relative but the credential has no API base URL. Enter a full URL starting with https://, or set API Base URL in the credential.`,
		);
	}
	if (!HTTP_URL.test(base)) {
		throw new Error(
			`The credential's API base URL "${base}" must be a full URL starting with http:// or https://`,
		);
	}

	if (target === '') return base;
	if (target.startsWith('?') || target.startsWith('#')) return base + target;
	return `${base.replace(/\/+$/, '')}/${target.replace(/^\/+/, '')}`;
}
