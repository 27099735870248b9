import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listGalleries } from '../../../shared/wix/proGallery/api';
import { simplifyGallery } from '../../../shared/wix/proGallery/output';
import { limitProperties, readLimit } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	...limitProperties,
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

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const max = readLimit.call(this, itemIndex);
	const itemLimit = this.getNodeParameter('itemLimit', itemIndex) as number;
	const galleries = await listGalleries.call(this, { max, itemLimit }, itemIndex);
	return galleries.map((gallery) => ({ json: simplifyGallery(gallery) }));
}
