// Command-line flags of `npm run bench`.
export const USAGE = `npm run bench -- [flags]

  --quick              1 repetition, 200 items, for trying it out (about 3-5 minutes)
  --reps=N             repetitions of every scenario (default 3)
  --items=200,2000     item counts of the cold scenario; warm, revocation and expiry use the largest
  --concurrent=N       executions started at once in the concurrency scenario (default 5)
  --concurrent-items=N items per webhook execution in the concurrency scenario (default 200)
  --expiry-ttl=S       token lifetime (s) the lab gives the first execution of the expiry scenario (default 5)
  --only=a,b,c         scenarios to run: cold,warm,revocation,expiry,concurrency,profile,scale,micro (default all)
  --scale-items=N,M    item counts of the scale scenario, one execution each, cold and warm (default 20000,100000)
  --soak               run the soak instead (one n8n start, webhook executions at a steady rate, tokens
                       living 15 s); writes bench-results/soak.json, which --update-readme reads
  --soak-minutes=M     length of the soak (default 30)
  --soak-rate=R        executions started per minute during the soak (default 60)
  --soak-items=N       items per soak execution (default 20)
  --soak-from=FILE     the soak result --update-readme shows (default bench-results/soak.json)
  --skip-build         use the existing dist/ (E2E_SKIP_BUILD=1 does the same)
  --out=FILE           JSON result file (default bench-results/latest.json)
  --from=FILE[,FILE]   measure nothing: print the table of earlier results (their JSON files); with
                       several, each scenario comes from the last file that measured it
  --update-readme      replace the block between the benchmark markers of README.md and draw
                       docs/performance.svg
  --help`;

const SCENARIOS = ['cold', 'warm', 'revocation', 'expiry', 'concurrency', 'profile', 'scale', 'micro'];

function intList(value, flag) {
	const list = value.split(',').map((v) => Number(v.trim()));
	if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${flag} needs positive integers, got "${value}"`);
	return list;
}

export function parseArgs(argv) {
	const options = {
		reps: 3,
		items: [200, 2000],
		concurrent: 5,
		concurrentItems: 200,
		expiryTtl: 5,
		scaleItems: [20000, 100000],
		soak: false,
		soakMinutes: 30,
		soakRate: 60,
		soakItems: 20,
		soakFrom: 'bench-results/soak.json',
		only: new Set(SCENARIOS),
		skipBuild: process.env.E2E_SKIP_BUILD === '1',
		out: 'bench-results/latest.json',
		updateReadme: false,
		from: null,
		quick: false,
		help: false,
	};
	for (const arg of argv) {
		const [flag, value = ''] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, ''];
		switch (flag) {
			case '--quick':
				options.quick = true;
				options.reps = 1;
				options.items = [200];
				options.only.delete('scale');
				break;
			case '--reps':
				[options.reps] = intList(value, flag);
				break;
			case '--items':
				options.items = intList(value, flag).sort((a, b) => a - b);
				break;
			case '--concurrent':
				[options.concurrent] = intList(value, flag);
				break;
			case '--concurrent-items':
				[options.concurrentItems] = intList(value, flag);
				break;
			case '--scale-items':
				options.scaleItems = intList(value, flag).sort((a, b) => a - b);
				break;
			case '--soak':
				options.soak = true;
				break;
			case '--soak-minutes':
				[options.soakMinutes] = intList(value, flag);
				break;
			case '--soak-rate':
				[options.soakRate] = intList(value, flag);
				break;
			case '--soak-items':
				[options.soakItems] = intList(value, flag);
				break;
			case '--soak-from':
				options.soakFrom = value;
				break;
			case '--expiry-ttl':
				[options.expiryTtl] = intList(value, flag);
				break;
			case '--only': {
				const chosen = value.split(',').map((s) => s.trim()).filter(Boolean);
				const unknown = chosen.filter((s) => !SCENARIOS.includes(s));
				if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
				options.only = new Set(chosen);
				break;
			}
			case '--skip-build':
				options.skipBuild = true;
				break;
			case '--out':
				options.out = value;
				break;
			case '--from':
				options.from = value;
				break;
			case '--update-readme':
				options.updateReadme = true;
				break;
			case '--help':
			case '-h':
				options.help = true;
				break;
			default:
				throw new Error(`unknown flag ${arg}\n\n${USAGE}`);
		}
	}
	return options;
}
