import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { deleteGallery } from '../../../shared/wix/proGallery/api';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';

const properties: INodeProperties[] = [galleryRLC];

export const description = updateDisplayOptions(
	{ show: { resource: ['gallery'], operation: ['deleteGallery'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const deletedId = await deleteGallery.call(this, galleryId, itemIndex);
	return [{ json: { id: deletedId, galleryId: deletedId, deleted: true } }];
}
