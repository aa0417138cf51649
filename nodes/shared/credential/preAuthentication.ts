import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { fingerprintOf, sharedAuthenticator } from '../oauth2';
import type { GrantType, Token } from '../oauth2/types';
import { storedTokenOf, tokenConfigFromCredentials } from './config';
import { STORED_FIELDS } from './fields';

import { n8nTransport } from './n8nTransport';

/** The hidden fields n8n stores (encrypted) after a token fetch. */
export function storedFieldsFor(token: Token, fingerprint: string): IDataObject {
	const instanceUrl = typeof token.extra.instance_url === 'string' ? token.extra.instance_url : '';
	return {
		[STORED_FIELDS.accessToken]: token.accessToken,
		[STORED_FIELDS.expiresAt]: token.expiresAt,
		[STORED_FIELDS.issuedAt]: token.obtainedAt,
		[STORED_FIELDS.refreshToken]: token.refreshToken ?? '',
		[STORED_FIELDS.fingerprint]: fingerprint,
		[STORED_FIELDS.accessTokenType]: token.tokenType,
		[STORED_FIELDS.grantedScope]: token.scope ?? '',
		[STORED_FIELDS.instanceUrl]: instanceUrl,
	};
}

/**
 * n8n calls this only when the stored token is empty, was reported expired, or during a
 * credential test; in the last two cases the token it holds must not come back. A token that
 * another item or execution of this process fetched meanwhile is reused from the shared cache.
 */
export function preAuthenticationFor(grantType: GrantType) {
	return async function preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const config = tokenConfigFromCredentials(credentials, grantType);
		const fingerprint = fingerprintOf(config);
		const stored = storedTokenOf(credentials);
		const token = await sharedAuthenticator.getToken(
			config,
			{ transport: n8nTransport(this.helpers.httpRequest), sleep },
			{
				rejectToken: stored.accessToken || undefined,
				stored: stored.fingerprint === fingerprint && stored.refreshToken
					? {
						accessToken: '',
						expiresAt: 0,
						refreshToken: stored.refreshToken,
						fingerprint: stored.fingerprint,
					}
					: undefined,
			},
		);
		return storedFieldsFor(token, fingerprint);
	};
}
