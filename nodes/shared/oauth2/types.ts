// The authenticator's contract. Nothing here imports n8n: the transport, clock and sleep are
// passed in, so the same engine runs under n8n's helpers in production and a plain HTTP client in tests.

export type GrantType = 'client_credentials' | 'password';

/**
 * header: HTTP Basic with id and secret form-encoded first (RFC 6749 §2.3.1).
 * headerRaw: HTTP Basic with id and secret as typed (what many servers and n8n itself do).
 * body: client_id and client_secret in the request body (client_secret_post).
 * none: public client, only client_id in the body.
 */
export type ClientAuthentication = 'header' | 'headerRaw' | 'body' | 'none';

export type RequestFormat = 'form' | 'json';

export interface ExtraParameter {
	name: string;
	value: string;
}

export interface TokenRequestConfig {
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
	username?: string;
	password?: string;
	/** Renew when less than this remains; capped at half the token's lifetime. Default 60. */
	renewalMarginSeconds?: number;
	/** Lifetime assumed when neither expires_in nor a JWT exp is present. Default 3600. */
	defaultLifetimeSeconds?: number;
	/** Timeout of one token request. Default 30. */
	requestTimeoutSeconds?: number;
	ignoreSslIssues?: boolean;
}

export interface TransportRequest {
	method: 'POST' | 'GET';
	url: string;
	headers: Record<string, string>;
	/** Already encoded (form or JSON) request body. */
	body?: string;
	timeoutMs: number;
	skipSslCertificateValidation?: boolean;
}

export interface TransportResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** Raw body as text; the engine parses it itself so a non-JSON body can be reported. */
	body: string;
}

/**
 * Sends one HTTP request and resolves with the response for every HTTP status.
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
	/** As the server sent it, or "Bearer" when absent. */
	tokenType: string;
	/** Epoch milliseconds. */
	expiresAt: number;
	/** Epoch milliseconds, when the engine received it. */
	obtainedAt: number;
	refreshToken?: string;
	scope?: string;
	/** The rest of the token response (instance_url and the like), without any token values. */
	extra: Record<string, unknown>;
}
