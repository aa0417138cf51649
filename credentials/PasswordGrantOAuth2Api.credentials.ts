import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { authenticateFor } from './common/authenticate';
import { DOCUMENTATION_URL, USER_GRANT_TYPE } from './common/names';
import { preAuthenticationFor } from './common/preAuthentication';
import { credentialProperties } from './common/properties';
import { credentialTestRequest } from './common/testRequest';

export class PasswordGrantOAuth2Api implements ICredentialType {
	name = USER_GRANT_TYPE;

	displayName = 'OAuth2 Password Grant API';

	icon: Icon = {
		light: 'file:passwordGrantOAuth2Api.svg',
		dark: 'file:passwordGrantOAuth2Api.dark.svg',
	};

	documentationUrl = DOCUMENTATION_URL;

	properties: INodeProperties[] = credentialProperties('password');

	preAuthentication = preAuthenticationFor('password');

	authenticate = authenticateFor(USER_GRANT_TYPE);

	test: ICredentialTestRequest = credentialTestRequest;
}
