// Test doubles shared by the jest suites: credential data as n8n hands it over (the credential
// classes' own defaults applied), a stored token that fits it, and a fake of n8n's
// `helpers.httpRequest` answering like a token endpoint.
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../credentials/ClientCredentialsOAuth2Api.credentials';
import { tokenConfigFromCredentials } from '../../credentials/common/credentialData';
import { PasswordGrantOAuth2Api } from '../../credentials/PasswordGrantOAuth2Api.credentials';
import { fingerprintMatches, newFingerprint, type GrantType } from '../../engine';

export const TOKEN_URL = 'https://auth.example.test/oauth/token';
export const API_URL = 'https://api.example.test/v1';
export const SECRET = 'cl1ent-S3cret+/%:x';
export const PASSWORD = 'alice-Pa55word!';
export const NOW = 1_700_000_000_000;

/** Overrides may hold anything n8n could hand over, undefined (a missing field) included. */
export type Fields = Record<string, unknown>;

const CREDENTIAL_TYPES: Record<GrantType, ICredentialType> = {
	client_credentials: new ClientCredentialsOAuth2Api(),
	password: new PasswordGrantOAuth2Api(),
};

/**
 * The data n8n hands a credential's code for these values: every field the credential type shows
 * for them, with the type's own defaults, as n8n's credentials helper resolves it
 * (NodeHelpers.getNodeParameters with defaults). Overrides are kept as given, undefined included.
 */
export function credentialDataFor(grant: GrantType, overrides: Fields = {}): ICredentialDataDecryptedObject {
	const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as IDataObject;
	const resolved = NodeHelpers.getNodeParameters(CREDENTIAL_TYPES[grant].properties, given as never, true, false, null, null) as IDataObject;
	return { ...resolved, ...overrides } as ICredentialDataDecryptedObject;
}

export function clientData(overrides: Fields = {}): ICredentialDataDecryptedObject {
	return credentialDataFor('client_credentials', { tokenUrl: TOKEN_URL, baseUrl: '', clientId: 'my-client', clientSecret: SECRET, ...overrides });
}

export function passwordData(overrides: Fields = {}): ICredentialDataDecryptedObject {
	return credentialDataFor('password', { tokenUrl: TOKEN_URL, baseUrl: '', clientId: 'my-client', clientSecret: SECRET, username: 'alice', password: PASSWORD, ...overrides });
}

/** The fingerprint the credential stores with a token issued for `data` (salted: a new value each call). */
export function fingerprintFor(data: ICredentialDataDecryptedObject, grant: GrantType): string {
	return newFingerprint(tokenConfigFromCredentials(data, grant));
}

/** Whether a stored fingerprint was made for `data` as it is now. */
export function fingerprintFits(fingerprint: unknown, data: ICredentialDataDecryptedObject, grant: GrantType): boolean {
	return fingerprintMatches(String(fingerprint ?? ''), tokenConfigFromCredentials(data, grant));
}

/**
 * `data` with a stored token issued for it: `token` obtained at `obtainedAt`, expiring at `expiresAt`.
 * The fingerprint is that of the fields as they are now.
 */
export function withToken(
	data: ICredentialDataDecryptedObject,
	grant: GrantType,
	token: string,
	times: { expiresAt: number; obtainedAt?: number },
	extra: Fields = {},
): ICredentialDataDecryptedObject {
	return {
		...data,
		accessToken: token,
		expiresAt: times.expiresAt,
		issuedAt: times.obtainedAt ?? 0,
		fingerprint: fingerprintFor(data, grant),
		...extra,
	} as ICredentialDataDecryptedObject;
}

export interface TokenCall {
	options: IHttpRequestOptions;
	/** The request parameters, decoded from the form or JSON body. */
	params: Record<string, string>;
}

export interface EndpointAnswer {
	statusCode: number;
	body: unknown;
	headers?: Record<string, string>;
}

export type Answer = (call: TokenCall, index: number) => EndpointAnswer | Error | Promise<EndpointAnswer | Error>;

export interface FakeTokenEndpoint {
	/** Stands in for n8n's `helpers.httpRequest`. */
	httpRequest: (options: IHttpRequestOptions) => Promise<unknown>;
	calls: TokenCall[];
}

function paramsOf(options: IHttpRequestOptions): Record<string, string> {
	const body = typeof options.body === 'string' ? options.body : '';
	const headers = (options.headers ?? {}) as Record<string, string>;
	const json = Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'content-type' && String(v).includes('json'));
	if (json) return body ? (JSON.parse(body) as Record<string, string>) : {};
	return Object.fromEntries(new URLSearchParams(body));
}

/** access_token token-<n> for 3600 s; a refresh token refresh-<n> unless the grant is client_credentials. */
export const issueTokens: Answer = (call, index) => ({
	statusCode: 200,
	body: {
		access_token: `token-${index + 1}`,
		token_type: 'Bearer',
		expires_in: 3600,
		...(call.params.grant_type === 'client_credentials' ? {} : { refresh_token: `refresh-${index + 1}` }),
	},
});

/**
 * A fake of n8n's `helpers.httpRequest` as the credential's transport calls it (returnFullResponse,
 * ignoreHttpStatusErrors, text body): every HTTP status comes back as `{ statusCode, headers, body }`;
 * an Error answer is thrown, as n8n throws when no response arrived.
 */
export function tokenEndpoint(answer: Answer = issueTokens): FakeTokenEndpoint {
	const calls: TokenCall[] = [];
	const httpRequest = async (options: IHttpRequestOptions): Promise<unknown> => {
		const call = { options, params: paramsOf(options) };
		const index = calls.length;
		calls.push(call);
		const result = await answer(call, index);
		if (result instanceof Error) throw result;
		return {
			statusCode: result.statusCode,
			headers: { 'content-type': 'application/json', ...(result.headers ?? {}) },
			body: typeof result.body === 'string' ? result.body : JSON.stringify(result.body),
		};
	};
	return { httpRequest, calls };
}

/** Lets every pending promise callback and I/O callback run. */
export async function settle(rounds = 5): Promise<void> {
	for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
