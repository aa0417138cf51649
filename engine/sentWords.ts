// What a token request sent, in words for error messages: the grant, the format, the client
// authentication and the names of extra headers and query parameters; never a value.

import { BASIC_FORM_NAMES } from './basicForm';
import type { FailureContext } from './error';
import type { BasicForm, ClientAuthentication, TokenGrant } from './types';

const GRANT_WORDS: Record<TokenGrant, string> = {
	client_credentials: 'client credentials grant',
	password: 'password grant',
	refresh_token: 'refresh token grant',
};

/** The client authentication of a request, in words. */
function clientAuthenticationWords(method: ClientAuthentication | undefined, forms: readonly BasicForm[] | undefined): string | undefined {
	switch (method) {
		case 'auto':
			if (forms && forms.length > 1) return `Basic header, ${forms.map((form) => BASIC_FORM_NAMES[form]).join(', then ')} (automatic: both forms refused)`;
			return `Basic header (${BASIC_FORM_NAMES[forms?.[0] ?? 'encoded']}, automatic)`;
		case 'header':
			return 'Basic header (RFC-encoded)';
		case 'headerRaw':
			return 'Basic header (raw, not encoded)';
		case 'body':
			return 'client ID and secret in the body';
		case 'none':
			return 'client ID only (public client)';
		case 'privateKeyJwt':
			return 'a client assertion signed with the private key';
		case 'clientSecretJwt':
			return 'a client assertion signed with the client secret';
		case 'tlsClientAuth':
			return 'the TLS client certificate';
		default:
			return undefined;
	}
}

/** What was sent, in words: the grant, the body format, the client authentication and the names of extra headers and query parameters; never a value. */
export function sentWords(
	context: Pick<FailureContext, 'grant' | 'requestFormat' | 'clientAuthentication' | 'basicForms' | 'customGrant' | 'extraHeaderNames' | 'queryParameterNames'>,
): string {
	const parts = [context.customGrant ? `grant_type ${context.customGrant}` : GRANT_WORDS[context.grant]];
	if (context.requestFormat) parts.push(context.requestFormat === 'json' ? 'JSON body' : 'form-encoded body');
	if (context.queryParameterNames?.length) parts.push(`in the query string: ${context.queryParameterNames.join(', ')}`);
	const client = clientAuthenticationWords(context.clientAuthentication, context.basicForms);
	if (client) parts.push(`client authentication: ${client}`);
	if (context.extraHeaderNames?.length) parts.push(`extra headers: ${context.extraHeaderNames.join(', ')}`);
	return parts.join(', ');
}
