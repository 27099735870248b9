import type { IPollFunctions } from 'n8n-workflow';

import { answerList, answerNumber, paginateByOffset } from '../../shared/transport';
import {
	GALLERIES_PAGE_SIZE,
	ITEMS_PAGE_SIZE,
	getGallery,
	listGalleriesPage,
} from '../../shared/wix/proGallery/api';
import type { WixGallery, WixGalleryItem } from '../../shared/wix/proGallery/types';

/**
 * A complete reading of the watched galleries. Wix pages galleries and items by offset, so a gallery or item
 * created, deleted or moved while the pages are read can shift an entry out of the pages: it would look deleted.
 * Every listing is therefore checked against the totals Wix reports with each page (the same total on every page,
 * and as many distinct entries as that total) and read again when they disagree; a listing that does not settle
 * fails the poll instead of reporting anything from it.
 */

export interface ListedGallery {
	/** The gallery's own fields, without items. */
	gallery: WixGallery;
	/** All its items; undefined when items were not asked for. */
	items?: WixGalleryItem[];
}

/** How often one listing is read before the poll gives up on it. */
export const LISTING_ATTEMPTS = 3;

/** A listing that kept changing while it was read, or whose pages disagree with the totals Wix reports. */
export class UnsettledListingError extends Error {
	constructor(what: string, detail: string) {
		super(
			`The ${what} changed while it was being read (${detail}), ${LISTING_ATTEMPTS} times in a row. Nothing was reported and the trigger keeps what it saw before; the next poll tries again.`,
		);
		this.name = 'UnsettledListingError';
	}
}

interface CheckedPage<T> {
	entries: T[];
	total?: number;
}

/**
 * Reads an offset-paged listing in full and checks it: each page's total the same, no entry twice, and as many
 * entries as the total. Answers the entries, or the reason it did not settle.
 */
async function readChecked<T extends { id?: string }>(
	fetchPage: (offset: number, limit: number) => Promise<CheckedPage<T>>,
	pageSize: number,
): Promise<{ entries: T[] } | { unsettled: string }> {
	const totals = new Set<number | undefined>();
	const entries = await paginateByOffset<T>(
		async (offset, limit) => {
			const page = await fetchPage(offset, limit);
			totals.add(page.total);
			return { items: page.entries, total: page.total };
		},
		{ pageSize },
	);
	if (totals.size > 1) return { unsettled: `its total went from ${[...totals].join(' to ')}` };
	const ids = new Set(entries.map((entry) => entry.id));
	if (ids.size !== entries.length) return { unsettled: 'an entry came back on two pages' };
	const [total] = [...totals];
	if (total !== undefined && ids.size !== total) {
		return { unsettled: `${ids.size} entries were listed of ${total}` };
	}
	return { entries };
}

async function readSettled<T extends { id?: string }>(
	what: string,
	fetchPage: (offset: number, limit: number) => Promise<CheckedPage<T>>,
	pageSize: number,
): Promise<T[]> {
	let reason = '';
	for (let attempt = 1; attempt <= LISTING_ATTEMPTS; attempt++) {
		const result = await readChecked(fetchPage, pageSize);
		if ('entries' in result) return result.entries;
		reason = result.unsettled;
	}
	throw new UnsettledListingError(what, reason);
}

/** Every item of a gallery, through Get Gallery's item window, which carries the gallery's total with each page. */
async function readGalleryItems(
	this: IPollFunctions,
	galleryId: string,
	name: string | undefined,
): Promise<WixGalleryItem[]> {
	return await readSettled<WixGalleryItem>(
		`item list of gallery "${name ?? galleryId}"`,
		async (offset, limit) => {
			const gallery = await getGallery.call(this, galleryId, {
				itemOffset: offset,
				itemLimit: limit,
			});
			return {
				entries: answerList<WixGalleryItem>(gallery, ['items'], "list of the gallery's items"),
				total: answerNumber(gallery, ['totalItems']),
			};
		},
		ITEMS_PAGE_SIZE,
	);
}

/**
 * The watched galleries (all, or those in `galleryIds`), each with all its items when `withItems` is set. List
 * Galleries embeds up to 100 items of each gallery, so galleries that small cost no request of their own.
 */
export async function readGalleries(
	this: IPollFunctions,
	options: { galleryIds?: string[]; withItems: boolean },
): Promise<ListedGallery[]> {
	const embedItems = options.withItems && options.galleryIds === undefined;
	const itemLimit = embedItems ? ITEMS_PAGE_SIZE : 1;
	const galleries = await readSettled<WixGallery>(
		'list of galleries',
		async (offset, limit) => {
			const page = await listGalleriesPage.call(this, { offset, limit, itemLimit });
			return { entries: page.galleries, total: page.total };
		},
		GALLERIES_PAGE_SIZE,
	);
	const watched = galleries.filter(
		(gallery) =>
			typeof gallery.id === 'string' &&
			gallery.id !== '' &&
			(options.galleryIds === undefined || options.galleryIds.includes(gallery.id)),
	);
	const listed: ListedGallery[] = [];
	for (const { items: embedded, ...gallery } of watched) {
		if (!options.withItems) {
			listed.push({ gallery });
			continue;
		}
		const complete =
			embedItems &&
			Array.isArray(embedded) &&
			typeof gallery.totalItems === 'number' &&
			embedded.length === gallery.totalItems &&
			new Set(embedded.map((item) => item.id)).size === embedded.length;
		const items = complete
			? embedded
			: await readGalleryItems.call(this, gallery.id as string, gallery.name);
		listed.push({ gallery, items });
	}
	return listed;
}
