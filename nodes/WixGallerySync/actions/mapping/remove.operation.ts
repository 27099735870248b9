import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { publicLink } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';
import {
	linkByIdProperties,
	mappingProperties,
	openMapping,
	readLinkById,
	readMappingName,
} from './common';

const properties: INodeProperties[] = [
	...mappingProperties,
	...linkByIdProperties({
		findBy: "Which side's ID identifies the link",
		placeholder: 'e.g. {{ $json.sync.wixItemId }}',
	}),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['remove'] } },
	properties,
);

export { prefetchLinkById as prefetchIds } from './common';

/** Removal leaves a tombstone, so the deleted item's own echo is recognised and no stale copy revives the link. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_item: unknown,
	stores: MappingStores,
): Promise<INodeExecutionData[]> {
	const mappingName = readMappingName(this, itemIndex);
	const { side: by, id } = readLinkById(this, itemIndex);
	const mapping = await openMapping(this, stores, itemIndex);
	const [link, ...duplicates] = await mapping.findAll(by, id);
	if (!link) {
		return [{ json: { removed: false, mapping: mappingName, by, id, link: null } }];
	}
	// Two executions creating at once can leave a second live link: it goes too.
	for (const duplicate of duplicates) {
		await mapping.put({ ...duplicate, removed: true, pending: null });
	}
	const removed = await mapping.put({ ...link, removed: true, pending: null });
	return [
		{
			json: { removed: true, mapping: mappingName, by, id, link: publicLink(removed, mappingName) },
		},
	];
}
