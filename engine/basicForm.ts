// Which form of HTTP Basic client credentials a token endpoint takes, for the automatic client
// authentication. RFC 6749 §2.3.1 wants the client id and secret form-encoded before they are joined
// and base64-encoded; WSO2 and many other servers read them raw and refuse the RFC form. Automatic
// sends the RFC form and, only when that is refused as a client-authentication failure and the raw
// form is a different header, tries the raw form once; the form that worked is remembered.

import type { OAuth2TokenError } from './error';
import { formEncode } from './redact';
import type { BasicForm } from './types';

/** The forms in the order automatic tries them: the RFC one first, as the standard says. */
export const BASIC_FORMS: readonly BasicForm[] = ['encoded', 'raw'];

export const BASIC_FORM_NAMES: Record<BasicForm, string> = {
	encoded: 'RFC-encoded',
	raw: 'raw',
};

export function isBasicForm(value: unknown): value is BasicForm {
	return value === 'encoded' || value === 'raw';
}

/**
 * Whether the two forms are different headers: only when form-encoding changes a character of the
 * id or secret. Otherwise the raw form is the same request and trying it would only repeat a refusal.
 */
export function basicFormsDiffer(clientId: string, clientSecret: string): boolean {
	return formEncode(clientId) !== clientId || formEncode(clientSecret) !== clientSecret;
}

/**
 * Whether a token endpoint's answer refuses the client's authentication, so that the other Basic
 * form is worth one try: `invalid_client` at any status (RFC 6749 §5.2); or, with no OAuth error
 * code at all (an empty, non-JSON or code-less body), a 401 or a 403 (WSO2 and gateways answer 403
 * with an empty body). Any other OAuth error code (invalid_grant, invalid_scope, unauthorized_client
 * ...) is about something else, and any other status is not an authentication refusal.
 */
export function refusesClientAuthentication(error: Pick<OAuth2TokenError, 'status' | 'error'>): boolean {
	if (error.status === undefined) return false;
	if (error.error === 'invalid_client') return true;
	return !error.error && (error.status === 401 || error.status === 403);
}
