import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_BATCH_INTERVAL_MS,
	DEFAULT_BATCH_SIZE,
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_REDIRECTS,
	DEFAULT_MAX_RETRIES,
	DEFAULT_RENEW_TOKEN_ON_STATUS,
	DEFAULT_RETRY_ON_STATUS,
} from '../defaults';
import { parseResponseOptions } from './itemOptions';
import { type BodyRenewalRule, parseRenewTokenWhenBody } from './renewTokenWhenBody';
import { parseStatusList } from './statusList';

/** The options that steer sending for the whole run rather than one item's request, checked (item 0's). */
export interface RunOptions {
	/** Items with a request in flight at once; 0 means all items at once. */
	concurrency: number;
	/** Statuses meaning the token was refused: renew once and resend. Empty: never. */
	renewTokenOnStatus: Set<number>;
	/** Renew Token When Response Body Says; absent when the option is not set. */
	renewTokenWhenBody?: BodyRenewalRule[];
	/** Statuses worth sending again, up to maxRetries times. Empty: never. */
	retryOnStatus: Set<number>;
	maxRetries: number;
	/** Undefined when Batching is not set, is turned off (-1), or has no interval. */
	batching?: { batchSize: number; batchInterval: number };
	followRedirects: boolean;
	maxRedirects: number;
	neverError: boolean;
}

function wholeNumber(value: unknown, fallback: number, label: string, min: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	if (!Number.isInteger(number) || number < min) {
		throw new Error(`"${label}" must be a whole number of ${min} or more, not "${String(value)}"`);
	}
	return number;
}

/** Checks the raw Options collection. Throws a plain Error naming the option that is wrong. */
export function parseRunOptions(options: IDataObject): RunOptions {
	const batch = ((options.batching as IDataObject | undefined)?.batch ?? undefined) as IDataObject | undefined;
	const redirect = ((options.redirect as IDataObject | undefined)?.redirect ?? {}) as IDataObject;

	const result: RunOptions = {
		concurrency: wholeNumber(options.concurrency, DEFAULT_CONCURRENCY, 'Concurrent Requests', 0),
		renewTokenOnStatus: parseStatusList(
			options.renewTokenOnStatus ?? DEFAULT_RENEW_TOKEN_ON_STATUS,
			'Renew Token on Status Codes',
		),
		retryOnStatus: parseStatusList(options.retryOnStatus ?? DEFAULT_RETRY_ON_STATUS, 'Retry on Status Codes'),
		maxRetries: wholeNumber(options.maxRetries, DEFAULT_MAX_RETRIES, 'Max Retries', 0),
		followRedirects: redirect.followRedirects !== false,
		maxRedirects: wholeNumber(redirect.maxRedirects, DEFAULT_MAX_REDIRECTS, 'Max Redirects', 0),
		neverError: parseResponseOptions(options).neverError,
	};

	const bodyRules = parseRenewTokenWhenBody(options.renewTokenWhenBody);
	if (bodyRules.length > 0) result.renewTokenWhenBody = bodyRules;

	if (batch) {
		const size = wholeNumber(batch.batchSize, DEFAULT_BATCH_SIZE, 'Items per Batch', -1);
		const interval = wholeNumber(batch.batchInterval, DEFAULT_BATCH_INTERVAL_MS, 'Batch Interval', 0);
		if (size !== -1 && interval > 0) result.batching = { batchSize: Math.max(1, size), batchInterval: interval };
	}
	return result;
}

/** Reads Options for one item (item 0 for node-wide settings) and checks them. */
export function readRunOptions(ctx: IExecuteFunctions, itemIndex = 0): RunOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	let result: RunOptions | undefined;
	let problem: string | undefined;
	try {
		result = parseRunOptions(options ?? {});
	} catch (error) {
		problem = (error as Error).message;
	}
	if (result === undefined) throw new NodeOperationError(ctx.getNode(), problem ?? 'Invalid options', { itemIndex });
	return result;
}
