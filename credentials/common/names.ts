// The stored field names both credential types share. Workflows and imports depend on them.
export const STORED_FIELDS = {
	accessToken: 'accessToken',
	expiresAt: 'expiresAt',
	issuedAt: 'issuedAt',
	refreshToken: 'refreshToken',
	fingerprint: 'fingerprint',
	accessTokenType: 'accessTokenType',
	grantedScope: 'grantedScope',
	instanceUrl: 'instanceUrl',
} as const;

export const CLIENT_CREDENTIALS_TYPE = 'clientCredentialsOAuth2Api';
export const RESOURCE_OWNER_TYPE = 'passwordGrantOAuth2Api';

export type OAuth2CredentialTypeName = typeof CLIENT_CREDENTIALS_TYPE | typeof RESOURCE_OWNER_TYPE;

export const DOCUMENTATION_URL =
	'https://github.com/n8n-nodes-oauth2-grants/n8n-nodes-oauth2-grants#credentials';
