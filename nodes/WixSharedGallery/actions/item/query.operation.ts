import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { queryProperties, readQueryParameters } from '../../descriptions/query.description';
import { queryItems } from '../../../shared/wix/sharedGallery/api';
import { simplifyItem } from '../../../shared/wix/sharedGallery/output';

const properties: INodeProperties[] = [
	...queryProperties(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Member Profiles',
				name: 'includeProfiles',
				type: 'boolean',
				default: false,
				description:
					"Whether to ask Wix for the uploaders' and tagged members' names and pictures (output as createdByName and in raw)",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['query'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { request, max } = readQueryParameters.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { includeProfiles?: boolean };
	if (options.includeProfiles) request.fieldset = ['Profiles'];
	const items = await queryItems.call(this, request, max, itemIndex);
	return items.map((item) => ({ json: simplifyItem(item) }));
}
