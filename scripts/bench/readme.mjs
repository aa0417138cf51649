// Replaces the benchmark block of README.md (between its markers) with a new result; nothing else.
import fs from 'node:fs';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

export function updateReadme(file, table, command) {
	const text = fs.readFileSync(file, 'utf8');
	const from = text.indexOf(START);
	const to = text.indexOf(END);
	if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block`);
	const block = `${START}\n\`${command}\`:\n\n${table.trim()}\n${END}`;
	fs.writeFileSync(file, text.slice(0, from) + block + text.slice(to + END.length));
}
