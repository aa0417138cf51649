// Classifies and records every token request, whichever server handles it and however it ends,
// so tests can assert how the package authenticated (Basic vs body) and how often it asked.

import { parseBasic, parseParams } from './http-util.mjs';

/** The subject of the client certificate the TLS connection presented (verified or not), or undefined. */
function clientCertificateOf(req) {
	const peer = typeof req.socket?.getPeerX509Certificate === 'function' ? req.socket.getPeerX509Certificate() : undefined;
	return peer ? peer.subject.replace(/\n/g, ',') : undefined;
}

/**
 * Which form of Basic credentials a header carries, as far as it shows: "same" when form-decoding
 * changes nothing, "raw" when it fails or the change is not of %XX escapes (a raw +), else "encoded".
 */
function basicFormOf(header) {
	const raw = parseBasic(header, 'raw');
	const rfc = parseBasic(header, 'rfc');
	if (!raw || raw.malformed) return undefined;
	if (!rfc || rfc.malformed) return 'raw';
	const changed = rfc.clientId !== raw.clientId || rfc.clientSecret !== raw.clientSecret;
	if (!changed) return 'same';
	return /%[0-9A-Fa-f]{2}/.test(`${raw.clientId}:${raw.clientSecret}`) ? 'encoded' : 'raw';
}

/** What a token request says about itself, read the same way for all four token endpoints. */
export function describeTokenRequest(req, body) {
	const params = parseParams(req, body) ?? {};
	const header = req.headers.authorization;
	let basic = parseBasic(header, 'rfc');
	// A raw (not form-encoded) secret may not form-decode; the client id is still worth logging.
	if (basic?.malformed) basic = parseBasic(header, 'raw');
	const isBasic = typeof header === 'string' && /^\s*basic\b/i.test(header);
	return {
		basicForm: isBasic ? basicFormOf(header) : undefined,
		grant: typeof params.grant_type === 'string' ? params.grant_type : undefined,
		clientId: basic?.clientId || (typeof params.client_id === 'string' ? params.client_id : undefined),
		authMethod: isBasic
			? 'basic'
			: params.client_secret !== undefined
				? 'body'
				: params.client_assertion !== undefined
					? 'assertion'
					: 'none',
		contentType: req.headers['content-type'],
		clientCertificate: clientCertificateOf(req),
	};
}

/** Counts the request now and fills in its status when (if ever) the response is sent. */
export function recordTokenRequest(stats, endpoint, req, res, body) {
	const entry = stats.recordToken({ endpoint, ...describeTokenRequest(req, body) });
	res.on('finish', () => {
		entry.status = res.statusCode;
	});
	// oidc-provider reports why it refused a client (its error_detail) through this entry.
	req.labTokenEntry = entry;
	return entry;
}
