/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the harness is test code that runs in plain Node, never inside n8n */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Container as DiContainer } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

/**
 * n8n-core depends on a newer @n8n/di than the copy hoisted to the top of node_modules (that one belongs to
 * @n8n/node-cli), and a DI container is only shared by code that loads the same copy. So the container is loaded
 * the way n8n-core loads it, from n8n-core's own location.
 */
const requireFromN8nCore = createRequire(require.resolve('n8n-core'));
export const Container = (requireFromN8nCore('@n8n/di') as { Container: typeof DiContainer })
	.Container;

export interface N8nCoreRuntime {
	/** Temporary folder holding n8n's user folder (settings file) and the binary data files of this worker. */
	rootDir: string;
	binaryDataDir: string;
	binaryDataService: BinaryDataService;
}

let runtime: Promise<N8nCoreRuntime> | undefined;
let rootDirToRemove: string | undefined;

function removeRootDir() {
	if (rootDirToRemove) rmSync(rootDirToRemove, { recursive: true, force: true });
	rootDirToRemove = undefined;
}

async function initialise(): Promise<N8nCoreRuntime> {
	const rootDir = mkdtempSync(path.join(tmpdir(), 'n8n-wix-harness-'));
	rootDirToRemove = rootDir;

	// InstanceSettings (needed by every node execution context) writes a settings file with an encryption key into
	// the n8n user folder; it must land in the temp folder, never in the developer's ~/.n8n.
	process.env.N8N_USER_FOLDER = rootDir;
	// n8n's logger prints to the console at "info"; tests stay quiet unless someone asks for logs.
	process.env.N8N_LOG_LEVEL ??= 'silent';

	const binaryDataDir = path.join(rootDir, 'binary-data');
	// n8n 2.x stores binary data on the filesystem by default; the config is built by DI from env and settings,
	// then pointed at this worker's folder before the service creates its managers.
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.availableModes = ['filesystem'];
	config.localStoragePath = binaryDataDir;
	const binaryDataService = Container.get(BinaryDataService);
	await binaryDataService.init();
	return { rootDir, binaryDataDir, binaryDataService };
}

/**
 * Sets up the parts of n8n-core that executions need (user folder, quiet logger, filesystem binary data service
 * in the DI container), once per module registry, i.e. once per test file in a jest worker.
 */
export async function ensureN8nCore(): Promise<N8nCoreRuntime> {
	runtime ??= initialise().catch((error: unknown) => {
		runtime = undefined;
		throw error;
	});
	return await runtime;
}

/** Reads binary data the way nodes do: through n8n-core's BinaryDataService (file-backed, or inline base64). */
export async function readBinaryData(binaryData: IBinaryData): Promise<Buffer> {
	const { binaryDataService } = await ensureN8nCore();
	return await binaryDataService.getAsBuffer(binaryData);
}

/** Deletes this test file's temporary folder (binary data files, settings). Runs by itself after all tests. */
export async function cleanupBinaryData(): Promise<void> {
	if (!runtime) return;
	await runtime.catch(() => undefined);
	runtime = undefined;
	removeRootDir();
}

// Jest gives each test file its own module registry, so this registers once per file that uses the harness; files
// need not call cleanupBinaryData themselves. (A process 'exit' handler would not run: jest sandboxes `process`.)
if (typeof afterAll === 'function') {
	try {
		afterAll(cleanupBinaryData);
	} catch {
		// Loaded from inside a test or hook, where jest allows no new hooks: cleanup is then up to the caller.
	}
}
