// How long a token lives, from whatever the token response says about it: RFC 6749's expires_in
// (seconds from now), or, under other names, seconds, epoch seconds or milliseconds, or a date.

import { defaultLifetimeSecondsOf } from './config';
import { readJwtExp } from './jwt';
import type { TokenRequestConfig } from './types';

/** No token lives longer than this for the engine, so date arithmetic never overflows. */
export const MAX_LIFETIME_SECONDS = 365 * 24 * 3600;

/** Below this a number is seconds from now (31 years); below EPOCH_MS_FROM, epoch seconds (2001 to 33658). */
export const EPOCH_SECONDS_FROM = 1e9;
/** From here a number is epoch milliseconds (2001-09-09 and later). */
export const EPOCH_MS_FROM = 1e12;

/** What the response says about the token's lifetime, where it says it. */
export interface LifetimeValue {
	value: unknown;
	/** The member's name says "seconds from now" (expires_in and its spellings): no magnitude rule. */
	relative: boolean;
}

/** expires_in, expiresIn, expire_in, expireIn (any case): seconds from now, as RFC 6749 §5.1 says. */
export function isRelativeName(name: string): boolean {
	return /^expires?in$/.test(name.toLowerCase().replace(/[_-]/g, ''));
}

/** A positive number or numeric string, else undefined. */
function positiveNumber(value: unknown): number | undefined {
	let number: number | undefined;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) number = Number(value);
	// A number too large for a double (Infinity) still means "long-lived"; the caller caps it.
	return number !== undefined && !Number.isNaN(number) && number > 0 ? number : undefined;
}

/** An ISO 8601 date, or date and time; one without an offset is read as UTC, not this machine's zone. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function isoDateMs(text: string): number | undefined {
	const match = ISO_DATE.exec(text.trim());
	if (!match) return undefined;
	let iso = text.trim().replace(' ', 'T').replace(',', '.');
	const offset = match[1];
	if (iso.includes('T') && offset === undefined) iso += 'Z';
	else if (offset !== undefined && /^[+-]\d{2}$/.test(offset)) iso += ':00';
	else if (offset !== undefined) iso = iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
	const ms = Date.parse(iso);
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Seconds left, or undefined when the value says nothing usable. Relative names: seconds from now.
 * Other names, by magnitude: below 1e9 seconds from now, below 1e12 epoch seconds, else epoch
 * milliseconds; a non-numeric string is an ISO 8601 date. A time already past is unusable too, so a
 * broken expiry never makes a token that is renewed for every request.
 */
export function secondsLeftOf(lifetime: LifetimeValue | undefined, now: number): number | undefined {
	if (!lifetime) return undefined;
	const number = positiveNumber(lifetime.value);
	let seconds: number | undefined;
	if (lifetime.relative || (number !== undefined && number < EPOCH_SECONDS_FROM)) seconds = number;
	else if (number !== undefined) seconds = (number < EPOCH_MS_FROM ? number * 1000 - now : number - now) / 1000;
	else if (typeof lifetime.value === 'string') {
		const ms = isoDateMs(lifetime.value);
		if (ms !== undefined) seconds = (ms - now) / 1000;
	}
	return seconds !== undefined && !Number.isNaN(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * Lifetime in milliseconds: what the response says, else the JWT's exp, else the configured default;
 * capped at a year.
 */
export function lifetimeMsOf(lifetime: LifetimeValue | undefined, accessToken: string, config: TokenRequestConfig, now: number): number {
	let seconds = secondsLeftOf(lifetime, now);
	if (seconds === undefined) {
		const exp = readJwtExp(accessToken);
		const remaining = exp !== undefined ? exp - now / 1000 : undefined;
		if (remaining !== undefined && Number.isFinite(remaining) && remaining > 0) seconds = remaining;
	}
	if (seconds === undefined) seconds = defaultLifetimeSecondsOf(config);
	return Math.round(Math.min(seconds, MAX_LIFETIME_SECONDS) * 1000);
}
