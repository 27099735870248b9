import type { RouteDefinition } from '../../context';
import type { SharedGalleryStore } from './store';

/**
 * The Shared Gallery API v1 (docs/wix-api.md §2) under every path alias it has been documented with: Query Items,
 * the download URL and the display URLs.
 */

const QUERY_PATHS = [
	'/shared-gallery/v1/items/query',
	'/v1/items/query',
	'/api/v1/shared-gallery/items/query',
];
const DOWNLOAD_PATHS = [
	'/shared-gallery/v1/items/download-url',
	'/shared-gallery/v1/items/download',
	'/v1/items/download-url',
	'/v1/items/download',
	'/api/v1/shared-gallery/items/download-url',
	'/api/v1/shared-gallery/items/download',
];
const VIEW_PATHS = [
	'/shared-gallery/v1/visual-media/view',
	'/v1/visual-media/view',
	'/api/v1/shared-gallery/items/view-visual-media',
	'/api/v1/shared-gallery/visual-media/view',
];

export function sharedGalleryRoutes(store: SharedGalleryStore): RouteDefinition[] {
	return [
		{
			method: 'POST',
			path: QUERY_PATHS,
			handler: (req) => ({ body: store.query(req.json(), req.identity) }),
		},
		{
			method: 'POST',
			path: DOWNLOAD_PATHS,
			handler: (req) => ({ body: store.downloadUrl(req.json()) }),
		},
		{
			method: 'POST',
			path: VIEW_PATHS,
			handler: (req) => ({ body: store.displayUrls(req.json(), req.identity) }),
		},
	];
}
