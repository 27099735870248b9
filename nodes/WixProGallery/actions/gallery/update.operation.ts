import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { updateGallery } from '../../../shared/wix/proGallery/api';
import { simplifyGallery } from '../../../shared/wix/proGallery/output';
import type { WixGallery } from '../../../shared/wix/proGallery/types';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';
import { checkNumber, checkText } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	galleryRLC,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'number',
				default: 0,
				description:
					"The gallery's position among the site's galleries. Must differ from every other gallery's sort order.",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['gallery'], operation: ['update'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const updateFields = this.getNodeParameter('updateFields', itemIndex) as WixGallery;
	const changes: WixGallery = {};
	if (updateFields.name !== undefined) changes.name = checkText(updateFields.name, 'Name');
	if (updateFields.sortOrder !== undefined)
		changes.sortOrder = checkNumber(updateFields.sortOrder, 'Sort Order');
	if (!Object.keys(changes).length) {
		throw new NodeOperationError(
			this.getNode(),
			'Nothing to update: add a field under "Update Fields"',
			{
				itemIndex,
			},
		);
	}
	return [{ json: simplifyGallery(await updateGallery.call(this, galleryId, changes, itemIndex)) }];
}
