// The README's recipes, as the credential fields a user enters for each provider. No provider can be
// reached from here, so each recipe is checked twice, and the README says exactly that:
// 1. the token request the package builds for the provider's own token URL carries what that
//    provider's documentation asks for (grant, client authentication, scope, audience, format);
// 2. the same fields, with the token URL and client of the lab server that behaves the same way,
//    get a token the lab's API accepts ("tried against the local lab").

import axios from 'axios';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { tokenConfigFromCredentials } from '../../credentials/common/credentialData';
import { buildTokenRequest, TokenAuthenticator, type GrantType, type TransportRequest } from '../../engine';
import { type LabUrls } from '../servers/lab';
import { useLab } from '../support/lab';
import { axiosTransport } from './axiosTransport';

interface Recipe {
	name: string;
	grant: GrantType;
	/** What the README tells the user to enter. */
	fields: ICredentialDataDecryptedObject;
	/** What the provider's documentation requires of the token request. */
	expectRequest: (request: TransportRequest, params: Record<string, string>) => void;
	/** The lab server that behaves like the provider in what the recipe relies on, and its client. */
	lab: (urls: LabUrls) => ICredentialDataDecryptedObject;
	expectLab: { endpoint: string; authMethod: string; clientId: string; grant: string; scope?: string | null };
}

const basicOf = (request: TransportRequest) => {
	const header = request.headers.Authorization ?? '';
	const [id, secret] = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
	return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
};
const formOf = (request: TransportRequest) => Object.fromEntries(new URLSearchParams(request.body ?? ''));
const isForm = (request: TransportRequest) => expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');

const RECIPES: Recipe[] = [
	{
		name: 'Auth0 (client credentials, audience)',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://YOUR_TENANT.eu.auth0.com/oauth/token',
			clientId: 'AUTH0_CLIENT_ID',
			clientSecret: 'AUTH0_CLIENT_SECRET',
			clientAuthentication: 'body',
			audience: 'https://api.example.com',
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({
				grant_type: 'client_credentials',
				audience: 'https://api.example.com',
				client_id: 'AUTH0_CLIENT_ID',
				client_secret: 'AUTH0_CLIENT_SECRET',
			});
		},
		lab: (urls) => ({ tokenUrl: urls.oidcTokenUrl, clientId: 'cc-post', clientSecret: 'cc-post-secret' }),
		expectLab: { endpoint: 'oidc', authMethod: 'body', clientId: 'cc-post', grant: 'client_credentials' },
	},
	{
		name: 'Microsoft Entra ID (client credentials, scope …/.default)',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://login.microsoftonline.com/TENANT_ID/oauth2/v2.0/token',
			clientId: 'APPLICATION_CLIENT_ID',
			clientSecret: 'CLIENT_SECRET_VALUE',
			clientAuthentication: 'body',
			scope: 'https://graph.microsoft.com/.default',
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({
				grant_type: 'client_credentials',
				scope: 'https://graph.microsoft.com/.default',
				client_id: 'APPLICATION_CLIENT_ID',
				client_secret: 'CLIENT_SECRET_VALUE',
			});
		},
		// The lab's fault endpoint issues a token for any scope, as Entra does for a granted /.default.
		lab: (urls) => ({ tokenUrl: urls.faultTokenUrl, clientId: 'entra-like' }),
		expectLab: { endpoint: 'faults', authMethod: 'body', clientId: 'entra-like', grant: 'client_credentials', scope: 'https://graph.microsoft.com/.default' },
	},
	{
		name: 'Keycloak (client credentials, client_secret_basic)',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://keycloak.example.com/realms/REALM/protocol/openid-connect/token',
			clientId: 'n8n',
			clientSecret: 'KEYCLOAK_CLIENT_SECRET',
			clientAuthentication: 'header',
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({ grant_type: 'client_credentials' });
			expect(basicOf(request)).toEqual({ id: 'n8n', secret: 'KEYCLOAK_CLIENT_SECRET' });
		},
		lab: (urls) => ({ tokenUrl: urls.oidcTokenUrl, clientId: 'cc-basic', clientSecret: 'cc-basic-secret' }),
		expectLab: { endpoint: 'oidc', authMethod: 'basic', clientId: 'cc-basic', grant: 'client_credentials' },
	},
	{
		name: 'Keycloak (password grant, confidential client)',
		grant: 'password',
		fields: {
			tokenUrl: 'https://keycloak.example.com/realms/REALM/protocol/openid-connect/token',
			clientId: 'n8n',
			clientSecret: 'KEYCLOAK_CLIENT_SECRET',
			clientAuthentication: 'body',
			username: 'service-user',
			password: 'USER_PASSWORD',
			scope: 'openid',
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({
				grant_type: 'password',
				username: 'service-user',
				password: 'USER_PASSWORD',
				scope: 'openid',
				client_id: 'n8n',
				client_secret: 'KEYCLOAK_CLIENT_SECRET',
			});
		},
		lab: (urls) => ({ tokenUrl: urls.oauth2TokenUrl, clientId: 'pw-client', clientSecret: 'pw-client-secret', username: 'alice', password: 'alice-password', scope: 'read' }),
		expectLab: { endpoint: 'oauth2', authMethod: 'body', clientId: 'pw-client', grant: 'password' },
	},
	{
		name: 'Keycloak (password grant, public client)',
		grant: 'password',
		fields: {
			tokenUrl: 'https://keycloak.example.com/realms/REALM/protocol/openid-connect/token',
			clientId: 'n8n-public',
			clientAuthentication: 'none',
			username: 'service-user',
			password: 'USER_PASSWORD',
		},
		expectRequest: (request, params) => {
			expect(request.headers.Authorization).toBeUndefined();
			expect(params).toEqual({ grant_type: 'password', username: 'service-user', password: 'USER_PASSWORD', client_id: 'n8n-public' });
		},
		lab: (urls) => ({ tokenUrl: urls.oauth2TokenUrl, clientId: 'public-client', username: 'alice', password: 'alice-password' }),
		expectLab: { endpoint: 'oauth2', authMethod: 'none', clientId: 'public-client', grant: 'password' },
	},
	{
		name: 'Okta (client credentials, custom scope)',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://YOUR_OKTA_DOMAIN/oauth2/default/v1/token',
			clientId: 'OKTA_CLIENT_ID',
			clientSecret: 'OKTA_CLIENT_SECRET',
			clientAuthentication: 'header',
			scope: 'orders.read',
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({ grant_type: 'client_credentials', scope: 'orders.read' });
			expect(basicOf(request)).toEqual({ id: 'OKTA_CLIENT_ID', secret: 'OKTA_CLIENT_SECRET' });
		},
		lab: (urls) => ({ tokenUrl: urls.oidcTokenUrl, clientId: 'cc-basic', clientSecret: 'cc-basic-secret', scope: 'read' }),
		expectLab: { endpoint: 'oidc', authMethod: 'basic', clientId: 'cc-basic', grant: 'client_credentials', scope: 'read' },
	},
	{
		name: 'WSO2 Identity Server (client credentials, Basic header as typed)',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://wso2is.example.com:9443/oauth2/token',
			clientId: 'WSO2_CONSUMER_KEY',
			clientSecret: 'p%s+w:rd/x',
			clientAuthentication: 'headerRaw',
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({ grant_type: 'client_credentials' });
			const raw = Buffer.from((request.headers.Authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
			expect(raw).toBe('WSO2_CONSUMER_KEY:p%s+w:rd/x');
		},
		// @node-oauth/oauth2-server reads the Basic header without form-decoding, as the recipe assumes.
		lab: (urls) => ({ tokenUrl: urls.oauth2TokenUrl, clientId: 'raw-special-ascii', clientSecret: 'p%s+w:rd/x' }),
		expectLab: { endpoint: 'oauth2', authMethod: 'basic', clientId: 'raw-special-ascii', grant: 'client_credentials' },
	},
	{
		name: 'Salesforce (password grant, password + security token)',
		grant: 'password',
		fields: {
			tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
			clientId: 'CONSUMER_KEY',
			clientSecret: 'CONSUMER_SECRET',
			clientAuthentication: 'body',
			username: 'integration@example.com',
			password: 'PasswordSECURITYTOKEN',
			useInstanceUrl: true,
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({
				grant_type: 'password',
				username: 'integration@example.com',
				password: 'PasswordSECURITYTOKEN',
				client_id: 'CONSUMER_KEY',
				client_secret: 'CONSUMER_SECRET',
			});
		},
		lab: (urls) => ({ tokenUrl: urls.oauth2TokenUrl, clientId: 'pw-client', clientSecret: 'pw-client-secret', username: 'alice', password: 'alice-password' }),
		expectLab: { endpoint: 'oauth2', authMethod: 'body', clientId: 'pw-client', grant: 'password' },
	},
	{
		name: 'A provider that wants a JSON token request',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://auth.example.com/api/token',
			clientId: 'JSON_CLIENT_ID',
			clientSecret: 'JSON_CLIENT_SECRET',
			clientAuthentication: 'body',
			requestFormat: 'json',
		},
		expectRequest: (request) => {
			expect(request.headers['Content-Type']).toBe('application/json');
			expect(JSON.parse(request.body ?? '')).toEqual({ grant_type: 'client_credentials', client_id: 'JSON_CLIENT_ID', client_secret: 'JSON_CLIENT_SECRET' });
		},
		lab: (urls) => ({ tokenUrl: urls.jsonTokenUrl, clientId: 'json-client', clientSecret: 'json-secret' }),
		expectLab: { endpoint: 'json', authMethod: 'body', clientId: 'json-client', grant: 'client_credentials' },
	},
	{
		name: 'Zoom server-to-server OAuth (account credentials)',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://zoom.us/oauth/token',
			clientId: 'ZOOM_CLIENT_ID',
			clientSecret: 'ZOOM_CLIENT_SECRET',
			clientGrantType: 'custom',
			customGrantType: 'account_credentials',
			extraParameters: { parameter: [{ name: 'account_id', value: 'ZOOM_ACCOUNT_ID' }] },
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({ grant_type: 'account_credentials', account_id: 'ZOOM_ACCOUNT_ID' });
			expect(basicOf(request)).toEqual({ id: 'ZOOM_CLIENT_ID', secret: 'ZOOM_CLIENT_SECRET' });
		},
		// test/servers/wild/zoom.mjs: account_credentials only, Basic, account_id in the body or the query.
		lab: (urls) => ({
			tokenUrl: `${urls.wildBaseUrl}/zoom/oauth/token`,
			clientId: 'zoom-client',
			clientSecret: 'zoom-client-secret',
			extraParameters: { parameter: [{ name: 'account_id', value: 'zoom-account-1' }] },
		}),
		expectLab: { endpoint: 'wild-zoom', authMethod: 'basic', clientId: 'zoom-client', grant: 'account_credentials' },
	},
	{
		name: 'An API behind Azure API Management (gateway key on the token request)',
		grant: 'client_credentials',
		fields: {
			tokenUrl: 'https://YOUR_APIM.azure-api.net/auth/oauth2/token',
			clientId: 'CLIENT_ID',
			clientSecret: 'CLIENT_SECRET',
			extraHeaders: { header: [{ name: 'Ocp-Apim-Subscription-Key', value: 'APIM_SUBSCRIPTION_KEY' }] },
		},
		expectRequest: (request, params) => {
			isForm(request);
			expect(params).toEqual({ grant_type: 'client_credentials' });
			expect(request.headers['Ocp-Apim-Subscription-Key']).toBe('APIM_SUBSCRIPTION_KEY');
			expect(basicOf(request)).toEqual({ id: 'CLIENT_ID', secret: 'CLIENT_SECRET' });
		},
		// test/servers/wild/apim.mjs: 401 from the gateway without the key, client_credentials behind it.
		lab: (urls) => ({
			tokenUrl: `${urls.wildBaseUrl}/apim/token`,
			clientId: 'apim-client',
			clientSecret: 'apim-client-secret',
			extraHeaders: { header: [{ name: 'Ocp-Apim-Subscription-Key', value: 'apim-Subscr1ption-K3y-5f0c2a9e8d7b' }] },
		}),
		expectLab: { endpoint: 'wild-apim', authMethod: 'basic', clientId: 'apim-client', grant: 'client_credentials' },
	},
];

const lab = useLab();
const deps = { transport: axiosTransport, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };



describe.each(RECIPES)('recipe: $name', (recipe) => {
	it("builds the token request the provider's documentation describes", () => {
		const request = buildTokenRequest(tokenConfigFromCredentials(recipe.fields, recipe.grant), recipe.grant);
		expect(request).toMatchObject({ method: 'POST', url: recipe.fields.tokenUrl });
		recipe.expectRequest(request, formOf(request));
	});

	it('gets a token the API accepts from the lab server that behaves alike', async () => {
		await lab.reset();
		const fields = { ...recipe.fields, ...recipe.lab(lab.urls) };
		const token = await new TokenAuthenticator().getToken(tokenConfigFromCredentials(fields, recipe.grant), deps);
		const { tokenLog } = await lab.stats();
		expect(tokenLog).toHaveLength(1);
		const { scope, ...entry } = recipe.expectLab;
		expect(tokenLog[0]).toMatchObject({ ...entry, status: 200 });
		const api = await axios.get(`${lab.urls.apiUrl}/echo`, { headers: { authorization: `Bearer ${token.accessToken}` }, validateStatus: () => true });
		expect(api.status).toBe(200);
		if (scope !== undefined) expect(api.data.client.scope).toBe(scope);
	});
});
