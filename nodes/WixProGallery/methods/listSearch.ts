import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	GALLERIES_PAGE_SIZE,
	ITEMS_PAGE_SIZE,
	listGalleriesPage,
	listItemsPage,
} from '../helpers/api';

function matches(filter: string | undefined, ...values: Array<string | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return values.some((value) => value?.toLowerCase().includes(needle));
}

export async function searchGalleries(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken) || 0;
	const page = await listGalleriesPage.call(this, {
		offset,
		limit: GALLERIES_PAGE_SIZE,
		itemLimit: 1,
	});
	const next = offset + page.galleries.length;
	const more =
		page.total !== undefined ? next < page.total : page.galleries.length === GALLERIES_PAGE_SIZE;
	return {
		results: page.galleries
			.filter((gallery) => matches(filter, gallery.name, gallery.id))
			.map((gallery) => ({
				name: `${gallery.name || 'Untitled gallery'} (${gallery.totalItems ?? 0} items)`,
				value: gallery.id ?? '',
			})),
		paginationToken: more ? String(next) : undefined,
	};
}

export async function searchItems(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const galleryId = this.getCurrentNodeParameter('galleryId', { extractValue: true }) as
		| string
		| undefined;
	if (!galleryId) return { results: [] };
	const offset = Number(paginationToken) || 0;
	const items = await listItemsPage.call(this, galleryId, { offset, limit: ITEMS_PAGE_SIZE });
	return {
		results: items
			.filter((item) => matches(filter, item.title, item.id))
			.map((item) => ({
				name: `${item.title || item.image?.imageInfo?.filename || 'Untitled'} · ${item.type ?? 'item'}`,
				value: item.id ?? '',
			})),
		paginationToken: items.length === ITEMS_PAGE_SIZE ? String(offset + items.length) : undefined,
	};
}
