/**
 * Reads a list of HTTP status codes as users type it in an option: "401, 403", "429 503" or
 * "429;503". An empty value is an empty list. Throws an Error naming the option for anything
 * that is not a status code from 100 to 599; the caller turns it into a NodeOperationError.
 */
export function parseStatusList(value: unknown, optionLabel: string): Set<number> {
	const codes = new Set<number>();
	if (value === undefined || value === null || value === '') return codes;

	let tokens: string[];
	if (typeof value === 'number') {
		tokens = [String(value)];
	} else if (Array.isArray(value)) {
		tokens = value.map((entry) => String(entry).trim());
	} else if (typeof value === 'string') {
		tokens = value.split(/[\s,;]+/);
	} else {
		throw new Error(
			`"${optionLabel}" must be a list of HTTP status codes separated by commas, such as 429, 503`,
		);
	}

	for (const token of tokens) {
		if (token === '') continue;
		const code = /^\d{3}$/.test(token) ? Number(token) : NaN;
		if (!(code >= 100 && code <= 599)) {
			throw new Error(
				`"${optionLabel}" contains "${token}", which is not an HTTP status code (a number from 100 to 599). Separate the codes with commas, such as 429, 503.`,
			);
		}
		codes.add(code);
	}
	return codes;
}
