// Security: trust and storage (issue 14, findings 9, 10, 11), through the engine and the credential's
// own code path against the lab: caches never let a credential that skips TLS checks seed metadata or a
// token that a strict credential then uses; only Bearer tokens are used; the stored fingerprint is
// salted and slow, and a token stored by 0.2.0 keeps working; every stored field is one n8n redacts.
// Every case records a row of the fault table.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../credentials/ClientCredentialsOAuth2Api.credentials';
import { authenticateFor } from '../../credentials/common/authenticate';
import { tokenConfigFromCredentials } from '../../credentials/common/credentialData';
import { STORED_FIELDS } from '../../credentials/common/names';
import { sharedAuthenticator } from '../../credentials/common/sharedAuthenticator';
import { n8nTransport } from '../../credentials/common/tokenTransport';
import { PasswordGrantOAuth2Api } from '../../credentials/PasswordGrantOAuth2Api.credentials';
import * as engine from '../../engine';
import { TokenAuthenticator, type TokenRequestConfig, type Transport } from '../../engine';
import { createTestPki, removeTestPki, type TestPki } from '../servers/certificates';
import { useLab } from '../support/lab';
import { axiosHttpRequest } from './axiosHttpRequest';
import { credentialData, errorOf, FAULT_PASSWORD, FAULT_SECRET, fieldsOf, passwordData, preAuthenticate, rows } from './credentialPath';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const GROUP = 'security: trust and storage';

let pki: TestPki;
const lab = useLab(() => {
	pki = createTestPki();
	return { LAB_PKI_DIR: pki.dir };
});

afterAll(() => removeTestPki(pki));

beforeEach(async () => {
	await lab.reset();
	await lab.configure({ accessTokenTtlSeconds: 3600, tokenDelayMs: 0 });
	sharedAuthenticator.clear();
});

function trustCase(name: string, expected: string, body: () => Promise<string>): void {
	it(name, async () => await rows.runCase({ group: GROUP, name, expected }, body));
}

// The functions this part adds to the engine, read at run time so the file loads on the code before them.
type Fingerprints = {
	legacyFingerprintOf(config: TokenRequestConfig): string;
	newFingerprint(config: TokenRequestConfig): string;
	fingerprintMatches(fingerprint: string, config: TokenRequestConfig): boolean;
};
const fingerprints = engine as unknown as Fingerprints;

const tlsToken = () => `${lab.urls.mtlsBaseUrl}/faults/token`;
const tlsIssuer = () => `${lab.urls.mtlsBaseUrl}/origin-issuer`;

/** How many token requests reached the fault endpoint (over HTTP or TLS). */
async function tokenRequestsSeen(): Promise<number> {
	return (await lab.stats()).faultRequests.filter((request) => request.method === 'POST').length;
}

function outcomeText(outcome: { error?: Error; fields?: Record<string, unknown> }): string {
	return outcome.error ? `error: ${outcome.error.message}` : `token ${String(outcome.fields?.accessToken).slice(0, 10)}…`;
}

/** The engine alone, over the glue's transport on the test's n8n-like httpRequest; counts discovery fetches. */
function engineLevel() {
	const discovery: string[] = [];
	const send = n8nTransport(axiosHttpRequest);
	const transport: Transport = async (request) => {
		if (request.method === 'GET') discovery.push(request.url);
		return await send(request);
	};
	const authenticator = new TokenAuthenticator();
	const getToken = async (data: ICredentialDataDecryptedObject) => {
		try {
			const token = await authenticator.getToken(tokenConfigFromCredentials(data, 'client_credentials'), { transport, sleep: async () => undefined });
			return { fields: { accessToken: token.accessToken, accessTokenType: token.tokenType } as Record<string, unknown> };
		} catch (error) {
			return { error: error as Error };
		}
	};
	return { getToken, discovery };
}

const levels = [
	['engine', () => engineLevel().getToken],
	['credential', () => preAuthenticate],
] as const;

describe('finding 9: caches keyed by everything that changes trust', () => {
	for (const [level, makeGetToken] of levels) {
		trustCase(
			`${level}: a token fetched with Ignore SSL Issues is not handed to the same credential without it`,
			'the lenient credential gets a token from the untrusted TLS endpoint; the strict one asks itself and fails on the certificate',
			async () => {
				const getToken = makeGetToken();
				const lenient = await getToken(credentialData(tlsToken(), { ignoreSslIssues: true }));
				const lenientToken = String(fieldsOf(lenient as never).accessToken);
				const strict = await getToken(credentialData(tlsToken(), { ignoreSslIssues: false }));
				expect(strict.fields?.accessToken).not.toBe(lenientToken);
				const error = errorOf(strict as never);
				expect(error.message).toContain(`Token request to ${tlsToken()} failed`);
				expect(await tokenRequestsSeen()).toBe(1);
				return `lenient: ${outcomeText(lenient)}; strict: ${outcomeText(strict)}`;
			},
		);

		trustCase(
			`${level}: metadata discovered with Ignore SSL Issues does not serve a strict credential of the same issuer`,
			'the strict credential fetches the metadata itself and fails on the certificate, naming the issuer; no token request',
			async () => {
				const getToken = makeGetToken();
				const lenient = await getToken(credentialData('', { issuerUrl: tlsIssuer(), ignoreSslIssues: true }));
				fieldsOf(lenient as never);
				// Another client, so that only the metadata could be shared.
				const strict = await getToken(credentialData('', { issuerUrl: tlsIssuer(), clientId: 'strict-client', ignoreSslIssues: false }));
				const error = errorOf(strict as never);
				expect(error.message).toContain(`Could not find the token endpoint of issuer ${tlsIssuer()}`);
				expect(await tokenRequestsSeen()).toBe(1);
				return `lenient: ${outcomeText(lenient)}; strict: ${outcomeText(strict)}`;
			},
		);
	}

	trustCase(
		'engine: metadata is fetched once per trust setting, and reused within one',
		'two lenient credentials share one discovery; a strict one with the same issuer fetches its own',
		async () => {
			const { getToken, discovery } = engineLevel();
			fieldsOf((await getToken(credentialData('', { issuerUrl: tlsIssuer(), ignoreSslIssues: true }))) as never);
			fieldsOf((await getToken(credentialData('', { issuerUrl: tlsIssuer(), clientId: 'second', ignoreSslIssues: true }))) as never);
			expect(discovery).toHaveLength(1);
			errorOf((await getToken(credentialData('', { issuerUrl: tlsIssuer(), clientId: 'third' }))) as never);
			expect(discovery.length).toBeGreaterThan(1);
			return `${discovery.length} discovery requests: ${discovery.join(', ')}`;
		},
	);

	trustCase(
		'credential: a token fetched trusting one CA is not handed to the same client certificate trusting another',
		'the credential with the lab CA gets a token; the one with another CA asks itself and fails on the certificate',
		async () => {
			const tls = { useClientCertificate: true, clientCertificate: pki.client.cert, clientCertificateKey: pki.client.key };
			const trusted = await preAuthenticate(credentialData(tlsToken(), { ...tls, caCertificate: pki.ca }));
			fieldsOf(trusted);
			const rogueCa = fs.readFileSync(path.join(pki.dir, 'rogue-ca.pem'), 'utf8');
			const other = await preAuthenticate(credentialData(tlsToken(), { ...tls, caCertificate: rogueCa }));
			errorOf(other);
			expect(await tokenRequestsSeen()).toBe(1);
			return `lab CA: ${outcomeText(trusted)}; other CA: ${outcomeText(other)}`;
		},
	);

	trustCase(
		'credential: a token stored with Ignore SSL Issues is stale once the setting is off',
		'authenticate refuses to send it (renewal needed) instead of using a token the strict setting never checked',
		async () => {
			const lenient = credentialData(tlsToken(), { ignoreSslIssues: true, baseUrl: lab.urls.apiUrl });
			const stored = { ...lenient, ...fieldsOf(await preAuthenticate(lenient)) } as ICredentialDataDecryptedObject;
			const request = { url: `${lab.urls.apiUrl}/echo`, headers: {} } as IHttpRequestOptions;
			await authenticateFor('clientCredentialsOAuth2Api')(stored, request);
			const strict = { ...stored, ignoreSslIssues: false };
			const refused = await authenticateFor('clientCredentialsOAuth2Api')(strict, { url: `${lab.urls.apiUrl}/echo`, headers: {} }).then(
				() => undefined,
				(error: Error) => error,
			);
			expect(refused?.message).toMatch(/renew|issued for different/i);
			return `lenient: sent; strict: ${refused?.message}`;
		},
	);
});

describe('finding 10: only Bearer tokens are used', () => {
	const token = (type: unknown) => ({
		status: 200,
		headers: { 'content-type': 'application/json' },
		body: { access_token: `typed-${Math.random().toString(36).slice(2)}`, expires_in: 3600, ...(type === undefined ? {} : { token_type: type }) },
	});

	for (const type of ['mac', 'DPoP', 'N_A', 'PoP', 7]) {
		trustCase(
			`token_type ${JSON.stringify(type)}`,
			'refused: error names the token endpoint and the type (RFC 6749 §7.1), never the token; nothing stored',
			async () => {
				const answer = token(type);
				await lab.queueTokenFaults([answer]);
				const error = errorOf(await preAuthenticate(credentialData(lab.urls.faultTokenUrl)));
				expect(error.message).toContain(`Token request to ${lab.urls.faultTokenUrl} failed`);
				expect(error.message).toContain(`"${String(type)}"`);
				expect(error.message).toContain('Bearer');
				const shown = [error.message, (error as { description?: string }).description ?? '', error.stack ?? ''].join('\n');
				expect(shown).not.toContain(answer.body.access_token);
				expect(await tokenRequestsSeen()).toBe(1);
				return `error: ${error.message}`;
			},
		);
	}

	for (const type of ['Bearer', 'bearer', 'BEARER', ' bearer ', undefined, '', null]) {
		trustCase(
			`token_type ${type === undefined ? 'missing' : JSON.stringify(type)}`,
			'used, stored and sent as Bearer (a missing type is taken as Bearer, as most servers mean)',
			async () => {
				await lab.queueTokenFaults([token(type)]);
				const data = credentialData(lab.urls.faultTokenUrl, { baseUrl: lab.urls.apiUrl });
				const fields = fieldsOf(await preAuthenticate(data));
				expect(fields[STORED_FIELDS.accessTokenType]).toBe('Bearer');
				const request = await authenticateFor('clientCredentialsOAuth2Api')({ ...data, ...fields } as ICredentialDataDecryptedObject, { url: `${lab.urls.apiUrl}/echo`, headers: {} });
				expect((request.headers as Record<string, string>).Authorization).toBe(`Bearer ${String(fields.accessToken)}`);
				return `stored type ${String(fields[STORED_FIELDS.accessTokenType])}; header "Bearer …"`;
			},
		);
	}

	trustCase('a user-set header prefix', 'kept: "Token <token>", and "<token>" alone for an empty prefix', async () => {
		const data = credentialData(lab.urls.faultTokenUrl, { baseUrl: lab.urls.apiUrl });
		const fields = fieldsOf(await preAuthenticate(data));
		const headerWith = async (prefix: string) => {
			const request = await authenticateFor('clientCredentialsOAuth2Api')({ ...data, ...fields, authHeaderPrefix: prefix } as ICredentialDataDecryptedObject, { url: `${lab.urls.apiUrl}/echo`, headers: {} });
			return (request.headers as Record<string, string>).Authorization;
		};
		expect(await headerWith('Token')).toBe(`Token ${String(fields.accessToken)}`);
		expect(await headerWith('')).toBe(String(fields.accessToken));
		return 'prefix "Token" and empty prefix sent as set';
	});

	trustCase(
		'a token stored by 0.2.0 with token_type "mac"',
		'not sent: authenticate asks for a renewal, which then fails with the clear error if the server still says "mac"',
		async () => {
			const data = credentialData(lab.urls.faultTokenUrl, { baseUrl: lab.urls.apiUrl });
			const fields = fieldsOf(await preAuthenticate(data));
			const stored = { ...data, ...fields, [STORED_FIELDS.accessTokenType]: 'mac' } as ICredentialDataDecryptedObject;
			// A new process after the upgrade: only storage holds the token.
			sharedAuthenticator.clear();
			const refused = await authenticateFor('clientCredentialsOAuth2Api')(stored, { url: `${lab.urls.apiUrl}/echo`, headers: {} }).then(
				(request) => `sent: ${JSON.stringify(request.headers)}`,
				(error: Error) => error.message,
			);
			expect(refused).not.toMatch(/^sent/);
			expect(refused).toMatch(/renew|fetched before/i);
			return refused;
		},
	);
});

describe('finding 11: the stored fingerprint is no password oracle', () => {
	trustCase(
		'two credentials with the same fields and password',
		'different stored fingerprints (random salt), neither the unsalted SHA-256 of 0.2.0; scrypt with at least 2^14 rounds',
		async () => {
			const data = passwordData(lab.urls.faultTokenUrl);
			const first = String(fieldsOf(await preAuthenticate(data, 'password')).fingerprint);
			sharedAuthenticator.clear();
			const second = String(fieldsOf(await preAuthenticate(data, 'password')).fingerprint);
			expect(first).not.toBe(second);
			const legacy = fingerprints.legacyFingerprintOf(tokenConfigFromCredentials(data, 'password'));
			for (const stored of [first, second]) {
				expect(stored).not.toBe(legacy);
				expect(stored).not.toMatch(/^[0-9a-f]{64}$/);
				expect(stored).not.toContain(FAULT_PASSWORD);
				expect(stored).not.toContain(FAULT_SECRET);
				const ln = Number(/^\$scrypt\$ln=(\d+),/.exec(stored)?.[1]);
				expect(ln).toBeGreaterThanOrEqual(14);
			}
			return `${first.slice(0, 24)}… and ${second.slice(0, 24)}…`;
		},
	);

	trustCase('the 0.2.0 fingerprint of a fixed configuration', 'unchanged (so tokens stored by 0.2.0 are recognised)', async () => {
		const config: TokenRequestConfig = {
			tokenUrl: 'https://auth.example.test/oauth/token',
			grantType: 'password',
			clientId: 'my-client',
			clientSecret: 'client-secret-S3cr3t!',
			clientAuthentication: 'header',
			requestFormat: 'form',
			username: 'alice',
			password: 'alice-Pa55word!',
			scope: 'read write',
		};
		// Computed with fingerprintOf of the published 0.2.0 tarball.
		const pinned = '1c1290bcda77009720271c33f7549aa773f757e05548ebe6852c78db76ed6461';
		expect(fingerprints.legacyFingerprintOf(config)).toBe(pinned);
		expect(fingerprints.fingerprintMatches(pinned, config)).toBe(true);
		expect(fingerprints.fingerprintMatches(pinned, { ...config, password: 'other' })).toBe(false);
		return `legacy ${pinned.slice(0, 12)}… accepted for the same fields, refused for another password`;
	});

	trustCase(
		'a valid token stored by 0.2.0 (unsalted fingerprint)',
		'sent as it is: no token request on upgrade',
		async () => {
			const data = credentialData(lab.urls.faultTokenUrl, { baseUrl: lab.urls.apiUrl });
			const legacy = fingerprints.legacyFingerprintOf(tokenConfigFromCredentials(data, 'client_credentials'));
			const stored = { ...data, accessToken: 'stored-by-0.2.0', expiresAt: Date.now() + 3_600_000, issuedAt: Date.now() - 60_000, fingerprint: legacy };
			const request = await authenticateFor('clientCredentialsOAuth2Api')(stored, { url: `${lab.urls.apiUrl}/echo`, headers: {} });
			expect((request.headers as Record<string, string>).Authorization).toBe('Bearer stored-by-0.2.0');
			expect(await tokenRequestsSeen()).toBe(0);
			return 'sent with the stored token; 0 token requests';
		},
	);

	trustCase(
		'a refresh token stored by 0.2.0, access token due',
		'renewed with the refresh token (the old fingerprint is accepted once); the new token is stored with the new fingerprint form',
		async () => {
			const data = passwordData(lab.urls.faultTokenUrl);
			const legacy = fingerprints.legacyFingerprintOf(tokenConfigFromCredentials(data, 'password'));
			const stored = { ...data, accessToken: '', refreshToken: 'refresh-by-0.2.0', expiresAt: 0, fingerprint: legacy };
			const fields = fieldsOf(await preAuthenticate(stored, 'password'));
			const [request] = (await lab.stats()).faultRequests;
			expect(new URLSearchParams(request.body).get('grant_type')).toBe('refresh_token');
			expect(String(fields.fingerprint)).toMatch(/^\$scrypt\$/);
			expect(fingerprints.fingerprintMatches(String(fields.fingerprint), tokenConfigFromCredentials(data, 'password'))).toBe(true);
			return `grant refresh_token; new fingerprint ${String(fields.fingerprint).slice(0, 24)}…`;
		},
	);

	trustCase(
		'a 0.2.0 fingerprint that no longer matches (the password changed)',
		'stale: the stored token is not sent and the refresh token not used; a new token is fetched with the password',
		async () => {
			const before = passwordData(lab.urls.faultTokenUrl, { baseUrl: lab.urls.apiUrl });
			const legacy = fingerprints.legacyFingerprintOf(tokenConfigFromCredentials(before, 'password'));
			const changed = { ...before, password: 'a-new-password', accessToken: 'stored-by-0.2.0', refreshToken: 'refresh-by-0.2.0', expiresAt: Date.now() + 3_600_000, fingerprint: legacy };
			const refused = await authenticateFor('passwordGrantOAuth2Api')(changed, { url: `${lab.urls.apiUrl}/echo`, headers: {} }).then(
				() => 'sent',
				(error: Error) => error.message,
			);
			expect(refused).toMatch(/issued for different/);
			fieldsOf(await preAuthenticate(changed, 'password'));
			const [request] = (await lab.stats()).faultRequests;
			expect(new URLSearchParams(request.body).get('grant_type')).toBe('password');
			return `authenticate: ${refused}; renewal grant password`;
		},
	);

	trustCase(
		'a new-form fingerprint, checked again and again',
		'valid for the same fields, stale for a changed secret, scope or trust setting',
		async () => {
			const data = credentialData(lab.urls.faultTokenUrl);
			const config = tokenConfigFromCredentials(data, 'client_credentials');
			const stored = fingerprints.newFingerprint(config);
			expect(fingerprints.fingerprintMatches(stored, config)).toBe(true);
			expect(fingerprints.fingerprintMatches(stored, { ...config })).toBe(true);
			for (const change of [{ clientSecret: 'other' }, { scope: 'admin' }, { ignoreSslIssues: true }, { tls: { ca: pki.ca } }]) {
				expect(fingerprints.fingerprintMatches(stored, { ...config, ...change })).toBe(false);
			}
			expect(fingerprints.fingerprintMatches('$scrypt$ln=30,r=8,p=1$AAAA$AAAA', config)).toBe(false);
			return 'same fields: valid; changed secret, scope, Ignore SSL Issues, CA: stale; absurd cost parameters: refused';
		},
	);
});

describe('finding 11: hidden fields are fields n8n redacts', () => {
	const types: Array<[string, INodeProperties[]]> = [
		['clientCredentialsOAuth2Api', new ClientCredentialsOAuth2Api().properties],
		['passwordGrantOAuth2Api', new PasswordGrantOAuth2Api().properties],
	];
	for (const [type, properties] of types) {
		trustCase(
			`${type}: every stored text field`,
			'is a password field (n8n sends the editor a sentinel and restores the value on save); the two times stay numbers (n8n 1.x cannot redact a number); the access token is still the first hidden field and expirable',
			async () => {
				const hidden = properties.filter((property) => property.type === 'hidden');
				expect(hidden.map((property) => property.name).sort()).toEqual(Object.values(STORED_FIELDS).sort());
				const visible = hidden.filter((property) => property.typeOptions?.password !== true);
				expect(visible.map((property) => [property.name, property.default])).toEqual([
					[STORED_FIELDS.expiresAt, 0],
					[STORED_FIELDS.obtainedAt, 0],
				]);
				for (const property of hidden) if (property.typeOptions?.password) expect(property.default).toBe('');
				expect(hidden[0].name).toBe(STORED_FIELDS.accessToken);
				expect(hidden[0].typeOptions?.expirable).toBe(true);
				return `${hidden.length} hidden fields, ${hidden.length - visible.length} password, the times plain; first: ${hidden[0].name} (expirable)`;
			},
		);
	}
});
