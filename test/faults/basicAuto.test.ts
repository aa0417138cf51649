// Basic credentials that just work (issue 15, items 1 and 2), through the credential's own
// preAuthentication against lab servers of both kinds, each client secret holding %, +, : and /:
// oidc-provider (RFC 6749 §2.3.1: form-encoded inside Basic), @node-oauth/oauth2-server (raw, 401
// invalid_client otherwise) and a WSO2-like endpoint (raw, 403 with an empty body otherwise). Every
// case counts the token requests that reached the lab.
import { NodeHelpers, type IDataObject } from 'n8n-workflow';

import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { ClientCredentialsOAuth2Api } from '../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../credentials/PasswordGrantOAuth2Api.credentials';
import { useLab } from '../support/lab';
import { assertNothingLeaks, credentialData, errorOf, fieldsOf, preAuthenticate, rows } from './credentialPath';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

const GROUP = 'wild: basic auto';
const SPECIAL = 'p%s+w:rd/x';
const lab = useLab();

type Endpoint = 'oidc' | 'oauth2' | 'wso2';

async function tokenRequests(): Promise<Record<string, number>> {
	const response = await fetch(`${lab.urls.controlUrl}/stats`);
	return ((await response.json()) as { tokenRequests: { byEndpoint: Record<string, number> } }).tokenRequests.byEndpoint;
}

/** Token requests that reached `endpoint` while `body` ran. */
async function counted<T>(endpoint: Endpoint, body: () => Promise<T>): Promise<{ value: T; requests: number }> {
	const before = (await tokenRequests())[endpoint] ?? 0;
	const value = await body();
	return { value, requests: ((await tokenRequests())[endpoint] ?? 0) - before };
}

/** Every field at its default but the token URL, client id and secret. */
const servers: Record<Endpoint, () => { tokenUrl: string; clientId: string }> = {
	oidc: () => ({ tokenUrl: lab.urls.oidcTokenUrl, clientId: 'cc-special-ascii' }),
	oauth2: () => ({ tokenUrl: lab.urls.oauth2TokenUrl, clientId: 'raw-special-ascii' }),
	wso2: () => ({ tokenUrl: lab.urls.rawBasicTokenUrl, clientId: 'wso2-client' }),
};

function defaults(endpoint: Endpoint, overrides: Record<string, unknown> = {}) {
	const { tokenUrl, clientId } = servers[endpoint]();
	return credentialData(tokenUrl, { clientId, clientSecret: SPECIAL, ...overrides });
}

function wildCase(name: string, expected: string, body: () => Promise<string>): void {
	it(name, async () => await rows.runCase({ group: GROUP, name, expected }, body));
}

beforeEach(() => sharedAuthenticator.clear());

describe('the default client authentication works against both kinds of server', () => {
	it('is a new option value, the default of both credential types', () => {
		for (const type of [new ClientCredentialsOAuth2Api(), new PasswordGrantOAuth2Api()]) {
			const field = type.properties.find((property) => property.name === 'clientAuthentication');
			expect(field?.default).toBe('auto');
			expect((field?.options as Array<{ value: string }>).map((option) => option.value)).toEqual(expect.arrayContaining(['auto', 'header', 'headerRaw']));
		}
	});

	wildCase('RFC-only server (oidc-provider), defaults: one token request, RFC form stored', 'token; 1 request; stored form encoded', async () => {
		const data = defaults('oidc');
		const { value, requests } = await counted('oidc', () => preAuthenticate(data));
		const fields = fieldsOf(value);
		expect(String(fields.accessToken)).not.toBe('');
		expect(requests).toBe(1);
		expect(fields.basicCredentialsForm).toBe('encoded');
		return `token; ${requests} request; stored form ${String(fields.basicCredentialsForm)}`;
	});

	for (const endpoint of ['oauth2', 'wso2'] as const) {
		const how = endpoint === 'oauth2' ? 'raw-only server answering 401 invalid_client' : 'WSO2-like server answering 403 with an empty body';
		wildCase(
			`${how}, defaults: 2 requests the first time, 1 later in the process, 1 in a new process with the stored form`,
			'first 2 (RFC refused, raw taken), stored raw; same process 1; new process with the stored fields 1',
			async () => {
				const data = defaults(endpoint);
				const first = await counted(endpoint, () => preAuthenticate(data));
				const fields = fieldsOf(first.value);
				expect(first.requests).toBe(2);
				expect(fields.basicCredentialsForm).toBe('raw');
				// n8n hands the stored fields back; the token was reported expired, so a new one is fetched.
				const again = await counted(endpoint, () => preAuthenticate({ ...data, ...fields } as IDataObject as typeof data));
				expect(fieldsOf(again.value).basicCredentialsForm).toBe('raw');
				expect(again.requests).toBe(1);
				sharedAuthenticator.clear();
				// A new process, the stored token gone (as after its expiry): the stored form is sent first.
				// The data as n8n hands it over: what is stored, resolved against the credential's fields.
				const asN8nHandsIt = NodeHelpers.getNodeParameters(
					new ClientCredentialsOAuth2Api().properties,
					{ tokenUrl: data.tokenUrl, clientId: data.clientId, clientSecret: data.clientSecret, ...fields, accessToken: '' } as never,
					true,
					false,
					null,
					null,
				) as IDataObject as typeof data;
				const otherProcess = await counted(endpoint, () => preAuthenticate(asN8nHandsIt));
				expect(fieldsOf(otherProcess.value).basicCredentialsForm).toBe('raw');
				expect(otherProcess.requests).toBe(1);
				return `first ${first.requests}, stored ${String(fields.basicCredentialsForm)}; same process ${again.requests}; new process with the stored fields ${otherProcess.requests}`;
			},
		);
	}

	wildCase('a wrong secret: both forms refused, one retry, the error says both were tried', '2 requests; message names both forms, the status, the endpoint; no secret', async () => {
		const data = defaults('wso2', { clientSecret: 'wrong%+:/secret' });
		const { value, requests } = await counted('wso2', () => preAuthenticate(data));
		const error = errorOf(value);
		expect(requests).toBe(2);
		expect(error.message).toContain(lab.urls.rawBasicTokenUrl);
		expect(error.message).toContain('403');
		expect(error.message).toMatch(/both .*RFC.*raw|RFC-encoded.*then raw/i);
		assertNothingLeaks(error, ['wrong%+:/secret'], 'wso2-client');
		return `${requests} requests; ${error.message}`;
	});

	wildCase('forms identical (no character form-encoding changes): no retry', '1 request, error', async () => {
		const data = defaults('oauth2', { clientSecret: 'plain-wrong-secret' });
		const { value, requests } = await counted('oauth2', () => preAuthenticate(data));
		const error = errorOf(value);
		expect(requests).toBe(1);
		expect(error.message).not.toMatch(/then raw/i);
		return `${requests} request; ${error.message}`;
	});

	wildCase('a refusal that is not about the client (invalid_scope): no retry', '1 request', async () => {
		const rfcOnly = await counted('oidc', () => preAuthenticate(defaults('oidc', { scope: 'no-such-scope' })));
		expect(errorOf(rfcOnly.value).message).toMatch(/invalid_scope/);
		expect(rfcOnly.requests).toBe(1);
		return `oidc invalid_scope: ${rfcOnly.requests} request`;
	});

	wildCase('explicit RFC choice stays strict: one request, refused by the raw-only server', '1 request, error', async () => {
		const data = defaults('wso2', { clientAuthentication: 'header' });
		const { value, requests } = await counted('wso2', () => preAuthenticate(data));
		errorOf(value);
		expect(requests).toBe(1);
		return `${requests} request`;
	});

	wildCase('explicit raw choice stays: one request, token', '1 request, token', async () => {
		const data = defaults('wso2', { clientAuthentication: 'headerRaw' });
		const { value, requests } = await counted('wso2', () => preAuthenticate(data));
		fieldsOf(value);
		expect(requests).toBe(1);
		return `${requests} request`;
	});
});

describe('errors from servers that say nothing (item 2)', () => {
	wildCase('403 with an empty body, explicit RFC Basic: endpoint, status, what was sent, what to try', 'names endpoint, 403, empty body, client credentials grant, form body, Basic RFC-encoded; suggests raw / body', async () => {
		const data = defaults('wso2', { clientAuthentication: 'header' });
		const error = errorOf(await preAuthenticate(data));
		const text = error.message;
		expect(text).toContain(lab.urls.rawBasicTokenUrl);
		expect(text).toContain('403');
		expect(text).toMatch(/empty body|no body/i);
		expect(text).toMatch(/client credentials grant/i);
		expect(text).toMatch(/form-encoded body/i);
		expect(text).toMatch(/Basic header \(RFC-encoded\)/i);
		expect(text).toMatch(/automatic|not encoded/i);
		assertNothingLeaks(error, [SPECIAL], 'wso2-client');
		return text;
	});

	wildCase('403 with an empty body, JSON request, body authentication: says so', 'names JSON body, client_secret_post', async () => {
		const data = defaults('wso2', { clientAuthentication: 'body', requestFormat: 'json' });
		const error = errorOf(await preAuthenticate(data));
		expect(error.message).toMatch(/JSON body/);
		expect(error.message).toMatch(/client ID and secret in the body/i);
		assertNothingLeaks(error, [SPECIAL], 'wso2-client');
		return error.message;
	});
});
