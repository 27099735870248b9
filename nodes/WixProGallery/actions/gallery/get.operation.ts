import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { getGallery, getGalleryWithAllItems } from '../../../shared/wix/proGallery/api';
import { simplifyGallery } from '../../../shared/wix/proGallery/output';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';
import { checkNumber } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	galleryRLC,
	{
		displayName: 'Include Items',
		name: 'includeItems',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: 'Every item, fetched page by page' },
			{ name: 'A Range', value: 'range', description: 'The items from an offset, up to a limit' },
			{ name: 'None', value: 'none', description: "Only the gallery's own fields" },
		],
		default: 'all',
	},
	{
		displayName: 'Item Offset',
		name: 'itemOffset',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How many items to skip',
		displayOptions: { show: { includeItems: ['range'] } },
	},
	{
		displayName: 'Item Limit',
		name: 'itemLimit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 50,
		description: 'How many items to include (Wix allows up to 100)',
		displayOptions: { show: { includeItems: ['range'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['gallery'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const includeItems = this.getNodeParameter('includeItems', itemIndex) as string;
	if (includeItems === 'all') {
		return [
			{ json: simplifyGallery(await getGalleryWithAllItems.call(this, galleryId, itemIndex)) },
		];
	}
	if (includeItems === 'range') {
		const itemOffset = checkNumber(this.getNodeParameter('itemOffset', itemIndex), 'Item Offset', {
			min: 0,
			integer: true,
		});
		const itemLimit = checkNumber(this.getNodeParameter('itemLimit', itemIndex), 'Item Limit', {
			min: 1,
			max: 100,
			integer: true,
		});
		const gallery = await getGallery.call(this, galleryId, { itemOffset, itemLimit }, itemIndex);
		return [{ json: simplifyGallery(gallery) }];
	}
	const gallery = await getGallery.call(this, galleryId, { itemLimit: 1 }, itemIndex);
	return [
		{
			json: { ...simplifyGallery({ ...gallery, items: [] }), totalItems: gallery.totalItems ?? 0 },
		},
	];
}
