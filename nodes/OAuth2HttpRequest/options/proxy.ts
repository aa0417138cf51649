import type { IHttpRequestOptions } from 'n8n-workflow';

/**
 * Turns the Proxy option ("http://user:pass@host:3128", or "host:3128") into the object
 * IHttpRequestOptions wants. Throws a plain Error for anything that is not an address.
 */
export function parseProxy(value: string): NonNullable<IHttpRequestOptions['proxy']> {
	const text = value.trim();
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
	let parsed: URL | undefined;
	try {
		parsed = new URL(withScheme);
	} catch {
		parsed = undefined;
	}
	if (!parsed?.hostname) {
		throw new Error(`The proxy "${text}" is not a valid address, such as http://myproxy:3128`);
	}
	const protocol = parsed.protocol.replace(/:$/, '');
	const port = parsed.port ? Number(parsed.port) : protocol === 'https' ? 443 : 80;
	const proxy: NonNullable<IHttpRequestOptions['proxy']> = { protocol, host: parsed.hostname, port };
	if (parsed.username) {
		proxy.auth = {
			username: decodeURIComponent(parsed.username),
			password: decodeURIComponent(parsed.password),
		};
	}
	return proxy;
}
