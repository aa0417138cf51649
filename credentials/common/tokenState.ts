import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { bearerTypeOf, fingerprintMatches, tokenCacheKeyOf, type TokenRequestConfig } from '../../engine';
import { grantTypeOf, storedTokenOf, tokenConfigFromCredentials } from './credentialData';
import { STORED_FIELDS } from './names';
import { sharedAuthenticator } from './sharedAuthenticator';

export type StoredTokenState = 'valid' | 'missing' | 'due' | 'stale';

export interface StoredTokenCheck {
	state: StoredTokenState;
	config: TokenRequestConfig;
	/** The key of this configuration's token in the process-wide engine (`sharedAuthenticator.peek`, `invalidate`). */
	cacheKey: string;
}

/**
 * Whether the token stored in a credential may be sent now: present, a Bearer token (a type 0.2.0
 * accepted and this version refuses is stale), issued for the fields and trust settings as they are
 * now (a changed secret, scope or "Ignore SSL Issues" makes it stale), and not within the renewal
 * margin. The stored fingerprint costs one scrypt per process and value; every later check of it is
 * a hash and a map lookup.
 */
export function checkStoredToken(
	data: ICredentialDataDecryptedObject,
	credentialType: string,
	now: number,
): StoredTokenCheck {
	const config = tokenConfigFromCredentials(data, grantTypeOf(credentialType));
	const cacheKey = tokenCacheKeyOf(config);
	const stored = storedTokenOf(data);
	let state: StoredTokenState = 'valid';
	if (!stored.accessToken) state = 'missing';
	else if (!bearerTypeOf(data[STORED_FIELDS.accessTokenType])) state = 'stale';
	else if (!fingerprintMatches(stored.fingerprint, config, cacheKey)) state = 'stale';
	else if (
		sharedAuthenticator.isDue(
			{ expiresAt: stored.expiresAt, obtainedAt: stored.obtainedAt || undefined },
			config,
			now,
		)
	) {
		state = 'due';
	}
	return { state, config, cacheKey };
}

/** The key of the credential's token in the process-wide engine, as resolved now. */
export function tokenCacheKeyOfCredential(data: ICredentialDataDecryptedObject, credentialType: string): string {
	return tokenCacheKeyOf(tokenConfigFromCredentials(data, grantTypeOf(credentialType)));
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
	const held = sharedAuthenticator.peek(check.cacheKey);
	if (held) return { token: held.accessToken };
	return { state: check.state };
}
