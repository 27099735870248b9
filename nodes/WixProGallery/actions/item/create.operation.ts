import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { createItem, listItems } from '../../../shared/wix/proGallery/api';
import type { MediaSource } from '../../helpers/itemMedia';
import { mediaBlockForFile, resolveMediaFile } from '../../helpers/itemMedia';
import { simplifyItem } from '../../../shared/wix/proGallery/output';
import type { WixGalleryItem } from '../../../shared/wix/proGallery/types';
import type { ItemDetailParameters } from './common';
import { itemDetailFields, itemDetailsToWix } from './common';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';
import { concurrentUploadBatch, concurrentUploadsOption } from '../../helpers/concurrentUploads';

const properties: INodeProperties[] = [
	galleryRLC,
	{
		displayName: 'Item Type',
		name: 'itemType',
		type: 'options',
		options: [
			{ name: 'Image', value: 'image' },
			{ name: 'Video', value: 'video' },
			{ name: 'Text', value: 'text' },
		],
		default: 'image',
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A file from a previous node, uploaded to the Wix Media Manager',
			},
			{
				name: 'Public URL',
				value: 'url',
				description: 'A publicly reachable address that Wix imports into the Media Manager',
			},
			{
				name: 'Wix Media Manager',
				value: 'wixMedia',
				description: "A file that is already in the site's Media Manager",
			},
		],
		default: 'binary',
		displayOptions: { show: { itemType: ['image', 'video'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: "The name of the input item's binary field that holds the file",
		displayOptions: { show: { itemType: ['image', 'video'], mediaSource: ['binary'] } },
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/photo.jpg',
		displayOptions: { show: { itemType: ['image', 'video'], mediaSource: ['url'] } },
	},
	{
		displayName: 'Wix Media ID or URL',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 11062b_12703ed9a6574547bcaed22b1ce44eef~mv2.jpeg',
		description: 'A Media Manager file ID, its static.wixstatic.com URL, or a wix:image:// URI',
		displayOptions: { show: { itemType: ['image', 'video'], mediaSource: ['wixMedia'] } },
	},
	{
		displayName: 'Text (HTML)',
		name: 'html',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. <p>Opening night</p>',
		displayOptions: { show: { itemType: ['text'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: itemDetailFields,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { itemType: ['image', 'video'] } },
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description:
					"The name the file gets in the Media Manager (default: the binary's file name)",
			},
			{
				displayName: 'Media Manager Folder ID',
				name: 'parentFolderId',
				type: 'string',
				default: '',
				description: 'The Media Manager folder to put new files in (default: the root folder)',
			},
			{
				displayName: 'Processing Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description:
					'How long to wait for Wix to process an uploaded or imported file before failing',
			},
			concurrentUploadsOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['create'] } },
	properties,
);

/** Next sort orders per gallery, remembered for one node run so that each gallery is listed once. */
const nextSortOrders = new WeakMap<object, Map<string, number>>();

async function allocateSortOrder(this: IExecuteFunctions, galleryId: string, itemIndex: number) {
	let perGallery = nextSortOrders.get(this);
	if (!perGallery) {
		perGallery = new Map();
		nextSortOrders.set(this, perGallery);
	}
	let next = perGallery.get(galleryId);
	if (next === undefined) {
		const items = await listItems.call(this, galleryId, {}, itemIndex);
		const highest = items.reduce((max, item) => Math.max(max, item.sortOrder ?? 0), 0);
		next = Math.floor(highest) + 1;
	}
	perGallery.set(galleryId, next + 1);
	return next;
}

const MEDIA_PARAMETER: Record<MediaSource, { name: string; displayName: string }> = {
	binary: { name: 'binaryPropertyName', displayName: 'Input Binary Field' },
	url: { name: 'mediaUrl', displayName: 'Media URL' },
	wixMedia: { name: 'mediaId', displayName: 'Wix Media ID or URL' },
};

type PreparedItem = { galleryId: string; item: WixGalleryItem };

/** Everything but the create call: checks the parameters and brings the media into the Media Manager. */
async function prepareItem(this: IExecuteFunctions, itemIndex: number): Promise<PreparedItem> {
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const itemType = this.getNodeParameter('itemType', itemIndex) as 'image' | 'video' | 'text';
	const details = this.getNodeParameter('additionalFields', itemIndex) as ItemDetailParameters;
	const item: WixGalleryItem = itemDetailsToWix(details);

	if (itemType === 'text') {
		const html = this.getNodeParameter('html', itemIndex) as string;
		if (!html.trim()) {
			throw new NodeOperationError(this.getNode(), 'A text item needs "Text (HTML)"', {
				itemIndex,
			});
		}
		item.text = { html };
	} else {
		const source = this.getNodeParameter('mediaSource', itemIndex) as MediaSource;
		const parameter = MEDIA_PARAMETER[source];
		const value = String(this.getNodeParameter(parameter.name, itemIndex) ?? '');
		if (!value.trim()) {
			throw new NodeOperationError(this.getNode(), `"${parameter.displayName}" is empty`, {
				itemIndex,
			});
		}
		const options = this.getNodeParameter('options', itemIndex, {}) as {
			fileName?: string;
			parentFolderId?: string;
			timeoutSeconds?: number;
		};
		const file = await resolveMediaFile.call(
			this,
			{
				source,
				value,
				parameterName: parameter.displayName,
				fileName: options.fileName,
				parentFolderId: options.parentFolderId,
				timeoutSeconds: options.timeoutSeconds ?? 120,
			},
			itemIndex,
		);
		Object.assign(item, mediaBlockForFile.call(this, file, itemType, itemIndex));
	}
	return { galleryId, item };
}

/** Creates the item; run in input order, so that items without a sort order are added in that order. */
async function createPrepared(
	this: IExecuteFunctions,
	itemIndex: number,
	{ galleryId, item }: PreparedItem,
): Promise<INodeExecutionData[]> {
	if (item.sortOrder === undefined) {
		item.sortOrder = await allocateSortOrder.call(this, galleryId, itemIndex);
	}
	return [
		{ json: simplifyItem(await createItem.call(this, galleryId, item, itemIndex), galleryId) },
	];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await createPrepared.call(this, itemIndex, await prepareItem.call(this, itemIndex));
}

export const { runsAsBatch, executeBatch } = concurrentUploadBatch(prepareItem, createPrepared);
