import { LruCache, SingleFlight } from '../../../engine/cache';

describe('LruCache', () => {
	it('keeps at most maxEntries, dropping the least recently used', () => {
		const cache = new LruCache<number>(3);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('c', 3);
		expect(cache.get('a')).toBe(1); // a is now the most recent
		cache.set('d', 4);
		expect(cache.size).toBe(3);
		expect(cache.peek('b')).toBeUndefined();
		expect(cache.peek('a')).toBe(1);
		expect(cache.peek('c')).toBe(3);
		expect(cache.peek('d')).toBe(4);
	});

	it('defaults to 500 entries', () => {
		const cache = new LruCache<number>();
		for (let i = 0; i < 1200; i++) cache.set(`k${i}`, i);
		expect(cache.size).toBe(500);
		expect(cache.peek('k699')).toBeUndefined();
		expect(cache.peek('k700')).toBe(700);
		expect(new LruCache<number>(0).maxEntries).toBe(500);
	});
});

describe('SingleFlight', () => {
	it('shares one running promise per key and releases it when it settles', async () => {
		const flights = new SingleFlight<number>();
		let calls = 0;
		let release!: (value: number) => void;
		const fetch = () => {
			calls++;
			return new Promise<number>((resolve) => (release = resolve));
		};
		const a = flights.run('k', fetch);
		const b = flights.run('k', fetch);
		expect(a).toBe(b);
		const other = flights.run('other', async () => 7);
		await Promise.resolve();
		release(42);
		expect(await Promise.all([a, b, other])).toEqual([42, 42, 7]);
		expect(calls).toBe(1);
		expect(flights.size).toBe(0);
	});

	it('delivers a failure to every waiter and does not remember it', async () => {
		const flights = new SingleFlight<number>();
		const failing = () => Promise.reject(new Error('nope'));
		const waiters = Array.from({ length: 5 }, () => flights.run('k', failing));
		const results = await Promise.allSettled(waiters);
		expect(results.every((result) => result.status === 'rejected' && (result.reason as Error).message === 'nope')).toBe(true);
		expect(flights.has('k')).toBe(false);
		expect(await flights.run('k', async () => 1)).toBe(1);
	});

	it('turns a synchronous throw into a rejection', async () => {
		const flights = new SingleFlight<number>();
		await expect(
			flights.run('k', () => {
				throw new Error('sync');
			}),
		).rejects.toThrow('sync');
	});
});
