// The token engine's public surface. Credentials and nodes import from here.

export {
	ASSERTION_ALGORITHMS,
	ASSERTION_LIFETIME_SECONDS,
	CLIENT_ASSERTION_TYPE,
	privateKeyAssertion,
	secretAssertion,
} from './assertion';
export { TokenAuthenticator, type TokenAuthenticatorOptions } from './tokenAuthenticator';
export { LruCache, SingleFlight, DEFAULT_MAX_ENTRIES } from './cache';
export {
	DEFAULT_LIFETIME_SECONDS,
	DEFAULT_RENEWAL_MARGIN_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
	normaliseScope,
	validateConfig,
} from './config';
export {
	networkCodeOf,
	OAuth2ConfigError,
	OAuth2TokenError,
	type ConfigField,
	RETRYABLE_NETWORK_CODES,
	RETRYABLE_STATUSES,
	type OAuth2TokenErrorDetails,
} from './error';
export {
	baseOriginOf,
	checkTokenDestination,
	CREDENTIAL_HEADERS,
	type DestinationPolicy,
	type DestinationRefusal,
	hostOf,
	MAX_TOKEN_REDIRECTS,
	type Origin,
	originOf,
	sameOrigin,
	sendWithinOrigin,
	TokenDestinationError,
	withoutCredentialHeaders,
} from './destination';
export { discoveryUrlsOf, OAuth2DiscoveryError, type ServerMetadata } from './discovery';
export {
	fingerprintMatches,
	isCurrentFingerprint,
	legacyFingerprintOf,
	newFingerprint,
	tokenCacheKeyOf,
	trustKeyOf,
} from './fingerprint';
export { readJwtClaims, readJwtExp } from './jwt';
export { OAuth2GrantsError, findInCauses } from './baseError';
export { maskSecrets, safeUrl } from './redact';
export { isDue, renewalMarginMs, type TokenTimes } from './expiry';
export { buildTokenRequest } from './request';
export { backoffMs, retryAfterMs, sendWithRetry, type SendResult } from './retry';
export { checkTls, hasClientCertificate, normaliseTls } from './tls';
export {
	bearerTypeOf,
	MAX_LIFETIME_SECONDS,
	OAuth2TokenTypeError,
	parseTokenResponse,
	requestSecretsOf,
	type ParseContext,
} from './token';
export * from './types';
export { ENGINE_WORDING, type Wording } from './wording';
