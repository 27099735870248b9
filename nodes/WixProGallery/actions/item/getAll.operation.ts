import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../descriptions/rlc.description';
import { listItems } from '../../helpers/api';
import { simplifyItem } from '../../helpers/simplify';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';
import { readLimit } from '../../../shared/parameters';

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
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const max = readLimit.call(this, itemIndex);
	const items = await listItems.call(this, galleryId, { max }, itemIndex);
	return items.map((item) => simplifyItem(item, galleryId));
}
