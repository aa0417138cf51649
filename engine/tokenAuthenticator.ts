// The token engine: one token per configuration and lifetime, shared by every caller of the process,
// renewed before it expires, fetched once however many callers ask at the same moment.

import { basicFormsDiffer, isBasicForm, refusesClientAuthentication } from './basicForm';
import { LruCache, SingleFlight } from './cache';
import { needsDiscovery, timeoutSecondsOf, validateConfig } from './config';
import { DiscoveryCache, tokenEndpointFor, unsupportedBy } from './discovery';
import { errorFromNetwork, OAuth2ConfigError, OAuth2TokenError } from './error';
import { fingerprintMatches, tokenCacheKeyOf } from './fingerprint';
import { isDue, type TokenTimes } from './expiry';
import { buildTokenRequest } from './request';
import { sendWithRetry } from './retry';
import { hasClientCertificate } from './tls';
import { bearerTypeOf, parseTokenResponse, requestSecretsOf, requestShapeOf } from './token';
import type {
	AuthenticatorDeps,
	BasicForm,
	Clock,
	GetTokenOptions,
	RetryOptions,
	StoredToken,
	Token,
	TokenGrant,
	TokenRequestConfig,
	TransportRequest,
} from './types';
import { ENGINE_WORDING, type Wording } from './wording';

export interface TokenAuthenticatorOptions {
	clock?: Clock;
	/** Most configurations whose token is kept. Default 500. */
	maxEntries?: number;
	retry?: RetryOptions;
	/** The words of messages that depend on the host (field labels and the like); default the engine's. */
	wording?: Wording;
}

interface Entry {
	token?: Token;
	/** Kept when the access token is dropped, to renew with the refresh grant. */
	refreshToken?: string;
	renewalMarginSeconds?: number;
	/** False for a token from storage that did not say when it was obtained. */
	lifetimeKnown: boolean;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

const systemClock: Clock = { now: () => Date.now() };

/** A refresh that the server refused (the refresh token expired or was revoked): worth one password grant. */
function refreshRefused(error: unknown): boolean {
	if (!(error instanceof OAuth2TokenError)) return false;
	return error.error === 'invalid_grant' || error.status === 400 || error.status === 401;
}

function timesOf(entry: Entry, token: Token): TokenTimes {
	return { expiresAt: token.expiresAt, obtainedAt: entry.lifetimeKnown ? token.obtainedAt : undefined };
}

export class TokenAuthenticator {
	private readonly clock: Clock;
	private readonly cache: LruCache<Entry>;
	private readonly flights = new SingleFlight<Token>();
	/** The Basic form each configuration's token endpoint took (automatic client authentication), by cache key. */
	private readonly basicForms: LruCache<BasicForm>;
	private readonly retry: RetryOptions;
	private readonly discovery: DiscoveryCache;
	private readonly wording: Wording;

	constructor(options: TokenAuthenticatorOptions = {}) {
		this.clock = options.clock ?? systemClock;
		this.cache = new LruCache<Entry>(options.maxEntries);
		this.basicForms = new LruCache<BasicForm>(options.maxEntries);
		this.retry = options.retry ?? {};
		this.wording = options.wording ?? ENGINE_WORDING;
		this.discovery = new DiscoveryCache({ now: () => this.clock.now(), retry: this.retry });
	}

	/** How many configurations have an entry (a token or a refresh token) in the cache. */
	get size(): number {
		return this.cache.size;
	}

	/**
	 * A token for `config`: the cached one while it is not due, else the stored one when it fits,
	 * else a new one from the token endpoint (one request, however many callers ask at once).
	 * Rejects with OAuth2ConfigError for a configuration that cannot work, and OAuth2TokenError
	 * when the token endpoint fails.
	 */
	async getToken(config: TokenRequestConfig, deps: AuthenticatorDeps, options: GetTokenOptions = {}): Promise<Token> {
		if (!deps || typeof deps.transport !== 'function' || typeof deps.sleep !== 'function') {
			throw new TypeError('getToken needs a transport and a sleep function.');
		}
		validateConfig(config, config?.grantType, this.wording);
		const key = tokenCacheKeyOf(config);
		const now = this.clock.now();
		const rejected = options.rejectToken || undefined;

		const entry = this.cache.get(key);
		if (entry?.token && rejected !== undefined && entry.token.accessToken === rejected) entry.token = undefined;
		if (entry?.token && !isDue(timesOf(entry, entry.token), config, now)) return entry.token;

		const stored = options.stored && fingerprintMatches(options.stored.fingerprint, config, key) ? options.stored : undefined;
		if (stored && this.storedUsable(stored, config, now, rejected)) {
			const token = this.seed(key, config, stored, now);
			return token;
		}

		const storedRefresh = stored?.refreshToken || undefined;
		const storedForm = isBasicForm(stored?.basicForm) ? stored.basicForm : undefined;
		const knownAccess = [rejected, stored?.accessToken, entry?.token?.accessToken];
		return this.flights.run(key, () =>
			this.fetch(config, deps, key, this.cache.peek(key)?.refreshToken ?? storedRefresh, knownAccess, storedForm),
		);
	}

	/** The cached token under this cache key (`tokenCacheKeyOf`), if there is one and it is not due. */
	peek(key: string): Token | undefined {
		const entry = this.cache.peek(key);
		if (!entry?.token) return undefined;
		const margin = { renewalMarginSeconds: entry.renewalMarginSeconds };
		return isDue(timesOf(entry, entry.token), margin, this.clock.now()) ? undefined : entry.token;
	}

	/**
	 * Drops the cached token under this cache key if it is `accessToken` (the API refused it). A newer
	 * token is left alone, so many callers reporting the same bad token cause one renewal. The refresh
	 * token is kept. Returns whether a token was dropped.
	 */
	invalidate(key: string, accessToken: string): boolean {
		const entry = this.cache.peek(key);
		if (!entry?.token || entry.token.accessToken !== accessToken) return false;
		entry.token = undefined;
		return true;
	}

	/** Whether a token must be renewed now (less than the renewal margin left). */
	isDue(token: TokenTimes, config: Pick<TokenRequestConfig, 'renewalMarginSeconds'>, now: number = this.clock.now()): boolean {
		return isDue(token, config, now);
	}

	/** Forgets every token and every discovered server (for tests, and when credentials are deleted). */
	clear(): void {
		this.cache.clear();
		this.basicForms.clear();
		this.discovery.clear();
	}

	/**
	 * The configuration with its token URL: as configured, or from the issuer's metadata, which must
	 * also allow the configured client authentication.
	 */
	async resolveTokenUrl(config: TokenRequestConfig, deps: AuthenticatorDeps): Promise<TokenRequestConfig> {
		if (!needsDiscovery(config)) return config;
		const metadata = await this.discovery.metadataFor(config, deps);
		const refusal = unsupportedBy(metadata, config);
		if (refusal) throw new OAuth2ConfigError(refusal, 'clientAuthentication');
		return { ...config, tokenUrl: tokenEndpointFor(metadata, config) };
	}

	private storedUsable(stored: StoredToken, config: TokenRequestConfig, now: number, rejected: string | undefined): boolean {
		if (typeof stored.accessToken !== 'string' || !stored.accessToken) return false;
		if (stored.accessToken === rejected) return false;
		if (!bearerTypeOf(stored.tokenType)) return false;
		const times: TokenTimes = { expiresAt: stored.expiresAt, obtainedAt: stored.obtainedAt };
		return !isDue(times, config, now);
	}

	private seed(key: string, config: TokenRequestConfig, stored: StoredToken, now: number): Token {
		const lifetimeKnown = typeof stored.obtainedAt === 'number' && Number.isFinite(stored.obtainedAt) && stored.obtainedAt > 0;
		const token: Token = {
			accessToken: stored.accessToken,
			tokenType: 'Bearer',
			expiresAt: stored.expiresAt,
			obtainedAt: lifetimeKnown ? (stored.obtainedAt as number) : now,
			extra: {},
		};
		if (stored.refreshToken) token.refreshToken = stored.refreshToken;
		if (stored.scope) token.scope = stored.scope;
		if (config.clientAuthentication === 'auto' && isBasicForm(stored.basicForm)) {
			token.basicForm = stored.basicForm;
			if (!this.basicForms.peek(key)) this.basicForms.set(key, stored.basicForm);
		}
		this.cache.set(key, {
			token,
			refreshToken: token.refreshToken,
			renewalMarginSeconds: config.renewalMarginSeconds,
			lifetimeKnown,
		});
		return token;
	}

	private async fetch(
		config: TokenRequestConfig,
		deps: AuthenticatorDeps,
		key: string,
		refreshToken: string | undefined,
		knownAccess: Array<string | undefined>,
		storedForm: BasicForm | undefined,
	): Promise<Token> {
		let token: Token;
		const send = (grant: TokenGrant, refresh: string | undefined) =>
			this.authenticatedRequest(config, deps, key, storedForm, grant, refresh, knownAccess);
		// Values no message may show, whichever request fails: the caller's tokens and the refresh token.
		knownAccess = [...knownAccess, refreshToken];
		config = await this.resolveTokenUrl(config, deps);
		if (config.grantType === 'password' && refreshToken) {
			const refreshed = await settle(send('refresh_token', refreshToken));
			if (refreshed.ok) {
				token = refreshed.value;
				if (!token.refreshToken) token.refreshToken = refreshToken;
			} else if (refreshRefused(refreshed.error)) {
				const entry = this.cache.peek(key);
				if (entry?.refreshToken === refreshToken) entry.refreshToken = undefined;
				token = await send('password', undefined);
			} else {
				throw refreshed.error;
			}
		} else {
			token = await send(config.grantType, undefined);
		}
		this.cache.set(key, {
			token,
			refreshToken: token.refreshToken,
			renewalMarginSeconds: config.renewalMarginSeconds,
			lifetimeKnown: true,
		});
		return token;
	}

	/**
	 * One token request (`request`). With automatic client authentication, in the Basic form this
	 * configuration's token endpoint took before (in this process, else with the stored token); with
	 * none known, the RFC form and, when that is refused as a client-authentication failure and the
	 * raw form is another header, the raw form once. The form that got a token is remembered; a known
	 * form that is refused is not switched (the id or secret is wrong, and a changed one is another
	 * configuration).
	 */
	private async authenticatedRequest(
		config: TokenRequestConfig,
		deps: AuthenticatorDeps,
		key: string,
		storedForm: BasicForm | undefined,
		grant: TokenGrant,
		refreshToken: string | undefined,
		knownAccess: Array<string | undefined>,
	): Promise<Token> {
		if (config.clientAuthentication !== 'auto') return this.request(config, deps, grant, refreshToken, knownAccess);
		const known = this.basicForms.get(key) ?? storedForm;
		const tried: BasicForm[] = [known ?? 'encoded'];
		let outcome = await settle(this.request(config, deps, grant, refreshToken, knownAccess, tried));
		if (
			!outcome.ok &&
			known === undefined &&
			outcome.error instanceof OAuth2TokenError &&
			refusesClientAuthentication(outcome.error) &&
			basicFormsDiffer(config.clientId.trim(), config.clientSecret)
		) {
			tried.push('raw');
			outcome = await settle(this.request(config, deps, grant, refreshToken, knownAccess, [...tried]));
		}
		if (!outcome.ok) throw outcome.error;
		const form = tried[tried.length - 1];
		this.basicForms.set(key, form);
		return { ...outcome.value, basicForm: form };
	}

	/**
	 * One token request, with retries, parsed into a Token or an OAuth2TokenError. `basicForms`: with
	 * automatic client authentication, the forms tried so far, this request's last.
	 */
	private async request(
		config: TokenRequestConfig,
		deps: AuthenticatorDeps,
		grant: TokenGrant,
		refreshToken: string | undefined,
		knownAccess: Array<string | undefined>,
		basicForms?: readonly BasicForm[],
	): Promise<Token> {
		const basicForm = basicForms?.[basicForms.length - 1];
		const now = () => this.clock.now();
		// Built here first, so a configuration error is thrown before anything is sent; built again for
		// each retry, so a client assertion is never sent twice.
		const built: TransportRequest[] = [buildTokenRequest(config, grant, refreshToken, { now: now(), wording: this.wording, basicForm })];
		let attempt = 0;
		const next = () => {
			if (attempt++ > 0 && built[0].secrets) built.push(buildTokenRequest(config, grant, refreshToken, { now: now(), wording: this.wording, basicForm }));
			return built[built.length - 1];
		};
		const sent = await sendWithRetry(next, { transport: deps.transport, sleep: deps.sleep, now }, this.retry);
		const assertions = built.flatMap((request) => request.secrets ?? []);
		const secrets = [refreshToken, ...knownAccess, ...assertions].filter((value): value is string => !!value);
		if (!sent.ok) {
			throw errorFromNetwork(sent.error, {
				tokenUrl: config.tokenUrl,
				grant,
				timeoutSeconds: timeoutSecondsOf(config),
				secrets: requestSecretsOf(config, secrets),
				attempts: sent.attempts,
				clientAuthentication: config.clientAuthentication,
				basicForms,
				clientCertificate: hasClientCertificate(config.tls),
				...requestShapeOf(config, grant),
				wording: this.wording,
			});
		}
		return parseTokenResponse(sent.response, config, now(), {
			grant,
			refreshToken,
			secrets,
			attempts: sent.attempts,
			wording: this.wording,
			basicForms,
		});
	}
}
