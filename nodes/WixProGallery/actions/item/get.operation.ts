import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { itemRLC } from '../../descriptions/rlc.description';
import { getItem } from '../../../shared/wix/proGallery/api';
import { simplifyItem } from '../../../shared/wix/proGallery/output';
import {
	mediaDownloadProperties,
	readMediaDownloadOptions,
	withMedia,
} from '../../helpers/mediaDownload';
import {
	GALLERY_ID_PARAMETER,
	ITEM_ID_PARAMETER,
	requiredGuidParameter,
} from '../../../shared/idList';

const properties: INodeProperties[] = [galleryRLC, itemRLC, ...mediaDownloadProperties];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const itemId = requiredGuidParameter.call(this, ITEM_ID_PARAMETER, itemIndex);
	const download = readMediaDownloadOptions.call(this, itemIndex);
	const item = await getItem.call(this, galleryId, itemId, itemIndex);
	const json = simplifyItem(item, galleryId);
	if (!download) return [{ json }];
	const output = await withMedia.call(this, item, json, download, itemIndex);
	return output ? [output] : [];
}
