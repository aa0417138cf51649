import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { STORED_FIELDS } from './names';

// What pre-authentication hands n8n to store after a token fetch.
//
// n8n stores the fields pre-authentication returns only when they hold the expirable field (the
// access token), and merges them into the credential data it handed over, which authenticate then
// reads. n8n 2.x writes just those fields into the stored credential and leaves a field the user set
// as an expression alone. n8n 1.x writes back the whole credential as it resolved it for the item at
// hand: `={{ $json.tenant }}` becomes that item's tenant for good (and `={{ $secrets... }}` its
// secret's value), so every later item and execution is sent as that tenant. A credential cannot
// tell a resolved field from a typed one, so on 1.x the token is never handed over for storage: it
// goes into the data n8n handed over (this request and the rest of the node's batch) and into the
// process-wide cache (every other request and execution of this process).

/** The data objects whose token was put in place here, never stored: their storage has none. */
const filledInPlace = new WeakSet<ICredentialDataDecryptedObject>();

/**
 * Whether this n8n writes back the whole resolved credential when it stores a token: 1.x hands
 * pre-authentication the node's own helpers (the older `request` among them), 2.x httpRequest alone.
 */
export function writesResolvedCredential(helper: IHttpRequestHelper): boolean {
	return typeof (helper.helpers as { request?: unknown }).request === 'function';
}

/**
 * What pre-authentication returns for the freshly fetched `fields`. On 2.x: the fields, stored.
 * On 1.x they are put into `credentials` in place and nothing storable is returned, with one
 * exception: data whose token came from storage (stored by an earlier version, or by 2.x) after n8n
 * reported it expired, as n8n's older request helper (HTTP Request node) does before its one resend;
 * it resends only if something was stored. There the stored token is cleared (an empty access token,
 * which authenticate answers from the process-wide cache), so 1.x never writes the credential again.
 * That one write is 1.x's whole write-back, which a token stored on 1.x already went through.
 */
export function handOver(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, fields: IDataObject): IDataObject {
	if (!writesResolvedCredential(helper)) return fields;
	const fromStorage = Boolean(credentials[STORED_FIELDS.accessToken]) && !filledInPlace.has(credentials);
	Object.assign(credentials, fields);
	if (fromStorage) return { ...fields, [STORED_FIELDS.accessToken]: '' };
	filledInPlace.add(credentials);
	const unstorable = { ...fields };
	delete unstorable[STORED_FIELDS.accessToken];
	return unstorable;
}
