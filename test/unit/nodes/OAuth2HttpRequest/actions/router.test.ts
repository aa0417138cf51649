import { NodeOperationError } from 'n8n-workflow';

import { route } from '../../../../../nodes/OAuth2HttpRequest/actions/router';
import { fakeContext } from '../../../../support/fakeN8n';

describe('route', () => {
	it('refuses the "Custom API Call" entry n8n adds to the operation list, pointing to Send Request', async () => {
		const ctx = fakeContext({ params: { authentication: 'clientCredentialsOAuth2Api', operation: '__CUSTOM_API_CALL__' } });
		const failure = await route.call(ctx).then(
			() => undefined,
			(error: unknown) => error as NodeOperationError,
		);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect(failure?.message).toContain('__CUSTOM_API_CALL__');
		expect(failure?.description).toContain('Send Request');
	});
});
