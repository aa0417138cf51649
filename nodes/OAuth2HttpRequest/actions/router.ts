import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getAccessToken } from './getAccessToken';
import { sendRequests } from './sendRequests';

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = this.getNodeParameter('authentication', 0) as string;
	const operation = this.getNodeParameter('operation', 0, 'request') as string;
	if (operation === 'getAccessToken') return await getAccessToken.call(this, credentialType);
	return await sendRequests.call(this, credentialType);
}
