import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requiredItemIds } from '../../../shared/idList';
import { getDownloadUrl } from '../../helpers/api';

const properties: INodeProperties[] = [
	{
		displayName: 'Item IDs',
		name: 'itemIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 5a11e700-…, 5a11e700-…',
		description:
			'The IDs of media or albums: comma-separated, or an expression that returns an array. Several IDs (or an album) give one ZIP archive.',
	},
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
