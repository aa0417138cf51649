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
