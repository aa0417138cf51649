// A stand-in for the parts of n8n's IExecuteFunctions that the request builder and the response
// mapper use. n8n's host cannot run in unit tests; this keeps the same call shapes.
import type { IBinaryData, IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

export type Params = Record<string, unknown>;

export interface FakeOptions {
	/** Parameters for every item; perItem[i] overrides them for item i. */
	params?: Params;
	perItem?: Params[];
	items?: INodeExecutionData[];
}

export interface FakeContext extends IExecuteFunctions {
	calls: { getNodeParameter: Array<{ name: string; itemIndex: number; options?: unknown }> };
}

const MIME_EXTENSIONS: Record<string, string> = {
	'application/pdf': 'pdf',
	'image/png': 'png',
	'image/jpeg': 'jpeg',
	'text/plain': 'txt',
	'text/csv': 'csv',
	'application/zip': 'zip',
	'application/octet-stream': 'bin',
};

function lookup(source: unknown, path: string): unknown {
	let current = source;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null || !(key in (current as object))) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

export const fakeNode: INode = {
	id: 'node-1',
	name: 'OAuth2 HTTP Request',
	type: 'n8n-nodes-oauth2-grants.oAuth2HttpRequest',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function binaryItem(
	field: string,
	content: string | Buffer,
	mimeType: string,
	fileName?: string,
	json: IDataObject = {},
): INodeExecutionData {
	const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
	const binary: IBinaryData = { data: buffer.toString('base64'), mimeType, ...(fileName ? { fileName } : {}) };
	return { json, binary: { [field]: binary } };
}

export function fakeContext(options: FakeOptions = {}): FakeContext {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const calls: FakeContext['calls'] = { getNodeParameter: [] };

	const getNodeParameter = (name: string, itemIndex: number, fallback?: unknown, paramOptions?: unknown) => {
		calls.getNodeParameter.push({ name, itemIndex, options: paramOptions });
		const own = options.perItem?.[itemIndex];
		let value = own ? lookup(own, name) : undefined;
		if (value === undefined) value = lookup(options.params ?? {}, name);
		if (value === undefined) {
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			return fallback;
		}
		return value;
	};

	const binaryOf = (itemIndex: number, field: string): IBinaryData => {
		const binary = items[itemIndex]?.binary?.[field];
		if (!binary) throw new Error(`This operation expects the node's input data to contain a binary file '${field}', but none was found [item ${itemIndex}]`);
		return binary;
	};

	const helpers = {
		assertBinaryData: (itemIndex: number, field: string) => binaryOf(itemIndex, field),
		getBinaryDataBuffer: async (itemIndex: number, field: string) => Buffer.from(binaryOf(itemIndex, field).data, 'base64'),
		prepareBinaryData: async (data: Buffer, filePath?: string, mimeType?: string): Promise<IBinaryData> => {
			const fileName = filePath ? filePath.split('/').pop() : undefined;
			const byName = fileName?.includes('.') ? Object.entries(MIME_EXTENSIONS).find(([, ext]) => fileName.endsWith(`.${ext}`))?.[0] : undefined;
			const type = mimeType ?? byName ?? 'text/plain';
			return {
				data: data.toString('base64'),
				mimeType: type,
				fileExtension: MIME_EXTENSIONS[type],
				fileSize: `${data.length} B`,
				...(fileName ? { fileName } : {}),
			};
		},
	};

	const context = {
		calls,
		getNode: () => fakeNode,
		getInputData: () => items,
		getNodeParameter,
		continueOnFail: () => false,
		helpers,
	};
	return context as unknown as FakeContext;
}
