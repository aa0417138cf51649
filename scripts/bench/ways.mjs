// The three (four) ways the same workload runs: n8n's HTTP Request node with n8n's generic OAuth2
// credential, n8n's HTTP Request node with this package's credential, and this package's node,
// once with its default concurrency and once with all requests at once as the HTTP Request node.
import { httpRequestCall, ourCall } from '../../test/n8n-harness/fixtures/workflows.mjs';

export const WAYS = [
	{ key: 'a', label: '(a) HTTP Request + n8n OAuth2 API (client credentials)' },
	{ key: 'b', label: '(b) HTTP Request + clientCredentialsOAuth2Api' },
	{ key: 'c', label: '(c) OAuth2 HTTP Request, default concurrency (5)' },
	{ key: 'c0', label: '(c) OAuth2 HTTP Request, all at once (concurrency 0)' },
];

export const BASELINE = 'a';

const CLIENT = { id: 'cc-basic', secret: 'cc-basic-secret', scope: 'read' };

/**
 * This package keeps one token per process for every credential with the same client, token URL
 * and scope. Where several ways run in one n8n process (the concurrency scenario), each of ours
 * asks for a different scope, so none finds a token that another way fetched: each starts cold.
 */
export const DISTINCT_SCOPE = { a: 'read', b: 'read', c: 'write', c0: 'read write' };

/**
 * One credential for `way`. The lab's oidc-provider wants RFC-encoded Basic and n8n sends it raw:
 * for cc-basic (no special characters) both are the same bytes, so every way uses the same client.
 */
export function credentialFor(way, id, urls, { scope = CLIENT.scope } = {}) {
	const name = `bench ${way} ${id}`;
	if (way === 'a') {
		return {
			id,
			name,
			type: 'oAuth2Api',
			data: {
				grantType: 'clientCredentials',
				accessTokenUrl: urls.oidcTokenUrl,
				clientId: CLIENT.id,
				clientSecret: CLIENT.secret,
				scope,
				authentication: 'header',
				authUrl: '',
				authQueryParameters: '',
			},
		};
	}
	return {
		id,
		name,
		type: 'clientCredentialsOAuth2Api',
		data: {
			tokenUrl: urls.oidcTokenUrl,
			baseUrl: urls.apiUrl,
			clientId: CLIENT.id,
			clientSecret: CLIENT.secret,
			clientAuthentication: 'header',
			requestFormat: 'form',
			scope,
			accessToken: '',
		},
	};
}

/** The HTTP step of the workflow: GET <api>/echo?item=N for every item, same URL for every way. */
export function callFor(way, credential, urls) {
	const ref = { id: credential.id, name: credential.name, type: credential.type };
	const parameters = { method: 'GET', url: `=${urls.apiUrl}/echo?item={{ $json.ids }}` };
	switch (way) {
		case 'a':
			return {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { ...parameters, authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api', options: {} },
				credentials: { oAuth2Api: { id: credential.id, name: credential.name } },
			};
		case 'b':
			return httpRequestCall(ref, { ...parameters, options: {} });
		case 'c':
			return ourCall(ref, { ...parameters, options: {} });
		case 'c0':
			return ourCall(ref, { ...parameters, options: { concurrency: 0 } });
		default:
			throw new Error(`unknown way ${way}`);
	}
}

/** Repetition r starts with a different way, so no way always runs first (or right after another). */
export function rotation(r) {
	const keys = WAYS.map((w) => w.key);
	const shift = r % keys.length;
	return [...keys.slice(shift), ...keys.slice(0, shift)];
}
