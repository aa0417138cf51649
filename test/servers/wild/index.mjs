// The wild-lab modules, by the name they are mounted under (/wild/<name>/). One line each.

export const WILD_MODULES = {
	zoom: await import('./zoom.mjs'),
	apim: await import('./apim.mjs'),
	'query-token': await import('./query-token.mjs'),
	marketo: await import('./marketo.mjs'),
	halopsa: await import('./halopsa.mjs'),
	textplain: await import('./textplain.mjs'),
	'form-response': await import('./form-response.mjs'),
	nested: await import('./nested.mjs'),
};
