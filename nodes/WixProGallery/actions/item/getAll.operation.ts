import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../descriptions/rlc.description';
import { listItems } from '../../helpers/api';
import { simplifyItem } from '../../helpers/simplify';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';
import { checkText, readLimit } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	galleryRLC,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
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
		return items.map((item) => simplifyItem(item, galleryId));
	}
	const tagged = (await listItems.call(this, galleryId, {}, itemIndex))
		.map((item) => simplifyItem(item, galleryId))
		.filter((item) => Array.isArray(item.tags) && (item.tags as unknown[]).includes(tag));
	return max === undefined ? tagged : tagged.slice(0, max);
}
