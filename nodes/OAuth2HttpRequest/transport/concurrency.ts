/**
 * Runs `work` for every index with at most `limit` in flight (0 or less: all at once). After the
 * first failure no new work starts; the failure is rethrown once the running work has settled.
 */
export async function forEachLimited(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
): Promise<void> {
	const width = limit > 0 ? Math.min(limit, count) : count;
	let next = 0;
	let failure: { error: unknown } | undefined;
	const lane = async () => {
		while (failure === undefined && next < count) {
			const index = next++;
			try {
				await work(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: width }, lane));
	if (failure) throw failure.error;
}
