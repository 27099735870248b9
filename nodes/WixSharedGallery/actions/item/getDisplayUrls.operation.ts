import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemIdsProperty, requiredItemIds } from '../../../shared/idList';
import { getDisplayUrls } from '../../../shared/wix/sharedGallery/api';

const properties: INodeProperties[] = [
	itemIdsProperty(
		'The IDs of photos, videos or GIFs: comma-separated, or an expression that returns an array. Albums have no display URL.',
	),
	{
		displayName: 'Increment View Count',
		name: 'incrementViewCount',
		type: 'boolean',
		default: false,
		description:
			'Whether this counts as the caller viewing the media (Wix counts each viewer once)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['getDisplayUrls'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const itemIds = requiredItemIds.call(this, itemIndex, 'the media');
	const incrementViewCount = this.getNodeParameter(
		'incrementViewCount',
		itemIndex,
		false,
	) as boolean;
	const urls = await getDisplayUrls.call(this, itemIds, incrementViewCount, itemIndex);
	return urls.map((url) => ({
		json: {
			itemId: url.itemId,
			url: url.url,
			notProcessedYet: url.notProcessedYet,
			mediaType: url.kind,
			width: url.width,
			height: url.height,
			durationMs: url.durationMs,
			raw: url.raw,
		},
	}));
}
