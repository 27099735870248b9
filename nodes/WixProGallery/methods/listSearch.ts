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

/**
 * Wix has no server-side search for galleries or items, so a filter is applied page by page; when a page has no
 * match, the next pages are read (up to a few) so that typing a name does not show an empty list.
 */
const MAX_PAGES_PER_SEARCH = 10;

export async function searchGalleries(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	let offset = Number(paginationToken) || 0;
	const results: INodeListSearchResult['results'] = [];
	for (let page = 0; page < MAX_PAGES_PER_SEARCH; page++) {
		const { galleries, total } = await listGalleriesPage.call(this, {
			offset,
			limit: GALLERIES_PAGE_SIZE,
			itemLimit: 1,
		});
		offset += galleries.length;
		results.push(
			...galleries
				.filter((gallery) => matches(filter, gallery.name, gallery.id))
				.map((gallery) => ({
					name: `${gallery.name || 'Untitled gallery'} (${gallery.totalItems ?? 0} items)`,
					value: gallery.id ?? '',
				})),
		);
		const more = total !== undefined ? offset < total : galleries.length === GALLERIES_PAGE_SIZE;
		if (!more) return { results };
		if (results.length) return { results, paginationToken: String(offset) };
	}
	return { results, paginationToken: String(offset) };
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
	let offset = Number(paginationToken) || 0;
	const results: INodeListSearchResult['results'] = [];
	for (let page = 0; page < MAX_PAGES_PER_SEARCH; page++) {
		const items = await listItemsPage.call(this, galleryId, { offset, limit: ITEMS_PAGE_SIZE });
		offset += items.length;
		results.push(
			...items
				.filter((item) => matches(filter, item.title, item.id))
				.map((item) => ({
					name: `${item.title || item.image?.imageInfo?.filename || 'Untitled'} · ${item.type ?? 'item'}`,
					value: item.id ?? '',
				})),
		);
		if (items.length < ITEMS_PAGE_SIZE) return { results };
		if (results.length) return { results, paginationToken: String(offset) };
	}
	return { results, paginationToken: String(offset) };
}
