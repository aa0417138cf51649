// The one token store every authorization server in the lab writes to and the protected API reads from,
// so a token from any issuer is accepted by the API and "revoke all" reaches every issuer at once.

const MAX_ACCESS_TOKENS = 100_000;
const MAX_REFRESH_TOKENS = 20_000;

/** Map insertion order is issue order, so dropping the first key evicts the oldest token. */
function capped(map, max) {
	while (map.size > max) map.delete(map.keys().next().value);
}

export function createRegistry() {
	const access = new Map();
	const refresh = new Map();
	// Every token value ever handed out, so leak checks can search outputs for all of them.
	const everIssued = new Map();
	const remember = (token) => {
		everIssued.set(token, true);
		capped(everIssued, MAX_ACCESS_TOKENS);
	};

	return {
		registerAccessToken(token, { issuer, clientId, grant, scope, expiresAt }) {
			remember(token);
			access.set(token, {
				issuer,
				clientId: clientId ?? null,
				grant,
				scope: scope || null,
				expiresAt,
				revoked: false,
			});
			capped(access, MAX_ACCESS_TOKENS);
		},

		/** 'valid' | 'expired' | 'revoked' | 'unknown', plus the record when the token is known. */
		inspect(token, now = Date.now()) {
			const info = access.get(token);
			if (!info) return { state: 'unknown' };
			if (info.revoked) return { state: 'revoked', info };
			if (now >= info.expiresAt) return { state: 'expired', info };
			return { state: 'valid', info };
		},

		/**
		 * To a client this looks like the server forgot its tokens; the lab keeps them, marked revoked,
		 * so stats can tell "sent a revoked token" apart from "sent garbage".
		 */
		revokeAllAccessTokens() {
			let count = 0;
			for (const info of access.values()) {
				if (!info.revoked) count++;
				info.revoked = true;
			}
			return count;
		},

		/** Revokes just these tokens (one old token refused, every other still good); returns how many it knew. */
		revokeAccessTokens(tokens) {
			let count = 0;
			for (const token of tokens) {
				const info = access.get(token);
				if (!info) continue;
				info.revoked = true;
				count++;
			}
			return count;
		},

		saveRefreshToken(token, record) {
			remember(token);
			refresh.set(token, record);
			capped(refresh, MAX_REFRESH_TOKENS);
		},

		getRefreshToken(token) {
			return refresh.get(token);
		},

		deleteRefreshToken(token) {
			return refresh.delete(token);
		},

		revokeAllRefreshTokens() {
			const count = refresh.size;
			refresh.clear();
			return count;
		},

		issuedTokens() {
			return [...everIssued.keys()];
		},

		sizes() {
			return { accessTokens: access.size, refreshTokens: refresh.size };
		},
	};
}
