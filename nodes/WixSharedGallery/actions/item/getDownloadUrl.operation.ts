import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemIdsProperty, requiredItemIds } from '../../../shared/idList';
import { getDownloadUrl } from '../../../shared/wix/sharedGallery/api';

const properties: INodeProperties[] = [
	itemIdsProperty(
		'The IDs of media or albums: comma-separated, or an expression that returns an array. Several IDs (or an album) give one ZIP archive.',
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['getDownloadUrl'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const itemIds = requiredItemIds.call(this, itemIndex, 'the items');
	const { url, archived } = await getDownloadUrl.call(this, itemIds, itemIndex);
	return [{ json: { url, archived, itemIds } }];
}
