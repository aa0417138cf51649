// Identifies "the same token": every field that changes what the token endpoint would issue is part
// of the fingerprint, so a changed secret, user or scope never reuses a cached or stored token.

import { createHash } from 'node:crypto';

import { normaliseAudience, normaliseExtraParameters, normaliseIssuer, normaliseResources, normaliseScope } from './config';
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

/** sha256 (hex) over everything that identifies the token this configuration obtains. */
export function fingerprintOf(config: TokenRequestConfig): string {
	const password = config.grantType === 'password';
	const material = [
		'oauth2-grants/v1',
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
		normaliseExtraParameters(config.extraParameters).map(({ name, value }) => [name, value]),
		...enterpriseMaterial(config),
	];
	return sha256(JSON.stringify(material));
}
