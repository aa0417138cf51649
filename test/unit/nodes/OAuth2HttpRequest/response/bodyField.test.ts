import { comparableText, valuesAt } from '../../../../../nodes/OAuth2HttpRequest/response/bodyField';

const marketo = { requestId: 'a#1', success: false, errors: [{ code: '1003', message: 'x' }, { code: '601', message: 'Access token invalid' }] };

describe('valuesAt', () => {
	it('reads a dot path; a list on the way stands for each of its entries', () => {
		expect(valuesAt(marketo, ['errors', 'code'])).toEqual(['1003', '601']);
		expect(valuesAt({ a: { b: [{ c: [{ d: 1 }, { d: 2 }] }, { c: { d: 3 } }] } }, ['a', 'b', 'c', 'd'])).toEqual([1, 2, 3]);
		expect(valuesAt([{ code: 1 }, { code: 2 }], ['code'])).toEqual([1, 2]);
	});

	it('takes a whole-number key as one entry of a list', () => {
		expect(valuesAt(marketo, ['errors', '0', 'code'])).toEqual(['1003']);
		expect(valuesAt(marketo, ['errors', '5', 'code'])).toEqual([]);
		expect(valuesAt({ byId: { 0: 'zero' } }, ['byId', '0'])).toEqual(['zero']);
	});

	it('gives the entries of a list at the end, and nothing for a missing field', () => {
		expect(valuesAt({ codes: [601, 602] }, ['codes'])).toEqual([601, 602]);
		expect(valuesAt(marketo, ['error', 'code'])).toEqual([]);
		expect(valuesAt('text', ['length'])).toEqual([]);
		expect(valuesAt({ a: null }, ['a', 'b'])).toEqual([]);
	});
});

describe('comparableText', () => {
	it('compares numbers, text, booleans and null as text; objects not at all', () => {
		expect([601, ' 601 ', true, null].map(comparableText)).toEqual(['601', '601', 'true', 'null']);
		expect(comparableText({ code: 601 })).toBeUndefined();
		expect(comparableText(undefined)).toBeUndefined();
	});
});
