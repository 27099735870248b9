export interface PaginationLimits {
	/** The most items Wix returns per page for this endpoint. */
	pageSize: number;
	/** How many items the user asked for; undefined means all of them. */
	max?: number;
	/** Defaults to MAX_PAGES. */
	maxPages?: number;
}

export interface OffsetPage<T> {
	items: T[];
	/** The total Wix reports, when it reports one: it saves the last, empty request. */
	total?: number;
}

export interface CursorPage<T> {
	items: T[];
	nextCursor?: string | null;
}

/**
 * The most pages one listing fetches: 1,000 pages is 100,000 gallery items at Wix's page size, far beyond any real
 * gallery, and stops a server that never says "last page" before the items fill memory.
 */
export const MAX_PAGES = 1000;

/** Paging that would never end: a repeated page or cursor, or the page cap. Nothing partial is returned. */
export class EndlessPagingError extends Error {
	constructor(reason: string, pages: number, items: number) {
		super(
			`Paging stopped: ${reason} after ${pages} pages (${items} items). The answer would never end, so nothing is output; use Limit to fetch fewer items, or try again later.`,
		);
		this.name = 'EndlessPagingError';
	}
}

/** Pages through an offset/limit endpoint, never asking for more items than are still wanted. */
export async function paginateByOffset<T>(
	fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
	{ pageSize, max, maxPages = MAX_PAGES }: PaginationLimits,
): Promise<T[]> {
	const results: T[] = [];
	let offset = 0;
	let previousPage: string | undefined;
	for (let pages = 0; ; ) {
		const wanted = max === undefined ? pageSize : Math.min(pageSize, max - results.length);
		if (wanted <= 0) break;
		if (pages >= maxPages)
			throw new EndlessPagingError('the page limit was reached', pages, results.length);
		const page = await fetchPage(offset, wanted);
		pages++;
		if (!Array.isArray(page.items)) throw new TypeError('A page of the listing holds no item list');
		// A server that ignores the offset answers the same full page for ever.
		// First and last item stand for the page: serialising whole pages cost more than the paging itself.
		const fingerprint =
			page.items.length > 0
				? `${page.items.length}:${JSON.stringify(page.items[0])}:${JSON.stringify(page.items[page.items.length - 1])}`
				: undefined;
		if (fingerprint !== undefined && fingerprint === previousPage) {
			throw new EndlessPagingError(
				`the same page came back for offset ${offset}`,
				pages,
				results.length,
			);
		}
		previousPage = fingerprint;
		results.push(...page.items.slice(0, wanted));
		offset += page.items.length;
		if (page.items.length < wanted) break;
		if (page.total !== undefined && offset >= page.total) break;
	}
	return results;
}

/** Pages through a cursor endpoint, never asking for more items than are still wanted. */
export async function paginateByCursor<T>(
	fetchPage: (cursor: string | undefined, limit: number) => Promise<CursorPage<T>>,
	{ pageSize, max, maxPages = MAX_PAGES }: PaginationLimits,
): Promise<T[]> {
	const results: T[] = [];
	let cursor: string | undefined;
	const seenCursors = new Set<string>();
	for (let pages = 0; ; ) {
		const wanted = max === undefined ? pageSize : Math.min(pageSize, max - results.length);
		if (wanted <= 0) break;
		if (pages >= maxPages)
			throw new EndlessPagingError('the page limit was reached', pages, results.length);
		const page = await fetchPage(cursor, wanted);
		pages++;
		if (!Array.isArray(page.items)) throw new TypeError('A page of the listing holds no item list');
		results.push(...page.items.slice(0, wanted));
		if (!page.nextCursor || page.items.length === 0) break;
		if (seenCursors.has(page.nextCursor)) {
			throw new EndlessPagingError('a cursor came back a second time', pages, results.length);
		}
		seenCursors.add(page.nextCursor);
		cursor = page.nextCursor;
	}
	return results;
}
