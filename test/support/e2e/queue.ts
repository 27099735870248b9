/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- e2e tests run in plain Node against a real n8n, never inside n8n; the cluster runs in a child process because jest cannot import its ES modules */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { N8nClient } from '../../../scripts/n8n-client.cjs';
import type { PostgresConnection } from '../../../scripts/n8n-client.cjs';
import type { E2eInstance, N8nLogEntry } from './n8n';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** What `startInstance({ queue: true })` describes (scripts/n8n-instance.mjs): the e2e instance's fields and more. */
export interface QueueInstanceDescription extends Omit<
	E2eInstance,
	'setupMs' | 'readyAt' | 'jsonLogFile'
> {
	jsonLogFile: string;
	webhookUrl: string;
	database: PostgresConnection;
	cluster: {
		dir: string;
		webhookUrl: string;
		redis: { host: string; port: number; version: string };
		logs: { postgres: string; redis: string; main: string; webhook: string; workers: string[] };
		jsonLogs: { main: string; webhook: string; workers: string[] };
		boot: {
			totalMs: number;
			postgresMs: number;
			redisMs: number;
			mainMs: number;
			webhookMs: number;
			workersMs: number[];
		};
	};
}

export interface QueueInstance {
	description: QueueInstanceDescription;
	/** Logged in as the owner, with the API key; webhook URLs point at the webhook processor, queries at Postgres. */
	client: N8nClient;
	/** Ends worker `index` (0-based) with SIGKILL, as a crash would. */
	killWorker(index: number, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
	/** Stops worker `index` if it runs and starts it again. */
	restartWorker(index: number): Promise<{ bootMs: number; healthUrl: string }>;
	/** Ends everything (n8n processes, Postgres, Redis, the sandbox) and removes the cluster's temp folder. */
	stop(): Promise<void>;
	/** Where the cluster script's progress lines went; the processes' logs are saved next to it at stop(). */
	progressLog: string;
}

/**
 * Starts real n8n in queue mode (main, webhook processor, 2 workers, Postgres, Redis) with the package, the Wix
 * sandbox, credentials and examples, in a child process: the scripts are ES modules, which jest's CommonJS test
 * runtime cannot import. The child is driven over stdin/stdout (scripts/n8n-queue.mjs --control) and stops
 * everything when this process goes away. The package is packed from dist/ as the global setup left it (no build).
 */
export async function startQueueInstance({
	workers = 2,
	outputDir = join(REPO_ROOT, 'test-output', 'queue-e2e'),
}: { workers?: number; outputDir?: string } = {}): Promise<QueueInstance> {
	mkdirSync(outputDir, { recursive: true });
	const progressLog = join(outputDir, 'cluster-progress.log');
	const progress = createWriteStream(progressLog, { flags: 'w' });
	const child: ChildProcessWithoutNullStreams = spawn(
		process.execPath,
		[
			join(REPO_ROOT, 'scripts', 'n8n-queue.mjs'),
			'--instance',
			'--no-build',
			'--control',
			'--workers',
			String(workers),
			// Main's user folder (and so its logs) stays there; the cluster's temp folder goes, its logs saved first.
			'--user-folder',
			join(outputDir, 'main'),
			'--save-logs',
			join(outputDir, 'cluster-logs'),
		],
		{ cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
	);
	child.stderr.pipe(progress);
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	const lines = createInterface({ input: child.stdout });
	const replies = new Map<
		number,
		(reply: { ok: boolean; result?: unknown; error?: string }) => void
	>();
	let nextId = 1;
	const ready = new Promise<QueueInstanceDescription>((resolve, reject) => {
		lines.on('line', (line) => {
			if (line.startsWith('READY ')) resolve(JSON.parse(line.slice('READY '.length)));
			else if (line.startsWith('REPLY ')) {
				const reply = JSON.parse(line.slice('REPLY '.length));
				replies.get(reply.id)?.(reply);
				replies.delete(reply.id);
			}
		});
		void exited.then((code) =>
			reject(
				new Error(
					`the queue-mode cluster exited (${code}) before it was ready; see ${progressLog}:\n` +
						tailOf(progressLog),
				),
			),
		);
	});
	const description = await ready;
	const command = async <T>(op: string, extra: Record<string, unknown> = {}): Promise<T> => {
		const id = nextId++;
		const reply = new Promise<{ ok: boolean; result?: unknown; error?: string }>((resolve) =>
			replies.set(id, resolve),
		);
		child.stdin.write(`${JSON.stringify({ id, op, ...extra })}\n`);
		type Reply = { ok: boolean; result?: unknown; error?: string };
		const answer: Reply = await Promise.race([
			reply,
			exited.then((code): Reply => ({ ok: false, error: `the cluster process exited (${code})` })),
		]);
		if (!answer.ok) throw new Error(`${op}: ${answer.error}`);
		return answer.result as T;
	};
	const client = new N8nClient({
		baseUrl: description.n8nUrl,
		webhookBaseUrl: description.webhookUrl,
		email: description.owner.email,
		password: description.owner.password,
		apiKey: description.apiKey,
		userFolder: description.userFolder,
		nodeModules: description.nodeModules,
		nodeBin: description.nodeBin,
		database: description.database,
	});
	return {
		description,
		client,
		progressLog,
		killWorker: async (index, signal) => await command('killWorker', { index, signal }),
		restartWorker: async (index) => await command('restartWorker', { index }),
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) child.stdin.end();
			await exited;
			progress.end();
		},
	};
}

function tailOf(file: string, lines = 15): string {
	if (!existsSync(file)) return '';
	return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** One n8n process's JSON-lines log so far. */
export function logEntries(file: string): N8nLogEntry[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim().startsWith('{'))
		.map((line) => JSON.parse(line) as N8nLogEntry);
}

/** IDs of the executions a worker finished, from its log ("Worker finished execution <id> (job <job>)"). */
export function executionsFinishedBy(workerJsonLog: string): Set<string> {
	const ids = new Set<string>();
	for (const entry of logEntries(workerJsonLog)) {
		const match = /^Worker finished execution (\S+) /.exec(entry.message);
		if (match) ids.add(match[1]);
	}
	return ids;
}
