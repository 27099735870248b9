// One n8n process as the tests, the demo and the benchmarks run it: where the repository is, the owner, the package
// packed and installed the way users install it, n8n's environment, and `startN8n` (spawn, wait until ready, stop).
// scripts/n8n-instance.mjs builds a whole instance on it; scripts/n8n-cluster.mjs a queue-mode cluster.
import { spawn, spawnSync } from 'node:child_process';
import {
	closeSync,
	cpSync,
	createWriteStream,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	readSync,
	rmSync,
	statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sleep } from './n8n-client.cjs';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
export const PACKAGE_NAME = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).name;

export const OWNER = {
	email: 'demo@example.com',
	password: 'Wix-sandbox-1',
	firstName: 'Demo',
	lastName: 'Owner',
};
// Fixed so that a kept user folder stays readable between runs; it only protects sandbox credentials.
const ENCRYPTION_KEY = 'n8n-nodes-wix-gallery-local-encryption-key';

export async function freePort() {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolvePort(port));
		});
	});
}

export async function portIsFree(port) {
	return await new Promise((resolvePort) => {
		const server = createServer();
		server.once('error', () => resolvePort(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
	});
}

function runChecked(command, args, { cwd = REPO_ROOT, env, quiet = true } = {}) {
	const result = spawnSync(command, args, {
		cwd,
		env,
		encoding: 'utf8',
		stdio: quiet ? 'pipe' : 'inherit',
	});
	if (result.status !== 0) {
		const output = quiet ? `\n${result.stdout ?? ''}${result.stderr ?? ''}`.trimEnd() : '';
		throw new Error(
			`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})${output}`,
		);
	}
	return result.stdout;
}

/** Builds the package and the sandbox, packs the package, and unpacks it where n8n looks for community nodes. */
export function installPackage({ userFolder, nodeBin, build = true, log }) {
	const env = { ...process.env, PATH: `${join(nodeBin, '..')}:${process.env.PATH ?? ''}` };
	if (build) {
		log('== building the package and the sandbox');
		runChecked('npm', ['run', 'build', '--silent'], { env });
		runChecked('npm', ['run', 'build:sandbox', '--silent'], { env });
	}
	const packDir = mkdtempSync(join(userFolder, 'pack-'));
	const packed = JSON.parse(
		runChecked('npm', ['pack', '--json', '--pack-destination', packDir], { env }),
	);
	const tarball = join(packDir, packed[0].filename);
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	runChecked('tar', ['-xzf', tarball, '--strip-components=1', '-C', target]);
	rmSync(packDir, { recursive: true, force: true });
	log(`== installed ${packed[0].filename} (${packed[0].entryCount} files) into ${target}`);
	return { target, registered: JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')).n8n };
}

/**
 * Copies another community package (a folder with a package.json and compiled JS, e.g. a test fixture) next to
 * this one, where n8n loads it from as if it had been installed too. Copied, not packed: fixtures have no build and
 * no `files` list, and what matters is only that n8n finds both packages in one nodes folder.
 */
export function installExtraPackage({ userFolder, dir, log }) {
	const source = resolve(dir);
	const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
	if (manifest.name === PACKAGE_NAME) throw new Error(`${source} is ${PACKAGE_NAME} itself`);
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', manifest.name);
	rmSync(target, { recursive: true, force: true });
	cpSync(source, target, {
		recursive: true,
		filter: (path) => !path.slice(source.length).split('/').includes('node_modules'),
	});
	log(`== installed ${manifest.name}@${manifest.version} from ${source} into ${target}`);
	return { name: manifest.name, version: manifest.version, target, registered: manifest.n8n };
}

function bcryptHash(nodeModules, password) {
	const bcrypt = createRequire(join(nodeModules, 'n8n', 'package.json'))('bcryptjs');
	return bcrypt.hashSync(password, 10);
}

/** The environment that keeps n8n quiet, local and off the network (docs: ../shared/n8n-on-these-machines.md). */
export function n8nEnvironment({ userFolder, port, brokerPort, nodeModules, nodeBin }) {
	const env = {
		...process.env,
		PATH: `${join(nodeBin, '..')}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// 2.41.1's default engine crashed n8n at exit in 5 of 8 CLI runs here; legacy never did.
		N8N_EXPRESSION_ENGINE: 'legacy',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		// The console (n8n.log) is for people; the file is JSON lines with levels, for checks on warnings.
		N8N_LOG_OUTPUT: 'console,file',
		N8N_LOG_FILE_LOCATION: join(userFolder, 'n8n-log.jsonl'),
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(nodeModules, OWNER.password),
		NO_COLOR: '1',
	};
	// A developer's own n8n settings must not leak into a run that is meant to be reproducible.
	delete env.N8N_CUSTOM_EXTENSIONS;
	delete env.NODE_OPTIONS;
	// Nor a proxy: only platformProxyEnvironment's (given as extra env by the starters) may route n8n's requests.
	for (const name of [
		'HTTP_PROXY',
		'HTTPS_PROXY',
		'ALL_PROXY',
		'NO_PROXY',
		'NODE_EXTRA_CA_CERTS',
	]) {
		delete env[name];
		delete env[name.toLowerCase()];
	}
	// For profiling n8n's side of a benchmark (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), set on purpose.
	if (process.env.WIX_N8N_NODE_OPTIONS) env.NODE_OPTIONS = process.env.WIX_N8N_NODE_OPTIONS;
	// jest sets NODE_ENV=test, with which n8n exits at once without a word.
	delete env.NODE_ENV;
	for (const name of Object.keys(env)) if (name.startsWith('JEST_')) delete env[name];
	return env;
}

/**
 * What makes n8n's own nodes reach the sandbox's emulated social platforms at their fixed hosts (api.linkedin.com,
 * graph.facebook.com; sandbox/src/core/platformProxy.ts): n8n 2.41.1 resolves a proxy per request from these
 * variables (`@n8n/backend-network`, proxy/proxy-resolution.js and http/env-proxy-router.js, through the
 * `proxy-from-env` package, which reads the lower-case names first), and Node trusts the sandbox's CA from
 * NODE_EXTRA_CA_CERTS (read once, at start). Only HTTPS goes through the proxy; NO_PROXY keeps every call to this
 * machine (the sandbox's Wix APIs, n8n's own API) direct.
 */
export function platformProxyEnvironment({ proxyUrl, caFile }) {
	const noProxy = '127.0.0.1,localhost,::1,[::1]';
	return {
		HTTPS_PROXY: proxyUrl,
		https_proxy: proxyUrl,
		NO_PROXY: noProxy,
		no_proxy: noProxy,
		NODE_EXTRA_CA_CERTS: caFile,
	};
}

// A start is given up when n8n shows no sign of life for N8N_STALL_MS (its log did not grow and its processes used
// next to no CPU) or exits; not after a fixed time, because a busy machine once stretched a healthy boot past 120 s. The
// ceiling is only a backstop for an n8n that keeps spinning without ever getting ready.
const N8N_STALL_MS = 90 * 1000;
// An idle Node process still spends a clock tick now and then (timers, GC): only this much CPU since the last sign
// of progress counts as one. A booting n8n uses about a core; a starved one gets this within seconds.
const N8N_PROGRESS_CPU_MS = 2000;
const N8N_START_CEILING_MS = 15 * 60 * 1000;
const N8N_PROGRESS_EVERY_MS = 10 * 1000;
const PROGRESS_SAMPLE_MS = 1000;
// USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux that n8n runs on.
const CLOCK_TICKS_PER_SECOND = 100;

function fileSize(file) {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}

/** The last non-empty line of a (log) file, shortened, for messages about a slow or failed start. */
function lastLine(file) {
	let fd;
	try {
		fd = openSync(file, 'r');
		const size = statSync(file).size;
		const length = Math.min(size, 8192);
		const buffer = Buffer.alloc(length);
		readSync(fd, buffer, 0, length, size - length);
		const line =
			buffer
				.toString('utf8')
				.split('\n')
				.map((text) => text.trim())
				.filter(Boolean)
				.at(-1) ?? '';
		return line.length > 200 ? `${line.slice(0, 200)}…` : line;
	} catch {
		return '';
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

/**
 * CPU clock ticks used so far by the processes of a process group (n8n and the task runners it starts), counting
 * reaped children's time too; undefined where there is no /proc (then only the log tells progress).
 */
function groupCpuTicks(pgid) {
	let entries;
	try {
		entries = readdirSync('/proc');
	} catch {
		return undefined;
	}
	let ticks = 0;
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // ended meanwhile
		}
		// The command name (field 2) is in parentheses and may hold spaces; fields[0] is field 3, the state.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) !== pgid) continue; // field 5, pgrp
		// Fields 14-17: utime, stime, cutime, cstime.
		ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
	}
	return ticks;
}

async function waitForHealth(baseUrl, child, logFile, { stallMs, ceilingMs, log, label = 'n8n' }) {
	const started = Date.now();
	const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
	const lastLogLine = () => {
		const line = lastLine(logFile);
		return line ? `last log line: "${line}"` : 'its log is empty';
	};
	let size = fileSize(logFile);
	let ticks = groupCpuTicks(child.pid);
	const watchesCpu = ticks !== undefined;
	let progressAt = started;
	let ticksAtProgress = ticks;
	let sampledAt = started;
	let reported = { at: started, size, ticks };
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(
				`${label} exited (${child.exitCode ?? child.signalCode}) after ${elapsed()}, before it was ready; ` +
					`${lastLogLine()}; see ${logFile}`,
			);
		}
		try {
			// n8n may accept a connection long before it answers; a hung request must not hang the wait.
			const response = await fetch(`${baseUrl}/healthz/readiness`, {
				signal: AbortSignal.timeout(5000),
			});
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		const now = Date.now();
		if (now - sampledAt >= PROGRESS_SAMPLE_MS) {
			sampledAt = now;
			const newSize = fileSize(logFile);
			const newTicks = groupCpuTicks(child.pid);
			// A task runner that ends takes its own ticks along until n8n reaps it: only a new maximum counts.
			if (newTicks !== undefined) ticks = Math.max(ticks ?? 0, newTicks);
			const busy =
				watchesCpu &&
				((ticks - ticksAtProgress) * 1000) / CLOCK_TICKS_PER_SECOND >= N8N_PROGRESS_CPU_MS;
			if (newSize > size || busy) {
				progressAt = now;
				ticksAtProgress = ticks;
			}
			size = Math.max(size, newSize);
			if (now - reported.at >= N8N_PROGRESS_EVERY_MS) {
				const cpu = watchesCpu
					? `, CPU +${((ticks - reported.ticks) / CLOCK_TICKS_PER_SECOND).toFixed(1)} s`
					: '';
				log(
					`== waiting for ${label}: ${elapsed()}; in the last ${((now - reported.at) / 1000).toFixed(0)} s ` +
						`log +${size - reported.size} bytes${cpu}; ${lastLogLine()}`,
				);
				reported = { at: now, size, ticks };
			}
			if (now - progressAt >= stallMs) {
				throw new Error(
					`${label} made no progress for ${(stallMs / 1000).toFixed(0)} s (its log did not grow` +
						`${watchesCpu ? ` and it used under ${N8N_PROGRESS_CPU_MS / 1000} s of CPU` : ''}) ` +
						`and was not ready after ${elapsed()}; ` +
						`${lastLogLine()}; see ${logFile}`,
				);
			}
		}
		if (now - started >= ceilingMs) {
			throw new Error(
				`${label} was still not ready after ${elapsed()} (the ceiling is ${(ceilingMs / 1000).toFixed(0)} s), ` +
					`though it kept making progress; ${lastLogLine()}; see ${logFile}`,
			);
		}
		await sleep(200);
	}
}

/**
 * Spawns `n8n start` in its own process group (n8n starts task runners that must stop with it) and waits until it
 * is ready, reporting progress every 10 s; see N8N_STALL_MS for when it gives up.
 * Queue mode (scripts/n8n-cluster.mjs) starts other commands the same way: `command` ('webhook', 'worker'), `args`,
 * `env` (set over n8nEnvironment's; a value of undefined removes the variable) and a `label` for messages. A worker
 * has no N8N_PORT server: `port` is then its health-check port, which serves the same /healthz/readiness.
 */
export async function startN8n({
	userFolder,
	nodeBin,
	n8nBin,
	nodeModules,
	port,
	log,
	command = 'start',
	args = [],
	env: extraEnv = {},
	label = 'n8n',
	stallMs = N8N_STALL_MS,
	ceilingMs = N8N_START_CEILING_MS,
}) {
	const n8nPort = port || (await freePort());
	const brokerPort = await freePort();
	const logFile = join(userFolder, 'n8n.log');
	const logStream = createWriteStream(logFile, { flags: 'a' });
	await new Promise((resolveOpen) => logStream.once('open', resolveOpen));
	const env = n8nEnvironment({ userFolder, port: n8nPort, brokerPort, nodeModules, nodeBin });
	for (const [name, value] of Object.entries(extraEnv)) {
		if (value === undefined) delete env[name];
		else env[name] = String(value);
	}
	const started = Date.now();
	const child = spawn(nodeBin, [n8nBin, command, ...args], {
		cwd: userFolder,
		env,
		detached: true,
		stdio: ['ignore', logStream, logStream],
	});
	const baseUrl = `http://127.0.0.1:${n8nPort}`;
	// Last resort when this process ends without stop() (an uncaught error, jest interrupted): n8n is detached.
	const killOnExit = () => killGroup(child.pid, 'SIGKILL');
	process.once('exit', killOnExit);
	const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
	const closed = new Promise((resolveClose) => child.once('close', resolveClose));
	let stopping;
	const stop = async () => {
		stopping ??= (async () => {
			if (child.exitCode === null && child.signalCode === null) {
				await endGroup(child.pid, exited, 'SIGTERM');
			}
			// n8n's task runners may outlive it for a moment; they are in its group.
			killGroup(child.pid, 'SIGKILL');
			process.removeListener('exit', killOnExit);
			await closed;
			await new Promise((resolveEnd) => logStream.end(resolveEnd));
		})();
		return await stopping;
	};
	try {
		await waitForHealth(baseUrl, child, logFile, { stallMs, ceilingMs, log, label });
	} catch (error) {
		await stop();
		throw error;
	}
	const bootMs = Date.now() - started;
	log(`== ${label} is up at ${baseUrl} after ${(bootMs / 1000).toFixed(1)} s (log: ${logFile})`);
	// kill() ends n8n and its task runners at once, as a crash would (no graceful shutdown); stop() then tidies up.
	const kill = (signal = 'SIGKILL') => killGroup(child.pid, signal);
	return {
		baseUrl,
		port: n8nPort,
		brokerPort,
		pid: child.pid,
		logFile,
		bootMs,
		stop,
		kill,
		exited,
	};
}

export function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/**
 * Sends `signal` to a process group and waits until its leader has exited; after `graceMs` without an exit the
 * group is killed. The grace timer is cleared once the process is gone: a pending one would keep the caller (jest)
 * alive.
 */
export async function endGroup(pid, exited, signal = 'SIGTERM', graceMs = 15000) {
	killGroup(pid, signal);
	let grace;
	const timedOut = await Promise.race([
		exited.then(() => false),
		new Promise((resolveTimeout) => {
			grace = setTimeout(() => resolveTimeout(true), graceMs);
		}),
	]);
	clearTimeout(grace);
	if (timedOut) killGroup(pid, 'SIGKILL');
	await exited;
}
