// The integration tests' transport: axios, every status resolved, the body kept as raw text, as
// n8n's httpRequest hands a token response to the credential.
import axios, { type AxiosError } from 'axios';

import type { Transport } from '../../engine';

export const axiosTransport: Transport = async (request) => {
	let failure: AxiosError | undefined;
	try {
		const response = await axios.request<string>({
			method: request.method,
			url: request.url,
			headers: request.headers,
			data: request.body,
			timeout: request.timeoutMs,
			maxRedirects: 0,
			validateStatus: () => true,
			responseType: 'text',
			transformResponse: (x: string) => x,
		});
		return {
			statusCode: response.status,
			headers: Object.fromEntries(Object.entries(response.headers ?? {})) as Record<string, string | string[] | undefined>,
			body: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
		};
	} catch (error) {
		failure = error as AxiosError;
	}
	throw Object.assign(new Error(failure.message), { code: failure.code ?? (failure.cause as { code?: string })?.code });
};
