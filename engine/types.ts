// The authenticator's contract. Nothing here imports n8n: the transport, clock and sleep are
// passed in, so the same engine runs under n8n's helpers in production and a plain HTTP client in tests.

import type { AssertionAlgorithm } from './assertion';
import type { ClientTls } from './tls';

export type GrantType = 'client_credentials' | 'password';

/**
 * auto: HTTP Basic, form-encoded first (RFC 6749 §2.3.1); when that is refused as a client
 *   authentication failure and the raw form differs, raw once; the form that worked is remembered.
 * header: HTTP Basic with id and secret form-encoded first (RFC 6749 §2.3.1).
 * headerRaw: HTTP Basic with id and secret as typed (what many servers and n8n itself do).
 * body: client_id and client_secret in the request body (client_secret_post).
 * none: public client, only client_id in the body.
 * privateKeyJwt: a JWT signed with the client's private key (RFC 7523 §2.2, private_key_jwt).
 * clientSecretJwt: a JWT signed (HS256) with the client secret (client_secret_jwt).
 * tlsClientAuth: the client certificate of a mutual TLS connection (RFC 8705 §2, tls_client_auth); client_id in the body.
 */
export type ClientAuthentication =
	| 'auto'
	| 'header'
	| 'headerRaw'
	| 'body'
	| 'none'
	| 'privateKeyJwt'
	| 'clientSecretJwt'
	| 'tlsClientAuth';

export type { AssertionAlgorithm, ClientTls };

export type RequestFormat = 'form' | 'json';

/** The form of HTTP Basic client credentials: form-encoded first (RFC 6749 §2.3.1), or as typed. */
export type BasicForm = 'encoded' | 'raw';

/** Where an extra parameter goes: the request body (the default, as RFC 6749 says) or the token URL's query string. */
export type ParameterPlacement = 'body' | 'query';

export interface ExtraParameter {
	name: string;
	value: string;
	/** Default body. */
	sendIn?: ParameterPlacement;
}

/** A header sent with the token request only (an API gateway's key in front of the token endpoint). Its value is a secret. */
export interface ExtraHeader {
	name: string;
	value: string;
}

export interface TokenRequestConfig {
	/** May be empty when `issuerUrl` is set: the token endpoint is then discovered. */
	tokenUrl: string;
	grantType: GrantType;
	clientId: string;
	clientSecret: string;
	clientAuthentication: ClientAuthentication;
	requestFormat: RequestFormat;
	scope?: string;
	audience?: string;
	/** RFC 8707 resource indicators; each one is sent as its own `resource` parameter. */
	resource?: string[];
	extraParameters?: ExtraParameter[];
	/** Headers of the token request, on top of the engine's own; each value is masked in every message. */
	extraHeaders?: ExtraHeader[];
	/**
	 * With the client credentials grant: the grant_type to send instead of client_credentials, an
	 * extension grant of RFC 6749 §4.5 (Zoom's account_credentials). Undefined sends client_credentials.
	 */
	customGrantType?: string;
	username?: string;
	password?: string;
	/** Renew when less than this remains; capped at half the token's lifetime. Default 60. */
	renewalMarginSeconds?: number;
	/** Lifetime assumed when neither expires_in nor a JWT exp is present. Default 3600. */
	defaultLifetimeSeconds?: number;
	/** Timeout of one token request. Default 30. */
	requestTimeoutSeconds?: number;
	ignoreSslIssues?: boolean;
	/** Authorization server issuer; with an empty tokenUrl, its metadata (RFC 8414 / OIDC discovery) names the token endpoint. */
	issuerUrl?: string;
	/** PEM private key that signs the private_key_jwt assertion. */
	privateKey?: string;
	/** `kid` of the assertion's header, when the server keeps several keys for the client. */
	privateKeyId?: string;
	/** Default RS256. */
	signingAlgorithm?: AssertionAlgorithm;
	/** PEM certificate of `privateKey`; its thumbprints are sent as x5t and x5t#S256 (Microsoft Entra ID). */
	privateKeyCertificate?: string;
	/** Client certificate, key and CA bundle of mutual TLS (RFC 8705) for the token request. */
	tls?: ClientTls;
	/**
	 * Where the token response holds the token, its expiry and the refresh token, for a response that
	 * auto-detection (engine/responseFields.ts) cannot read. Each one unset is detected as without it.
	 */
	responseFields?: ResponseFields;
}

/**
 * Paths into the token response: member names from its top joined by dots (`data.jwt`); a number
 * picks an item of a list (`items.0.token`, also written `items[0].token`).
 */
export interface ResponseFields {
	accessToken?: string;
	/** Seconds from now, epoch seconds or milliseconds, or an ISO 8601 date (engine/lifetime.ts). */
	expiry?: string;
	refreshToken?: string;
}

export interface TransportRequest {
	method: 'POST' | 'GET';
	url: string;
	headers: Record<string, string>;
	/** Already encoded (form or JSON) request body. */
	body?: string;
	timeoutMs: number;
	skipSslCertificateValidation?: boolean;
	/** Client certificate, key, passphrase and CA bundle to use for this request's TLS connection. */
	tls?: ClientTls;
	/** Values the request carries that no message may show (a client assertion). Not sent. */
	secrets?: string[];
}

export interface TransportResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** Raw body as text; the engine parses it itself so a non-JSON body can be reported. */
	body: string;
}

/**
 * Sends one HTTP request and resolves with the response for every HTTP status, a 3xx included: a
 * transport never follows a redirect (the engine's destination policy decides, `destination.ts`).
 * Rejects only when no response arrived (refused, reset, timeout); the error's `code`
 * (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ECONNABORTED...) tells the engine whether to retry.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export interface Clock {
	now(): number;
}

export type Sleep = (ms: number) => Promise<void>;

export interface Token {
	accessToken: string;
	/** Always "Bearer": the only type the engine uses (any case, or none, from the server). */
	tokenType: string;
	/** Epoch milliseconds. */
	expiresAt: number;
	/** Epoch milliseconds, when the engine received it. */
	obtainedAt: number;
	refreshToken?: string;
	scope?: string;
	/** The rest of the token response (instance_url and the like), without any token values. */
	extra: Record<string, unknown>;
	/** With automatic client authentication: the Basic form the token endpoint took. */
	basicForm?: BasicForm;
}

// Added with the engine (nothing above changed).

/** What a token request asks for: one of the configured grants, or a renewal with a refresh token. */
export type TokenGrant = GrantType | 'refresh_token';

/**
 * A token as kept in persistent storage (the n8n credential), so a new process or a second
 * worker can use it without a token request. `fingerprint` is `newFingerprint(config)` of the
 * configuration that obtained it (or 0.2.0's form): a token is never used for a configuration it was
 * not made for (`fingerprintMatches`).
 */
export interface StoredToken {
	accessToken: string;
	/** Epoch milliseconds. */
	expiresAt: number;
	fingerprint: string;
	refreshToken?: string;
	tokenType?: string;
	/** Epoch milliseconds; lets the renewal margin be capped at half the lifetime. */
	obtainedAt?: number;
	scope?: string;
	/** With automatic client authentication: the Basic form the token endpoint took, sent first from then on. */
	basicForm?: BasicForm;
}

/** What the engine needs from its host for one call. */
export interface AuthenticatorDeps {
	transport: Transport;
	sleep: Sleep;
}

export interface GetTokenOptions {
	/** A token the caller knows is bad (the API answered 401): dropped if cached, never returned from cache or storage. */
	rejectToken?: string;
	/** The token from persistent storage, used when it fits this configuration and is not due. */
	stored?: StoredToken;
}

/** Retries of the token request on transient failures (network errors, 429, 502, 503, 504). */
export interface RetryOptions {
	/** Retries after the first attempt. Default 2 (3 attempts). */
	retries?: number;
	/** First backoff delay; doubled for each retry, with jitter. Default 500. */
	baseDelayMs?: number;
	/** Upper bound of one backoff delay, and of a server's Retry-After. Default 10000. */
	maxDelayMs?: number;
	/** Source of randomness for the jitter, in [0, 1). Default Math.random. */
	random?: () => number;
}
