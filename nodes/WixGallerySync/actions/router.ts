import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { errorOutputItem, toNodeError } from '../../shared/execution';
import { MappingConflictError } from '../helpers/mappingStore';
import type { MappingStore, SyncSide } from '../helpers/mappingStore';
import { MappingStores } from '../helpers/stores';

import type { RoutedItem } from './mapping/common';
import { openMapping } from './mapping/common';
import * as mapping from './mapping/Mapping.resource';
import { FILTER_OUTPUTS } from './mapping/filterEchoes.operation';
import { LOOK_UP_OUTPUTS } from './mapping/lookUp.operation';
import { RECONCILE_OUTPUTS } from './mapping/reconcile.operation';
import type { WixGallerySyncType } from './node.type';

type OperationModule = {
	execute: (
		this: IExecuteFunctions,
		itemIndex: number,
		item: INodeExecutionData,
		stores: MappingStores,
	) => Promise<RoutedItem[]>;
	/** The IDs an item will look up, so that the store reads a whole batch's links at once. */
	prefetchIds?: (
		this: IExecuteFunctions,
		itemIndex: number,
	) => Array<{ side: SyncSide; id: string }>;
};

const operations = mapping as unknown as Record<
	WixGallerySyncType['operation'],
	OperationModule | undefined
>;

/** The node's outputs for each operation; the description's `outputs` expression says the same. */
export const OUTPUT_NAMES: Partial<Record<WixGallerySyncType['operation'], string[]>> = {
	filterEchoes: FILTER_OUTPUTS,
	lookUp: LOOK_UP_OUTPUTS,
	reconcile: RECONCILE_OUTPUTS,
};

const ERROR_OUTPUT: Partial<Record<WixGallerySyncType['operation'], number>> = {
	filterEchoes: FILTER_OUTPUTS.length - 1,
	lookUp: LOOK_UP_OUTPUTS.length - 1,
};

/** How often an item is run again after another execution changed its link at the same moment. */
const MAX_CONFLICT_ATTEMPTS = 8;

async function prefetch(
	context: IExecuteFunctions,
	module: OperationModule,
	items: INodeExecutionData[],
	stores: MappingStores,
): Promise<void> {
	if (!module.prefetchIds) return;
	const wanted = new Map<MappingStore, Array<{ side: SyncSide; id: string }>>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const store = await openMapping(context, stores, itemIndex);
			// Static data is in memory already: reading the items' IDs twice would only cost time.
			if (store.kind === 'staticData') continue;
			const ids = module.prefetchIds.call(context, itemIndex);
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

async function runItem(
	context: IExecuteFunctions,
	module: OperationModule,
	itemIndex: number,
	item: INodeExecutionData,
	stores: MappingStores,
): Promise<RoutedItem[]> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await module.execute.call(context, itemIndex, item, stores);
		} catch (error) {
			if (!(error instanceof MappingConflictError)) {
				throw toNodeError(context.getNode(), error, itemIndex);
			}
			if (attempt >= MAX_CONFLICT_ATTEMPTS) {
				throw new NodeOperationError(context.getNode(), error.message, {
					itemIndex,
					description: `Other executions changed the same link ${attempt} times while this item was being processed. Run the item again.`,
				});
			}
			await stores.refresh();
			// Spread the retries of executions that collided, so that they do not collide again.
			await sleep(Math.round(Math.random() * 20 * attempt));
		}
	}
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as WixGallerySyncType['operation'];
	const outputs: INodeExecutionData[][] = (OUTPUT_NAMES[operation] ?? ['']).map(() => []);
	const module = operations[operation];
	const stores = new MappingStores(this);
	try {
		if (module) await prefetch(this, module, items, stores);
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				if (!module?.execute) {
					throw new NodeOperationError(
						this.getNode(),
						`The operation "${operation}" is not supported`,
						{ itemIndex },
					);
				}
				for (const routed of await runItem(this, module, itemIndex, items[itemIndex], stores)) {
					outputs[routed.output].push(
						...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(routed.json), {
							itemData: { item: itemIndex },
						}),
					);
				}
			} catch (error) {
				if (this.continueOnFail()) {
					// Never on an output that acts (Create, Found): Filter Echoes sets failed items aside with the
					// echoes, Look Up with the not found.
					outputs[ERROR_OUTPUT[operation] ?? 0].push(errorOutputItem(error, itemIndex));
					continue;
				}
				throw toNodeError(this.getNode(), error, itemIndex);
			}
		}
	} finally {
		stores.reportWarnings();
	}
	return outputs;
}
