import type { IDataObject } from 'n8n-workflow';

import type { WixContext } from '../../transport';
import {
	answerList,
	answerNumber,
	answerObject,
	paginateByOffset,
	wixApiRequest,
} from '../../transport';
import type { WixGallery, WixGalleryItem } from './types';

/**
 * The requests below are shaped exactly as Wix's own SDK (@wix/pro-gallery) sends them, so that they are the ones
 * Wix's gateway is known to accept: the `/progallery` base the SDK maps to on www.wixapis.com, and path ids
 * repeated in the query string (GET, DELETE) or body (POST, PATCH). A test compares them through the sandbox.
 */
const BASE = '/progallery/v2';

/** Wix's page sizes (docs/wix-api.md §1.3). */
export const GALLERIES_PAGE_SIZE = 10;
export const ITEMS_PAGE_SIZE = 100;

/** The schema says `galleries`/`totalGalleries`; Wix's own example says `gallery`/`totalGalleriesCount`. */
interface ListGalleriesResponse {
	galleries?: WixGallery[];
	gallery?: WixGallery[];
	totalGalleries?: number;
	totalGalleriesCount?: number;
}

export async function listGalleriesPage(
	this: WixContext,
	page: { offset: number; limit: number; itemLimit?: number },
	itemIndex = 0,
): Promise<{ galleries: WixGallery[]; total?: number }> {
	const qs: IDataObject = { offset: page.offset, limit: page.limit };
	if (page.itemLimit !== undefined) qs.itemLimit = page.itemLimit;
	const response = (await wixApiRequest.call(this, {
		method: 'GET',
		path: `${BASE}/galleries`,
		qs,
		itemIndex,
	})) as ListGalleriesResponse;
	return {
		galleries: answerList<WixGallery>(response, ['galleries', 'gallery'], 'list of galleries'),
		total: answerNumber(response, ['totalGalleries', 'totalGalleriesCount']),
	};
}

export async function listGalleries(
	this: WixContext,
	options: { max?: number; itemLimit?: number },
	itemIndex = 0,
): Promise<WixGallery[]> {
	return await paginateByOffset(
		async (offset, limit) => {
			const page = await listGalleriesPage.call(
				this,
				{ offset, limit, itemLimit: options.itemLimit },
				itemIndex,
			);
			return { items: page.galleries, total: page.total };
		},
		{ pageSize: GALLERIES_PAGE_SIZE, max: options.max },
	);
}

export async function getGallery(
	this: WixContext,
	galleryId: string,
	window: { itemOffset?: number; itemLimit?: number },
	itemIndex = 0,
): Promise<WixGallery> {
	const qs: IDataObject = { galleryId };
	if (window.itemOffset !== undefined) qs.itemOffset = window.itemOffset;
	if (window.itemLimit !== undefined) qs.itemLimit = window.itemLimit;
	const response = (await wixApiRequest.call(this, {
		method: 'GET',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}`,
		qs,
		itemIndex,
	})) as unknown;
	return answerObject<WixGallery>(response, 'gallery', 'gallery');
}

/** Get Gallery with every item: pages with `itemOffset`, and stops at `totalItems`. */
export async function getGalleryWithAllItems(
	this: WixContext,
	galleryId: string,
	itemIndex = 0,
): Promise<WixGallery> {
	let gallery: WixGallery | undefined;
	const items = await paginateByOffset<WixGalleryItem>(
		async (offset, limit) => {
			gallery = await getGallery.call(
				this,
				galleryId,
				{ itemOffset: offset, itemLimit: limit },
				itemIndex,
			);
			return {
				items: answerList<WixGalleryItem>(gallery, ['items'], "list of the gallery's items"),
				total: answerNumber(gallery, ['totalItems']),
			};
		},
		{ pageSize: ITEMS_PAGE_SIZE },
	);
	return { ...gallery, items };
}

export async function listItemsPage(
	this: WixContext,
	galleryId: string,
	page: { offset: number; limit: number },
	itemIndex = 0,
): Promise<WixGalleryItem[]> {
	const response = (await wixApiRequest.call(this, {
		method: 'GET',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}/items`,
		qs: { galleryId, itemOffset: page.offset, itemLimit: page.limit },
		itemIndex,
	})) as unknown;
	return answerList<WixGalleryItem>(response, ['items'], 'list of items');
}

/** List Gallery Items reports no total, so paging stops at the first short page. */
export async function listItems(
	this: WixContext,
	galleryId: string,
	options: { max?: number },
	itemIndex = 0,
): Promise<WixGalleryItem[]> {
	return await paginateByOffset(
		async (offset, limit) => ({
			items: await listItemsPage.call(this, galleryId, { offset, limit }, itemIndex),
		}),
		{ pageSize: ITEMS_PAGE_SIZE, max: options.max },
	);
}

export async function getItem(
	this: WixContext,
	galleryId: string,
	itemId: string,
	itemIndex = 0,
): Promise<WixGalleryItem> {
	const response = (await wixApiRequest.call(this, {
		method: 'GET',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}/items/${encodeURIComponent(itemId)}`,
		qs: { galleryId, itemId },
		itemIndex,
	})) as unknown;
	return answerObject<WixGalleryItem>(response, 'item', 'item');
}

export async function createGallery(
	this: WixContext,
	body: { gallery?: WixGallery; cloneFromGalleryId?: string },
	itemIndex = 0,
): Promise<WixGallery> {
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/galleries`,
		body: body as IDataObject,
		itemIndex,
	})) as unknown;
	return answerObject<WixGallery>(response, 'gallery', 'gallery');
}

export async function updateGallery(
	this: WixContext,
	galleryId: string,
	gallery: WixGallery,
	itemIndex = 0,
): Promise<WixGallery> {
	const response = (await wixApiRequest.call(this, {
		method: 'PATCH',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}`,
		body: { gallery: { ...gallery, id: galleryId } } as IDataObject,
		// Setting the same fields twice leaves the same gallery.
		idempotent: true,
		itemIndex,
	})) as unknown;
	return answerObject<WixGallery>(response, 'gallery', 'gallery');
}

export async function deleteGallery(
	this: WixContext,
	galleryId: string,
	itemIndex = 0,
): Promise<string> {
	const response = (await wixApiRequest.call(this, {
		method: 'DELETE',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}`,
		qs: { galleryId },
		itemIndex,
	})) as { galleryId?: string };
	return response.galleryId ?? galleryId;
}

export async function createItem(
	this: WixContext,
	galleryId: string,
	item: WixGalleryItem,
	itemIndex = 0,
): Promise<WixGalleryItem> {
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}/items`,
		body: { galleryId, item } as IDataObject,
		itemIndex,
	})) as unknown;
	return answerObject<WixGalleryItem>(response, 'item', 'item');
}

export async function updateItem(
	this: WixContext,
	galleryId: string,
	itemId: string,
	item: WixGalleryItem,
	itemIndex = 0,
): Promise<WixGalleryItem> {
	const response = (await wixApiRequest.call(this, {
		method: 'PATCH',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}/items/${encodeURIComponent(itemId)}`,
		body: { galleryId, item: { ...item, id: itemId } } as IDataObject,
		idempotent: true,
		itemIndex,
	})) as unknown;
	return answerObject<WixGalleryItem>(response, 'item', 'item');
}

export async function deleteItem(
	this: WixContext,
	galleryId: string,
	itemId: string,
	itemIndex = 0,
): Promise<string> {
	const response = (await wixApiRequest.call(this, {
		method: 'DELETE',
		path: `${BASE}/galleries/${encodeURIComponent(galleryId)}/items/${encodeURIComponent(itemId)}`,
		qs: { galleryId, itemId },
		itemIndex,
	})) as { itemId?: string };
	return response.itemId ?? itemId;
}

/** Wix documents no cap for Bulk Delete; the sandbox enforces 100, and bigger selections go in several calls. */
export const BULK_DELETE_MAX_IDS = 100;

export async function bulkDeleteItems(
	this: WixContext,
	galleryId: string,
	itemIds: string[],
	itemIndex = 0,
): Promise<string[]> {
	const deleted: string[] = [];
	for (let start = 0; start < itemIds.length; start += BULK_DELETE_MAX_IDS) {
		const chunk = itemIds.slice(start, start + BULK_DELETE_MAX_IDS);
		const response = (await wixApiRequest.call(this, {
			method: 'POST',
			path: `${BASE}/galleries/${encodeURIComponent(galleryId)}/items/delete`,
			body: { galleryId, itemIds: chunk },
			// Deleting ids that are already gone deletes nothing more.
			idempotent: true,
			itemIndex,
		})) as { itemIds?: string[] };
		deleted.push(...answerList<string>(response, ['itemIds'], 'list of deleted item IDs'));
	}
	return deleted;
}
