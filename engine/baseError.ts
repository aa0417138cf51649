// The common base of every error this package raises. Callers recognise an error by its class or its
// `code`, never by `name`: n8n wraps what a credential or node throws in its own errors, keeping the
// original as `cause`, so a walk along the causes finds ours whatever the wrapping.

export class OAuth2GrantsError extends Error {
	/**
	 * What went wrong, as a stable identifier (TOKEN_REQUEST_FAILED, CROSS_ORIGIN_REDIRECT...). Absent on
	 * an error made to be wrapped by n8n's NodeApiError, which takes any `code` for an HTTP status and
	 * puts it in place of the message: such an error is recognised by its class.
	 */
	readonly code?: string;

	constructor(code: string | undefined, message: string, options: { cause?: unknown } = {}) {
		super(message);
		if (code !== undefined) this.code = code;
		// es2021's Error has no `cause` option; set it as ES2022 engines do.
		if (options.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
	}
}

const CAUSE_DEPTH = 8;

/** The first error of class `type` in `error`'s chain of causes (`error` itself first). */
export function findInCauses<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
	let current: unknown = error;
	for (let depth = 0; current && depth < CAUSE_DEPTH; depth++) {
		if (current instanceof type) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
