import type { IDataObject } from 'n8n-workflow';

import {
	GALLERY_EVENT_NAMES,
	GALLERY_EVENT_SLUGS,
	GALLERY_FQDN,
	galleryEventItem,
} from '../../shared/wix/proGallery/events';
import type { GalleryEventName } from '../../shared/wix/proGallery/events';
import type { WixGallery, WixGalleryItem } from '../../shared/wix/proGallery/types';
import type { ListedGallery } from './listing';
import { galleryFingerprint, isWatched, itemVersion, shortHash } from './state';
import type { GalleryRecord, PollState, Selection } from './state';

/** One change between two polls, before it is shaped into the trigger's output. */
export interface GalleryChange {
	event: GalleryEventName;
	galleryId: string;
	itemId: string | null;
	item?: WixGalleryItem;
	gallery?: WixGallery;
	/** When Wix says it happened (created / updated dates), else when the poll saw it. */
	time: string;
	/** The version of the entity the change is about: the same change seen twice gets the same event ID. */
	version: string;
	originatedFrom: string | null;
}

function recordOf(listed: ListedGallery): GalleryRecord {
	const record: GalleryRecord = { fingerprint: galleryFingerprint(listed.gallery) };
	if (listed.items) {
		record.items = new Map(
			listed.items
				.filter((item) => typeof item.id === 'string')
				.map((item) => [item.id as string, itemVersion(item)]),
		);
	}
	return record;
}

function galleryCreated(
	listed: ListedGallery,
	record: GalleryRecord,
	detectedAt: string,
): GalleryChange[] {
	const galleryId = listed.gallery.id as string;
	const changes: GalleryChange[] = [
		{
			event: 'galleryCreated',
			galleryId,
			itemId: null,
			gallery: listed.gallery,
			time: listed.gallery.createdDate ?? detectedAt,
			version: record.fingerprint,
			originatedFrom: null,
		},
	];
	for (const item of listed.items ?? []) {
		if (typeof item.id !== 'string') continue;
		changes.push({
			event: 'galleryItemCreated',
			galleryId,
			itemId: item.id,
			item,
			time: item.createdDate ?? detectedAt,
			version: record.items?.get(item.id) ?? '',
			originatedFrom: null,
		});
	}
	return changes;
}

function itemChanges(
	galleryId: string,
	before: Map<string, string>,
	items: WixGalleryItem[],
	now: Map<string, string>,
	detectedAt: string,
): GalleryChange[] {
	const changes: GalleryChange[] = [];
	for (const item of items) {
		if (typeof item.id !== 'string') continue;
		const version = now.get(item.id) as string;
		const previous = before.get(item.id);
		if (previous === version) continue;
		// An item created and then changed between two polls is one creation, with its current content.
		const created = previous === undefined;
		changes.push({
			event: created ? 'galleryItemCreated' : 'galleryItemUpdated',
			galleryId,
			itemId: item.id,
			item,
			time: (created ? item.createdDate : item.updatedDate) ?? detectedAt,
			version,
			originatedFrom: null,
		});
	}
	for (const [itemId, version] of before) {
		if (now.has(itemId)) continue;
		changes.push({
			event: 'galleryItemDeleted',
			galleryId,
			itemId,
			time: detectedAt,
			version,
			originatedFrom: null,
		});
	}
	return changes;
}

/** Gallery Deleted comes after the deletions of its items, as Wix sends the webhooks. */
const EVENT_RANK: Record<GalleryEventName, number> = {
	galleryCreated: 0,
	galleryUpdated: 1,
	galleryItemCreated: 2,
	galleryItemUpdated: 3,
	galleryItemDeleted: 4,
	galleryDeleted: 5,
};

function timeOf(change: GalleryChange): number {
	const time = Date.parse(change.time);
	return Number.isFinite(time) ? time : Number.MAX_SAFE_INTEGER;
}

/** Oldest first; at the same time by event, gallery ID and item ID, so that the order never depends on Wix's. */
export function sortChanges(changes: GalleryChange[]): GalleryChange[] {
	const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
	return [...changes].sort(
		(a, b) =>
			timeOf(a) - timeOf(b) ||
			EVENT_RANK[a.event] - EVENT_RANK[b.event] ||
			text(a.galleryId, b.galleryId) ||
			text(a.itemId ?? '', b.itemId ?? ''),
	);
}

/**
 * What changed since the previous poll, and the state to keep for the next one. Without a previous state (first
 * run) everything listed is taken as it is, and reported as created only with `reportExisting`. A gallery that
 * was not watched before (the selection changed) is taken as it is too. Deletions come only from `listing`, which
 * must be complete: a gallery or item is deleted when it is no longer in it.
 */
export function findChanges(
	previous: PollState | undefined,
	listing: ListedGallery[],
	selection: Selection,
	options: { reportExisting: boolean; detectedAt: string },
): { changes: GalleryChange[]; next: PollState } {
	const { detectedAt } = options;
	const next: PollState = { selection, galleries: new Map() };
	const changes: GalleryChange[] = [];
	for (const listed of listing) {
		const galleryId = listed.gallery.id as string;
		const record = recordOf(listed);
		next.galleries.set(galleryId, record);
		const before = previous?.galleries.get(galleryId);
		if (!before) {
			const created = previous ? isWatched(previous.selection, galleryId) : options.reportExisting;
			if (created) changes.push(...galleryCreated(listed, record, detectedAt));
			continue;
		}
		if (before.fingerprint !== record.fingerprint) {
			changes.push({
				event: 'galleryUpdated',
				galleryId,
				itemId: null,
				gallery: listed.gallery,
				time: detectedAt,
				version: record.fingerprint,
				originatedFrom: null,
			});
		}
		// Items of a gallery whose items were not tracked before are taken as they are.
		if (before.items && record.items) {
			changes.push(
				...itemChanges(galleryId, before.items, listed.items ?? [], record.items, detectedAt),
			);
		}
	}
	for (const [galleryId, before] of previous?.galleries ?? []) {
		if (next.galleries.has(galleryId) || !isWatched(selection, galleryId)) continue;
		for (const [itemId, version] of before.items ?? []) {
			changes.push({
				event: 'galleryItemDeleted',
				galleryId,
				itemId,
				time: detectedAt,
				version,
				originatedFrom: 'Gallery Deleted',
			});
		}
		changes.push({
			event: 'galleryDeleted',
			galleryId,
			itemId: null,
			time: detectedAt,
			version: before.fingerprint,
			originatedFrom: null,
		});
	}
	return { changes: sortChanges(changes), next };
}

function latestTime(...dates: Array<string | undefined>): number {
	return Math.max(...dates.map((date) => (date ? Date.parse(date) : NaN)).filter(Number.isFinite));
}

function firstSelected(
	selected: GalleryEventName[],
	preferred: GalleryEventName[],
): GalleryEventName | undefined {
	return preferred.find((event) => selected.includes(event));
}

/**
 * For n8n's "Fetch Test Event": the newest item (by its updated or created date) as an event of a selected item
 * type, else the newest gallery as a gallery event; none when the watched galleries are empty.
 */
export function sampleChange(
	listing: ListedGallery[],
	selected: GalleryEventName[],
	detectedAt: string,
): GalleryChange | undefined {
	const itemEvent = firstSelected(selected, [
		'galleryItemUpdated',
		'galleryItemCreated',
		'galleryItemDeleted',
	]);
	const candidates = listing.flatMap((listed) =>
		(listed.items ?? []).map((item) => ({ listed, item })),
	);
	const newest = candidates
		.filter(({ item }) => typeof item.id === 'string')
		.sort(
			(a, b) =>
				latestTime(b.item.updatedDate, b.item.createdDate) -
					latestTime(a.item.updatedDate, a.item.createdDate) ||
				String(a.item.id).localeCompare(String(b.item.id)),
		)[0];
	if (itemEvent && newest) {
		const { item, listed } = newest;
		const neverUpdated = !item.updatedDate || item.updatedDate === item.createdDate;
		const event =
			neverUpdated && selected.includes('galleryItemCreated') ? 'galleryItemCreated' : itemEvent;
		return {
			event,
			galleryId: listed.gallery.id as string,
			itemId: item.id as string,
			item: event === 'galleryItemDeleted' ? undefined : item,
			time: (event === 'galleryItemUpdated' ? item.updatedDate : item.createdDate) ?? detectedAt,
			version: itemVersion(item),
			originatedFrom: null,
		};
	}
	const galleryEvent = firstSelected(selected, [
		'galleryCreated',
		'galleryUpdated',
		'galleryDeleted',
	]);
	const gallery = [...listing].sort(
		(a, b) => latestTime(b.gallery.createdDate) - latestTime(a.gallery.createdDate),
	)[0]?.gallery;
	if (!galleryEvent || !gallery) return undefined;
	return {
		event: galleryEvent,
		galleryId: gallery.id as string,
		itemId: null,
		gallery: galleryEvent === 'galleryDeleted' ? undefined : gallery,
		time: (galleryEvent === 'galleryCreated' ? gallery.createdDate : undefined) ?? detectedAt,
		version: galleryFingerprint(gallery),
		originatedFrom: null,
	};
}

/** A stable event ID in GUID form: the same change (entity and version) always gets the same one. */
function eventIdOf(change: GalleryChange): string {
	const hex = Buffer.from(
		shortHash(`${change.event}|${change.galleryId}|${change.itemId ?? ''}|${change.version}`, 16),
		'base64url',
	).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The webhook trigger's output fields; what only a webhook carries (who made the change) is null. */
export function changeToOutput(
	change: GalleryChange,
	context: { instanceId: string | null; detectedAt: string },
): IDataObject {
	return galleryEventItem({
		event: change.event,
		eventType: `${GALLERY_FQDN}_${GALLERY_EVENT_SLUGS[change.event]}`,
		eventId: eventIdOf(change),
		eventTime: change.time,
		instanceId: context.instanceId,
		galleryId: change.galleryId,
		itemId: change.itemId,
		item: change.item,
		gallery: change.gallery,
		originatedFrom: change.originatedFrom,
		identity: null,
		stale: false,
		raw: { source: 'poll', detectedAt: context.detectedAt },
	});
}

export function isGalleryEventName(value: unknown): value is GalleryEventName {
	return GALLERY_EVENT_NAMES.includes(value as GalleryEventName);
}
