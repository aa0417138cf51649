import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getAccessToken } from './getAccessToken.operation';
import { sendRequest } from './sendRequest.operation';

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = this.getNodeParameter('authentication', 0) as string;
	const operation = this.getNodeParameter('operation', 0, 'request') as string;
	if (operation === 'getAccessToken') return await getAccessToken.call(this, credentialType);
	if (operation === 'request') return await sendRequest.call(this, credentialType);
	// n8n adds "Custom API Call" to the list of any node whose credentials sign requests; this
	// node's "Send Request" already is one.
	throw new NodeOperationError(this.getNode(), `Operation "${operation}" is not available here`, {
		description: 'Choose "Send Request": it calls any URL of the API with the credential\'s token.',
	});
}
