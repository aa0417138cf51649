import { NodeOperationError } from 'n8n-workflow';

import { parseRenewTokenWhenBody } from '../../../../../nodes/OAuth2HttpRequest/options/renewTokenWhenBody';
import { parseRunOptions, readRunOptions } from '../../../../../nodes/OAuth2HttpRequest/options/runOptions';
import { fakeContext } from '../../../../support/fakeN8n';

const marketo = { rules: [{ statusCodes: '200', field: 'errors.code', values: '601, 602' }] };

describe('Renew Token When Response Body Says', () => {
	it('is off when not set: no rules, and the run options hold none', () => {
		expect(parseRenewTokenWhenBody(undefined)).toEqual([]);
		expect(parseRenewTokenWhenBody({})).toEqual([]);
		expect(parseRunOptions({}).renewTokenWhenBody).toBeUndefined();
	});

	it('reads a rule: statuses, the field as keys, the values as text', () => {
		expect(parseRenewTokenWhenBody(marketo)).toEqual([
			{ statuses: new Set([200]), field: 'errors.code', path: ['errors', 'code'], values: new Set(['601', '602']) },
		]);
		expect(parseRunOptions({ renewTokenWhenBody: marketo }).renewTokenWhenBody).toHaveLength(1);
	});

	it('checks a response of any status when Status Codes is empty, and reads several rules', () => {
		const rules = parseRenewTokenWhenBody({
			rules: [
				{ field: 'error', values: 'invalid_token' },
				{ statusCodes: '200 400', field: 'result[0].status', values: ' EXPIRED ,, 419 ' },
			],
		});
		expect(rules[0].statuses).toEqual(new Set());
		expect(rules[1]).toMatchObject({ statuses: new Set([200, 400]), path: ['result', '0', 'status'], values: new Set(['EXPIRED', '419']) });
	});

	it.each([
		[{ rules: [{ values: '601' }] }, 'rule 1 has no Field'],
		[{ rules: [{ field: 'errors.code', values: '601' }, { field: 'code', values: ' , ' }] }, 'rule 2 has no Values'],
		[{ rules: [{ field: 'errors..code', values: '601' }] }, 'has an empty part'],
		[{ rules: [{ statusCodes: '2xx', field: 'code', values: '1' }] }, '"Renew Token When Response Body Says > Status Codes" contains "2xx"'],
	])('names what is wrong in %j', (raw, message) => {
		expect(() => parseRenewTokenWhenBody(raw)).toThrow(message);
	});

	it('fails the node with a NodeOperationError naming the option', () => {
		const ctx = fakeContext({ params: { options: { renewTokenWhenBody: { rules: [{ field: '', values: '601' }] } } } });
		expect(() => readRunOptions(ctx)).toThrow(NodeOperationError);
		expect(() => readRunOptions(ctx)).toThrow('"Renew Token When Response Body Says": rule 1 has no Field');
	});
});
