import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiErrorFor } from '../helpers/apiError';
import { readRunOptions } from '../options/runOptions';
import { paginate, toN8nPagination } from '../pagination/paginate';
import { readPagination } from '../pagination/parsePagination';
import { buildItemRequest } from '../request/buildRequest';
import { toOutputItems } from '../response/outputItems';
import { forEachLimited } from '../transport/concurrency';
import { openSessions } from '../transport/openSession';
import { sendApiRequest, type SendPolicy } from '../transport/send';
import type { ApiResponse, CredentialSession } from '../transport/session';

/**
 * Sends every item's request with the credential as n8n resolves it for that item, through the
 * session of that resolved credential: at most `concurrency` at once over all sessions, in n8n's
 * batches if asked, outputs kept in input order with their pairedItem.
 */
export async function sendRequest(this: IExecuteFunctions, credentialType: string): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const run = readRunOptions(this, 0);
	const policy: SendPolicy = {
		renewOn: run.renewTokenOnStatus,
		renewWhenBody: run.renewTokenWhenBody,
		retryOn: run.retryOnStatus,
		maxRetries: run.maxRetries,
		followRedirects: run.followRedirects,
		maxRedirects: run.maxRedirects,
	};
	const batchSize = run.batching?.batchSize ?? items.length;
	const batchInterval = run.batching?.batchInterval ?? 0;
	const paginationConfig = readPagination(this);
	const pagination = paginationConfig ? toN8nPagination(paginationConfig, run.neverError) : undefined;
	const sessions = openSessions(this, credentialType);

	const results: INodeExecutionData[][] = new Array(items.length);
	const fail = (itemIndex: number, failure: Error & { description?: string | null }) => {
		if (!this.continueOnFail()) throw failure;
		results[itemIndex] = [
			{ json: { error: failure.message, ...(failure.description ? { description: failure.description } : {}) }, pairedItem: { item: itemIndex } },
		];
	};
	const runItem = async (itemIndex: number) => {
		let session: CredentialSession;
		try {
			// Resolved as the item is sent, not all up front: the first request leaves at once, and
			// an item whose credential expression fails fails alone.
			session = await sessions.forItem(itemIndex);
		} catch (error) {
			// n8n's own error (an expression that cannot be resolved): nothing of ours to mask in it.
			return fail(itemIndex, error as Error);
		}
		try {
			results[itemIndex] = await sendItem(this, session, itemIndex, policy, run.neverError, pagination);
		} catch (error) {
			fail(itemIndex, apiErrorFor(this, error, itemIndex, session));
		}
	};

	for (let start = 0; start < items.length; start += batchSize) {
		if (start > 0 && batchInterval > 0) await sleep(batchInterval);
		const end = Math.min(items.length, start + batchSize);
		await forEachLimited(end - start, run.concurrency, async (offset) => await runItem(start + offset));
	}
	return [results.flat()];
}

async function sendItem(
	ctx: IExecuteFunctions,
	session: CredentialSession,
	itemIndex: number,
	policy: SendPolicy,
	neverError: boolean,
	pagination: ReturnType<typeof toN8nPagination> | undefined,
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
		output.push(...(await toOutputItems(ctx, itemIndex, response, request.response)));
	}
	return output;
}
