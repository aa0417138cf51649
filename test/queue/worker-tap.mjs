// A forward HTTP proxy for one n8n worker (its HTTP_PROXY), recording what that worker sent.
// The lab counts token and API requests for all processes together; this tells them apart, so
// "at most one token request per worker" is measured per worker, not inferred from a total.
import http from 'node:http';

export async function startWorkerTap(name) {
	const log = [];
	const server = http.createServer((req, res) => {
		let target;
		try {
			// A proxied plain-HTTP request carries the absolute URL.
			target = new URL(req.url);
		} catch {
			res.writeHead(400).end('absolute URL expected');
			return;
		}
		const entry = { worker: name, method: req.method, host: target.host, path: target.pathname, status: null, at: Date.now() };
		log.push(entry);
		const upstream = http.request(
			target,
			{ method: req.method, headers: { ...req.headers, host: target.host } },
			(response) => {
				entry.status = response.statusCode;
				res.writeHead(response.statusCode, response.headers);
				response.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			entry.status = `error: ${error.message}`;
			res.destroy();
		});
		req.pipe(upstream);
	});
	// n8n sends https through CONNECT tunnels; the lab is plain HTTP, so a tunnel means a test bug.
	server.on('connect', (req, socket) => {
		log.push({ worker: name, method: 'CONNECT', host: req.url, path: '', status: 405, at: Date.now() });
		socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		name,
		url: `http://127.0.0.1:${server.address().port}`,
		log: () => [...log],
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}
