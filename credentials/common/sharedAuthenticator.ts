import { TokenAuthenticator } from '../../engine';
import { N8N_WORDING } from './formFields';

/**
 * The process-wide engine: both credential types and the node share its token cache, so every item,
 * execution and credential of this process that resolves to the same fields shares one token.
 */
export const sharedAuthenticator = new TokenAuthenticator({ wording: N8N_WORDING });
