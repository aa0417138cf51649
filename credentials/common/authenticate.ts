import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { agentOptionsOf, apiTlsOf, clientTlsOf, type AgentOptions } from './clientTls';
import { headerSettingsOf } from './credentialData';
import { checkDestination } from './destination';
import { tokenFreeUrlsOf, TokenRenewalNeededError } from './renewalProtocol';
import { tokenToSend } from './tokenState';

type RequestLike = IHttpRequestOptions & {
	uri?: string;
	agentOptions?: AgentOptions;
	/** The older request helper's redirect options (n8n's HTTP Request node). */
	followRedirect?: boolean;
	followAllRedirects?: boolean;
	maxRedirects?: number;
};

/**
 * n8n's helpers follow redirects themselves: they re-add Authorization on another origin unless told
 * not to (sendCredentialsOnCrossOriginRedirect defaults to true on 1.x and 2.x, and HTTP Request
 * before 4.4 sets it), and follow-redirects drops only Authorization, Cookie and Proxy-Authorization
 * on another host. A token in any other header would cross origins, so such a request is not
 * followed by n8n at all: its 3xx comes back to the workflow.
 */
function keepTokenOnOrigin(request: RequestLike, tokenHeader: string): void {
	request.sendCredentialsOnCrossOriginRedirect = false;
	if (tokenHeader.toLowerCase() === 'authorization') return;
	request.disableFollowRedirect = true;
	request.followRedirect = false;
	request.followAllRedirects = false;
	request.maxRedirects = 0;
}

/**
 * The client certificate goes with the request as `agentOptions`, which n8n's HTTP Request node (its
 * older request helper) honours on 1.x and 2.x, and httpRequest on 2.x.
 */
function withCertificate(requestOptions: IHttpRequestOptions, tls: ReturnType<typeof clientTlsOf>): void {
	if (!tls) return;
	const request = requestOptions as RequestLike;
	request.agentOptions = { ...(request.agentOptions ?? {}), ...agentOptionsOf(tls) };
}

function targetUrlOf(request: RequestLike): string {
	const url = request.url ?? request.uri ?? '';
	if (request.baseURL && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
		return `${request.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
	}
	return url;
}

const REASONS = {
	missing: 'is missing',
	due: 'expires within the renewal margin',
	stale: 'was issued for different credential fields',
} as const;

/**
 * Adds the token to an outgoing request. It refuses a due or stale token rather than send it:
 * n8n's HTTP Request node answers any error here by running pre-authentication and resending,
 * which is how that node, too, renews before the API has to refuse anything.
 */
export function authenticateFor(credentialType: string) {
	return async function authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const url = targetUrlOf(requestOptions as RequestLike);
		// The credential test and the node's renewal probe the token URL (or the issuer), which need no token.
		if (url && tokenFreeUrlsOf(credentials).includes(url)) {
			withCertificate(requestOptions, clientTlsOf(credentials));
			return requestOptions;
		}

		checkDestination(credentials, url);

		const usable = tokenToSend(credentials, credentialType, Date.now());
		if (usable.token === undefined) throw new TokenRenewalNeededError(REASONS[usable.state]);

		const { name, prefix } = headerSettingsOf(credentials);
		const token = usable.token;
		requestOptions.headers = {
			...(requestOptions.headers ?? {}),
			[name]: prefix ? `${prefix} ${token}` : token,
		};
		keepTokenOnOrigin(requestOptions as RequestLike, name);
		withCertificate(requestOptions, apiTlsOf(credentials));
		return requestOptions;
	};
}
