// Bad input in the credential's fields, through the credential's real code path (preAuthentication
// with an axios `helpers.httpRequest`): what is refused before anything is sent, and what is sent
// exactly how. Every case records a row of the fault table.
import { ClientCredentialsOAuth2Api } from '../../credentials/ClientCredentialsOAuth2Api.credentials';
import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { useLab } from '../support/lab';
import { preAuthenticationThis } from './axiosHttpRequest';
import { assertNothingLeaks, credentialData, errorOf, FAULT_SECRET, fieldsOf, preAuthenticate, rows } from './credentialPath';

const GROUP = 'credential input';
const lab = useLab();
let sent: jest.SpyInstance;



beforeEach(async () => {
	await lab.reset();
	sharedAuthenticator.clear();
	sent = jest.spyOn(preAuthenticationThis.helpers, 'httpRequest');
});

afterEach(() => {
	sent.mockRestore();
});

function inputCase(name: string, expected: string, body: () => Promise<string>): void {
	it(name, async () => await rows.runCase({ group: GROUP, name, expected }, body));
}

/** The Authorization header and body the fault endpoint received for the only request. */
async function received(): Promise<{ authorization?: string; body: string }> {
	const { faultRequests } = await lab.stats();
	expect(faultRequests).toHaveLength(1);
	return { authorization: faultRequests[0].headers.authorization as string | undefined, body: faultRequests[0].body };
}

function basicPair(authorization: string | undefined): string {
	expect(authorization).toMatch(/^Basic /);
	return Buffer.from(String(authorization).slice('Basic '.length), 'base64').toString('utf8');
}

const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));

describe('token URL', () => {
	inputCase('token URL that is not a URL ("not a url")', 'refused before sending: "not an absolute URL", start it with https://', async () => {
		const error = errorOf(await preAuthenticate(credentialData('not a url')));
		expect(error.message).toBe('The access token URL "not a url" is not an absolute URL; it must start with https:// (or http://), e.g. https://not a url.');
		expect(sent).not.toHaveBeenCalled();
		return `nothing sent; error: ${error.message}`;
	});

	inputCase('token URL without a scheme', 'refused before sending, with the https:// form of what was typed', async () => {
		const error = errorOf(await preAuthenticate(credentialData('auth.example.com/oauth/token')));
		expect(error.message).toContain('is not an absolute URL; it must start with https:// (or http://), e.g. https://auth.example.com/oauth/token.');
		expect(sent).not.toHaveBeenCalled();
		return `nothing sent; error: ${error.message}`;
	});

	inputCase('token URL with another scheme (ftp://)', 'refused before sending: must use https:// or http://', async () => {
		const error = errorOf(await preAuthenticate(credentialData('ftp://auth.example.com/token')));
		expect(error.message).toBe('The access token URL must use https:// or http://, not ftp://.');
		expect(sent).not.toHaveBeenCalled();
		return `nothing sent; error: ${error.message}`;
	});

	inputCase(
		'http:// to a host that is not loopback',
		'allowed (private networks use it), with a warning in the Token URL field\'s description; the request is sent',
		async () => {
			const description = new ClientCredentialsOAuth2Api().properties.find((p) => p.name === 'tokenUrl')?.description ?? '';
			expect(description).toContain('Use https:// for anything but a local server: with http:// the secret crosses the network in clear text.');
			const url = 'http://auth.partner.invalid/oauth/token';
			const error = errorOf(await preAuthenticate(credentialData(url)));
			// Sent, and failed only because .invalid never resolves: no refusal of http:// itself.
			expect(sent).toHaveBeenCalled();
			expect((sent.mock.calls[0][0] as { url: string }).url).toBe(url);
			expect(error.message).toMatch(new RegExp(`^Token request to ${url.replace(/\./g, '\\.')} failed: host not found`));
			return `request sent to ${url} (${sent.mock.calls.length} attempt${sent.mock.calls.length === 1 ? '' : 's'}; failed: host not found); field description warns about http://`;
		},
	);
});

describe('client and scope', () => {
	inputCase('empty client ID (empty, or only spaces)', 'refused before sending: "The client ID is missing."', async () => {
		const empty = errorOf(await preAuthenticate(credentialData(lab.urls.faultTokenUrl, { clientId: '' })));
		const spaces = errorOf(await preAuthenticate(credentialData(lab.urls.faultTokenUrl, { clientId: '   ' })));
		expect(empty.message).toBe('The client ID is missing.');
		expect(spaces.message).toBe('The client ID is missing.');
		expect(sent).not.toHaveBeenCalled();
		return `nothing sent; error: ${empty.message}`;
	});

	inputCase(
		'secret with ":", "%", "+" and "é" (RFC 6749 §2.3.1)',
		'Basic: id and secret form-encoded, then base64 (UTF-8); raw Basic as typed; body: form-encoded; real servers accept them',
		async () => {
			const id = 'fault client';
			const rfc = fieldsOf(await preAuthenticate(credentialData(lab.urls.faultTokenUrl, { clientId: id })));
			expect(rfc.accessToken).toMatch(/^fault-/);
			const rfcPair = basicPair((await received()).authorization);
			expect(rfcPair).toBe('fault+client:fault-S3cret%3A%25%2B%C3%A9');
			const [encodedId, encodedSecret] = rfcPair.split(':');
			expect([formDecode(encodedId), formDecode(encodedSecret)]).toEqual([id, FAULT_SECRET]);

			await lab.reset();
			sharedAuthenticator.clear();
			fieldsOf(await preAuthenticate(credentialData(lab.urls.faultTokenUrl, { clientId: id, clientAuthentication: 'headerRaw' })));
			expect(basicPair((await received()).authorization)).toBe(`${id}:${FAULT_SECRET}`);

			await lab.reset();
			fieldsOf(await preAuthenticate(credentialData(lab.urls.faultTokenUrl, { clientId: id, clientAuthentication: 'body' })));
			expect((await received()).body).toBe('grant_type=client_credentials&client_id=fault+client&client_secret=fault-S3cret%3A%25%2B%C3%A9');

			// The lab's real servers: RFC Basic is what oidc-provider and the JSON endpoint decode.
			const json = fieldsOf(await preAuthenticate(credentialData(lab.urls.jsonTokenUrl, { clientId: 'json-special', clientSecret: 'p%s+w:rd/é', requestFormat: 'json' })));
			const oidc = fieldsOf(await preAuthenticate(credentialData(lab.urls.oidcTokenUrl, { clientId: 'cc-special-ascii', clientSecret: 'p%s+w:rd/x' })));
			expect(json.accessToken).toBeTruthy();
			expect(oidc.accessToken).toBeTruthy();
			return `Basic decodes to "${rfcPair}" (form-decodes back to id and secret); raw Basic "${id}:<secret as typed>"; body client_secret=fault-S3cret%3A%25%2B%C3%A9; tokens issued by the JSON endpoint (p%s+w:rd/é) and oidc-provider (p%s+w:rd/x)`;
		},
	);

	inputCase('scope with commas and new lines ("read,write\\n admin")', 'sent as one space-separated scope: "read write admin"', async () => {
		fieldsOf(await preAuthenticate(credentialData(lab.urls.faultTokenUrl, { scope: 'read,write\n admin ', clientAuthentication: 'body' })));
		const { body } = await received();
		expect(new URLSearchParams(body).get('scope')).toBe('read write admin');
		return `body scope=${new URLSearchParams(body).get('scope')?.replace(/ /g, '+')}`;
	});
});

describe('extra token parameters', () => {
	for (const name of ['grant_type', 'client_id', 'Client_Secret']) {
		inputCase(`extra parameter "${name}" trying to override the engine's own`, 'refused before sending, naming the parameter', async () => {
			const error = errorOf(
				await preAuthenticate(credentialData(lab.urls.faultTokenUrl, { extraParameters: { parameter: [{ name: 'tenant', value: 'acme' }, { name, value: 'evil' }] } })),
			);
			expect(error.message).toBe(
				`The extra parameter "${name}" cannot be set: the node sends ${name.toLowerCase()} itself. Remove it from the extra parameters.`,
			);
			expect(sent).not.toHaveBeenCalled();
			assertNothingLeaks(error, [FAULT_SECRET]);
			return `nothing sent; error: ${error.message}`;
		});
	}
});
