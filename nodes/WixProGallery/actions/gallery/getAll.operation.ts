import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listGalleries } from '../../helpers/api';
import { simplifyGallery } from '../../helpers/simplify';
import { readLimit } from '../../../shared/parameters';

const properties: INodeProperties[] = [
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
		displayName: 'Items per Gallery',
		name: 'itemLimit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 10,
		description:
			"How many of each gallery's items to include (Wix allows 1 to 100). Use Gallery → Get or Item → Get Many for all of them.",
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['gallery'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const max = readLimit.call(this, itemIndex);
	const itemLimit = this.getNodeParameter('itemLimit', itemIndex) as number;
	const galleries = await listGalleries.call(this, { max, itemLimit }, itemIndex);
	return galleries.map(simplifyGallery);
}
