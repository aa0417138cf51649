// Mutual TLS (RFC 8705) material: the client certificate and key the token request (and, when asked,
// the API requests) present, and a CA bundle to trust. Checked here, before anything is sent, so a
// pasted public key or a wrong passphrase is named as such instead of failing inside the TLS stack.

import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

import { OAuth2ConfigError, type ConfigField } from './error';

/** PEM texts, as the transport hands them to the TLS stack (Node's `cert`, `key`, `passphrase`, `ca`). */
export interface ClientTls {
	/** The client certificate, optionally followed by its intermediate certificates. */
	cert?: string;
	key?: string;
	passphrase?: string;
	/** CA certificates to trust for the server's certificate; they replace the system's list for these requests. */
	ca?: string;
}

/** A PEM text with CRLF line ends made LF; a host repairs pasted text (literal "\n") before it gets here. */
export function pemText(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim().replace(/\r\n/g, '\n');
	return text || undefined;
}

/** The material with empty fields dropped, or undefined when nothing is set. */
export function normaliseTls(tls: ClientTls | undefined): ClientTls | undefined {
	if (!tls || typeof tls !== 'object') return undefined;
	const result: ClientTls = {};
	const cert = pemText(tls.cert);
	const key = pemText(tls.key);
	const ca = pemText(tls.ca);
	if (cert) result.cert = cert;
	if (key) result.key = key;
	if (key && typeof tls.passphrase === 'string' && tls.passphrase.length > 0) result.passphrase = tls.passphrase;
	if (ca) result.ca = ca;
	return Object.keys(result).length > 0 ? result : undefined;
}

export function hasClientCertificate(tls: ClientTls | undefined): boolean {
	const normalised = normaliseTls(tls);
	return Boolean(normalised?.cert && normalised.key);
}

/** The value `parse` returns, or the code of what it threw ('unreadable' without one). */
export function parsed<T>(parse: () => T): { value: T } | { failure: string } {
	try {
		return { value: parse() };
	} catch (error) {
		const code = (error as { code?: unknown } | undefined)?.code;
		return { failure: typeof code === 'string' && code ? code : 'unreadable' };
	}
}

/** What kind of PEM block the text holds, to tell the user what they pasted instead of a private key. */
export function pemLabelOf(text: string): string | undefined {
	return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
}

/** The first certificate of a PEM text, with an error naming `field` when there is none. */
export function firstCertificateOf(text: string, field: ConfigField, what: string): X509Certificate {
	return certificatesOf(pemText(text) ?? '', field, what)[0];
}

function certificatesOf(text: string, field: ConfigField, what: string): X509Certificate[] {
	const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
	if (blocks.length === 0) {
		const label = pemLabelOf(text);
		throw new OAuth2ConfigError(
			`The ${what} is not a PEM certificate${label ? ` (it is a "${label}" block)` : ''}; paste the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.`,
			field,
		);
	}
	return blocks.map((block) => {
		const certificate = parsed(() => new X509Certificate(block));
		if ('failure' in certificate) {
			throw new OAuth2ConfigError(`The ${what} is not a valid PEM certificate: its content could not be read (${certificate.failure}).`, field);
		}
		return certificate.value;
	});
}

function clientKeyOf(tls: ClientTls): KeyObject {
	const text = tls.key as string;
	const label = pemLabelOf(text);
	if (label && !label.includes('PRIVATE KEY')) {
		throw new OAuth2ConfigError(
			`The client certificate key is a "${label}" block, not a private key; paste the private key that belongs to the client certificate.`,
			'tls.key',
		);
	}
	const key = parsed(() => createPrivateKey({ key: text, format: 'pem', passphrase: tls.passphrase }));
	if ('value' in key) return key.value;
	const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(text);
	if (encrypted) {
		throw new OAuth2ConfigError(
			tls.passphrase
				? 'The client certificate key could not be decrypted: the passphrase is wrong.'
				: 'The client certificate key is encrypted; enter its passphrase.',
			'tls.passphrase',
		);
	}
	throw new OAuth2ConfigError(`The client certificate key is not a valid PEM private key (${key.failure}).`, 'tls.key');
}

/**
 * Throws an OAuth2ConfigError for material the TLS stack would refuse: a certificate without its key
 * (or the reverse), text that is not PEM, a wrong passphrase, or a key that does not belong to the
 * certificate.
 */
export function checkTls(tls: ClientTls | undefined): void {
	const material = normaliseTls(tls);
	if (!material) return;
	if (material.ca) certificatesOf(material.ca, 'tls.ca', 'CA certificate');
	if (!material.cert && !material.key) return;
	if (!material.cert) {
		throw new OAuth2ConfigError('The client certificate is missing; a client certificate key needs its certificate.', 'tls.cert');
	}
	if (!material.key) {
		throw new OAuth2ConfigError('The client certificate key is missing; the client certificate needs its private key.', 'tls.key');
	}
	const [leaf] = certificatesOf(material.cert, 'tls.cert', 'client certificate');
	const key = clientKeyOf(material);
	if (!leaf.checkPrivateKey(key)) {
		throw new OAuth2ConfigError(
			'The client certificate key does not belong to the client certificate; paste the private key the certificate was issued for.',
			'tls.key',
		);
	}
}

/** The secrets of the material, for masking: the key and its passphrase. */
export function tlsSecretsOf(tls: ClientTls | undefined): string[] {
	const material = normaliseTls(tls);
	const secrets: string[] = [];
	if (material?.key) secrets.push(material.key, ...pemBodyLinesOf(material.key));
	if (material?.passphrase) secrets.push(material.passphrase);
	return secrets;
}

/** The base64 body of a PEM block, joined and per line: what a log or echo could show of it. */
export function pemBodyLinesOf(text: string): string[] {
	const lines = text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line.length >= 16 && !line.startsWith('-----') && !line.includes(':'));
	return lines.length > 0 ? [lines.join(''), ...lines] : [];
}
