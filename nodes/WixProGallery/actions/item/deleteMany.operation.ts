import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { bulkDeleteItems } from '../../../shared/wix/proGallery/api';
import {
	GALLERY_ID_PARAMETER,
	requiredGuidParameter,
	itemIdsProperty,
	requiredItemIds,
} from '../../../shared/idList';

const properties: INodeProperties[] = [
	galleryRLC,
	itemIdsProperty(
		'The IDs of the items to delete: comma-separated, or an expression that returns an array. Large selections are sent in several calls.',
		'e.g. a045b201-…, 5c1e9d0a-…',
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['deleteMany'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const itemIds = requiredItemIds.call(this, itemIndex, 'the items to delete', { guids: true });
	const deletedIds = await bulkDeleteItems.call(this, galleryId, itemIds, itemIndex);
	const deleted = new Set(deletedIds);
	return [
		{
			json: {
				galleryId,
				deletedItemIds: deletedIds,
				deletedCount: deletedIds.length,
				notDeletedItemIds: itemIds.filter((id) => !deleted.has(id)),
			},
		},
	];
}
