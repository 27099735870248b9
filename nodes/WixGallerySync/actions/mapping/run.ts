import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { Operation, RunHooks } from '../../../shared/operations';
import { MappingConflictError } from '../../helpers/mappingStore';
import type { MappingStore, SyncSide } from '../../helpers/mappingStore';
import { MappingStores } from '../../helpers/stores';
import { openMapping } from './common';

/** A mapping operation: its items share the node run's mapping stores. */
export interface MappingOperation extends Operation<MappingStores> {
	/** The IDs an item will look up, so that the store reads a whole batch's links at once. */
	prefetchIds?(this: IExecuteFunctions, itemIndex: number): Array<{ side: SyncSide; id: string }>;
}

/** How often an item is run again after another execution changed its link at the same moment. */
const MAX_CONFLICT_ATTEMPTS = 8;

async function prefetch(
	context: IExecuteFunctions,
	operation: MappingOperation,
	items: INodeExecutionData[],
	stores: MappingStores,
): Promise<void> {
	if (!operation.prefetchIds) return;
	const wanted = new Map<MappingStore, Array<{ side: SyncSide; id: string }>>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const store = await openMapping(context, stores, itemIndex);
			// Static data is in memory already: reading the items' IDs twice would only cost time.
			if (store.kind === 'staticData') continue;
			const ids = operation.prefetchIds.call(context, itemIndex);
			let list = wanted.get(store);
			if (!list) wanted.set(store, (list = []));
			list.push(...ids);
		} catch {
			// The item's own run reports what is wrong with it.
		}
	}
	for (const [store, ids] of wanted) {
		try {
			await store.prefetch(ids);
		} catch {
			// Each item then reads for itself, and fails with the store's error if it fails again.
			store.refresh();
		}
	}
}

/**
 * One node run of Wix Gallery Sync: each mapping is opened once for all items, the links of a batch are read ahead,
 * an item whose link another execution changed meanwhile is run again, and the stores' warnings are shown at the end.
 */
export const mappingRun: RunHooks<MappingStores, MappingOperation> = {
	async open(context, items, operation) {
		const stores = new MappingStores(context);
		if (operation) await prefetch(context, operation, items, stores);
		return stores;
	},

	close(_context, stores) {
		stores.reportWarnings();
	},

	async retry(context, stores, error, attempt, itemIndex) {
		if (!(error instanceof MappingConflictError)) return false;
		if (attempt >= MAX_CONFLICT_ATTEMPTS) {
			throw new NodeOperationError(context.getNode(), error.message, {
				itemIndex,
				description: `Other executions changed the same link ${attempt} times while this item was being processed. Run the item again.`,
			});
		}
		await stores.refresh();
		// Spread the retries of executions that collided, so that they do not collide again.
		await sleep(Math.round(Math.random() * 20 * attempt));
		return true;
	},
};
