import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CredentialSession } from './session';

/** Reads the node's credential once per execution; every item shares the session. */
export async function openSession(ctx: IExecuteFunctions, credentialType: string): Promise<CredentialSession> {
	const ref = ctx.getNode().credentials?.[credentialType];
	if (!ref?.id) {
		throw new NodeOperationError(ctx.getNode(), `Select a credential of type "${credentialType}" for this node`);
	}
	const data = await ctx.getCredentials(credentialType);
	return new CredentialSession(ctx, credentialType, { id: ref.id, name: ref.name }, data);
}
