import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Mapping, publicLink } from '../../helpers/mappingStore';
import type { RoutedItem } from './common';
import { mappingNameProperty, readId, readMappingName, readSide, sideProperty } from './common';

const properties: INodeProperties[] = [
	mappingNameProperty,
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
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<RoutedItem[]> {
	const mappingName = readMappingName(this, itemIndex);
	const by = readSide(this, 'by', itemIndex);
	const id = readId(this, 'id', 'Item ID', itemIndex);
	const mapping = Mapping.open(this, mappingName);
	const link = mapping.find(by, id);
	if (!link) {
		return [{ output: 0, json: { removed: false, mapping: mappingName, by, id, link: null } }];
	}
	const removed = mapping.put({ ...link, removed: true, pending: null });
	return [
		{
			output: 0,
			json: { removed: true, mapping: mappingName, by, id, link: publicLink(removed, mappingName) },
		},
	];
}
