import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { credentialRedactor } from '../../../credentials/common/redaction';
import { findInCauses, OAuth2GrantsError } from '../../../engine/baseError';
import type { Redactor } from '../../../engine/redact';
import { ExpiryAfterRenewalError } from '../transport/renewalSignal';
import type { ApiResponse, CredentialSession } from '../transport/session';
import { bodyToBuffer } from '../response/decodeBody';
import { certificateHintFor } from './certificateHint';

/** Values a failure carries that the credential does not know (a proxy's password), by failure. */
const failureValues = new WeakMap<object, string[]>();

/**
 * Remembers values that the message of `failure` must not show although the credential does not hold
 * them: the sender knows the request (its proxy's login), the error builder only the failure.
 */
export function noteFailureValues<T>(failure: T, values: ReadonlyArray<string | undefined>): T {
	if (failure !== null && typeof failure === 'object') {
		const known = failureValues.get(failure) ?? [];
		failureValues.set(failure, [...known, ...values.filter((value): value is string => typeof value === 'string' && value !== '')]);
	}
	return failure;
}

/** The one redactor of the node's messages: the credential's values and every token this session held or sent. */
function redactorFor(session: CredentialSession, failure: unknown): Redactor {
	const extra = failure !== null && typeof failure === 'object' ? (failureValues.get(failure) ?? []) : [];
	return credentialRedactor(session.credentials, [...session.tokensSeen, ...extra]);
}

function isResponse(value: unknown): value is ApiResponse {
	return typeof value === 'object' && value !== null && !(value instanceof Error) && 'statusCode' in value;
}

/** The body of a refused response as text, to show (masked) in the error. */
function bodyText(body: unknown): string {
	return typeof body === 'string' ? body : bodyToBuffer(body).toString('utf8');
}

function apiMessageOf(raw: unknown): string | undefined {
	let body = raw;
	if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
		try {
			body = JSON.parse(raw.toString());
		} catch {
			return undefined;
		}
	}
	const b = body as { error?: unknown; error_description?: unknown; message?: unknown } | undefined;
	if (!b || typeof b !== 'object') return undefined;
	const parts = [b.error, b.error_description, b.message].filter((p) => typeof p === 'string' && p !== '');
	return parts.length ? parts.join(': ') : undefined;
}


/**
 * n8n replaces a message that mentions a socket code (ECONNREFUSED, ECONNRESET...) with a generic
 * one that names no endpoint and no request; ours name both, so they are put back.
 */
function operationError(
	node: ReturnType<IExecuteFunctions['getNode']>,
	message: string,
	itemIndex: number,
	description?: string,
): NodeOperationError {
	const error = new NodeOperationError(node, message, { itemIndex, ...(description ? { description } : {}) });
	error.message = message;
	return error;
}

const STILL_EXPIRED_HINT =
	'The new token was refused as well, so the node did not ask for another. Check that the credential gets its token from the same instance or tenant as this API (for Marketo: the Identity URL and the REST URL of one instance) and that its API user may call this endpoint; check the values of "Renew Token When Response Body Says".';

/** An error made of an API response: its status, the masked body, and `lead` (masked) as the message. */
function responseError(
	node: ReturnType<IExecuteFunctions['getNode']>,
	response: ApiResponse,
	redactor: Redactor,
	itemIndex: number,
	lead: string,
	hint?: string,
): NodeApiError {
	const status = response.statusCode;
	const body = redactor.mask(bodyText(response.body)).slice(0, 2000);
	const description = hint ? `${hint} The API answered: ${body}` : body;
	return new NodeApiError(node, { httpCode: String(status), body } as JsonObject, {
		itemIndex,
		httpCode: String(status),
		message: redactor.mask(lead),
		description,
	});
}

/**
 * The error for one item, in a user's words: the API's status and message for a refused request,
 * the token endpoint's error for a failed token fetch; never a token or secret.
 */
export function apiErrorFor(
	ctx: IExecuteFunctions,
	failure: unknown,
	itemIndex: number,
	session: CredentialSession,
): NodeApiError | NodeOperationError {
	const node = ctx.getNode();
	const redactor = redactorFor(session, failure);
	if (isResponse(failure)) {
		const detail = apiMessageOf(failure.body);
		return responseError(node, failure, redactor, itemIndex, `The API answered ${failure.statusCode}${detail ? `: ${detail}` : ''}`);
	}
	// The API's answer, with why it failed although its status may be 200.
	const stillExpired = findInCauses(failure, ExpiryAfterRenewalError);
	if (stillExpired) {
		return responseError(node, stillExpired.response, redactor, itemIndex, stillExpired.message, STILL_EXPIRED_HINT);
	}
	// Our own errors travel inside n8n's wrappers; the first one says what went wrong.
	const own = findInCauses(failure, OAuth2GrantsError);
	if (own) {
		const description = (own as { description?: unknown }).description;
		return operationError(node, redactor.mask(own.message), itemIndex, description ? redactor.mask(String(description)) : undefined);
	}
	if (failure instanceof NodeApiError || failure instanceof NodeOperationError) {
		// A new error from the masked words only: n8n's own keeps its cause and context (the request,
		// its headers and proxy among them), which n8n may store with the execution or log.
		const message = redactor.mask(failure.message);
		const hint = certificateHintFor(failure, session.credentials);
		const shown = failure.description ? redactor.mask(String(failure.description)) : undefined;
		const description = hint ? (shown ? `${shown} ${hint}` : hint) : shown;
		if (failure instanceof NodeOperationError) return operationError(node, message, itemIndex, description);
		const httpCode = failure.httpCode ?? undefined;
		const error = new NodeApiError(node, { message, ...(httpCode ? { httpCode } : {}) } as JsonObject, {
			itemIndex,
			message,
			...(httpCode ? { httpCode } : {}),
			...(description ? { description } : {}),
		});
		error.message = message;
		return error;
	}
	return operationError(node, redactor.mask(String((failure as Error)?.message ?? failure)), itemIndex);
}
