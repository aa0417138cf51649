// The few words of the engine's messages that depend on where it runs. The engine writes them in its
// own terms; a host (the n8n glue in credentials/common/) passes the words its users know.

import type { ConfigField } from './error';

export interface Wording {
	/** What sends the token request, as the user knows it: "the node sends grant_type itself". */
	sender: string;
	/** Where the engine runs: "check that the server is reachable from n8n". */
	runner: string;
	/** How the user turns certificate validation off: "or turn on Ignore SSL Issues if you trust this server". */
	skipTlsValidation: string;
	/** The name the user sees for a configuration field: "use the Scope field instead". */
	fieldLabel(field: ConfigField): string;
}

export const ENGINE_WORDING: Wording = {
	sender: 'the engine',
	runner: 'this machine',
	skipTlsValidation: 'set ignoreSslIssues',
	fieldLabel: (field) => field,
};
