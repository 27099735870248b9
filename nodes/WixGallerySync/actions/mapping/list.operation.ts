import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { publicLink } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';
import { mappingProperties, openMapping, readMappingName } from './common';

const properties: INodeProperties[] = [
	...mappingProperties,
	{
		displayName: 'Output',
		name: 'outputFormat',
		type: 'options',
		options: [
			{ name: 'One Item per Link', value: 'items' },
			{
				name: 'One JSON Item',
				value: 'json',
				description: 'All links in one item, e.g. to back up the mapping',
			},
		],
		default: 'items',
	},
	{
		displayName: 'Include Removed Links',
		name: 'includeRemoved',
		type: 'boolean',
		default: false,
		description:
			'Whether to include links that were removed and are kept for a while to recognise late echoes',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['list'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_item: unknown,
	stores: MappingStores,
): Promise<INodeExecutionData[]> {
	const mappingName = readMappingName(this, itemIndex);
	const includeRemoved = this.getNodeParameter('includeRemoved', itemIndex, false) as boolean;
	const format = this.getNodeParameter('outputFormat', itemIndex) as 'items' | 'json';
	const mapping = await openMapping(this, stores, itemIndex);
	const links = (await mapping.links({ includeRemoved }))
		.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.key.localeCompare(b.key))
		.map((link) => publicLink(link, mappingName));
	if (format === 'json') {
		return [{ json: { mapping: mappingName, count: links.length, links } }];
	}
	return links.map((json) => ({ json }));
}
