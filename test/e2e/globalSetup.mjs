// Starts one real n8n for the whole e2e run (see jest.e2e.config.js) and leaves a description of it in
// test-output/e2e/instance.json for the test files (test/support/e2e/n8n.ts reads it).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describeInstance, startInstance } from '../../scripts/n8n-instance.mjs';
import { REPO_ROOT } from '../../scripts/n8n-process.mjs';

// WIX_E2E_DIR lets two e2e runs (e.g. two checkouts' worth of work on one machine) keep apart.
export const E2E_DIR = process.env.WIX_E2E_DIR ?? join(REPO_ROOT, 'test-output', 'e2e');
export const INSTANCE_FILE = join(E2E_DIR, 'instance.json');
// Another community package whose credential type is named wixApi, like Wix's own package's: installed in the same
// n8n so that credentialNames.e2e.ts can show that the two packages' credentials do not override each other.
export const OTHER_WIX_PACKAGE = join(REPO_ROOT, 'test', 'fixtures', 'other-wix-package');

export default async function globalSetup() {
	const started = Date.now();
	const log = (line) => process.stderr.write(`${line}\n`);
	log('');
	const instance = await startInstance({
		userFolder: E2E_DIR,
		// For quick reruns while writing tests: WIX_E2E_NO_BUILD=1 packs what dist/ already holds.
		build: process.env.WIX_E2E_NO_BUILD !== '1',
		extraPackages: [OTHER_WIX_PACKAGE],
		log,
	});
	const setupMs = Date.now() - started;
	const description = { ...describeInstance(instance), setupMs, readyAt: new Date().toISOString() };
	writeFileSync(INSTANCE_FILE, JSON.stringify(description, null, '\t'));
	process.env.WIX_GALLERY_E2E_INSTANCE = INSTANCE_FILE;
	log(
		`== e2e setup took ${(setupMs / 1000).toFixed(1)} s (n8n boot ${(instance.bootMs / 1000).toFixed(1)} s)`,
	);
	// Only globalTeardown can reach what globalSetup leaves on globalThis.
	globalThis.__wixGalleryE2eInstance = instance;
}
