// Counters and logs that tests read through GET /__lab/stats.

import { createBoundedLog } from './bounded-log.mjs';

const TOKEN_ENDPOINTS = ['oidc', 'oauth2', 'json', 'faults', 'tenants', 'wso2'];

function bump(map, key) {
	map[key] = (map[key] ?? 0) + 1;
}

export function createStats() {
	const tokenLog = createBoundedLog(5000);
	const apiLog = createBoundedLog(5000);
	const otherHost = createBoundedLog(1000);
	const faultRequests = createBoundedLog(1000);
	let c;

	function zero() {
		c = {
			tokenTotal: 0,
			byEndpoint: Object.fromEntries(TOKEN_ENDPOINTS.map((e) => [e, 0])),
			byGrant: {},
			byClient: {},
			apiRequests: 0,
			api401: 0,
			apiExpired: 0,
			apiRevoked: 0,
			apiUnknown: 0,
			apiMissing: 0,
			byPath: {},
			apiByStatus: {},
		};
		for (const log of [tokenLog, apiLog, otherHost, faultRequests]) log.clear();
	}
	zero();

	return {
		/** Returns the log entry so the caller can fill in `status` once the response is sent. */
		recordToken({ endpoint, grant, clientId, authMethod, basicForm, contentType, clientCertificate }) {
			c.tokenTotal++;
			bump(c.byEndpoint, endpoint);
			bump(c.byGrant, grant ?? '(none)');
			bump(c.byClient, clientId ?? '(none)');
			return tokenLog.push({
				endpoint,
				grant: grant ?? null,
				clientId: clientId ?? null,
				status: null,
				authMethod,
				basicForm: basicForm ?? null,
				contentType: contentType ?? null,
				clientCertificate: clientCertificate ?? null,
				errorDetail: null,
				at: Date.now(),
			});
		},

		/** Returns the log entry; `status` stays null if the socket is destroyed instead of answered. */
		recordApi({ method, path, tokenState }) {
			c.apiRequests++;
			bump(c.byPath, path);
			if (tokenState !== 'valid') c.api401++;
			if (tokenState === 'expired') c.apiExpired++;
			if (tokenState === 'revoked') c.apiRevoked++;
			if (tokenState === 'unknown') c.apiUnknown++;
			if (tokenState === 'missing') c.apiMissing++;
			return apiLog.push({ method, path, status: null, tokenState, at: Date.now() });
		},

		recordApiStatus(entry, status) {
			entry.status = status;
			bump(c.apiByStatus, String(status));
		},

		recordOtherHost(entry) {
			otherHost.push({ ...entry, at: Date.now() });
		},

		recordFaultRequest(entry) {
			faultRequests.push({ ...entry, at: Date.now() });
		},

		reset: zero,

		snapshot() {
			return {
				tokenRequests: {
					total: c.tokenTotal,
					byEndpoint: { ...c.byEndpoint },
					byGrant: { ...c.byGrant },
					byClient: { ...c.byClient },
				},
				tokenLog: tokenLog.toArray(),
				apiRequests: c.apiRequests,
				api401: c.api401,
				apiExpired: c.apiExpired,
				apiRevoked: c.apiRevoked,
				apiUnknown: c.apiUnknown,
				apiMissing: c.apiMissing,
				byPath: { ...c.byPath },
				apiByStatus: { ...c.apiByStatus },
				apiLog: apiLog.toArray(),
				otherHost: otherHost.toArray(),
				faultRequests: faultRequests.toArray(),
			};
		},
	};
}
