import { parseRenewTokenWhenBody } from '../../../../../nodes/OAuth2HttpRequest/options/renewTokenWhenBody';
import { renewalAskedBy, type RenewalRules } from '../../../../../nodes/OAuth2HttpRequest/transport/renewalSignal';
import type { ApiResponse } from '../../../../../nodes/OAuth2HttpRequest/transport/session';

const json = { 'content-type': 'application/json;charset=UTF-8' };
const expired = { requestId: 'a#1', success: false, errors: [{ code: '602', message: 'Access token expired' }] };
const response = (statusCode: number, body: unknown, headers: Record<string, unknown> = json): ApiResponse => ({ statusCode, headers, body });

const marketo: RenewalRules = {
	renewOn: new Set([401]),
	renewWhenBody: parseRenewTokenWhenBody({ rules: [{ statusCodes: '200', field: 'errors.code', values: '601, 602' }] }),
};

describe('renewalAskedBy', () => {
	it('asks on a status of Renew Token on Status Codes, without reading the body', () => {
		const body = { get errors() { throw new Error('read'); } };
		expect(renewalAskedBy(response(401, body), marketo)).toEqual({ by: 'status', status: 401 });
	});

	it('asks when the body has a value of a rule, whatever form the body arrives in', () => {
		const ask = { by: 'body', status: 200, field: 'errors.code', value: '602' };
		expect(renewalAskedBy(response(200, expired), marketo)).toEqual(ask);
		expect(renewalAskedBy(response(200, JSON.stringify(expired)), marketo)).toEqual(ask);
		expect(renewalAskedBy(response(200, Buffer.from(`\ufeff \n${JSON.stringify(expired)}`)), marketo)).toEqual(ask);
		expect(renewalAskedBy(response(200, new Uint8Array(Buffer.from(JSON.stringify(expired)))), marketo)).toEqual(ask);
		// No content type, or a wrong one: the bytes decide.
		expect(renewalAskedBy(response(200, Buffer.from(JSON.stringify(expired)), {}), marketo)).toEqual(ask);
		// A number matches the text of a value.
		expect(renewalAskedBy(response(200, { errors: [{ code: 601 }] }), marketo)).toMatchObject({ value: '601' });
	});

	it('does not ask for other values, other statuses, bodies that are no JSON, or without the option', () => {
		expect(renewalAskedBy(response(200, { success: false, errors: [{ code: '1003' }] }), marketo)).toBeUndefined();
		expect(renewalAskedBy(response(200, { success: true, result: [{ code: '601' }] }), marketo)).toBeUndefined();
		expect(renewalAskedBy(response(400, expired), marketo)).toBeUndefined();
		expect(renewalAskedBy(response(200, 'errors.code=601', { 'content-type': 'text/plain' }), marketo)).toBeUndefined();
		expect(renewalAskedBy(response(200, Buffer.from('{"errors": [{"code": "601"')), marketo)).toBeUndefined();
		expect(renewalAskedBy(response(200, Buffer.from([0x89, 0x50, 0x4e, 0x47])), marketo)).toBeUndefined();
		expect(renewalAskedBy(response(200, expired), { renewOn: new Set([401]) })).toBeUndefined();
	});

	it('parses the body once for all rules, and not at all when no rule is for its status', () => {
		const rules: RenewalRules = {
			renewOn: new Set(),
			renewWhenBody: parseRenewTokenWhenBody({
				rules: [
					{ statusCodes: '200', field: 'error', values: 'expired' },
					{ statusCodes: '200', field: 'errors.code', values: '602' },
					{ statusCodes: '400', field: 'error', values: 'invalid_token' },
				],
			}),
		};
		const parse = jest.spyOn(JSON, 'parse');
		try {
			expect(renewalAskedBy(response(200, JSON.stringify(expired)), rules)).toMatchObject({ field: 'errors.code' });
			expect(parse).toHaveBeenCalledTimes(1);
			expect(renewalAskedBy(response(500, JSON.stringify(expired)), rules)).toBeUndefined();
			expect(parse).toHaveBeenCalledTimes(1);
		} finally {
			parse.mockRestore();
		}
	});

	it('checks a response of any status when a rule has no status codes', () => {
		const rules: RenewalRules = { renewOn: new Set(), renewWhenBody: parseRenewTokenWhenBody({ rules: [{ field: 'error', values: 'invalid_token' }] }) };
		expect(renewalAskedBy(response(400, { error: 'invalid_token' }), rules)).toMatchObject({ by: 'body', status: 400 });
		expect(renewalAskedBy(response(200, { error: 'invalid_token' }), rules)).toMatchObject({ by: 'body', status: 200 });
	});
});
