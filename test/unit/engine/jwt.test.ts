import { readJwtClaims, readJwtExp } from '../../../engine/jwt';
import { jwtWith } from './helpers';

describe('readJwtExp', () => {
	it('reads exp without verifying the signature', () => {
		expect(readJwtExp(jwtWith({ sub: 'x', exp: 1_800_000_000 }))).toBe(1_800_000_000);
		expect(readJwtClaims(jwtWith({ sub: 'é-ü', exp: 1 }))).toEqual({ sub: 'é-ü', exp: 1 });
	});

	it('handles base64url characters in the payload', () => {
		const token = jwtWith({ exp: 1_800_000_000, data: '??>>~~' });
		expect(token.split('.')[1]).toMatch(/[-_]/);
		expect(readJwtExp(token)).toBe(1_800_000_000);
	});

	it.each([
		['an opaque token', 'abc123opaque'],
		['two segments', 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9'],
		['four segments', `${jwtWith({ exp: 5 })}.more`],
		['a header without alg', jwtWith({ exp: 1_800_000_000 }, { typ: 'JWT' })],
		['a payload that is not JSON', `${Buffer.from('{"alg":"none"}').toString('base64url')}.bm90IGpzb24.sig`],
		['invalid characters', 'a+b.c/d.e=f'],
		['a non-numeric exp', jwtWith({ exp: '1800000000' })],
		['no exp', jwtWith({ sub: 'x' })],
		['a negative exp', jwtWith({ exp: -5 })],
		['an empty string', ''],
	])('returns undefined for %s', (_label, token) => {
		expect(readJwtExp(token)).toBeUndefined();
	});
});
