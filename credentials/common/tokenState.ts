import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { fingerprintOf, type TokenRequestConfig } from '../../engine';
import { grantTypeOf, storedTokenOf, tokenConfigFromCredentials } from './credentialData';
import { sharedAuthenticator } from './sharedAuthenticator';

export type StoredTokenState = 'valid' | 'missing' | 'due' | 'stale';

export interface StoredTokenCheck {
	state: StoredTokenState;
	config: TokenRequestConfig;
	fingerprint: string;
}

/**
 * Whether the token stored in a credential may be sent now: present, issued for the fields as
 * they are now (a changed secret or scope makes it stale), and not within the renewal margin.
 */
export function checkStoredToken(
	data: ICredentialDataDecryptedObject,
	credentialType: string,
	now: number,
): StoredTokenCheck {
	const config = tokenConfigFromCredentials(data, grantTypeOf(credentialType));
	const fingerprint = fingerprintOf(config);
	const stored = storedTokenOf(data);
	let state: StoredTokenState = 'valid';
	if (!stored.accessToken) state = 'missing';
	else if (stored.fingerprint !== fingerprint) state = 'stale';
	else if (
		sharedAuthenticator.isDue(
			{ expiresAt: stored.expiresAt, obtainedAt: stored.obtainedAt || undefined },
			config,
			now,
		)
	) {
		state = 'due';
	}
	return { state, config, fingerprint };
}

/**
 * The token authenticate may attach to a request with the credential as resolved now: the stored one
 * while it is valid, else the one this process holds for exactly these fields, else none and why.
 * n8n keeps one stored token per credential, so with fields that differ per item (a tenant each)
 * the stored one is often another item's; and n8n 1.x is never handed a token to store.
 */
export function tokenToSend(
	data: ICredentialDataDecryptedObject,
	credentialType: string,
	now: number,
): { token: string } | { token?: undefined; state: Exclude<StoredTokenState, 'valid'> } {
	const check = checkStoredToken(data, credentialType, now);
	if (check.state === 'valid') return { token: storedTokenOf(data).accessToken };
	const held = sharedAuthenticator.peek(check.fingerprint);
	if (held) return { token: held.accessToken };
	return { state: check.state };
}
