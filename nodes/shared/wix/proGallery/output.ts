import type { IDataObject } from 'n8n-workflow';

import type { WixVideoResolution } from '../mediaManager/types';
import type { WixGallery, WixGalleryItem } from './types';

/** A video's largest rendition, whose URL and size stand for the video. */
export function largestResolution(
	resolutions: WixVideoResolution[] | undefined,
): WixVideoResolution | undefined {
	return resolutions?.reduce<WixVideoResolution | undefined>(
		(best, resolution) => ((resolution.width ?? 0) > (best?.width ?? 0) ? resolution : best),
		undefined,
	);
}

/** An item's type: Wix's own when it sends one, else what its media says. */
export function galleryItemType(item: WixGalleryItem): string {
	return (
		item.type ?? (item.image ? 'IMAGE' : item.video ? 'VIDEO' : item.text ? 'TEXT' : 'UNDEFINED')
	);
}

/** The same flat fields for an item whatever the operation, with Wix's own object kept under `raw`. */
export function simplifyItem(item: WixGalleryItem, galleryId: string): IDataObject {
	const imageInfo = item.image?.imageInfo;
	const videoInfo = item.video?.videoInfo;
	const resolution = largestResolution(videoInfo?.resolutions);
	return {
		id: item.id ?? null,
		galleryId,
		type: galleryItemType(item),
		title: item.title ?? null,
		description: item.description ?? null,
		mediaId: imageInfo?.id || videoInfo?.id || null,
		mediaUrl: imageInfo?.url ?? videoInfo?.url ?? resolution?.url ?? null,
		width: imageInfo?.width ?? resolution?.width ?? null,
		height: imageInfo?.height ?? resolution?.height ?? null,
		text: item.text?.html ?? null,
		link: item.link?.url ?? null,
		tags: item.tags?.values ?? [],
		sortOrder: item.sortOrder ?? null,
		createdDate: item.createdDate ?? null,
		updatedDate: item.updatedDate ?? null,
		raw: item as unknown as IDataObject,
	};
}

export function simplifyGallery(gallery: WixGallery): IDataObject {
	const galleryId = gallery.id ?? '';
	return {
		id: gallery.id ?? null,
		galleryId: gallery.id ?? null,
		name: gallery.name ?? null,
		totalItems: gallery.totalItems ?? gallery.items?.length ?? 0,
		sortOrder: gallery.sortOrder ?? null,
		createdDate: gallery.createdDate ?? null,
		items: (gallery.items ?? []).map((item) => simplifyItem(item, galleryId)),
		raw: { ...gallery, items: undefined } as unknown as IDataObject,
	};
}
