// The lab's HTTPS listeners for mutual TLS (RFC 8705). Both serve every lab route with the test PKI's
// server certificate and ask the client for a certificate:
// - `mtls` lets every client in and leaves the judgement to oidc-provider (tls_client_auth answers
//   invalid_client for a missing or untrusted certificate), as most token endpoints do;
// - `strict` ends the TLS handshake unless the client shows a certificate the lab CA issued, as an
//   API gateway that enforces mTLS does.

import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

/** The PEMs of a PKI folder written by pki.mjs. */
export function readPki(dir) {
	const read = (file) => fs.readFileSync(path.join(dir, file), 'utf8');
	return { ca: read('ca.pem'), cert: read('server.pem'), key: read('server.key') };
}

function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(server.address().port);
		});
	});
}

/**
 * Starts both listeners with `handler(req, res)`. `pki`: `{ ca, cert, key }` PEMs.
 * Resolves to `{ mtlsUrl, strictUrl, close() }`.
 */
export async function startMtlsListeners({ pki, handler, port = 0, strictPort = 0 }) {
	const tls = { ca: pki.ca, cert: pki.cert, key: pki.key, requestCert: true };
	const lenient = https.createServer({ ...tls, rejectUnauthorized: false }, handler);
	const strict = https.createServer({ ...tls, rejectUnauthorized: true }, handler);
	for (const server of [lenient, strict]) server.keepAliveTimeout = 1000;
	const mtlsPort = await listen(lenient, port);
	const strictListenPort = await listen(strict, strictPort);
	const close = () =>
		Promise.all(
			[lenient, strict].map(
				(server) =>
					new Promise((resolve) => {
						server.close(() => resolve());
						server.closeAllConnections();
					}),
			),
		).then(() => undefined);
	return { mtlsUrl: `https://127.0.0.1:${mtlsPort}`, strictUrl: `https://127.0.0.1:${strictListenPort}`, close };
}
