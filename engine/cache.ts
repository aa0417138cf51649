// The process's tokens, keyed by fingerprint: a bounded LRU map, and single-flight so that concurrent
// requests for the same fingerprint share one fetch.

export const DEFAULT_MAX_ENTRIES = 500;

/** A Map that keeps at most `maxEntries` keys, dropping the least recently used. */
export class LruCache<V> {
	private readonly entries = new Map<string, V>();
	readonly maxEntries: number;

	constructor(maxEntries: number = DEFAULT_MAX_ENTRIES) {
		this.maxEntries = Number.isFinite(maxEntries) && maxEntries >= 1 ? Math.floor(maxEntries) : DEFAULT_MAX_ENTRIES;
	}

	get size(): number {
		return this.entries.size;
	}

	/** The value, marked as most recently used. */
	get(key: string): V | undefined {
		const value = this.entries.get(key);
		if (value === undefined) return undefined;
		this.entries.delete(key);
		this.entries.set(key, value);
		return value;
	}

	/** The value, without changing the order of use. */
	peek(key: string): V | undefined {
		return this.entries.get(key);
	}

	set(key: string, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, value);
		while (this.entries.size > this.maxEntries) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
		}
	}

	delete(key: string): boolean {
		return this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}
}

/**
 * One promise per key at a time: while a fetch for a key is running, every caller for that key gets
 * the same promise. The key is released when the fetch settles, so a failure is not remembered and
 * the next caller starts a new fetch; every waiter of the failed one gets its error.
 */
export class SingleFlight<T> {
	private readonly running = new Map<string, Promise<T>>();

	get size(): number {
		return this.running.size;
	}

	has(key: string): boolean {
		return this.running.has(key);
	}

	run(key: string, fetch: () => Promise<T>): Promise<T> {
		const existing = this.running.get(key);
		if (existing) return existing;
		const promise = Promise.resolve()
			.then(fetch)
			.finally(() => {
				if (this.running.get(key) === promise) this.running.delete(key);
			});
		this.running.set(key, promise);
		return promise;
	}
}
