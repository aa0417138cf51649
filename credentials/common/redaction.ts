import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { Redactor } from '../../engine/redact';
import { pemBodyLinesOf } from '../../engine/tls';
import { pastedPem } from './clientTls';
import { extraHeadersOf, headerSettingsOf } from './credentialData';
import { tokenParameterOf } from './tokenPlacement';
import { STORED_FIELDS } from './names';

// Which values of a credential the one redaction policy (engine/redact.ts) keeps out of messages:
// the credential glue and the node both ask here, so a field added to the form is masked everywhere.

/** The form and stored fields that hold a secret, whatever the credential type or method in use. */
const SECRET_FIELDS = ['clientSecret', 'password', 'clientCertificatePassphrase'] as const;
const PEM_FIELDS = ['privateKey', 'clientCertificateKey'] as const;
const STORED_SECRETS = [STORED_FIELDS.accessToken, STORED_FIELDS.refreshToken, STORED_FIELDS.fingerprint] as const;

const text = (value: unknown): string => (typeof value === 'string' ? value : value == null ? '' : String(value));

/** Every value `data` holds that no message may show: secrets, keys (and each line of them), tokens. */
export function credentialValuesOf(data: ICredentialDataDecryptedObject): string[] {
	const values: string[] = [];
	for (const field of SECRET_FIELDS) values.push(text(data[field]));
	for (const field of PEM_FIELDS) {
		const pasted = text(data[field]);
		const pem = pastedPem(pasted).trim();
		values.push(pasted, pem, ...pemBodyLinesOf(pem));
	}
	for (const field of STORED_SECRETS) values.push(text(data[field]));
	// Gateway keys of the token request (Extra Token Request Headers): as typed, and as a server trims them.
	for (const header of extraHeadersOf(data.extraHeaders) ?? []) values.push(header.value, header.value.trim());
	return values.filter((value) => value !== '');
}

/**
 * The redactor for messages about this credential: its values, the HTTP Basic forms of its client id
 * and secret, the header or query parameter its token travels in, and `more` (every token issued or
 * sent for it).
 */
export function credentialRedactor(data: ICredentialDataDecryptedObject, more: Iterable<unknown> = []): Redactor {
	const header = headerSettingsOf(data).name;
	const parameter = tokenParameterOf(data);
	const gatewayHeaders = (extraHeadersOf(data.extraHeaders) ?? []).map((extra) => extra.name);
	const redactor = new Redactor([...credentialValuesOf(data), ...more], { headers: [header, ...gatewayHeaders], parameters: parameter ? [parameter] : [] });
	const secret = text(data.clientSecret);
	if (secret) redactor.addBasic(text(data.clientId).trim(), secret);
	return redactor;
}
