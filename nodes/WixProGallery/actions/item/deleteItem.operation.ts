import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC, itemRLC } from '../../descriptions/rlc.description';
import { deleteItem } from '../../helpers/api';

const properties: INodeProperties[] = [galleryRLC, itemRLC];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['deleteItem'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const galleryId = this.getNodeParameter('galleryId', itemIndex, undefined, {
		extractValue: true,
	}) as string;
	const itemId = this.getNodeParameter('itemId', itemIndex, undefined, {
		extractValue: true,
	}) as string;
	const deletedId = await deleteItem.call(this, galleryId, itemId, itemIndex);
	return [{ id: deletedId, galleryId, deleted: true }];
}
