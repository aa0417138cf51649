// The credential's own code path for the fault suite: credential data as n8n hands it over, run
// through the credential class's preAuthentication with an axios-backed `helpers.httpRequest`, and
// what came of it (the stored fields, or the error n8n would show), with a check that no secret
// or token is in that error.
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { tokenConfigFromCredentials } from '../../credentials/common/credentialData';
import { preAuthenticationFor } from '../../credentials/common/preAuthentication';
import { newFingerprint, type GrantType } from '../../engine';
import { credentialDataFor } from '../support/credentialFixtures';
import { assertNoLeaks, errorText } from '../support/leakSearch';
import { preAuthenticationThis } from './axiosHttpRequest';

export interface RowsModule {
	runCase(row: { group: string; name: string; expected: string }, body: () => Promise<string>): Promise<void>;
}
export const rows = require('./rows.cjs') as RowsModule;

export const FAULT_SECRET = 'fault-S3cret:%+é';
export const FAULT_PASSWORD = 'alice-Pa55:%+ü';

/**
 * Credential data as n8n hands it over: the credential type's own defaults (test/support), with a
 * token request timeout of 5 seconds instead of 30, so a hanging endpoint fails the case quickly.
 */
export function credentialData(tokenUrl: string, overrides: Record<string, unknown> = {}, grant: GrantType = 'client_credentials'): ICredentialDataDecryptedObject {
	return credentialDataFor(grant, { tokenUrl, baseUrl: '', clientId: 'fault-client', clientSecret: FAULT_SECRET, requestTimeoutSeconds: 5, ...overrides });
}

export function passwordData(tokenUrl: string, overrides: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return credentialData(tokenUrl, { username: 'alice', password: FAULT_PASSWORD, ...overrides }, 'password');
}

/** The fingerprint the credential stores with a token issued for `data` (salted: a new value each call). */
export function fingerprintFor(data: ICredentialDataDecryptedObject, grant: GrantType): string {
	return newFingerprint(tokenConfigFromCredentials(data, grant));
}

export type Outcome = { fields: IDataObject; error?: undefined } | { fields?: undefined; error: Error };

/** Runs the credential's preAuthentication once, as n8n does before a request. */
export async function preAuthenticate(data: ICredentialDataDecryptedObject, grant: GrantType = 'client_credentials'): Promise<Outcome> {
	try {
		return { fields: await preAuthenticationFor(grant).call(preAuthenticationThis, data) };
	} catch (error) {
		return { error: error as Error };
	}
}

export function errorOf(outcome: Outcome): Error {
	if (!outcome.error) throw new Error(`expected the token fetch to fail, but it stored a token (${JSON.stringify(Object.keys(outcome.fields))})`);
	return outcome.error;
}

export function fieldsOf(outcome: Outcome): IDataObject {
	if (outcome.error) throw new Error(`expected a token, got: ${outcome.error.message}`);
	return outcome.fields;
}

/** Fails when anything the error shows (message, description, stack, own fields, causes) holds a secret in any encoding. */
export function assertNothingLeaks(error: Error, secrets: string[], clientId = 'fault-client'): void {
	assertNoLeaks(errorText(error), secrets.map((value) => ({ value, clientId, label: `a secret (${value.slice(0, 4)}…)` })), `the error "${error.message}"`);
}

/** The stored lifetime in whole seconds. */
export function lifetimeSeconds(fields: IDataObject): number {
	return Math.round((Number(fields.expiresAt) - Number(fields.issuedAt)) / 1000);
}
