/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The folder holding the sandbox's sample media, found by walking up from this file so that it works both from
 * `sandbox/src/**` (ts-jest) and from the compiled `build/sandbox/**`.
 */
export function sandboxAssetPath(fileName: string): string {
	let dir = __dirname;
	for (;;) {
		if (basename(dir) === 'sandbox' && existsSync(join(dir, 'assets', fileName)))
			return join(dir, 'assets', fileName);
		if (existsSync(join(dir, 'sandbox', 'assets', fileName)))
			return join(dir, 'sandbox', 'assets', fileName);
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`sandbox asset not found: ${fileName}`);
		dir = parent;
	}
}

/** Reads one of the sandbox's sample media files (`sample.jpg`, `sample.mp4`). */
export function readSandboxAsset(fileName: string): Buffer {
	return readFileSync(sandboxAssetPath(fileName));
}
