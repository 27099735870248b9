import type { IDataObject } from 'n8n-workflow';

import type { SharedGalleryItem } from './types';

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
