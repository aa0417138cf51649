import { NodeOperationError } from 'n8n-workflow';

import { parseResponseOptions } from '../../../../../nodes/OAuth2HttpRequest/options/itemOptions';
import { decodeResponseBody, detectBodyKind, normalizeHeaders } from '../../../../../nodes/OAuth2HttpRequest/response/decodeBody';
import { fileNameFromContentDisposition, fileNameFromUrl } from '../../../../../nodes/OAuth2HttpRequest/response/fileName';
import { toOutputItems } from '../../../../../nodes/OAuth2HttpRequest/response/outputItems';
import type { ResponseConfig } from '../../../../../nodes/OAuth2HttpRequest/response/responseConfig';
import { binaryItem, fakeContext } from '../../../../support/fakeN8n';

const URL = 'https://api.example.com/v1/things';

function config(overrides: Partial<ResponseConfig> = {}): ResponseConfig {
	return { responseFormat: 'autodetect', fullResponse: false, neverError: false, outputPropertyName: 'data', url: URL, ...overrides };
}

function response(body: unknown, contentType?: string, extraHeaders: Record<string, unknown> = {}, statusCode = 200) {
	return {
		body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
		headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...extraHeaders },
		statusCode,
		statusMessage: 'OK',
	};
}

describe('toOutputItems: JSON', () => {
	it('outputs a JSON object as one item with pairedItem', async () => {
		const items = await toOutputItems(fakeContext(), 0, response('{"id":1,"name":"Ada"}', 'application/json; charset=utf-8'), config());
		expect(items).toEqual([{ json: { id: 1, name: 'Ada' }, pairedItem: { item: 0 } }]);
	});

	it('splits a JSON list into one item per entry, all paired with the input item', async () => {
		const context = fakeContext({ items: [{ json: {} }, { json: {} }, { json: {} }] });
		const items = await toOutputItems(context, 2, response('[{"id":1},{"id":2},3,null]', 'application/json'), config());
		expect(items).toEqual([
			{ json: { id: 1 }, pairedItem: { item: 2 } },
			{ json: { id: 2 }, pairedItem: { item: 2 } },
			{ json: { data: 3 }, pairedItem: { item: 2 } },
			{ json: {}, pairedItem: { item: 2 } },
		]);
		expect(await toOutputItems(context, 0, response('[]', 'application/json'), config())).toEqual([]);
	});

	it('treats +json types as JSON and an empty body as {}', async () => {
		expect((await toOutputItems(fakeContext(), 0, response('{"title":"Bad"}', 'application/problem+json'), config()))[0].json).toEqual({ title: 'Bad' });
		expect((await toOutputItems(fakeContext(), 0, response('', 'application/json'), config()))[0].json).toEqual({});
	});

	it('wraps the body with headers and status for Include Response Headers and Status', async () => {
		const items = await toOutputItems(
			fakeContext(),
			0,
			response('[1,2]', 'application/json', { 'X-Rate-Remaining': '9', Authorization: 'Bearer secret', 'set-cookie': ['a=1', 'b=2'] }, 201),
			config({ fullResponse: true }),
		);
		expect(items).toEqual([
			{
				json: {
					body: [1, 2],
					headers: { 'content-type': 'application/json', 'x-rate-remaining': '9', 'set-cookie': ['a=1', 'b=2'] },
					statusCode: 201,
					statusMessage: 'OK',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(items)).not.toContain('secret');
	});

	it('parses JSON whatever the content type with Response Format JSON, and fails clearly on bad JSON', async () => {
		expect((await toOutputItems(fakeContext(), 0, response('{"a":1}', 'text/plain'), config({ responseFormat: 'json' })))[0].json).toEqual({ a: 1 });
		const error = await toOutputItems(fakeContext(), 0, response('<html>', 'text/html'), config({ responseFormat: 'json' })).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('not valid JSON');
		expect(error.description).toContain('<html>');
	});

	it('fails on JSON that is not JSON, unless Never Error keeps it as text', async () => {
		await expect(toOutputItems(fakeContext(), 0, response('oops', 'application/json'), config())).rejects.toThrow(
			'The response says it is JSON (application/json) but its body is not valid JSON',
		);
		const items = await toOutputItems(fakeContext(), 0, response('oops', 'application/json', {}, 500), config({ neverError: true }));
		expect(items[0].json).toEqual({ data: 'oops' });
	});

	it('accepts a body the HTTP client already parsed', async () => {
		const items = await toOutputItems(fakeContext(), 0, { body: { a: 1 }, headers: { 'content-type': 'application/json' }, statusCode: 200 }, config());
		expect(items[0].json).toEqual({ a: 1 });
	});
});

describe('toOutputItems: text', () => {
	it('keeps text as it is in the output field', async () => {
		const items = await toOutputItems(fakeContext(), 0, response('<p>Hi</p>', 'text/html'), config());
		expect(items).toEqual([{ json: { data: '<p>Hi</p>' }, pairedItem: { item: 0 } }]);
	});

	it('keeps a JSON body byte for byte with Response Format Text, in the chosen field, with status', async () => {
		const items = await toOutputItems(
			fakeContext(),
			0,
			response('{ "a" : 1 }', 'application/json'),
			config({ responseFormat: 'text', outputPropertyName: 'raw', fullResponse: true }),
		);
		expect(items[0].json).toEqual({ raw: '{ "a" : 1 }', headers: { 'content-type': 'application/json' }, statusCode: 200, statusMessage: 'OK' });
	});

	it('decodes the charset of the response', async () => {
		const latin1 = Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]);
		const items = await toOutputItems(fakeContext(), 0, response(latin1, 'text/plain; charset=ISO-8859-1'), config());
		expect(items[0].json.data).toBe('Grüße');
	});

	it('reads text without a content type as text', async () => {
		expect((await toOutputItems(fakeContext(), 0, response('plain words'), config()))[0].json).toEqual({ data: 'plain words' });
	});
});

describe('toOutputItems: file', () => {
	const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe]);

	it('stores a binary response as a file named by Content-Disposition, keeping the input item', async () => {
		const input = binaryItem('original', 'x', 'text/plain', 'x.txt', { orderId: 7 });
		const context = fakeContext({ items: [input] });
		const items = await toOutputItems(
			context,
			0,
			response(pdf, 'application/pdf', { 'Content-Disposition': 'attachment; filename="invoice 7.pdf"' }),
			config(),
		);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({ orderId: 7 });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(Object.keys(items[0].binary!)).toEqual(['original', 'data']);
		expect(items[0].binary!.data).toMatchObject({ fileName: 'invoice 7.pdf', mimeType: 'application/pdf' });
		expect(Buffer.from(items[0].binary!.data.data, 'base64').equals(pdf)).toBe(true);
		expect(input.binary!.data).toBeUndefined();
	});

	it('names a file after the URL, or after the output field', async () => {
		const fromUrl = await toOutputItems(fakeContext(), 0, response(pdf, 'application/pdf'), config({ url: 'https://x.test/files/report%201.pdf?v=2' }));
		expect(fromUrl[0].binary!.data.fileName).toBe('report 1.pdf');
		const stem = await toOutputItems(fakeContext(), 0, response(pdf, 'application/pdf'), config({ url: 'https://x.test/files/latest' }));
		expect(stem[0].binary!.data.fileName).toBe('latest.pdf');
		const field = await toOutputItems(fakeContext(), 0, response(pdf, 'application/pdf'), config({ url: 'https://x.test/', outputPropertyName: 'doc' }));
		expect(field[0].binary!.doc.fileName).toBe('doc.pdf');
	});

	it('stores any body as a file with Response Format File, with status when asked', async () => {
		const items = await toOutputItems(fakeContext(), 0, response('{"a":1}', 'application/json'), config({ responseFormat: 'file', fullResponse: true }));
		expect(items[0].json).toEqual({ headers: { 'content-type': 'application/json' }, statusCode: 200, statusMessage: 'OK' });
		expect(Buffer.from(items[0].binary!.data.data, 'base64').toString()).toBe('{"a":1}');
	});

	it('treats bytes that are not text, without a content type, as a file', async () => {
		const items = await toOutputItems(fakeContext(), 0, response(Buffer.from([0, 1, 2, 255])), config());
		expect(items[0].binary?.data).toBeDefined();
	});

	it('shapes the output as the parsed Options > Response say', async () => {
		const options = parseResponseOptions({ response: { response: { responseFormat: 'file', outputPropertyName: 'csv' } } });
		const items = await toOutputItems(fakeContext(), 0, response('a,b', 'text/csv'), { ...options, url: '/report.csv' });
		expect(items[0].binary!.csv).toMatchObject({ fileName: 'report.csv', mimeType: 'text/csv' });
	});
});

describe('response helpers', () => {
	it('detects the body kind from the content type', () => {
		expect(detectBodyKind('application/json', Buffer.from('{}'))).toBe('json');
		expect(detectBodyKind('application/vnd.api+json', Buffer.from('{}'))).toBe('json');
		expect(detectBodyKind('image/png', Buffer.from('x'))).toBe('file');
		expect(detectBodyKind('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Buffer.from('x'))).toBe('file');
		expect(detectBodyKind('text/csv', Buffer.from('a,b'))).toBe('text');
		expect(detectBodyKind('application/atom+xml', Buffer.from('<a/>'))).toBe('text');
		expect(detectBodyKind('application/x-unknown', Buffer.from('hello'))).toBe('text');
		expect(detectBodyKind('application/x-unknown', Buffer.from([0xc3, 0x28]))).toBe('file');
	});

	it('reads file names from Content-Disposition', () => {
		expect(fileNameFromContentDisposition('attachment; filename="a.pdf"')).toBe('a.pdf');
		expect(fileNameFromContentDisposition('attachment; filename=plain.txt')).toBe('plain.txt');
		expect(fileNameFromContentDisposition("attachment; filename=\"fallback.txt\"; filename*=UTF-8''na%C3%AFve%20file.txt")).toBe('naïve file.txt');
		expect(fileNameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
		expect(fileNameFromContentDisposition('attachment; filename="say \\"hi\\".txt"')).toBe('say "hi".txt');
		expect(fileNameFromContentDisposition('inline')).toBeUndefined();
		expect(fileNameFromUrl('https://x.test/a/b.zip#frag')).toBe('b.zip');
		expect(fileNameFromUrl('https://x.test/a/')).toBeUndefined();
	});

	it('normalizes headers to lowercase names without authorization', () => {
		expect(normalizeHeaders({ 'Content-Type': 'a', Authorization: 'x', 'Proxy-Authorization': 'y', 'Content-Length': 5 })).toEqual({
			'content-type': 'a',
			'content-length': '5',
		});
		expect(normalizeHeaders({ toJSON: () => ({ 'X-A': '1' }) })).toEqual({ 'x-a': '1' });
	});

	it('decodes bodies for the pagination loop', () => {
		expect(decodeResponseBody(response('[]', 'application/json'), config())).toEqual({ kind: 'json', value: [] });
		expect(decodeResponseBody(response('', 'text/plain'), config())).toEqual({ kind: 'text', value: '' });
	});
});
