import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { publicLink } from '../../helpers/mappingStore';
import type { SyncSide } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';
import type { RoutedItem } from './common';
import {
	mappingProperties,
	openMapping,
	readId,
	readMappingName,
	readSide,
	sideProperty,
} from './common';

const properties: INodeProperties[] = [
	...mappingProperties,
	sideProperty({
		displayName: 'Find By',
		name: 'by',
		description: "Which side's ID identifies the link",
	}),
	{
		displayName: 'Item ID',
		name: 'id',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.sync.wixItemId }}',
		description: 'The Wix item ID or external ID, as chosen in "Find By"',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['remove'] } },
	properties,
);

/** Removal leaves a tombstone, so the deleted item's own echo is recognised and no stale copy revives the link. */
export function prefetchIds(
	this: IExecuteFunctions,
	itemIndex: number,
): Array<{ side: SyncSide; id: string }> {
	return [{ side: readSide(this, 'by', itemIndex), id: readId(this, 'id', 'Item ID', itemIndex) }];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_item: unknown,
	stores: MappingStores,
): Promise<RoutedItem[]> {
	const mappingName = readMappingName(this, itemIndex);
	const by = readSide(this, 'by', itemIndex);
	const id = readId(this, 'id', 'Item ID', itemIndex);
	const mapping = await openMapping(this, stores, itemIndex);
	const [link, ...duplicates] = await mapping.findAll(by, id);
	if (!link) {
		return [{ output: 0, json: { removed: false, mapping: mappingName, by, id, link: null } }];
	}
	// Two executions creating at once can leave a second live link: it goes too.
	for (const duplicate of duplicates) {
		await mapping.put({ ...duplicate, removed: true, pending: null });
	}
	const removed = await mapping.put({ ...link, removed: true, pending: null });
	return [
		{
			output: 0,
			json: { removed: true, mapping: mappingName, by, id, link: publicLink(removed, mappingName) },
		},
	];
}
