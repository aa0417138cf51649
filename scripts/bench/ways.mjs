// The three (four) ways the same workload runs: n8n's HTTP Request node with n8n's generic OAuth2
// credential, n8n's HTTP Request node with this package's credential, and this package's node,
// once with its default concurrency and once with all requests at once as the HTTP Request node;
// and the floor (floor-node/): the least any programmatic node costs for the same requests, at the
// same two concurrencies, with a fixed Authorization header and no credential at all; and the floor
// + credential: the same node reading a credential (holding that header) per item, the least any
// node costs that resolves its credential per item; and the floor + this credential: that node
// reading this package's credential type instead, so the gap to (c) is the node's own work.
import { httpRequestCall, ourCall } from '../../test/n8n-harness/fixtures/workflows.mjs';

export const WAYS = [
	{ key: 'a', label: '(a) HTTP Request + n8n OAuth2 API (client credentials)' },
	{ key: 'b', label: '(b) HTTP Request + clientCredentialsOAuth2Api' },
	{ key: 'c', label: '(c) OAuth2 HTTP Request, default concurrency (5)' },
	{ key: 'c0', label: '(c) OAuth2 HTTP Request, all at once (concurrency 0)' },
	{ key: 'f', label: '(floor) a minimal node: helpers.httpRequest with a fixed Authorization header, concurrency 5', floor: true },
	{ key: 'f0', label: '(floor) the same, all at once', floor: true },
	{
		key: 'fc',
		label: '(floor + credential) the same minimal node reading its credential per item with `getCredentials(type, itemIndex)`, the stored header as the Authorization header, concurrency 5',
		floor: true,
	},
	{ key: 'fc0', label: '(floor + credential) the same, all at once', floor: true },
	{
		key: 'fp',
		label: "(floor + this credential) the same minimal node reading this package's credential type per item instead (the same fields as (c)'s), the floor's fixed Authorization header, concurrency 5",
		floor: true,
	},
];

export const BASELINE = 'a';

export const FLOOR_NODE = 'n8n-nodes-bench-floor.benchFloor';
export const FLOOR_CREDENTIAL_NODE = 'n8n-nodes-bench-floor.benchFloorCredential';
export const FLOOR_CREDENTIAL_TYPE = 'benchFloorTokenApi';

/**
 * The floor way run at the same concurrency as each other way: (c) at 5 against (floor) at 5, the rest
 * all at once; the floor + credential against the floor too, which is what n8n's credential read costs.
 */
export const FLOOR_OF = { a: 'f0', b: 'f0', c: 'f', c0: 'f0', fc: 'f', fc0: 'f0', fp: 'f' };

/** The floor + credential way at the same concurrency as each way of a node with a credential. */
export const FLOOR_CREDENTIAL_OF = { a: 'fc0', b: 'fc0', c: 'fc', c0: 'fc0', fp: 'fc' };

/**
 * The floor + this credential against (c) at the same concurrency: what (c) costs over the least any
 * node costs that resolves this package's credential per item.
 */
export const FLOOR_THIS_CREDENTIAL_OF = { c: 'fp' };

export const isFloor = (way) => WAYS.some((w) => w.key === way && w.floor);

/** The floor ways that read a credential per item (and so have a credential row to import and count writes of). */
export const isCredentialFloor = (way) => way === 'fc' || way === 'fc0';

/** What the floor + credential stores until the bench hands it a token the lab accepts (refreshFloorCredentials). */
const NO_TOKEN_YET = 'Bearer none-yet';

/**
 * The floor has no credential and the floor + credential a fixed token, so neither can renew: they
 * run where the token they are handed stays valid (cold, warm, scale), not in the revocation, expiry
 * or concurrency scenarios.
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
	const name = `bench ${way} ${id}`;
	if (isCredentialFloor(way)) return { id, name, type: FLOOR_CREDENTIAL_TYPE, data: { authorization: NO_TOKEN_YET } };
	if (isFloor(way) && way !== 'fp') return null;
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
	if (isCredentialFloor(way)) {
		return {
			type: FLOOR_CREDENTIAL_NODE,
			typeVersion: 1,
			parameters: { url: parameters.url, concurrency: way === 'fc' ? 5 : 0, credentialType: FLOOR_CREDENTIAL_TYPE },
			credentials: { [FLOOR_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		};
	}
	if (way === 'fp') {
		return {
			type: FLOOR_CREDENTIAL_NODE,
			typeVersion: 1,
			parameters: { url: parameters.url, concurrency: 5, credentialType: credential.type },
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		};
	}
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
 * The ways of the scale scenario: ours, the floor and the floor + credential, at the default concurrency (5). All at once
 * would open 20,000 or 100,000 sockets at a time, past the process's file limit, as would n8n's HTTP
 * Request node, which sends every item at once and takes several times as long.
 */
export const SCALE_WAYS = ['c', 'f', 'fc'];

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

/**
 * The floor + credential credentials with a token the lab accepts now: the lab forgets every token in
 * the revocation scenario, so the bench hands them a new one before each repetition, the profiles and
 * the scale runs (n8n's import replaces a credential with the same id). The token request is made
 * before a measured run resets the lab's counters, so it is not counted.
 */
export async function withFloorToken(credentials, urls) {
	const authorization = await floorAuthorization(urls);
	return credentials.filter((c) => c.type === FLOOR_CREDENTIAL_TYPE).map((c) => ({ ...c, data: { ...c.data, authorization } }));
}
