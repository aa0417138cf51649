import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { bearerTypeOf, fingerprintMatches, tokenCacheKeyOf, type TokenRequestConfig } from '../../engine';
import { grantTypeOf, storedTokenOf, tokenConfigFromCredentials } from './credentialData';
import { STORED_FIELDS, TOKEN_STATE_FIELDS } from './names';
import { sharedAuthenticator } from './sharedAuthenticator';

export type StoredTokenState = 'valid' | 'missing' | 'due' | 'stale';

interface Derived {
	credentialType: string;
	/** The fields the configuration was read from (objects as JSON, so a change inside one shows). */
	fields: Map<string, unknown>;
	config: TokenRequestConfig;
	cacheKey: string;
}

/**
 * The configuration and cache key of a credential object, while that object lives: the node hands
 * n8n one object for every request of a batch, and each request checks it twice (the session, then
 * authenticate), which would otherwise cost two HMACs and a secret hash per request. Taken only while
 * every field but the token's bookkeeping holds the same value, so a changed field is read again.
 */
const derivedByData = new WeakMap<ICredentialDataDecryptedObject, Derived>();

const comparable = (value: unknown): unknown => (typeof value === 'object' && value !== null ? JSON.stringify(value) : value);

function fieldsUnchanged(fields: Map<string, unknown>, data: ICredentialDataDecryptedObject): boolean {
	let count = 0;
	for (const key of Object.keys(data)) {
		if (TOKEN_STATE_FIELDS.has(key)) continue;
		count++;
		if (!fields.has(key) || fields.get(key) !== comparable(data[key])) return false;
	}
	return count === fields.size;
}

function derivedOf(data: ICredentialDataDecryptedObject, credentialType: string): Derived {
	const known = derivedByData.get(data);
	if (known && known.credentialType === credentialType && fieldsUnchanged(known.fields, data)) return known;
	const fields = new Map<string, unknown>();
	for (const key of Object.keys(data)) if (!TOKEN_STATE_FIELDS.has(key)) fields.set(key, comparable(data[key]));
	const config = tokenConfigFromCredentials(data, grantTypeOf(credentialType));
	const derived: Derived = { credentialType, fields, config, cacheKey: tokenCacheKeyOf(config) };
	derivedByData.set(data, derived);
	return derived;
}

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
	const { config, cacheKey } = derivedOf(data, credentialType);
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
	return derivedOf(data, credentialType).cacheKey;
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
