import type { IDataObject } from 'n8n-workflow';

import { galleryItemType, largestResolution } from './output';
import type { WixGallery, WixGalleryItem } from './types';

/**
 * The Pro Gallery events as both triggers put them out (the webhook trigger from Wix's deliveries, the polling
 * trigger from what changed between two listings): one flat item per event with the same fields, so that a
 * workflow works the same behind either trigger.
 */

export type GalleryEventName =
	| 'galleryCreated'
	| 'galleryUpdated'
	| 'galleryDeleted'
	| 'galleryItemCreated'
	| 'galleryItemUpdated'
	| 'galleryItemDeleted';

/** The Pro Gallery entity's FQDN as Wix's current docs spell it, and the webhook slugs of each event. */
export const GALLERY_FQDN = 'wix.pro_gallery.gallery_v2';

export const GALLERY_EVENT_SLUGS: Record<GalleryEventName, string> = {
	galleryCreated: 'created',
	galleryUpdated: 'updated',
	galleryDeleted: 'deleted',
	galleryItemCreated: 'gallery_item_created',
	galleryItemUpdated: 'gallery_item_updated',
	galleryItemDeleted: 'gallery_item_deleted',
};

export const GALLERY_EVENT_NAMES = Object.keys(GALLERY_EVENT_SLUGS) as GalleryEventName[];

export function isItemEvent(eventName: GalleryEventName): boolean {
	return eventName.startsWith('galleryItem');
}

/** Same rule as the Pro Gallery node's items: the image URL, else the video URL, else its largest rendition. */
export function galleryItemMediaUrl(item: WixGalleryItem): string | null {
	const imageInfo: unknown = item.image?.imageInfo;
	const videoInfo: unknown = item.video?.videoInfo;
	// The SDK shape has these as `wix:image://…` / `wix:video://…` strings instead of objects.
	if (typeof imageInfo === 'string') return imageInfo;
	if (typeof videoInfo === 'string') return videoInfo;
	const video = item.video?.videoInfo;
	return (
		item.image?.imageInfo?.url ?? video?.url ?? largestResolution(video?.resolutions)?.url ?? null
	);
}

export interface GalleryEventParts {
	event: GalleryEventName;
	eventType: string;
	eventId: string;
	eventTime: string | null;
	instanceId: string | null;
	galleryId: string;
	itemId: string | null;
	/** The whole item, for item created and updated events. */
	item?: WixGalleryItem;
	/** The gallery without its items, for gallery created and updated events. */
	gallery?: WixGallery;
	originatedFrom: string | null;
	identity: IDataObject | null;
	stale: boolean;
	raw: IDataObject;
}

/** The one output shape of a gallery event, whichever trigger saw it. */
export function galleryEventItem(parts: GalleryEventParts): IDataObject {
	const { item, gallery } = parts;
	return {
		event: parts.event,
		eventType: parts.eventType,
		eventId: parts.eventId,
		eventTime: parts.eventTime,
		instanceId: parts.instanceId,
		galleryId: parts.galleryId,
		itemId: parts.itemId,
		item: (item as IDataObject | undefined) ?? null,
		mediaUrl: item ? galleryItemMediaUrl(item) : null,
		sortOrder: item?.sortOrder ?? null,
		type: item ? galleryItemType(item) : null,
		title: item?.title ?? null,
		tags: item ? (item.tags?.values ?? []) : null,
		gallery: (gallery as IDataObject | undefined) ?? null,
		galleryName: typeof gallery?.name === 'string' ? gallery.name : null,
		originatedFrom: parts.originatedFrom,
		identity: parts.identity,
		stale: parts.stale,
		raw: parts.raw,
	};
}
