#!/usr/bin/env node
// `node scripts/sync-burst.mjs [--queue] [--both] [--json]`: example 2 (two-way sync) under a burst in real n8n,
// in regular mode (one n8n, sqlite) or queue mode (Postgres, Redis, main, webhook processor, 2 workers, one worker
// killed and restarted mid-burst), and the figures: links expected / held, echo writes, duplicates, failed
// executions. Prints the table to stderr and exits 0 when the goal (all 0) is met, 1 otherwise.
// The measurement is scripts/sync-burst-core.cjs, shared with test/e2e/syncBurst.e2e.ts.
import { join } from 'node:path';

import { bootstrap } from './bootstrap.mjs';
import { startInstance } from './n8n-instance.mjs';
import { REPO_ROOT } from './n8n-process.mjs';
import syncBurst from './sync-burst-core.cjs';

const { formatTable, meetsGoal, runSyncBurst } = syncBurst;
const USAGE =
	'Usage: node scripts/sync-burst.mjs [--queue | --both] [--json] [--no-build] [--sigkill]';

function parseArgs(argv) {
	const options = { modes: ['regular'], json: false, build: true, killSignal: 'SIGTERM' };
	for (const arg of argv) {
		if (arg === '--queue') options.modes = ['queue'];
		else if (arg === '--both') options.modes = ['regular', 'queue'];
		else if (arg === '--json') options.json = true;
		else if (arg === '--no-build') options.build = false;
		else if (arg === '--sigkill') options.killSignal = 'SIGKILL';
		else if (arg === '--help' || arg === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else throw new Error(`Unknown argument: ${arg}\n${USAGE}`);
	}
	return options;
}

/** Starts an instance in `mode`, runs the burst, stops it; the figures. */
export async function measure(
	mode,
	{ build = true, killSignal = 'SIGTERM', log = (line) => process.stderr.write(`${line}\n`) } = {},
) {
	const queue = mode === 'queue';
	const instance = await startInstance({
		userFolder: join(REPO_ROOT, '.cache', `sync-burst-${mode}`),
		build,
		queue,
		log,
	});
	try {
		return await runSyncBurst({
			mode,
			client: instance.client,
			sandbox: { baseUrl: instance.sandbox.baseUrl, credentials: instance.sandbox.credentials },
			workflows: instance.workflows,
			killWorker: queue ? instance.killWorker : undefined,
			killSignal,
			restartWorker: queue ? instance.restartWorker : undefined,
			log,
		});
	} finally {
		await instance.stop().catch((error) => log(`while stopping: ${error.message}`));
	}
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	bootstrap();
	const results = [];
	for (const [index, mode] of options.modes.entries())
		results.push(
			await measure(mode, { build: options.build && index === 0, killSignal: options.killSignal }),
		);
	process.stderr.write(`\n${formatTable(results)}\n`);
	if (options.json) console.log(JSON.stringify(results, null, '\t'));
	const ok = results.every(meetsGoal);
	console.log(
		`sync burst: ${ok ? 'PASS' : 'FAIL'} — ` +
			results
				.map(
					(result) =>
						`${result.mode}: ${result.lostLinks} lost links (${result.heldLinks}/${result.expectedLinks} held), ` +
						`${result.echoWrites} echo writes, ${result.duplicatesWix + result.duplicatesPlatform} duplicates, ` +
						`${result.failedExecutions} failed executions`,
				)
				.join('; '),
	);
	process.exit(ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
	main().catch((error) => {
		console.error(`sync burst: ${error.stack ?? error.message}`);
		console.log(`sync burst: FAIL — ${error.message.split('\n')[0]}`);
		process.exit(1);
	});
}
