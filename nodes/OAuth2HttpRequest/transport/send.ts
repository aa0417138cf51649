import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { OAuth2GrantsError } from '../../../engine/baseError';
import { networkCodeOf } from '../../../engine/error';
import { noResponseKindOf } from '../../../engine/networkFailure';
import { safeUrl } from '../../../engine/redact';
import { retryDelayMs } from '../../../engine/retry';
import { checkDestination, headersForOtherOrigin, leavesOrigin, TokenDestinationError, urlForOtherOrigin } from '../../../credentials/common/destination';
import { noteFailureValues } from '../helpers/apiError';
import { ExpiryAfterRenewalError, type RenewalAsk, type RenewalRules } from './renewalSignal';
import type { ApiResponse, CredentialSession, SentResponse } from './session';

/** What renews the token (renewOn: statuses; renewWhenBody: rules on the body), retries and redirects. */
export interface SendPolicy extends RenewalRules {
	/** Statuses meaning "this token was refused": renew once and resend once. */
	renewOn: Set<number>;
	/** Statuses worth a retry with backoff (Retry-After honoured up to a cap). */
	retryOn: Set<number>;
	maxRetries: number;
	followRedirects: boolean;
	maxRedirects: number;
}

export interface OutgoingRequest {
	options: IHttpRequestOptions;
	/** Re-reads a body that a send consumed (binary data), so a resend carries it again. */
	reloadBody?: () => Promise<IHttpRequestOptions['body']>;
}

export class TooManyRedirects extends OAuth2GrantsError {
	constructor(message: string) {
		super('TOO_MANY_REDIRECTS', message);
	}
}

/** The API gave no answer at all (refused, reset, timed out): which request, and why, in words. */
export class ApiUnreachable extends OAuth2GrantsError {
	/** The socket code, named in the message too. */
	readonly networkCode: string;

	constructor(message: string, networkCode: string) {
		super('API_UNREACHABLE', message);
		this.networkCode = networkCode;
	}
}

/** The host (and port) of a URL for a message; the text itself when it does not parse. */
function hostForMessage(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

/**
 * n8n answers a failure without a response with a generic text ("perhaps the server is offline")
 * that names neither the request nor the node's timeout; this says both. Undefined for any other
 * failure (a token that could not be fetched, a refused destination), which keeps its own message.
 */
function unreachable(error: unknown, options: IHttpRequestOptions): ApiUnreachable | undefined {
	// A refusal carries a code of its own, which is no socket code.
	if (isDestinationRefusal(error)) return undefined;
	// n8n 2.x keeps the socket error as the cause; 1.x drops it, leaving its code as httpCode and
	// its message in messages.
	const wrapped = error as { cause?: { message?: unknown }; httpCode?: unknown; messages?: unknown };
	const httpCode = typeof wrapped?.httpCode === 'string' && /^E[A-Z_]+$/.test(wrapped.httpCode) ? wrapped.httpCode : undefined;
	const code = networkCodeOf(error) ?? httpCode;
	if (!code) return undefined;
	const request = `${(options.method ?? 'GET').toUpperCase()} ${safeUrl(options.url)}`;
	const said = [wrapped?.cause?.message, ...(Array.isArray(wrapped?.messages) ? wrapped.messages : [])].map(String).join(' ');
	const notResent = 'the node did not send it again, as the API may have processed it';
	switch (noResponseKindOf(code, said)) {
		case 'timeout':
			return new ApiUnreachable(`No response from the API within ${String(options.timeout)} ms (the node's Timeout option) for ${request}; ${notResent}.`, code);
		case 'refused':
			return new ApiUnreachable(`The API refused the connection for ${request}: nothing accepts connections at ${hostForMessage(options.url)} (${code}).`, code);
		case 'closed':
			return new ApiUnreachable(`The API closed the connection without answering ${request} (${code}); ${notResent}.`, code);
		case 'unresolved':
			return new ApiUnreachable(`The API host ${hostForMessage(options.url)} could not be resolved for ${request} (${code}).`, code);
		default:
			return new ApiUnreachable(`No answer from the API for ${request} (${code}).`, code);
	}
}

/** A TokenDestinationError, as thrown or as the cause n8n wrapped it in. */
function isDestinationRefusal(error: unknown): boolean {
	for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
		if (current instanceof TokenDestinationError) return true;
	}
	return false;
}

async function sendOnce<T>(options: IHttpRequestOptions, send: () => Promise<T>): Promise<T> {
	try {
		return await send();
	} catch (error) {
		// The proxy password is no credential value: the error builder learns it from here.
		const proxy = options.proxy?.auth;
		throw noteFailureValues(unreachable(error, options) ?? error, [proxy?.password]);
	}
}


function headerOf(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
	}
	return undefined;
}

function redirected(options: IHttpRequestOptions, status: number, location: string): IHttpRequestOptions {
	const next: IHttpRequestOptions = { ...options, url: new URL(location, options.url).toString(), qs: undefined };
	const method = (options.method ?? 'GET').toUpperCase();
	// As browsers and n8n's own client do: 303 always, and 301/302 after a POST, become a bodiless GET.
	if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
		next.method = 'GET';
		next.body = undefined;
	}
	return next;
}

// API requests wait longer than token requests: the user asked for these retries in the node.
const API_RETRY = { baseDelayMs: 500, maxDelayMs: 30_000 };

function apiRetryDelayMs(attempt: number, response: ApiResponse): number {
	return retryDelayMs(attempt, response.headers as Record<string, string>, Date.now(), API_RETRY);
}

/**
 * Sends one API request through the session. Redirects are followed here rather than by the HTTP
 * client, hop by hop: while the chain stays on the first origin every hop passes the destination
 * policy and carries the token; from the first hop to another origin on, no hop carries the token,
 * Authorization, Cookie, Proxy-Authorization or the credential's header, whatever set them, nor the
 * credential's token parameter or a token in its URL (a server may echo the query into its Location).
 */
export async function sendApiRequest(
	ctx: IExecuteFunctions,
	session: CredentialSession,
	request: OutgoingRequest,
	policy: SendPolicy,
): Promise<ApiResponse> {
	let options: IHttpRequestOptions = {
		...request.options,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const firstUrl = options.url;
	let credentialed = true;
	let renewed = false;
	let retries = 0;
	let redirects = 0;
	for (;;) {
		const current = options;
		let response: ApiResponse;
		let token = '';
		let renewal: RenewalAsk | undefined;
		if (credentialed) {
			checkDestination(session.credentials, current.url);
			({ response, token, renewal } = (await sendOnce(current, async () => await session.send(current, policy))) as SentResponse);
		} else {
			response = await sendOnce(current, async () => await sendWithoutCredentials(ctx, current));
		}
		const status = response.statusCode;
		const resend = async () => {
			if (request.reloadBody && options.body !== undefined) options = { ...options, body: await request.reloadBody() };
		};

		if (renewal && !renewed) {
			renewed = true;
			session.reportRefused(token);
			await resend();
			continue;
		}
		// A status that still refuses the token is answered as any other status; a body that still says
		// "expired" could be a 200, which would pass for data (or, on a page, ask for the next page).
		if (renewal?.by === 'body') throw new ExpiryAfterRenewalError(response, renewal);
		const location = headerOf(response.headers, 'location');
		if (policy.followRedirects && status >= 300 && status < 400 && location) {
			if (++redirects > policy.maxRedirects) {
				throw new TooManyRedirects(`Stopped after ${policy.maxRedirects} redirects (last to ${safeUrl(location)})`);
			}
			options = redirected(options, status, location);
			if (credentialed && leavesOrigin(firstUrl, options.url)) {
				credentialed = false;
				options = { ...options, headers: headersForOtherOrigin(session.credentials, options.headers), auth: undefined };
			}
			if (!credentialed) options = { ...options, url: urlForOtherOrigin(session.credentials, options.url, session.tokensSeen) };
			await resend();
			continue;
		}
		if (policy.retryOn.has(status) && retries < policy.maxRetries) {
			await sleep(apiRetryDelayMs(retries, response));
			retries++;
			await resend();
			continue;
		}
		return response;
	}
}

/** A hop of a redirect chain that left the API's origin: plain n8n helper, no credential, no redirects of its own. */
async function sendWithoutCredentials(ctx: IExecuteFunctions, options: IHttpRequestOptions): Promise<ApiResponse> {
	const request: IHttpRequestOptions = {
		...options,
		disableFollowRedirect: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	return (await ctx.helpers.httpRequest(request)) as ApiResponse;
}
