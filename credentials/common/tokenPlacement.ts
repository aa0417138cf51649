import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { headerSettingsOf } from './credentialData';

// Where API requests carry the access token ("Send Token In"): authenticate puts it there, the
// destination policy takes it off a hop to another origin, the redaction policy masks it there.

/** The query parameter the token travels in when "Send Token In" is Query Parameter and no name is given. */
export const DEFAULT_QUERY_PARAMETER = 'access_token';

/**
 * The header (name and prefix), or a query parameter. Anything but "query" is the header, so a
 * credential saved before the field existed keeps sending it there.
 */
export type TokenPlacement = { in: 'header'; name: string; prefix: string } | { in: 'query'; parameter: string };

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : value == null ? '' : String(value).trim());

export function tokenPlacementOf(data: ICredentialDataDecryptedObject): TokenPlacement {
	if (text(data.authLocation) === 'query') {
		return { in: 'query', parameter: text(data.authQueryParameter) || DEFAULT_QUERY_PARAMETER };
	}
	return { in: 'header', ...headerSettingsOf(data) };
}

/** The name of the query parameter that carries the token, or undefined when it goes in a header. */
export function tokenParameterOf(data: ICredentialDataDecryptedObject): string | undefined {
	const placement = tokenPlacementOf(data);
	return placement.in === 'query' ? placement.parameter : undefined;
}
