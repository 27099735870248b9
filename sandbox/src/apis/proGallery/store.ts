import type { CallerIdentity, SandboxContext } from '../../context';
import { invalidArgument, notFound } from '../../errors';
import type { MediaManagerModule } from '../mediaManager';
import {
	applyItemPatch,
	checkSortOrder,
	fieldViolation,
	pickItemFields,
	sentMediaFields,
} from './itemFields';
import { completeMedia } from './itemMedia';
import type { MediaLibrary } from './itemMedia';
import { clone, isObject } from './json';
import type { Gallery, GalleryItem, JsonObject, StoredGallery, StoredItem } from './types';

/**
 * Pro Gallery's galleries and items, and the operations of its API on them. Every change emits the gallery events of
 * docs/wix-api.md §1.6, including the cascade of a gallery delete.
 */

const GALLERY_FQDN = 'wix.pro_gallery.gallery_v2';

type ItemEventSlug = 'gallery_item_created' | 'gallery_item_updated' | 'gallery_item_deleted';

export interface ItemWindow {
	offset: number;
	limit: number;
}

function checkGalleryFields(input: JsonObject, prefix: string): void {
	if (input.name !== undefined && typeof input.name !== 'string')
		throw invalidArgument(`${prefix}.name`, 'must be a string');
	if (
		input.sortOrder !== undefined &&
		(typeof input.sortOrder !== 'number' || !Number.isFinite(input.sortOrder))
	) {
		throw invalidArgument(`${prefix}.sortOrder`, 'must be a number');
	}
}

export class ProGalleryStore {
	private context: SandboxContext | undefined;
	private galleries = new Map<string, StoredGallery>();
	private seq = 0;
	/** What completing media needs, read when an item is written. */
	readonly library: MediaLibrary = {
		mediaManager: () => this.mediaManager(),
		baseUrl: () => this.ctx.baseUrl(),
	};

	attach(context: SandboxContext): void {
		this.context = context;
	}

	private get ctx(): SandboxContext {
		if (!this.context) throw new Error('proGallery used before the sandbox registered it');
		return this.context;
	}

	reset(): void {
		this.galleries = new Map();
		this.seq = 0;
	}

	now(): number {
		return this.ctx.now();
	}

	mediaManager(): MediaManagerModule | undefined {
		try {
			return this.ctx.module<MediaManagerModule>('mediaManager');
		} catch {
			return undefined;
		}
	}

	/**
	 * A copy for responses, events and state. The initial seed runs before the server listens, when media URLs
	 * are still origin-relative (`/media/<id>`); they get the sandbox's origin here.
	 */
	output<T>(value: T): T {
		return JSON.parse(JSON.stringify(value), (_key, entry: unknown) =>
			typeof entry === 'string' && entry.startsWith('/media/') ? this.ctx.baseUrl() + entry : entry,
		);
	}

	/** Galleries in List Galleries order: by creation. */
	sortedGalleries(): StoredGallery[] {
		return [...this.galleries.values()].sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
	}

	/** Items in List Gallery Items order: by `sortOrder` (direction from config `itemOrder`), ties by creation. */
	orderedItems(gallery: StoredGallery): GalleryItem[] {
		const direction = this.ctx.config.itemOrder === 'desc' ? -1 : 1;
		return [...gallery.items.values()]
			.sort((a, b) => (a.item.sortOrder - b.item.sortOrder) * direction || a.seq - b.seq)
			.map(({ item }) => item);
	}

	/** The gallery as REST answers it, with the given window of its items (none for events). */
	galleryJson(gallery: StoredGallery, window?: ItemWindow): Gallery {
		const json: Gallery = {
			id: gallery.id,
			...(gallery.name !== undefined && { name: gallery.name }),
			totalItems: gallery.items.size,
			...(gallery.sortOrder !== undefined && { sortOrder: gallery.sortOrder }),
			createdDate: new Date(gallery.createdAt).toISOString(),
		};
		if (window) json.items = this.itemWindow(gallery, window);
		return json;
	}

	itemWindow(gallery: StoredGallery, window: ItemWindow): GalleryItem[] {
		return this.output(
			this.orderedItems(gallery).slice(window.offset, window.offset + window.limit),
		);
	}

	requireGallery(id: string): StoredGallery {
		const gallery = this.galleries.get(id);
		if (!gallery) throw notFound('Gallery', id);
		return gallery;
	}

	requireItem(gallery: StoredGallery, itemId: string): StoredItem {
		const stored = gallery.items.get(itemId);
		if (!stored) throw notFound('Gallery item', itemId);
		return stored;
	}

	createGalleryRecord(
		name: string | undefined,
		sortOrder: number | undefined,
		createdAt: number,
	): StoredGallery {
		const gallery: StoredGallery = {
			id: this.ctx.newId(),
			name,
			sortOrder,
			createdAt,
			seq: ++this.seq,
			items: new Map(),
		};
		this.galleries.set(gallery.id, gallery);
		return gallery;
	}

	/** Validates and stores a new item; the caller emits the event (creation inside a gallery create batches them). */
	addItem(gallery: StoredGallery, input: unknown, prefix: string): GalleryItem {
		if (!isObject(input)) throw fieldViolation(prefix, 'is required');
		const fields = pickItemFields(input);
		checkSortOrder(fields, `${prefix}.sortOrder`);
		completeMedia(fields, prefix, this.library);
		const now = this.ctx.now();
		const item = {
			id: this.ctx.newId(),
			sortOrder: fields.sortOrder ?? now,
			...fields,
			createdDate: new Date(now).toISOString(),
			updatedDate: new Date(now).toISOString(),
		} as GalleryItem;
		gallery.items.set(item.id, { item, seq: ++this.seq });
		return item;
	}

	/** Create Gallery, optionally as a clone of another gallery (its items first, then the given ones). */
	createGallery(
		input: JsonObject,
		cloneFromId: string | undefined,
		identity: CallerIdentity | null,
	): StoredGallery {
		checkGalleryFields(input, 'gallery');
		if (input.items !== undefined && !Array.isArray(input.items))
			throw invalidArgument('gallery.items', 'must be an array');
		const source = cloneFromId ? this.requireGallery(cloneFromId) : undefined;
		const inputItems: unknown[] = [
			...(source ? this.orderedItems(source) : []),
			...(input.items ?? []),
		];
		const itemInput = (item: unknown, index: number) => {
			const copy = isObject(item) ? clone(item) : item;
			// A clone gets new ids, sort orders and dates; its items keep the source's order through creation order.
			if (source && index < source.items.size && isObject(copy)) delete copy.sortOrder;
			return copy;
		};
		// Validate every item before anything is stored, so a bad item leaves no half-created gallery behind.
		const scratch: StoredGallery = { id: 'validation', createdAt: 0, seq: 0, items: new Map() };
		const savedSeq = this.seq;
		inputItems.forEach((item, index) =>
			this.addItem(scratch, itemInput(item, index), `gallery.items[${index}]`),
		);
		this.seq = savedSeq;
		const now = this.ctx.now();
		const gallery = this.createGalleryRecord(
			input.name ?? source?.name,
			input.sortOrder ?? now,
			now,
		);
		const created = inputItems.map((item, index) =>
			this.addItem(gallery, itemInput(item, index), `gallery.items[${index}]`),
		);
		this.emitGallery('created', gallery, identity);
		for (const item of created)
			this.emitItem('gallery_item_created', gallery.id, { item }, identity);
		return gallery;
	}

	updateGallery(
		gallery: StoredGallery,
		input: unknown,
		identity: CallerIdentity | null,
	): StoredGallery {
		if (!isObject(input)) throw fieldViolation('gallery', 'is required');
		checkGalleryFields(input, 'gallery');
		if (input.name !== undefined) gallery.name = input.name;
		if (input.sortOrder !== undefined) gallery.sortOrder = input.sortOrder;
		this.emitGallery('updated', gallery, identity);
		return gallery;
	}

	/** Deletes the gallery; each of its items gets its own delete event, `originatedFrom: "Gallery Deleted"`. */
	deleteGallery(gallery: StoredGallery, identity: CallerIdentity | null): void {
		this.galleries.delete(gallery.id);
		for (const item of this.orderedItems(gallery)) {
			this.emitItem(
				'gallery_item_deleted',
				gallery.id,
				{ itemId: item.id },
				identity,
				'Gallery Deleted',
			);
		}
		this.emitGallery('deleted', gallery, identity);
	}

	createItem(gallery: StoredGallery, input: unknown, identity: CallerIdentity | null): GalleryItem {
		const item = this.addItem(gallery, input, 'item');
		this.emitItem('gallery_item_created', gallery.id, { item }, identity);
		return item;
	}

	/** Update Gallery Item: merges a partial item; a media block sent is completed like on create. */
	updateItem(
		gallery: StoredGallery,
		stored: StoredItem,
		patch: unknown,
		identity: CallerIdentity | null,
	): GalleryItem {
		if (!isObject(patch)) throw fieldViolation('item', 'is required');
		const fields = pickItemFields(patch);
		checkSortOrder(fields, 'item.sortOrder');
		const sentMedia = sentMediaFields(fields);
		const next = applyItemPatch(clone(stored.item), fields, sentMedia);
		if (sentMedia.length > 0) completeMedia(next, 'item', this.library);
		next.id = stored.item.id;
		next.createdDate = stored.item.createdDate;
		next.updatedDate = new Date(
			Math.max(this.ctx.now(), Date.parse(stored.item.updatedDate) + 1),
		).toISOString();
		stored.item = JSON.parse(JSON.stringify(next));
		this.emitItem('gallery_item_updated', gallery.id, { updatedItem: stored.item }, identity);
		return stored.item;
	}

	/** Deletes the items that exist among `ids`; answers those. */
	deleteItems(gallery: StoredGallery, ids: string[], identity: CallerIdentity | null): string[] {
		const deleted: string[] = [];
		for (const id of ids) {
			if (!gallery.items.delete(id)) continue;
			deleted.push(id);
			this.emitItem('gallery_item_deleted', gallery.id, { itemId: id }, identity);
		}
		return deleted;
	}

	dump() {
		return {
			galleries: this.sortedGalleries().map((gallery) => ({
				...this.galleryJson(gallery),
				items: this.output(this.orderedItems(gallery)),
			})),
		};
	}

	private emitGallery(
		slug: 'created' | 'updated' | 'deleted',
		gallery: StoredGallery,
		identity: CallerIdentity | null,
	): void {
		const entity = this.galleryJson(gallery);
		this.ctx.emit({
			eventType: `${GALLERY_FQDN}_${slug}`,
			entityFqdn: GALLERY_FQDN,
			slug,
			entityId: gallery.id,
			...(slug === 'created' && { createdEvent: { entity } }),
			...(slug === 'updated' && { updatedEvent: { currentEntity: entity } }),
			...(slug === 'deleted' && { deletedEvent: {} }),
			identity,
		});
	}

	private emitItem(
		slug: ItemEventSlug,
		galleryId: string,
		body: JsonObject,
		identity: CallerIdentity | null,
		originatedFrom?: string,
	): void {
		this.ctx.emit({
			eventType: `${GALLERY_FQDN}_${slug}`,
			entityFqdn: GALLERY_FQDN,
			slug,
			// Item events are action events on the gallery: the item id lives in the body.
			entityId: galleryId,
			actionEvent: { body: this.output(body) },
			...(originatedFrom !== undefined && { originatedFrom }),
			identity,
		});
	}
}
