// What a failure without any response means, decided once for token requests and API requests: the
// socket or TLS code (and, for an abort, the client's own words) gives the kind; each caller words
// the kind for its own request.

export type NoResponseKind =
	| 'refused'
	| 'timeout'
	/** ECONNABORTED: a timeout for most clients, a plain abort otherwise; `said` tells. */
	| 'aborted'
	| 'closed'
	| 'unresolved'
	/** The server ended the TLS handshake with an alert (often: it wants a client certificate). */
	| 'tlsAlert'
	/** This side did not accept the server's certificate. */
	| 'certificate'
	| 'other';

const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isTlsAlert(code: string | undefined): boolean {
	return typeof code === 'string' && /^ERR_SSL_.*ALERT/.test(code);
}

export function noResponseKindOf(code: string | undefined, said = ''): NoResponseKind {
	if (isTlsAlert(code)) return 'tlsAlert';
	if (code !== undefined && CERTIFICATE_CODES.has(code)) return 'certificate';
	switch (code) {
		case 'ECONNREFUSED':
			return 'refused';
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
			return 'timeout';
		case 'ECONNABORTED':
			return /timeout/i.test(said) ? 'timeout' : 'aborted';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'closed';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'unresolved';
		default:
			return 'other';
	}
}
