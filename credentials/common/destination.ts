import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { apiBaseUrlOf } from './credentialData';

// Where the credential's token may be sent: the one destination policy of the package. The
// credential's authenticate (every request n8n signs with it) and the node's sender (every API
// request, page and redirect hop) both ask checkDestination.

export class TokenDestinationError extends Error {
	constructor(reason: string) {
		super(`The OAuth2 access token was not sent: ${reason}.`);
		this.name = 'TokenDestinationError';
	}
}

/**
 * Where a token may be sent. n8n adds "Allowed HTTP Request Domains" to every credential with
 * `authenticate` but enforces it only in its own HTTP nodes, and its helper's signature differs
 * between n8n 1.x and 2.x, so the setting is read from the credential data and applied here.
 */
export interface HostPolicy {
	/** 'all' | 'domains' | 'none', as n8n stores it. */
	mode: string;
	domains: string[];
	baseHost?: string;
}

export function hostnameOf(url: string): string | undefined {
	try {
		return new URL(url).hostname.toLowerCase();
	} catch {
		return undefined;
	}
}

export function hostPolicyOf(data: ICredentialDataDecryptedObject): HostPolicy {
	const mode = typeof data.allowedHttpRequestDomains === 'string' ? data.allowedHttpRequestDomains : 'all';
	const domains = typeof data.allowedDomains === 'string'
		? data.allowedDomains.split(',').map((d) => d.trim().toLowerCase()).filter((d) => d !== '')
		: [];
	const base = apiBaseUrlOf(data);
	return { mode, domains, baseHost: base ? hostnameOf(base) : undefined };
}

function matchesDomain(host: string, entry: string): boolean {
	const pattern = entry.replace(/^https?:\/\//, '').replace(/[/:].*$/, '');
	if (pattern.startsWith('*.')) {
		const apex = pattern.slice(2);
		return host === apex || host.endsWith(`.${apex}`);
	}
	return host === pattern;
}

/** Why a token must not go to this URL, or undefined when it may. */
export function refusalFor(policy: HostPolicy, url: string): string | undefined {
	const host = hostnameOf(url);
	if (!host) return `"${url}" is not a valid URL`;
	if (policy.mode === 'none') {
		return `the credential's "Allowed HTTP Request Domains" is set to "None", so it is not sent to ${host}`;
	}
	const listed = policy.mode === 'domains' && policy.domains.some((d) => matchesDomain(host, d));
	if (policy.mode === 'domains' && !listed && host !== policy.baseHost) {
		return `${host} is neither the API base URL's host nor in the credential's "Allowed HTTP Request Domains" (${policy.domains.join(', ') || 'empty'})`;
	}
	if (policy.mode !== 'domains' && policy.baseHost && host !== policy.baseHost) {
		return `${host} is not the host of the credential's API base URL (${policy.baseHost}); add it to the credential's "Allowed HTTP Request Domains" to allow it`;
	}
	return undefined;
}

/** Throws a TokenDestinationError when the credential's token must not go to `url`. */
export function checkDestination(data: ICredentialDataDecryptedObject, url: string): void {
	const refusal = refusalFor(hostPolicyOf(data), url);
	if (refusal) throw new TokenDestinationError(refusal);
}
