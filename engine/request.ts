// Builds the token request of RFC 6749 §4.3 (password), §4.4 (client credentials) and §6 (refresh),
// with the client authentication of §2.3.1, the JWT assertions of RFC 7523 §2.2, the mutual TLS of
// RFC 8705 and the resource indicators of RFC 8707.

import { CLIENT_ASSERTION_TYPE, privateKeyAssertion, secretAssertion, type AssertionInput } from './assertion';
import {
	normaliseAudience,
	normaliseExtraParameters,
	normaliseResources,
	normaliseScope,
	needsDiscovery,
	timeoutSecondsOf,
	validateConfig,
} from './config';
import { grantTypeValueOf } from './customGrant';
import { OAuth2ConfigError } from './error';
import { normaliseExtraHeaders } from './extraHeaders';
import { basicCredentials, basicCredentialsFormEncoded } from './redact';
import { checkTls, normaliseTls } from './tls';
import type { BasicForm, TokenGrant, TokenRequestConfig, TransportRequest } from './types';
import type { Wording } from './wording';

type Parameter = [name: string, value: string];

function encodeFormParameters(parameters: Parameter[]): string {
	const search = new URLSearchParams();
	for (const [name, value] of parameters) search.append(name, value);
	return search.toString();
}

/** JSON body: a name that occurs once is a string, a repeated one (resource) an array. */
function encodeJson(parameters: Parameter[]): string {
	const body: Record<string, string | string[]> = {};
	for (const [name, value] of parameters) {
		const existing = body[name];
		if (existing === undefined) body[name] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else body[name] = [existing, value];
	}
	return JSON.stringify(body);
}

function grantParameters(config: TokenRequestConfig, grant: TokenGrant, refreshToken: string | undefined): Parameter[] {
	if (grant === 'refresh_token') {
		if (typeof refreshToken !== 'string' || !refreshToken) {
			throw new OAuth2ConfigError('A refresh token request needs a refresh token.', 'refreshToken');
		}
		return [
			['grant_type', 'refresh_token'],
			['refresh_token', refreshToken],
		];
	}
	if (grant === 'password') {
		return [
			['grant_type', 'password'],
			['username', config.username ?? ''],
			['password', config.password ?? ''],
		];
	}
	return [['grant_type', grantTypeValueOf(config, grant)]];
}

/** What the client authentication adds to the request (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705 §2). */
interface ClientAuthenticationParts {
	headers: Record<string, string>;
	parameters: Parameter[];
	/** A client assertion: sent, but never to be shown. */
	secrets: string[];
}

function clientAuthenticationOf(config: TokenRequestConfig, assertionInput: AssertionInput, basicForm: BasicForm): ClientAuthenticationParts {
	const clientId = assertionInput.clientId;
	switch (config.clientAuthentication) {
		case 'auto':
			return clientAuthenticationOf({ ...config, clientAuthentication: basicForm === 'raw' ? 'headerRaw' : 'header' }, assertionInput, basicForm);
		case 'header':
			return { headers: { Authorization: `Basic ${basicCredentialsFormEncoded(clientId, config.clientSecret)}` }, parameters: [], secrets: [] };
		case 'headerRaw':
			return { headers: { Authorization: `Basic ${basicCredentials(clientId, config.clientSecret)}` }, parameters: [], secrets: [] };
		case 'body':
			return { headers: {}, parameters: [['client_id', clientId], ['client_secret', config.clientSecret]], secrets: [] };
		case 'none':
		case 'tlsClientAuth':
			// RFC 8705 §2: the certificate of the TLS connection authenticates; client_id says whose it is.
			return { headers: {}, parameters: [['client_id', clientId]], secrets: [] };
		case 'privateKeyJwt':
		case 'clientSecretJwt': {
			const assertion =
				config.clientAuthentication === 'privateKeyJwt'
					? privateKeyAssertion({
						...assertionInput,
						privateKey: config.privateKey ?? '',
						algorithm: config.signingAlgorithm,
						keyId: config.privateKeyId,
						certificate: config.privateKeyCertificate,
					})
					: secretAssertion({ ...assertionInput, clientSecret: config.clientSecret });
			// client_id is optional in RFC 7523 §3 but Entra ID and others want it; it must equal iss.
			const parameters: Parameter[] = [['client_id', clientId], ['client_assertion_type', CLIENT_ASSERTION_TYPE], ['client_assertion', assertion]];
			return { headers: {}, parameters, secrets: [assertion] };
		}
	}
}

/** Scope, audience, resource indicators (RFC 8707) and the extra parameters of the body, as configured. */
function requestedParameters(config: TokenRequestConfig): Parameter[] {
	const parameters: Parameter[] = [];
	const scope = normaliseScope(config.scope);
	if (scope) parameters.push(['scope', scope]);
	const audience = normaliseAudience(config.audience);
	if (audience) parameters.push(['audience', audience]);
	for (const resource of normaliseResources(config.resource)) parameters.push(['resource', resource]);
	for (const { name, value, sendIn } of normaliseExtraParameters(config.extraParameters)) {
		if (sendIn !== 'query') parameters.push([name, value]);
	}
	return parameters;
}

/**
 * The token URL with the extra parameters the server wants in the query string appended, the query
 * it already has kept exactly as written (and a fragment, never sent, left out).
 */
function urlWithQuery(tokenUrl: string, config: TokenRequestConfig): string {
	const query: Parameter[] = normaliseExtraParameters(config.extraParameters)
		.filter((parameter) => parameter.sendIn === 'query')
		.map(({ name, value }) => [name, value]);
	if (query.length === 0) return tokenUrl;
	const base = tokenUrl.split('#')[0];
	const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
	return `${base}${separator}${encodeFormParameters(query)}`;
}

export interface BuildOptions {
	/** Epoch milliseconds, for the assertion's iat and exp. Default Date.now(). */
	now?: number;
	/** The assertion's jti. Default a fresh UUID. */
	jti?: string;
	/** The words of configuration errors; default the engine's. */
	wording?: Wording;
	/** With automatic client authentication: the Basic form to send. Default the RFC one. */
	basicForm?: BasicForm;
}

/**
 * The token request for `grant` under `config`, ready for a Transport. Throws an OAuth2ConfigError,
 * before anything is sent, for a configuration that cannot make a valid request. A request that
 * carries a client assertion must be built again for every attempt: servers refuse a reused jti.
 */
export function buildTokenRequest(
	config: TokenRequestConfig,
	grant: TokenGrant,
	refreshToken?: string,
	options: BuildOptions = {},
): TransportRequest {
	validateConfig(config, grant, options.wording);
	if (needsDiscovery(config)) {
		throw new OAuth2ConfigError('The token URL has not been discovered from the issuer yet.', 'tokenUrl');
	}
	const tls = normaliseTls(config.tls);
	checkTls(tls);
	const tokenUrl = config.tokenUrl.trim();
	const grantPart = grantParameters(config, grant, refreshToken);
	const client = clientAuthenticationOf(config, { clientId: config.clientId.trim(), audience: tokenUrl, now: options.now ?? Date.now(), jti: options.jti }, options.basicForm ?? 'encoded');
	const parameters = [...grantPart, ...client.parameters, ...requestedParameters(config)];
	// The extra headers first: the engine's own can never be replaced (validateConfig refuses their names).
	const headers: Record<string, string> = {};
	for (const { name, value } of normaliseExtraHeaders(config.extraHeaders)) headers[name] = value;
	Object.assign(headers, { Accept: 'application/json' }, client.headers);
	const secrets = client.secrets;

	const json = config.requestFormat === 'json';
	headers['Content-Type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
	const request: TransportRequest = {
		method: 'POST',
		url: urlWithQuery(tokenUrl, config),
		headers,
		body: json ? encodeJson(parameters) : encodeFormParameters(parameters),
		timeoutMs: Math.round(timeoutSecondsOf(config) * 1000),
	};
	if (config.ignoreSslIssues) request.skipSslCertificateValidation = true;
	if (tls) request.tls = tls;
	if (secrets.length > 0) request.secrets = secrets;
	return request;
}
