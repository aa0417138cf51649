import type { INodeExecutionData } from 'n8n-workflow';

import { openSessions, sessionKeyOf } from '../../../../../nodes/OAuth2HttpRequest/transport/openSession';
import { clientData } from '../../../../support/credentialFixtures';
import { fakeN8n } from '../../../../support/fakeN8n';

const TYPE = 'clientCredentialsOAuth2Api';
const items = (tenants: string[]): INodeExecutionData[] => tenants.map((tenant, i) => ({ json: { i, tenant } }));

function sessionsFor(data: Record<string, unknown>, tenants: string[]) {
	const n8n = fakeN8n({ items: items(tenants), credential: { type: TYPE, data: clientData(data) } });
	return { n8n, sessions: openSessions(n8n.ctx, TYPE) };
}

describe('CredentialSessions', () => {
	it('gives items whose credential resolves alike one session, and others their own', async () => {
		const { n8n, sessions } = sessionsFor({ audience: '={{ $json.tenant }}' }, ['a', 'b', 'a', 'c', 'b']);
		const got = await Promise.all([0, 1, 2, 3, 4].map((i) => sessions.forItem(i)));
		expect(got[0]).toBe(got[2]);
		expect(got[1]).toBe(got[4]);
		expect(new Set(got).size).toBe(3);
		expect(got.map((session) => session.credentials.audience)).toEqual(['a', 'b', 'a', 'c', 'b']);
		expect(n8n.credentialReads).toBe(5);
	});

	it('keeps one session when only the stored token differs between reads (n8n stored a renewal meanwhile)', async () => {
		const { n8n, sessions } = sessionsFor({}, ['a', 'a']);
		const first = await sessions.forItem(0);
		n8n.stored.accessToken = 'renewed-by-another-item';
		n8n.stored.expiresAt = Date.now() + 3_600_000;
		expect(await sessions.forItem(1)).toBe(first);
		expect(sessions.size).toBe(1);
	});

	it('tells apart credentials that differ in a nested field (an extra token parameter)', async () => {
		const extra = (value: string) => ({ parameter: [{ name: 'tenant', value }] });
		const { n8n, sessions } = sessionsFor({ extraParameters: extra('a') }, ['a', 'b', 'a']);
		const first = await sessions.forItem(0);
		n8n.stored.extraParameters = extra('b');
		const second = await sessions.forItem(1);
		n8n.stored.extraParameters = extra('a');
		expect(second).not.toBe(first);
		expect(await sessions.forItem(2)).toBe(first);
		const base = clientData();
		expect(sessionKeyOf({ ...base, extraParameters: extra('a') })).not.toBe(sessionKeyOf({ ...base, extraParameters: extra('b') }));
		expect(sessionKeyOf({ ...base, extraParameters: extra('a') })).toBe(sessionKeyOf({ ...base, extraParameters: extra('a'), accessToken: 'x', fingerprint: 'y' }));
	});

	it('refuses a node without a selected credential before reading anything', () => {
		const n8n = fakeN8n({});
		expect(() => openSessions(n8n.ctx, TYPE)).toThrow('Select a credential of type "clientCredentialsOAuth2Api" for this node');
		expect(n8n.credentialReads).toBe(0);
	});
});
