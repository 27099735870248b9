export interface PaginationLimits {
	/** The most items Wix returns per page for this endpoint. */
	pageSize: number;
	/** How many items the user asked for; undefined means all of them. */
	max?: number;
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

/** Pages through an offset/limit endpoint, never asking for more items than are still wanted. */
export async function paginateByOffset<T>(
	fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
	{ pageSize, max }: PaginationLimits,
): Promise<T[]> {
	const results: T[] = [];
	let offset = 0;
	for (;;) {
		const wanted = max === undefined ? pageSize : Math.min(pageSize, max - results.length);
		if (wanted <= 0) break;
		const page = await fetchPage(offset, wanted);
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
	{ pageSize, max }: PaginationLimits,
): Promise<T[]> {
	const results: T[] = [];
	let cursor: string | undefined;
	const seenCursors = new Set<string>();
	for (;;) {
		const wanted = max === undefined ? pageSize : Math.min(pageSize, max - results.length);
		if (wanted <= 0) break;
		const page = await fetchPage(cursor, wanted);
		results.push(...page.items.slice(0, wanted));
		if (!page.nextCursor || page.items.length === 0) break;
		// A cursor seen before would page forever; Wix has never been seen doing it, but a loop must not hang a workflow.
		if (seenCursors.has(page.nextCursor)) break;
		seenCursors.add(page.nextCursor);
		cursor = page.nextCursor;
	}
	return results;
}
