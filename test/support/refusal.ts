// The error a call that must refuse throws; a call that goes through fails the test instead.
export async function refusal(fn: () => Promise<unknown>, what = 'expected a refusal, but the token was added'): Promise<Error> {
	try {
		await fn();
	} catch (error) {
		return error as Error;
	}
	throw new Error(what);
}
