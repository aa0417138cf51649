import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { findInCauses, OAuth2GrantsError } from '../../engine/baseError';
import { STORED_FIELDS } from './names';

// The renewal protocol between the node's CredentialSession and the credential (authenticate and
// preAuthentication), through n8n's httpRequestWithAuthentication:
// - renewal is asked for by sending a request with the expirable field (the access token) blanked:
//   n8n then runs preAuthentication and writes the new token into the data it was handed;
// - authenticate refuses a missing, due or stale token with TokenRenewalNeededError before anything
//   is sent, and the session answers that error with a renewal;
// - the token URL and the issuer URL need no token: the credential test and a renewal probe them.

/** Thrown by authenticate, before anything is sent, when the stored token must be renewed first. */
export class TokenRenewalNeededError extends OAuth2GrantsError {
	constructor(reason: string) {
		super('RENEWAL_NEEDED', `The stored OAuth2 access token ${reason}; a new one is fetched before the request is sent.`);
		this.name = 'TokenRenewalNeededError';
	}
}

/** Whether `error`, or an error n8n wrapped around it, is the credential's "renew first". */
export function isRenewalNeeded(error: unknown): boolean {
	return findInCauses(error, TokenRenewalNeededError) !== undefined;
}

/** The URLs a renewal or the credential test probes; authenticate attaches no token to them. */
export function tokenFreeUrlsOf(data: ICredentialDataDecryptedObject): string[] {
	return [data.tokenUrl, data.issuerUrl].map((value) => String(value ?? '').trim());
}

/** The URL a renewal probe goes to: the token URL, or the issuer URL when the endpoint is discovered. */
export function renewalProbeUrlOf(data: ICredentialDataDecryptedObject): string {
	return String(data.tokenUrl ?? '').trim() || String(data.issuerUrl ?? '').trim();
}

/** The credential data with the expirable field blanked: handed to n8n, it asks for a renewal. */
export function withoutAccessToken(data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return { ...data, [STORED_FIELDS.accessToken]: '' };
}
