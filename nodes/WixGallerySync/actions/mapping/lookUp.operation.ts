import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { publicLink } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';
import type { OperationItem } from '../../../shared/operations';
import {
	linkByIdProperties,
	mappingProperties,
	openMapping,
	readLinkById,
	readMappingName,
} from './common';

export const outputs = ['Found', 'Not Found'];
const FOUND = 0;
const NOT_FOUND = 1;
/** A failed item goes with the not found: it must never reach Found, whose branch acts on the link. */
export const errorOutput = NOT_FOUND;

const properties: INodeProperties[] = [
	...mappingProperties,
	...linkByIdProperties({
		findBy: "Which side's ID to look up",
		placeholder: 'e.g. {{ $json.itemId }}',
	}),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['lookUp'] } },
	properties,
);

export { prefetchLinkById as prefetchIds } from './common';

/**
 * Found and not found go to separate outputs, so a flow branches without an If node; the input item passes on,
 * its file too (a Get Many with Download Media looked up before a node that posts the file).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	stores: MappingStores,
): Promise<OperationItem[]> {
	const mappingName = readMappingName(this, itemIndex);
	const { side: by, id } = readLinkById(this, itemIndex);
	const link = await (await openMapping(this, stores, itemIndex)).find(by, id);
	return [
		{
			output: link ? FOUND : NOT_FOUND,
			json: {
				...item.json,
				sync: {
					found: Boolean(link),
					mapping: mappingName,
					by,
					id,
					wixItemId: link?.wixItemId ?? (by === 'wix' ? id : null),
					externalId: link?.externalId ?? (by === 'external' ? id : null),
					link: link ? publicLink(link, mappingName) : null,
				},
			},
			...(item.binary ? { binary: item.binary } : {}),
		},
	];
}
