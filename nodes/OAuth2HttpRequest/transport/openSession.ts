import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { TOKEN_STATE_FIELDS } from '../../../credentials/common/names';
import { CredentialSession } from './session';

// The stored token and its bookkeeping are the credential's state, not its fields: n8n may write a
// renewed token between two items' reads, and those items still belong to one session.

/**
 * What makes two items' credentials the same: every field as n8n resolved it. n8n builds each
 * item's credential in the order of the type's fields, so its JSON is the same text for the same
 * fields; two orders of one credential would only cost a second session, never a shared token. It
 * holds secrets, so it lives only in this execution's memory, as the key of a Map: one JSON
 * serialisation per item, no hash.
 */
export function sessionKeyOf(data: ICredentialDataDecryptedObject): string {
	const fields: Record<string, unknown> = {};
	for (const key of Object.keys(data)) if (!TOKEN_STATE_FIELDS.has(key)) fields[key] = data[key];
	return JSON.stringify(fields);
}

/** Whether two resolved credentials have the same fields: the cheap check before a key is built. */
function sameFields(a: ICredentialDataDecryptedObject, b: ICredentialDataDecryptedObject): boolean {
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	for (const key of keys) {
		if (TOKEN_STATE_FIELDS.has(key) || (a[key] === b[key] && key in b)) continue;
		if (typeof a[key] !== 'object' || typeof b[key] !== 'object' || JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
	}
	return true;
}

/**
 * The node's credential as n8n resolves it for each item: its fields may be expressions of the item
 * (a tenant, client or audience per item). Items whose resolved fields are equal share one session
 * (one token, one fetch, one renewal); items resolved differently never share a token.
 */
export class CredentialSessions {
	private readonly sessions = new Map<string, CredentialSession>();

	/** The fields of the last item's credential and its session: consecutive items mostly agree. */
	private last?: { data: ICredentialDataDecryptedObject; session: CredentialSession };

	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly credentialType: string,
		private readonly ref: { id: string; name: string },
	) {}

	/** How many distinct resolved credentials the items so far had. */
	get size(): number {
		return this.sessions.size;
	}

	/** The session of the credential as n8n resolves it for this item. */
	async forItem(itemIndex: number): Promise<CredentialSession> {
		const data = await this.ctx.getCredentials(this.credentialType, itemIndex);
		if (this.last && sameFields(this.last.data, data)) return this.last.session;
		const key = sessionKeyOf(data);
		let session = this.sessions.get(key);
		if (!session) {
			session = new CredentialSession(this.ctx, this.credentialType, this.ref, data);
			this.sessions.set(key, session);
		}
		this.last = { data, session };
		return session;
	}
}

/** The sessions of this execution; fails before any item if the node has no credential selected. */
export function openSessions(ctx: IExecuteFunctions, credentialType: string): CredentialSessions {
	const ref = ctx.getNode().credentials?.[credentialType];
	if (!ref?.id) {
		throw new NodeOperationError(ctx.getNode(), `Select a credential of type "${credentialType}" for this node`);
	}
	return new CredentialSessions(ctx, credentialType, { id: ref.id, name: ref.name });
}
