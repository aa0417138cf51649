// A token endpoint's answer described by its shape (content type, member names, nesting) for error
// messages: a token endpoint's body is made of credentials, so no value of it is ever shown here.

import type { Problem } from './hints';
import type { TransportResponse } from './types';

function contentTypeOf(response: TransportResponse): string {
	for (const [name, value] of Object.entries(response.headers ?? {})) {
		if (name.toLowerCase() === 'content-type') return String(Array.isArray(value) ? value[0] : (value ?? ''));
	}
	return '';
}

export function looksLikeHtml(response: TransportResponse): boolean {
	const start = (response.body ?? '').trimStart().slice(0, 100).toLowerCase();
	return contentTypeOf(response).toLowerCase().includes('text/html') || start.startsWith('<!doctype html') || start.startsWith('<html');
}

export const PROBLEM_TEXT: Record<Exclude<Problem, 'oauthError' | 'httpStatus' | 'network'>, string> = {
	html: 'the response is an HTML page, not JSON',
	notJson: 'the response is not JSON',
	notObject: 'the response is not a JSON object',
	noAccessToken: 'the response has no access_token',
};

/** Why a token response has no usable access token, as the parser found it (token.ts). */
export interface TokenAbsence {
	/** Where the token was looked for, in words ("access_token, accessToken, token, at the top level and under data"). */
	lookedFor: string;
	/** The path the user named for it, when named. */
	named?: string;
	/** The first place that held something, but no non-empty string. */
	unusable?: { path: string; value: unknown };
	format: 'json' | 'form';
}

/** Why a token that is present cannot be used: "there is one, but it is a number". */
export function unusableAccessToken(absence: TokenAbsence | undefined): string {
	const unusable = absence?.unusable;
	if (!unusable) return '';
	const what = unusable.path === 'access_token' || unusable.path === absence.named ? 'it' : unusable.path;
	const value = unusable.value;
	if (value === '') return `: ${what} is empty`;
	const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
	return `: ${what} is ${kind}, not a string`;
}

const SHAPE_NAMES = 10;
const SHOWN_NAME = /^[A-Za-z_$][\w$.:-]{0,39}$/;

/** A body by its member names and nesting, never a value: "code, message, data {user, jwt}". */
function membersOf(value: Record<string, unknown>, depth: number): string {
	const names = Object.keys(value);
	if (!names.length) return 'no members';
	const shown = names.slice(0, SHAPE_NAMES).map((name) => {
		if (!SHOWN_NAME.test(name)) return '(a member of another name)';
		const member = value[name];
		if (Array.isArray(member)) return `${name} [${member.length} item${member.length === 1 ? '' : 's'}]`;
		if (member !== null && typeof member === 'object') {
			return depth < 2 ? `${name} {${membersOf(member as Record<string, unknown>, depth + 1)}}` : `${name} {…}`;
		}
		return name;
	});
	return shown.join(', ') + (names.length > SHAPE_NAMES ? ', …' : '');
}

export function responseShapeOf(body: Record<string, unknown> | undefined, format: TokenAbsence['format']): string {
	const members = body ? membersOf(body, 0) : 'no members';
	return format === 'form' ? `form-encoded pairs: ${members}` : `members: ${members}`;
}

const FORM_BODY = /^[\w.~-]+=[^&=\s]*(&[\w.~-]+=[^&=\s]*)*$/;

/**
 * What a 2xx body that is no token response looks like, without a word of its content: a success
 * answer of a token endpoint is made of fresh credentials, under whatever names (finding 3 of
 * issue 14), so only its shape is shown, never a snippet.
 */
export function successShapeOf(response: TransportResponse, body: unknown, problem: 'html' | 'notJson' | 'notObject'): string {
	const text = (response.body ?? '').trim();
	if (problem === 'html') return PROBLEM_TEXT.html;
	if (problem === 'notObject') {
		if (Array.isArray(body)) return `the response is a JSON array (of ${body.length} item${body.length === 1 ? '' : 's'}), not a JSON object`;
		return `the response is JSON ${body === null ? 'null' : `a ${typeof body}`}, not a JSON object`;
	}
	const type = contentTypeOf(response).toLowerCase();
	if (type.includes('application/x-www-form-urlencoded') || FORM_BODY.test(text)) {
		const names = [...new Set(text.split('&').map((pair) => pair.split('=')[0]).filter((name) => /^[\w.~-]{1,40}$/.test(name)))];
		return `the response is form-encoded (${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}), not JSON`;
	}
	if (text.startsWith('{') || text.startsWith('[')) return `the response is not valid JSON (${text.length} characters)`;
	return `the response is text (${text.length} characters), not JSON`;
}
