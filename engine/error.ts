// Typed errors of the engine. Messages name the endpoint, the status, the OAuth error and what to
// check; they never contain a client secret, password, refresh token or access token.

import { OAuth2GrantsError } from './baseError';
import { hintFor, type Problem } from './hints';
import { noResponseKindOf } from './networkFailure';
import { credentialValuesIn, Redactor, safeUrl } from './redact';
import type { BasicForm, ClientAuthentication, RequestFormat, TokenGrant, TokenRequestConfig, TransportResponse } from './types';
import { PROBLEM_TEXT, responseShapeOf, successShapeOf, unusableAccessToken, type TokenAbsence } from './responseShape';
import { sentWords } from './sentWords';
import type { Wording } from './wording';

export { looksLikeHtml, type TokenAbsence } from './responseShape';

/** Network error codes after which the same request may well succeed. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
]);

/** HTTP statuses of the token endpoint after which the same request may well succeed. 500 is not one. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface OAuth2TokenErrorDetails {
	/** Token URL without user info and without credential-like query values. */
	tokenUrl: string;
	grant?: TokenGrant;
	status?: number;
	/** The RFC 6749 §5.2 `error` code. */
	error?: string;
	errorDescription?: string;
	errorUri?: string;
	hint?: string;
	/** The start of a body that was not a JSON token response, secrets masked. */
	bodySnippet?: string;
	/** Socket or TLS error code (ECONNREFUSED, ETIMEDOUT...) when no response arrived. */
	networkCode?: string;
	retryable: boolean;
	/** How many requests were sent, when more than one. */
	attempts?: number;
	/** What was wrong, when there was no OAuth error code ("the response is not JSON"). */
	problem?: string;
	/**
	 * What the request was, in words and never values (grant, body format, client authentication and,
	 * for automatic, the Basic forms tried), when the server gave no reason or both forms were tried.
	 */
	sent?: string;
	/** With automatic client authentication: the Basic forms tried, in order. */
	basicForms?: readonly BasicForm[];
	/** The grant_type sent in place of client_credentials (an extension grant), when one was. */
	customGrant?: string;
}

function composeMessage(details: OAuth2TokenErrorDetails): string {
	const parts: string[] = [];
	if (details.status !== undefined) parts.push(String(details.status));
	if (details.error) parts.push(details.error);
	let what = parts.join(' ');
	if (details.errorDescription) what += `${what ? ' ' : ''}(${details.errorDescription})`;
	if (details.problem) what += `${what ? ', ' : ''}${details.problem}`;
	if (details.networkCode && !details.problem?.includes(details.networkCode)) what += `${what ? ' ' : ''}(${details.networkCode})`;
	if (!what) what = 'unknown error';
	let message = `Token request to ${details.tokenUrl} failed: ${what}.`;
	if (details.sent) message += ` Sent: ${details.sent}.`;
	if (details.hint) message += ` ${details.hint}`;
	if (details.attempts && details.attempts > 1) message += ` (${details.attempts} attempts.)`;
	return message;
}

/** A token request that failed: refused, unusable answer, or no answer (then `networkCode` says why). */
export class OAuth2TokenError extends OAuth2GrantsError {
	readonly tokenUrl: string;
	readonly grant?: TokenGrant;
	readonly status?: number;
	readonly error?: string;
	readonly errorDescription?: string;
	readonly errorUri?: string;
	readonly hint?: string;
	readonly bodySnippet?: string;
	readonly networkCode?: string;
	readonly retryable: boolean;
	readonly attempts?: number;
	readonly sent?: string;
	readonly basicForms?: readonly BasicForm[];
	readonly customGrant?: string;

	/** The details must already be free of secrets; use the factories below, which mask them. */
	constructor(details: OAuth2TokenErrorDetails, code = 'TOKEN_REQUEST_FAILED') {
		super(code, composeMessage(details));
		this.name = 'OAuth2TokenError';
		this.tokenUrl = details.tokenUrl;
		this.grant = details.grant;
		this.status = details.status;
		this.error = details.error;
		this.errorDescription = details.errorDescription;
		this.errorUri = details.errorUri;
		this.hint = details.hint;
		this.bodySnippet = details.bodySnippet;
		this.networkCode = details.networkCode;
		this.retryable = details.retryable;
		this.attempts = details.attempts;
		this.sent = details.sent;
		this.basicForms = details.basicForms;
		this.customGrant = details.customGrant;
	}
}

/**
 * The configuration field at fault, by the engine's own names: a TokenRequestConfig key, `tls.*` for
 * the client certificate material, or `refreshToken`. A host maps them to the names its users see.
 */
export type ConfigField =
	| Exclude<keyof TokenRequestConfig, 'tls'>
	| 'tls.cert'
	| 'tls.key'
	| 'tls.passphrase'
	| 'tls.ca'
	| 'refreshToken'
	| 'responseFields.accessToken'
	| 'responseFields.expiry'
	| 'responseFields.refreshToken';

/** A configuration that cannot make a valid token request; raised before anything is sent. */
export class OAuth2ConfigError extends OAuth2GrantsError {
	/** The configuration field at fault. */
	readonly field?: ConfigField;

	constructor(message: string, field?: ConfigField) {
		super('INVALID_CONFIGURATION', message);
		this.name = 'OAuth2ConfigError';
		this.field = field;
	}
}

/** What a factory needs to know about the request that failed. */
export interface FailureContext {
	tokenUrl: string;
	grant: TokenGrant;
	timeoutSeconds: number;
	/** Every secret of the request: client secret, password, refresh token, Basic forms, known access tokens. */
	secrets: ReadonlyArray<string | undefined>;
	attempts?: number;
	clientAuthentication?: ClientAuthentication;
	/** With automatic client authentication: the Basic forms tried, this request's last. */
	basicForms?: readonly BasicForm[];
	requestFormat?: RequestFormat;
	/** Whether the request presented a client certificate. */
	clientCertificate?: boolean;
	/** The grant_type sent in place of client_credentials (an extension grant), when one was. */
	customGrant?: string;
	/** The names (never the values) of the extra headers the request carried. */
	extraHeaderNames?: readonly string[];
	/** The names of the extra parameters sent in the query string. */
	queryParameterNames?: readonly string[];
	wording?: Wording;
}

/** Words of an API gateway that refuses a request without its key (Azure API Management, Kong, AWS API Gateway...). */
const GATEWAY_KEY_WORDS = /subscription[ -]?key|api[ _-]?key/i;

/** The statuses that refuse the request as sent; a 404, 415 or 5xx is about the URL, format or server. */
const REFUSALS: ReadonlySet<number> = new Set([400, 401, 403]);

const SNIPPET_LENGTH = 200;
const DESCRIPTION_LENGTH = 500;

/** Masked first, then shortened: a cut can never leave the start of a secret behind. */
function clean(text: string, redactor: Redactor, max: number): string {
	const masked = redactor.mask(text).replace(/\s+/g, ' ').trim();
	return masked.length > max ? `${masked.slice(0, max)}…` : masked;
}

function optionalString(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() || undefined;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function hostAndPortOf(url: string): string | undefined {
	try {
		return new URL(url).host || undefined;
	} catch {
		return undefined;
	}
}

/**
 * The error for a response that is not a usable token response. `body` is the parsed body (JSON or
 * form pairs), when it parsed; `problem` says what is wrong with it; `absence`, for noAccessToken,
 * where the token was looked for.
 */
export function errorFromResponse(
	response: TransportResponse,
	body: unknown,
	problem: Exclude<Problem, 'network'>,
	context: FailureContext,
	absence?: TokenAbsence,
): OAuth2TokenError {
	const status = response.statusCode;
	const success = status >= 200 && status < 300;
	const object = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
	const redactor = new Redactor([...context.secrets, ...credentialValuesIn(object)]);
	const errorCode = problem === 'oauthError' ? optionalString(object?.error) : undefined;
	// Zoom gives its reason as "reason", not error_description.
	const description =
		problem === 'oauthError'
			? optionalString(object?.error_description ?? object?.reason)
			: problem === 'httpStatus'
				? optionalString(object?.error_description ?? object?.message ?? object?.error_message)
				: undefined;
	const errorUri = problem === 'oauthError' ? optionalString(object?.error_uri) : undefined;
	const bodyProblem = problem === 'html' || problem === 'notJson' || problem === 'notObject' ? problem : undefined;
	// An error status body is the server's explanation, worth a (masked) look; a success body is not.
	const snippet = bodyProblem && !success && response.body ? clean(response.body, redactor, SNIPPET_LENGTH) : undefined;
	let problemText: string | undefined;
	if (bodyProblem && success) problemText = successShapeOf(response, body, bodyProblem);
	else if (bodyProblem) problemText = PROBLEM_TEXT[bodyProblem] + (snippet && bodyProblem !== 'html' ? `: "${snippet}"` : '');
	else if (problem === 'noAccessToken') {
		const where = absence?.named ? `the response has no access token at ${clean(absence.named, redactor, 100)}` : PROBLEM_TEXT.noAccessToken;
		problemText = where + unusableAccessToken(absence);
	}
	const empty = !(response.body ?? '').trim();
	if (problem === 'httpStatus' && empty) problemText = 'the response has an empty body';
	// A refusal that gives no reason (no OAuth error code, no description) is all the user has to go
	// on: say what was sent. Likewise when the automatic client authentication tried both forms.
	const saysNothing = REFUSALS.has(status) && !errorCode && !description;
	const bothForms = (context.basicForms?.length ?? 0) > 1;
	// A gateway in front of the token endpoint that wants its key: say which headers went.
	const gatewayKey = REFUSALS.has(status) && !errorCode && GATEWAY_KEY_WORDS.test(`${description ?? ''} ${snippet ?? ''}`);
	return new OAuth2TokenError({
		tokenUrl: redactor.mask(safeUrl(context.tokenUrl)),
		grant: context.grant,
		status,
		error: errorCode ? clean(errorCode, redactor, 100) : undefined,
		errorDescription: description ? clean(description, redactor, DESCRIPTION_LENGTH) : undefined,
		errorUri: errorUri ? clean(errorUri, redactor, DESCRIPTION_LENGTH) : undefined,
		bodySnippet: snippet,
		problem: problemText,
		sent: saysNothing || bothForms || gatewayKey ? sentWords(context) : undefined,
		basicForms: context.basicForms,
		customGrant: context.customGrant,
		hint: hintFor({
			problem,
			grant: context.grant,
			status,
			error: errorCode,
			timeoutSeconds: context.timeoutSeconds,
			clientAuthentication: context.clientAuthentication,
			basicForms: context.basicForms,
			saysNothing,
			customGrant: context.customGrant,
			gatewayKey,
			wording: context.wording,
			...(problem === 'noAccessToken'
				? {
						responseShape: clean(responseShapeOf(object, absence?.format ?? 'json'), redactor, 400),
						lookedFor: absence?.lookedFor,
						namedPath: absence?.named ? clean(absence.named, redactor, 100) : undefined,
					}
				: {}),
		}),
		retryable: RETRYABLE_STATUSES.has(status),
		attempts: context.attempts,
	});
}

function networkProblem(code: string | undefined, timeoutSeconds: number): string {
	switch (noResponseKindOf(code)) {
		case 'refused':
			return 'connection refused';
		// A token request is only ever aborted by its timeout.
		case 'timeout':
		case 'aborted':
			return `no response within ${timeoutSeconds} seconds`;
		case 'closed':
			return 'connection closed by the server';
		case 'unresolved':
			return 'host not found';
		case 'tlsAlert':
			return 'TLS handshake refused by the server';
		default:
			return 'no response';
	}
}

/**
 * The socket or TLS code of a failure without a response: a transport error's `code`, or its
 * cause's. Our own errors carry a code of another kind; a token error keeps the socket's as networkCode.
 */
export function networkCodeOf(error: unknown, depth = 0): string | undefined {
	if (error === null || typeof error !== 'object' || depth > 2) return undefined;
	if (error instanceof OAuth2TokenError) return error.networkCode;
	if (error instanceof OAuth2GrantsError) return undefined;
	const record = error as { code?: unknown; cause?: unknown };
	if (typeof record.code === 'string' && record.code) return record.code;
	return networkCodeOf(record.cause, depth + 1);
}

/** The error for a request that got no response: refused, reset, timed out, DNS, TLS. */
export function errorFromNetwork(error: unknown, context: FailureContext): OAuth2TokenError {
	const code = networkCodeOf(error);
	const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
	const redactor = new Redactor(context.secrets);
	let problem = networkProblem(code, context.timeoutSeconds);
	const detail = raw ? clean(raw, redactor, DESCRIPTION_LENGTH) : '';
	if (problem === 'no response' && detail) problem = `no response (${detail})`;
	if (code) problem += ` (${code})`;
	return new OAuth2TokenError({
		tokenUrl: redactor.mask(safeUrl(context.tokenUrl)),
		grant: context.grant,
		customGrant: context.customGrant,
		networkCode: code,
		problem,
		hint: hintFor({
			problem: 'network',
			grant: context.grant,
			code,
			timeoutSeconds: context.timeoutSeconds,
			host: hostAndPortOf(context.tokenUrl),
			clientCertificate: context.clientCertificate,
			wording: context.wording,
		}),
		retryable: code !== undefined && RETRYABLE_NETWORK_CODES.has(code),
		attempts: context.attempts,
	});
}
