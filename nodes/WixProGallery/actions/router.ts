import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorOutputItem, toNodeError } from '../../shared/execution';

import * as gallery from './gallery/Gallery.resource';
import * as item from './item/Item.resource';
import * as media from './media/Media.resource';
import type { WixProGalleryType } from './node.type';

type OperationModule = {
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;
};

const resources = { gallery, item, media } as unknown as Record<
	WixProGalleryType['resource'],
	Record<string, OperationModule | undefined>
>;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as WixProGalleryType['resource'];
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
			returnData.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(responseData), {
					itemData: { item: itemIndex },
				}),
			);
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
