import type { IDataObject } from 'n8n-workflow';

import {
	GALLERY_EVENT_SLUGS,
	GALLERY_FQDN,
	galleryEventItem,
	isItemEvent,
} from '../../shared/wix/proGallery/events';
import type { GalleryEventName } from '../../shared/wix/proGallery/events';
import type { WixGallery, WixGalleryItem } from '../../shared/wix/proGallery/types';
import type { JsonObject, VerifiedWixWebhook } from './verify';

export type { GalleryEventName } from '../../shared/wix/proGallery/events';

const EVENT_BY_SLUG = Object.fromEntries(
	Object.entries(GALLERY_EVENT_SLUGS).map(([name, slug]) => [slug, name as GalleryEventName]),
) as Record<string, GalleryEventName>;

/** The Pro Gallery entity's FQDN: the current docs' text, and the spelling of their example payload and of 2023. */
const GALLERY_FQDNS = [GALLERY_FQDN, 'wix.pro_gallery.v2.gallery'];

/**
 * Every event type Wix has used for these events: `<fqdn>_<slug>` for both FQDN spellings (current
 * `wix.pro_gallery.gallery_v2_gallery_item_created`, 2023 `wix.pro_gallery.v2.gallery_gallery_item_created`).
 */
const EVENT_BY_TYPE = new Map<string, GalleryEventName>(
	GALLERY_FQDNS.flatMap((fqdn) =>
		Object.entries(EVENT_BY_SLUG).map(([slug, name]) => [`${fqdn}_${slug}`, name] as const),
	),
);

function ownValue<T>(table: Record<string, T>, key: unknown): T | undefined {
	return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key)
		? table[key]
		: undefined;
}

/**
 * Which Pro Gallery event a delivery is, by exact names only (a comment or like event on an item, whose names
 * share a suffix with these, is none of them): the event type, else the event's FQDN and slug (the fallback
 * covers an event type spelled in a way not seen yet, as long as the FQDN is one of the known two).
 */
export function galleryEventName(verified: VerifiedWixWebhook): GalleryEventName | undefined {
	const { eventType, event } = verified;
	const byType = EVENT_BY_TYPE.get(eventType);
	if (byType) return byType;
	if (typeof event.entityFqdn === 'string' && GALLERY_FQDNS.includes(event.entityFqdn)) {
		return ownValue(EVENT_BY_SLUG, event.slug);
	}
	return undefined;
}

function asObject(value: unknown): JsonObject | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as JsonObject)
		: undefined;
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

	let item: WixGalleryItem | undefined;
	let gallery: JsonObject | undefined;
	let itemId: string | null = null;
	if (isItemEvent(eventName)) {
		item = (asObject(body.item) ??
			asObject(body.updatedItem) ??
			asObject(event.createdEvent?.entity) ??
			asObject(event.updatedEvent?.currentEntity)) as WixGalleryItem | undefined;
		const rawItemId = item?.id ?? (item as JsonObject | undefined)?._id ?? body.itemId;
		itemId = typeof rawItemId === 'string' ? rawItemId : null;
	} else {
		gallery = asObject(event.createdEvent?.entity) ?? asObject(event.updatedEvent?.currentEntity);
	}

	return galleryEventItem({
		event: eventName,
		eventType: verified.eventType,
		eventId: event.id,
		eventTime: event.eventTime,
		instanceId: verified.instanceId,
		galleryId: event.entityId,
		itemId,
		item,
		gallery: gallery as WixGallery | undefined,
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
	});
}
