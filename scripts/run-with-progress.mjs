#!/usr/bin/env node
// Runs a long install command and says how it is doing while it runs: npm itself prints nothing for minutes when
// its log level is quiet, and a silent first `npm test` looks hung. Every few seconds it prints what is being
// done, how far it got (packages found in the target node_modules, against how many are expected) and the time.
//
// Usage: node scripts/run-with-progress.mjs --what <label> [--count <node_modules dir>] [--expect <n>]
//          [--every <seconds>] -- <command> [args...]
// Exits with the command's status. Used by scripts/bootstrap.mjs and scripts/n8n-install.mjs through
// `runWithProgress`, which spawns it synchronously so that those scripts keep their synchronous API.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

/** Packages unpacked under a node_modules folder, nested ones included (a package is a folder with package.json). */
export function countPackages(nodeModules) {
	let count = 0;
	const pending = [nodeModules];
	while (pending.length > 0) {
		const dir = pending.pop();
		let entries;
		try {
			entries = readdirSync(dir, { withFileTypes: true });
		} catch {
			continue;
		}
		for (const entry of entries) {
			if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
			const scopedOrPackage = join(dir, entry.name);
			const packages = entry.name.startsWith('@')
				? safeList(scopedOrPackage).map((name) => join(scopedOrPackage, name))
				: [scopedOrPackage];
			for (const packageDir of packages) {
				if (existsSync(join(packageDir, 'package.json'))) count++;
				const nested = join(packageDir, 'node_modules');
				if (existsSync(nested)) pending.push(nested);
			}
		}
	}
	return count;
}

function safeList(dir) {
	try {
		return readdirSync(dir, { withFileTypes: true })
			.filter((entry) => entry.isDirectory())
			.map((entry) => entry.name);
	} catch {
		return [];
	}
}

/** How many packages a package-lock.json installs (its `packages` entries below node_modules). */
export function packagesInLockfile(lockfile) {
	try {
		const lock = JSON.parse(readFileSync(lockfile, 'utf8'));
		return Object.keys(lock.packages ?? {}).filter((key) => key.startsWith('node_modules/')).length;
	} catch {
		return undefined;
	}
}

export function formatSeconds(ms) {
	const seconds = Math.round(ms / 1000);
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * Runs `command` with progress lines, synchronously (the caller's event loop is not needed for the heartbeat, it
 * runs in the child). Throws when the command fails.
 */
export function runWithProgress(command, args, { what, count, expect, every, cwd, env } = {}) {
	const options = ['--what', what ?? command];
	if (count) options.push('--count', count);
	if (expect) options.push('--expect', String(expect));
	if (every) options.push('--every', String(every));
	const result = spawnSync(process.execPath, [SELF, ...options, '--', command, ...args], {
		cwd,
		env: { ...process.env, ...env },
		stdio: 'inherit',
	});
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
	}
}

function parseArguments(argv) {
	const separator = argv.indexOf('--');
	if (separator < 0 || separator === argv.length - 1) {
		throw new Error(
			'usage: run-with-progress.mjs --what <label> [--count dir] [--expect n] -- <command>',
		);
	}
	const options = { what: 'install', every: 10 };
	for (let index = 0; index < separator; index += 2) {
		const [name, value] = [argv[index], argv[index + 1]];
		if (name === '--what') options.what = value;
		else if (name === '--count') options.count = value;
		else if (name === '--expect') options.expect = Number(value);
		else if (name === '--every') options.every = Number(value);
		else throw new Error(`unknown option ${name}`);
	}
	return { options, command: argv[separator + 1], args: argv.slice(separator + 2) };
}

if (process.argv[1] === SELF) {
	const { options, command, args } = parseArguments(process.argv.slice(2));
	const started = Date.now();
	const child = spawn(command, args, { stdio: 'inherit' });
	const report = () => {
		const elapsed = formatSeconds(Date.now() - started);
		if (!options.count) {
			console.log(`   … ${options.what}: still running, ${elapsed}`);
			return;
		}
		const found = countPackages(options.count);
		if (found === 0) {
			console.log(
				`   … ${options.what}: resolving and downloading, nothing unpacked yet, ${elapsed}`,
			);
			return;
		}
		const of = options.expect
			? ` of about ${options.expect} (${Math.min(100, Math.round((100 * found) / options.expect))} %)`
			: '';
		console.log(`   … ${options.what}: ${found}${of} packages unpacked, ${elapsed}`);
	};
	const timer = setInterval(report, options.every * 1000);
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
	child.on('exit', (code, signal) => {
		clearInterval(timer);
		console.log(
			`   … ${options.what}: ${code === 0 ? 'done' : `failed (${code ?? signal})`} in ${formatSeconds(Date.now() - started)}`,
		);
		process.exit(code ?? 1);
	});
	child.on('error', (error) => {
		clearInterval(timer);
		console.error(`   … ${options.what}: could not start ${command}: ${error.message}`);
		process.exit(1);
	});
}
