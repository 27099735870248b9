#!/usr/bin/env node
// `npm run example-pictures`: the pictures of examples/README.md, taken in real n8n 2.41.1's editor. Runs the editor
// e2e test (test/e2e/editor.e2e.ts: headless chromium, signs in to the demo set-up, opens every example, zooms the
// canvas to fit and saves a screenshot of it), then copies each example's canvas into examples/images/.
// `-- --no-build` skips building the package and the sandbox (WIX_E2E_NO_BUILD=1).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bootstrap } from './bootstrap.mjs';
import { REPO_ROOT } from './n8n-process.mjs';

bootstrap();
const screens = mkdtempSync(join(tmpdir(), 'example-pictures-'));
const run = spawnSync(
	process.execPath,
	[
		join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
		'-c',
		'jest.e2e.config.js',
		'test/e2e/editor.e2e.ts',
		'-t',
		'the canvas and every node',
	],
	{
		cwd: REPO_ROOT,
		stdio: 'inherit',
		env: {
			...process.env,
			WIX_E2E_SCREENS: screens,
			...(process.argv.includes('--no-build') ? { WIX_E2E_NO_BUILD: '1' } : {}),
		},
	},
);
const target = join(REPO_ROOT, 'examples', 'images');
mkdirSync(target, { recursive: true });
const examples = readdirSync(join(REPO_ROOT, 'examples'))
	.filter((name) => name.endsWith('.json'))
	.map((name) => name.replace(/\.json$/, ''));
let copied = 0;
for (const example of examples) {
	const picture = join(screens, `${example}-canvas.png`);
	if (!existsSync(picture)) {
		console.error(`no picture of ${example} (${picture})`);
		continue;
	}
	copyFileSync(picture, join(target, `${example}.png`));
	copied++;
	console.log(`examples/images/${example}.png`);
}
rmSync(screens, { recursive: true, force: true });
process.exit(run.status === 0 && copied === examples.length ? 0 : 1);
