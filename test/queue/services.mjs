// Redis and PostgreSQL for one queue-mode run, through scripts/queue-services.sh, and the
// n8n environment that points every process at them.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from '../n8n-harness/n8n-env.mjs';

const script = path.join(repoRoot, 'scripts/queue-services.sh');

export function startQueueServices(dir) {
	const out = execFileSync('bash', [script, 'start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	const vars = Object.fromEntries(
		out.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
	);
	return {
		...vars,
		stop: () => execFileSync('bash', [script, 'stop', dir], { stdio: ['ignore', 'inherit', 'inherit'] }),
		/** Runs one query as n8n's database user and returns the rows as arrays of strings. */
		async query(sql) {
			const { stdout } = await promisify(execFile)(
				'psql',
				['-h', vars.PG_HOST, '-p', vars.PG_PORT, '-U', vars.PG_USER, '-d', vars.PG_DATABASE, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
				{ env: { ...process.env, PGPASSWORD: vars.PG_PASSWORD } },
			);
			return stdout.split('\n').filter(Boolean).map((line) => line.split('\t'));
		},
	};
}

/** What the main process, every worker and every CLI call must share in queue mode. */
export function queueModeEnv(services) {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: services.PG_HOST,
		DB_POSTGRESDB_PORT: services.PG_PORT,
		DB_POSTGRESDB_DATABASE: services.PG_DATABASE,
		DB_POSTGRESDB_USER: services.PG_USER,
		DB_POSTGRESDB_PASSWORD: services.PG_PASSWORD,
		QUEUE_BULL_REDIS_HOST: services.REDIS_HOST,
		QUEUE_BULL_REDIS_PORT: services.REDIS_PORT,
	};
}
