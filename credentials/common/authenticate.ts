import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { agentOptionsOf, apiTlsOf, clientTlsOf, type AgentOptions } from './clientTls';
import { type TokenPlacement, tokenPlacementOf } from './tokenPlacement';
import { checkDestination, withoutCredentialParameters } from './destination';
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
 * on another host. A token in any other header would cross origins, and so would a token in the
 * query that the server echoes into its Location, so such a request is not followed by n8n at all:
 * its 3xx comes back to the workflow. (The node follows its redirects itself, hop by hop.)
 */
function keepTokenOnOrigin(request: RequestLike, placement: TokenPlacement): void {
	request.sendCredentialsOnCrossOriginRedirect = false;
	if (placement.in === 'header' && placement.name.toLowerCase() === 'authorization') return;
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

/**
 * Puts the token into the request's query (`qs`, which n8n's helpers on 1.x and 2.x append to the
 * URL). A parameter of that name, in any case, already in `qs` or in the URL is replaced, not sent
 * beside it: n8n resends a renewed request through this same function with the old token in `qs`,
 * and with two values a server may read either one.
 */
function withTokenParameter(request: RequestLike, parameter: string, token: string): void {
	const name = parameter.toLowerCase();
	const others = Object.entries(request.qs ?? {}).filter(([key]) => key.toLowerCase() !== name);
	request.qs = { ...Object.fromEntries(others), [parameter]: token };
	if (request.url) request.url = withoutCredentialParameters(request.url, [parameter]);
	if (request.uri) request.uri = withoutCredentialParameters(request.uri, [parameter]);
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
 *
 * The token goes into a copy of the request, which n8n sends (every caller on 1.x and 2.x sends what
 * authenticate returns): n8n's HTTP Request node keeps the object it passed in and shows it, masked
 * only by the credential's values as stored, in its errors (context.request) and in the editor's
 * console, where a token n8n 1.x never stored, or another item's, would otherwise appear.
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

		const placement = tokenPlacementOf(credentials);
		const token = usable.token;
		const signed: RequestLike = { ...requestOptions };
		if (placement.in === 'query') {
			withTokenParameter(signed, placement.parameter, token);
		} else {
			signed.headers = {
				...(signed.headers ?? {}),
				[placement.name]: placement.prefix ? `${placement.prefix} ${token}` : token,
			};
		}
		keepTokenOnOrigin(signed, placement);
		withCertificate(signed, apiTlsOf(credentials));
		return signed;
	};
}
