// Test doubles shared by the credential and session tests: credential data as n8n hands it over
// (defaults applied), a stored token that fits it, and a fake of n8n's `helpers.httpRequest`
// answering like a token endpoint.
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { tokenConfigFromCredentials } from '../../../../credentials/common/credentialData';
import { fingerprintOf } from '../../../../engine';
import type { GrantType } from '../../../../engine/types';

export const TOKEN_URL = 'https://auth.example.test/oauth/token';
export const API_URL = 'https://api.example.test/v1';
export const SECRET = 'cl1ent-S3cret+/%:x';
export const PASSWORD = 'alice-Pa55word!';
export const NOW = 1_700_000_000_000;

/** The fields n8n fills with their defaults before it hands credential data to a credential or node. */
const DEFAULTS: ICredentialDataDecryptedObject = {
	clientAuthentication: 'header',
	requestFormat: 'form',
	scope: '',
	audience: '',
	resource: '',
	extraParameters: {},
	authHeaderName: 'Authorization',
	authHeaderPrefix: 'Bearer',
	useInstanceUrl: false,
	renewalMarginSeconds: 60,
	defaultLifetimeSeconds: 3600,
	requestTimeoutSeconds: 30,
	ignoreSslIssues: false,
	accessToken: '',
	expiresAt: 0,
	issuedAt: 0,
	refreshToken: '',
	fingerprint: '',
};

/** Overrides may hold anything n8n could hand over, undefined (a missing field) included. */
export type Fields = Record<string, unknown>;

export function clientData(overrides: Fields = {}): ICredentialDataDecryptedObject {
	return { ...DEFAULTS, tokenUrl: TOKEN_URL, baseUrl: '', clientId: 'my-client', clientSecret: SECRET, ...overrides } as ICredentialDataDecryptedObject;
}

export function passwordData(overrides: Fields = {}): ICredentialDataDecryptedObject {
	return clientData({ username: 'alice', password: PASSWORD, ...overrides });
}

export function fingerprintFor(data: ICredentialDataDecryptedObject, grant: GrantType): string {
	return fingerprintOf(tokenConfigFromCredentials(data, grant));
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
