import { addRoutes } from '../../core/routing';
import { proGalleryRoutes } from './routes';
import { seedDefaultGalleries } from './seed';
import { ProGalleryStore } from './store';
import type { ProGalleryModule } from './types';

export type { Gallery, GalleryItem, ProGalleryModule } from './types';
export { mediaIdFromUrl } from './itemMedia';

/**
 * Wix Pro Gallery REST API v2 (docs/wix-api.md §1): galleries and their items under both `/pro-gallery/v2` and the
 * legacy `/progallery/v2` (which the official SDK uses), with Wix's paging limits, one-of validation, the
 * Media Manager readiness rule for images and videos, and the six gallery events.
 */
export function createProGalleryModule(): ProGalleryModule {
	const store = new ProGalleryStore();
	return {
		name: 'proGallery',
		register(ctx) {
			store.attach(ctx);
			addRoutes(ctx, proGalleryRoutes(store));
		},
		reset(ctx, seed) {
			store.attach(ctx);
			store.reset();
			if (seed === 'default') seedDefaultGalleries(store);
		},
		dump: () => store.dump(),
	};
}
