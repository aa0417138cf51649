// Every credential and workflow of a benchmark run, made up front so they are imported with two
// n8n CLI calls instead of one per case. Each case gets its own new credential: nothing of one
// case (a stored token, a process cache keyed by credential) can help another.
import { webhookWorkflow, workflow } from '../../test/n8n-harness/fixtures/workflows.mjs';
import { DISTINCT_SCOPE, SCALE_WAYS, callFor, credentialFor, waysFor } from './ways.mjs';

/**
 * Seconds the items wait before the measured node in `n8n execute` runs, so n8n's own start-up work
 * (it goes on loading types in the background for about a second) is over when the node starts.
 */
export const SETTLE_SECONDS = 3;

function idFactory(runTag) {
	let n = 0;
	// n8n ids are 16 characters here, like the e2e fixtures': a prefix, the run's tag, a counter.
	return (prefix) => `${prefix}${runTag}${String(++n).padStart(16 - prefix.length - runTag.length, '0')}`;
}

/**
 * cold: a new credential per way, item count and repetition. The cold case at the largest count
 * also starts the chain warm → revocation (same credential and workflow, run again).
 * expiry: a new credential per way; a 1-item workflow stores a short-lived token, then the
 * measured workflow (largest count) runs after that token's lifetime.
 * concurrency: a new credential and webhook workflow per way and repetition.
 * scale: once (not per repetition), a new credential per way and item count; the same workflow runs
 * cold, then warm. The floor has no credential and the floor + credential a fixed token (ways.mjs):
 * they run in cold, warm and scale only.
 */
export function makePlan(options, urls) {
	const runTag = Date.now().toString(36).slice(-4);
	const nextId = idFactory(runTag);
	const credentials = [];
	const workflows = [];
	const wants = (s) => options.only.has(s);
	const largest = Math.max(...options.items);
	const coldSizes = wants('cold') ? options.items : wants('warm') || wants('revocation') ? [largest] : [];

	const newCase = (way, items, { webhookPath, scope } = {}) => {
		const credential = credentialFor(way, nextId('bCr'), urls, { scope });
		const id = nextId('bWf');
		const call = callFor(way, credential, urls);
		const name = `bench ${way} ${items} items`;
		const wf = webhookPath ? webhookWorkflow(id, name, { path: webhookPath, items, call }) : workflow(id, name, { items, call, settleSeconds: SETTLE_SECONDS });
		if (credential) credentials.push(credential);
		workflows.push(wf);
		return { way, items, credential, credentialId: credential?.id ?? null, workflowId: id, webhookPath };
	};

	const reps = [];
	for (let r = 0; r < options.reps; r++) {
		const rep = { cold: {}, expiry: {}, concurrency: {} };
		for (const size of coldSizes) {
			rep.cold[size] = Object.fromEntries(waysFor('cold').map((key) => [key, newCase(key, size)]));
		}
		if (wants('expiry')) {
			for (const key of waysFor('expiry')) {
				const measured = newCase(key, largest);
				const firstId = nextId('bWf');
				workflows.push(workflow(firstId, `bench ${key} expiry first run`, { items: 1, call: callFor(key, measured.credential, urls) }));
				rep.expiry[key] = { ...measured, firstWorkflowId: firstId };
			}
		}
		if (wants('concurrency')) {
			for (const key of waysFor('concurrency')) {
				rep.concurrency[key] = newCase(key, options.concurrentItems, { webhookPath: `bench-${runTag}-${r}-${key}`, scope: DISTINCT_SCOPE[key] });
			}
		}
		reps.push(rep);
	}
	const profile = wants('profile') ? { c: newCase('c', largest), f: newCase('f', largest), fc: newCase('fc', largest) } : {};
	const scale = {};
	if (wants('scale')) {
		for (const size of options.scaleItems) scale[size] = Object.fromEntries(SCALE_WAYS.map((key) => [key, newCase(key, size)]));
	}
	return { credentials, workflows, reps, largest, coldSizes, scale, profile };
}
