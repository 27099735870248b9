// Plumbing shared by the benchmarks of `npm run bench` (scripts/bench.mjs): real n8n 2.41.1 with the package
// installed as users install it, the Wix sandbox, credentials, runs through n8n's REST API, memory of the n8n
// process tree from /proc, the sandbox's request log, and the formatting of figures and tables.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	createReadStream,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { N8nClient, sleep } from '../n8n-client.cjs';
import { ensureN8n, N8N_VERSION } from '../n8n-install.mjs';
import { CREDENTIAL_NAMES, startSandbox } from '../n8n-instance.mjs';
import { installPackage, OWNER, REPO_ROOT, startN8n } from '../n8n-process.mjs';

export { sleep, REPO_ROOT };
export { PACKAGE_NAME } from '../n8n-process.mjs';
export { BROWSER_ID } from '../n8n-client.cjs';

export const MB = 1024 * 1024;
export const OUTPUT_DIR = join(REPO_ROOT, 'test-output', 'bench');
/** Wix gives up on a webhook receiver that has not answered within this time. */
export const WIX_WEBHOOK_TIMEOUT_MS = 1250;

// --- memory of a process tree, from /proc ------------------------------------------------------------------

function readStatus(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/status`, 'utf8');
		const field = (name) => {
			const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
			return match ? Number(match[1]) * 1024 : undefined;
		};
		return { rss: field('VmRSS'), hwm: field('VmHWM') };
	} catch {
		return undefined;
	}
}

function commandLine(pid) {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		return '';
	}
}

/** The process and all its descendants (n8n starts its task runners as children). */
function processTree(rootPid) {
	const children = new Map();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// The command name is in parentheses and may hold spaces; the parent pid is the 2nd field after it.
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(name));
		} catch {
			// gone meanwhile
		}
	}
	const tree = [];
	const queue = [rootPid];
	while (queue.length) {
		const pid = queue.shift();
		tree.push(pid);
		queue.push(...(children.get(pid) ?? []));
	}
	return tree;
}

/**
 * Watches a process tree during one measurement: the kernel's peak RSS (VmHWM) is reset first through
 * /proc/<pid>/clear_refs, so that it covers this measurement only; VmRSS is also polled every 50 ms as a cross-check
 * and as the figure when the reset is not allowed.
 */
export function watchMemory(rootPid) {
	const processes = new Map();
	const track = (pid) => {
		if (processes.has(pid)) return;
		const status = readStatus(pid);
		if (!status) return;
		let reset = false;
		try {
			writeFileSync(`/proc/${pid}/clear_refs`, '5');
			reset = true;
		} catch {
			// not permitted here: the polled maximum stands in
		}
		processes.set(pid, {
			pid,
			command: commandLine(pid),
			baseline: status.rss,
			polledPeak: status.rss,
			hwm: undefined,
			reset,
		});
	};
	const poll = () => {
		for (const pid of processTree(rootPid)) track(pid);
		let sum = 0;
		for (const entry of processes.values()) {
			const status = readStatus(entry.pid);
			if (!status) continue;
			entry.polledPeak = Math.max(entry.polledPeak, status.rss ?? 0);
			if (entry.reset) entry.hwm = status.hwm;
			sum += status.rss ?? 0;
		}
		treePeak = Math.max(treePeak, sum);
	};
	let treePeak = 0;
	poll();
	const timer = setInterval(poll, 50);
	return {
		stop() {
			clearInterval(timer);
			poll();
			const list = [...processes.values()].map((entry) => ({
				pid: entry.pid,
				role:
					entry.pid === rootPid ? 'n8n' : /runner/i.test(entry.command) ? 'task runner' : 'child',
				command: entry.command.slice(0, 160),
				baselineBytes: entry.baseline,
				peakBytes:
					entry.reset && entry.hwm ? Math.max(entry.hwm, entry.polledPeak) : entry.polledPeak,
				polledPeakBytes: entry.polledPeak,
				peakSource: entry.reset ? 'VmHWM after clear_refs' : 'VmRSS polled every 50 ms',
			}));
			const main = list.find((entry) => entry.pid === rootPid);
			return {
				processes: list,
				peakBytes: main?.peakBytes,
				baselineBytes: main?.baselineBytes,
				// Sum of the polled RSS of the whole tree at its highest moment.
				treePeakBytes: treePeak,
			};
		},
	};
}

// --- figures ---------------------------------------------------------------------------------------------------

export async function sha256File(path) {
	const hash = createHash('sha256');
	let size = 0;
	for await (const chunk of createReadStream(path, { highWaterMark: 4 * MB })) {
		hash.update(chunk);
		size += chunk.length;
	}
	return { sha256: hash.digest('hex'), size };
}

export async function sha256Response(response) {
	const hash = createHash('sha256');
	let size = 0;
	for await (const chunk of response.body) {
		hash.update(chunk);
		size += chunk.length;
	}
	return { sha256: hash.digest('hex'), size };
}

export function formatMb(bytes) {
	return bytes === undefined ? 'n/a' : `${(bytes / MB).toFixed(0)} MiB`;
}

export function formatSeconds(ms) {
	return ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
}

/** Milliseconds below ten seconds, seconds above. */
export function formatMs(ms) {
	if (ms === undefined || ms === null || Number.isNaN(ms)) return 'n/a';
	if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
	return `${ms >= 100 ? Math.round(ms).toLocaleString('en') : ms.toFixed(1)} ms`;
}

export function formatCount(value) {
	return value === undefined || value === null ? 'n/a' : Math.round(value).toLocaleString('en');
}

export function formatPercent(share) {
	return share === undefined ? 'n/a' : `${(share * 100).toFixed(1)} %`;
}

export function ratio(value, reference) {
	if (!value || !reference) return undefined;
	return value / reference;
}

export function formatRatio(value) {
	if (value === undefined || value === null) return 'n/a';
	if (value >= 10) return `${value.toFixed(0)}×`;
	return value >= 0.1 ? `${value.toFixed(2)}×` : `${value.toPrecision(2)}×`;
}

export function median(values) {
	const sorted = values.filter((value) => value !== undefined).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile (p in 0–100) of a list of numbers. */
export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1];
}

/** Rows of cells as an aligned text table; the first row is the header. */
export function table(rows) {
	const widths = rows[0].map((_, column) =>
		Math.max(...rows.map((row) => String(row[column] ?? '').length)),
	);
	const lines = rows.map((row) =>
		row
			.map((cell, column) => String(cell ?? '').padEnd(widths[column]))
			.join('  ')
			.trimEnd(),
	);
	lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
	return lines.join('\n');
}

/** A summary line for the final table: one figure, its reference measured in the same run, and their ratio. */
export function figure(name, value, format, reference, referenceName) {
	return {
		name,
		value,
		text: format(value),
		reference,
		referenceName,
		referenceText: reference === undefined ? undefined : format(reference),
		ratio: reference === undefined ? undefined : ratio(value, reference),
	};
}

export function machine(n8nNodeBin) {
	const cpuList = cpus();
	const n8nNode = spawnSync(n8nNodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
	const unzipVersion = existsSync('/usr/bin/unzip')
		? spawnSync('/usr/bin/unzip', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0]
		: 'no unzip';
	return {
		cpu: cpuList[0]?.model?.trim(),
		cores: cpuList.length,
		memoryGb: Math.round(totalmem() / 1024 ** 3),
		kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
		benchNode: process.version,
		n8nNode,
		n8n: N8N_VERSION,
		unzip: unzipVersion,
	};
}

export function machineLine(m) {
	return (
		`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Linux ${m.kernel}; ` +
		`n8n ${m.n8n} on Node ${m.n8nNode}; bench on Node ${m.benchNode}`
	);
}

export function writeReport(name, report) {
	mkdirSync(OUTPUT_DIR, { recursive: true });
	const file = join(OUTPUT_DIR, `${name}.json`);
	writeFileSync(file, JSON.stringify(report, null, '\t') + '\n');
	return file;
}

/** Runs a command under GNU time (peak RSS) when there is one, else polls the child's RSS. */
export function timed(command, args, { cwd } = {}) {
	// GNU time's -v report ends up in a file so that the command's own stderr stays readable.
	const reportFile = join(cwd ?? REPO_ROOT, `.time-${process.pid}-${Date.now()}.txt`);
	const useTime = existsSync('/usr/bin/time');
	const started = performance.now();
	return new Promise((resolveRun) => {
		const child = useTime
			? spawn('/usr/bin/time', ['-v', '-o', reportFile, command, ...args], { cwd })
			: spawn(command, args, { cwd });
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.stdout.resume();
		const memory = useTime ? undefined : watchMemory(child.pid);
		child.on('close', (code, signal) => {
			const wallMs = performance.now() - started;
			let peakBytes = memory?.stop().peakBytes;
			if (useTime && existsSync(reportFile)) {
				const report = readFileSync(reportFile, 'utf8');
				rmSync(reportFile, { force: true });
				const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
				if (match) peakBytes = Number(match[1]) * 1024;
			}
			resolveRun({ code, signal, wallMs, peakBytes, stderr: stderr.trim() });
		});
	});
}

// --- n8n and the sandbox ------------------------------------------------------------------------------------

/**
 * One sandbox and one n8n user folder for a whole run, with the package installed and both Wix credentials
 * (API key for the action nodes, app credential with the sandbox's public key for the trigger).
 */
export class BenchSetup {
	constructor(options, log) {
		this.options = options;
		this.log = log;
		this.workDir = join(OUTPUT_DIR, 'work');
		this.userFolder = join(this.workDir, 'n8n');
	}

	async start() {
		this.paths = ensureN8n({ log: this.log });
		rmSync(this.workDir, { recursive: true, force: true });
		mkdirSync(join(this.userFolder, '.n8n'), { recursive: true });
		installPackage({
			userFolder: this.userFolder,
			nodeBin: this.paths.nodeBin,
			build: this.options.build,
			log: this.log,
		});
		this.sandbox = await startSandbox({ port: 0, log: () => {} });
		this.log(`== Wix sandbox at ${this.sandbox.baseUrl}`);
		await this.startN8n();
		await this.client.createApiKey();
		const { credentials, baseUrl } = this.sandbox;
		this.credential = await this.client.createCredential({
			name: CREDENTIAL_NAMES.wixGalleryApi,
			type: 'wixGalleryApi',
			data: { apiKey: credentials.apiKey, siteId: credentials.siteId, baseUrl },
		});
		this.appCredential = await this.client.createCredential({
			name: CREDENTIAL_NAMES.wixGalleryOAuth2Api,
			type: 'wixGalleryOAuth2Api',
			data: {
				appId: credentials.appId,
				appSecret: credentials.appSecret,
				instanceId: credentials.instanceId,
				publicKey: credentials.publicKeyPem,
				baseUrl,
			},
		});
		this.machine = machine(this.paths.nodeBin);
	}

	async startN8n() {
		this.n8n = await startN8n({
			userFolder: this.userFolder,
			nodeBin: this.paths.nodeBin,
			n8nBin: this.paths.n8nBin,
			nodeModules: this.paths.nodeModules,
			log: this.log,
		});
		this.client = new N8nClient({
			baseUrl: this.n8n.baseUrl,
			email: OWNER.email,
			password: OWNER.password,
			apiKey: this.client?.apiKey,
			userFolder: this.userFolder,
			nodeModules: this.paths.nodeModules,
			nodeBin: this.paths.nodeBin,
		});
		await this.client.login();
	}

	/** A fresh n8n process on the same database, so that one measurement's memory does not carry into the next. */
	async restartN8n() {
		await this.n8n.stop();
		await this.startN8n();
	}

	/** n8n as just started: restarted if anything ran on it since it started. */
	async freshN8n() {
		if (this.n8nUsed) await this.restartN8n();
		this.n8nUsed = true;
	}

	async stop() {
		await this.n8n?.stop().catch(() => undefined);
		await this.sandbox?.close().catch(() => undefined);
		if (!this.options.keep) rmSync(this.workDir, { recursive: true, force: true });
	}

	/** A Wix REST call with the sandbox's API key, as a site owner's script makes it. */
	async wix(method, path, body) {
		return await this.sandbox.wix(method, path, body);
	}

	/** The sandbox's request log from `afterSeq` on (control calls are never logged). */
	async requestsSince(afterSeq) {
		const log = await this.sandbox.control('GET', 'requests');
		return log.filter((entry) => entry.seq > afterSeq);
	}

	/** The sequence number of the newest logged request, to filter one measurement's requests by. */
	async lastRequestSeq() {
		const log = await this.sandbox.control('GET', 'requests');
		return log.at(-1)?.seq ?? 0;
	}

	/** Every execution n8n recorded for a workflow (running ones included), paging through the public API. */
	async executionsOf(workflowId) {
		const executions = new Map();
		for (const status of [undefined, 'running']) {
			let cursor;
			do {
				const query = new URLSearchParams({ workflowId, limit: '250' });
				if (status) query.set('status', status);
				if (cursor) query.set('cursor', cursor);
				const page = await this.client.api('GET', `/executions?${query}`);
				for (const execution of page.data) executions.set(execution.id, execution);
				cursor = page.nextCursor;
			} while (cursor);
		}
		return [...executions.values()];
	}
}

export function manualTrigger() {
	return {
		id: 'bench-trigger',
		name: 'Manual Trigger',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/** A workflow that starts with a Manual Trigger and runs `nodes` one after another. */
export function chainWorkflow(name, nodes) {
	const all = [manualTrigger(), ...nodes];
	const connections = {};
	all.forEach((node, index) => {
		node.position = [index * 260, 0];
		if (index > 0)
			connections[all[index - 1].name] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
	});
	return { name, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

export function nodeRun(execution, nodeName) {
	return execution?.data?.resultData?.runData?.[nodeName]?.[0];
}

export function nodeItems(execution, nodeName) {
	return nodeRun(execution, nodeName)?.data?.main?.[0] ?? [];
}

export function executionError(execution) {
	const runData = execution?.data?.resultData?.runData ?? {};
	for (const [node, runs] of Object.entries(runData)) {
		const failed = runs.find((run) => run.error);
		if (failed) return { node, message: failed.error.message ?? String(failed.error) };
	}
	const error = execution?.data?.resultData?.error;
	return error ? { node: error.node?.name, message: error.message ?? String(error) } : undefined;
}

export function executionMs(execution) {
	return execution?.startedAt && execution?.stoppedAt
		? Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)
		: undefined;
}

/**
 * Starts a workflow as the editor's button does and waits for its end. A busy n8n may reset a kept-alive
 * connection between two polls; that is retried, not taken for a failure.
 */
export async function runWorkflow(setup, workflowId, timeoutMs = 30 * 60 * 1000) {
	return await setup.client.runWorkflow(workflowId, {
		triggerName: 'Manual Trigger',
		timeoutMs,
		firstPollMs: 50,
		maxPollMs: 500,
	});
}

/** Runs a workflow and fails with the node's error unless it succeeded. */
export async function runWorkflowChecked(setup, workflowId, what, timeoutMs) {
	const execution = await runWorkflow(setup, workflowId, timeoutMs);
	if (execution.status !== 'success') {
		const error = executionError(execution);
		throw new Error(
			`${what} failed${error?.node ? ` in ${error.node}` : ''}: ${error?.message ?? execution.status}`,
		);
	}
	return execution;
}

/**
 * Runs a workflow on the running n8n and measures it. A crash of n8n (out of memory) ends the measurement with the
 * exit as its error.
 */
export async function measureN8nRun(setup, workflowId) {
	const memory = watchMemory(setup.n8n.pid);
	const started = performance.now();
	const run = runWorkflow(setup, workflowId);
	const outcome = await Promise.race([
		run.then(
			(execution) => ({ execution }),
			(error) => ({ error }),
		),
		setup.n8n.exited.then((code) => ({ crashed: `n8n exited (${code}) during the run` })),
	]);
	// Whichever lost the race must not surface later as an unhandled rejection.
	run.catch(() => undefined);
	if (outcome.error) {
		// A request that failed because n8n died is the run's result; the exit may be noticed a moment later.
		const died = await Promise.race([
			setup.n8n.exited.then(() => true),
			sleep(3000).then(() => false),
		]);
		if (!died) throw outcome.error;
	}
	const crashed =
		outcome.crashed ??
		(outcome.error ? `n8n died during the run (${outcome.error.message})` : undefined);
	const observedMs = performance.now() - started;
	const measured = memory.stop();
	const execution = outcome.execution;
	return {
		execution,
		crashed,
		observedMs,
		executionMs: executionMs(execution),
		memory: measured,
	};
}

export async function settleIdle(ms = 3000) {
	// Let the start-up work and the warm-up's garbage settle before the baseline is read.
	await sleep(ms);
}

/** Runs `task` over `inputs` with at most `concurrency` at a time; results in input order. */
export async function mapConcurrent(inputs, concurrency, task) {
	const results = new Array(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
	return results;
}

/** The header every benchmark section starts with: what ran, on what, with which workload. */
export function sectionHeader(report) {
	return [
		`${report.title} — ${report.command}`,
		machineLine(report.machine),
		`workload: ${report.workloadText}`,
	].join('\n');
}
