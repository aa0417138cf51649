// A list that keeps only its newest entries, so a long soak test cannot grow the lab's memory without limit.

export function createBoundedLog(max) {
	let items = [];
	return {
		push(entry) {
			items.push(entry);
			// Trim in batches: splicing one element per push would make every push O(max).
			if (items.length > max * 1.25) items = items.slice(items.length - max);
			return entry;
		},
		toArray() {
			return items.length > max ? items.slice(items.length - max) : items.slice();
		},
		clear() {
			items = [];
		},
	};
}
