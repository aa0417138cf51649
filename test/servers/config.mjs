// The lab's runtime settings. Handlers read them on every request so POST /__lab/config takes effect at once.

export const DEFAULT_CONFIG = Object.freeze({
	accessTokenTtlSeconds: 3600,
	tokenDelayMs: 0,
	apiAuthHeader: 'authorization',
	apiAuthPrefix: 'Bearer',
});

const CHECKS = {
	accessTokenTtlSeconds: (v) => Number.isInteger(v) && v >= 1,
	tokenDelayMs: (v) => Number.isInteger(v) && v >= 0 && v <= 600_000,
	apiAuthHeader: (v) => typeof v === 'string' && /^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(v),
	apiAuthPrefix: (v) => typeof v === 'string' && !/[\r\n]/.test(v),
};

export function createConfig(initial = {}) {
	const current = { ...DEFAULT_CONFIG };

	/** Merges a partial config; throws on unknown keys or bad values so a typo in a test fails loudly. */
	function merge(partial) {
		if (!partial || typeof partial !== 'object' || Array.isArray(partial)) {
			throw new TypeError('config must be a JSON object');
		}
		for (const [key, value] of Object.entries(partial)) {
			if (!(key in CHECKS)) throw new TypeError(`unknown config key "${key}"`);
			if (!CHECKS[key](value)) throw new TypeError(`bad value for "${key}": ${JSON.stringify(value)}`);
		}
		Object.assign(current, partial);
		// Node lower-cases incoming header names, so the configured name must be compared lower-cased.
		current.apiAuthHeader = current.apiAuthHeader.toLowerCase();
		return { ...current };
	}

	merge(initial);
	return { current, merge };
}
