// What a user should check for a given failure of the token request, in their words.

import { noResponseKindOf } from './networkFailure';
import type { BasicForm, ClientAuthentication, TokenGrant } from './types';
import { ENGINE_WORDING, type Wording } from './wording';

export type Problem = 'oauthError' | 'httpStatus' | 'html' | 'notJson' | 'notObject' | 'noAccessToken' | 'network';

export interface HintInput {
	problem: Problem;
	grant: TokenGrant;
	status?: number;
	error?: string;
	code?: string;
	timeoutSeconds: number;
	host?: string;
	clientAuthentication?: ClientAuthentication;
	/** With automatic client authentication: the Basic forms tried. */
	basicForms?: readonly BasicForm[];
	/** Whether the server refused without a reason (no OAuth error code, no description). */
	saysNothing?: boolean;
	/** Whether the request presented a client certificate. */
	clientCertificate?: boolean;
	/** With no access token: the response by its member names (never values), where the token was looked for, the path the user named. */
	responseShape?: string;
	lookedFor?: string;
	namedPath?: string;
	/** The grant_type sent in place of client_credentials (an extension grant), when one was. */
	customGrant?: string;
	/** Whether the refusal speaks of a missing or wrong gateway key (subscription key, API key). */
	gatewayKey?: boolean;
	wording?: Wording;
}

const GRANT_NAMES: Record<TokenGrant, string> = {
	client_credentials: 'client credentials',
	password: 'password',
	refresh_token: 'refresh token',
};

/** The grant in words: its name, or the custom grant_type that was sent instead. */
function grantName(grant: TokenGrant, customGrant?: string): string {
	return customGrant && grant === 'client_credentials' ? customGrant : GRANT_NAMES[grant];
}

const CLIENT_HINT =
	'Check the client ID and secret, and whether the server expects them in the Basic header or in the body.';

const ASSERTION_CLOCK =
	"and that this machine's clock is right: the assertion is valid for 5 minutes from its issue time, and a server whose clock differs by more refuses it as expired or not yet valid.";

const RAW_READERS = 'WSO2 and several gateways read Basic credentials raw and refuse the RFC form';

/** What to check when the server refused the client, by the way it was authenticated. */
function clientHint(method: ClientAuthentication | undefined, forms?: readonly BasicForm[]): string {
	switch (method) {
		case 'auto':
			if (forms && forms.length > 1) {
				return 'The server refused the Basic header in both forms, RFC-encoded and raw: check the client ID and secret, and whether the server wants them in the body instead.';
			}
			if (forms?.[0] === 'raw') {
				return 'The server refused the raw Basic header, the form it took before: check the client ID and secret.';
			}
			return 'Check the client ID and secret, and whether the server wants them in the body instead (the raw Basic form was not tried: for this ID and secret it is the same header, or the server took the RFC form before).';
		case 'header':
			return `Check the client ID and secret. If they hold %, +, :, / or other characters that form-encoding changes, the server may read Basic credentials raw (${RAW_READERS}): choose the automatic or the raw (not encoded) Basic client authentication. Or send them in the body.`;
		case 'headerRaw':
			return 'Check the client ID and secret. The server may want them form-encoded first, as RFC 6749 says: choose the automatic or the RFC-encoded Basic client authentication. Or send them in the body.';
		case 'body':
			return 'Check the client ID and secret, and whether the server wants them in the Basic header instead.';
		case 'privateKeyJwt':
			return `The server refused the client assertion. Check that the private key belongs to the public key or certificate registered for this client, the key ID and the signing algorithm, ${ASSERTION_CLOCK}`;
		case 'clientSecretJwt':
			return `The server refused the client assertion. Check the client secret and that the client is registered for client_secret_jwt, ${ASSERTION_CLOCK}`;
		case 'tlsClientAuth':
			return 'The server did not accept the client certificate. Check that it is the certificate registered for this client (its subject), that a CA the server trusts issued it and it has not expired, and that the token URL is the server\'s mutual TLS endpoint.';
		default:
			return CLIENT_HINT;
	}
}

/** OpenSSL alerts the server sends when it refuses the client's certificate during the handshake. */
export { isTlsAlert } from './networkFailure';

function oauthErrorHint(
	error: string,
	grant: TokenGrant,
	method?: ClientAuthentication,
	forms?: readonly BasicForm[],
	customGrant?: string,
	wording: Wording = ENGINE_WORDING,
): string | undefined {
	const custom = grant === 'client_credentials' ? customGrant : undefined;
	switch (error) {
		case 'invalid_client':
			return clientHint(method, forms);
		case 'invalid_grant':
			if (grant === 'password') return 'Check the username and password, and that this user may sign in with the password grant.';
			if (grant === 'refresh_token') return 'The refresh token has expired or was revoked; a new password grant is needed.';
			if (custom) return `The server refused the ${custom} grant; check that this client may use it, and the extra parameters it needs.`;
			return 'The server refused the grant; check that this client may use the client credentials grant.';
		case 'invalid_scope':
			return 'Check the scope: the server does not allow one of the requested scopes for this client, or does not know it.';
		case 'unauthorized_client':
			return `This client is not allowed to use the ${grantName(grant, custom)} grant; enable the grant for the client on the authorization server.`;
		case 'unsupported_grant_type':
			if (custom) return `The server does not support the grant type ${custom} at this token URL; check the token URL and the ${wording.fieldLabel('customGrantType')} (its exact spelling).`;
			return `The server does not support the ${GRANT_NAMES[grant]} grant at this token URL; check the token URL and the grant type.`;
		case 'invalid_request':
			return 'The server found the request malformed; check the request format (form or JSON), the client authentication method and the extra parameters.';
		case 'invalid_target':
			return 'Check the resource indicator: the server does not accept it for this client.';
		case 'access_denied':
			return 'The server denied the request; check that the client and user have access.';
		case 'temporarily_unavailable':
		case 'server_error':
			return 'The authorization server has a problem; try again later.';
		default:
			return undefined;
	}
}

/** A gateway refusal: its key goes in a header of its own, which the client ID and secret do not replace. */
function gatewayHint(wording: Wording): string {
	return `An API gateway in front of the token endpoint refused the request: check the key in ${wording.fieldLabel('extraHeaders')} (its header name, e.g. Ocp-Apim-Subscription-Key for Azure API Management, and value).`;
}

const FORBIDDEN_HINT = 'The server refused access; check that the client may use the token endpoint.';

function statusHint(status: number, grant: TokenGrant, method?: ClientAuthentication, forms?: readonly BasicForm[], saysNothing?: boolean): string | undefined {
	if (status === 401) return clientHint(method, forms);
	// WSO2 and gateways refuse a client they cannot authenticate with a bare 403.
	if (status === 403 && saysNothing && method !== undefined) return `${clientHint(method, forms)} ${FORBIDDEN_HINT.replace('The server refused access; check', 'Else check')}`;
	if (status === 403) return FORBIDDEN_HINT;
	if (status === 404 || status === 405) return 'Check the token URL: the server has no token endpoint at this address.';
	if (status === 415) return 'The server does not accept this request format; switch between form and JSON.';
	if (status === 400) return oauthErrorHint('invalid_request', grant);
	if (status === 429) return 'The server is rate limiting token requests; try again later.';
	if (status >= 500) return 'The authorization server failed or is unavailable; try again later.';
	return undefined;
}

function networkHint(input: HintInput): string {
	const { code, timeoutSeconds, host, clientCertificate } = input;
	const wording = input.wording ?? ENGINE_WORDING;
	const where = host ? ` at ${host}` : '';
	switch (noResponseKindOf(code)) {
		case 'tlsAlert':
			return clientCertificate
				? 'The server ended the TLS handshake: it did not accept the client certificate. Check that the certificate is the one the server expects, that a CA it trusts issued it, and that it has not expired.'
				: 'The server ended the TLS handshake; it probably wants a client certificate (mutual TLS). Fill in the client certificate and its key.';
		case 'refused':
			return `Nothing accepts connections${where}; check the host and port of the token URL, and that the server is running.`;
		case 'unresolved':
			return `The host name${host ? ` ${host}` : ''} could not be resolved; check the token URL.`;
		// A token request is only ever aborted by its timeout.
		case 'timeout':
		case 'aborted':
			return `No answer within ${timeoutSeconds} seconds; check that the server is reachable from ${wording.runner}, or raise the request timeout.`;
		case 'closed':
			return clientCertificate
				? 'The server closed the connection; if it checks client certificates, it may have refused this one. Check the client certificate and the token URL.'
				: 'The server closed the connection; check the token URL (http or https) and try again.';
		case 'certificate':
			return `The server's TLS certificate was not accepted; fix the certificate, or ${wording.skipTlsValidation} if you trust this server.`;
		default:
			return `Check that the token URL is right and the server is reachable from ${wording.runner}.`;
	}
}

export function hintFor(input: HintInput): string | undefined {
	if (input.gatewayKey) return gatewayHint(input.wording ?? ENGINE_WORDING);
	switch (input.problem) {
		case 'oauthError':
			return (
				oauthErrorHint(input.error ?? '', input.grant, input.clientAuthentication, input.basicForms, input.customGrant, input.wording) ??
				(input.status !== undefined ? statusHint(input.status, input.grant, input.clientAuthentication, input.basicForms) : undefined)
			);
		case 'httpStatus':
			return input.status !== undefined
				? statusHint(input.status, input.grant, input.clientAuthentication, input.basicForms, input.saysNothing)
				: undefined;
		case 'html':
		case 'notJson':
		case 'notObject':
			if (input.status !== undefined && (input.status < 200 || input.status >= 300)) {
				return statusHint(input.status, input.grant, input.clientAuthentication, input.basicForms, input.saysNothing) ?? problemHint(input.problem);
			}
			return problemHint(input.problem);
		case 'noAccessToken':
			return noAccessTokenHint(input);
		case 'network':
			return networkHint(input);
	}
}

function noAccessTokenHint(input: HintInput): string {
	const label = (input.wording ?? ENGINE_WORDING).fieldLabel;
	const shape = input.responseShape ? `; the response has ${input.responseShape}` : '';
	if (input.namedPath) {
		return `The server did not issue an access token at ${input.namedPath}${shape}. Check ${label('responseFields.accessToken')}: the member names from the top of the response, joined by dots (e.g. data.access_token).`;
	}
	const lookedFor = input.lookedFor ? ` under the names looked for (${input.lookedFor})` : '';
	return (
		`The server did not issue an access token${lookedFor}${shape}. Check the grant type, the token URL and the request format. ` +
		`If the token is in the response under another name, name its field: ${label('responseFields')}, then ${label('responseFields.accessToken')} (a path such as data.jwt).`
	);
}

function problemHint(problem: 'html' | 'notJson' | 'notObject'): string {
	switch (problem) {
		case 'html':
			return 'The token URL answered with a web page, not a token response; check that it points to the token endpoint, not a login page or the API itself.';
		case 'notJson':
		case 'notObject':
			return 'Check that the token URL points to an OAuth2 token endpoint.';
	}
}
