import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../../../../../nodes/OAuth2HttpRequest/defaults';
import { buildItemRequest } from '../../../../../nodes/OAuth2HttpRequest/request/buildRequest';
import type { Params } from '../../../../support/fakeN8n';
import { binaryItem, fakeContext } from '../../../../support/fakeN8n';

const BASE = 'https://api.example.com/v1';

async function build(params: Params, items?: INodeExecutionData[], itemIndex = 0) {
	return await buildItemRequest(fakeContext({ params: { method: 'GET', url: '/things', ...params }, items }), itemIndex, BASE);
}

/** Splits a multipart body into its parts: headers and content. */
function parseMultipart(body: Buffer, contentType: string) {
	const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
	expect(boundary).toBeDefined();
	const text = body.toString('latin1');
	expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
	return text
		.split(`--${boundary}`)
		.slice(1, -1)
		.map((chunk) => {
			const [head, ...rest] = chunk.slice(2, -2).split('\r\n\r\n');
			return { head, content: Buffer.from(rest.join('\r\n\r\n'), 'latin1') };
		});
}

describe('buildItemRequest: basics', () => {
	it('builds a GET with defaults like the HTTP Request node', async () => {
		const { options, bodyType, reloadBody, response } = await build({});
		expect(options).toEqual({
			method: 'GET',
			url: 'https://api.example.com/v1/things',
			headers: { accept: expect.stringContaining('application/json') },
			arrayFormat: 'brackets',
			encoding: 'arraybuffer',
			timeout: DEFAULT_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		expect(bodyType).toBeUndefined();
		expect(reloadBody).toBeUndefined();
		expect(response).toEqual({
			responseFormat: 'autodetect',
			fullResponse: false,
			neverError: false,
			outputPropertyName: 'data',
			url: 'https://api.example.com/v1/things',
		});
	});

	it('keeps an absolute URL and joins a relative one', async () => {
		expect((await build({ url: 'https://other.example.org/x' })).options.url).toBe('https://other.example.org/x');
		await expect(buildItemRequest(fakeContext({ params: { method: 'GET', url: '/x' } }), 0)).rejects.toThrow(
			'is relative but the credential has no API base URL',
		);
	});

	it('reports a wrong URL as a NodeOperationError of the item', async () => {
		const error = await buildItemRequest(fakeContext({ params: { method: 'GET', url: '/x' }, items: [{ json: {} }, { json: {} }] }), 1).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.context.itemIndex).toBe(1);
	});

	it('reads parameters of the item it builds', async () => {
		const context = fakeContext({
			params: { method: 'GET', url: '/things' },
			perItem: [{ url: '/first' }, { url: '/second', method: 'DELETE' }],
			items: [{ json: {} }, { json: {} }],
		});
		const second = await buildItemRequest(context, 1, BASE);
		expect(second.options.method).toBe('DELETE');
		expect(second.options.url).toBe('https://api.example.com/v1/second');
		expect(context.calls.getNodeParameter.every((call) => call.itemIndex === 1)).toBe(true);
	});

	it('refuses a method it does not know', async () => {
		await expect(build({ method: 'BREW' })).rejects.toThrow('"BREW" is not a supported method');
	});

	it('applies timeout, SSL and proxy options; redirects are the sender\'s (transport/send.ts)', async () => {
		const { options } = await build({
			options: {
				timeout: 1234,
				allowUnauthorizedCerts: true,
				proxy: 'http://user:p%40ss@proxy.local:3128',
				redirect: { redirect: { followRedirects: false, maxRedirects: 3 } },
			},
		});
		expect(options.timeout).toBe(1234);
		expect(options.skipSslCertificateValidation).toBe(true);
		expect(options.proxy).toEqual({ protocol: 'http', host: 'proxy.local', port: 3128, auth: { username: 'user', password: 'p@ss' } });
		expect(options.maxRedirects).toBeUndefined();
		expect(options.disableFollowRedirect).toBeUndefined();
	});

	it('reports a proxy that is not an address as a NodeOperationError of the item', async () => {
		const error = await build({ options: { proxy: 'http://' } }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('is not a valid address');
	});

	it('passes the response options on', async () => {
		const { response, options } = await build({
			options: { response: { response: { responseFormat: 'text', fullResponse: true, neverError: true, outputPropertyName: 'page' } } },
		});
		expect(response).toMatchObject({ responseFormat: 'text', fullResponse: true, neverError: true, outputPropertyName: 'page' });
		expect(options.headers?.accept).toBe('application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1');
		const json = await build({ options: { response: { response: { responseFormat: 'json' } } } });
		expect(json.options.headers?.accept).toBe('application/json,text/*;q=0.99');
	});
});

describe('buildItemRequest: query parameters', () => {
	it('reads fields, collects repeated names and skips empty names', async () => {
		const { options } = await build({
			sendQuery: true,
			specifyQuery: 'keypair',
			queryParameters: {
				parameters: [
					{ name: 'status', value: 'open' },
					{ name: 'tag', value: 'a' },
					{ name: 'tag', value: 'b' },
					{ name: '', value: 'ignored' },
					{ name: 'page', value: 2 },
				],
			},
		});
		expect(options.qs).toEqual({ status: 'open', tag: ['a', 'b'], page: 2 });
	});

	it('reads JSON text or an object from an expression', async () => {
		expect((await build({ sendQuery: true, specifyQuery: 'json', jsonQuery: '{"ids":[1,2],"q":"x"}' })).options.qs).toEqual({ ids: [1, 2], q: 'x' });
		expect((await build({ sendQuery: true, specifyQuery: 'json', jsonQuery: { a: 1 } })).options.qs).toEqual({ a: 1 });
		expect((await build({ sendQuery: true, specifyQuery: 'json', jsonQuery: '  ' })).options.qs).toBeUndefined();
	});

	it('names the parameter when the JSON is broken or not an object', async () => {
		const error = await build({ sendQuery: true, specifyQuery: 'json', jsonQuery: '{"a":' }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('"JSON Query Parameters" (jsonQuery) is not valid JSON');
		expect(error.description).toContain('JSON');
		await expect(build({ sendQuery: true, specifyQuery: 'json', jsonQuery: '[1]' })).rejects.toThrow(
			'"JSON Query Parameters" (jsonQuery) must be a JSON object',
		);
	});

	it.each([
		[undefined, 'brackets'],
		['brackets', 'brackets'],
		['indices', 'indices'],
		['repeat', 'repeat'],
	])('uses array format %s -> %s', async (setting, expected) => {
		const { options } = await build({
			sendQuery: true,
			specifyQuery: 'json',
			jsonQuery: '{"ids":[1,2]}',
			options: setting ? { queryParameterArrays: setting } : {},
		});
		expect(options.arrayFormat).toBe(expected);
	});

	it('ignores query parameters when Send Query Parameters is off', async () => {
		const { options } = await build({ sendQuery: false, queryParameters: { parameters: [{ name: 'a', value: '1' }] } });
		expect(options.qs).toBeUndefined();
	});
});

describe('buildItemRequest: headers', () => {
	const headerParams = {
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: {
			parameters: [
				{ name: 'X-Source', value: 'n8n' },
				{ name: 'Accept', value: 'text/csv' },
				{ name: ' ', value: 'ignored' },
			],
		},
	};

	it('lowercases header names by default and keeps the Accept the user set', async () => {
		const { options } = await build(headerParams);
		expect(options.headers).toEqual({ 'x-source': 'n8n', accept: 'text/csv' });
	});

	it('keeps the case when Lowercase Headers is off', async () => {
		const { options } = await build({ ...headerParams, options: { lowercaseHeaders: false } });
		expect(options.headers).toEqual({ 'X-Source': 'n8n', Accept: 'text/csv' });
	});

	it('reads JSON headers', async () => {
		const { options } = await build({ sendHeaders: true, specifyHeaders: 'json', jsonHeaders: '{"X-Count": 3}' });
		expect(options.headers).toEqual({ 'x-count': '3', accept: expect.any(String) });
		await expect(build({ sendHeaders: true, specifyHeaders: 'json', jsonHeaders: '{nope}' })).rejects.toThrow(
			'"JSON Headers" (jsonHeaders) is not valid JSON',
		);
	});
});

describe('buildItemRequest: body', () => {
	it('builds a JSON body from fields, with dotted paths and list indexes', async () => {
		const { options, bodyType } = await build({
			method: 'POST',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'name', value: 'Ada' },
					{ name: 'address.city', value: 'London' },
					{ name: 'tags[1]', value: 'vip' },
					{ name: 'count', value: 3 },
					{ name: '', value: 'ignored' },
				],
			},
		});
		expect(bodyType).toBe('json');
		expect(options.body).toEqual({ name: 'Ada', address: { city: 'London' }, tags: [undefined, 'vip'], count: 3 });
		expect(options.headers?.['content-type']).toBe('application/json');
	});

	it('refuses a field name that reaches the prototype', async () => {
		await expect(
			build({ method: 'POST', sendBody: true, contentType: 'json', bodyParameters: { parameters: [{ name: '__proto__.x', value: 1 }] } }),
		).rejects.toThrow('The field name "__proto__.x" is not allowed');
	});

	it('builds a JSON body from JSON text, an object, a list or a scalar', async () => {
		const body = async (jsonBody: unknown) =>
			(await build({ method: 'POST', sendBody: true, contentType: 'json', specifyBody: 'json', jsonBody })).options.body;
		expect(await body('{"a":{"b":[1,2]}}')).toEqual({ a: { b: [1, 2] } });
		expect(await body({ a: 1 })).toEqual({ a: 1 });
		expect(await body('[1,2]')).toEqual([1, 2]);
		expect(await body('"text"')).toBe('"text"');
		expect(await body('{}')).toBe('{}');
		expect(await body('')).toBeUndefined();
		await expect(body('{"a": }')).rejects.toThrow('"JSON Body" (jsonBody) is not valid JSON');
	});

	it('keeps a Content-Type the user set for JSON', async () => {
		const { options } = await build({
			method: 'POST',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: '{"a":1}',
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Content-Type', value: 'application/vnd.api+json' }] },
		});
		expect(options.headers).toMatchObject({ 'content-type': 'application/vnd.api+json' });
	});

	it('encodes form fields, repeating a name given twice, and replaces the Content-Type', async () => {
		const { options, bodyType } = await build({
			method: 'POST',
			sendBody: true,
			contentType: 'form-urlencoded',
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'grant', value: 'a b&c' },
					{ name: 'scope', value: 'x' },
					{ name: 'scope', value: 'y' },
				],
			},
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Content-Type', value: 'text/plain' }] },
			options: { lowercaseHeaders: false },
		});
		expect(bodyType).toBe('form-urlencoded');
		expect(options.body).toBe('grant=a%20b%26c&scope=x&scope=y');
		expect(options.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded' });
		expect(options.headers?.['Content-Type']).toBeUndefined();
	});

	it('sends a form written as one string as it is', async () => {
		const { options } = await build({ method: 'POST', sendBody: true, contentType: 'form-urlencoded', specifyBody: 'string', body: 'a=1&b=2' });
		expect(options.body).toBe('a=1&b=2');
	});

	it('sends raw text with its content type', async () => {
		const { options, bodyType } = await build({
			method: 'PUT',
			sendBody: true,
			contentType: 'raw',
			rawContentType: 'text/xml',
			body: '<a>1</a>',
		});
		expect(bodyType).toBe('raw');
		expect(options.body).toBe('<a>1</a>');
		expect(options.headers?.['content-type']).toBe('text/xml');
	});

	it('sends a binary file as the body, with its MIME type, and can read it again', async () => {
		const items = [binaryItem('file', 'PDFDATA', 'application/pdf', 'report.pdf')];
		const request = await build({ method: 'POST', sendBody: true, contentType: 'binaryData', inputDataFieldName: 'file' }, items);
		expect(request.bodyType).toBe('binaryData');
		expect(Buffer.isBuffer(request.options.body)).toBe(true);
		expect((request.options.body as Buffer).toString()).toBe('PDFDATA');
		expect(request.options.headers?.['content-type']).toBe('application/pdf');
		const again = await request.reloadBody!();
		expect((again as Buffer).toString()).toBe('PDFDATA');
	});

	it('lets the user override the binary Content-Type and reports a missing field', async () => {
		const items = [binaryItem('file', 'x', 'application/pdf')];
		const { options } = await build(
			{
				method: 'POST',
				sendBody: true,
				contentType: 'binaryData',
				inputDataFieldName: 'file',
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'Content-Type', value: 'application/x-custom' }] },
			},
			items,
		);
		expect(options.headers?.['content-type']).toBe('application/x-custom');
		await expect(build({ method: 'POST', sendBody: true, contentType: 'binaryData', inputDataFieldName: 'other' }, items)).rejects.toThrow("binary file 'other'");
		await expect(build({ method: 'POST', sendBody: true, contentType: 'binaryData', inputDataFieldName: ' ' }, items)).rejects.toThrow(
			'Input Data Field Name is empty',
		);
	});

	it('builds a multipart body with text fields and a file', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0d, 0x0a]);
		const items = [binaryItem('photo', png, 'image/png', 'me "1".png')];
		const request = await build(
			{
				method: 'POST',
				sendBody: true,
				contentType: 'multipart-form-data',
				bodyParameters: {
					parameters: [
						{ parameterType: 'formData', name: 'title', value: 'Grüße' },
						{ parameterType: 'formBinaryData', name: 'upload', inputDataFieldName: 'photo' },
						{ parameterType: 'formBinaryData', name: 'skipped', inputDataFieldName: '' },
						{ parameterType: 'formData', name: 'count', value: 2 },
						{ name: '', value: '' },
					],
				},
			},
			items,
		);
		expect(request.bodyType).toBe('multipart-form-data');
		const contentType = String(request.options.headers?.['content-type']);
		expect(contentType).toMatch(/^multipart\/form-data; boundary=-+n8nOAuth2Boundary[0-9a-f]{24}$/);
		const parts = parseMultipart(request.options.body as Buffer, contentType);
		expect(parts).toHaveLength(3);
		expect(parts[0].head).toBe('Content-Disposition: form-data; name="title"');
		expect(parts[0].content.toString('utf8')).toBe('Grüße');
		expect(parts[1].head).toBe('Content-Disposition: form-data; name="upload"; filename="me %221%22.png"\r\nContent-Type: image/png');
		expect(parts[1].content.equals(png)).toBe(true);
		expect(parts[2].content.toString()).toBe('2');

		const again = (await request.reloadBody!()) as Buffer;
		expect(again.equals(request.options.body as Buffer)).toBe(true);
	});

	it('sends no body for HEAD and OPTIONS', async () => {
		for (const method of ['HEAD', 'OPTIONS']) {
			const { options, bodyType } = await build({ method, sendBody: true, contentType: 'raw', body: 'x' });
			expect(options.body).toBeUndefined();
			expect(bodyType).toBeUndefined();
		}
	});

	it('ignores body parameters when Send Body is off', async () => {
		const { options } = await build({ method: 'POST', sendBody: false, contentType: 'raw', body: 'x' });
		expect(options.body).toBeUndefined();
		expect((options.headers as IDataObject)['content-type']).toBeUndefined();
	});
});
