// The JWT client assertion of RFC 7523 §2.2 / RFC 7521 §4.2: the client proves who it is with a
// short-lived JWT signed by its private key (private_key_jwt) or with its secret (client_secret_jwt)
// instead of sending a secret. Signed with node:crypto alone.

import { createHash, createHmac, createPrivateKey, randomUUID, sign, constants, type KeyObject } from 'node:crypto';

import { OAuth2ConfigError } from './error';
import { firstCertificateOf, parsed, pemLabelOf, pemText } from './tls';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type AssertionAlgorithm = 'RS256' | 'PS256' | 'ES256';
export const ASSERTION_ALGORITHMS: readonly AssertionAlgorithm[] = ['RS256', 'PS256', 'ES256'];
export const DEFAULT_ASSERTION_ALGORITHM: AssertionAlgorithm = 'RS256';

/** How long an assertion is valid. Servers reject long-lived ones; a few minutes covers clock skew. */
export const ASSERTION_LIFETIME_SECONDS = 300;

/** RFC 7518 §3.3: RSA keys for RS256/PS256 must have at least 2048 bits. */
const MIN_RSA_BITS = 2048;

export interface AssertionInput {
	clientId: string;
	/** The token endpoint URL, as the server expects it in `aud`. */
	audience: string;
	/** Epoch milliseconds. */
	now: number;
	/** A unique id; a fresh UUID when not given. */
	jti?: string;
	lifetimeSeconds?: number;
}

export interface PrivateKeyAssertion extends AssertionInput {
	privateKey: string;
	algorithm?: AssertionAlgorithm;
	keyId?: string;
	/** The certificate of the key: its thumbprints go into the header as x5t and x5t#S256 (Entra ID). */
	certificate?: string;
}

export interface SecretAssertion extends AssertionInput {
	clientSecret: string;
}

const base64Url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');
const segment = (value: object): string => base64Url(JSON.stringify(value));

function claimsOf(input: AssertionInput): Record<string, unknown> {
	const iat = Math.floor(input.now / 1000);
	const lifetime = input.lifetimeSeconds && input.lifetimeSeconds > 0 ? input.lifetimeSeconds : ASSERTION_LIFETIME_SECONDS;
	return {
		iss: input.clientId,
		sub: input.clientId,
		aud: input.audience,
		jti: input.jti ?? randomUUID(),
		iat,
		exp: iat + lifetime,
	};
}

export function isAssertionAlgorithm(value: unknown): value is AssertionAlgorithm {
	return typeof value === 'string' && (ASSERTION_ALGORITHMS as readonly string[]).includes(value);
}

/** The key as a KeyObject, with an error that says what is wrong when it is not a usable private key. */
export function privateKeyOf(text: string): KeyObject {
	const pem = pemText(text) ?? '';
	if (!pem) throw new OAuth2ConfigError('The private key is missing; private key JWT needs the PEM private key of the client.', 'privateKey');
	const label = pemLabelOf(pem);
	if (!label) {
		throw new OAuth2ConfigError(
			'The private key is not in PEM format; paste the text from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY----- (PKCS#8, or RSA/EC PRIVATE KEY).',
			'privateKey',
		);
	}
	if (!label.includes('PRIVATE KEY')) {
		throw new OAuth2ConfigError(
			`The private key field holds a "${label}" block, not a private key; the server keeps the public key or certificate, the credential needs the private key.`,
			'privateKey',
		);
	}
	if (label.startsWith('ENCRYPTED') || /Proc-Type: 4,ENCRYPTED/.test(pem)) {
		throw new OAuth2ConfigError(
			'The private key is encrypted with a passphrase; export it without one (e.g. openssl pkey -in key.pem -out plain.pem).',
			'privateKey',
		);
	}
	const key = parsed(() => createPrivateKey({ key: pem, format: 'pem' }));
	if ('failure' in key) {
		throw new OAuth2ConfigError(`The private key is not a valid PEM private key: its content could not be read (${key.failure}).`, 'privateKey');
	}
	return key.value;
}

function describeKey(key: KeyObject): string {
	const details = key.asymmetricKeyDetails ?? {};
	if (key.asymmetricKeyType === 'ec') return `an EC key on ${details.namedCurve ?? 'an unknown curve'}`;
	if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return `a ${details.modulusLength ?? '?'}-bit RSA key`;
	return `an ${String(key.asymmetricKeyType).toUpperCase()} key`;
}

/** Throws an OAuth2ConfigError when the key cannot sign with the algorithm. */
export function checkKeyFitsAlgorithm(key: KeyObject, algorithm: AssertionAlgorithm): void {
	const type = key.asymmetricKeyType;
	const details = key.asymmetricKeyDetails ?? {};
	const fits =
		algorithm === 'ES256'
			? type === 'ec' && details.namedCurve === 'prime256v1'
			: (type === 'rsa' || (type === 'rsa-pss' && algorithm === 'PS256')) && (details.modulusLength ?? 0) >= MIN_RSA_BITS;
	if (fits) return;
	const wanted = algorithm === 'ES256' ? 'an EC key on the P-256 curve' : `an RSA key of at least ${MIN_RSA_BITS} bits`;
	const suggestion =
		type === 'ec' && details.namedCurve === 'prime256v1'
			? ' Choose ES256.'
			: (type === 'rsa' || type === 'rsa-pss') && (details.modulusLength ?? 0) >= MIN_RSA_BITS
				? ' Choose RS256 or PS256.'
				: '';
	throw new OAuth2ConfigError(
		`The private key does not match the signing algorithm ${algorithm}: it is ${describeKey(key)}, ${algorithm} needs ${wanted}.${suggestion}`,
		'signingAlgorithm',
	);
}

function signature(algorithm: AssertionAlgorithm, key: KeyObject, data: Buffer): Buffer {
	switch (algorithm) {
		case 'RS256':
			return sign('sha256', data, key);
		case 'PS256':
			// RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the digest.
			return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
		case 'ES256':
			// JWS wants R || S (RFC 7518 §3.4), not the DER structure node:crypto produces by default.
			return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
	}
}

/**
 * RFC 7515 §4.1.7/§4.1.8: the SHA-1 and SHA-256 thumbprints of the certificate's DER, base64url. Servers
 * such as Microsoft Entra ID find the client's key by them instead of a kid.
 */
function thumbprintsOf(certificateText: string, key: KeyObject): Record<string, string> {
	const certificate = firstCertificateOf(certificateText, 'privateKeyCertificate', 'certificate of the private key');
	if (!certificate.checkPrivateKey(key)) {
		throw new OAuth2ConfigError(
			'The certificate of the private key does not belong to the private key; paste the certificate registered for this key.',
			'privateKeyCertificate',
		);
	}
	return {
		x5t: base64Url(createHash('sha1').update(certificate.raw).digest()),
		'x5t#S256': base64Url(createHash('sha256').update(certificate.raw).digest()),
	};
}

/** A private_key_jwt assertion: RS256, PS256 or ES256 over the RFC 7523 claims, with `kid` and x5t when given. */
export function privateKeyAssertion(input: PrivateKeyAssertion): string {
	const algorithm = input.algorithm ?? DEFAULT_ASSERTION_ALGORITHM;
	if (!isAssertionAlgorithm(algorithm)) {
		throw new OAuth2ConfigError(`The signing algorithm "${String(algorithm)}" is not supported; use RS256, PS256 or ES256.`, 'signingAlgorithm');
	}
	const key = privateKeyOf(input.privateKey);
	checkKeyFitsAlgorithm(key, algorithm);
	const header: Record<string, string> = { alg: algorithm, typ: 'JWT' };
	const kid = typeof input.keyId === 'string' ? input.keyId.trim() : '';
	if (kid) header.kid = kid;
	if (typeof input.certificate === 'string' && input.certificate.trim()) Object.assign(header, thumbprintsOf(input.certificate, key));
	const signingInput = `${segment(header)}.${segment(claimsOf(input))}`;
	return `${signingInput}.${base64Url(signature(algorithm, key, Buffer.from(signingInput, 'ascii')))}`;
}

/** A client_secret_jwt assertion: HS256 keyed with the client secret. */
export function secretAssertion(input: SecretAssertion): string {
	if (typeof input.clientSecret !== 'string' || input.clientSecret.length === 0) {
		throw new OAuth2ConfigError('The client secret is missing; client secret JWT signs the assertion with it.', 'clientSecret');
	}
	const signingInput = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(claimsOf(input))}`;
	const mac = createHmac('sha256', Buffer.from(input.clientSecret, 'utf8')).update(signingInput, 'ascii').digest();
	return `${signingInput}.${base64Url(mac)}`;
}
