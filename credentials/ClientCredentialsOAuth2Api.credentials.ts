import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { authenticateFor } from './common/authenticate';
import { CLIENT_CREDENTIALS_TYPE, DOCUMENTATION_URL } from './common/names';
import { preAuthenticationFor } from './common/preAuthentication';
import { credentialProperties } from './common/properties';
import { credentialTestRequest } from './common/testRequest';

export class ClientCredentialsOAuth2Api implements ICredentialType {
	name = CLIENT_CREDENTIALS_TYPE;

	displayName = 'OAuth2 Client Credentials API';

	icon: Icon = {
		light: 'file:clientCredentialsOAuth2Api.svg',
		dark: 'file:clientCredentialsOAuth2Api.dark.svg',
	};

	documentationUrl = DOCUMENTATION_URL;

	properties: INodeProperties[] = credentialProperties('client_credentials');

	preAuthentication = preAuthenticationFor('client_credentials');

	authenticate = authenticateFor(CLIENT_CREDENTIALS_TYPE);

	test: ICredentialTestRequest = credentialTestRequest;
}
