import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { STORED_FIELDS } from '../../../credentials/common/names';
import type { ApiResponse, CredentialSession } from '../transport/session';
import { bodyToBuffer } from '../response/decodeBody';
import { certificateHintFor } from './certificateHint';

const MASK = '***';

/** Every credential value that must not reach an error message, longest first. */
function credentialSecretsOf(session: CredentialSession): string[] {
	const data = session.credentials;
	const keys = [data.privateKey, data.clientCertificateKey, data.clientCertificatePassphrase];
	return [data[STORED_FIELDS.accessToken], data[STORED_FIELDS.refreshToken], data.clientSecret, data.password, ...keys]
		.map((v) => (v == null ? '' : String(v)))
		.filter((v) => v.length >= 4)
		.sort((a, b) => b.length - a.length);
}

export function maskTokens(text: string, session: CredentialSession): string {
	let out = text;
	for (const secret of credentialSecretsOf(session)) out = out.split(secret).join(MASK);
	return out;
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

/** Our own token errors travel inside n8n's wrappers; find the first one that says what went wrong. */
function tokenErrorIn(error: unknown): Error | undefined {
	let current = error as { name?: string; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 6; depth++) {
		if (['TokenFetchError', 'OAuth2TokenError', 'OAuth2ConfigError', 'TokenDestinationError', 'TokenRenewalNeededError'].includes(current.name ?? '')) {
			return current as Error;
		}
		current = current.cause as typeof current;
	}
	return undefined;
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
	if (isResponse(failure)) {
		const status = failure.statusCode;
		const body = maskTokens(bodyText(failure.body), session).slice(0, 2000);
		const detail = apiMessageOf(failure.body);
		return new NodeApiError(node, { httpCode: String(status), body } as JsonObject, {
			itemIndex,
			httpCode: String(status),
			message: maskTokens(`The API answered ${status}${detail ? `: ${detail}` : ''}`, session),
			description: body,
		});
	}
	const own = tokenErrorIn(failure);
	if (own) {
		const description = (own as { description?: unknown }).description;
		return operationError(node, maskTokens(own.message, session), itemIndex, description ? maskTokens(String(description), session) : undefined);
	}
	if (failure instanceof NodeApiError || failure instanceof NodeOperationError) {
		failure.message = maskTokens(failure.message, session);
		if (failure.description) failure.description = maskTokens(String(failure.description), session);
		const hint = certificateHintFor(failure, session.credentials);
		if (hint) failure.description = failure.description ? `${failure.description} ${hint}` : hint;
		return failure;
	}
	const message = maskTokens(String((failure as Error)?.message ?? failure), session);
	return operationError(node, message, itemIndex);
}
