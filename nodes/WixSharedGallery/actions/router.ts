import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorOutputItem, toNodeError } from '../../shared/execution';

import * as item from './item/Item.resource';
import type { WixSharedGalleryType } from './node.type';

type OperationModule = {
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;
};

const resources = { item } as unknown as Record<
	WixSharedGalleryType['resource'],
	Record<string, OperationModule | undefined>
>;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (
		items.length > 0 &&
		this.getNodeParameter('resource', 0) === 'item' &&
		this.getNodeParameter('operation', 0) === 'download' &&
		this.getNodeParameter('selectBy', 0) === 'inputField'
	) {
		// Downloading the IDs of all input items together lets them share archives; pairing is done per file.
		try {
			return [await item.download.executeForAllItems.call(this)];
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter(
			'resource',
			itemIndex,
		) as WixSharedGalleryType['resource'];
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const module = resources[resource]?.[operation];
		try {
			if (!module?.execute) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operation}" is not supported for "${resource}"`,
					{ itemIndex },
				);
			}
			const responseData = await module.execute.call(this, itemIndex);
			for (const output of responseData) {
				if (output.pairedItem) returnData.push(output);
				else
					returnData.push(
						...this.helpers.constructExecutionMetaData([output], { itemData: { item: itemIndex } }),
					);
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push(errorOutputItem(error, itemIndex));
				continue;
			}
			throw toNodeError(this.getNode(), error, itemIndex);
		}
	}
	return [returnData];
}
