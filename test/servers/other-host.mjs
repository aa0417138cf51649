// A second origin. Redirect tests send the client here and then check it never carried the token along.

import http from 'node:http';

import { sendJson } from './http-util.mjs';

function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		const onError = (err) => reject(err);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve(server.address().port);
		});
	});
}

export async function startOtherHost({ stats, port = 0 }) {
	const server = http.createServer((req, res) => {
		stats.recordOtherHost({ method: req.method, path: new URL(req.url, 'http://other').pathname, url: req.url, headers: { ...req.headers } });
		req.resume();
		sendJson(res, 200, { otherHost: true, path: new URL(req.url, 'http://other').pathname });
	});

	// 127.0.0.2 is a different host to an HTTP client (different origin, different cookie jar); Linux
	// routes all of 127/8 to loopback, other systems may not, hence the fallback.
	let host = '127.0.0.2';
	let fallback = false;
	let boundPort;
	try {
		boundPort = await listen(server, port, host);
	} catch {
		host = 'localhost';
		fallback = true;
		boundPort = await listen(server, port, host);
	}

	return {
		url: `http://${host}:${boundPort}`,
		fallback,
		close() {
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
