// The three (four) ways the same workload runs: n8n's HTTP Request node with n8n's generic OAuth2
// credential, n8n's HTTP Request node with this package's credential, and this package's node,
// once with its default concurrency and once with all requests at once as the HTTP Request node;
// and the floor (floor-node/): the least any programmatic node costs for the same requests, at the
// same two concurrencies, with a fixed Authorization header and no credential at all.
import { httpRequestCall, ourCall } from '../../test/n8n-harness/fixtures/workflows.mjs';

export const WAYS = [
	{ key: 'a', label: '(a) HTTP Request + n8n OAuth2 API (client credentials)' },
	{ key: 'b', label: '(b) HTTP Request + clientCredentialsOAuth2Api' },
	{ key: 'c', label: '(c) OAuth2 HTTP Request, default concurrency (5)' },
	{ key: 'c0', label: '(c) OAuth2 HTTP Request, all at once (concurrency 0)' },
	{ key: 'f', label: '(floor) a minimal node: helpers.httpRequest with a fixed Authorization header, concurrency 5', floor: true },
	{ key: 'f0', label: '(floor) the same, all at once', floor: true },
];

export const BASELINE = 'a';

export const FLOOR_NODE = 'n8n-nodes-bench-floor.benchFloor';

/** The floor way run at the same concurrency as each other way: (c) at 5 against (floor) at 5, the rest all at once. */
export const FLOOR_OF = { a: 'f0', b: 'f0', c: 'f', c0: 'f0' };

export const isFloor = (way) => way === 'f' || way === 'f0';

/**
 * The floor has no credential, so it cannot renew: it runs where the token it is handed stays valid
 * (cold, warm, scale), not in the revocation, expiry or concurrency scenarios.
 */
export function waysFor(scenario) {
	return WAYS.filter((w) => !w.floor || ['cold', 'warm', 'scale'].includes(scenario)).map((w) => w.key);
}

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
	if (isFloor(way)) return null;
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
	const parameters = { method: 'GET', url: `=${urls.apiUrl}/echo?item={{ $json.ids }}` };
	if (isFloor(way)) {
		return { type: FLOOR_NODE, typeVersion: 1, parameters: { url: parameters.url, concurrency: way === 'f' ? 5 : 0 } };
	}
	const ref = { id: credential.id, name: credential.name, type: credential.type };
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
export function rotation(r, keys = WAYS.map((w) => w.key)) {
	const shift = r % keys.length;
	return [...keys.slice(shift), ...keys.slice(0, shift)];
}

/**
 * The ways of the scale scenario: ours and the floor, at the default concurrency (5). All at once
 * would open 20,000 or 100,000 sockets at a time, past the process's file limit, as would n8n's HTTP
 * Request node, which sends every item at once and takes several times as long.
 */
export const SCALE_WAYS = ['c', 'f'];

/** The token the floor sends: one client-credentials request to the lab, made before the lab's counters are reset for a measured run. */
export async function floorAuthorization(urls) {
	const response = await fetch(urls.oidcTokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}` },
		body: new URLSearchParams({ grant_type: 'client_credentials', scope: CLIENT.scope }),
	});
	const body = await response.json();
	if (!body.access_token) throw new Error(`the floor's token request failed: ${response.status} ${JSON.stringify(body)}`);
	return `Bearer ${body.access_token}`;
}
