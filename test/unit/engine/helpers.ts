// Test doubles for the engine's injected dependencies: a scripted transport function, a fake clock
// and a sleep that records instead of waiting.

import type {
	Clock,
	Sleep,
	TokenRequestConfig,
	Transport,
	TransportRequest,
	TransportResponse,
} from '../../../engine/types';

export const SECRET = 'client-secret-S3cr3t!';
export const PASSWORD = 'alice-Pa55word!';

export function config(overrides: Partial<TokenRequestConfig> = {}): TokenRequestConfig {
	return {
		tokenUrl: 'https://auth.example.test/oauth/token',
		grantType: 'client_credentials',
		clientId: 'my-client',
		clientSecret: SECRET,
		clientAuthentication: 'header',
		requestFormat: 'form',
		...overrides,
	};
}

export function passwordConfig(overrides: Partial<TokenRequestConfig> = {}): TokenRequestConfig {
	return config({ grantType: 'password', username: 'alice', password: PASSWORD, ...overrides });
}

export class FakeClock implements Clock {
	constructor(public time = 1_700_000_000_000) {}
	now(): number {
		return this.time;
	}
	advance(ms: number): void {
		this.time += ms;
	}
}

export type RecordingSleep = Sleep & { calls: number[] };

export function recordingSleep(clock?: FakeClock): RecordingSleep {
	const calls: number[] = [];
	const sleep = (async (ms: number) => {
		calls.push(ms);
		clock?.advance(ms);
	}) as RecordingSleep;
	sleep.calls = calls;
	return sleep;
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): TransportResponse {
	return {
		statusCode,
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	};
}

export function tokenResponse(accessToken: string, extra: Record<string, unknown> = {}): TransportResponse {
	return jsonResponse(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, ...extra });
}

export type Handler = (request: TransportRequest, call: number) => TransportResponse | Promise<TransportResponse>;
export type FakeTransport = Transport & { calls: TransportRequest[] };

/** A transport function that answers from `handler`, asynchronously, and records every request. */
export function fakeTransport(handler: Handler): FakeTransport {
	const calls: TransportRequest[] = [];
	const transport = (async (request: TransportRequest) => {
		calls.push(request);
		const call = calls.length;
		await Promise.resolve();
		return handler(request, call);
	}) as FakeTransport;
	transport.calls = calls;
	return transport;
}

/** A transport that issues token-1, token-2, ... one per request. */
export function countingTransport(extra: Record<string, unknown> = {}): FakeTransport {
	return fakeTransport((_request, call) => tokenResponse(`token-${call}`, extra));
}

export function networkError(code: string, message = `connect ${code} 127.0.0.1:9`): Error {
	return Object.assign(new Error(message), { code });
}

export function formOf(request: TransportRequest): URLSearchParams {
	return new URLSearchParams(request.body ?? '');
}

export function jsonOf(request: TransportRequest): Record<string, unknown> {
	return JSON.parse(request.body ?? '{}') as Record<string, unknown>;
}

export function basicOf(request: TransportRequest): string | undefined {
	const header = request.headers.Authorization;
	if (!header) return undefined;
	expect(header.startsWith('Basic ')).toBe(true);
	return Buffer.from(header.slice(6), 'base64').toString('utf8');
}

function b64url(value: unknown): string {
	return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function jwtWith(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }): string {
	return `${b64url(header)}.${b64url(claims)}.c2lnbmF0dXJl`;
}

/** Resolves after every queued microtask and pending promise callback has run. */
export async function flush(rounds = 20): Promise<void> {
	for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
