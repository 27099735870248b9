import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { itemRLC } from '../../descriptions/rlc.description';
import { updateItem } from '../../../shared/wix/proGallery/api';
import { simplifyItem } from '../../../shared/wix/proGallery/output';
import type { ItemDetailParameters } from './common';
import { itemDetailFields, itemDetailsToWix } from './common';
import {
	GALLERY_ID_PARAMETER,
	ITEM_ID_PARAMETER,
	requiredGuidParameter,
} from '../../../shared/idList';

const properties: INodeProperties[] = [
	galleryRLC,
	itemRLC,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: itemDetailFields,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['update'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const itemId = requiredGuidParameter.call(this, ITEM_ID_PARAMETER, itemIndex);
	const changes = itemDetailsToWix(
		this.getNodeParameter('updateFields', itemIndex) as ItemDetailParameters,
	);
	if (!Object.keys(changes).length) {
		throw new NodeOperationError(
			this.getNode(),
			'Nothing to update: add a field under "Update Fields"',
			{
				itemIndex,
			},
		);
	}
	const updated = await updateItem.call(this, galleryId, itemId, changes, itemIndex);
	return [{ json: simplifyItem(updated, galleryId) }];
}
