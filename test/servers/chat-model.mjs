// A scripted OpenAI-compatible chat model on 127.0.0.1, so n8n's AI Agent can be run here without
// a real model: the first completion asks for a call of the offered tool, the next one (which
// carries the tool's result) answers with that result. It records every request for assertions.
//
// `startChatModel({ toolArguments })` → `{ baseUrl, requests, toolCalls, close() }`; `baseUrl` ends
// in /v1, as the `url` of n8n's OpenAI credential does. `node test/servers/chat-model.mjs` runs it
// by hand and prints CHAT_MODEL_READY {baseUrl}.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

import { readBody, sendJson } from './http-util.mjs';

const MODEL = 'lab-chat-model';
export const FINAL_ANSWER_PREFIX = 'The tool answered: ';

/** A value of the JSON schema's type, for the arguments the test did not choose itself. */
function exampleValue(schema = {}) {
	const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
	if (schema.enum?.length) return schema.enum[0];
	if (type === 'number' || type === 'integer') return 1;
	if (type === 'boolean') return true;
	if (type === 'array') return [];
	if (type === 'object') return {};
	return 'example';
}

function argumentsFor(tool, chosen) {
	const properties = tool.function?.parameters?.properties ?? {};
	const args = {};
	for (const [name, schema] of Object.entries(properties)) args[name] = name in chosen ? chosen[name] : exampleValue(schema);
	return args;
}

function completion(message, finishReason) {
	return {
		id: `chatcmpl-${Date.now().toString(36)}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
		choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as server-sent events, for a client that asked for `stream: true`. */
function sendStream(res, message, finishReason) {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const base = { id: `chatcmpl-${Date.now().toString(36)}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: MODEL };
	const delta = { role: 'assistant', content: message.content ?? '' };
	if (message.tool_calls) delta.tool_calls = message.tool_calls.map((call, index) => ({ index, ...call }));
	res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
	res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } })}\n\n`);
	res.end('data: [DONE]\n\n');
}

/** Decides the next assistant message from the conversation so far. */
function answer(body, toolArguments, toolCalls) {
	const toolResults = (body.messages ?? []).filter((m) => m.role === 'tool');
	if (toolResults.length > 0) {
		const content = toolResults.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
		return [{ role: 'assistant', content: `${FINAL_ANSWER_PREFIX}${content}` }, 'stop'];
	}
	const tool = (body.tools ?? [])[0];
	if (!tool) return [{ role: 'assistant', content: 'No tool was offered to me.' }, 'stop'];
	const call = {
		id: `call_${toolCalls.length + 1}`,
		type: 'function',
		function: { name: tool.function.name, arguments: JSON.stringify(argumentsFor(tool, toolArguments)) },
	};
	toolCalls.push({ name: call.function.name, arguments: JSON.parse(call.function.arguments), offered: body.tools.map((t) => t.function.name) });
	return [{ role: 'assistant', content: null, tool_calls: [call] }, 'tool_calls'];
}

/**
 * `toolArguments`: values for named tool parameters (the rest get an example of their type).
 * Resolves once listening.
 */
export async function startChatModel({ port = 0, toolArguments = {} } = {}) {
	const requests = [];
	const toolCalls = [];
	const server = http.createServer(async (req, res) => {
		try {
			const url = new URL(req.url, 'http://127.0.0.1');
			if (req.method === 'GET' && url.pathname === '/v1/models') {
				sendJson(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'lab' }] });
				return;
			}
			if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
				const body = JSON.parse((await readBody(req, 5 * 1024 * 1024)).toString('utf8') || '{}');
				requests.push(body);
				const [message, finishReason] = answer(body, toolArguments, toolCalls);
				if (body.stream) sendStream(res, message, finishReason);
				else sendJson(res, 200, completion(message, finishReason));
				return;
			}
			sendJson(res, 404, { error: { message: `no route ${req.method} ${url.pathname}`, type: 'invalid_request_error' } });
		} catch (error) {
			sendJson(res, 400, { error: { message: String(error?.message ?? error), type: 'invalid_request_error' } });
		}
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
	return {
		baseUrl,
		model: MODEL,
		requests,
		toolCalls,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const chat = await startChatModel({ port: Number(process.env.CHAT_MODEL_PORT || 0) });
	console.log(`CHAT_MODEL_READY ${JSON.stringify({ baseUrl: chat.baseUrl })}`);
}
