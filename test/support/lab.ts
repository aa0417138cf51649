// The lab (test/servers/lab.ts: authorization servers, fault endpoints and an API) for a jest file:
// started once before the file's tests, stopped after them.
import { startLab, type Lab } from '../servers/lab';

/**
 * Starts the lab in `beforeAll` and stops it in `afterAll`. The returned object stands for the running
 * lab (use it inside hooks and tests). `env` is the lab's environment, or a function that makes it when
 * the lab starts (for a PKI created first).
 */
export function useLab(env: Record<string, string> | (() => Record<string, string>) = {}): Lab {
	let running: Lab | undefined;
	beforeAll(async () => {
		running = await startLab(typeof env === 'function' ? env() : env);
	}, 60_000);
	afterAll(async () => {
		await running?.stop();
	});
	return new Proxy({} as Lab, {
		get(_target, key) {
			if (!running) throw new Error(`The lab is not running: read lab.${String(key)} inside a hook or a test`);
			const value = (running as unknown as Record<PropertyKey, unknown>)[key];
			return typeof value === 'function' ? value.bind(running) : value;
		},
	});
}
