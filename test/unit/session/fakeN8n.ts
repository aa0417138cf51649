// A stand-in for the part of n8n-core that the node's session relies on:
// `helpers.httpRequestWithAuthentication(type, options, { credentialsDecrypted })` runs the
// credential's real preAuthentication when the expirable field is empty, writes its result into
// the very data object it was given (as n8n-core's Object.assign does), runs the credential's real
// authenticate and then "sends" to a fake API. `helpers.httpRequest` is the no-credential path.
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../../credentials/PasswordGrantOAuth2Api.credentials';
import type { ApiResponse } from '../../../nodes/OAuth2HttpRequest/transport/session';
import { type Answer, issueTokens, tokenEndpoint, type FakeTokenEndpoint } from '../credentials/common/fixtures';

type PreAuthentication = (this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) => Promise<IDataObject>;
type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

export interface ApiCall {
	options: IHttpRequestOptions;
	/** The token the request carried in the credential's header, or undefined. */
	token?: string;
}

export type ApiHandler = (call: ApiCall, index: number) => ApiResponse | Promise<ApiResponse>;

export interface FakeN8n {
	ctx: IExecuteFunctions;
	endpoint: FakeTokenEndpoint;
	/** How often n8n ran the credential's preAuthentication. */
	preAuthentications: number;
	/** Requests that reached the API through httpRequestWithAuthentication. */
	apiCalls: ApiCall[];
	/** Requests sent through the plain httpRequest helper (no credential). */
	plainCalls: IHttpRequestOptions[];
	/** Tokens the API refuses with 401. */
	revoked: Set<string>;
}

export interface FakeN8nOptions {
	tokenAnswer?: Answer;
	api?: ApiHandler;
	/** Answers of the plain httpRequest helper. */
	plain?: (options: IHttpRequestOptions) => ApiResponse;
	/** The header that carries the token, to read it back. */
	headerName?: string;
	/** Fail preAuthentication from this call on (a guard against endless renewal loops). */
	maxPreAuthentications?: number;
}

const credentialTypes = {
	clientCredentialsOAuth2Api: new ClientCredentialsOAuth2Api(),
	passwordGrantOAuth2Api: new PasswordGrantOAuth2Api(),
};

function tokenIn(options: IHttpRequestOptions, headerName: string): string | undefined {
	const headers = (options.headers ?? {}) as Record<string, unknown>;
	const value = headers[headerName];
	if (typeof value !== 'string') return undefined;
	return value.replace(/^Bearer /, '');
}

export function fakeN8n(options: FakeN8nOptions = {}): FakeN8n {
	const endpoint = tokenEndpoint(options.tokenAnswer ?? issueTokens);
	const headerName = options.headerName ?? 'Authorization';
	const revoked = new Set<string>();
	const defaultApi: ApiHandler = (call) =>
		call.token !== undefined && !revoked.has(call.token)
			? { statusCode: 200, headers: {}, body: { ok: true, token: call.token } }
			: { statusCode: 401, headers: {}, body: { error: 'invalid_token' } };
	const api = options.api ?? defaultApi;

	const state: FakeN8n = {
		ctx: undefined as unknown as IExecuteFunctions,
		endpoint,
		preAuthentications: 0,
		apiCalls: [],
		plainCalls: [],
		revoked,
	};

	async function httpRequestWithAuthentication(
		this: unknown,
		credentialsType: string,
		requestOptions: IHttpRequestOptions,
		additional: { credentialsDecrypted: ICredentialsDecrypted },
	): Promise<unknown> {
		const type = credentialTypes[credentialsType as keyof typeof credentialTypes];
		if (!type) throw new Error(`Unknown credential type ${credentialsType}`);
		const data = additional.credentialsDecrypted.data as ICredentialDataDecryptedObject;
		if (data.accessToken === '') {
			state.preAuthentications++;
			if (options.maxPreAuthentications !== undefined && state.preAuthentications > options.maxPreAuthentications) {
				throw new Error(`preAuthentication ran more than ${options.maxPreAuthentications} times`);
			}
			const helper = { helpers: { httpRequest: endpoint.httpRequest } } as unknown as IHttpRequestHelper;
			const fields = await (type.preAuthentication as PreAuthentication).call(helper, data);
			Object.assign(data, fields);
		}
		const authenticated = await (type.authenticate as Authenticate)(data, requestOptions);
		// The API answers on a later turn of the event loop, as a real one would.
		await Promise.resolve();
		const call: ApiCall = { options: authenticated, token: tokenIn(authenticated, headerName) };
		const index = state.apiCalls.length;
		state.apiCalls.push(call);
		return await api(call, index);
	}

	async function httpRequest(requestOptions: IHttpRequestOptions): Promise<unknown> {
		state.plainCalls.push(requestOptions);
		return options.plain ? options.plain(requestOptions) : { statusCode: 200, headers: {}, body: 'plain' };
	}

	state.ctx = { helpers: { httpRequestWithAuthentication, httpRequest } } as unknown as IExecuteFunctions;
	return state;
}
