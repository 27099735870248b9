import type { CallerIdentity } from '../../context';
import { invalidArgument } from '../../errors';
import { isRecord, pick, stringList } from './input';
import type { SharedItem } from './types';

/**
 * Query Items (docs/wix-api.md §2.2): filter, sort and cursor paging. Cursors carry the filter and the sort, so that
 * later pages send only `paging`; id lookups come back in the order asked for.
 */

export const SHARED_GALLERY_QUERY_DEFAULT_LIMIT = 50;
export const SHARED_GALLERY_QUERY_MAX_LIMIT = 100;

const SORT_FIELDS = [
	'UNKNOWN',
	'CREATED_DATE',
	'VIEW_COUNT',
	'LIKE_COUNT',
	'COMMENT_COUNT',
	'NAME',
	'MEMBER_TAG_COUNT',
	'ALBUM_INFO_TAG_COUNT',
	'ORDER_NUMBERS',
] as const;
type SortField = (typeof SORT_FIELDS)[number];
const ITEM_TYPES = ['UNKNOWN', 'VISUAL_MEDIA', 'ALBUM'] as const;
type ItemType = (typeof ITEM_TYPES)[number];

interface QueryFilter {
	likedBy?: string[];
	taggedBy?: string[];
	createdBy?: string[];
	itemIds?: string[];
	itemTypes?: ItemType[];
	albumIds?: string[];
}

interface QuerySort {
	field: SortField;
	order: 'ASC' | 'DESC';
}

/** Where a query stands: what a cursor encodes. */
interface CursorState {
	filter: QueryFilter;
	sort: QuerySort;
	offset: number;
}

/** A Query Items request, checked. */
export interface ItemQuery {
	fieldset: string[];
	limit: number;
	state: CursorState;
}

export function likeCount(item: SharedItem): number {
	return item.likedBy.length + item.otherLikes;
}

/** Who viewed an item, as one string per caller. */
export function identityKey(identity: CallerIdentity | null): string | undefined {
	if (!identity) return undefined;
	switch (identity.identityType) {
		case 'MEMBER':
			return `member:${identity.memberId}`;
		case 'WIX_USER':
			return `user:${identity.wixUserId}`;
		case 'APP':
			return `app:${identity.appId}`;
		case 'ANONYMOUS_VISITOR':
			return `visitor:${identity.anonymousVisitorId}`;
	}
}

function parseFilter(raw: unknown): QueryFilter {
	if (raw === undefined || raw === null) return {};
	if (!isRecord(raw)) throw invalidArgument('filter', 'must be an object');
	const itemTypes = stringList(pick(raw, 'itemTypes', 'item_types'), 'filter.itemTypes');
	for (const type of itemTypes ?? []) {
		if (!(ITEM_TYPES as readonly string[]).includes(type)) {
			throw invalidArgument('filter.itemTypes', `must be one of ${ITEM_TYPES.join(', ')}`, 'ENUM');
		}
	}
	const filter: QueryFilter = {
		likedBy: stringList(pick(raw, 'likedBy', 'liked_by'), 'filter.likedBy'),
		taggedBy: stringList(pick(raw, 'taggedBy', 'tagged_by'), 'filter.taggedBy'),
		createdBy: stringList(pick(raw, 'createdBy', 'created_by'), 'filter.createdBy'),
		itemIds: stringList(pick(raw, 'itemIds', 'item_ids'), 'filter.itemIds'),
		itemTypes: itemTypes as ItemType[] | undefined,
		albumIds: stringList(pick(raw, 'albumIds', 'album_ids'), 'filter.albumIds'),
	};
	// Empty lists filter nothing, as proto3 cannot tell them from absent ones.
	for (const key of Object.keys(filter) as Array<keyof QueryFilter>) {
		if (!filter[key] || filter[key]?.length === 0) delete filter[key];
	}
	return filter;
}

function parseSort(raw: unknown): QuerySort {
	if (raw === undefined || raw === null) return { field: 'CREATED_DATE', order: 'DESC' };
	if (!isRecord(raw)) throw invalidArgument('sort', 'must be a single object {field, order}');
	const field = raw.field ?? 'CREATED_DATE';
	const order = raw.order ?? 'DESC';
	if (typeof field !== 'string' || !(SORT_FIELDS as readonly string[]).includes(field)) {
		throw invalidArgument('sort.field', `must be one of ${SORT_FIELDS.join(', ')}`, 'ENUM');
	}
	if (order !== 'ASC' && order !== 'DESC')
		throw invalidArgument('sort.order', 'must be ASC or DESC', 'ENUM');
	return { field: field === 'UNKNOWN' ? 'CREATED_DATE' : (field as SortField), order };
}

function parseLimit(raw: unknown): number {
	if (raw === undefined || raw === null || raw === 0 || raw === '0')
		return SHARED_GALLERY_QUERY_DEFAULT_LIMIT;
	const limit = typeof raw === 'string' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
		throw invalidArgument('paging.limit', 'must be a positive integer');
	}
	if (limit > SHARED_GALLERY_QUERY_MAX_LIMIT) {
		throw invalidArgument(
			'paging.limit',
			`must be at most ${SHARED_GALLERY_QUERY_MAX_LIMIT}`,
			'MAX',
		);
	}
	return limit;
}

function encodeCursor(state: CursorState): string {
	return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): CursorState {
	try {
		const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
		if (!isRecord(state) || typeof state.offset !== 'number' || !isRecord(state.sort))
			throw new Error('shape');
		return { filter: parseFilter(state.filter), sort: parseSort(state.sort), offset: state.offset };
	} catch {
		throw invalidArgument('paging.cursor', 'is not a cursor this API returned');
	}
}

/** Checks a Query Items body: fieldset, paging, and filter and sort (or the cursor that carries them). */
export function parseItemQuery(body: unknown): ItemQuery {
	if (!isRecord(body)) throw invalidArgument('body', 'must be a JSON object');
	const rawFieldset = body.fieldset ?? body.fieldsets ?? body.field_set;
	const fieldset =
		stringList(typeof rawFieldset === 'string' ? [rawFieldset] : rawFieldset, 'fieldset') ?? [];
	const paging = body.paging === undefined || body.paging === null ? {} : body.paging;
	if (!isRecord(paging)) throw invalidArgument('paging', 'must be an object {limit, cursor}');
	const limit = parseLimit(paging.limit);
	const cursor = paging.cursor;
	if (cursor !== undefined && cursor !== null && typeof cursor !== 'string') {
		throw invalidArgument('paging.cursor', 'must be a string');
	}
	const state: CursorState = cursor
		? decodeCursor(cursor)
		: { filter: parseFilter(body.filter), sort: parseSort(body.sort), offset: 0 };
	return { fieldset, limit, state };
}

function matches(item: SharedItem, filter: QueryFilter): boolean {
	if (filter.itemIds && !filter.itemIds.includes(item.id)) return false;
	if (filter.itemTypes && !filter.itemTypes.includes(item.type)) return false;
	if (filter.createdBy && !filter.createdBy.includes(item.createdBy)) return false;
	if (filter.albumIds && !filter.albumIds.includes(item.parentAlbumId)) return false;
	if (filter.likedBy) {
		if (item.type !== 'VISUAL_MEDIA' || !item.likedBy.some((id) => filter.likedBy?.includes(id)))
			return false;
	}
	if (filter.taggedBy) {
		if (
			item.type !== 'VISUAL_MEDIA' ||
			!item.taggedMembers.some((id) => filter.taggedBy?.includes(id))
		) {
			return false;
		}
	}
	return true;
}

function sortKey(item: SharedItem, field: SortField): number | string {
	switch (field) {
		case 'VIEW_COUNT':
			return item.viewCount;
		case 'LIKE_COUNT':
			return likeCount(item);
		case 'COMMENT_COUNT':
			return item.commentCount;
		case 'NAME':
			return item.name.toLowerCase();
		case 'MEMBER_TAG_COUNT':
			return item.taggedMembers.length;
		case 'ALBUM_INFO_TAG_COUNT':
			return item.tagCount;
		case 'ORDER_NUMBERS':
			return item.orderNumber;
		default:
			return item.createdDate;
	}
}

function sorted(list: SharedItem[], sort: QuerySort): SharedItem[] {
	const direction = sort.order === 'ASC' ? 1 : -1;
	return list.sort((a, b) => {
		const keyA = sortKey(a, sort.field);
		const keyB = sortKey(b, sort.field);
		const primary =
			typeof keyA === 'string' && typeof keyB === 'string'
				? keyA.localeCompare(keyB)
				: (keyA as number) - (keyB as number);
		// Ties fall back to newest first, then id, so pages never overlap or skip.
		return primary * direction || b.createdDate - a.createdDate || a.id.localeCompare(b.id);
	});
}

/** One page of the query's result, and the cursor of the next page if there is one. */
export function runItemQuery(
	all: Iterable<SharedItem>,
	{ limit, state }: ItemQuery,
): { page: SharedItem[]; cursor?: string } {
	const found = [...all].filter((item) => matches(item, state.filter));
	if (state.filter.itemIds) {
		// Sort and paging are ignored for an id lookup: the items come back in the order asked for.
		const order = state.filter.itemIds;
		found.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
		return { page: found };
	}
	const page = sorted(found, state.sort).slice(state.offset, state.offset + limit);
	const nextOffset = state.offset + page.length;
	if (nextOffset >= found.length) return { page };
	return { page, cursor: encodeCursor({ ...state, offset: nextOffset }) };
}
