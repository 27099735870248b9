/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tests run in plain Node, never inside n8n, and start node child processes of their own */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Runs a TypeScript script of the tests in a fresh `node` process: for measurements that must not share a heap
 * with jest and other tests (memory), and for limits that only a process of its own can have (`--max-old-space-size`).
 *
 * The child reports with `reportToParent(value)` (one JSON line on stdout); everything else it prints is kept
 * as output. It gets a temporary folder of its own as TMPDIR, removed when it ends, however it ends (also when
 * V8 aborts it for running out of heap).
 */

const RESULT_PREFIX = '@@child-result ';
const REGISTER_TS = path.join(__dirname, 'registerTs.js');

export interface ChildRun<T> {
	/** Exit code, or null when a signal ended the child (V8 aborts with SIGABRT when the heap limit is hit). */
	code: number | null;
	signal: NodeJS.Signals | null;
	/** What the child passed to reportToParent (the last call), if anything. */
	result?: T;
	stdout: string;
	stderr: string;
	/** Whether V8 gave up for lack of heap ("JavaScript heap out of memory"). */
	outOfMemory: boolean;
}

export interface ChildOptions {
	/** Node and V8 flags, e.g. `['--max-old-space-size=96']`. `--expose-gc` is always added. */
	nodeFlags?: string[];
	env?: NodeJS.ProcessEnv;
	/**
	 * A ceiling for a child that hangs, not a measure of speed: the child is killed and the run rejected after it.
	 * Keep it generous and below the test's own timeout so the test reports the child's output.
	 */
	killAfterMs: number;
}

const running = new Set<ReturnType<typeof spawn>>();

export async function runTsChild<T = unknown>(
	script: string,
	args: string[],
	options: ChildOptions,
): Promise<ChildRun<T>> {
	const childTmp = mkdtempSync(path.join(tmpdir(), 'test-child-'));
	const child = spawn(
		process.execPath,
		[
			'--expose-gc',
			'--enable-source-maps',
			...(options.nodeFlags ?? []),
			'-r',
			REGISTER_TS,
			script,
			...args,
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, ...options.env, TMPDIR: childTmp },
		},
	);
	running.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
	child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
	try {
		const { code, signal } = await new Promise<{
			code: number | null;
			signal: NodeJS.Signals | null;
		}>((resolve, reject) => {
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(
					new Error(
						`child ${path.basename(script)} ${args.join(' ')} still running after ${options.killAfterMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`,
					),
				);
			}, options.killAfterMs);
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			// 'close' comes after the output streams ended, so stdout and stderr are complete.
			child.once('close', (exitCode, exitSignal) => {
				clearTimeout(timer);
				resolve({ code: exitCode, signal: exitSignal });
			});
		});
		let result: T | undefined;
		const kept: string[] = [];
		for (const line of stdout.split('\n')) {
			if (line.startsWith(RESULT_PREFIX))
				result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
			else kept.push(line);
		}
		return {
			code,
			signal,
			result,
			stdout: kept.join('\n'),
			stderr,
			outOfMemory: /JavaScript heap out of memory|Reached heap limit/.test(stderr),
		};
	} finally {
		running.delete(child);
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		rmSync(childTmp, { recursive: true, force: true });
	}
}

/** Kills children still running (a test that timed out); registered once per test file that loads this module. */
function killRunning(): void {
	for (const child of running) child.kill('SIGKILL');
	running.clear();
}
if (typeof afterAll === 'function') {
	try {
		afterAll(killRunning);
	} catch {
		// Loaded from inside a test or hook, where jest allows no new hooks.
	}
}

/** For the child: hands a JSON-able value to the parent's `runTsChild`. */
export function reportToParent(value: unknown): void {
	process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}
