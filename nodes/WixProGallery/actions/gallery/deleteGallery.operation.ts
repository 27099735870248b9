import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../descriptions/rlc.description';
import { deleteGallery } from '../../helpers/api';

const properties: INodeProperties[] = [galleryRLC];

export const description = updateDisplayOptions(
	{ show: { resource: ['gallery'], operation: ['deleteGallery'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const galleryId = this.getNodeParameter('galleryId', itemIndex, undefined, {
		extractValue: true,
	}) as string;
	const deletedId = await deleteGallery.call(this, galleryId, itemIndex);
	return [{ id: deletedId, galleryId: deletedId, deleted: true }];
}
