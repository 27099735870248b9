import type { RouteDefinition, RouteHandler, SandboxRequest } from '../../context';
import { invalidArgument } from '../../errors';
import { fieldViolation } from './itemFields';
import { isObject } from './json';
import type { ItemWindow, ProGalleryStore } from './store';
import type { JsonObject, StoredGallery } from './types';

/**
 * Pro Gallery REST API v2's twelve endpoints (docs/wix-api.md §1.2) under both `/pro-gallery/v2` and the legacy
 * `/progallery/v2` (which the official SDK uses), with Wix's paging limits (§1.3).
 */

const BASES = ['/pro-gallery/v2', '/progallery/v2'];
const BULK_DELETE_MAX_IDS = 100;
/** The item window of answers that carry a gallery after a change. */
const CHANGED_GALLERY_WINDOW: ItemWindow = { offset: 0, limit: 50 };

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

function itemWindow(req: SandboxRequest): ItemWindow {
	return {
		offset: integerParam(req, 'itemOffset', 0, { min: 0 }),
		limit: integerParam(req, 'itemLimit', 50, { min: 1, max: 100 }),
	};
}

function checkBulkSize(field: string, ids: unknown[]): void {
	if (ids.length > BULK_DELETE_MAX_IDS) {
		throw invalidArgument(field, `must contain at most ${BULK_DELETE_MAX_IDS} ids`, 'MAX');
	}
}

export function proGalleryRoutes(store: ProGalleryStore): RouteDefinition[] {
	const route = (method: string, path: string, handler: RouteHandler): RouteDefinition => ({
		method,
		path: BASES.map((base) => base + path),
		handler,
	});
	const gallery = (req: SandboxRequest) => store.requireGallery(req.params.galleryId);
	const changed = (changedGallery: StoredGallery) => ({
		body: { gallery: store.galleryJson(changedGallery, CHANGED_GALLERY_WINDOW) },
	});
	return [
		route('GET', '/galleries', (req) => listGalleries(store, req)),
		route('POST', '/galleries', (req) => {
			const body = req.json() ?? {};
			const input: JsonObject = isObject(body.gallery) ? body.gallery : {};
			const cloneFromId =
				typeof body.cloneFromGalleryId === 'string' && body.cloneFromGalleryId !== ''
					? body.cloneFromGalleryId
					: undefined;
			return changed(store.createGallery(input, cloneFromId, req.identity));
		}),
		route('GET', '/galleries/:galleryId', (req) => {
			const window = itemWindow(req);
			return { body: { gallery: store.galleryJson(gallery(req), window) } };
		}),
		route('PATCH', '/galleries/:galleryId', (req) => {
			const target = gallery(req);
			return changed(store.updateGallery(target, req.json()?.gallery, req.identity));
		}),
		route('DELETE', '/galleries/:galleryId', (req) => {
			const target = gallery(req);
			store.deleteGallery(target, req.identity);
			return { body: { galleryId: target.id } };
		}),
		route('GET', '/galleries/:galleryId/items', (req) => {
			const window = itemWindow(req);
			return { body: { items: store.itemWindow(gallery(req), window) } };
		}),
		route('POST', '/galleries/:galleryId/items', (req) => {
			const target = gallery(req);
			const item = store.createItem(target, req.json()?.item, req.identity);
			return { body: { item: store.output(item) } };
		}),
		route('DELETE', '/galleries/:galleryId/items', (req) => {
			const target = gallery(req);
			const ids = req.query.getAll('itemsIds');
			checkBulkSize('itemsIds', ids);
			store.deleteItems(target, ids, req.identity);
			return changed(target);
		}),
		route('POST', '/galleries/:galleryId/items/delete', (req) => {
			const target = gallery(req);
			const ids = req.json()?.itemIds;
			if (!Array.isArray(ids)) throw fieldViolation('itemIds', 'is required');
			if (ids.some((id) => typeof id !== 'string'))
				throw invalidArgument('itemIds', 'must be a list of strings');
			checkBulkSize('itemIds', ids);
			return { body: { itemIds: store.deleteItems(target, ids, req.identity) } };
		}),
		route('GET', '/galleries/:galleryId/items/:itemId', (req) => {
			const stored = store.requireItem(gallery(req), req.params.itemId);
			return { body: { item: store.output(stored.item) } };
		}),
		route('PATCH', '/galleries/:galleryId/items/:itemId', (req) => {
			const target = gallery(req);
			const stored = store.requireItem(target, req.params.itemId);
			const item = store.updateItem(target, stored, req.json()?.item, req.identity);
			return { body: { item: store.output(item) } };
		}),
		route('DELETE', '/galleries/:galleryId/items/:itemId', (req) => {
			const target = gallery(req);
			store.requireItem(target, req.params.itemId);
			store.deleteItems(target, [req.params.itemId], req.identity);
			return { body: { itemId: req.params.itemId } };
		}),
	];
}

function listGalleries(store: ProGalleryStore, req: SandboxRequest) {
	const offset = integerParam(req, 'offset', 0, { min: 0 });
	const limit = integerParam(req, 'limit', 10, { min: 1, max: 10 });
	const itemLimit = integerParam(req, 'itemLimit', 10, { min: 1, max: 100 });
	const sorted = store.sortedGalleries();
	return {
		body: {
			totalGalleries: sorted.length,
			galleries: sorted
				.slice(offset, offset + limit)
				.map((gallery) => store.galleryJson(gallery, { offset: 0, limit: itemLimit })),
		},
	};
}
