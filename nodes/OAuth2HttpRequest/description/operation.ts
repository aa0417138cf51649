import type { INodeProperties } from 'n8n-workflow';

/** Shows a parameter only for the "Send Request" operation. */
export const showForRequest = { show: { operation: ['request'] } };

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'OAuth2 Client Credentials',
			value: 'clientCredentialsOAuth2Api',
			description: 'The workflow itself signs in with a client ID and secret',
		},
		{
			name: 'OAuth2 Password Grant',
			value: 'passwordGrantOAuth2Api',
			description: 'Signs in with a user name and password on behalf of that user',
		},
	],
	default: 'clientCredentialsOAuth2Api',
	description: 'Which kind of OAuth2 credential gets the access token for the requests',
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { '@tool': [false] } },
	options: [
		{
			name: 'Get Access Token',
			value: 'getAccessToken',
			action: 'Get an access token',
			description:
				'Output the current access token (access_token, token_type, expires_at, scope) to hand it to another system',
		},
		{
			name: 'Send Request',
			value: 'request',
			action: 'Send an HTTP request',
			description: 'Call the API with the access token of the credential',
		},
	],
	default: 'request',
};

/**
 * What an AI agent gets when it uses the node as a tool: requests only. A bearer token must not be
 * handed to a language model, so "Get Access Token" is left out. Hidden, because a list with one
 * entry only adds noise, and because n8n appends "Custom API Call" to any operation list of a node
 * whose credential authenticates requests: this node is itself the custom API call.
 */
export const toolOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'hidden',
	noDataExpression: true,
	displayOptions: { show: { '@tool': [true] } },
	default: 'request',
};
