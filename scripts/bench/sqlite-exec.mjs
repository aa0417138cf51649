// Runs SQL against n8n's SQLite database and prints the results as JSON. It runs under the Node 24
// that runs n8n (node:sqlite), not under the machine's Node 20 that runs the benchmark.
// stdin: [{ "sql": "...", "params": [...], "mode": "all" | "run" | "exec" }]; argv[2]: database file.
import { DatabaseSync } from 'node:sqlite';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const statements = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const db = new DatabaseSync(process.argv[2]);
// n8n may be writing at the same moment (server mode): wait for its lock instead of failing.
db.exec('PRAGMA busy_timeout = 10000');
const results = statements.map(({ sql, params = [], mode = 'all' }) => {
	if (mode === 'exec') {
		db.exec(sql);
		return null;
	}
	const statement = db.prepare(sql);
	return mode === 'run' ? statement.run(...params) : statement.all(...params).map((row) => ({ ...row }));
});
db.close();
process.stdout.write(JSON.stringify(results));
