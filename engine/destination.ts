// Where a credential's token and secrets may go: the one destination policy of the package, pure URL
// and origin logic. It lives in the engine because token and discovery requests (sent by the engine
// through whatever Transport it is given) must obey the same origin rules as API requests; the glue
// (credentials/common/destination.ts) reads the credential's fields into a DestinationPolicy and asks
// the same functions for API requests, pages and redirect hops.

import { OAuth2GrantsError } from './baseError';
import { safeUrl } from './redact';
import type { Transport, TransportRequest, TransportResponse } from './types';

export type DestinationRefusal =
	/** The API Base URL (or the instance URL standing in for it) is not an absolute http(s) URL. */
	| 'INVALID_BASE_URL'
	/** The request URL is not an absolute http(s) URL. */
	| 'INVALID_URL'
	/** "Allowed HTTP Request Domains" is None. */
	| 'NONE_ALLOWED'
	/** Neither the base URL's origin nor an allowed-domain entry. */
	| 'NOT_ALLOWED'
	/** A token or discovery request was redirected to another origin. */
	| 'CROSS_ORIGIN_REDIRECT'
	| 'TOO_MANY_REDIRECTS';

/** Every refusal of the destination policy, for the node, authenticate and the engine alike. */
export class TokenDestinationError extends OAuth2GrantsError {
	declare readonly code: DestinationRefusal;

	/** The credential form field at fault, when there is one ("API Base URL"). */
	readonly field?: string;

	constructor(code: DestinationRefusal, message: string, field?: string) {
		super(code, message);
		// For people reading logs; code and class are what callers check.
		this.name = 'TokenDestinationError';
		this.field = field;
	}
}

/** An http(s) origin with its port made explicit, so https://h and https://h:443 are equal. */
export interface Origin {
	scheme: 'http' | 'https';
	host: string;
	port: number;
}

const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/** The origin of an absolute http(s) URL, or undefined when it is anything else. */
export function originOf(url: string): Origin | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		return undefined;
	}
	const scheme = parsed.protocol.slice(0, -1).toLowerCase();
	if ((scheme !== 'http' && scheme !== 'https') || !parsed.hostname) return undefined;
	return { scheme, host: parsed.hostname.toLowerCase(), port: parsed.port ? Number(parsed.port) : DEFAULT_PORTS[scheme] };
}

export function sameOrigin(a: Origin | undefined, b: Origin | undefined): boolean {
	return !!a && !!b && a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

/** host, or host:port when the port is not the scheme's default: how messages name a destination. */
export function hostOf(origin: Origin): string {
	return origin.port === DEFAULT_PORTS[origin.scheme] ? origin.host : `${origin.host}:${origin.port}`;
}

/**
 * One "Allowed HTTP Request Domains" entry. With a scheme it is an origin (port defaulted by the
 * scheme); without one, a host (or `*.` apex) on any port, and optionally one port, reachable by
 * https, and by http only when the API Base URL is not https.
 */
interface DomainEntry {
	text: string;
	scheme?: 'http' | 'https';
	host: string;
	wildcard: boolean;
	port?: number;
}

function domainEntryOf(text: string): DomainEntry | undefined {
	const entry = text.trim().toLowerCase();
	const schemed = /^([a-z][a-z0-9+.-]*):\/\//.exec(entry);
	const scheme = schemed?.[1];
	if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return undefined;
	const rest = (schemed ? entry.slice(schemed[0].length) : entry).replace(/[/?#].*$/, '');
	const wildcard = rest.startsWith('*.');
	// Parsed as a URL so that ports, IPv6 literals and IDNs are read as the request URL's are.
	const origin = originOf(`${scheme ?? 'https'}://${wildcard ? rest.slice(2) : rest}`);
	if (!origin || /[*@]/.test(rest.slice(wildcard ? 2 : 0))) return undefined;
	const portGiven = /:\d+$/.test(rest) || !!scheme;
	return {
		text: text.trim(),
		scheme: scheme as DomainEntry['scheme'],
		host: origin.host,
		wildcard,
		port: portGiven ? origin.port : undefined,
	};
}

export interface DestinationPolicy {
	/** n8n's "Allowed HTTP Request Domains": 'all' | 'domains' | 'none'. */
	mode: string;
	/** The "Allowed Domains" entries as the user typed them. */
	domains: string[];
	/** The API Base URL as configured ('' when none). */
	baseUrl: string;
	/** How messages name the base URL's field. */
	baseUrlField: string;
}

function entryAllows(entry: DomainEntry, target: Origin, base: Origin | undefined): boolean {
	const hostMatches = entry.wildcard ? target.host === entry.host || target.host.endsWith(`.${entry.host}`) : target.host === entry.host;
	if (!hostMatches) return false;
	if (entry.port !== undefined && entry.port !== target.port) return false;
	if (entry.scheme) return entry.scheme === target.scheme;
	return target.scheme === 'https' || base?.scheme !== 'https';
}

/** The origin of the API Base URL; undefined when none is set; a refusal when it does not parse. */
export function baseOriginOf(policy: DestinationPolicy): Origin | undefined {
	if (!policy.baseUrl.trim()) return undefined;
	const base = originOf(policy.baseUrl);
	if (!base) {
		throw new TokenDestinationError(
			'INVALID_BASE_URL',
			`The credential's "${policy.baseUrlField}" (${safeUrl(policy.baseUrl)}) is not an absolute http:// or https:// URL with a valid host and port, so no token is sent anywhere until it is corrected.`,
			policy.baseUrlField,
		);
	}
	return base;
}

const notSent = (reason: string) => `The OAuth2 access token was not sent: ${reason}.`;

/** Throws a TokenDestinationError when the credential's token must not go to `url`. */
export function checkTokenDestination(policy: DestinationPolicy, url: string): void {
	const base = baseOriginOf(policy);
	const target = originOf(url);
	if (!target) throw new TokenDestinationError('INVALID_URL', notSent(`"${safeUrl(url)}" is not an absolute http:// or https:// URL`));
	const where = `${target.scheme}://${hostOf(target)}`;
	if (policy.mode === 'none') {
		throw new TokenDestinationError('NONE_ALLOWED', notSent(`the credential's "Allowed HTTP Request Domains" is set to "None", so it is not sent to ${where}`));
	}
	if (sameOrigin(target, base)) return;
	const entries = policy.mode === 'domains' ? policy.domains.map(domainEntryOf) : [];
	if (entries.some((entry) => entry && entryAllows(entry, target, base))) return;
	if (policy.mode !== 'domains' && !base) return;
	const baseText = base ? `${base.scheme}://${hostOf(base)}` : undefined;
	const downgrade = base?.scheme === 'https' && target.scheme === 'http' ? ` (the API Base URL is https, and a token never goes over plain http)` : '';
	if (policy.mode === 'domains') {
		const listed = policy.domains.join(', ') || 'empty';
		throw new TokenDestinationError(
			'NOT_ALLOWED',
			notSent(`${where} is neither the origin of the API base URL${baseText ? ` (${baseText})` : ''} nor in the credential's "Allowed HTTP Request Domains" (${listed})${downgrade}`),
		);
	}
	throw new TokenDestinationError(
		'NOT_ALLOWED',
		notSent(`${where} is not the origin (scheme, host and port) of the credential's API base URL (${baseText})${downgrade}; add it to the credential's "Allowed HTTP Request Domains" to allow it`),
	);
}

/**
 * Headers that carry credentials, dropped on every hop to another origin whatever their case
 * (fetch, curl and follow-redirects drop the first three; the credential's own header is added).
 */
export const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'cookie', 'proxy-authorization'];

export function withoutCredentialHeaders<T>(headers: Record<string, T> | undefined, tokenHeader: string): Record<string, T> {
	const dropped = new Set([...CREDENTIAL_HEADERS, tokenHeader.toLowerCase()]);
	return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !dropped.has(name.toLowerCase())));
}

/** A query string's name or value as a server reads it; the text itself when it does not decode. */
function queryDecoded(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

/**
 * `url` (absolute or not) without the query parameters that carry a credential: those named one of
 * `names`, in any case (a server may read either), and those whose value is one of `values` (a
 * token a server echoed under another name). Everything else is kept as written, encoding included.
 */
export function withoutCredentialParameters(url: string, names: ReadonlyArray<string>, values: ReadonlyArray<string> = []): string {
	const query = url.indexOf('?');
	if (query < 0) return url;
	const hash = url.indexOf('#', query);
	const end = hash < 0 ? url.length : hash;
	const dropped = new Set(names.map((name) => name.toLowerCase()));
	const secrets = new Set(values.filter((value) => value !== ''));
	const kept = url
		.slice(query + 1, end)
		.split('&')
		.filter((pair) => {
			if (pair === '') return false;
			const equals = pair.indexOf('=');
			const name = queryDecoded(equals < 0 ? pair : pair.slice(0, equals));
			const value = equals < 0 ? '' : queryDecoded(pair.slice(equals + 1));
			return !dropped.has(name.toLowerCase()) && !secrets.has(value);
		});
	return `${url.slice(0, query)}${kept.length ? `?${kept.join('&')}` : ''}${url.slice(end)}`;
}

/** Same-origin redirects a token or discovery request follows before it gives up. */
export const MAX_TOKEN_REDIRECTS = 3;

function locationOf(response: TransportResponse): string | undefined {
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		if (name.toLowerCase() !== 'location') continue;
		const first = Array.isArray(value) ? value[0] : value;
		return typeof first === 'string' && first.trim() ? first.trim() : undefined;
	}
	return undefined;
}

/** Whether the request is sent again, unchanged, to the Location: 307/308 for any method, any redirect for a GET. */
function followable(request: TransportRequest, status: number): boolean {
	if (status === 307 || status === 308) return true;
	return request.method === 'GET' && (status === 301 || status === 302 || status === 303);
}

/**
 * Sends a token or discovery request. A Transport never follows redirects itself; this decides: the
 * same origin may answer 307/308 (and a GET any redirect) up to MAX_TOKEN_REDIRECTS times, since
 * re-sending there goes nowhere new; a redirect to another origin is refused before anything is sent
 * there, and the message names only the target's host, as its path and query may carry anything.
 * Any other 3xx comes back as the response, for the caller to report.
 */
export async function sendWithinOrigin(transport: Transport, request: TransportRequest): Promise<TransportResponse> {
	const first = originOf(request.url);
	let current = request;
	for (let hops = 0; ; hops++) {
		const response = await transport(current);
		const location = response && followable(current, response.statusCode) ? locationOf(response) : undefined;
		if (!location) return response;
		let next: string;
		try {
			next = new URL(location, current.url).toString();
		} catch {
			return response;
		}
		const target = originOf(next);
		const what = `The ${current.method === 'GET' ? 'request' : 'token request'} to ${safeUrl(request.url)}`;
		if (!sameOrigin(target, first)) {
			const host = target ? `${target.scheme}://${hostOf(target)}` : 'a URL that is not http(s)';
			throw new TokenDestinationError(
				'CROSS_ORIGIN_REDIRECT',
				`${what} was redirected (${response.statusCode}) to another origin, ${host}; it was not sent there, as it would carry the credential's secrets. Use the final URL in the credential.`,
			);
		}
		if (hops >= MAX_TOKEN_REDIRECTS) {
			throw new TokenDestinationError('TOO_MANY_REDIRECTS', `${what} was redirected more than ${MAX_TOKEN_REDIRECTS} times within its origin; use the final URL in the credential.`);
		}
		current = { ...current, url: next };
	}
}
