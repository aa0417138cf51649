import { forEachLimited } from '../../../../../nodes/OAuth2HttpRequest/transport/concurrency';

/** Resolves after `turns` turns of the event loop. */
async function turns(count: number): Promise<void> {
	for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

function tracker() {
	let inFlight = 0;
	const state = { max: 0, started: [] as number[], finished: [] as number[] };
	const run = async (index: number, duration: number) => {
		state.started.push(index);
		inFlight++;
		state.max = Math.max(state.max, inFlight);
		try {
			await turns(duration);
		} finally {
			inFlight--;
			state.finished.push(index);
		}
	};
	return { state, run };
}

describe('forEachLimited', () => {
	it('never has more than the limit in flight, and runs every index once', async () => {
		const { state, run } = tracker();
		await forEachLimited(40, 4, (i) => run(i, 1 + (i % 3)));
		expect(state.max).toBe(4);
		expect([...state.started].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
		expect(state.finished).toHaveLength(40);
	});

	it('runs everything at once for a limit of 0 or less', async () => {
		for (const limit of [0, -1]) {
			const { state, run } = tracker();
			await forEachLimited(12, limit, (i) => run(i, 2));
			expect(state.max).toBe(12);
		}
	});

	it('runs with a limit of 1 strictly one after the other, in order', async () => {
		const { state, run } = tracker();
		await forEachLimited(6, 1, (i) => run(i, 6 - i));
		expect(state.max).toBe(1);
		expect(state.finished).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('handles a limit above the count, and no work at all', async () => {
		const { state, run } = tracker();
		await forEachLimited(3, 10, (i) => run(i, 1));
		expect(state.max).toBe(3);
		const work = jest.fn(async () => undefined);
		await forEachLimited(0, 5, work);
		expect(work).not.toHaveBeenCalled();
	});

	it('starts nothing new after a failure, and rethrows it once the running work has settled', async () => {
		const { state, run } = tracker();
		const boom = new Error('item 5 failed');
		let settledWhenRejected = -1;
		const done = forEachLimited(100, 3, async (i) => {
			await run(i, 2);
			if (i === 5) throw boom;
		}).catch((error: unknown) => {
			settledWhenRejected = state.finished.length;
			throw error;
		});
		await expect(done).rejects.toBe(boom);
		// Indices 0..5 at most, plus what the two other lanes had already started.
		expect(Math.max(...state.started)).toBeLessThanOrEqual(5 + 2);
		expect(state.started.length).toBeLessThan(100);
		expect(settledWhenRejected).toBe(state.started.length);
		await turns(5);
		expect(state.started.length).toBe(settledWhenRejected);
	});

	it('rethrows the first failure when several fail', async () => {
		const first = new Error('first');
		await expect(
			forEachLimited(4, 4, async (i) => {
				await turns(i + 1);
				throw i === 0 ? first : new Error(`later ${i}`);
			}),
		).rejects.toBe(first);
	});
});
