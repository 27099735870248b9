import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC, itemRLC } from '../../descriptions/rlc.description';
import { getItem } from '../../helpers/api';
import { simplifyItem } from '../../helpers/simplify';

const properties: INodeProperties[] = [galleryRLC, itemRLC];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const galleryId = this.getNodeParameter('galleryId', itemIndex, undefined, {
		extractValue: true,
	}) as string;
	const itemId = this.getNodeParameter('itemId', itemIndex, undefined, {
		extractValue: true,
	}) as string;
	return [simplifyItem(await getItem.call(this, galleryId, itemId, itemIndex), galleryId)];
}
