/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in a test's child process: plain Node, never inside n8n */
import { reportToParent } from './childProcess';

/**
 * For a child process started by runTsChild (which passes --expose-gc): how much memory the work under test keeps
 * reachable, V8 heap and Buffers (ArrayBuffers live outside the V8 heap, so a heap limit alone never sees a
 * buffered file) together.
 *
 * The work calls `checkpoint()` at points of its own progress (say every 16 MiB of a file passing through), never on
 * a timer. Each checkpoint runs two full, synchronous collections (the second one finishes freeing the Buffers the
 * first found dead), then reads heapUsed + arrayBuffers: what is left is what the code still references, a property
 * of the code, not of how busy the machine is or of when the collector last ran. Growth over the baseline beyond
 * `budgetBytes` ends the child at once with exit code OVER_BUDGET_EXIT_CODE, after reporting where.
 */

export const OVER_BUDGET_EXIT_CODE = 3;

export interface OverBudgetReport {
	overBudget: true;
	growth: number;
	budgetBytes: number;
	label: string;
	checkpoints: number;
}

export interface ReachableMemoryProbe {
	/** Takes the baseline (call it after a warm-up run, so lazily loaded code and caches are already in it). */
	baseline(): void;
	/** Measures; exits the process when growth exceeds the budget. */
	checkpoint(label: string): void;
	/** Largest growth seen at a checkpoint so far, how many checkpoints ran, and the baseline (heap + Buffers). */
	summary(): {
		peakGrowth: number;
		checkpoints: number;
		budgetBytes: number;
		baselineBytes: number;
	};
}

function collectFully(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run the child with --expose-gc (runTsChild does)');
	gc();
	gc();
}

function retained(): number {
	collectFully();
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.arrayBuffers;
}

export function reachableMemoryProbe(budgetBytes: number): ReachableMemoryProbe {
	let base: number | undefined;
	let peakGrowth = 0;
	let checkpoints = 0;
	return {
		baseline() {
			base = retained();
		},
		checkpoint(label) {
			if (base === undefined) return;
			checkpoints++;
			const growth = retained() - base;
			peakGrowth = Math.max(peakGrowth, growth);
			if (growth > budgetBytes) {
				const report: OverBudgetReport = {
					overBudget: true,
					growth,
					budgetBytes,
					label,
					checkpoints,
				};
				reportToParent(report);
				process.exit(OVER_BUDGET_EXIT_CODE);
			}
		},
		summary: () => ({ peakGrowth, checkpoints, budgetBytes, baselineBytes: base ?? 0 }),
	};
}
