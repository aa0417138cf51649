import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { buildItemRequest } from '../transport/buildRequest';
import { forEachLimited } from '../transport/concurrency';
import { openSession } from '../transport/openSession';
import { paginate, readPagination } from '../transport/paginate';
import { toOutputItems } from '../transport/response';
import type { SendPolicy } from '../transport/send';
import { sendApiRequest } from '../transport/send';
import type { ApiResponse, CredentialSession } from '../transport/session';
import { parseStatusList } from '../transport/statusList';
import { apiErrorFor } from './apiError';

const DEFAULT_CONCURRENCY = 5;

interface BatchSettings {
	size: number;
	intervalMs: number;
}

function sendPolicyOf(options: IDataObject): SendPolicy {
	const redirect = ((options.redirect as IDataObject)?.redirect ?? {}) as IDataObject;
	return {
		renewOn: parseStatusList(options.renewTokenOnStatus ?? '401', 'Renew Token On Status'),
		retryOn: parseStatusList(options.retryOnStatus ?? '429, 502, 503, 504', 'Retry On Status'),
		maxRetries: Math.max(0, Number(options.maxRetries ?? 2)),
		followRedirects: redirect.followRedirects !== false,
		maxRedirects: Number(redirect.maxRedirects ?? 21),
	};
}

function batchingOf(options: IDataObject, itemCount: number): BatchSettings {
	const batch = ((options.batching as IDataObject)?.batch ?? {}) as IDataObject;
	const size = Number(batch.batchSize ?? -1);
	return { size: size > 0 ? size : itemCount, intervalMs: Math.max(0, Number(batch.batchInterval ?? 0)) };
}

/**
 * Sends every item's request through one credential session: at most `concurrency` at once,
 * in n8n's batches if asked, outputs kept in input order with their pairedItem.
 */
export async function sendRequests(this: IExecuteFunctions, credentialType: string): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Number(options.concurrency ?? DEFAULT_CONCURRENCY);
	const policy = sendPolicyOf(options);
	const batching = batchingOf(options, items.length);
	const neverError = Boolean(((options.response as IDataObject)?.response as IDataObject)?.neverError);
	const pagination = readPagination(this);
	const session = await openSession(this, credentialType);

	const results: INodeExecutionData[][] = new Array(items.length);
	const runItem = async (itemIndex: number) => {
		try {
			results[itemIndex] = await sendItem(this, session, itemIndex, policy, neverError, pagination);
		} catch (error) {
			const failure = apiErrorFor(this, error, itemIndex, session);
			if (!this.continueOnFail()) throw failure;
			results[itemIndex] = [
				{ json: { error: failure.message, ...(failure.description ? { description: failure.description } : {}) }, pairedItem: { item: itemIndex } },
			];
		}
	};

	for (let start = 0; start < items.length; start += batching.size) {
		if (start > 0 && batching.intervalMs > 0) await sleep(batching.intervalMs);
		const end = Math.min(items.length, start + batching.size);
		await forEachLimited(end - start, concurrency, async (offset) => await runItem(start + offset));
	}
	return [results.flat()];
}

async function sendItem(
	ctx: IExecuteFunctions,
	session: CredentialSession,
	itemIndex: number,
	policy: SendPolicy,
	neverError: boolean,
	pagination: ReturnType<typeof readPagination>,
): Promise<INodeExecutionData[]> {
	const request = await buildItemRequest(ctx, itemIndex, session.baseUrl);
	const responses: ApiResponse[] = pagination
		? await paginate(ctx, session, request, itemIndex, policy, pagination)
		: [await sendApiRequest(ctx, session, request, policy)];
	const output: INodeExecutionData[] = [];
	for (const response of responses) {
		if (!neverError && (response.statusCode < 200 || response.statusCode >= 300)) {
			throw apiErrorFor(ctx, response, itemIndex, session);
		}
		output.push(...(await toOutputItems(ctx, itemIndex, response)));
	}
	return output;
}
