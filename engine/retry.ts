// Bounded retries of one token request on transient failures, with exponential backoff and jitter.
// Sleep and the clock are injected: nothing here touches global timers.

import { sendWithinOrigin, TokenDestinationError } from './destination';
import { networkCodeOf, RETRYABLE_NETWORK_CODES, RETRYABLE_STATUSES } from './error';
import type { RetryOptions, Sleep, Transport, TransportRequest, TransportResponse } from './types';

export const DEFAULT_RETRIES = 2;
export const DEFAULT_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 10_000;

interface ResolvedRetryOptions {
	retries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	random: () => number;
}

function nonNegative(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
	return {
		retries: Math.floor(nonNegative(options.retries, DEFAULT_RETRIES)),
		baseDelayMs: nonNegative(options.baseDelayMs, DEFAULT_BASE_DELAY_MS),
		maxDelayMs: nonNegative(options.maxDelayMs, DEFAULT_MAX_DELAY_MS),
		random: typeof options.random === 'function' ? options.random : Math.random,
	};
}

export function isRetryableStatus(status: number): boolean {
	return RETRYABLE_STATUSES.has(status);
}

export function isRetryableNetworkError(error: unknown): boolean {
	const code = networkCodeOf(error);
	return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

function responseHeader(headers: TransportResponse['headers'], name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() !== name) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return typeof first === 'string' ? first.trim() : undefined;
	}
	return undefined;
}

/** Retry-After (delta seconds or HTTP date) in milliseconds from `now`, or undefined when absent or invalid. */
export function retryAfterMs(headers: TransportResponse['headers'], now: number): number | undefined {
	const value = responseHeader(headers, 'retry-after');
	if (!value) return undefined;
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (0 for the first retry): base × 2^retry with "equal jitter"
 * (half fixed, half random), at most maxDelayMs.
 */
export function backoffMs(retry: number, options: ResolvedRetryOptions): number {
	const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
	const half = exponential / 2;
	return Math.round(half + options.random() * half);
}

/**
 * The one wait policy before a retry, for token and API requests alike (each passes its own base and
 * cap): the server's Retry-After when it sent one, at most maxDelayMs; otherwise backoffMs.
 */
export function retryDelayMs(retry: number, headers: TransportResponse['headers'], now: number, options: RetryOptions = {}): number {
	const resolved = resolveRetryOptions(options);
	const asked = retryAfterMs(headers, now);
	return asked !== undefined ? Math.min(asked, resolved.maxDelayMs) : backoffMs(retry, resolved);
}

export type SendResult =
	| { ok: true; response: TransportResponse; attempts: number }
	| { ok: false; error: unknown; attempts: number };

export interface SendDeps {
	transport: Transport;
	sleep: Sleep;
	now: () => number;
}

async function attempt(
	transport: Transport,
	request: TransportRequest,
): Promise<{ response?: TransportResponse; error?: unknown; refused?: TokenDestinationError }> {
	try {
		// Redirects are decided by the destination policy, for token and discovery requests alike.
		const response = await sendWithinOrigin(transport, request);
		if (!response || typeof response.statusCode !== 'number') {
			return { error: new Error('The transport resolved without an HTTP response.') };
		}
		return { response };
	} catch (error) {
		// A refused destination is not a failed attempt: nothing to retry, and its words are the message.
		if (error instanceof TokenDestinationError) return { refused: error };
		return { error: error ?? new Error('The transport failed without an error.') };
	}
}

/**
 * Sends `request`, and again after a wait when the attempt failed transiently (network error with a
 * retryable code, or 429/502/503/504), at most `retries` more times. Resolves with the last response,
 * whatever its status, or with the last network error; it rejects only with a TokenDestinationError
 * (a redirect the destination policy refuses). A function is called for
 * each attempt, so a request with a one-time client assertion is built afresh.
 */
export async function sendWithRetry(
	request: TransportRequest | (() => TransportRequest),
	deps: SendDeps,
	options: RetryOptions = {},
): Promise<SendResult> {
	const resolved = resolveRetryOptions(options);
	for (let attempts = 1; ; attempts++) {
		const outcome = await attempt(deps.transport, typeof request === 'function' ? request() : request);
		if (outcome.refused) throw outcome.refused;
		const last = attempts > resolved.retries;
		if (outcome.response) {
			const response = outcome.response;
			if (last || !isRetryableStatus(response.statusCode)) return { ok: true, response, attempts };
			await deps.sleep(retryDelayMs(attempts - 1, response.headers, deps.now(), resolved));
			continue;
		}
		if (last || !isRetryableNetworkError(outcome.error)) return { ok: false, error: outcome.error, attempts };
		await deps.sleep(backoffMs(attempts - 1, resolved));
	}
}
