// What the benchmark reads from n8n's own SQLite database: how often a credential row was written
// (a trigger installed before the first run counts every UPDATE of its encrypted data), and the
// start and stop times n8n recorded for webhook-started executions.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXEC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sqlite-exec.mjs');

/** n8n stores times as UTC text 'YYYY-MM-DD HH:MM:SS.SSS'. */
export function parseDbTime(value) {
	if (!value) return NaN;
	return Date.parse(`${String(value).replace(' ', 'T')}${/Z$|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
}

export class N8nDatabase {
	constructor({ nodeBin, userFolder }) {
		this.node = path.join(nodeBin, 'node');
		this.file = path.join(userFolder, '.n8n', 'database.sqlite');
	}

	query(statements) {
		return new Promise((resolve, reject) => {
			const child = spawn(this.node, [EXEC, this.file], { stdio: ['pipe', 'pipe', 'pipe'] });
			let out = '';
			let err = '';
			child.stdout.on('data', (d) => (out += d));
			child.stderr.on('data', (d) => (err += d));
			child.on('error', reject);
			child.on('close', (code) => {
				if (code !== 0) return reject(new Error(`sqlite query failed (${code}): ${err}`));
				resolve(JSON.parse(out));
			});
			child.stdin.end(JSON.stringify(statements));
		});
	}

	/** Counts every write of a credential's data from now on, whoever makes it. */
	async installWriteCounter() {
		await this.query([
			{ mode: 'exec', sql: 'CREATE TABLE IF NOT EXISTS bench_credential_writes (credentialId TEXT NOT NULL, at TEXT NOT NULL)' },
			{
				mode: 'exec',
				sql: `CREATE TRIGGER IF NOT EXISTS bench_count_credential_writes AFTER UPDATE OF data ON credentials_entity
					BEGIN INSERT INTO bench_credential_writes VALUES (NEW.id, STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')); END`,
			},
		]);
	}

	/** { credentialId: writes so far } */
	async credentialWrites() {
		const [rows] = await this.query([{ sql: 'SELECT credentialId, COUNT(*) AS n FROM bench_credential_writes GROUP BY credentialId' }]);
		return Object.fromEntries(rows.map((r) => [r.credentialId, Number(r.n)]));
	}

	/** Webhook paths n8n has registered (2.x registers published workflows after it reports it is up). */
	async registeredWebhookPaths() {
		const [rows] = await this.query([{ sql: 'SELECT webhookPath FROM webhook_entity' }]);
		return new Set(rows.map((r) => r.webhookPath));
	}

	async executionsOf(workflowId) {
		const [rows] = await this.query([
			{
				sql: 'SELECT id, status, mode, startedAt, stoppedAt FROM execution_entity WHERE workflowId = ? ORDER BY id',
				params: [workflowId],
			},
		]);
		return rows.map((r) => ({ ...r, startMs: parseDbTime(r.startedAt), stopMs: parseDbTime(r.stoppedAt) }));
	}
}
