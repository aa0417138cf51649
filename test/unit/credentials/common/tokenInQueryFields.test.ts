// Issue 15 item 5: the "Send Token In" and "Query Parameter Name" fields (form, defaults, what a
// credential saved without them reads).
import type { INodeProperties } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../../../credentials/ClientCredentialsOAuth2Api.credentials';
import { PasswordGrantOAuth2Api } from '../../../../credentials/PasswordGrantOAuth2Api.credentials';
import { tokenPlacementOf } from '../../../../credentials/common/tokenPlacement';
import { clientData } from '../../../support/credentialFixtures';

describe('the fields', () => {
	const fields = new ClientCredentialsOAuth2Api().properties;
	const named = (name: string): INodeProperties => {
		const field = fields.find((p) => p.name === name);
		if (!field) throw new Error(`no field ${name}`);
		return field;
	};

	it('offer Header (the default) and Query Parameter, right before the header name', () => {
		const location = named('authLocation');
		expect(location.type).toBe('options');
		expect(location.default).toBe('header');
		expect((location.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['header', 'query']);
		const names = fields.map((p) => p.name);
		expect(names.indexOf('authLocation') + 2).toBe(names.indexOf('authHeaderName'));
		expect(names.indexOf('authQueryParameter')).toBe(names.indexOf('authLocation') + 1);
		expect(new PasswordGrantOAuth2Api().properties.map((p) => p.name)).toContain('authQueryParameter');
	});

	it('show the parameter name only for the query, the header name and prefix only for the header', () => {
		expect(named('authQueryParameter').default).toBe('access_token');
		expect(named('authQueryParameter').displayOptions).toEqual({ show: { authLocation: ['query'] } });
		expect(named('authHeaderName').displayOptions).toEqual({ show: { authLocation: ['header'] } });
		expect(named('authHeaderPrefix').displayOptions).toEqual({ show: { authLocation: ['header'] } });
	});

	it('have names n8n\'s credential-password-field lint does not take for secrets (no password field needed)', () => {
		// The rule's test: the lower-cased name holds a sensitive word and none of url, pub, id.
		const sensitive = ['password', 'secret', 'token', 'cert', 'passphrase', 'apikey', 'secretkey', 'privatekey', 'authkey'];
		for (const name of ['authLocation', 'authQueryParameter']) {
			const lower = name.toLowerCase();
			expect(sensitive.some((word) => lower.includes(word))).toBe(false);
			expect(named(name).typeOptions?.password).toBeUndefined();
		}
	});

	it('read as the header for a credential saved without them, or with an empty parameter name as access_token', () => {
		const old = clientData();
		delete old.authLocation;
		delete old.authQueryParameter;
		expect(tokenPlacementOf(old)).toEqual({ in: 'header', name: 'Authorization', prefix: 'Bearer' });
		expect(tokenPlacementOf(clientData({ authLocation: 'query', authQueryParameter: '  ' }))).toEqual({ in: 'query', parameter: 'access_token' });
		expect(tokenPlacementOf(clientData({ authLocation: ' query ', authQueryParameter: ' token ' }))).toEqual({ in: 'query', parameter: 'token' });
	});
});
