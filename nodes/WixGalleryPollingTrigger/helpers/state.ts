import { createHash } from 'node:crypto';

import type { WixGallery, WixGalleryItem } from '../../shared/wix/proGallery/types';

/**
 * What the trigger saw at its last poll, kept in the node's static data. n8n loads, parses and saves the whole
 * static data with the workflow, so it is kept compact: per gallery a fingerprint of its fields and one string
 * of `<item id>:<version>` entries, the id of a GUID as 22 base64url characters instead of 36, the version the
 * item's `updatedDate` in base-36 milliseconds (8 characters instead of 24). 5,000 items take about 160 kB.
 */

export const STATE_KEY = 'pollState';
const STATE_VERSION = 1;

/** Which galleries are watched: every gallery, or the listed IDs. */
export type Selection = { all: true } | { all: false; ids: string[] };

export interface GalleryRecord {
	fingerprint: string;
	/** Item ID → version; absent while items are not tracked (no item event selected). */
	items?: Map<string, string>;
}

export interface PollState {
	selection: Selection;
	galleries: Map<string, GalleryRecord>;
}

interface StoredGallery {
	f: string;
	i?: string;
}

interface StoredState {
	v: number;
	/** `*` for all galleries, else the watched gallery IDs separated by commas. */
	sel: string;
	g: Record<string, StoredGallery>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Marks an ID kept as it is (URI-encoded, so that it cannot contain the separators). */
const RAW_ID = '~';

export function compactId(id: string): string {
	if (GUID.test(id)) return Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');
	return RAW_ID + encodeURIComponent(id);
}

export function expandId(compact: string): string {
	if (compact.startsWith(RAW_ID)) return decodeURIComponent(compact.slice(RAW_ID.length));
	const hex = Buffer.from(compact, 'base64url').toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** JSON with keys sorted, so that the same object always gives the same text. */
function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, entry]) => entry !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableJson(entry)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

export function shortHash(text: string, bytes = 6): string {
	return createHash('sha256').update(text).digest().subarray(0, bytes).toString('base64url');
}

/**
 * An item's version: its `updatedDate` (Wix refreshes it on every update), or, for an item without a readable
 * one (Wix leaves it out of some never-updated items), a hash of the whole item.
 */
export function itemVersion(item: WixGalleryItem): string {
	const updated = typeof item.updatedDate === 'string' ? Date.parse(item.updatedDate) : NaN;
	if (Number.isFinite(updated)) return updated.toString(36);
	return `#${shortHash(stableJson(item))}`;
}

/**
 * Galleries have no `updatedDate`, so a change is seen in their fields: everything but the items and their count
 * (which change with item events, not gallery events).
 */
export function galleryFingerprint(gallery: WixGallery): string {
	const fields: WixGallery = { ...gallery };
	delete fields.items;
	delete fields.totalItems;
	return shortHash(stableJson(fields));
}

function selectionKey(selection: Selection): string {
	return selection.all ? '*' : [...selection.ids].sort().join(',');
}

export function sameSelection(a: Selection, b: Selection): boolean {
	return selectionKey(a) === selectionKey(b);
}

export function isWatched(selection: Selection, galleryId: string): boolean {
	return selection.all || selection.ids.includes(galleryId);
}

export function encodeState(state: PollState): StoredState {
	const galleries: Record<string, StoredGallery> = {};
	for (const [galleryId, record] of state.galleries) {
		const stored: StoredGallery = { f: record.fingerprint };
		if (record.items) {
			stored.i = [...record.items]
				.map(([itemId, version]) => `${compactId(itemId)}:${version}`)
				.join(',');
		}
		galleries[galleryId] = stored;
	}
	return { v: STATE_VERSION, sel: selectionKey(state.selection), g: galleries };
}

/** The stored state, or undefined when there is none (first run) or it cannot be read (then it starts over). */
export function decodeState(stored: unknown): PollState | undefined {
	if (typeof stored !== 'object' || stored === null) return undefined;
	const { v, sel, g } = stored as Partial<StoredState>;
	if (v !== STATE_VERSION || typeof sel !== 'string' || typeof g !== 'object' || g === null) {
		return undefined;
	}
	const galleries = new Map<string, GalleryRecord>();
	for (const [galleryId, record] of Object.entries(g)) {
		const entry: GalleryRecord = { fingerprint: String(record.f) };
		if (typeof record.i === 'string') {
			entry.items = new Map();
			for (const pair of record.i ? record.i.split(',') : []) {
				const colon = pair.lastIndexOf(':');
				entry.items.set(expandId(pair.slice(0, colon)), pair.slice(colon + 1));
			}
		}
		galleries.set(galleryId, entry);
	}
	const selection: Selection =
		sel === '*' ? { all: true } : { all: false, ids: sel ? sel.split(',') : [] };
	return { selection, galleries };
}
