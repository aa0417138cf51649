import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { sharedAuthenticator } from '../../../credentials/common/sharedAuthenticator';
import { apiBaseUrlOf } from '../../../credentials/common/credentialData';
import { STORED_FIELDS } from '../../../credentials/common/names';
import { isRenewalNeeded, renewalProbeUrlOf, withoutAccessToken } from '../../../credentials/common/renewalProtocol';
import { checkStoredToken, tokenCacheKeyOfCredential } from '../../../credentials/common/tokenState';
import { renewalAskedBy, type RenewalAsk, type RenewalRules } from './renewalSignal';

export interface ApiResponse {
	statusCode: number;
	statusMessage?: string;
	headers: Record<string, unknown>;
	body: unknown;
}

export interface SentResponse {
	response: ApiResponse;
	/** The token the request carried, to report it if the API refuses it. */
	token: string;
	/** Why the response asks for a new token, if it does. */
	renewal?: RenewalAsk;
}

// A token checked as valid here must still be valid a moment later in the credential's
// authenticate, which checks again and refuses a due token.
const CHECK_AHEAD_MS = 2000;

const DEFAULT_RULES: RenewalRules = { renewOn: new Set([401]) };

/**
 * One execution's view of one credential. It holds the credential data that n8n hands to
 * `httpRequestWithAuthentication` (as `credentialsDecrypted`), so the node, not n8n, decides
 * when the token is renewed: once for the whole batch, before anything is sent with a due token.
 *
 * A renewal is one request sent with the expirable field blanked: n8n then runs the
 * credential's pre-authentication (one token request, one credential write) and writes the new
 * token into that data, which every later request of the batch shares.
 */
export class CredentialSession {
	private data: ICredentialDataDecryptedObject;

	private renewal?: Promise<void>;

	private renewalFailure?: unknown;

	/**
	 * A token a renewal handed back unchanged: the process-wide cache judged it still valid at
	 * that moment, so this batch uses it rather than renew again and again.
	 */
	private acceptedToken?: string;

	/** The token this session has seen the API accept, or fetched itself. */
	private confirmedToken?: string;

	/**
	 * Every access token this session held or sent: an API may quote a token in an error after a
	 * renewal replaced it, so messages mask all of them, not only the current one.
	 */
	readonly tokensSeen = new Set<string>();

	/** The first request with a token not yet confirmed; the rest of the batch waits for it. */
	private probe?: Promise<void>;

	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly credentialType: string,
		private readonly ref: { id: string; name: string },
		data: ICredentialDataDecryptedObject,
		private readonly now: () => number = () => Date.now(),
	) {
		this.data = { ...data };
		if (data[STORED_FIELDS.accessToken]) this.tokensSeen.add(String(data[STORED_FIELDS.accessToken]));
	}

	get credentials(): ICredentialDataDecryptedObject {
		return this.data;
	}

	get baseUrl(): string {
		return apiBaseUrlOf(this.data);
	}

	/**
	 * Sends with a token that is valid now, renewing it first (once for all callers) if due.
	 * `rules` say which responses mean the API refused the token (the answer is in `renewal`).
	 */
	async send(options: IHttpRequestOptions, rules: RenewalRules = DEFAULT_RULES): Promise<SentResponse> {
		let renewedAgain = false;
		for (;;) {
			if (this.renewal) await this.renewal;
			if (this.probe) {
				await this.probe;
				continue;
			}
			if (this.renewalFailure !== undefined) throw this.renewalFailure;
			if (!this.usable()) {
				if (this.renewal) continue;
				const renewing = await this.sendRenewing(options).then(
					(sent) => ({ sent }),
					(error: unknown) => ({ error }),
				);
				if ('error' in renewing) {
					// authenticate refused the token the renewal handed back: the process-wide cache's, just
					// outside the renewal margin when pre-authentication took it and inside it a moment later
					// (seen in the soak under load). Drop it there, so the next renewal fetches a new one.
					const handedBack = String(this.data[STORED_FIELDS.accessToken] ?? '');
					if (renewedAgain || !handedBack || !isRenewalNeeded(renewing.error)) throw renewing.error;
					renewedAgain = true;
					this.reportRefused(handedBack);
					continue;
				}
				return { ...renewing.sent, renewal: renewalAskedBy(renewing.sent.response, rules) };
			}
			const token = String(this.data[STORED_FIELDS.accessToken]);
			this.tokensSeen.add(token);
			// A token read from storage that this process has not seen work yet may have been revoked:
			// one request tries it before the rest of the batch follows, so a revoked token costs one
			// refusal, not one per item in flight.
			const probing = !this.isConfirmed(token);
			let release: (() => void) | undefined;
			if (probing) this.probe = new Promise<void>((resolve) => (release = resolve));
			const outcome = await this.raw(options, this.data).then(
				(response) => ({ response }),
				(error: unknown) => ({ error }),
			);
			const renewalNeeded = 'error' in outcome && isRenewalNeeded(outcome.error);
			const renewal = 'response' in outcome ? renewalAskedBy(outcome.response, rules) : undefined;
			if (renewalNeeded || renewal) {
				this.reportRefused(token);
			} else if (probing) {
				this.confirmedToken = token;
			}
			if (release) {
				this.probe = undefined;
				release();
			}
			if ('response' in outcome) return { response: outcome.response, token, renewal };
			// The credential's authenticate refused a token that turned due on the way: renew.
			if (!renewalNeeded) throw outcome.error;
		}
	}

	/**
	 * The credential data with a token valid now. A renewal needs some request to carry it: the
	 * probe goes to the token URL, to which the credential's authenticate attaches no token.
	 */
	async freshCredentials(): Promise<ICredentialDataDecryptedObject> {
		for (;;) {
			if (this.renewal) await this.renewal;
			if (this.renewalFailure !== undefined) throw this.renewalFailure;
			if (this.usable()) return this.data;
			if (!this.renewal) {
				await this.sendRenewing({ method: 'GET', url: renewalProbeUrlOf(this.data) }).catch((error: unknown) => {
					// The probe only carries the renewal: once a token arrived, its own failure does not matter
					// (a mutual-TLS token endpoint refuses it on n8n 1.x, whose httpRequest has no client certificate).
					if (!this.usable()) throw error;
				});
			}
		}
	}

	/**
	 * The API refused `token`: drop it here and in the process-wide cache, unless a newer token
	 * already replaced it, so many refusals of one token cause one renewal.
	 */
	reportRefused(token: string): void {
		if (String(this.data[STORED_FIELDS.accessToken]) !== token) return;
		sharedAuthenticator.invalidate(tokenCacheKeyOfCredential(this.data, this.credentialType), token);
		this.data = withoutAccessToken(this.data);
	}

	private isConfirmed(token: string): boolean {
		if (token === this.confirmedToken) return true;
		return sharedAuthenticator.peek(tokenCacheKeyOfCredential(this.data, this.credentialType))?.accessToken === token;
	}

	private usable(): boolean {
		const { state } = checkStoredToken(this.data, this.credentialType, this.now() + CHECK_AHEAD_MS);
		return state === 'valid' || (state === 'due' && this.data[STORED_FIELDS.accessToken] === this.acceptedToken);
	}

	private async sendRenewing(options: IHttpRequestOptions): Promise<SentResponse> {
		const previous = String(this.data[STORED_FIELDS.accessToken] ?? '');
		const fresh = withoutAccessToken(this.data);
		let settle!: () => void;
		this.renewal = new Promise<void>((resolve) => (settle = resolve));
		const outcome = await this.raw(options, fresh).then(
			(response) => ({ response }),
			(error: unknown) => ({ error }),
		);
		const renewed = Boolean(fresh[STORED_FIELDS.accessToken]);
		if (renewed) {
			this.data = fresh;
			this.confirmedToken = String(fresh[STORED_FIELDS.accessToken]);
			if (fresh[STORED_FIELDS.accessToken] === previous) this.acceptedToken = previous;
		} else if ('error' in outcome) {
			// Pre-authentication failed if no token arrived: every waiting item gets that error
			// instead of asking the token endpoint again.
			this.renewalFailure = outcome.error;
		}
		this.renewal = undefined;
		settle();
		if ('error' in outcome) throw outcome.error;
		const token = String(fresh[STORED_FIELDS.accessToken] ?? '');
		if (token) this.tokensSeen.add(token);
		return { response: outcome.response, token };
	}

	private async raw(options: IHttpRequestOptions, data: ICredentialDataDecryptedObject): Promise<ApiResponse> {
		const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			this.credentialType,
			{ ...options, headers: { ...(options.headers ?? {}) }, returnFullResponse: true, ignoreHttpStatusErrors: true },
			{ credentialsDecrypted: { id: this.ref.id, name: this.ref.name, type: this.credentialType, data } },
		)) as ApiResponse;
		return response;
	}
}
