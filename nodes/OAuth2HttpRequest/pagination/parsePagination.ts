import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_MAX_PAGES } from '../defaults';
import { parseStatusList } from '../options/statusList';

export type PaginationMode = 'updateAParameterInEachRequest' | 'responseContainsNextURL';

export type PaginationCompleteWhen = 'responseIsEmpty' | 'receiveSpecificStatusCodes' | 'other';

export type PaginationParameterType = 'qs' | 'body' | 'headers';

export interface PaginationParameter {
	type: PaginationParameterType;
	name: string;
	/** As stored: usually an expression ("={{ $response.body.next }}") to evaluate per page. */
	value: string;
}

/** Options > Pagination, checked. The expressions in it are kept unevaluated. */
export interface PaginationConfig {
	mode: PaginationMode;
	/** responseContainsNextURL: expression for the next page's URL. */
	nextURL?: string;
	/** updateAParameterInEachRequest: one or more parameters, each with name and value. */
	parameters: PaginationParameter[];
	completeWhen: PaginationCompleteWhen;
	/** receiveSpecificStatusCodes: never empty. */
	statusCodesWhenComplete: Set<number>;
	/** other: expression, true once the last page has been fetched. */
	completeExpression?: string;
	/** Max Pages when Limit Pages Fetched is on; otherwise undefined (no limit). */
	maxPages?: number;
	/** Milliseconds to wait before each further page (may be an expression string). */
	requestInterval: number | string;
}

const MODES: PaginationMode[] = ['updateAParameterInEachRequest', 'responseContainsNextURL'];
const COMPLETE_WHEN: PaginationCompleteWhen[] = ['responseIsEmpty', 'receiveSpecificStatusCodes', 'other'];
const PARAMETER_TYPES: PaginationParameterType[] = ['qs', 'body', 'headers'];

function asText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

/** The parameters of "Update a Parameter in Each Request", each with a name, a known type and a value. */
function pageParameters(source: IDataObject): PaginationParameter[] {
	const entries = ((source.parameters as IDataObject | undefined)?.parameters ?? []) as IDataObject[];
	const filled = entries.filter((entry) => asText(entry.name) !== '' || asText(entry.value) !== '');
	if (filled.length === 0) {
		throw new Error('Pagination: "Update a Parameter in Each Request" needs at least one parameter with a name and a value');
	}
	const parameters: PaginationParameter[] = [];
	entries.forEach((entry, index) => {
		const position = `parameter ${index + 1}`;
		const name = asText(entry.name);
		const value = asText(entry.value);
		const type = asText(entry.type ?? 'qs');
		if (name === '' && value === '') return;
		if (name === '') throw new Error(`Pagination: ${position} has no name`);
		if (!PARAMETER_TYPES.includes(type as PaginationParameterType)) {
			throw new Error(`Pagination: ${position} ("${name}") has the unknown type "${type}"; use Body, Header or Query`);
		}
		if (value === '' || value === '=') {
			throw new Error(`Pagination: ${position} ("${name}") has no value; without one every page would be the same request`);
		}
		parameters.push({ type: type as PaginationParameterType, name, value });
	});
	return parameters;
}

/** How the next page is asked for: the Next URL, or the parameters to update. */
function readNextPage(source: IDataObject, config: PaginationConfig): void {
	if (config.mode === 'responseContainsNextURL') {
		const nextURL = asText(source.nextURL).trim();
		if (nextURL === '' || nextURL === '=') {
			throw new Error('Pagination: enter the Next URL, usually an expression such as {{ $response.body.next }}');
		}
		config.nextURL = nextURL;
	} else {
		config.parameters = pageParameters(source);
	}
}

/** When the last page has been fetched: an empty response, given status codes, or an expression. */
function readCompletion(source: IDataObject, config: PaginationConfig): void {
	const completeWhen = asText(source.paginationCompleteWhen ?? 'responseIsEmpty');
	if (!COMPLETE_WHEN.includes(completeWhen as PaginationCompleteWhen)) {
		throw new Error(`Pagination Complete When "${completeWhen}" is not known`);
	}
	config.completeWhen = completeWhen as PaginationCompleteWhen;
	if (config.completeWhen === 'receiveSpecificStatusCodes') {
		config.statusCodesWhenComplete = parseStatusList(source.statusCodesWhenComplete, 'Status Code(s) When Complete');
		if (config.statusCodesWhenComplete.size === 0) {
			throw new Error('Pagination: enter the Status Code(s) When Complete, such as 204, 404');
		}
	} else if (config.completeWhen === 'other') {
		const expression = asText(source.completeExpression).trim();
		if (expression === '' || expression === '=') {
			throw new Error('Pagination: enter the Complete Expression, such as {{ !$response.body.hasMore }}');
		}
		config.completeExpression = expression;
	}
}

/** Max Pages (with Limit Pages Fetched) and the Interval Between Requests (a number, or an expression). */
function readPacing(source: IDataObject, config: PaginationConfig): void {
	if (source.limitPagesFetched === true) {
		const maxPages = Number(source.maxRequests ?? DEFAULT_MAX_PAGES);
		if (!Number.isInteger(maxPages) || maxPages < 1) {
			throw new Error(`Pagination: Max Pages must be a whole number of 1 or more, not "${asText(source.maxRequests)}"`);
		}
		config.maxPages = maxPages;
	}
	const interval = source.requestInterval ?? 0;
	if (typeof interval === 'string' && interval.startsWith('=')) {
		config.requestInterval = interval;
		return;
	}
	const ms = Number(interval);
	if (!Number.isFinite(ms) || ms < 0) {
		throw new Error(`Pagination: Interval Between Requests must be 0 or more milliseconds, not "${asText(interval)}"`);
	}
	config.requestInterval = ms;
}

/**
 * Checks the raw value of Options > Pagination > Pagination (read with rawExpressions, so
 * expressions stay as "={{ ... }}" strings). Returns undefined when pagination is off or not set.
 * Throws a plain Error naming the field that is wrong.
 */
export function parsePagination(raw: unknown): PaginationConfig | undefined {
	if (typeof raw !== 'object' || raw === null) return undefined;
	const source = raw as IDataObject;
	const mode = asText(source.paginationMode ?? 'updateAParameterInEachRequest');
	if (mode === 'off') return undefined;
	if (!MODES.includes(mode as PaginationMode)) {
		throw new Error(`Pagination Mode "${mode}" is not known`);
	}
	const config: PaginationConfig = {
		mode: mode as PaginationMode,
		parameters: [],
		completeWhen: 'responseIsEmpty',
		statusCodesWhenComplete: new Set(),
		requestInterval: 0,
	};
	readNextPage(source, config);
	readCompletion(source, config);
	readPacing(source, config);
	return config;
}

/**
 * Reads and checks Options > Pagination for the node. Like the HTTP Request node, pagination is
 * read once, from the first item, with expressions left unevaluated for the paging loop.
 */
export function readPagination(ctx: IExecuteFunctions): PaginationConfig | undefined {
	if (ctx.getNodeParameter('operation', 0, 'request') !== 'request') return undefined;
	const raw = ctx.getNodeParameter('options.pagination.pagination', 0, null, { rawExpressions: true });
	let config: PaginationConfig | undefined;
	let problem: string | undefined;
	try {
		config = parsePagination(raw);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (problem !== undefined) throw new NodeOperationError(ctx.getNode(), problem);
	return config;
}
