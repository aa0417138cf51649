// A stand-in for n8n's `this.helpers.httpRequest` as a credential's preAuthentication receives it:
// axios underneath, as in n8n, with the options the credential's transport uses (full response,
// HTTP errors ignored, text body, timeout, and on https n8n 2.x's TLS options: Ignore SSL Issues and
// the client certificate, key and CA as `agentOptions`). No response at all rejects with axios' error
// and its socket code, as n8n's helper does.
import * as https from 'node:https';

import axios from 'axios';
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

type TlsOptions = { agentOptions?: https.AgentOptions };

/** A fresh agent per request, as a pooled connection would keep the certificate checks of another. */
function httpsAgentOf(options: IHttpRequestOptions & TlsOptions): https.Agent | undefined {
	if (!/^https:/i.test(String(options.url))) return undefined;
	return new https.Agent({ ...(options.agentOptions ?? {}), keepAlive: false, rejectUnauthorized: options.skipSslCertificateValidation !== true });
}

export async function axiosHttpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const response = await axios.request<string>({
		method: options.method ?? 'GET',
		url: options.url,
		// n8n hands qs to axios as params too (a credential's authenticate may put the token there).
		params: options.qs,
		headers: options.headers as Record<string, string>,
		data: options.body,
		timeout: options.timeout,
		maxRedirects: options.disableFollowRedirect ? 0 : 5,
		validateStatus: options.ignoreHttpStatusErrors ? () => true : (status) => status >= 200 && status < 300,
		responseType: 'text',
		transformResponse: (raw: string) => raw,
		httpsAgent: httpsAgentOf(options),
	});
	if (!options.returnFullResponse) return response.data;
	return {
		statusCode: response.status,
		statusMessage: response.statusText,
		headers: { ...response.headers },
		body: response.data,
	};
}

/** The `this` of a credential's preAuthentication. */
export const preAuthenticationThis = { helpers: { httpRequest: axiosHttpRequest } } as unknown as IHttpRequestHelper;
