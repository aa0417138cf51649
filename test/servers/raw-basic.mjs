// A WSO2-like token endpoint: it reads the Basic credentials raw (base64 of id:secret exactly as
// typed, no form-decoding) and answers anything else with 403 and an empty body, as WSO2 API
// Manager and several gateways do. Client credentials grant only.
//
//   POST /wso2/token   200 token (registered, valid at /api) for a raw Basic match; 403, no body, otherwise

import { randomBytes } from 'node:crypto';

import { parseBasic, parseParams } from './http-util.mjs';

export const RAW_BASIC_CLIENTS = new Map([['wso2-client', 'p%s+w:rd/x']]);

export function createRawBasic({ config, registry }) {
	function refuse(res) {
		res.writeHead(403, { 'content-length': '0' });
		res.end();
	}
	return {
		handle(req, res, body) {
			if (req.method !== 'POST') return refuse(res);
			const params = parseParams(req, body) ?? {};
			const basic = parseBasic(req.headers.authorization, 'raw');
			const known = basic && !basic.malformed ? RAW_BASIC_CLIENTS.get(basic.clientId) : undefined;
			if (params.grant_type !== 'client_credentials' || known === undefined || known !== basic.clientSecret) return refuse(res);
			const ttl = config.current.accessTokenTtlSeconds;
			const accessToken = `wso2-${randomBytes(24).toString('base64url')}`;
			registry.registerAccessToken(accessToken, {
				issuer: 'wso2',
				clientId: basic.clientId,
				grant: 'client_credentials',
				scope: params.scope,
				expiresAt: Date.now() + ttl * 1000,
			});
			const payload = JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: ttl });
			res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(payload);
		},
	};
}
