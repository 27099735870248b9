import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorOutputItem, toNodeError } from '../../shared/execution';

import type { RoutedItem } from './mapping/common';
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
	) => Promise<RoutedItem[]>;
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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as WixGallerySyncType['operation'];
	const outputs: INodeExecutionData[][] = (OUTPUT_NAMES[operation] ?? ['']).map(() => []);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const module = operations[operation];
		try {
			if (!module?.execute) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operation}" is not supported`,
					{ itemIndex },
				);
			}
			for (const routed of await module.execute.call(this, itemIndex, items[itemIndex])) {
				outputs[routed.output].push(
					...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(routed.json), {
						itemData: { item: itemIndex },
					}),
				);
			}
		} catch (error) {
			if (this.continueOnFail()) {
				outputs[0].push(errorOutputItem(error, itemIndex));
				continue;
			}
			throw toNodeError(this.getNode(), error, itemIndex);
		}
	}
	return outputs;
}
