import type { IDataObject } from 'n8n-workflow';

import type { WixGalleryItem, WixVideoResolution } from '../types';
import type { JsonObject, VerifiedWixWebhook } from './verify';

export type GalleryEventName =
	| 'galleryCreated'
	| 'galleryUpdated'
	| 'galleryDeleted'
	| 'galleryItemCreated'
	| 'galleryItemUpdated'
	| 'galleryItemDeleted';

export const GALLERY_EVENT_NAMES: GalleryEventName[] = [
	'galleryCreated',
	'galleryUpdated',
	'galleryDeleted',
	'galleryItemCreated',
	'galleryItemUpdated',
	'galleryItemDeleted',
];

// Longest first, so that `gallery_item_created` is not taken for a gallery's `created`.
const SLUG_EVENTS: Array<[string, GalleryEventName]> = [
	['gallery_item_created', 'galleryItemCreated'],
	['gallery_item_updated', 'galleryItemUpdated'],
	['gallery_item_deleted', 'galleryItemDeleted'],
	['gallery_created', 'galleryCreated'],
	['gallery_updated', 'galleryUpdated'],
	['gallery_deleted', 'galleryDeleted'],
	['created', 'galleryCreated'],
	['updated', 'galleryUpdated'],
	['deleted', 'galleryDeleted'],
];

const PRO_GALLERY = /pro_?gallery/i;

function eventFromSuffix(text: string): GalleryEventName | undefined {
	const lower = text.toLowerCase();
	for (const [slug, name] of SLUG_EVENTS) {
		if (lower === slug || lower.endsWith(`_${slug}`) || lower.endsWith(`.${slug}`)) return name;
	}
	return undefined;
}

/**
 * Which Pro Gallery event a delivery is. Wix has used several spellings (current
 * `wix.pro_gallery.gallery_v2_gallery_item_created`, 2023 `wix.pro_gallery.v2.gallery_gallery_item_created`, and
 * FQDNs `wix.pro_gallery.gallery_v2` / `wix.pro_gallery.v2.gallery`), so the suffix and slug decide, never equality.
 */
export function galleryEventName(verified: VerifiedWixWebhook): GalleryEventName | undefined {
	const { eventType, event } = verified;
	if (PRO_GALLERY.test(eventType)) {
		const fromType = eventFromSuffix(eventType);
		if (fromType) return fromType;
	}
	if (typeof event.entityFqdn === 'string' && PRO_GALLERY.test(event.entityFqdn)) {
		if (typeof event.slug === 'string') return eventFromSuffix(event.slug);
	}
	return undefined;
}

function asObject(value: unknown): JsonObject | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as JsonObject)
		: undefined;
}

function largestResolution(resolutions: WixVideoResolution[] | undefined) {
	return resolutions?.reduce<WixVideoResolution | undefined>(
		(best, resolution) => ((resolution.width ?? 0) > (best?.width ?? 0) ? resolution : best),
		undefined,
	);
}

/** Same rule as the Pro Gallery node's items: the image URL, else the video URL, else its largest rendition. */
function mediaUrlOf(item: WixGalleryItem): string | null {
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

function itemType(item: WixGalleryItem): string {
	return (
		item.type ?? (item.image ? 'IMAGE' : item.video ? 'VIDEO' : item.text ? 'TEXT' : 'UNDEFINED')
	);
}

/**
 * One flat item per delivery with what a gallery flow needs, plus the unpacked envelope under `raw`. Item events
 * are action events on the gallery, so `galleryId` is the event's entityId and the item id comes from the body.
 */
export function flattenGalleryEvent(
	verified: VerifiedWixWebhook,
	eventName: GalleryEventName,
): IDataObject {
	const { event } = verified;
	const body = asObject(event.actionEvent?.body) ?? {};
	const isItemEvent = eventName.startsWith('galleryItem');

	let item: WixGalleryItem | undefined;
	let gallery: JsonObject | undefined;
	let itemId: string | null = null;
	if (isItemEvent) {
		item = (asObject(body.item) ??
			asObject(body.updatedItem) ??
			asObject(event.createdEvent?.entity) ??
			asObject(event.updatedEvent?.currentEntity)) as WixGalleryItem | undefined;
		const rawItemId = item?.id ?? (item as JsonObject | undefined)?._id ?? body.itemId;
		itemId = typeof rawItemId === 'string' ? rawItemId : null;
	} else {
		gallery = asObject(event.createdEvent?.entity) ?? asObject(event.updatedEvent?.currentEntity);
	}

	return {
		event: eventName,
		eventType: verified.eventType,
		eventId: event.id,
		eventTime: event.eventTime,
		instanceId: verified.instanceId,
		galleryId: event.entityId,
		itemId,
		item: (item as IDataObject | undefined) ?? null,
		mediaUrl: item ? mediaUrlOf(item) : null,
		sortOrder: item?.sortOrder ?? null,
		type: item ? itemType(item) : null,
		title: item?.title ?? null,
		gallery: (gallery as IDataObject | undefined) ?? null,
		galleryName: typeof gallery?.name === 'string' ? gallery.name : null,
		originatedFrom: typeof event.originatedFrom === 'string' ? event.originatedFrom : null,
		identity: (verified.identity as IDataObject | null) ?? null,
		stale: false,
		raw: {
			eventType: verified.eventType,
			instanceId: verified.instanceId,
			accountInfo: verified.accountInfo as IDataObject | null,
			identity: verified.identity as IDataObject | null,
			event: event as IDataObject,
		},
	};
}
