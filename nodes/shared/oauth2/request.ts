// Builds the token request of RFC 6749 §4.3 (password), §4.4 (client credentials) and §6 (refresh),
// with the client authentication of §2.3.1 and the resource indicators of RFC 8707.

import {
	normaliseAudience,
	normaliseExtraParameters,
	normaliseResources,
	normaliseScope,
	timeoutSecondsOf,
	validateConfig,
} from './config';
import { OAuth2ConfigError } from './error';
import { basicCredentials, basicCredentialsFormEncoded } from './redact';
import type { TokenGrant, TokenRequestConfig, TransportRequest } from './types';

type Parameter = [name: string, value: string];

function encodeForm(parameters: Parameter[]): string {
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
	return [['grant_type', 'client_credentials']];
}

/**
 * The token request for `grant` under `config`, ready for a Transport. Throws an OAuth2ConfigError,
 * before anything is sent, for a configuration that cannot make a valid request.
 */
export function buildTokenRequest(config: TokenRequestConfig, grant: TokenGrant, refreshToken?: string): TransportRequest {
	validateConfig(config, grant);
	const clientId = config.clientId.trim();
	const parameters = grantParameters(config, grant, refreshToken);
	const headers: Record<string, string> = { Accept: 'application/json' };

	switch (config.clientAuthentication) {
		case 'header':
			headers.Authorization = `Basic ${basicCredentialsFormEncoded(clientId, config.clientSecret)}`;
			break;
		case 'headerRaw':
			headers.Authorization = `Basic ${basicCredentials(clientId, config.clientSecret)}`;
			break;
		case 'body':
			parameters.push(['client_id', clientId], ['client_secret', config.clientSecret]);
			break;
		case 'none':
			parameters.push(['client_id', clientId]);
			break;
	}

	const scope = normaliseScope(config.scope);
	if (scope) parameters.push(['scope', scope]);
	const audience = normaliseAudience(config.audience);
	if (audience) parameters.push(['audience', audience]);
	for (const resource of normaliseResources(config.resource)) parameters.push(['resource', resource]);
	for (const { name, value } of normaliseExtraParameters(config.extraParameters)) parameters.push([name, value]);

	const json = config.requestFormat === 'json';
	headers['Content-Type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
	const request: TransportRequest = {
		method: 'POST',
		url: config.tokenUrl.trim(),
		headers,
		body: json ? encodeJson(parameters) : encodeForm(parameters),
		timeoutMs: Math.round(timeoutSecondsOf(config) * 1000),
	};
	if (config.ignoreSslIssues) request.skipSslCertificateValidation = true;
	return request;
}
