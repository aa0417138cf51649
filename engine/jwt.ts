// Reads the expiry of a JWT access token, without verifying it: the engine only uses it to know when
// to renew a token whose response had no expires_in.

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): Record<string, unknown> | undefined {
	if (!SEGMENT.test(segment)) return undefined;
	let decoded: unknown;
	try {
		decoded = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
	return decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded)
		? (decoded as Record<string, unknown>)
		: undefined;
}

/** The claims of a token that looks like a JWS compact JWT (header.payload.signature with a JSON header naming an alg). */
export function readJwtClaims(token: string): Record<string, unknown> | undefined {
	if (typeof token !== 'string') return undefined;
	const segments = token.split('.');
	if (segments.length !== 3) return undefined;
	const header = decodeSegment(segments[0]);
	if (!header || typeof header.alg !== 'string') return undefined;
	return decodeSegment(segments[1]);
}

/** The `exp` claim of a JWT in epoch seconds, or undefined when the token is not a JWT or has no numeric exp. */
export function readJwtExp(token: string): number | undefined {
	const exp = readJwtClaims(token)?.exp;
	return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp : undefined;
}
