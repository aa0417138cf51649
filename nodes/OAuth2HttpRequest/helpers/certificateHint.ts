import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { apiTlsOf } from '../../../credentials/common/clientTls';

/** Codes and words of a TLS connection that failed over certificates, in the error or its causes. */
const TLS_FAILURE = /CERT|ERR_SSL|ALERT|ECONNRESET|certificate|handshake|socket hang up/i;

function describes(error: unknown): string {
	const parts: string[] = [];
	let current = error as { message?: unknown; code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		parts.push(String(current.message ?? ''), String(current.code ?? ''));
		current = current.cause as typeof current;
	}
	return parts.join(' ');
}

/**
 * What to check when an API request that should present the credential's client certificate failed at
 * the TLS level. n8n 1.x's httpRequest, which this node uses, drops client certificates (2.x passes them
 * on); n8n's HTTP Request node uses the older helper, which presents them on both lines.
 */
export function certificateHintFor(failure: unknown, credentials: ICredentialDataDecryptedObject): string | undefined {
	if (!apiTlsOf(credentials) || !TLS_FAILURE.test(describes(failure))) return undefined;
	return (
		'This credential presents a client certificate to the API. On n8n 1.x this node cannot: n8n 1.x drops client certificates from its requests. ' +
		"There, use n8n's HTTP Request node with this credential, which presents the certificate. On n8n 2.x, check the client certificate, its key and the CA certificates."
	);
}
