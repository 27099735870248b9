import type { IDataObject } from 'n8n-workflow';

import type { WixContext } from '../../shared/transport';
import { paginateByCursor, wixApiRequest } from '../../shared/transport';

/** Shared Gallery REST (docs/wix-api.md §2). Requests use the schema's camelCase names, which the gateway accepts. */
const BASE = '/shared-gallery/v1';

/**
 * Wix documents neither the default nor the largest page size; 50 is the size the sandbox defaults to and is well
 * within the 100 it accepts, so it is the safe choice for a real site too.
 */
export const QUERY_PAGE_SIZE = 50;

/** `filter.itemIds` makes Wix ignore paging, so one call answers at most this many ids. */
export const ID_LOOKUP_CHUNK = 100;

export type SharedGalleryItemType = 'UNKNOWN' | 'VISUAL_MEDIA' | 'ALBUM';

export interface QueryFilter {
	createdBy?: string[];
	likedBy?: string[];
	taggedBy?: string[];
	itemIds?: string[];
	itemTypes?: SharedGalleryItemType[];
	albumIds?: string[];
}

export interface QuerySort {
	field: string;
	order: 'ASC' | 'DESC';
}

export interface QueryRequest {
	filter: QueryFilter;
	sort?: QuerySort;
	fieldset?: string[];
}

/**
 * A Shared Gallery item as Wix sends it: schema names, or the names of Wix's own example (docs/wix-api.md §2.3,
 * DOC-CONFLICT).
 */
export type RawSharedGalleryItem = IDataObject;

/**
 * An item read the same way whichever of Wix's two documented shapes it came in: the schema's
 * (`additionalInfo.visualMediaInfo.fileExtension`, `memberTagCount`) or the example's (top-level `visualMediaInfo`,
 * `file_extension`, `memberTagsCount`, snake_case fields).
 */
export interface SharedGalleryItem {
	id: string;
	name: string;
	type: string;
	description?: string;
	altText?: string;
	createdById?: string;
	createdByName?: string;
	createdDate?: string;
	parentAlbumId?: string;
	likeCount?: number;
	viewCount?: number;
	commentCount?: number;
	memberTagCount?: number;
	liked?: boolean;
	viewed?: boolean;
	fileExtension?: string;
	sizeBytes?: number;
	previewUrl?: string;
	previewWidth?: number;
	previewHeight?: number;
	albumChildrenCount?: number;
	raw: RawSharedGalleryItem;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first of the given keys that is present, so that camelCase and snake_case both read. */
function field(object: unknown, ...keys: string[]): unknown {
	if (!isObject(object)) return undefined;
	for (const key of keys) {
		if (object[key] !== undefined && object[key] !== null) return object[key];
	}
	return undefined;
}

function asString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** Counts and sizes arrive as numbers, or as strings where protobuf maps int64 (`size`). */
function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	return undefined;
}

function asBoolean(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

export function normaliseItem(raw: RawSharedGalleryItem): SharedGalleryItem {
	const additionalInfo = field(raw, 'additionalInfo', 'additional_info');
	const visualMediaInfo =
		field(additionalInfo, 'visualMediaInfo', 'visual_media_info') ??
		field(raw, 'visualMediaInfo', 'visual_media_info');
	const albumInfo =
		field(additionalInfo, 'albumInfo', 'album_info') ?? field(raw, 'albumInfo', 'album_info');
	const previews = field(visualMediaInfo, 'previewImages', 'preview_images');
	const firstPreview = Array.isArray(previews) ? (previews[0] as unknown) : undefined;
	const createdBy = field(raw, 'createdBy', 'created_by');
	const type = asString(field(raw, 'type')) ?? (visualMediaInfo ? 'VISUAL_MEDIA' : 'UNKNOWN');
	return {
		id: asString(field(raw, 'id', '_id')) ?? '',
		name: asString(field(raw, 'name')) ?? '',
		type,
		description: asString(field(raw, 'description')),
		altText: asString(field(raw, 'altText', 'alt_text')),
		createdById: isObject(createdBy) ? asString(field(createdBy, 'id')) : asString(createdBy),
		createdByName: isObject(createdBy) ? asString(field(createdBy, 'name')) : undefined,
		createdDate: asString(field(raw, 'createdDate', 'created_date', '_createdDate')),
		parentAlbumId: asString(field(raw, 'parentAlbumId', 'parent_album_id')),
		likeCount: asNumber(field(raw, 'likeCount', 'like_count', 'likesCount')),
		viewCount: asNumber(field(raw, 'viewCount', 'view_count', 'viewsCount')),
		commentCount: asNumber(field(raw, 'commentCount', 'comment_count', 'commentsCount')),
		memberTagCount: asNumber(
			field(raw, 'memberTagCount', 'memberTagsCount', 'member_tag_count', 'member_tags_count'),
		),
		liked: asBoolean(field(raw, 'liked')),
		viewed: asBoolean(field(raw, 'viewed')),
		fileExtension: asString(field(visualMediaInfo, 'fileExtension', 'file_extension'))?.replace(
			/^\./,
			'',
		),
		sizeBytes: asNumber(field(visualMediaInfo, 'size', 'sizeInBytes', 'size_in_bytes')),
		previewUrl: asString(field(firstPreview, 'url')),
		previewWidth: asNumber(field(firstPreview, 'width')),
		previewHeight: asNumber(field(firstPreview, 'height')),
		albumChildrenCount: asNumber(field(albumInfo, 'childrenCount', 'children_count')),
		raw,
	};
}

const VIDEO_EXTENSIONS = new Set([
	'mp4',
	'mov',
	'm4v',
	'avi',
	'wmv',
	'webm',
	'mkv',
	'mpg',
	'mpeg',
	'3gp',
	'flv',
	'mts',
	'm2ts',
]);

/**
 * Wix has no photo/video/GIF field (docs/wix-api.md §2.3): VISUAL_MEDIA covers all three and only the extension
 * tells them apart. Albums have no media type.
 */
export function mediaTypeOf(item: Pick<SharedGalleryItem, 'type' | 'fileExtension' | 'name'>) {
	if (item.type === 'ALBUM') return null;
	const extension = (item.fileExtension ?? /\.([^.]+)$/.exec(item.name)?.[1] ?? '').toLowerCase();
	if (extension === 'gif') return 'gif';
	if (VIDEO_EXTENSIONS.has(extension)) return 'video';
	if (extension !== '' || item.type === 'VISUAL_MEDIA') return 'image';
	return null;
}

/** The flat fields every operation outputs for an item, with Wix's own object under `raw`. */
export function simplifyItem(
	item: SharedGalleryItem,
	options: { raw?: boolean } = {},
): IDataObject {
	const simple: IDataObject = {
		id: item.id,
		name: item.name,
		type: item.type,
		mediaType: mediaTypeOf(item),
		fileExtension: item.fileExtension ?? null,
		sizeBytes: item.sizeBytes ?? null,
		createdBy: item.createdById ?? null,
		createdDate: item.createdDate ?? null,
		likeCount: item.likeCount ?? 0,
		viewCount: item.viewCount ?? 0,
		commentCount: item.commentCount ?? 0,
		memberTagCount: item.memberTagCount ?? 0,
		albumId: item.parentAlbumId ?? null,
		previewUrl: item.previewUrl ?? null,
	};
	if (item.createdByName !== undefined) simple.createdByName = item.createdByName;
	if (item.description) simple.description = item.description;
	if (item.altText) simple.altText = item.altText;
	if (item.albumChildrenCount !== undefined) simple.childrenCount = item.albumChildrenCount;
	if (options.raw !== false) simple.raw = item.raw;
	return simple;
}

interface QueryResponse {
	items?: RawSharedGalleryItem[];
	metadata?: IDataObject;
	nextCursor?: string;
}

/** The next page's cursor: `metadata.cursor` in the schema, `metadata.nextCursor` in Wix's example. */
function nextCursorOf(response: QueryResponse): string | undefined {
	const cursor =
		field(response.metadata, 'cursor', 'nextCursor', 'next_cursor') ??
		field(field(response.metadata, 'cursors'), 'next') ??
		response.nextCursor;
	return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

function compactFilter(filter: QueryFilter): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(filter)) {
		if (Array.isArray(value) && value.length > 0) body[key] = value;
	}
	return body;
}

export async function queryItemsPage(
	this: WixContext,
	request: QueryRequest,
	page: { limit: number; cursor?: string },
	itemIndex = 0,
): Promise<{ items: SharedGalleryItem[]; nextCursor?: string }> {
	// A cursor carries the filter and sort of the query that issued it; Wix's cursor paging takes only the cursor.
	const body: IDataObject = page.cursor
		? { paging: { limit: page.limit, cursor: page.cursor } }
		: {
				filter: compactFilter(request.filter),
				...(request.sort ? { sort: { ...request.sort } } : {}),
				paging: { limit: page.limit },
			};
	if (request.fieldset?.length) body.fieldset = request.fieldset;
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/items/query`,
		body,
		// A query changes nothing, so it may be re-sent after a 5xx or a dropped connection.
		idempotent: true,
		itemIndex,
	})) as QueryResponse;
	return {
		items: (response.items ?? []).map(normaliseItem),
		nextCursor: nextCursorOf(response),
	};
}

/** Runs a query over as many cursor pages as needed; `max` undefined = every match. */
export async function queryItems(
	this: WixContext,
	request: QueryRequest,
	max: number | undefined,
	itemIndex = 0,
): Promise<SharedGalleryItem[]> {
	if (request.filter.itemIds?.length) return await lookUpItems.call(this, request, itemIndex, max);
	return await paginateByCursor(
		async (cursor, limit) => await queryItemsPage.call(this, request, { limit, cursor }, itemIndex),
		{ pageSize: QUERY_PAGE_SIZE, max },
	);
}

/**
 * With `filter.itemIds` Wix ignores sort and paging and answers the ids in the order asked for
 * (docs/wix-api.md §2.2), so large id lists are asked for in chunks and kept in the caller's order.
 */
async function lookUpItems(
	this: WixContext,
	request: QueryRequest,
	itemIndex: number,
	max?: number,
): Promise<SharedGalleryItem[]> {
	const ids = [...new Set(request.filter.itemIds ?? [])];
	const found: SharedGalleryItem[] = [];
	for (let start = 0; start < ids.length; start += ID_LOOKUP_CHUNK) {
		if (max !== undefined && found.length >= max) break;
		const chunk = ids.slice(start, start + ID_LOOKUP_CHUNK);
		const page = await queryItemsPage.call(
			this,
			{ ...request, filter: { ...request.filter, itemIds: chunk } },
			{ limit: chunk.length },
			itemIndex,
		);
		found.push(...page.items);
	}
	return max === undefined ? found : found.slice(0, max);
}

export interface DownloadUrl {
	url: string;
	archived: boolean;
}

export async function getDownloadUrl(
	this: WixContext,
	itemIds: string[],
	itemIndex = 0,
): Promise<DownloadUrl> {
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/items/download-url`,
		body: { itemIds },
		// Asking for a URL again only hands out another URL.
		idempotent: true,
		itemIndex,
	})) as IDataObject;
	const url = asString(field(response, 'url', 'downloadUrl', 'download_url')) ?? '';
	const archived = field(response, 'archived');
	// Several ids always make an archive (docs/wix-api.md §2.5); for one id only an explicit `archived: false` means a
	// plain file.
	return { url, archived: typeof archived === 'boolean' ? archived : itemIds.length > 1 };
}

export interface DisplayUrl {
	itemId: string;
	url: string | null;
	notProcessedYet: boolean;
	kind: 'image' | 'video' | null;
	width: number | null;
	height: number | null;
	durationMs: number | null;
	raw: IDataObject;
}

/**
 * Reads both documented shapes of a display URL: the schema's `{itemId, viewUrl: {url, notProcessedYet},
 * metadata: {imageInfo | videoInfo}}` and the example's flat `{itemId, url, video: {bestQuality}}`.
 */
export function normaliseDisplayUrl(raw: IDataObject): DisplayUrl {
	const viewUrl = field(raw, 'viewUrl', 'view_url');
	const metadata = field(raw, 'metadata');
	const imageInfo = field(metadata, 'imageInfo', 'image_info') ?? field(raw, 'imageInfo', 'image');
	const videoInfo = field(metadata, 'videoInfo', 'video_info') ?? field(raw, 'videoInfo', 'video');
	const bestQuality = field(videoInfo, 'bestQuality', 'best_quality');
	const dimensions = videoInfo ? (bestQuality ?? videoInfo) : imageInfo;
	return {
		itemId: asString(field(raw, 'itemId', 'item_id', 'id')) ?? '',
		url:
			asString(isObject(viewUrl) ? field(viewUrl, 'url') : (viewUrl ?? field(raw, 'url'))) ?? null,
		notProcessedYet:
			asBoolean(field(viewUrl, 'notProcessedYet', 'not_processed_yet')) ??
			asBoolean(field(raw, 'notProcessedYet', 'not_processed_yet')) ??
			false,
		kind: videoInfo ? 'video' : imageInfo ? 'image' : null,
		width: asNumber(field(dimensions, 'width')) ?? asNumber(field(videoInfo, 'width')) ?? null,
		height: asNumber(field(dimensions, 'height')) ?? asNumber(field(videoInfo, 'height')) ?? null,
		durationMs:
			asNumber(field(bestQuality, 'duration')) ?? asNumber(field(videoInfo, 'duration')) ?? null,
		raw,
	};
}

export async function getDisplayUrls(
	this: WixContext,
	itemIds: string[],
	incrementViewCount: boolean,
	itemIndex = 0,
): Promise<DisplayUrl[]> {
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/visual-media/view`,
		body: { itemIds, incrementViewCount },
		// Counting a view twice would be wrong, so only a URL-only request may be re-sent after a 5xx.
		idempotent: !incrementViewCount,
		itemIndex,
	})) as IDataObject;
	const urls = field(response, 'urls', 'viewUrls', 'view_urls');
	return (Array.isArray(urls) ? (urls as IDataObject[]) : []).map(normaliseDisplayUrl);
}
