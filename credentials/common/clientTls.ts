import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normaliseTls, type ClientTls } from '../../engine/tls';

/**
 * TLS options as n8n's HTTP helpers take them (`agentOptions`, handed to Node's https.Agent): honoured
 * by `helpers.request` on n8n 1.x and 2.x, and by `helpers.httpRequest` on 2.x only.
 */
export interface AgentOptions {
	cert?: string;
	key?: string;
	passphrase?: string;
	ca?: string;
}

/**
 * A PEM text as pasted into the form: a one-line field sometimes turns its line breaks into literal
 * "\\n". Repaired here, once, for every PEM field the credential hands the engine.
 */
export function pastedPem(value: unknown): string {
	return typeof value === 'string' ? value.replace(/\\n/g, '\n') : '';
}

/**
 * The certificate material of a credential, when it is in use: always for TLS Client Certificate, for
 * any other method only with "Use Client Certificate" on (the fields may still hold old values then).
 */
export function clientTlsOf(data: ICredentialDataDecryptedObject): ClientTls | undefined {
	const inUse = data.clientAuthentication === 'tlsClientAuth' || data.useClientCertificate === true;
	if (!inUse) return undefined;
	return normaliseTls({
		cert: pastedPem(data.clientCertificate),
		key: pastedPem(data.clientCertificateKey),
		passphrase: typeof data.clientCertificatePassphrase === 'string' ? data.clientCertificatePassphrase : '',
		ca: pastedPem(data.caCertificate),
	});
}

/** The material API requests present, when the credential asks for it. */
export function apiTlsOf(data: ICredentialDataDecryptedObject): ClientTls | undefined {
	return data.useClientCertificateForApi === true ? clientTlsOf(data) : undefined;
}

export function agentOptionsOf(tls: ClientTls): AgentOptions {
	const options: AgentOptions = {};
	if (tls.cert) options.cert = tls.cert;
	if (tls.key) options.key = tls.key;
	if (tls.passphrase) options.passphrase = tls.passphrase;
	if (tls.ca) options.ca = tls.ca;
	return options;
}
