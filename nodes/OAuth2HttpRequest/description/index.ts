import type { INodeProperties } from 'n8n-workflow';

import { bodyProperties } from './body';
import { headerProperties } from './headers';
import { authenticationProperty, operationProperty, toolOperationProperty } from './operation';
import { optionsProperty } from './options';
import { queryProperties } from './query';
import { requestProperties } from './request';

/** Every parameter of the OAuth2 HTTP Request node, in the order the editor shows them. */
export const nodeProperties: INodeProperties[] = [
	authenticationProperty,
	operationProperty,
	toolOperationProperty,
	...requestProperties,
	...queryProperties,
	...headerProperties,
	...bodyProperties,
	optionsProperty,
];
