#!/usr/bin/env node
// `npm test`: the whole test suite, as CI runs it. First the unit, sandbox and workflow tests (jest.config.js), then
// the end-to-end tests in real n8n 2.41.1 (jest.e2e.config.js, which installs n8n into the cache the first time).
// Both runs always happen, so that one red part does not hide the other's result; the exit code is non-zero if
// either failed. Arguments are passed to both runs (e.g. `npm test -- --verbose`); `npm run test:unit` and
// `npm run test:e2e` run one part.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bootstrap } from './bootstrap.mjs';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
bootstrap();

const jest = join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const summaryFile = join(REPO_ROOT, 'test-output', `test-summary-${process.pid}.jsonl`);
mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
rmSync(summaryFile, { force: true });

const parts = [
	{ name: 'unit, sandbox and workflow tests', config: 'jest.config.js' },
	{ name: 'end-to-end tests in real n8n', config: 'jest.e2e.config.js' },
];
const started = Date.now();
const outcomes = parts.map((part) => {
	console.log(`\n== ${part.name} (${part.config})`);
	const partStarted = Date.now();
	const run = spawnSync(process.execPath, [jest, '-c', part.config, ...process.argv.slice(2)], {
		cwd: REPO_ROOT,
		stdio: 'inherit',
		env: { ...process.env, WIX_GALLERY_TEST_SUMMARY: summaryFile },
	});
	return {
		...part,
		status: run.status ?? 1,
		seconds: Math.round((Date.now() - partStarted) / 1000),
	};
});

// A jest run that crashed before it reported writes no line.
const counts = existsSync(summaryFile)
	? readFileSync(summaryFile, 'utf8')
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line))
	: [];
rmSync(summaryFile, { force: true });
const total = { passed: 0, failed: 0, skipped: 0 };
for (const count of counts) for (const key of Object.keys(total)) total[key] += count[key];

console.log('');
for (const outcome of outcomes)
	console.log(
		`== ${outcome.name}: ${outcome.status === 0 ? 'passed' : 'FAILED'} in ${outcome.seconds} s`,
	);
const missingReports = outcomes.length - counts.length;
if (missingReports > 0) console.log(`== ${missingReports} jest run(s) ended without a result`);
console.log(
	`jest: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped (all runs, ${Math.round((Date.now() - started) / 1000)} s)`,
);
process.exit(outcomes.some((outcome) => outcome.status !== 0) || missingReports > 0 ? 1 : 0);
