import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { itemRLC } from '../../descriptions/rlc.description';
import { deleteItem } from '../../../shared/wix/proGallery/api';
import {
	GALLERY_ID_PARAMETER,
	ITEM_ID_PARAMETER,
	requiredGuidParameter,
} from '../../../shared/idList';

const properties: INodeProperties[] = [galleryRLC, itemRLC];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['deleteItem'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const itemId = requiredGuidParameter.call(this, ITEM_ID_PARAMETER, itemIndex);
	const deletedId = await deleteItem.call(this, galleryId, itemId, itemIndex);
	return [{ json: { id: deletedId, galleryId, deleted: true } }];
}
