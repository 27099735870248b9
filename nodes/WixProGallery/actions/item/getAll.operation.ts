import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { listItems } from '../../../shared/wix/proGallery/api';
import { simplifyItem } from '../../../shared/wix/proGallery/output';
import type { WixGalleryItem } from '../../../shared/wix/proGallery/types';
import { errorOutputItem, toNodeError } from '../../../shared/execution';
import {
	mediaDownloadProperties,
	readMediaDownloadOptions,
	withMedia,
} from '../../helpers/mediaDownload';
import type { MediaDownloadOptions } from '../../helpers/mediaDownload';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';
import { checkText, limitProperties, readLimit } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	galleryRLC,
	...limitProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				placeholder: 'e.g. ext:med_4f2a9c1e',
				description:
					'Only items carrying exactly this tag. Wix has no tag search for gallery items, so the node reads the gallery and keeps the matching ones; Limit counts the matching items. A sync uses it to find the item it created for an external ID before creating another.',
			},
		],
	},
	...mediaDownloadProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const max = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { tag?: unknown };
	let tag: string;
	try {
		tag = checkText(filters.tag ?? '', 'Filters → Tag').trim();
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
	}
	const download = readMediaDownloadOptions.call(this, itemIndex);
	let items: WixGalleryItem[];
	if (!tag) {
		items = await listItems.call(this, galleryId, { max }, itemIndex);
	} else {
		const tagged = (await listItems.call(this, galleryId, {}, itemIndex)).filter((item) =>
			item.tags?.values?.includes(tag),
		);
		items = max === undefined ? tagged : tagged.slice(0, max);
	}
	if (!download) return items.map((item) => ({ json: simplifyItem(item, galleryId) }));
	return await withMediaOfEach.call(this, items, galleryId, download, itemIndex);
}

/**
 * Each gallery item with its file, one download at a time, so that only one file is in transit at once (the others
 * are already in n8n's binary store). With Continue On Fail, an item whose download fails becomes an error item in
 * its place and the others keep their files; without, the first failure fails the input item.
 */
async function withMediaOfEach(
	this: IExecuteFunctions,
	items: WixGalleryItem[],
	galleryId: string,
	download: MediaDownloadOptions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (const item of items) {
		const json = simplifyItem(item, galleryId);
		try {
			const withFile = await withMedia.call(this, item, json, download, itemIndex);
			if (withFile) output.push(withFile);
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			const failed = errorOutputItem(nodeError, itemIndex);
			failed.json = { ...failed.json, itemId: json.id, galleryId, mediaUrl: json.mediaUrl };
			output.push(failed);
		}
	}
	return output;
}
