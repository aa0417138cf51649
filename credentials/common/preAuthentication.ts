import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	fingerprintMatches,
	isCurrentFingerprint,
	networkCodeOf,
	newFingerprint,
	type ConfigField,
	type GrantType,
	type Token,
	type TokenRequestConfig,
} from '../../engine';
import { OAuth2GrantsError } from '../../engine/baseError';
import { isBasicForm } from '../../engine/basicForm';
import type { Redactor } from '../../engine/redact';
import { storedTokenOf, tokenConfigFromCredentials } from './credentialData';
import { TokenDestinationError } from './destination';
import { STORED_FIELDS } from './names';
import { handOver } from './persistence';
import { credentialRedactor } from './redaction';

import { formFieldOf } from './formFields';
import { sharedAuthenticator } from './sharedAuthenticator';
import { n8nTransport, type LegacyRequest } from './tokenTransport';

/**
 * What a failed token fetch shows in n8n. n8n wraps it in its own API error, which replaces the
 * message of anything carrying an HTTP status with a generic "Authorization failed": this error
 * carries the endpoint, status and server's words in its message only, so they reach the user.
 */
export class TokenFetchError extends OAuth2GrantsError {
	readonly description?: string;

	/** The credential form field at fault, for a configuration error. */
	readonly field?: string;

	// No code (n8n would show it instead of the message) and no cause: the engine's error was masked
	// with the engine's list only, and n8n may log the chain.
	constructor(message: string, description?: string, field?: string) {
		super(undefined, message);
		this.name = 'TokenFetchError';
		this.description = description;
		this.field = field;
	}
}

type EngineFailure = { message?: string; hint?: string; field?: ConfigField };

/**
 * n8n replaces an error message that mentions a socket code (ECONNREFUSED, ETIMEDOUT...) with a
 * generic text that names no endpoint, on both lines and in every path (our node, its HTTP Request
 * node, the credential test). The code moves to the description; the message keeps the token URL
 * and the cause in words ("connection refused").
 */
function shownAs(error: EngineFailure, redactor: Redactor): TokenFetchError {
	// Masked here as well as in the engine: whatever reached this point, with whatever wording, passes
	// the credential's whole list of values (stored tokens included) before n8n shows or logs it.
	const message = redactor.mask(String(error?.message ?? error));
	const hint = error?.hint ? redactor.mask(error.hint) : undefined;
	const field = formFieldOf(error?.field);
	const code = networkCodeOf(error);
	if (!code) return new TokenFetchError(message, hint, field);
	const description = [hint, `(Socket error ${code}.)`].filter(Boolean).join(' ');
	return new TokenFetchError(message.split(` (${code})`).join(''), description, field);
}

// A credential's pre-authentication has no node to build n8n's NodeApiError from; n8n wraps
// what it throws in one itself.
async function fetchToken(redactor: Redactor, ...args: Parameters<typeof sharedAuthenticator.getToken>): Promise<Token> {
	const outcome = await sharedAuthenticator.getToken(...args).then(
		(token) => ({ token }),
		(error: EngineFailure) => ({ error }),
	);
	if ('token' in outcome) return outcome.token;
	// A refused redirect is worded by the policy already; it loses its code here because n8n would show
	// the code (CROSS_ORIGIN_REDIRECT) instead of the message in the credential test.
	if (outcome.error instanceof TokenDestinationError) {
		throw new TokenFetchError(redactor.mask(outcome.error.message), undefined, outcome.error.field);
	}
	throw shownAs(outcome.error, redactor);
}

/**
 * n8n 1.x calls pre-authentication with the node's own helpers, older `request` included; 2.x passes
 * httpRequest alone. Only a token request with a client certificate uses it (see n8nTransport).
 */
function legacyRequestOf(helper: IHttpRequestHelper): LegacyRequest | undefined {
	const request = (helper.helpers as { request?: unknown }).request;
	return typeof request === 'function' ? (request as LegacyRequest) : undefined;
}

/** The hidden fields n8n stores (encrypted) after a token fetch. */
export function storedFieldsFor(token: Token, fingerprint: string): IDataObject {
	const instanceUrl = typeof token.extra.instance_url === 'string' ? token.extra.instance_url : '';
	return {
		[STORED_FIELDS.accessToken]: token.accessToken,
		[STORED_FIELDS.expiresAt]: token.expiresAt,
		[STORED_FIELDS.obtainedAt]: token.obtainedAt,
		[STORED_FIELDS.refreshToken]: token.refreshToken ?? '',
		[STORED_FIELDS.fingerprint]: fingerprint,
		[STORED_FIELDS.accessTokenType]: token.tokenType,
		[STORED_FIELDS.grantedScope]: token.scope ?? '',
		[STORED_FIELDS.instanceUrl]: instanceUrl,
		[STORED_FIELDS.basicCredentialsForm]: token.basicForm ?? '',
	};
}

/**
 * n8n calls this only when the stored token is empty, was reported expired, or during a
 * credential test; in the last two cases the token it holds must not come back. A token that
 * another item or execution of this process fetched meanwhile is reused from the shared cache.
 */
export function preAuthenticationFor(grantType: GrantType) {
	return async function preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const config = tokenConfigFromCredentials(credentials, grantType);
		const stored = storedTokenOf(credentials);
		const storedFits = fingerprintMatches(stored.fingerprint, config);
		const storedForm = credentials[STORED_FIELDS.basicCredentialsForm];
		const token = await fetchToken(
			credentialRedactor(credentials),
			config,
			{ transport: n8nTransport(this.helpers.httpRequest, legacyRequestOf(this)), sleep },
			{
				rejectToken: stored.accessToken || undefined,
				// The refresh token, and the Basic form this token endpoint took, of a stored token made
				// for these fields: a new process neither fetches anew nor repeats a refused form.
				stored: storedFits && (stored.refreshToken || isBasicForm(storedForm))
					? {
						accessToken: '',
						expiresAt: 0,
						refreshToken: stored.refreshToken || undefined,
						fingerprint: stored.fingerprint,
						basicForm: isBasicForm(storedForm) ? storedForm : undefined,
					}
					: undefined,
			},
		);
		return handOver(this, credentials, storedFieldsFor(token, fingerprintToStore(config, stored.fingerprint, storedFits, token)));
	};
}

/**
 * The stored fingerprint when it is in this version's form and fits the fields (no new scrypt, and the
 * value stays put), else a new one: a 0.2.0 fingerprint is replaced with the first token stored after
 * the upgrade.
 */
function fingerprintToStore(config: TokenRequestConfig, stored: string, fits: boolean, token: Token): string {
	return fits && isCurrentFingerprint(stored) ? stored : newFingerprint(config, token.accessToken);
}
