// Starts real n8n 2.41.1 with this package installed the way users install it, next to the Wix sandbox, and wires
// them together: owner, API key, sandbox credentials, example workflows, activated triggers, webhook targets.
// Used by scripts/demo.mjs and the e2e tests' global setup (test/e2e/globalSetup.mjs).
import { spawn, spawnSync } from 'node:child_process';
import {
	closeSync,
	cpSync,
	createWriteStream,
	existsSync,
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

import { N8nClient, sleep } from './n8n-client.cjs';
import { ensureN8n } from './n8n-install.mjs';

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

export const CREDENTIAL_NAMES = {
	wixGalleryApi: 'Wix sandbox (API key)',
	wixGalleryOAuth2Api: 'Wix sandbox (app)',
	httpBearerAuth: 'External platform sandbox (bearer token)',
	httpHeaderAuth: 'External platform sandbox (Authorization header)',
	wixGalleryN8nApi: 'This n8n (API key for the sync mapping)',
};

// Example workflows are written against the sandbox's default address (`npm run sandbox`); the running one may
// listen elsewhere.
const DEFAULT_SANDBOX_ORIGINS = ['http://127.0.0.1:5880', 'http://localhost:5880'];

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

async function portIsFree(port) {
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

/** Starts the compiled sandbox (build/sandbox) in this process. */
export async function startSandbox({ port = 0, log } = {}) {
	const serverPath = join(REPO_ROOT, 'build', 'sandbox', 'server.js');
	if (!existsSync(serverPath))
		throw new Error(`${serverPath} is missing: run npm run build:sandbox`);
	const require = createRequire(import.meta.url);
	const { startSandbox: start } = require(serverPath);
	const { sandboxClient } = require(join(REPO_ROOT, 'build', 'sandbox', 'client.js'));
	const sandbox = await start({ host: '127.0.0.1', port, log });
	const { control, wix } = sandboxClient(sandbox.baseUrl, sandbox.credentials);
	const health = await control('GET', 'health');
	const external = health.modules.includes('externalPlatform')
		? await control('GET', 'external/credentials')
		: undefined;
	return { ...sandbox, control, wix, modules: health.modules, external };
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
	// jest sets NODE_ENV=test, with which n8n exits at once without a word.
	delete env.NODE_ENV;
	for (const name of Object.keys(env)) if (name.startsWith('JEST_')) delete env[name];
	return env;
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
				killGroup(child.pid, 'SIGTERM');
				// A timer of its own, cleared once n8n is gone: a pending one would keep the caller (jest) alive.
				let grace;
				const timedOut = await Promise.race([
					exited.then(() => false),
					new Promise((resolveTimeout) => {
						grace = setTimeout(() => resolveTimeout(true), 15000);
					}),
				]);
				clearTimeout(grace);
				if (timedOut) killGroup(child.pid, 'SIGKILL');
				await exited;
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

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

const WORKFLOW_TRIGGER_TYPES_NOT_ACTIVATED = new Set(['n8n-nodes-base.manualTrigger']);

/** Rewrites an example workflow for this instance: sandbox address, package node types, credential references. */
export function prepareExample(
	workflow,
	{ sandboxBaseUrl, credentials, loadedTypes, defaultGallery },
) {
	let text = JSON.stringify(workflow);
	for (const origin of DEFAULT_SANDBOX_ORIGINS) text = text.split(origin).join(sandboxBaseUrl);
	const prepared = JSON.parse(text);
	const missing = [];
	for (const node of prepared.nodes ?? []) {
		// Examples may have been exported from an n8n that loaded the package as a custom folder.
		if (node.type.startsWith('CUSTOM.'))
			node.type = `${PACKAGE_NAME}.${node.type.slice('CUSTOM.'.length)}`;
		if (!loadedTypes.has(node.type)) missing.push(node.type);
		// Examples leave the gallery for the user to pick; the demo picks the sandbox's first one, as the editor's
		// list would store it, so that the workflow can be activated (n8n refuses empty required parameters).
		const galleryId = node.parameters?.galleryId;
		if (
			defaultGallery &&
			node.type.startsWith(`${PACKAGE_NAME}.`) &&
			galleryId?.__rl &&
			galleryId.value === ''
		) {
			node.parameters.galleryId = {
				__rl: true,
				mode: 'list',
				value: defaultGallery.id,
				cachedResultName: defaultGallery.name,
			};
		}
		for (const type of Object.keys(node.credentials ?? {})) {
			const imported = credentials[type];
			if (imported) node.credentials[type] = { id: imported.id, name: imported.name };
		}
	}
	return { workflow: prepared, missingNodeTypes: [...new Set(missing)] };
}

export function exampleFiles(dir = join(REPO_ROOT, 'examples')) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => join(dir, name));
}

/**
 * Everything a run needs: n8n (installed if missing), the package, the sandbox, owner, API key, credentials,
 * examples and webhook targets. `stop()` ends what was started.
 * `extraPackages` are folders of other community packages to install next to this one (installExtraPackage).
 * `queue: true` runs n8n in queue mode instead of one n8n with sqlite (scripts/n8n-cluster.mjs: Postgres, Redis,
 * main, webhook processor, `workers` workers); everything else is the same, and the result adds `webhookUrl`,
 * `database`, `cluster` (logs, boot times, folder) and `killWorker(i)` / `restartWorker(i)`.
 * @param {{ userFolder?: string, keepUserFolder?: boolean, build?: boolean, extraPackages?: string[],
 *   sandboxPort?: number, n8nPort?: number, importExamples?: boolean, activate?: boolean,
 *   queue?: boolean, workers?: number, env?: Record<string, string | undefined>, saveLogsTo?: string,
 *   log?: (line: string) => void }} options
 */
export async function startInstance(options = {}) {
	const log = options.log ?? ((line) => console.log(line));
	const paths = ensureN8n({ log });
	mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
	const userFolder = resolve(
		options.userFolder ?? mkdtempSync(join(REPO_ROOT, 'test-output', 'n8n-')),
	);
	if (!options.keepUserFolder) rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(join(userFolder, '.n8n'), { recursive: true });

	const { registered } = installPackage({
		userFolder,
		nodeBin: paths.nodeBin,
		build: options.build ?? true,
		log,
	});
	const extraPackages = (options.extraPackages ?? []).map((dir) =>
		installExtraPackage({ userFolder, dir, log }),
	);

	const sandboxLog = createWriteStream(join(userFolder, 'sandbox.log'), { flags: 'a' });
	let sandboxPort = options.sandboxPort ?? 0;
	if (sandboxPort && !(await portIsFree(sandboxPort))) {
		log(`== port ${sandboxPort} is taken; the sandbox listens on a free port instead`);
		sandboxPort = 0;
	}
	const sandbox = await startSandbox({
		port: sandboxPort,
		log: (line) => sandboxLog.write(`${line}\n`),
	});
	log(`== Wix sandbox at ${sandbox.baseUrl} (modules: ${sandbox.modules.join(', ')})`);

	let n8n;
	let cluster;
	const stop = async () => {
		await (cluster ?? n8n)?.stop();
		await sandbox.close();
		sandboxLog.end();
	};
	try {
		let client;
		if (options.queue) {
			// Loaded only here: the single-process path needs none of it.
			const { startCluster } = await import('./n8n-cluster.mjs');
			cluster = await startCluster({
				userFolder,
				install: false,
				port: options.n8nPort,
				workers: options.workers,
				env: options.env,
				saveLogsTo: options.saveLogsTo,
				log,
			});
			client = cluster.client;
			n8n = {
				baseUrl: cluster.mainUrl,
				logFile: cluster.logs.main,
				bootMs: cluster.boot.totalMs,
				exited: cluster.mainExited,
			};
		} else {
			n8n = await startN8n({
				userFolder,
				nodeBin: paths.nodeBin,
				n8nBin: paths.n8nBin,
				nodeModules: paths.nodeModules,
				port: options.n8nPort,
				env: options.env,
				log,
			});
			client = new N8nClient({
				baseUrl: n8n.baseUrl,
				email: OWNER.email,
				password: OWNER.password,
				userFolder,
				nodeModules: paths.nodeModules,
				nodeBin: paths.nodeBin,
			});
			await client.login();
			await client.createApiKey();
		}

		const nodeTypes = await client.nodeTypes();
		const loadedTypes = new Set(nodeTypes.map((type) => type.name));
		const credentialTypes = new Set((await client.credentialTypes()).map((type) => type.name));
		const credentials = await importCredentials(client, sandbox, credentialTypes);
		log(
			`== credentials: ${Object.values(credentials)
				.map((credential) => `"${credential.name}"`)
				.join(', ')}`,
		);

		const workflows = [];
		const sandboxState = await sandbox.control('GET', 'state');
		const defaultGallery = sandboxState.proGallery?.galleries?.[0];
		if (options.importExamples ?? true) {
			for (const file of exampleFiles(options.examplesDir)) {
				workflows.push(
					await importExample(client, file, {
						sandbox,
						credentials,
						loadedTypes,
						nodeTypes,
						defaultGallery,
						activate: options.activate ?? true,
						log,
					}),
				);
			}
		}
		const webhookTargets = await pointSandboxAtN8n(client, sandbox, workflows, log);

		return {
			n8nUrl: n8n.baseUrl,
			// Production webhooks: n8n itself, or in queue mode the webhook processor.
			webhookUrl: cluster?.webhookUrl ?? n8n.baseUrl,
			editorUrl: `${n8n.baseUrl}/home/workflows`,
			owner: OWNER,
			apiKey: client.apiKey,
			userFolder,
			logFile: n8n.logFile,
			jsonLogFile: join(userFolder, 'n8n-log.jsonl'),
			bootMs: n8n.bootMs,
			nodeModules: paths.nodeModules,
			nodeBin: paths.nodeBin,
			packageName: PACKAGE_NAME,
			registered,
			extraPackages,
			sandbox: {
				baseUrl: sandbox.baseUrl,
				credentials: sandbox.credentials,
				external: sandbox.external,
				modules: sandbox.modules,
			},
			credentials,
			workflows,
			webhookTargets,
			client,
			sandboxControl: sandbox.control,
			sandboxWix: sandbox.wix,
			n8nExited: n8n.exited,
			queue: Boolean(cluster),
			...(cluster
				? {
						database: cluster.database,
						cluster: {
							dir: cluster.dir,
							webhookUrl: cluster.webhookUrl,
							redis: cluster.redis,
							logs: cluster.logs,
							jsonLogs: cluster.jsonLogs,
							boot: cluster.boot,
						},
						killWorker: cluster.killWorker,
						restartWorker: cluster.restartWorker,
					}
				: {}),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

async function importCredentials(client, sandbox, credentialTypes) {
	const { credentials: wix, baseUrl } = sandbox;
	const wanted = {
		wixGalleryApi: { apiKey: wix.apiKey, siteId: wix.siteId, baseUrl },
		wixGalleryOAuth2Api: {
			appId: wix.appId,
			appSecret: wix.appSecret,
			instanceId: wix.instanceId,
			publicKey: wix.publicKeyPem,
			baseUrl,
		},
	};
	// The Sync node's data table store reaches this n8n's public API with the instance's own key.
	if (client.apiKey)
		wanted.wixGalleryN8nApi = { apiKey: client.apiKey, baseUrl: `${client.baseUrl}/api/v1` };
	if (sandbox.external) {
		wanted.httpBearerAuth = { token: sandbox.external.token };
		wanted.httpHeaderAuth = { name: 'Authorization', value: `Bearer ${sandbox.external.token}` };
	}
	const imported = {};
	for (const [type, data] of Object.entries(wanted)) {
		if (!credentialTypes.has(type)) continue;
		const created = await client.createCredential({ name: CREDENTIAL_NAMES[type], type, data });
		imported[type] = { id: created.id, name: created.name, type };
	}
	return imported;
}

function isActivatable(node, nodeTypesByName) {
	if (node.disabled || WORKFLOW_TRIGGER_TYPES_NOT_ACTIVATED.has(node.type)) return false;
	const description = nodeTypesByName.get(node.type);
	return Boolean(description && (description.group ?? []).includes('trigger'));
}

async function importExample(
	client,
	file,
	{ sandbox, credentials, loadedTypes, nodeTypes, defaultGallery, activate, log },
) {
	const name = file.split('/').pop();
	const original = JSON.parse(readFileSync(file, 'utf8'));
	const { workflow, missingNodeTypes } = prepareExample(original, {
		sandboxBaseUrl: sandbox.baseUrl,
		credentials,
		loadedTypes,
		defaultGallery,
	});
	if (missingNodeTypes.length > 0) {
		log(`== example ${name}: skipped, n8n has no node type ${missingNodeTypes.join(', ')}`);
		return {
			file,
			name: workflow.name,
			skipped: `missing node types: ${missingNodeTypes.join(', ')}`,
		};
	}
	const created = await client.createWorkflow(workflow);
	const nodeTypesByName = new Map(nodeTypes.map((type) => [type.name, type]));
	const triggers = workflow.nodes.filter((node) => isActivatable(node, nodeTypesByName));
	const manualTrigger = workflow.nodes.find(
		(node) => node.type === 'n8n-nodes-base.manualTrigger' && !node.disabled,
	);
	let activated = false;
	let activationError;
	if (activate && triggers.length > 0) {
		try {
			await client.activateWorkflow(created.id);
			activated = true;
		} catch (error) {
			activationError = error.message;
		}
	}
	log(
		`== example ${name}: "${workflow.name}" imported as ${created.id}` +
			(activated ? ', activated' : '') +
			(activationError ? `, NOT activated: ${activationError}` : ''),
	);
	return {
		file,
		name: workflow.name,
		id: created.id,
		activated,
		activationError,
		manualTrigger: manualTrigger?.name,
		triggers: triggers.map((node) => ({ name: node.name, type: node.type })),
		webhookTriggers: triggers.filter((node) => nodeTypesByName.get(node.type)?.webhooks?.length)
			.length,
		nodes: workflow.nodes.map((node) => ({ name: node.name, type: node.type })),
	};
}

/**
 * The sandbox sends Wix webhooks to one URL and the fake external platform its notifications to another: point
 * them at the production webhooks of the activated workflows (the package's trigger, and n8n's Webhook node).
 */
async function pointSandboxAtN8n(client, sandbox, workflows, log) {
	// n8n writes the webhook rows a moment after activation answers.
	const expected = workflows.filter(
		(workflow) => workflow.activated && workflow.webhookTriggers > 0,
	);
	let registered = await client.registeredWebhooks();
	for (let attempt = 0; attempt < 100; attempt++) {
		// Every webhook trigger of a workflow, not just its first: example 2 has two, registered one after the other.
		if (
			expected.every(
				(workflow) =>
					registered.filter((webhook) => webhook.workflowId === workflow.id).length >=
					workflow.webhookTriggers,
			)
		)
			break;
		await sleep(100);
		registered = await client.registeredWebhooks();
	}
	const typeOf = (workflowId, nodeName) =>
		workflows
			.find((workflow) => workflow.id === workflowId)
			?.nodes.find((node) => node.name === nodeName)?.type;
	const targets = {};
	for (const webhook of registered) {
		const type = typeOf(webhook.workflowId, webhook.node);
		if (!type || webhook.method !== 'POST') continue;
		if (type.startsWith(`${PACKAGE_NAME}.`) && !targets.wix) {
			targets.wix = { url: webhook.url, workflowId: webhook.workflowId, node: webhook.node };
		} else if (type === 'n8n-nodes-base.webhook' && sandbox.external && !targets.external) {
			targets.external = { url: webhook.url, workflowId: webhook.workflowId, node: webhook.node };
		}
	}
	if (targets.wix) {
		await sandbox.control('PUT', 'webhook-target', { url: targets.wix.url });
		log(`== sandbox Wix webhooks → ${targets.wix.url}`);
	}
	if (targets.external) {
		await sandbox.control('PUT', 'external/webhook-target', {
			url: targets.external.url,
			maxAttempts: 3,
		});
		log(`== external platform notifications → ${targets.external.url}`);
	}
	return targets;
}

/** What tests need to reach a running instance from another process (JSON-serialisable). */
export function describeInstance(instance) {
	const {
		client: _client,
		sandboxControl: _control,
		sandboxWix: _wix,
		n8nExited: _exited,
		stop: _stop,
		killWorker: _killWorker,
		restartWorker: _restartWorker,
		...rest
	} = instance;
	return rest;
}
