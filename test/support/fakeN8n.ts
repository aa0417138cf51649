// The one stand-in for n8n in the jest suites: the parts of IExecuteFunctions the node uses
// (parameters per item, input items, binary data, continueOnFail, the node and its credential) and
// the part of n8n-core the node's session relies on:
// `helpers.httpRequestWithAuthentication(type, options, { credentialsDecrypted })` runs the
// credential's real preAuthentication when the expirable field is empty, writes its result into
// the very data object it was given (as n8n-core's Object.assign does), runs the credential's real
// authenticate and then "sends" to a fake API. `helpers.httpRequest` is the no-credential path.
// `helpers.requestWithAuthenticationPaginated` is n8n-core's pagination loop (test/support/fakePagination.ts).
//
// The credential is stored as typed: a field may be an expression of the item (`={{ $json.tenant }}`,
// or text around it: `=https://{{ $json.host }}/token`; only `$json.path` is understood).
// `getCredentials(type, itemIndex)` resolves it for that item (item 0 without an index), as n8n does,
// and after a preAuthentication whose result holds the expirable field the stored credential is
// written as the chosen n8n line writes it: 2.x the returned fields, except over a field stored as an
// expression; 1.x the whole credential as resolved for that item. `requestWithAuthentication` plays
// n8n's older helper, which n8n's HTTP Request node uses: credential resolved for the item,
// preAuthentication, authenticate, send; after any error preAuthentication again (expired) and, if it
// returned the expirable field, one resend.
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../credentials/PasswordGrantOAuth2Api.credentials';
import type { ApiResponse } from '../../nodes/OAuth2HttpRequest/transport/session';
import { type Answer, issueTokens, tokenEndpoint, type FakeTokenEndpoint } from './credentialFixtures';
import { requestWithAuthenticationPaginated } from './fakePagination';

type PreAuthentication = (this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) => Promise<IDataObject>;
type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

export type Params = Record<string, unknown>;

export interface ApiCall {
	options: IHttpRequestOptions;
	/** The token the request carried in the credential's header (or query parameter), or undefined. */
	token?: string;
}

export type ApiHandler = (call: ApiCall, index: number) => ApiResponse | Promise<ApiResponse>;

/** The node's IExecuteFunctions, with the parameter reads it made. */
export interface FakeContext extends IExecuteFunctions {
	calls: { getNodeParameter: Array<{ name: string; itemIndex: number; options?: unknown }> };
}

export interface FakeN8n {
	ctx: FakeContext;
	endpoint: FakeTokenEndpoint;
	/** How often n8n ran the credential's preAuthentication. */
	preAuthentications: number;
	/** Requests that reached the API through httpRequestWithAuthentication. */
	apiCalls: ApiCall[];
	/** Requests sent through the plain httpRequest helper (no credential). */
	plainCalls: IHttpRequestOptions[];
	/** Tokens the API refuses with 401. */
	revoked: Set<string>;
	/** The credential as stored (expressions as typed), as n8n's writes after preAuthentication left it. */
	stored: ICredentialDataDecryptedObject;
	/** How often n8n wrote the credential after a preAuthentication. */
	storeWrites: number;
	/** How often the node read the credential (getCredentials). */
	credentialReads: number;
	/** n8n's older `helpers.requestWithAuthentication` for item `itemIndex` (n8n's HTTP Request node). */
	requestWithAuthentication: (credentialsType: string, options: IHttpRequestOptions, itemIndex: number) => Promise<ApiResponse>;
}

export interface FakeN8nOptions {
	/** Node parameters for every item; perItem[i] overrides them for item i. */
	params?: Params;
	perItem?: Params[];
	items?: INodeExecutionData[];
	/** The node's type; an AI agent's tool variant ends with "Tool". */
	nodeType?: string;
	continueOnFail?: boolean;
	/** The credential the node has selected: its type and the data getCredentials returns. */
	credential?: { type: string; data: ICredentialDataDecryptedObject };
	tokenAnswer?: Answer;
	api?: ApiHandler;
	/** Answers of the plain httpRequest helper. */
	plain?: (options: IHttpRequestOptions) => ApiResponse;
	/** The header that carries the token, to read it back. */
	headerName?: string;
	/** The query parameter that carries the token (Send Token In: Query Parameter), read back instead of the header. */
	queryParameter?: string;
	/** Fail preAuthentication from this call on (a guard against endless renewal loops). */
	maxPreAuthentications?: number;
	/** The n8n line whose credentials helper is played (see the top of this file). Default 2. */
	line?: 1 | 2;
	/** The `helpers.httpRequest` preAuthentication gets for token requests; default the fake token endpoint. */
	tokenHttpRequest?: (options: IHttpRequestOptions) => Promise<unknown>;
}

const MIME_EXTENSIONS: Record<string, string> = {
	'application/pdf': 'pdf',
	'image/png': 'png',
	'image/jpeg': 'jpeg',
	'text/plain': 'txt',
	'text/csv': 'csv',
	'application/zip': 'zip',
	'application/octet-stream': 'bin',
};

function lookup(source: unknown, path: string): unknown {
	let current = source;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null || !(key in (current as object))) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

const EXPRESSION_PART = /\{\{\s*\$json\.([A-Za-z0-9_.]+)\s*\}\}/g;

/** A stored credential value as n8n resolves it for an item whose JSON is `json`. */
function resolveForItem(value: unknown, json: IDataObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const text = value.slice(1);
	const whole = /^\{\{\s*\$json\.([A-Za-z0-9_.]+)\s*\}\}$/.exec(text);
	if (whole) return lookup(json, whole[1]);
	const resolved = text.replace(EXPRESSION_PART, (_match, path: string) => String(lookup(json, path) ?? ''));
	if (resolved.includes('{{')) throw new Error(`the fake n8n resolves only {{ $json.path }}: ${value}`);
	return resolved;
}

const isExpression = (value: unknown): boolean => typeof value === 'string' && value.startsWith('=');

export const fakeNode: INode = {
	id: 'node-1',
	name: 'OAuth2 HTTP Request',
	type: 'n8n-nodes-oauth2-grants.oAuth2HttpRequest',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function binaryItem(
	field: string,
	content: string | Buffer,
	mimeType: string,
	fileName?: string,
	json: IDataObject = {},
): INodeExecutionData {
	const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
	const binary: IBinaryData = { data: buffer.toString('base64'), mimeType, ...(fileName ? { fileName } : {}) };
	return { json, binary: { [field]: binary } };
}

const credentialTypes = {
	clientCredentialsOAuth2Api: new ClientCredentialsOAuth2Api(),
	passwordGrantOAuth2Api: new PasswordGrantOAuth2Api(),
};

function tokenIn(options: IHttpRequestOptions, headerName: string, queryParameter?: string): string | undefined {
	if (queryParameter !== undefined) {
		const value = (options.qs ?? {})[queryParameter];
		return typeof value === 'string' ? value : undefined;
	}
	const headers = (options.headers ?? {}) as Record<string, unknown>;
	const value = headers[headerName];
	if (typeof value !== 'string') return undefined;
	return value.replace(/^Bearer /, '');
}

/** getNodeParameter over `params` and `perItem`, recording every read. */
function parameterReader(options: FakeN8nOptions, calls: FakeContext['calls']) {
	return (name: string, itemIndex: number, fallback?: unknown, paramOptions?: unknown) => {
		calls.getNodeParameter.push({ name, itemIndex, options: paramOptions });
		const own = options.perItem?.[itemIndex];
		let value = own ? lookup(own, name) : undefined;
		if (value === undefined) value = lookup(options.params ?? {}, name);
		if (value === undefined) {
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			return fallback;
		}
		return value;
	};
}

function binaryHelpers(items: INodeExecutionData[]) {
	const binaryOf = (itemIndex: number, field: string): IBinaryData => {
		const binary = items[itemIndex]?.binary?.[field];
		if (!binary) throw new Error(`This operation expects the node's input data to contain a binary file '${field}', but none was found [item ${itemIndex}]`);
		return binary;
	};
	return {
		assertBinaryData: (itemIndex: number, field: string) => binaryOf(itemIndex, field),
		getBinaryDataBuffer: async (itemIndex: number, field: string) => Buffer.from(binaryOf(itemIndex, field).data, 'base64'),
		prepareBinaryData: async (data: Buffer, filePath?: string, mimeType?: string): Promise<IBinaryData> => {
			const fileName = filePath ? filePath.split('/').pop() : undefined;
			const byName = fileName?.includes('.') ? Object.entries(MIME_EXTENSIONS).find(([, ext]) => fileName.endsWith(`.${ext}`))?.[0] : undefined;
			const type = mimeType ?? byName ?? 'text/plain';
			return {
				data: data.toString('base64'),
				mimeType: type,
				fileExtension: MIME_EXTENSIONS[type],
				fileSize: `${data.length} B`,
				...(fileName ? { fileName } : {}),
			};
		},
	};
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
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const calls: FakeContext['calls'] = { getNodeParameter: [] };

	const line = options.line ?? 2;
	const tokenHttpRequest = options.tokenHttpRequest ?? endpoint.httpRequest;
	const credential = options.credential;
	const state: FakeN8n = {
		ctx: undefined as unknown as FakeContext,
		endpoint,
		preAuthentications: 0,
		apiCalls: [],
		plainCalls: [],
		revoked,
		stored: { ...(credential?.data ?? {}) },
		storeWrites: 0,
		credentialReads: 0,
		requestWithAuthentication: async () => await Promise.reject(new Error('set up below')),
	};

	function credentialTypeOf(credentialsType: string) {
		const type = credentialTypes[credentialsType as keyof typeof credentialTypes];
		if (!type) throw new Error(`Unknown credential type ${credentialsType}`);
		return type;
	}

	function resolvedCredential(itemIndex = 0): ICredentialDataDecryptedObject {
		const json = items[itemIndex]?.json ?? {};
		return Object.fromEntries(Object.entries(state.stored).map(([key, value]) => [key, resolveForItem(value, json)])) as ICredentialDataDecryptedObject;
	}

	/** n8n's credentialsHelper.preAuthentication: runs the credential's, stores and merges what it returned. */
	async function preAuthenticate(credentialsType: string, data: ICredentialDataDecryptedObject, expired: boolean): Promise<IDataObject | undefined> {
		if (data.accessToken !== '' && !expired) return undefined;
		state.preAuthentications++;
		if (options.maxPreAuthentications !== undefined && state.preAuthentications > options.maxPreAuthentications) {
			throw new Error(`preAuthentication ran more than ${options.maxPreAuthentications} times`);
		}
		// 2.x hands the credential httpRequest alone; 1.x the node's own helpers, older request included.
		const helpers = line === 1
			? { ...context.helpers, httpRequest: tokenHttpRequest, request: async () => await Promise.reject(new Error('the fake n8n has no older request helper')) }
			: { httpRequest: tokenHttpRequest };
		const output = await (credentialTypeOf(credentialsType).preAuthentication as PreAuthentication).call({ helpers } as unknown as IHttpRequestHelper, data);
		if (output.accessToken === undefined) return undefined;
		if (line === 1) {
			state.stored = { ...data, ...output } as ICredentialDataDecryptedObject;
		} else {
			const kept = Object.entries(output).filter(([key]) => key === 'accessToken' || !isExpression(state.stored[key]));
			state.stored = { ...state.stored, ...Object.fromEntries(kept) } as ICredentialDataDecryptedObject;
		}
		state.storeWrites++;
		return Object.assign(data, output);
	}

	async function send(credentialsType: string, data: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<ApiResponse> {
		const authenticated = await (credentialTypeOf(credentialsType).authenticate as Authenticate)(data, requestOptions);
		// The API answers on a later turn of the event loop, as a real one would.
		await Promise.resolve();
		const call: ApiCall = { options: authenticated, token: tokenIn(authenticated, headerName, options.queryParameter) };
		const index = state.apiCalls.length;
		state.apiCalls.push(call);
		return await api(call, index);
	}

	async function httpRequestWithAuthentication(
		this: unknown,
		credentialsType: string,
		requestOptions: IHttpRequestOptions,
		additional: { credentialsDecrypted: ICredentialsDecrypted },
	): Promise<unknown> {
		const data = additional.credentialsDecrypted.data as ICredentialDataDecryptedObject;
		await preAuthenticate(credentialsType, data, false);
		return await send(credentialsType, data, requestOptions);
	}

	state.requestWithAuthentication = async (credentialsType, requestOptions, itemIndex) => {
		const data = resolvedCredential(itemIndex);
		try {
			await preAuthenticate(credentialsType, data, false);
			const response = await send(credentialsType, data, { ...requestOptions });
			if (response.statusCode >= 400) throw Object.assign(new Error(`status ${response.statusCode}`), { response });
			return response;
		} catch (error) {
			const renewed = await preAuthenticate(credentialsType, data, true);
			if (!renewed) throw error;
			return await send(credentialsType, data, { ...requestOptions });
		}
	};

	async function httpRequest(requestOptions: IHttpRequestOptions): Promise<unknown> {
		state.plainCalls.push(requestOptions);
		return options.plain ? options.plain(requestOptions) : { statusCode: 200, headers: {}, body: 'plain' };
	}

	const node: INode = {
		...fakeNode,
		type: options.nodeType ?? fakeNode.type,
		...(credential ? { credentials: { [credential.type]: { id: 'credential-1', name: 'OAuth2 credential' } } } : {}),
	};
	const context = {
		calls,
		getNode: () => node,
		getInputData: () => items,
		getNodeParameter: parameterReader(options, calls),
		continueOnFail: () => options.continueOnFail === true,
		getCredentials: async (type: string, itemIndex?: number) => {
			if (!credential || credential.type !== type) throw new Error(`Node has no credential of type ${type}`);
			state.credentialReads++;
			return resolvedCredential(itemIndex);
		},
		helpers: { ...binaryHelpers(items), httpRequestWithAuthentication, httpRequest, requestWithAuthenticationPaginated },
	};
	state.ctx = context as unknown as FakeContext;
	return state;
}

/** The node's IExecuteFunctions of a fake n8n, for tests that need no credential. */
export function fakeContext(options: FakeN8nOptions = {}): FakeContext {
	return fakeN8n(options).ctx;
}
