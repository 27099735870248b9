import type { IDataObject } from 'n8n-workflow';

import type {
	DisplayUrl,
	DownloadUrl,
	QueryResponse,
	RawSharedGalleryItem,
	SharedGalleryItem,
} from './types';

/**
 * Wix documents two shapes for most Shared Gallery answers, the schema's and its own example's (docs/wix-api.md §2.3,
 * DOC-CONFLICT); these read either into one form, so that the calls (./api.ts) answer the same whichever Wix sends.
 */

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

/** The next page's cursor: `metadata.cursor` in the schema, `metadata.nextCursor` in Wix's example. */
export function nextCursorOf(response: QueryResponse): string | undefined {
	const cursor =
		field(response.metadata, 'cursor', 'nextCursor', 'next_cursor') ??
		field(field(response.metadata, 'cursors'), 'next') ??
		response.nextCursor;
	return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

/** The download URL Wix answered for `idCount` ids, and whether it is an archive. */
export function normaliseDownloadUrl(response: IDataObject, idCount: number): DownloadUrl {
	const url = asString(field(response, 'url', 'downloadUrl', 'download_url')) ?? '';
	const archived = field(response, 'archived');
	// Several ids always make an archive (docs/wix-api.md §2.5); for one id only an explicit `archived: false` means a
	// plain file.
	return { url, archived: typeof archived === 'boolean' ? archived : idCount > 1 };
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

/** The display URLs of an answer to Get Display URLs, each read as above. */
export function normaliseDisplayUrls(response: IDataObject): DisplayUrl[] {
	const urls = field(response, 'urls', 'viewUrls', 'view_urls');
	return (Array.isArray(urls) ? (urls as IDataObject[]) : []).map(normaliseDisplayUrl);
}
