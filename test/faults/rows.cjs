// The fault suite's table: every case appends one row (case, expected, observed, pass/FAIL) as a JSON
// line to the file named by FAULTS_ROWS, which scripts/faults.mjs sets and prints at the end. Without
// FAULTS_ROWS (a test file run on its own) the rows are dropped. CommonJS, so that both the jest
// tests (TypeScript compiled to CommonJS) and the node:test e2e file (ESM) can load it.
'use strict';

const fs = require('node:fs');

const OBSERVED_MAX = 400;

function oneLine(text) {
	const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
	return flat.length > OBSERVED_MAX ? `${flat.slice(0, OBSERVED_MAX)}…` : flat;
}

function recordRow(row) {
	const file = process.env.FAULTS_ROWS;
	if (!file) return;
	const line = { ...row, observed: oneLine(row.observed), at: Date.now() };
	fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/**
 * Runs one case. `body` makes its assertions and resolves with what it observed, in words; the row
 * records that, or the assertion that failed, and the failure is rethrown for the test runner.
 */
async function runCase({ group, name, expected }, body) {
	try {
		const observed = await body();
		recordRow({ group, case: name, expected, observed, status: 'pass' });
	} catch (error) {
		recordRow({ group, case: name, expected, observed: `${error && error.message ? error.message : error}`, status: 'FAIL' });
		throw error;
	}
}

module.exports = { recordRow, runCase };
