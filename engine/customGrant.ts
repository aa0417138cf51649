// An extension grant (RFC 6749 §4.5) in place of client_credentials: a client that authenticates
// itself, as with client credentials, but names another grant_type (Zoom's account_credentials, with
// its account_id as an extra parameter). Only the value sent changes; the engine treats the request
// as a client credentials request in every other way (no user, no refresh).

import { OAuth2ConfigError } from './error';
import type { TokenGrant, TokenRequestConfig } from './types';
import type { Wording } from './wording';

/** RFC 6749 Appendix A.10: grant-name = 1*name-char, name-char = "-" / "." / "_" / DIGIT / ALPHA. */
const GRANT_NAME = /^[A-Za-z0-9._-]+$/;

/** RFC 6749 §4.5: an absolute URI (RFC 3986: scheme ":" and URI characters; no space or control character). */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/** Grant types that are not a client authenticating itself, and why each cannot be sent here. */
function notCustomReason(value: string, wording: Wording): string | undefined {
	switch (value.toLowerCase()) {
		case 'client_credentials':
			return 'it is the standard client credentials grant: choose that instead of a custom grant type';
		case 'password':
			return "the password grant sends a user's name and password: use the password grant instead";
		case 'refresh_token':
			return `a refresh token only renews a token obtained with another grant, and ${wording.sender} sends it itself when it has one`;
		case 'authorization_code':
		case 'implicit':
		case 'token':
			return 'that grant needs a user to sign in in a browser and be redirected back, which a client credentials request cannot do';
		case 'urn:ietf:params:oauth:grant-type:device_code':
		case 'urn:openid:params:grant-type:ciba':
			return 'that grant needs a user to approve the request on a device while the client polls, which a client credentials request cannot do';
		default:
			return undefined;
	}
}

/** The configured custom grant type, trimmed; undefined when none is configured (client_credentials is sent). */
export function customGrantTypeOf(config: Pick<TokenRequestConfig, 'customGrantType'>): string | undefined {
	return typeof config.customGrantType === 'string' ? config.customGrantType.trim() : undefined;
}

/** The grant_type value a request for `grant` sends under this configuration. */
export function grantTypeValueOf(config: Pick<TokenRequestConfig, 'customGrantType'>, grant: TokenGrant): string {
	return grant === 'client_credentials' ? (customGrantTypeOf(config) ?? grant) : grant;
}

/** The custom grant type a request for `grant` sends, for messages; undefined for a standard grant_type. */
export function sentCustomGrantOf(config: Pick<TokenRequestConfig, 'customGrantType'>, grant: TokenGrant): string | undefined {
	return grant === 'client_credentials' ? customGrantTypeOf(config) : undefined;
}

/** Printable, at most 60 characters: the value as a message may quote it (it is no secret). */
function shown(value: string): string {
	const printable = value.replace(/[^\x20-\x7e]/g, '?');
	return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}

/** Throws an OAuth2ConfigError for a custom grant type that is empty, malformed, or a grant of another kind. */
export function checkCustomGrant(config: TokenRequestConfig, wording: Wording): void {
	if (config.customGrantType === undefined) return;
	const label = wording.fieldLabel('customGrantType');
	if (config.grantType !== 'client_credentials') {
		throw new OAuth2ConfigError(`The ${label} replaces the client credentials grant only; the ${config.grantType} grant sends its own grant_type.`, 'customGrantType');
	}
	const value = customGrantTypeOf(config) ?? '';
	if (!value) {
		throw new OAuth2ConfigError(`The ${label} is empty: enter the grant_type value the server expects (e.g. account_credentials), or choose the standard client credentials grant.`, 'customGrantType');
	}
	if (!GRANT_NAME.test(value) && !ABSOLUTE_URI.test(value)) {
		throw new OAuth2ConfigError(
			`The ${label} "${shown(value)}" is not a grant type: RFC 6749 (§4.5, Appendix A.10) allows a name of letters, digits, "-", "." and "_", or an absolute URI, without spaces or control characters.`,
			'customGrantType',
		);
	}
	const reason = notCustomReason(value, wording);
	if (reason) throw new OAuth2ConfigError(`The ${label} "${value}" cannot be used: ${reason}.`, 'customGrantType');
}
