import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { STORED_FIELDS } from '../../../credentials/common/names';
import { bearerTypeOf } from '../../../engine';
import { openSessions } from '../transport/openSession';

/**
 * Hands the current token to the workflow, for systems that must receive it. It is the only
 * place the node outputs a token, and it is refused when an AI agent runs the node as a tool.
 * Each item gets the token of the credential as resolved for it; items that resolve alike share one.
 */
export async function getAccessToken(this: IExecuteFunctions, credentialType: string): Promise<INodeExecutionData[][]> {
	if (this.getNode().type.endsWith('Tool')) {
		throw new NodeOperationError(this.getNode(), 'Get Access Token is not available when the node runs as a tool');
	}
	const sessions = openSessions(this, credentialType);
	const output: INodeExecutionData[] = [];
	for (let index = 0; index < this.getInputData().length; index++) {
		const data = await (await sessions.forItem(index)).freshCredentials();
		const expiresAt = Number(data[STORED_FIELDS.expiresAt]);
		const scope = String(data[STORED_FIELDS.grantedScope] ?? '') || String(data.scope ?? '');
		output.push({
			json: {
				access_token: String(data[STORED_FIELDS.accessToken]),
				// The only type a fresh credential holds: any other was refused before it was stored or sent.
				token_type: bearerTypeOf(data[STORED_FIELDS.accessTokenType]) ?? 'Bearer',
				expires_at: new Date(expiresAt).toISOString(),
				...(scope ? { scope } : {}),
			},
			pairedItem: { item: index },
		});
	}
	return [output];
}
