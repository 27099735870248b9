import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createGallery } from '../../../shared/wix/proGallery/api';
import { mediaBlockForFile, resolveMediaFile } from '../../helpers/itemMedia';
import { simplifyGallery } from '../../../shared/wix/proGallery/output';
import type { WixGallery, WixGalleryItem } from '../../../shared/wix/proGallery/types';
import { checkNumber } from '../../../shared/parameters';

const properties: INodeProperties[] = [
	{
		// What Wix documents for Create Gallery (dev.wix.com/docs/rest/assets/pro-gallery/create-gallery, and the
		// Pro Gallery API introduction): see the README's Pro Gallery section for the sources.
		displayName:
			"A gallery created through the API exists only in the site's backend: it does not appear on the live site. Wix recommends adding a Pro Gallery in the Editor and filling it with Item → Create (its ID: Get Many, or in the Editor the gallery's Settings → Support → Gallery Info); changes to such a gallery show on the site automatically. To show an API-created gallery, the site owner has to connect it to a gallery element with Velo code.",
		name: 'backendOnlyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Summer 2026',
		description: "The gallery's name. Leave empty when cloning to keep the source gallery's name.",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Clone From Gallery ID',
				name: 'cloneFromGalleryId',
				type: 'string',
				default: '',
				description:
					"Copy this gallery's items and settings into the new gallery (Wix gives the copies new IDs and sort orders)",
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'number',
				default: 0,
				description:
					"The gallery's position among the site's galleries. Must differ from every other gallery's sort order.",
			},
		],
	},
	{
		displayName: 'First Items',
		name: 'firstItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Item',
		default: {},
		description:
			'Items to create together with the gallery, from files already in the Wix Media Manager',
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Item Type',
						name: 'type',
						type: 'options',
						options: [
							{
								name: 'Image',
								value: 'image',
							},
							{
								name: 'Video',
								value: 'video',
							},
							{
								name: 'Text',
								value: 'text',
							},
						],
						default: 'image',
					},
					{
						displayName: 'Text (HTML)',
						name: 'html',
						type: 'string',
						default: '',
						description: 'The text of a text item, as HTML',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Wix Media ID or URL',
						name: 'media',
						type: 'string',
						default: '',
						placeholder: 'e.g. 11062b_12703ed9a6574547bcaed22b1ce44eef~mv2.jpeg',
						description:
							'A Media Manager file ID or its static.wixstatic.com URL (image and video items)',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['gallery'], operation: ['create'] } },
	properties,
);

interface FirstItemParameter {
	type: 'image' | 'video' | 'text';
	media?: string;
	html?: string;
	title?: string;
	description?: string;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const name = this.getNodeParameter('name', itemIndex) as string;
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex) as {
		cloneFromGalleryId?: string;
		sortOrder?: number;
	};
	const firstItems =
		(this.getNodeParameter('firstItems', itemIndex, {}) as { item?: FirstItemParameter[] }).item ??
		[];

	const gallery: WixGallery = {};
	if (name) gallery.name = name;
	if (additionalFields.sortOrder !== undefined)
		gallery.sortOrder = checkNumber(additionalFields.sortOrder, 'Sort Order');
	const items: WixGalleryItem[] = [];
	for (const [position, firstItem] of firstItems.entries()) {
		const item: WixGalleryItem = {};
		if (firstItem.title) item.title = firstItem.title;
		if (firstItem.description) item.description = firstItem.description;
		if (firstItem.type === 'text') {
			item.text = { html: firstItem.html ?? '' };
		} else {
			const file = await resolveMediaFile.call(
				this,
				{
					source: 'wixMedia',
					value: firstItem.media ?? '',
					parameterName: `First Items → Item ${position + 1} → Wix Media ID or URL`,
					timeoutSeconds: 60,
				},
				itemIndex,
			);
			Object.assign(item, mediaBlockForFile.call(this, file, firstItem.type, itemIndex));
		}
		items.push(item);
	}
	if (items.length) gallery.items = items;

	const body: { gallery?: WixGallery; cloneFromGalleryId?: string } = {};
	if (Object.keys(gallery).length) body.gallery = gallery;
	if (additionalFields.cloneFromGalleryId)
		body.cloneFromGalleryId = additionalFields.cloneFromGalleryId.trim();
	return [{ json: simplifyGallery(await createGallery.call(this, body, itemIndex)) }];
}
