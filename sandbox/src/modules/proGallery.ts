import {
	invalidArgument,
	notFound,
	WixHttpError,
	type CallerIdentity,
	type SandboxContext,
	type SandboxModule,
	type SandboxRequest,
	type SeedName,
} from '../context';
import { pngImage } from '../lib/mediaBytes';
import { readSandboxAsset, type FileDescriptor, type MediaManagerModule } from './mediaManager';

/**
 * Wix Pro Gallery REST API v2 (docs/wix-api.md §1): galleries and their items under both `/pro-gallery/v2` and the
 * legacy `/progallery/v2` (which the official SDK uses), with Wix's paging limits, one-of validation, the
 * Media Manager readiness rule for images and videos, and the six gallery events.
 */

const BASES = ['/pro-gallery/v2', '/progallery/v2'];
const GALLERY_FQDN = 'wix.pro_gallery.gallery_v2';
const BULK_DELETE_MAX_IDS = 100;
const ITEM_FIELDS = [
	'sortOrder',
	'title',
	'description',
	'link',
	'image',
	'video',
	'text',
	'tags',
	'secondaryMedia',
];
const MEDIA_FIELDS = ['image', 'video', 'text'] as const;

type JsonObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- items are free-form Wix JSON

export interface GalleryItem extends JsonObject {
	id: string;
	sortOrder: number;
	type: 'IMAGE' | 'VIDEO' | 'TEXT';
	createdDate: string;
	updatedDate: string;
}

export interface Gallery {
	id: string;
	name?: string;
	totalItems: number;
	sortOrder?: number;
	createdDate: string;
	items?: GalleryItem[];
}

interface StoredItem {
	item: GalleryItem;
	/** Breaks sortOrder ties by creation. */
	seq: number;
}

interface StoredGallery {
	id: string;
	name?: string;
	sortOrder?: number;
	createdAt: number;
	seq: number;
	items: Map<string, StoredItem>;
}

export interface ProGalleryModule extends SandboxModule {
	/** Every gallery with all its items, in List Galleries / List Gallery Items order. */
	dump(): { galleries: Array<Gallery & { items: GalleryItem[] }> };
}

const clone = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge for partial updates: objects merge key by key, anything else (arrays included) replaces. */
function merge(target: JsonObject, patch: JsonObject): JsonObject {
	const result: JsonObject = { ...target };
	for (const [key, value] of Object.entries(patch)) {
		result[key] =
			isObject(value) && isObject(result[key]) ? merge(result[key], value) : clone(value);
	}
	return result;
}

function integerParam(
	req: SandboxRequest,
	name: string,
	fallback: number,
	range: { min: number; max?: number },
): number {
	const text = req.query.get(name);
	if (text === null || text === '') return fallback;
	const value = Number(text);
	if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
		throw invalidArgument(name, 'must be an integer');
	}
	if (value < range.min) throw invalidArgument(name, `must be at least ${range.min}`, 'MIN');
	if (range.max !== undefined && value > range.max) {
		throw invalidArgument(name, `must be at most ${range.max}`, 'MAX');
	}
	return value;
}

function fieldViolation(field: string, description: string): WixHttpError {
	return invalidArgument(field, description, 'REQUIRED_FIELD');
}

export function createProGalleryModule(): ProGalleryModule {
	let context: SandboxContext | undefined;
	let galleries = new Map<string, StoredGallery>();
	let seq = 0;

	const ctx = (): SandboxContext => {
		if (!context) throw new Error('proGallery used before the sandbox registered it');
		return context;
	};
	const iso = (ms: number) => new Date(ms).toISOString();

	/**
	 * A copy for responses, events and state. The initial seed runs before the server listens, when media URLs
	 * are still origin-relative (`/media/<id>`); they get the sandbox's origin here.
	 */
	function output<T>(value: T): T {
		return JSON.parse(JSON.stringify(value), (_key, entry: unknown) =>
			typeof entry === 'string' && entry.startsWith('/media/') ? ctx().baseUrl() + entry : entry,
		);
	}

	function mediaManager(): MediaManagerModule | undefined {
		try {
			return ctx().module<MediaManagerModule>('mediaManager');
		} catch {
			return undefined;
		}
	}

	function orderedItems(gallery: StoredGallery): GalleryItem[] {
		const direction = ctx().config.itemOrder === 'desc' ? -1 : 1;
		return [...gallery.items.values()]
			.sort((a, b) => (a.item.sortOrder - b.item.sortOrder) * direction || a.seq - b.seq)
			.map(({ item }) => item);
	}

	function galleryJson(
		gallery: StoredGallery,
		window?: { offset: number; limit: number },
	): Gallery {
		const json: Gallery = {
			id: gallery.id,
			...(gallery.name !== undefined && { name: gallery.name }),
			totalItems: gallery.items.size,
			...(gallery.sortOrder !== undefined && { sortOrder: gallery.sortOrder }),
			createdDate: iso(gallery.createdAt),
		};
		if (window)
			json.items = output(orderedItems(gallery).slice(window.offset, window.offset + window.limit));
		return json;
	}

	function requireGallery(id: string): StoredGallery {
		const gallery = galleries.get(id);
		if (!gallery) throw notFound('Gallery', id);
		return gallery;
	}

	function requireItem(gallery: StoredGallery, itemId: string): StoredItem {
		const stored = gallery.items.get(itemId);
		if (!stored) throw notFound('Gallery item', itemId);
		return stored;
	}

	function emitGallery(
		slug: 'created' | 'updated' | 'deleted',
		gallery: StoredGallery,
		identity: CallerIdentity | null,
	): void {
		const entity = galleryJson(gallery);
		ctx().emit({
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

	function emitItem(
		slug: 'gallery_item_created' | 'gallery_item_updated' | 'gallery_item_deleted',
		galleryId: string,
		body: JsonObject,
		identity: CallerIdentity | null,
		originatedFrom?: string,
	): void {
		ctx().emit({
			eventType: `${GALLERY_FQDN}_${slug}`,
			entityFqdn: GALLERY_FQDN,
			slug,
			// Item events are action events on the gallery: the item id lives in the body.
			entityId: galleryId,
			actionEvent: { body: output(body) },
			...(originatedFrom !== undefined && { originatedFrom }),
			identity,
		});
	}

	/** A Media Manager file an item refers to, which must have finished processing. */
	function readyMediaFile(
		field: string,
		id: string,
		expected: 'IMAGE' | 'VIDEO',
	): FileDescriptor | undefined {
		const file = mediaManager()?.getFile(id);
		if (!file) return undefined;
		if (file.operationStatus !== 'READY') {
			throw new WixHttpError(
				400,
				`Media file ${id} is not ready (operationStatus ${file.operationStatus}); wait until it is READY before adding it to a gallery`,
				{
					validationError: {
						fieldViolations: [
							{
								field,
								description: `media file ${id} is ${file.operationStatus}, not READY; wait until processing is done`,
								violatedRule: 'FORMAT',
								ruleName: 'MEDIA_NOT_READY',
							},
						],
					},
				},
			);
		}
		if (file.mediaType !== expected) {
			throw invalidArgument(field, `refers to a ${file.mediaType} file, not an ${expected} file`);
		}
		return file;
	}

	/** Checks the one-of rule and completes Wix Media references from the Media Manager, as Wix does on write. */
	function completeMedia(item: JsonObject, prefix: string): void {
		const present = MEDIA_FIELDS.filter((key) => item[key] !== undefined && item[key] !== null);
		if (present.length === 0) {
			throw fieldViolation(prefix, 'must have one of image, video or text');
		}
		if (present.length > 1) {
			throw invalidArgument(
				prefix,
				`must have only one of image, video or text (got ${present.join(', ')})`,
			);
		}
		const kind = present[0];
		for (const other of MEDIA_FIELDS) if (other !== kind) delete item[other];
		const media = item[kind];
		if (!isObject(media)) throw invalidArgument(`${prefix}.${kind}`, 'must be an object');
		if (kind === 'image') {
			const info = media.imageInfo;
			if (!isObject(info))
				throw fieldViolation(`${prefix}.image.imageInfo`, 'is required for image items');
			if (typeof info.id !== 'string' || info.id === '') {
				throw fieldViolation(`${prefix}.image.imageInfo.id`, 'is required for image items');
			}
			media.type ??= 'WIX_MEDIA';
			const file = readyMediaFile(`${prefix}.image.imageInfo.id`, info.id, 'IMAGE');
			const image = file?.media && 'image' in file.media ? file.media.image.image : undefined;
			if (image) {
				// The SDK sends its wix:image URI as `url`; Wix answers with the static URL of the file.
				if (typeof info.url !== 'string' || !/^https?:/.test(info.url)) info.url = image.url;
				info.width ??= image.width;
				info.height ??= image.height;
				info.filename ??= image.filename;
			} else if (typeof info.url !== 'string' || info.url === '') {
				info.url = mediaManager()?.fileUrl(info.id) ?? `${ctx().baseUrl()}/media/${info.id}`;
			}
			item.type = 'IMAGE';
		} else if (kind === 'video') {
			const info = media.videoInfo;
			if (!isObject(info))
				throw fieldViolation(`${prefix}.video.videoInfo`, 'is required for video items');
			const hasId = typeof info.id === 'string' && info.id !== '';
			if (!hasId && (typeof info.url !== 'string' || info.url === '')) {
				throw fieldViolation(
					`${prefix}.video.videoInfo`,
					'needs an id (Wix video) or a url (YouTube, Vimeo)',
				);
			}
			if (media.type === undefined) {
				const url = String(info.url ?? '');
				media.type = hasId
					? 'WIX_MEDIA'
					: /youtu/.test(url)
						? 'YOUTUBE'
						: /vimeo/.test(url)
							? 'VIMEO'
							: 'UNDEFINED';
			}
			const file = hasId
				? readyMediaFile(`${prefix}.video.videoInfo.id`, info.id, 'VIDEO')
				: undefined;
			const video = file?.media && 'video' in file.media ? file.media.video : undefined;
			if (video) {
				if (typeof info.url !== 'string' || !/^https?:/.test(info.url)) info.url = video.url;
				info.filename ??= video.filename;
				if (!Array.isArray(info.resolutions) || info.resolutions.length === 0)
					info.resolutions = clone(video.resolutions);
				if (!Array.isArray(info.posters) || info.posters.length === 0 || !info.posters[0].url) {
					info.posters = clone(video.posters);
				}
			}
			item.type = 'VIDEO';
		} else {
			if (typeof media.html !== 'string' || media.html === '') {
				throw fieldViolation(`${prefix}.text.html`, 'is required for text items');
			}
			item.type = 'TEXT';
		}
	}

	function pickItemFields(source: JsonObject): JsonObject {
		const picked: JsonObject = {};
		for (const key of ITEM_FIELDS) if (source[key] !== undefined) picked[key] = clone(source[key]);
		return picked;
	}

	/** Validates and stores a new item; the caller emits the event (creation inside a gallery create batches them). */
	function addItem(gallery: StoredGallery, input: unknown, prefix: string): GalleryItem {
		if (!isObject(input)) throw fieldViolation(prefix, 'is required');
		const fields = pickItemFields(input);
		if (
			fields.sortOrder !== undefined &&
			(typeof fields.sortOrder !== 'number' || !Number.isFinite(fields.sortOrder))
		) {
			throw invalidArgument(`${prefix}.sortOrder`, 'must be a number');
		}
		completeMedia(fields, prefix);
		const now = ctx().now();
		const item = {
			id: ctx().newId(),
			sortOrder: fields.sortOrder ?? now,
			...fields,
			createdDate: iso(now),
			updatedDate: iso(now),
		} as GalleryItem;
		gallery.items.set(item.id, { item, seq: ++seq });
		return item;
	}

	function createGalleryRecord(
		name: string | undefined,
		sortOrder: number | undefined,
		createdAt: number,
	) {
		const gallery: StoredGallery = {
			id: ctx().newId(),
			name,
			sortOrder,
			createdAt,
			seq: ++seq,
			items: new Map(),
		};
		galleries.set(gallery.id, gallery);
		return gallery;
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

	// --- handlers -----------------------------------------------------------------------------------------------

	function listGalleries(req: SandboxRequest) {
		const offset = integerParam(req, 'offset', 0, { min: 0 });
		const limit = integerParam(req, 'limit', 10, { min: 1, max: 10 });
		const itemLimit = integerParam(req, 'itemLimit', 10, { min: 1, max: 100 });
		const sorted = [...galleries.values()].sort(
			(a, b) => a.createdAt - b.createdAt || a.seq - b.seq,
		);
		return {
			body: {
				totalGalleries: sorted.length,
				galleries: sorted
					.slice(offset, offset + limit)
					.map((g) => galleryJson(g, { offset: 0, limit: itemLimit })),
			},
		};
	}

	function itemWindow(req: SandboxRequest) {
		return {
			offset: integerParam(req, 'itemOffset', 0, { min: 0 }),
			limit: integerParam(req, 'itemLimit', 50, { min: 1, max: 100 }),
		};
	}

	function getGallery(req: SandboxRequest) {
		const window = itemWindow(req);
		return { body: { gallery: galleryJson(requireGallery(req.params.galleryId), window) } };
	}

	function createGallery(req: SandboxRequest) {
		const body = req.json() ?? {};
		const input: JsonObject = isObject(body.gallery) ? body.gallery : {};
		checkGalleryFields(input, 'gallery');
		if (input.items !== undefined && !Array.isArray(input.items))
			throw invalidArgument('gallery.items', 'must be an array');
		const cloneFromId =
			typeof body.cloneFromGalleryId === 'string' && body.cloneFromGalleryId !== ''
				? body.cloneFromGalleryId
				: undefined;
		const source = cloneFromId ? requireGallery(cloneFromId) : undefined;
		const inputItems: unknown[] = [...(source ? orderedItems(source) : []), ...(input.items ?? [])];
		// Validate every item before anything is stored, so a bad item leaves no half-created gallery behind.
		const scratch: StoredGallery = { id: 'validation', createdAt: 0, seq: 0, items: new Map() };
		const savedSeq = seq;
		inputItems.forEach((item, index) => {
			const copy = isObject(item) ? clone(item) : item;
			// A clone gets new ids, sort orders and dates; its items keep the source's order through creation order.
			if (source && index < source.items.size && isObject(copy)) delete copy.sortOrder;
			addItem(scratch, copy, `gallery.items[${index}]`);
		});
		seq = savedSeq;
		const now = ctx().now();
		const gallery = createGalleryRecord(input.name ?? source?.name, input.sortOrder ?? now, now);
		const created = inputItems.map((item, index) => {
			const copy = isObject(item) ? clone(item) : item;
			if (source && index < source.items.size && isObject(copy)) delete copy.sortOrder;
			return addItem(gallery, copy, `gallery.items[${index}]`);
		});
		emitGallery('created', gallery, req.identity);
		for (const item of created)
			emitItem('gallery_item_created', gallery.id, { item }, req.identity);
		return { body: { gallery: galleryJson(gallery, { offset: 0, limit: 50 }) } };
	}

	function updateGallery(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		const input = req.json()?.gallery;
		if (!isObject(input)) throw fieldViolation('gallery', 'is required');
		checkGalleryFields(input, 'gallery');
		if (input.name !== undefined) gallery.name = input.name;
		if (input.sortOrder !== undefined) gallery.sortOrder = input.sortOrder;
		emitGallery('updated', gallery, req.identity);
		return { body: { gallery: galleryJson(gallery, { offset: 0, limit: 50 }) } };
	}

	function deleteGallery(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		galleries.delete(gallery.id);
		for (const item of orderedItems(gallery)) {
			emitItem(
				'gallery_item_deleted',
				gallery.id,
				{ itemId: item.id },
				req.identity,
				'Gallery Deleted',
			);
		}
		emitGallery('deleted', gallery, req.identity);
		return { body: { galleryId: gallery.id } };
	}

	function listGalleryItems(req: SandboxRequest) {
		const window = itemWindow(req);
		const gallery = requireGallery(req.params.galleryId);
		return {
			body: {
				items: output(orderedItems(gallery).slice(window.offset, window.offset + window.limit)),
			},
		};
	}

	function getGalleryItem(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		return { body: { item: output(requireItem(gallery, req.params.itemId).item) } };
	}

	function createGalleryItem(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		const item = addItem(gallery, req.json()?.item, 'item');
		emitItem('gallery_item_created', gallery.id, { item }, req.identity);
		return { body: { item: output(item) } };
	}

	function updateGalleryItem(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		const stored = requireItem(gallery, req.params.itemId);
		const patch = req.json()?.item;
		if (!isObject(patch)) throw fieldViolation('item', 'is required');
		const fields = pickItemFields(patch);
		if (
			fields.sortOrder !== undefined &&
			(typeof fields.sortOrder !== 'number' || !Number.isFinite(fields.sortOrder))
		) {
			throw invalidArgument('item.sortOrder', 'must be a number');
		}
		const sentMedia = MEDIA_FIELDS.filter(
			(key) => fields[key] !== undefined && fields[key] !== null,
		);
		if (sentMedia.length > 1) {
			throw invalidArgument(
				'item',
				`must have only one of image, video or text (got ${sentMedia.join(', ')})`,
			);
		}
		const current: JsonObject = clone(stored.item);
		const next: JsonObject = { ...current };
		for (const [key, value] of Object.entries(fields)) {
			if (key === 'link' || key === 'tags') next[key] = value;
			else if (sentMedia.includes(key as (typeof MEDIA_FIELDS)[number])) {
				const sameKind = isObject(current[key]);
				const mediaPatch: JsonObject = value;
				// A different file replaces the whole reference: the old url and size belong to the old file.
				const newReference =
					(key === 'image' &&
						isObject(mediaPatch.imageInfo) &&
						mediaPatch.imageInfo.id !== current.image?.imageInfo?.id) ||
					(key === 'video' &&
						isObject(mediaPatch.videoInfo) &&
						mediaPatch.videoInfo.id !== current.video?.videoInfo?.id);
				if (!sameKind) next[key] = value;
				else if (newReference) {
					const infoKey = key === 'image' ? 'imageInfo' : 'videoInfo';
					next[key] = merge({ ...current[key], [infoKey]: undefined }, mediaPatch);
				} else next[key] = merge(current[key], mediaPatch);
				for (const other of MEDIA_FIELDS) if (other !== key) delete next[other];
			} else
				next[key] = isObject(value) && isObject(current[key]) ? merge(current[key], value) : value;
		}
		if (sentMedia.length > 0) completeMedia(next, 'item');
		next.id = stored.item.id;
		next.createdDate = stored.item.createdDate;
		next.updatedDate = iso(Math.max(ctx().now(), Date.parse(stored.item.updatedDate) + 1));
		stored.item = JSON.parse(JSON.stringify(next));
		emitItem('gallery_item_updated', gallery.id, { updatedItem: stored.item }, req.identity);
		return { body: { item: output(stored.item) } };
	}

	function deleteItems(
		gallery: StoredGallery,
		ids: string[],
		identity: CallerIdentity | null,
	): string[] {
		const deleted: string[] = [];
		for (const id of ids) {
			if (!gallery.items.delete(id)) continue;
			deleted.push(id);
			emitItem('gallery_item_deleted', gallery.id, { itemId: id }, identity);
		}
		return deleted;
	}

	function deleteGalleryItem(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		requireItem(gallery, req.params.itemId);
		deleteItems(gallery, [req.params.itemId], req.identity);
		return { body: { itemId: req.params.itemId } };
	}

	function deleteGalleryItems(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		const ids = req.query.getAll('itemsIds');
		if (ids.length > BULK_DELETE_MAX_IDS) {
			throw invalidArgument('itemsIds', `must contain at most ${BULK_DELETE_MAX_IDS} ids`, 'MAX');
		}
		deleteItems(gallery, ids, req.identity);
		return { body: { gallery: galleryJson(gallery, { offset: 0, limit: 50 }) } };
	}

	function bulkDeleteGalleryItems(req: SandboxRequest) {
		const gallery = requireGallery(req.params.galleryId);
		const ids = req.json()?.itemIds;
		if (!Array.isArray(ids)) throw fieldViolation('itemIds', 'is required');
		if (ids.some((id) => typeof id !== 'string'))
			throw invalidArgument('itemIds', 'must be a list of strings');
		if (ids.length > BULK_DELETE_MAX_IDS) {
			throw invalidArgument('itemIds', `must contain at most ${BULK_DELETE_MAX_IDS} ids`, 'MAX');
		}
		return { body: { itemIds: deleteItems(gallery, ids, req.identity) } };
	}

	// --- seed ---------------------------------------------------------------------------------------------------

	function seedDefault(): void {
		const media = mediaManager();
		if (!media) return;
		const png = (name: string, width: number, height: number, seed: number) =>
			media.addFile({ bytes: seededPng(width, height, seed), displayName: name, ready: true });
		const jpg = media.addFile({
			bytes: readSandboxAsset('sample.jpg'),
			displayName: 'studio-session.jpg',
			ready: true,
		});
		const mp4 = readSandboxAsset('sample.mp4');
		const video1 = media.addFile({
			bytes: mp4,
			displayName: 'desk-lamp-turntable.mp4',
			ready: true,
		});
		const video2 = media.addFile({
			bytes: mp4,
			displayName: 'ceramic-mug-closeup.mp4',
			ready: true,
		});

		const imageItem = (file: FileDescriptor, extra: JsonObject): JsonObject => ({
			...extra,
			image: { imageInfo: { id: file.id, altText: extra.title } },
		});
		const videoItem = (file: FileDescriptor, extra: JsonObject): JsonObject => ({
			...extra,
			video: { videoInfo: { id: file.id } },
		});
		const day = 86_400_000;
		const now = ctx().now();
		const seedGallery = (name: string, daysAgo: number, items: JsonObject[]) => {
			const createdAt = now - daysAgo * day;
			const gallery = createGalleryRecord(name, createdAt, createdAt);
			items.forEach((input, index) => {
				const item = addItem(gallery, { sortOrder: createdAt + index * 1000, ...input }, 'item');
				item.createdDate = item.updatedDate = new Date(createdAt + index * 1000).toISOString();
			});
		};

		seedGallery('Summer 2026', 30, [
			imageItem(png('beach-sunset.png', 360, 240, 11), {
				title: 'Beach at sunset',
				description: 'Golden hour on the north shore',
				tags: { values: ['beach', 'sunset'] },
				link: {
					type: 'EXTERNAL',
					text: 'Full story',
					url: 'https://example.com/blog/summer-2026',
					target: '_blank',
				},
			}),
			imageItem(png('harbour-boats.png', 320, 240, 12), {
				title: 'Harbour boats',
				description: 'Fishing boats at the old harbour',
				tags: { values: ['harbour', 'boats'] },
			}),
			imageItem(png('mountain-trail.png', 240, 360, 13), {
				title: 'Mountain trail',
				tags: { values: ['hiking'] },
			}),
			imageItem(png('picnic.png', 300, 300, 14), {
				title: 'Picnic in the park',
				description: 'Friends, fruit and a very old blanket',
				tags: { values: ['friends', 'park'] },
			}),
			imageItem(png('night-market.png', 384, 216, 15), {
				title: 'Night market',
				description: 'Lanterns over the food stalls',
				tags: { values: ['night', 'food'] },
				link: { type: 'EXTERNAL', text: 'Map', url: 'https://example.com/map/night-market' },
			}),
		]);

		seedGallery('Studio portraits', 20, [
			imageItem(jpg, {
				title: 'Studio session',
				description: 'Natural light, 85 mm',
				tags: { values: ['portrait', 'studio'] },
			}),
			imageItem(png('portrait-anna.png', 240, 360, 21), {
				title: 'Anna',
				description: 'Black backdrop, single softbox',
				tags: { values: ['portrait'] },
			}),
			imageItem(png('portrait-ben.png', 240, 360, 22), {
				title: 'Ben',
				tags: { values: ['portrait'] },
			}),
			imageItem(png('portrait-duo.png', 360, 240, 23), {
				title: 'Duo',
				description: 'Siblings, outtake from the family shoot',
				tags: { values: ['portrait', 'family'] },
				link: { type: 'EXTERNAL', text: 'Book a session', url: 'https://example.com/book' },
			}),
			{
				title: 'About the studio',
				description: 'Text panel shown between portraits',
				text: {
					html: '<p>Portraits by <strong>Studio North</strong>. Sessions every weekday.</p>',
					css: { backgroundColor: '#1f1f1f' },
				},
			},
		]);

		seedGallery('Product videos', 10, [
			videoItem(video1, {
				title: 'Desk lamp turntable',
				description: '360° view of the brass desk lamp',
				tags: { values: ['product', 'lighting'] },
				link: { type: 'EXTERNAL', text: 'Shop', url: 'https://example.com/shop/desk-lamp' },
			}),
			imageItem(png('desk-lamp.png', 320, 320, 31), {
				title: 'Desk lamp',
				description: 'Brass, 40 cm',
				tags: { values: ['product', 'lighting'] },
			}),
			videoItem(video2, {
				title: 'Ceramic mug close-up',
				description: 'Glaze detail in slow motion',
				tags: { values: ['product', 'kitchen'] },
			}),
			imageItem(png('ceramic-mug.png', 320, 320, 32), {
				title: 'Ceramic mug',
				tags: { values: ['product', 'kitchen'] },
				link: { type: 'EXTERNAL', text: 'Shop', url: 'https://example.com/shop/mug' },
			}),
		]);
	}

	return {
		name: 'proGallery',

		register(registerContext) {
			context = registerContext;
			const route = (method: string, path: string, handler: (req: SandboxRequest) => unknown) =>
				registerContext.route(
					method,
					BASES.map((base) => base + path),
					handler as Parameters<SandboxContext['route']>[2],
				);
			route('GET', '/galleries', listGalleries);
			route('POST', '/galleries', createGallery);
			route('GET', '/galleries/:galleryId', getGallery);
			route('PATCH', '/galleries/:galleryId', updateGallery);
			route('DELETE', '/galleries/:galleryId', deleteGallery);
			route('GET', '/galleries/:galleryId/items', listGalleryItems);
			route('POST', '/galleries/:galleryId/items', createGalleryItem);
			route('DELETE', '/galleries/:galleryId/items', deleteGalleryItems);
			route('POST', '/galleries/:galleryId/items/delete', bulkDeleteGalleryItems);
			route('GET', '/galleries/:galleryId/items/:itemId', getGalleryItem);
			route('PATCH', '/galleries/:galleryId/items/:itemId', updateGalleryItem);
			route('DELETE', '/galleries/:galleryId/items/:itemId', deleteGalleryItem);
		},

		reset(resetContext: SandboxContext, seed: SeedName) {
			context = resetContext;
			galleries = new Map();
			seq = 0;
			if (seed === 'default') seedDefault();
		},

		dump() {
			return {
				galleries: [...galleries.values()]
					.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq)
					.map((gallery) => ({ ...galleryJson(gallery), items: output(orderedItems(gallery)) })),
			};
		},
	};
}

/** Seed images are deterministic, so they are drawn once per process rather than on every reset. */
const seedPngCache = new Map<string, Buffer>();
function seededPng(width: number, height: number, seed: number): Buffer {
	const key = `${width}x${height}:${seed}`;
	let bytes = seedPngCache.get(key);
	if (!bytes) {
		bytes = pngImage({ width, height, seed });
		seedPngCache.set(key, bytes);
	}
	return bytes;
}
