import type { ICredentialTestRequest } from 'n8n-workflow';

/**
 * n8n forces pre-authentication before a credential test, so a token fetch that fails shows the
 * server's error there. The probe then goes to the API base URL with the token (any status is
 * fine: reaching it proves the token was issued), or, without a base URL, to the token URL (or the
 * issuer URL when the token endpoint is discovered), which gets no token.
 */
export const credentialTestRequest: ICredentialTestRequest = {
	request: {
		method: 'GET',
		url: '={{$credentials.baseUrl || $credentials.tokenUrl || $credentials.issuerUrl}}',
		ignoreHttpStatusErrors: true,
	},
};
