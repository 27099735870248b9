/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { formatTable, runSyncBurst } from '../../scripts/sync-burst-core.cjs';
import type { SyncBurstResult } from '../../scripts/sync-burst-core.cjs';
import { startQueueInstance } from '../support/e2e/queue';
import type { QueueInstance } from '../support/e2e/queue';
import { E2E_DIR, e2eInstance, n8n, sandboxControl } from '../support/e2e/n8n';

// The proof for "one sync mapping in every n8n process": example 2 (two-way sync, mapping in an n8n data table)
// under a burst, in regular mode (the run's n8n) and in queue mode (main, webhook processor, two workers; worker 1
// killed with SIGKILL and restarted mid-burst). Example 1 (to LinkedIn and Instagram) runs first; then 50 + 50
// concurrent creates (Wix and the external platform), 100 updates and 50 deletes mixed over both sides. Once all is quiet:
// every item has exactly one live link to its counterpart, the sync wrote nothing it did not need to, no side has
// duplicates and no execution failed. The measurement is scripts/sync-burst-core.cjs (also
// `node scripts/sync-burst.mjs [--queue]`).

const BURST_TIMEOUT_MS = 15 * 60 * 1000;
const results: SyncBurstResult[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

afterAll(() => {
	if (results.length === 0) return;
	// Everything measured (unlinked items with their rows, duplicates, writes per kind) for a look after a failure.
	const file = join(E2E_DIR, '..', 'sync-burst-results.json');
	writeFileSync(file, JSON.stringify(results, null, '\t'));
	process.stderr.write(
		`\n== two-way sync under a burst (details: ${file})\n${formatTable(results)}\n`,
	);
});

/** The figures of one mode, each asserted on its own, with what is needed to see why. */
function expectGoal(get: () => SyncBurstResult | undefined): void {
	const result = () => {
		const value = get();
		if (!value) throw new Error('the burst did not run (see beforeAll)');
		return value;
	};

	test('0 lost links: every item on either side has exactly one live link to its counterpart', () => {
		const { lostLinks, heldLinks, expectedLinks, unlinked } = result();
		expect({ lostLinks, unlinked }).toEqual({ lostLinks: 0, unlinked: [] });
		expect(heldLinks).toBe(expectedLinks);
	});

	test('0 echo writes: one write on the other side per user change, no more and none missed', () => {
		const { echoWrites, writes, expectedWrites } = result();
		expect({ echoWrites, writes }).toEqual({ echoWrites: 0, writes: expectedWrites });
	});

	test('0 duplicates on either side', () => {
		const { duplicatesWix, duplicatesPlatform, duplicateSamples } = result();
		expect({ duplicatesWix, duplicatesPlatform, duplicateSamples }).toEqual({
			duplicatesWix: 0,
			duplicatesPlatform: 0,
			duplicateSamples: { wix: [], platform: [] },
		});
	});

	test('0 failed executions', () => {
		const { failedExecutions, executionsByStatus, failedExecutionIds, example1 } = result();
		expect({ failedExecutions, failedExecutionIds, example1 }).toEqual({
			failedExecutions: 0,
			failedExecutionIds: [],
			example1: 'success',
		});
		expect(Object.keys(executionsByStatus)).toEqual(['success']);
	});
}

describe('two-way sync under a burst, regular mode (one n8n)', () => {
	let result: SyncBurstResult | undefined;

	beforeAll(async () => {
		const instance = e2eInstance();
		// Other files add faults; runSyncBurst points the sandbox's webhook targets at example 2 itself.
		await sandboxControl('DELETE', 'faults');
		result = await runSyncBurst({
			mode: 'regular',
			client: n8n(),
			sandbox: { baseUrl: instance.sandbox.baseUrl, credentials: instance.sandbox.credentials },
			workflows: instance.workflows,
			log,
		});
		results.push(result);
	}, BURST_TIMEOUT_MS);

	expectGoal(() => result);
});

describe('two-way sync under a burst, queue mode (2 workers, one killed mid-burst)', () => {
	let queue: QueueInstance | undefined;
	let result: SyncBurstResult | undefined;

	beforeAll(async () => {
		queue = await startQueueInstance({ outputDir: join(E2E_DIR, '..', 'sync-burst-queue') });
		const { description } = queue;
		const cluster = queue;
		result = await runSyncBurst({
			mode: 'queue',
			client: queue.client,
			sandbox: {
				baseUrl: description.sandbox.baseUrl,
				credentials: description.sandbox.credentials,
			},
			workflows: description.workflows,
			killWorker: async (index, signal) =>
				await cluster.killWorker(index, signal as 'SIGKILL' | 'SIGTERM'),
			killSignal: 'SIGTERM',
			restartWorker: async (index) => await cluster.restartWorker(index),
			log,
		});
		results.push(result);
	}, BURST_TIMEOUT_MS);

	afterAll(async () => {
		await queue?.stop();
	}, 60 * 1000);

	expectGoal(() => result);
});
