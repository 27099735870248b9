import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { ITEMS_PAGE_SIZE, listItemsPage } from '../../shared/wix/proGallery/api';
import {
	MAX_PAGES_PER_SEARCH,
	matchesSearchFilter,
} from '../../shared/wix/proGallery/galleryLocator';

/** The items of the chosen gallery, filtered page by page like the galleries (see MAX_PAGES_PER_SEARCH). */
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
				.filter((item) => matchesSearchFilter(filter, item.title, item.id))
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
