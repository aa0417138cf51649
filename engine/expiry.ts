// When a token must be renewed: before it expires, with a margin for clock skew and request time.

import { renewalMarginSecondsOf } from './config';
import type { TokenRequestConfig } from './types';

/** The expiry of a token, and when it was obtained if known (it caps the margin). */
export interface TokenTimes {
	expiresAt: number;
	obtainedAt?: number;
}

/**
 * The renewal margin in milliseconds for this token: renewalMarginSeconds (default 60), but at most
 * half the token's lifetime, so a token that lives 60 seconds is still used for 30.
 */
export function renewalMarginMs(token: TokenTimes, config: Pick<TokenRequestConfig, 'renewalMarginSeconds'>): number {
	let margin = renewalMarginSecondsOf(config ?? {}) * 1000;
	const { expiresAt, obtainedAt } = token;
	if (typeof obtainedAt === 'number' && Number.isFinite(obtainedAt) && obtainedAt > 0 && obtainedAt < expiresAt) {
		margin = Math.min(margin, (expiresAt - obtainedAt) / 2);
	}
	return margin;
}

/** True when less than the renewal margin remains before the token expires (or its expiry is unknown). */
export function isDue(token: TokenTimes, config: Pick<TokenRequestConfig, 'renewalMarginSeconds'>, now: number): boolean {
	if (!token || typeof token.expiresAt !== 'number' || !Number.isFinite(token.expiresAt)) return true;
	return token.expiresAt - now <= renewalMarginMs(token, config);
}
