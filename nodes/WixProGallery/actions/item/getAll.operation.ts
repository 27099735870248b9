import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { listItems } from '../../../shared/wix/proGallery/api';
import { simplifyItem } from '../../../shared/wix/proGallery/output';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';
import { checkText, limitProperties, readLimit } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	galleryRLC,
	...limitProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				placeholder: 'e.g. ext:med_4f2a9c1e',
				description:
					'Only items carrying exactly this tag. Wix has no tag search for gallery items, so the node reads the gallery and keeps the matching ones; Limit counts the matching items. A sync uses it to find the item it created for an external ID before creating another.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const max = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { tag?: unknown };
	let tag: string;
	try {
		tag = checkText(filters.tag ?? '', 'Filters → Tag').trim();
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
	}
	if (!tag) {
		const items = await listItems.call(this, galleryId, { max }, itemIndex);
		return items.map((item) => ({ json: simplifyItem(item, galleryId) }));
	}
	const tagged = (await listItems.call(this, galleryId, {}, itemIndex))
		.map((item) => simplifyItem(item, galleryId))
		.filter((item) => Array.isArray(item.tags) && (item.tags as unknown[]).includes(tag));
	return (max === undefined ? tagged : tagged.slice(0, max)).map((json) => ({ json }));
}
