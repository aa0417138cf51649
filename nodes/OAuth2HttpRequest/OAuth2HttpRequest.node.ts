import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CLIENT_CREDENTIALS_TYPE, USER_GRANT_TYPE } from '../../credentials/common/names';
import { route } from './actions/router';
import { nodeProperties } from './description';

export class OAuth2HttpRequest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OAuth2 HTTP Request',
		name: 'oAuth2HttpRequest',
		icon: { light: 'file:oAuth2HttpRequest.svg', dark: 'file:oAuth2HttpRequest.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "getAccessToken" ? "Get Access Token" : $parameter["method"] + ": " + $parameter["url"]}}',
		description: 'Call any API with an OAuth2 client credentials or password grant token, renewed before it expires',
		defaults: { name: 'OAuth2 HTTP Request' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				name: CLIENT_CREDENTIALS_TYPE,
				required: true,
				displayOptions: { show: { authentication: [CLIENT_CREDENTIALS_TYPE] } },
			},
			{
				name: USER_GRANT_TYPE,
				required: true,
				displayOptions: { show: { authentication: [USER_GRANT_TYPE] } },
			},
		],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
