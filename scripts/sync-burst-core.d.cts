// Types for sync-burst-core.cjs (used by the TypeScript e2e test).
import type { N8nClient } from './n8n-client.cjs';

export type WriteKind =
	| 'wixCreate'
	| 'wixUpdate'
	| 'wixDelete'
	| 'platformCreate'
	| 'platformUpdate'
	| 'platformDelete';

export interface SyncBurstResult {
	mode: string;
	/** Whether n8n and the sandbox went quiet after the last burst (false: executions stuck new/running). */
	quiet: boolean;
	/** Status of example 1's manual run. */
	example1: string;
	/** Links in gallery-sync before the burst: 0 (example 1 shares in mappings of its own). */
	sharedCount: number;
	example1Uploads: number;
	userChanges: Record<WriteKind, number>;
	expectedLinks: number;
	heldLinks: number;
	/** Items (either side) without exactly one live link to an existing counterpart. */
	lostLinks: number;
	/** Live links to an item that no longer exists. */
	staleLinks: number;
	/** Updates (by index) that did not reach the other side, with the mapping rows as they were before the updates. */
	notPropagated: unknown[];
	unlinked: Array<{
		side: 'wix' | 'platform';
		id: string;
		links: number;
		title?: string;
		caption?: string;
	}>;
	echoWrites: number;
	missedWrites: number;
	writes: Record<WriteKind, number>;
	expectedWrites: Record<WriteKind, number>;
	failedWrites: Record<WriteKind, number>;
	duplicatesWix: number;
	duplicatesPlatform: number;
	duplicateSamples: { wix: unknown[]; platform: unknown[] };
	executions: number;
	executionsByStatus: Record<string, number>;
	failedExecutions: number;
	failedExecutionIds: string[];
	timings: { createsMs: number; updatesMs: number; deletesMs: number; totalMs: number };
	items: { wix: number; platform: number };
}

export declare function runSyncBurst(options: {
	client: N8nClient;
	sandbox: { baseUrl: string; credentials: { apiKey: string; siteId: string } };
	workflows: Array<{ file: string; id?: string; manualTrigger?: string }>;
	mode?: string;
	killWorker?: (index: number, signal: 'SIGTERM' | 'SIGKILL') => Promise<unknown>;
	killSignal?: 'SIGTERM' | 'SIGKILL';
	restartWorker?: (index: number) => Promise<unknown>;
	sizes?: { creates?: number; updates?: number; deletes?: number };
	log?: (line: string) => void;
}): Promise<SyncBurstResult>;
export declare function formatTable(results: SyncBurstResult[]): string;
export declare function meetsGoal(result: SyncBurstResult): boolean;
export declare const MAPPING_TABLE: string;
export declare const USER_HEADER: string;
