import type { INodeProperties } from 'n8n-workflow';

import type { WixGalleryItem } from '../../../shared/types';

/** Fields an item can have whatever its media, shared by Create and Update. */
export const itemDetailFields: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
	},
	{
		displayName: 'Link URL',
		name: 'linkUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/product',
		description: 'Where a click on the item leads',
	},
	{
		displayName: 'Link Text',
		name: 'linkText',
		type: 'string',
		default: '',
		description: 'The text shown for the link',
	},
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'e.g. beach, summer',
		description: 'Comma-separated tags',
	},
	{
		displayName: 'Sort Order',
		name: 'sortOrder',
		type: 'number',
		default: 0,
		description:
			"The item's position in the gallery. Without it, a new item goes after the last one. Use a value between two neighbours' sort orders to place it between them.",
	},
];

export interface ItemDetailParameters {
	title?: string;
	description?: string;
	linkUrl?: string;
	linkText?: string;
	tags?: string;
	sortOrder?: number;
}

/** Only the fields the user set, in Wix's shape: an unset field is left alone by Wix. */
export function itemDetailsToWix(fields: ItemDetailParameters): WixGalleryItem {
	const item: WixGalleryItem = {};
	if (fields.title !== undefined) item.title = fields.title;
	if (fields.description !== undefined) item.description = fields.description;
	if (fields.linkUrl !== undefined || fields.linkText !== undefined) {
		item.link = {};
		if (fields.linkUrl !== undefined) item.link.url = fields.linkUrl;
		if (fields.linkText !== undefined) item.link.text = fields.linkText;
	}
	if (fields.tags !== undefined) {
		item.tags = {
			values: fields.tags
				.split(',')
				.map((tag) => tag.trim())
				.filter(Boolean),
		};
	}
	if (fields.sortOrder !== undefined) item.sortOrder = fields.sortOrder;
	return item;
}
