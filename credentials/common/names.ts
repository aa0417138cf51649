// The stored field names both credential types share (key: the name in code; value: the stored name).
// Workflows and imports depend on the stored names: never change a value.
export const STORED_FIELDS = {
	accessToken: 'accessToken',
	expiresAt: 'expiresAt',
	/** When the token was obtained (stored as "issuedAt" since 0.1; the engine calls it obtainedAt). */
	obtainedAt: 'issuedAt',
	refreshToken: 'refreshToken',
	fingerprint: 'fingerprint',
	accessTokenType: 'accessTokenType',
	grantedScope: 'grantedScope',
	instanceUrl: 'instanceUrl',
} as const;

export const CLIENT_CREDENTIALS_TYPE = 'clientCredentialsOAuth2Api';
export const PASSWORD_GRANT_TYPE = 'passwordGrantOAuth2Api';

export type OAuth2CredentialTypeName = typeof CLIENT_CREDENTIALS_TYPE | typeof PASSWORD_GRANT_TYPE;

export const DOCUMENTATION_URL =
	'https://github.com/n8n-nodes-oauth2-grants/n8n-nodes-oauth2-grants#credentials';
