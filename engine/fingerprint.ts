// Identifies "the same token": every field that changes what the token endpoint would issue, and every
// setting that changes whom the token request trusts or who it claims to be (Ignore SSL Issues, CA,
// client certificate), so a changed secret, user, scope or trust setting never reuses a token.
//
// Three forms, for three uses:
// - the cache key: an HMAC under a key that lives only in this process's memory, fast enough to compute
//   for every request, and worthless outside the process;
// - the stored fingerprint, kept with the token in the credential: scrypt over the same material with a
//   random salt, so guessing a password from it and the credential's other fields costs a scrypt per
//   guess instead of one SHA-256. Checked once per process and stored value, then remembered by cache key;
// - the unsalted SHA-256 of 0.2.0, recognised (never written) so that stored tokens survive the upgrade.

import { createHash, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

import { LruCache } from './cache';
import { normaliseAudience, normaliseExtraParameters, normaliseIssuer, normaliseResources, normaliseScope } from './config';
import { customGrantTypeOf } from './customGrant';
import { normaliseExtraHeaders } from './extraHeaders';
import { normaliseTls } from './tls';
import type { TokenRequestConfig } from './types';

function sha256(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A hash of a secret, so the fingerprint's input never holds the secret itself. */
function secretHash(secret: string | undefined): string {
	return typeof secret === 'string' && secret.length > 0 ? sha256(`secret:${secret}`) : '';
}

/**
 * What the enterprise settings add (issuer, assertion key, client certificate), or nothing when none
 * is set, so configurations without them keep the fingerprint of their stored tokens.
 */
function enterpriseMaterial(config: TokenRequestConfig): unknown[] {
	const tls = normaliseTls(config.tls);
	const privateKeyJwt = config.clientAuthentication === 'privateKeyJwt';
	const parts = [
		normaliseIssuer(config.issuerUrl) ?? '',
		privateKeyJwt ? secretHash(config.privateKey?.trim()) : '',
		privateKeyJwt ? (config.privateKeyId?.trim() ?? '') : '',
		privateKeyJwt ? (config.signingAlgorithm ?? '') : '',
		privateKeyJwt ? secretHash(config.privateKeyCertificate?.trim()) : '',
		secretHash(tls?.cert),
		secretHash(tls?.key),
		secretHash(tls?.ca),
	];
	return parts.some((part) => part !== '') ? ['enterprise', ...parts] : [];
}

/**
 * What the requests off the textbook add (a custom grant type, gateway headers), or nothing when neither
 * is set, so configurations without them keep the fingerprint of their stored tokens. A header's value
 * counts (another gateway key may be another subscription), hashed like a secret; its name in any case.
 */
function offTextbookMaterial(config: TokenRequestConfig): unknown[] {
	const custom = config.grantType === 'client_credentials' ? customGrantTypeOf(config) : undefined;
	const headers = normaliseExtraHeaders(config.extraHeaders)
		.map(({ name, value }) => [name.toLowerCase(), secretHash(`header:${value}`)])
		.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	const parts: unknown[] = [];
	if (custom !== undefined) parts.push('grant_type', custom);
	if (headers.length) parts.push('headers', headers);
	return parts;
}

/** An extra parameter: name and value, and where it goes only when that is not the body (the default). */
function parameterMaterial({ name, value, sendIn }: { name: string; value: string; sendIn?: string }): string[] {
	return sendIn === undefined ? [name, value] : [name, value, sendIn];
}

/** The fields of 0.2.0's fingerprint, in its order: what the token endpoint would issue. */
function tokenMaterial(config: TokenRequestConfig): unknown[] {
	const password = config.grantType === 'password';
	return [
		typeof config.tokenUrl === 'string' ? config.tokenUrl.trim() : '',
		config.grantType,
		typeof config.clientId === 'string' ? config.clientId.trim() : '',
		secretHash(config.clientSecret),
		config.clientAuthentication,
		config.requestFormat ?? 'form',
		password ? (config.username ?? '') : '',
		password ? secretHash(config.password) : '',
		normaliseScope(config.scope) ?? '',
		normaliseAudience(config.audience) ?? '',
		normaliseResources(config.resource),
		normaliseExtraParameters(config.extraParameters).map(parameterMaterial),
		...enterpriseMaterial(config),
		...offTextbookMaterial(config),
	];
}

/**
 * The settings that decide whom a request trusts and who it is: a token or a metadata document fetched
 * under other settings (a certificate nobody checked, another CA) must not serve this configuration.
 */
function trustMaterial(config: Pick<TokenRequestConfig, 'ignoreSslIssues' | 'tls'>): unknown[] {
	const tls = normaliseTls(config.tls);
	return [config.ignoreSslIssues === true, secretHash(tls?.ca), secretHash(tls?.cert), secretHash(tls?.key)];
}

function materialOf(config: TokenRequestConfig): string {
	return JSON.stringify(['oauth2-grants/v2', ...tokenMaterial(config), 'trust', ...trustMaterial(config)]);
}

/** 0.2.0's fingerprint (sha256 hex), recognised in stored tokens and never written any more. */
export function legacyFingerprintOf(config: TokenRequestConfig): string {
	return sha256(JSON.stringify(['oauth2-grants/v1', ...tokenMaterial(config)]));
}

// Never stored or sent: it only has to tell configurations apart within this process.
const processKey = randomBytes(32);

function processKeyed(text: string): string {
	return createHmac('sha256', processKey).update(text, 'utf8').digest('base64url');
}

/** The in-memory key of this configuration's token (the engine's token cache, single flight). */
export function tokenCacheKeyOf(config: TokenRequestConfig): string {
	return processKeyed(materialOf(config));
}

/** The in-memory key of the trust settings, for what is cached per server (discovery metadata). */
export function trustKeyOf(config: Pick<TokenRequestConfig, 'ignoreSslIssues' | 'tls'>): string {
	return processKeyed(JSON.stringify(['oauth2-grants/trust', ...trustMaterial(config)]));
}

/**
 * scrypt cost: N = 2^14, r = 8 take 16 MiB and about 50 ms, once per stored value and process. Stored
 * values name their own cost, so it can be raised later; a cost above the limits (64 MiB) is refused
 * rather than computed, as the stored text is input.
 */
const SCRYPT = { ln: 14, r: 8, p: 1 } as const;
const SCRYPT_LIMITS = { ln: 16, r: 8, p: 4 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const STORED_FORM = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

interface Cost {
	ln: number;
	r: number;
	p: number;
}

function scryptHash(config: TokenRequestConfig, salt: Buffer, cost: Cost, length: number): Buffer {
	const N = 2 ** cost.ln;
	return scryptSync(materialOf(config), salt, length, { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r * 2 });
}

/** Stored fingerprints already checked against a cache key (true or false), so each costs one scrypt per process. */
const checked = new LruCache<boolean>(2000);

function checkedKey(cacheKey: string, fingerprint: string): string {
	return `${cacheKey} ${fingerprint}`;
}

/** Fingerprints made in this process, per configuration and token, so concurrent stores of one token cost one scrypt. */
const made = new LruCache<string>(500);

/**
 * A stored fingerprint for this configuration: scrypt with a fresh salt (one scrypt, about 50 ms).
 * With `accessToken`, the token it is stored with, every caller storing that token gets the same one:
 * n8n may run several pre-authentications for one token at once, and each stores its result.
 */
export function newFingerprint(config: TokenRequestConfig, accessToken?: string): string {
	const madeKey = accessToken ? `${tokenCacheKeyOf(config)} ${processKeyed(accessToken)}` : undefined;
	const known = madeKey ? made.get(madeKey) : undefined;
	if (known) return known;
	const salt = randomBytes(SALT_BYTES);
	const hash = scryptHash(config, salt, SCRYPT, HASH_BYTES);
	const fingerprint = `$scrypt$ln=${SCRYPT.ln},r=${SCRYPT.r},p=${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
	checked.set(checkedKey(tokenCacheKeyOf(config), fingerprint), true);
	if (madeKey) made.set(madeKey, fingerprint);
	return fingerprint;
}

function equalText(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

function scryptMatches(fingerprint: string, config: TokenRequestConfig): boolean {
	const parts = STORED_FORM.exec(fingerprint);
	if (!parts) return false;
	const cost: Cost = { ln: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
	if (cost.ln < 1 || cost.ln > SCRYPT_LIMITS.ln || cost.r < 1 || cost.r > SCRYPT_LIMITS.r || cost.p < 1 || cost.p > SCRYPT_LIMITS.p) return false;
	const expected = Buffer.from(parts[5], 'base64url');
	const actual = scryptHash(config, Buffer.from(parts[4], 'base64url'), cost, expected.length);
	return timingSafeEqual(actual, expected);
}

/**
 * Whether a stored fingerprint was made for this configuration: the scrypt form (checked once per
 * process, then remembered), or 0.2.0's SHA-256 form, which predates the trust settings and is
 * accepted for the fields it covers until the token is renewed and stored in the new form.
 * `cacheKey` is `tokenCacheKeyOf(config)`, for a caller that has it already.
 */
export function fingerprintMatches(
	fingerprint: string | undefined,
	config: TokenRequestConfig,
	cacheKey: string = tokenCacheKeyOf(config),
): boolean {
	if (typeof fingerprint !== 'string' || fingerprint === '') return false;
	if (/^[0-9a-f]{64}$/.test(fingerprint)) return equalText(fingerprint, legacyFingerprintOf(config));
	const key = checkedKey(cacheKey, fingerprint);
	const known = checked.get(key);
	if (known !== undefined) return known;
	const matches = scryptMatches(fingerprint, config);
	checked.set(key, matches);
	return matches;
}

/** Whether the fingerprint is in the form this version writes (else the next stored token replaces it). */
export function isCurrentFingerprint(fingerprint: string | undefined): boolean {
	return typeof fingerprint === 'string' && STORED_FORM.test(fingerprint);
}
