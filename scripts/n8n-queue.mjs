// Runs n8n in queue mode from the command line, or for another process that drives it (the jest e2e tests, which
// cannot import these ES modules). The cluster itself is scripts/n8n-cluster.mjs; with --instance the whole
// instance of scripts/n8n-instance.mjs (sandbox, credentials, examples) on top of it.
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { describeCluster, startCluster } from './n8n-cluster.mjs';
import { describeInstance, startInstance } from './n8n-instance.mjs';

/**
 * `node scripts/n8n-queue.mjs [--instance] [--no-build] [--workers N] [--user-folder DIR] [--save-logs DIR]
 *   [--control]`
 * Starts the cluster (with --instance: startInstance({ queue: true }), i.e. also the Wix sandbox, credentials and
 * examples) and keeps it running until Ctrl-C. With --control it is driven by another process (the jest e2e tests,
 * which cannot import these ES modules): progress goes to stderr, one line `READY <json>` to stdout, then it reads
 * JSON commands from stdin, one a line (`{"id":1,"op":"killWorker","index":0}`; ops killWorker, restartWorker,
 * stop) and answers each with `REPLY <json>`. The end of stdin stops everything, so a parent that dies leaves nothing
 * running.
 */
async function cli(argv) {
	const control = argv.includes('--control');
	const workersAt = argv.indexOf('--workers');
	const log = control ? (line) => process.stderr.write(`${line}\n`) : (line) => console.log(line);
	const valueOf = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
	const options = {
		build: !argv.includes('--no-build'),
		workers: workersAt >= 0 ? Number(argv[workersAt + 1]) : undefined,
		userFolder: valueOf('--user-folder'),
		saveLogsTo: valueOf('--save-logs'),
		log,
	};
	let running;
	let description;
	if (argv.includes('--instance')) {
		running = await startInstance({ ...options, queue: true });
		description = describeInstance(running);
	} else {
		running = await startCluster({ ...options, install: true });
		description = describeCluster(running);
	}
	let stopping;
	const shutDown = async (code = 0) => {
		stopping ??= running.stop().then(
			() => process.exit(code),
			(error) => {
				log(`while stopping: ${error.message}`);
				process.exit(1);
			},
		);
		return await stopping;
	};
	process.once('SIGINT', () => void shutDown());
	process.once('SIGTERM', () => void shutDown());
	if (!control) {
		console.log(JSON.stringify(description, null, '\t'));
		console.log('Running; Ctrl-C stops everything.');
		return;
	}
	process.stdout.write(`READY ${JSON.stringify(description)}\n`);
	const lines = createInterface({ input: process.stdin });
	lines.on('close', () => void shutDown());
	for await (const line of lines) {
		if (!line.trim()) continue;
		let command;
		try {
			command = JSON.parse(line);
			let result;
			if (command.op === 'killWorker')
				result = await running.killWorker(command.index, command.signal);
			else if (command.op === 'restartWorker') result = await running.restartWorker(command.index);
			else if (command.op === 'stop') {
				process.stdout.write(`REPLY ${JSON.stringify({ id: command.id, ok: true })}\n`);
				await shutDown();
			} else throw new Error(`unknown op ${command.op}`);
			process.stdout.write(`REPLY ${JSON.stringify({ id: command.id, ok: true, result })}\n`);
		} catch (error) {
			process.stdout.write(
				`REPLY ${JSON.stringify({ id: command?.id, ok: false, error: error.message })}\n`,
			);
		}
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	cli(process.argv.slice(2)).catch((error) => {
		console.error(`n8n-queue: ${error.stack ?? error.message}`);
		process.exit(1);
	});
}
