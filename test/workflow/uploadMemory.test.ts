import { runTsChild } from '../support/childProcess';
import { OVER_BUDGET_EXIT_CODE } from '../support/reachableMemory';
import type { OverBudgetReport } from '../support/reachableMemory';
import type { UploadMemoryResult } from './uploadMemory.child';

// Media upload streams a binary from n8n's binary store to Wix: the process never holds the file. Measured in a
// process of its own, at checkpoints of the upload's own progress (every 16 MiB received), as the memory it keeps
// reachable after full collections: a property of the code, not of how busy the machine is.

const MB = 1024 * 1024;
const SIZE = 160 * MB;
const BUDGET = 32 * MB;
const CHILD = require.resolve('./uploadMemory.child.ts');

test('uploads a 160 MiB binary with its bytes intact and well under 32 MiB kept in memory', async () => {
	const run = await runTsChild<UploadMemoryResult>(CHILD, [String(SIZE), String(BUDGET), 'none'], {
		killAfterMs: 240_000,
	});
	expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
	const result = run.result!;
	expect(result.nodeFailure).toBeUndefined();
	expect(result.receivedBytes).toBe(SIZE);
	expect(result.receivedSha256).toBe(result.sentSha256);
	expect(result.checkpoints).toBe(SIZE / (16 * MB));
	expect(result.peakGrowth).toBeLessThan(BUDGET);
}, 300_000);

test('control: holding the file in memory during the upload goes over the same budget', async () => {
	const run = await runTsChild<OverBudgetReport>(CHILD, [String(SIZE), String(BUDGET), 'buffer'], {
		killAfterMs: 240_000,
	});
	expect(run.code).toBe(OVER_BUDGET_EXIT_CODE);
	expect(run.result).toMatchObject({ overBudget: true, budgetBytes: BUDGET });
	expect(run.result!.growth).toBeGreaterThan(SIZE / 2);
}, 300_000);
