import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
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

export const LOOK_UP_OUTPUTS = ['Found', 'Not Found'];

const properties: INodeProperties[] = [
	...mappingProperties,
	sideProperty({
		displayName: 'Find By',
		name: 'by',
		description: "Which side's ID to look up",
	}),
	{
		displayName: 'Item ID',
		name: 'id',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.itemId }}',
		description: 'The Wix item ID or external ID, as chosen in "Find By"',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['lookUp'] } },
	properties,
);

/** Found and not found go to separate outputs, so a flow branches without an If node; the input item passes on. */
export function prefetchIds(
	this: IExecuteFunctions,
	itemIndex: number,
): Array<{ side: SyncSide; id: string }> {
	return [{ side: readSide(this, 'by', itemIndex), id: readId(this, 'id', 'Item ID', itemIndex) }];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	stores: MappingStores,
): Promise<RoutedItem[]> {
	const mappingName = readMappingName(this, itemIndex);
	const by = readSide(this, 'by', itemIndex);
	const id = readId(this, 'id', 'Item ID', itemIndex);
	const link = await (await openMapping(this, stores, itemIndex)).find(by, id);
	return [
		{
			output: link ? 0 : 1,
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
		},
	];
}
