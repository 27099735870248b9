import { runTsChild } from '../support/childProcess';
import { OVER_BUDGET_EXIT_CODE } from '../support/reachableMemory';
import type { OverBudgetReport } from '../support/reachableMemory';
import type { MediaDownloadMemoryResult } from './mediaDownloadMemory.child';

// Item → Get Many with Download Media streams each file from Wix into n8n's binary store, one file at a time: the
// process holds neither one whole file nor all of them. Measured in a process of its own, at checkpoints of the
// download's own progress (every 16 MiB sent), as the memory it keeps reachable after full collections.

const MB = 1024 * 1024;
const COUNT = 3;
const SIZE = 64 * MB;
const BUDGET = 32 * MB;
const CHILD = require.resolve('./mediaDownloadMemory.child.ts');

test('Get Many downloads 3 videos of 64 MiB with their bytes intact and well under 32 MiB kept in memory', async () => {
	const run = await runTsChild<MediaDownloadMemoryResult>(
		CHILD,
		[String(COUNT), String(SIZE), String(BUDGET), 'none'],
		{ killAfterMs: 240_000 },
	);
	expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
	const result = run.result!;
	expect(result.nodeFailure).toBeUndefined();
	expect(result.sentBytes).toBe(COUNT * SIZE);
	expect(result.files.map((file) => file.sha256)).toEqual(result.sentSha256);
	expect(
		result.files.map(({ fileName, mimeType, bytes }) => ({ fileName, mimeType, bytes })),
	).toEqual(
		[0, 1, 2].map((index) => ({
			fileName: `clip-${index}.mp4`,
			mimeType: 'video/mp4',
			bytes: SIZE,
		})),
	);
	expect(result.checkpoints).toBe((COUNT * SIZE) / (16 * MB));
	expect(result.peakGrowth).toBeLessThan(BUDGET);
}, 300_000);

test('control: holding what was sent in memory goes over the same budget', async () => {
	const run = await runTsChild<OverBudgetReport>(
		CHILD,
		[String(COUNT), String(SIZE), String(BUDGET), 'buffer'],
		{ killAfterMs: 240_000 },
	);
	expect(run.code).toBe(OVER_BUDGET_EXIT_CODE);
	expect(run.result).toMatchObject({ overBudget: true, budgetBytes: BUDGET });
	expect(run.result!.growth).toBeGreaterThan(BUDGET);
}, 300_000);
