// The engine names configuration fields in its own terms (engine/error.ts ConfigField); the form
// calls some of them otherwise. This maps one to the other, and gives the engine the words n8n users
// know for its messages.

import type { ConfigField, Wording } from '../../engine';
import { credentialProperties } from './properties';

/** The credential form field of each engine field; undefined where the form has none (the grant is the credential type). */
const FORM_FIELDS: Record<ConfigField, string | undefined> = {
	tokenUrl: 'tokenUrl',
	issuerUrl: 'issuerUrl',
	grantType: undefined,
	clientId: 'clientId',
	clientSecret: 'clientSecret',
	clientAuthentication: 'clientAuthentication',
	requestFormat: 'requestFormat',
	scope: 'scope',
	audience: 'audience',
	resource: 'resource',
	extraParameters: 'extraParameters',
	extraHeaders: 'extraHeaders',
	customGrantType: 'customGrantType',
	username: 'username',
	password: 'password',
	renewalMarginSeconds: 'renewalMarginSeconds',
	defaultLifetimeSeconds: 'defaultLifetimeSeconds',
	requestTimeoutSeconds: 'requestTimeoutSeconds',
	ignoreSslIssues: 'ignoreSslIssues',
	privateKey: 'privateKey',
	privateKeyId: 'privateKeyId',
	signingAlgorithm: 'signingAlgorithm',
	privateKeyCertificate: 'privateKeyCertificate',
	'tls.cert': 'clientCertificate',
	'tls.key': 'clientCertificateKey',
	'tls.passphrase': 'clientCertificatePassphrase',
	'tls.ca': 'caCertificate',
	refreshToken: 'refreshToken',
	responseFields: 'responseFields',
	'responseFields.accessToken': 'responseAccessPath',
	'responseFields.expiry': 'responseExpiryPath',
	'responseFields.refreshToken': 'responseRefreshPath',
};

export function formFieldOf(field: ConfigField | undefined): string | undefined {
	return field === undefined ? undefined : FORM_FIELDS[field];
}

/** Display names of the form fields, from the properties themselves (each grant has a few of its own). */
const LABELS = new Map([...credentialProperties('client_credentials'), ...credentialProperties('password')].map((property) => [property.name, property.displayName]));

/** The engine's messages in the words of n8n's credential form. */
export const N8N_WORDING: Wording = {
	sender: 'the node',
	runner: 'n8n',
	skipTlsValidation: 'turn on Ignore SSL Issues',
	fieldLabel: (field) => LABELS.get(formFieldOf(field) ?? '') ?? field,
};
