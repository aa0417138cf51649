// Defaults of the node's options, in one place: the parameter descriptions (description/) show them
// and the option parsers (options/, pagination/) fall back to them.

export const DEFAULT_CONCURRENCY = 5;
export const DEFAULT_RENEW_TOKEN_ON_STATUS = ['401'];
/** Renew Token When Response Body Says > Status Codes: empty checks a response of any status. */
export const DEFAULT_RENEW_WHEN_BODY_STATUS_CODES = '';
export const DEFAULT_RETRY_ON_STATUS = '429, 502, 503, 504';
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_REDIRECTS = 21;
export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_BATCH_INTERVAL_MS = 1000;
export const DEFAULT_MAX_PAGES = 100;
export const DEFAULT_OUTPUT_PROPERTY_NAME = 'data';

/** Without the Timeout option the HTTP Request node waits 5 minutes; so do we. */
export const DEFAULT_TIMEOUT_MS = 300_000;
