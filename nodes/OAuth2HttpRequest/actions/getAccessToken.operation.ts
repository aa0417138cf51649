import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { STORED_FIELDS } from '../../../credentials/common/names';
import { openSession } from '../transport/openSession';

/**
 * Hands the current token to the workflow, for systems that must receive it. It is the only
 * place the node outputs a token, and it is refused when an AI agent runs the node as a tool.
 */
export async function getAccessToken(this: IExecuteFunctions, credentialType: string): Promise<INodeExecutionData[][]> {
	if (this.getNode().type.endsWith('Tool')) {
		throw new NodeOperationError(this.getNode(), 'Get Access Token is not available when the node runs as a tool');
	}
	const session = await openSession(this, credentialType);
	const data = await session.freshCredentials();
	const expiresAt = Number(data[STORED_FIELDS.expiresAt]);
	const scope = String(data[STORED_FIELDS.grantedScope] ?? '') || String(data.scope ?? '');
	const output = this.getInputData().map((_item, index) => ({
		json: {
			access_token: String(data[STORED_FIELDS.accessToken]),
			token_type: String(data[STORED_FIELDS.accessTokenType] ?? '') || 'Bearer',
			expires_at: new Date(expiresAt).toISOString(),
			...(scope ? { scope } : {}),
		},
		pairedItem: { item: index },
	}));
	return [output];
}
