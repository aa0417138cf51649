// Where a token response holds the access token, its lifetime, the refresh token, the type and the
// scope: RFC 6749's names at the top level, the common other names and wrappers (auto-detection, in a
// fixed order), or the paths the user named (TokenRequestConfig.responseFields).

import { isRelativeName, type LifetimeValue } from './lifetime';
import { isSecretName } from './redact';
import { parsePath, type Path } from './responsePaths';
import type { ResponseFields } from './types';

/** Where auto-detection looks for the token, in this order: the top level first (RFC 6749). */
export const TOKEN_CONTAINERS: readonly Path[] = [[], ['data'], ['result'], ['data', 'attributes']];
/** The token's names, in this order, within each container. */
export const ACCESS_TOKEN_NAMES: readonly string[] = ['access_token', 'accessToken', 'token'];
export const REFRESH_TOKEN_NAMES: readonly string[] = ['refresh_token', 'refreshToken'];
/** The lifetime's names, in this order; see lifetime.ts for how each value is read. */
export const EXPIRY_NAMES: readonly string[] = [
	'expires_in',
	'expiresIn',
	'expires',
	'expires_at',
	'expiresAt',
	'expiry',
	'expiration',
	'expire_in',
	'expireIn',
	'expire',
	'expire_time',
	'expireTime',
];
const TYPE_NAMES: readonly string[] = ['token_type', 'tokenType'];
const SCOPE_NAMES: readonly string[] = ['scope'];

/** Members of the top level that have a field of their own in Token (or are token values). */
const NOT_EXTRA = new Set(['access_token', 'refresh_token', 'id_token', 'token_type', 'expires_in', 'scope']);

const MAX_DEPTH = 32;

export const pathText = (path: Path): string => (path.length ? path.join('.') : '(top level)');

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function childOf(value: unknown, segment: string): unknown {
	if (Array.isArray(value)) return /^\d+$/.test(segment) ? value[Number(segment)] : undefined;
	if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, segment)) return value[segment];
	return undefined;
}

function valueAt(root: unknown, path: Path): unknown {
	let value = root;
	for (const segment of path) value = childOf(value, segment);
	return value;
}

const usableString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** What was found, each with its path so it can be kept out of `extra`. */
export interface LocatedFields {
	accessToken?: string;
	accessPath?: Path;
	refreshToken?: string;
	refreshPath?: Path;
	lifetime?: LifetimeValue;
	lifetimePath?: Path;
	tokenType?: unknown;
	typePath?: Path;
	scope?: unknown;
	scopePath?: Path;
	/** With no token found: the first candidate that was there but no usable string. */
	unusable?: { path: Path; value: unknown };
	/** The user's path of the token, when named. */
	namedAccess?: Path;
}

/** The first present member of `names` in `container`, then at the top level. */
function firstNear(root: Record<string, unknown>, container: Path, names: readonly string[], usable: (value: unknown) => boolean) {
	const places = container.length ? [container, []] : [container];
	for (const place of places) {
		for (const name of names) {
			const path = [...place, name];
			const value = valueAt(root, path);
			if (value !== undefined && value !== null && usable(value)) return { path, value };
		}
	}
	return undefined;
}

/** The value at a named path, or, with none named, the first of `names` near the token. */
function namedOrNear(root: Record<string, unknown>, named: Path | undefined, container: Path, names: readonly string[], usable: (value: unknown) => boolean) {
	if (named) {
		const value = valueAt(root, named);
		return value !== undefined && value !== null && usable(value) ? { path: named, value } : undefined;
	}
	return firstNear(root, container, names, usable);
}

/** Paths of a configuration, already checked by validateConfig. */
function namedPaths(fields: ResponseFields | undefined) {
	const of = (text: string | undefined) => (typeof text === 'string' && text.trim() ? parsePath(text) : undefined);
	return { access: of(fields?.accessToken), expiry: of(fields?.expiry), refresh: of(fields?.refreshToken) };
}

/**
 * The fields of a token response. The token: at the named path, else the first of ACCESS_TOKEN_NAMES
 * (in order) in the first of TOKEN_CONTAINERS (in order) that has one as a non-empty string. The
 * lifetime, refresh token, type and scope: at their named paths, else next to the token, else at the
 * top level.
 */
export function locateFields(root: Record<string, unknown>, fields?: ResponseFields): LocatedFields {
	const named = namedPaths(fields);
	const found: LocatedFields = {};
	if (named.access) {
		found.namedAccess = named.access;
		const value = valueAt(root, named.access);
		if (usableString(value)) [found.accessToken, found.accessPath] = [value, named.access];
		else if (value !== undefined) found.unusable = { path: named.access, value };
	} else {
		search: for (const container of TOKEN_CONTAINERS) {
			for (const name of ACCESS_TOKEN_NAMES) {
				const path = [...container, name];
				const value = valueAt(root, path);
				if (usableString(value)) {
					[found.accessToken, found.accessPath] = [value, path];
					break search;
				}
				if (value !== undefined && !found.unusable) found.unusable = { path, value };
			}
		}
	}
	if (!found.accessPath) return found;
	const container = found.accessPath.slice(0, -1);
	const refresh = namedOrNear(root, named.refresh, container, REFRESH_TOKEN_NAMES, usableString);
	if (refresh) [found.refreshToken, found.refreshPath] = [refresh.value as string, refresh.path];
	const lifetime = namedOrNear(root, named.expiry, container, EXPIRY_NAMES, () => true);
	if (lifetime) {
		found.lifetime = { value: lifetime.value, relative: isRelativeName(lifetime.path[lifetime.path.length - 1]) };
		found.lifetimePath = lifetime.path;
	}
	const type = firstNear(root, container, TYPE_NAMES, () => true);
	if (type) [found.tokenType, found.typePath] = [type.value, type.path];
	const scope = firstNear(root, container, SCOPE_NAMES, () => true);
	if (scope) [found.scope, found.scopePath] = [scope.value, scope.path];
	return found;
}

/** Where auto-detection looked for the token, in words: for the message when it found none. */
export function lookedForWords(): string {
	const containers = TOKEN_CONTAINERS.filter((path) => path.length).map((path) => path.join('.'));
	return `${ACCESS_TOKEN_NAMES.join(', ')}, at the top level and under ${containers.join(', ')}`;
}

function without(value: unknown, path: Path): unknown {
	// Through a list the member stays; its token values go with the cleaning below.
	if (!path.length || !isRecord(value)) return value;
	const [head, ...rest] = path;
	if (!Object.prototype.hasOwnProperty.call(value, head)) return value;
	const copy = { ...value };
	if (rest.length) copy[head] = without(copy[head], rest);
	else delete copy[head];
	return copy;
}

/** Values shorter than this are removed where they are a whole string only. */
const CONTAINED_FROM = 8;

function holdsSecret(text: string, secrets: readonly string[]): boolean {
	return secrets.some((secret) => text === secret || (secret.length >= CONTAINED_FROM && text.includes(secret)));
}

/** A copy without members of credential names (id_token, any *token, *secret...) and strings holding a secret, at any depth. */
function cleaned(value: unknown, secrets: readonly string[], depth: number): unknown {
	if (typeof value === 'string') return holdsSecret(value, secrets) ? undefined : value;
	if (value === null || typeof value !== 'object') return value;
	if (depth >= MAX_DEPTH) return undefined;
	if (Array.isArray(value)) {
		return value.map((item) => cleaned(item, secrets, depth + 1)).filter((item) => item !== undefined);
	}
	const copy: Record<string, unknown> = {};
	for (const [name, member] of Object.entries(value)) {
		if (isSecretName(name)) continue;
		const kept = cleaned(member, secrets, depth + 1);
		if (kept !== undefined) copy[name] = kept;
	}
	return copy;
}

/**
 * The rest of the response (instance_url and the like): without the members read into the Token, and
 * without any token value anywhere in it (issue 15: nested tokens must not reach `extra`).
 */
export function extraOf(root: Record<string, unknown>, found: LocatedFields): Record<string, unknown> {
	let rest: unknown = Object.fromEntries(Object.entries(root).filter(([name]) => !NOT_EXTRA.has(name)));
	for (const path of [found.accessPath, found.refreshPath, found.lifetimePath, found.typePath, found.scopePath]) {
		if (path) rest = without(rest, path);
	}
	const secrets = [found.accessToken, found.refreshToken].filter(usableString);
	const extra = cleaned(rest, secrets, 0);
	return isRecord(extra) ? extra : {};
}
