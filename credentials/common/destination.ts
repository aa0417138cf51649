import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	checkTokenDestination,
	type DestinationPolicy,
	originOf,
	sameOrigin,
	TokenDestinationError,
	withoutCredentialHeaders,
	withoutCredentialParameters,
} from '../../engine/destination';
import { apiBaseUrlOf, headerSettingsOf } from './credentialData';
import { tokenParameterOf } from './tokenPlacement';
import { STORED_FIELDS } from './names';

// The credential's side of the one destination policy (engine/destination.ts holds the rules): the
// credential's authenticate (every request n8n signs with it) and the node's sender (every API
// request, page and redirect hop) both ask checkDestination; the node strips credentialless hops
// with headersForOtherOrigin and urlForOtherOrigin.

export { TokenDestinationError, withoutCredentialParameters };

/**
 * n8n adds "Allowed HTTP Request Domains" to every credential with `authenticate` but enforces it
 * only in its own HTTP nodes, and its helper's signature differs between n8n 1.x and 2.x, so the
 * setting is read from the credential data and applied here.
 */
export function destinationPolicyOf(data: ICredentialDataDecryptedObject): DestinationPolicy {
	const mode = typeof data.allowedHttpRequestDomains === 'string' ? data.allowedHttpRequestDomains : 'all';
	const domains = typeof data.allowedDomains === 'string'
		? data.allowedDomains.split(',').map((d) => d.trim()).filter((d) => d !== '')
		: [];
	// With "Use Instance URL" the token response's instance_url stands in for the field, under its name.
	return { mode, domains, baseUrl: apiBaseUrlOf(data), baseUrlField: 'API Base URL' };
}

/** Throws a TokenDestinationError when the credential's token must not go to `url`. */
export function checkDestination(data: ICredentialDataDecryptedObject, url: string): void {
	checkTokenDestination(destinationPolicyOf(data), url);
}

/** Whether a redirect from `from` to `to` leaves the origin (scheme, host, port). */
export function leavesOrigin(from: string, to: string): boolean {
	return !sameOrigin(originOf(from), originOf(to));
}

/** The headers of a hop to another origin: no Authorization, Cookie, Proxy-Authorization nor the credential's own header. */
export function headersForOtherOrigin<T>(data: ICredentialDataDecryptedObject, headers: Record<string, T> | undefined): Record<string, T> {
	return withoutCredentialHeaders(headers, headerSettingsOf(data).name);
}

/**
 * The URL of a hop to another origin: without the credential's token parameter (when the token goes
 * in the query: a server may echo it into its Location) and without any parameter holding the token.
 */
export function urlForOtherOrigin(data: ICredentialDataDecryptedObject, url: string, tokens: Iterable<string> = []): string {
	const parameter = tokenParameterOf(data);
	const current = typeof data[STORED_FIELDS.accessToken] === 'string' ? String(data[STORED_FIELDS.accessToken]) : '';
	return withoutCredentialParameters(url, parameter ? [parameter] : [], [current, ...tokens]);
}
