// Keeps secrets out of every message the engine builds: error messages are shown in the n8n UI,
// stored in executions and written to logs.

const MASK = '***';

/** application/x-www-form-urlencoded: encodeURIComponent, with spaces as "+" (RFC 6749 Appendix B). */
export function formEncode(value: string): string {
	return encodeURIComponent(value).replace(/%20/g, '+');
}

function base64(value: string): string {
	return Buffer.from(value, 'utf8').toString('base64');
}

function base64Url(value: string): string {
	return Buffer.from(value, 'utf8').toString('base64url');
}

/** The value of an HTTP Basic Authorization header for these credentials, as typed. */
export function basicCredentials(id: string, secret: string): string {
	return base64(`${id}:${secret}`);
}

/** The value of an HTTP Basic Authorization header, id and secret form-encoded first (RFC 6749 §2.3.1). */
export function basicCredentialsFormEncoded(id: string, secret: string): string {
	return basicCredentials(formEncode(id), formEncode(secret));
}

/** Every way a secret can show up in a request, a response or an error text. */
function formsOf(secret: string): string[] {
	const forms = new Set<string>([secret]);
	forms.add(formEncode(secret));
	forms.add(encodeURIComponent(secret));
	forms.add(JSON.stringify(secret).slice(1, -1));
	if (secret.length >= 4) {
		forms.add(base64(secret));
		forms.add(base64(secret).replace(/=+$/, ''));
		forms.add(base64Url(secret));
	}
	return [...forms].filter((form) => form.length > 0);
}

/**
 * Replaces every secret in `text`, and its form-encoded, URI-encoded, JSON-escaped and base64 forms,
 * with "***". Empty secrets are ignored. Longer forms are replaced first, so a secret that contains
 * another secret is masked whole.
 */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length === 0) continue;
		for (const form of formsOf(secret)) forms.add(form);
	}
	const ordered = [...forms].sort((a, b) => b.length - a.length);
	let masked = text;
	for (const form of ordered) {
		if (masked.includes(form)) masked = masked.split(form).join(MASK);
	}
	return masked;
}

/** The HTTP Basic header values these credentials may have been sent as, to be masked too. */
export function basicForms(id: string, secret: string | undefined): string[] {
	if (!secret) return [];
	return [basicCredentials(id, secret), basicCredentialsFormEncoded(id, secret)];
}

const SENSITIVE_QUERY_NAME = /secret|password|passwd|pwd|token|key|code|assertion|signature|sig|auth|credential/i;

/**
 * A URL fit for a message: without user name and password, and with the values of query parameters
 * that look like credentials replaced by "***". Text that is not a URL only loses anything that looks
 * like userinfo.
 */
export function safeUrl(url: string): string {
	const trimmed = (url ?? '').trim();
	let parsed: URL | undefined;
	try {
		parsed = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? new URL(trimmed) : undefined;
	} catch {
		parsed = undefined;
	}
	if (!parsed) return trimmed.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1').replace(/^[^/@?#:]+:[^/@?#]*@/, '');
	parsed.username = '';
	parsed.password = '';
	const names = [...new Set(parsed.searchParams.keys())];
	for (const name of names) {
		if (SENSITIVE_QUERY_NAME.test(name)) parsed.searchParams.set(name, MASK);
	}
	return parsed.toString();
}
