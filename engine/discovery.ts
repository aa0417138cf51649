// Finds the token endpoint from the issuer's metadata (OpenID Connect Discovery 1.0, RFC 8414), so a
// credential needs only the issuer URL. Each issuer's metadata is fetched once and kept.

import { LruCache, SingleFlight } from './cache';
import { normaliseIssuer, timeoutSecondsOf } from './config';
import { OAuth2GrantsError } from './baseError';
import { networkCodeOf } from './error';
import { trustKeyOf } from './fingerprint';
import { Redactor, safeUrl } from './redact';
import { sendWithRetry } from './retry';
import { hasClientCertificate, normaliseTls } from './tls';
import { requestSecretsOf } from './token';
import type { AuthenticatorDeps, ClientAuthentication, RetryOptions, TokenRequestConfig, TransportRequest } from './types';

/** What the engine uses of the metadata. */
export interface ServerMetadata {
	issuer: string;
	tokenEndpoint: string;
	/** RFC 8705 §5: the token endpoint for clients that present a certificate, when it differs. */
	mtlsTokenEndpoint?: string;
	/** token_endpoint_auth_methods_supported; undefined when the server does not say. */
	authMethods?: string[];
	/** token_endpoint_auth_signing_alg_values_supported; undefined when the server does not say. */
	signingAlgorithms?: string[];
	/** The document it came from. */
	source: string;
}

/** The metadata could not be fetched or used. The message names every URL tried and what it answered. */
export class OAuth2DiscoveryError extends OAuth2GrantsError {
	readonly issuerUrl: string;
	readonly hint?: string;

	constructor(issuerUrl: string, message: string, hint?: string) {
		super('DISCOVERY_FAILED', hint ? `${message} ${hint}` : message);
		this.name = 'OAuth2DiscoveryError';
		this.issuerUrl = issuerUrl;
		this.hint = hint;
	}
}

/** The registered name (RFC 7591 §2) of each client authentication. */
export const AUTH_METHOD_NAMES: Record<ClientAuthentication, string> = {
	auto: 'client_secret_basic',
	header: 'client_secret_basic',
	headerRaw: 'client_secret_basic',
	body: 'client_secret_post',
	none: 'none',
	privateKeyJwt: 'private_key_jwt',
	clientSecretJwt: 'client_secret_jwt',
	tlsClientAuth: 'tls_client_auth',
};

/** Metadata documents are stable; kept a day so a server that moves its endpoint is found again. */
export const DISCOVERY_TTL_MS = 24 * 3600 * 1000;

/**
 * Where the metadata of `issuer` may be: OpenID Connect's `{issuer}/.well-known/openid-configuration`,
 * RFC 8414's `{origin}/.well-known/oauth-authorization-server{path}`, and the suffix form of the latter
 * that several servers (Okta, Keycloak) also serve.
 */
export function discoveryUrlsOf(issuer: string): string[] {
	const base = normaliseIssuer(issuer) ?? '';
	const url = new URL(base);
	const path = url.pathname.replace(/\/+$/, '');
	const urls = [`${base}/.well-known/openid-configuration`, `${url.origin}/.well-known/oauth-authorization-server${path}`];
	if (path) urls.push(`${base}/.well-known/oauth-authorization-server`);
	return [...new Set(urls)];
}

function stringList(value: unknown): string[] | undefined {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function absoluteUrl(value: unknown): string | undefined {
	if (typeof value !== 'string' || !/^https?:\/\//i.test(value.trim())) return undefined;
	try {
		return new URL(value.trim()).toString();
	} catch {
		return undefined;
	}
}

/** The metadata in a document, or the reason it cannot be used. */
export function parseMetadata(text: string, issuer: string, source: string): ServerMetadata | string {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return 'the response is not JSON';
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the response is not a JSON object';
	const document = body as Record<string, unknown>;
	// RFC 8414 §3.3: the issuer in the document must be the one asked for, or the document is not to be trusted.
	if (normaliseIssuer(String(document.issuer ?? '')) !== normaliseIssuer(issuer)) {
		return `its issuer is "${String(document.issuer ?? '')}", not the issuer URL`;
	}
	const tokenEndpoint = absoluteUrl(document.token_endpoint);
	if (!tokenEndpoint) return 'it names no token_endpoint';
	const metadata: ServerMetadata = { issuer: String(document.issuer), tokenEndpoint, source };
	const aliases = document.mtls_endpoint_aliases as Record<string, unknown> | undefined;
	const mtlsTokenEndpoint = aliases && typeof aliases === 'object' ? absoluteUrl(aliases.token_endpoint) : undefined;
	if (mtlsTokenEndpoint) metadata.mtlsTokenEndpoint = mtlsTokenEndpoint;
	const authMethods = stringList(document.token_endpoint_auth_methods_supported);
	if (authMethods) metadata.authMethods = authMethods;
	const signingAlgorithms = stringList(document.token_endpoint_auth_signing_alg_values_supported);
	if (signingAlgorithms) metadata.signingAlgorithms = signingAlgorithms;
	return metadata;
}

/**
 * The token endpoint `config` should use: the mTLS alias when the client presents a certificate
 * (RFC 8705 §5), else token_endpoint.
 */
export function tokenEndpointFor(metadata: ServerMetadata, config: Pick<TokenRequestConfig, 'tls'>): string {
	return hasClientCertificate(config.tls) && metadata.mtlsTokenEndpoint ? metadata.mtlsTokenEndpoint : metadata.tokenEndpoint;
}

/**
 * Why the server's metadata rules out this configuration's client authentication, or undefined when it
 * does not (or says nothing). RFC 8414 §2: a server that lists no methods supports client_secret_basic.
 */
export function unsupportedBy(metadata: ServerMetadata, config: TokenRequestConfig): string | undefined {
	const method = AUTH_METHOD_NAMES[config.clientAuthentication];
	if (metadata.authMethods && method && !metadata.authMethods.includes(method)) {
		return `The authorization server ${metadata.issuer} does not support ${method} at its token endpoint; it lists ${metadata.authMethods.join(', ') || 'no methods'}. Choose one of those as the client authentication, or set the token URL to skip discovery.`;
	}
	const algorithm =
		config.clientAuthentication === 'privateKeyJwt'
			? (config.signingAlgorithm ?? 'RS256')
			: config.clientAuthentication === 'clientSecretJwt'
				? 'HS256'
				: undefined;
	if (algorithm && metadata.signingAlgorithms && !metadata.signingAlgorithms.includes(algorithm)) {
		return `The authorization server ${metadata.issuer} does not accept ${algorithm} client assertions; it lists ${metadata.signingAlgorithms.join(', ') || 'none'}.`;
	}
	return undefined;
}

interface Entry {
	metadata: ServerMetadata;
	fetchedAt: number;
}

export interface DiscoveryOptions {
	now: () => number;
	retry?: RetryOptions;
	maxEntries?: number;
}

/**
 * Metadata per issuer and trust settings: fetched once (one request however many callers ask at once),
 * then kept. A document fetched without checking the certificate, or trusting another CA, never serves
 * a configuration that checks it: it could name any token endpoint.
 */
export class DiscoveryCache {
	private readonly entries: LruCache<Entry>;
	private readonly flights = new SingleFlight<ServerMetadata>();

	constructor(private readonly options: DiscoveryOptions) {
		this.entries = new LruCache<Entry>(options.maxEntries ?? 100);
	}

	/** The metadata of the configuration's issuer, from the cache or fetched now. */
	async metadataFor(config: TokenRequestConfig, deps: AuthenticatorDeps): Promise<ServerMetadata> {
		const issuer = normaliseIssuer(config.issuerUrl) ?? '';
		const key = `${issuer} ${trustKeyOf(config)}`;
		const cached = this.entries.get(key);
		if (cached && this.options.now() - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.metadata;
		return this.flights.run(key, async () => {
			const metadata = await this.fetch(issuer, config, deps);
			this.entries.set(key, { metadata, fetchedAt: this.options.now() });
			return metadata;
		});
	}

	clear(): void {
		this.entries.clear();
	}

	private async fetch(issuer: string, config: TokenRequestConfig, deps: AuthenticatorDeps): Promise<ServerMetadata> {
		const tls = normaliseTls(config.tls);
		const outcomes: string[] = [];
		for (const url of discoveryUrlsOf(issuer)) {
			const request: TransportRequest = {
				method: 'GET',
				url,
				headers: { Accept: 'application/json' },
				timeoutMs: Math.round(timeoutSecondsOf(config) * 1000),
			};
			if (config.ignoreSslIssues) request.skipSslCertificateValidation = true;
			if (tls) request.tls = tls;
			const sent = await sendWithRetry(request, { ...deps, now: this.options.now }, this.options.retry);
			if (!sent.ok) {
				// No answer at all: the other documents live on the same host, so asking them would not help.
				const code = networkCodeOf(sent.error);
				const raw = sent.error instanceof Error ? sent.error.message : '';
				outcomes.push(`${safeUrl(url)} gave no response (${code ?? (raw || 'unknown error')})`);
				break;
			}
			const { statusCode, body } = sent.response;
			if (statusCode < 200 || statusCode >= 300) {
				outcomes.push(`${safeUrl(url)} answered ${statusCode}`);
				continue;
			}
			const parsed = parseMetadata(body, issuer, url);
			if (typeof parsed !== 'string') return parsed;
			outcomes.push(`${safeUrl(url)} answered, but ${parsed}`);
		}
		const redactor = new Redactor(requestSecretsOf(config));
		throw new OAuth2DiscoveryError(
			safeUrl(issuer),
			redactor.mask(`Could not find the token endpoint of issuer ${safeUrl(issuer)}: ${outcomes.join('; ')}.`),
			'Check the issuer URL (the "issuer" of the provider\'s metadata), or set the token URL, which skips discovery.',
		);
	}
}
