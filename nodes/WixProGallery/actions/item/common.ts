import type { INodeProperties } from 'n8n-workflow';

import type { WixGalleryItem } from '../../../shared/wix/proGallery/types';
import { checkNumber, checkText } from '../../../shared/parameters';

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
	tags?: string | string[];
	sortOrder?: number;
}

/** Only the fields the user set, in Wix's shape: an unset field is left alone by Wix. */
export function itemDetailsToWix(fields: ItemDetailParameters): WixGalleryItem {
	const item: WixGalleryItem = {};
	if (fields.title !== undefined) item.title = checkText(fields.title, 'Title');
	if (fields.description !== undefined)
		item.description = checkText(fields.description, 'Description');
	if (fields.linkUrl !== undefined || fields.linkText !== undefined) {
		item.link = {};
		if (fields.linkUrl !== undefined) item.link.url = checkText(fields.linkUrl, 'Link URL');
		if (fields.linkText !== undefined) item.link.text = checkText(fields.linkText, 'Link Text');
	}
	if (fields.tags !== undefined) item.tags = { values: tagList(fields.tags) };
	if (fields.sortOrder !== undefined) item.sortOrder = checkNumber(fields.sortOrder, 'Sort Order');
	return item;
}

/** Tags typed in comma-separated, or an array of tags from an expression. */
function tagList(tags: unknown): string[] {
	const values = Array.isArray(tags)
		? tags.map((tag) => checkText(tag, 'Tags'))
		: checkText(tags, 'Tags').split(',');
	return values.map((tag) => tag.trim()).filter(Boolean);
}
