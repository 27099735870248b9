import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import { GALLERIES_PAGE_SIZE, listGalleriesPage } from './api';

/**
 * The Gallery parameter of every node that works on a Pro Gallery (Pro Gallery, Sync's Reconcile): its resource
 * locator and the list search behind its From List mode, together so that the method name the mode calls and the
 * method a node lists in `methods.listSearch` cannot drift apart.
 */

/** Wix ids are GUIDs; a trailing/leading space from a paste is tolerated by the regex. */
export const GUID_REGEX =
	'^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$';

export const galleryRLC: INodeProperties = {
	displayName: 'Gallery',
	name: 'galleryId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Pro Gallery to work on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchGalleries', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 2b5b0e6c-4b5e-4a43-9d4c-7f0b8e3c1a2d',
			validation: [
				{
					type: 'regex',
					properties: { regex: GUID_REGEX, errorMessage: 'Not a valid Wix gallery ID (a GUID)' },
				},
			],
		},
	],
};

export function matchesSearchFilter(
	filter: string | undefined,
	...values: Array<string | undefined>
): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return values.some((value) => value?.toLowerCase().includes(needle));
}

/**
 * Wix has no server-side search for galleries or items, so a filter is applied page by page; when a page has no
 * match, the next pages are read (up to a few) so that typing a name does not show an empty list.
 */
export const MAX_PAGES_PER_SEARCH = 10;

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
				.filter((gallery) => matchesSearchFilter(filter, gallery.name, gallery.id))
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

/** What a node using galleryRLC lists in `methods.listSearch`. */
export const galleryListSearch = { searchGalleries };
