// Issue 15, item 4, against the lab's wild modules over real HTTP: a Zoom-like server-to-server
// endpoint (a custom grant type, account_id in the body or the query string) and a token endpoint
// behind an Azure API Management-like gateway (a subscription key header on the token request).
// The credential's own fields are read as n8n hands them over, the engine sends through axios, and
// the lab records what arrived (header names, where each parameter came from).

import axios from 'axios';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { tokenConfigFromCredentials } from '../../credentials/common/credentialData';
import { preAuthenticationFor } from '../../credentials/common/preAuthentication';
import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { OAuth2TokenError, TokenAuthenticator, type Token } from '../../engine';
import { preAuthenticationThis } from '../faults/axiosHttpRequest';
import { clientData } from '../support/credentialFixtures';
import { useLab } from '../support/lab';
import { assertNoLeaks, errorText } from '../support/leakSearch';
import { axiosTransport } from './axiosTransport';

// The lab modules' own clients and key (test/servers/wild/zoom.mjs, apim.mjs).
const ZOOM = { clientId: 'zoom-client', clientSecret: 'zoom-client-secret', account: 'zoom-account-1' };
const APIM = { clientId: 'apim-client', clientSecret: 'apim-client-secret', key: 'apim-Subscr1ption-K3y-5f0c2a9e8d7b' };
const CONCURRENT = 25;

const lab = useLab();
const deps = { transport: axiosTransport, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

interface ZoomLogEntry {
	grant: string | null;
	grantIn: string | null;
	accountId: string | null;
	accountIn: string | null;
	headers: string[];
	status: number | null;
}
interface ApimLogEntry {
	key: 'missing' | 'invalid' | 'valid';
	headers: string[];
	grant: string | null;
	status: number | null;
}

const zoomUrl = () => `${lab.urls.wildBaseUrl}/zoom/oauth/token`;
const apimUrl = () => `${lab.urls.wildBaseUrl}/apim/token`;
const moduleLog = async <T>(name: string): Promise<T[]> => (await axios.get<T[]>(`${lab.urls.wildBaseUrl}/${name}/__log`)).data;
const tokenRequestsTo = async (name: string) => ((await lab.stats()).tokenRequests.byEndpoint as Record<string, number>)[`wild-${name}`] ?? 0;

function zoomData(overrides: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return clientData({
		tokenUrl: zoomUrl(),
		clientId: ZOOM.clientId,
		clientSecret: ZOOM.clientSecret,
		clientGrantType: 'custom',
		customGrantType: 'account_credentials',
		extraParameters: { parameter: [{ name: 'account_id', value: ZOOM.account }] },
		...overrides,
	});
}

function apimData(key: string | undefined, overrides: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
	return clientData({
		tokenUrl: apimUrl(),
		clientId: APIM.clientId,
		clientSecret: APIM.clientSecret,
		...(key === undefined ? {} : { extraHeaders: { header: [{ name: 'Ocp-Apim-Subscription-Key', value: key }] } }),
		...overrides,
	});
}

/** CONCURRENT callers at once, as the items of one execution: every one gets the same token. */
async function concurrentTokens(data: ICredentialDataDecryptedObject): Promise<Token> {
	const authenticator = new TokenAuthenticator();
	const config = tokenConfigFromCredentials(data, 'client_credentials');
	const tokens = await Promise.all(Array.from({ length: CONCURRENT }, () => authenticator.getToken(config, deps)));
	expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
	return tokens[0];
}

async function apiAccepts(token: Token): Promise<Record<string, unknown>> {
	const response = await axios.get(`${lab.urls.apiUrl}/echo`, { headers: { authorization: `Bearer ${token.accessToken}` }, validateStatus: () => true });
	expect(response.status).toBe(200);
	return response.data.client as Record<string, unknown>;
}

/** The credential's preAuthentication, as n8n runs it: the error n8n would show. */
async function preAuthenticationError(data: ICredentialDataDecryptedObject): Promise<Error> {
	const outcome = await preAuthenticationFor('client_credentials').call(preAuthenticationThis, data).then(
		() => undefined,
		(error: unknown) => error as Error,
	);
	if (!outcome) throw new Error('expected the token request to fail');
	return outcome;
}

beforeEach(async () => {
	await lab.reset();
	sharedAuthenticator.clear();
	await axios.post(`${lab.urls.wildBaseUrl}/zoom/__reset`);
	await axios.post(`${lab.urls.wildBaseUrl}/apim/__reset`);
});

describe('Zoom-like server-to-server OAuth: grant_type=account_credentials', () => {
	it(`${CONCURRENT} concurrent callers: one token request, account_id in the body, the token accepted by the API`, async () => {
		const token = await concurrentTokens(zoomData());
		expect(await tokenRequestsTo('zoom')).toBe(1);
		expect(await moduleLog<ZoomLogEntry>('zoom')).toEqual([
			expect.objectContaining({ grant: 'account_credentials', grantIn: 'body', accountId: ZOOM.account, accountIn: 'body', status: 200 }),
		]);
		expect(token.extra.api_url).toBe('https://api.zoom.us');
		expect(token.expiresAt - token.obtainedAt).toBe(3_599_000);
		expect(await apiAccepts(token)).toMatchObject({ issuer: 'wild-zoom', clientId: ZOOM.clientId, grant: 'account_credentials' });
	});

	it('account_id with Send In "Query String": appended to the token URL, the grant still in the body', async () => {
		const token = await concurrentTokens(zoomData({ extraParameters: { parameter: [{ name: 'account_id', value: ZOOM.account, sendIn: 'query' }] } }));
		expect(await tokenRequestsTo('zoom')).toBe(1);
		expect(await moduleLog<ZoomLogEntry>('zoom')).toEqual([expect.objectContaining({ grantIn: 'body', accountIn: 'query', status: 200 })]);
		await apiAccepts(token);
	});

	it('account_id typed into the token URL, as Zoom documents it: the URL\'s query is sent as it is', async () => {
		const token = await concurrentTokens(zoomData({ tokenUrl: `${zoomUrl()}?account_id=${ZOOM.account}`, extraParameters: {} }));
		expect(await moduleLog<ZoomLogEntry>('zoom')).toEqual([expect.objectContaining({ grantIn: 'body', accountId: ZOOM.account, accountIn: 'query', status: 200 })]);
		await apiAccepts(token);
	});

	it('the standard grant at Zoom: unsupported_grant_type, Zoom\'s reason and the endpoint in the message', async () => {
		const error = await preAuthenticationError(zoomData({ clientGrantType: 'client_credentials' }));
		expect(error.message).toBe(
			`Token request to ${zoomUrl()} failed: 400 unsupported_grant_type (unsupported grant type). The server does not support the client credentials grant at this token URL; check the token URL and the grant type.`,
		);
		expect(await moduleLog<ZoomLogEntry>('zoom')).toEqual([expect.objectContaining({ grant: 'client_credentials', status: 400 })]);
	});

	it('a misspelt custom grant: the hint names the grant type that was sent', async () => {
		const error = await preAuthenticationError(zoomData({ customGrantType: 'account_credential' }));
		expect(error.message).toContain('400 unsupported_grant_type (unsupported grant type)');
		expect(error.message).toContain(
			'The server does not support the grant type account_credential at this token URL; check the token URL and the Custom Grant Type (its exact spelling).',
		);
	});

	it('an unknown account: Zoom\'s invalid_request and its reason', async () => {
		const authenticator = new TokenAuthenticator();
		const config = tokenConfigFromCredentials(zoomData({ extraParameters: { parameter: [{ name: 'account_id', value: 'no-such-account' }] } }), 'client_credentials');
		const error = await authenticator.getToken(config, deps).then(() => undefined, (e: unknown) => e as OAuth2TokenError);
		expect(error).toBeInstanceOf(OAuth2TokenError);
		expect(error?.message).toContain(`Token request to ${zoomUrl()} failed: 400 invalid_request (Invalid account_id).`);
		expect(error?.customGrant).toBe('account_credentials');
	});
});

describe('a token endpoint behind an Azure API Management-like gateway (Ocp-Apim-Subscription-Key)', () => {
	it(`${CONCURRENT} concurrent callers: one token request carrying the key, the token accepted by the API`, async () => {
		const token = await concurrentTokens(apimData(APIM.key));
		expect(await tokenRequestsTo('apim')).toBe(1);
		const [entry, ...more] = await moduleLog<ApimLogEntry>('apim');
		expect(more).toHaveLength(0);
		expect(entry).toMatchObject({ key: 'valid', grant: 'client_credentials', status: 200 });
		expect(entry.headers).toEqual(expect.arrayContaining(['ocp-apim-subscription-key', 'authorization', 'content-type', 'accept']));
		expect(await apiAccepts(token)).toMatchObject({ issuer: 'wild-apim', clientId: APIM.clientId });
	});

	it('without the key: the gateway\'s 401 and words, the endpoint, and a hint to the extra headers', async () => {
		const error = await preAuthenticationError(apimData(undefined));
		expect(error.message).toContain(
			`Token request to ${apimUrl()} failed: 401 (Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.).`,
		);
		expect(error.message).toContain('An API gateway in front of the token endpoint refused the request: check the key in Extra Token Request Headers');
		expect((await moduleLog<ApimLogEntry>('apim')).map((entry) => entry.key)).toEqual(['missing']);
	});

	it('a wrong key: the gateway\'s 401, the header named, the key itself nowhere in any encoding', async () => {
		// Header values are ASCII (non-ASCII is refused before sending): every character encodings change.
		const wrong = "wrong-K3y!'()~ %/+:&=-0042";
		const error = await preAuthenticationError(apimData(wrong));
		expect(error.message).toContain(`Token request to ${apimUrl()} failed: 401 (Access denied due to invalid subscription key.`);
		expect(error.message).toContain('Sent: client credentials grant, form-encoded body, client authentication: Basic header (RFC-encoded, automatic), extra headers: Ocp-Apim-Subscription-Key.');
		assertNoLeaks(errorText(error), [{ value: wrong, label: 'gateway key' }, { value: APIM.clientSecret, label: 'client secret', clientId: APIM.clientId }], 'the error');
		expect((await moduleLog<ApimLogEntry>('apim')).every((entry) => entry.key === 'invalid')).toBe(true);
	});

	it('a reserved header is refused before anything is sent, naming the field', async () => {
		const error = await preAuthenticationError(apimData(undefined, { extraHeaders: { header: [{ name: 'Authorization', value: `Bearer ${APIM.key}` }] } }));
		expect(error.message).toBe(
			'The header "Authorization" cannot be set in Extra Token Request Headers: it carries the client authentication; choose that in the Client Authentication field.',
		);
		expect(errorText(error)).not.toContain(APIM.key);
		expect(await tokenRequestsTo('apim')).toBe(0);
	});
});
