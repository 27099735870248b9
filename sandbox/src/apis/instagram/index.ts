import { randomBytes } from 'node:crypto';

import { addRoutes } from '../../core/routing';
import { GRAPH_PREFIX, graphRoutes, instagramControlRoutes } from './routes';
import { InstagramStore } from './store';
import type { InstagramModule } from './types';

export { INSTAGRAM_ACCOUNT } from './store';
export { INSTAGRAM_LIMITS } from './types';
export type {
	InstagramContainerRecord,
	InstagramMediaRecord,
	InstagramModule,
	InstagramRejection,
} from './types';

/**
 * Emulated Instagram content publishing on the Facebook Graph API, for n8n's own Facebook Graph API node (see
 * routes.ts), reached through the platform proxy as graph.facebook.com. Records every container, published media
 * and refusal.
 */
export function createInstagramModule(): InstagramModule {
	// One token per sandbox instance (not per reset), so credentials made before a reset stay valid.
	const accessToken = `EAAB${randomBytes(40).toString('base64url')}`;
	let store = new InstagramStore(() => Date.now());
	return {
		name: 'instagram',
		accessToken,
		publicHosts: { 'graph.facebook.com': GRAPH_PREFIX },
		register(ctx) {
			store = new InstagramStore(() => ctx.now());
			addRoutes(ctx, [
				...graphRoutes(store, accessToken),
				...instagramControlRoutes(store, accessToken),
			]);
		},
		reset() {
			store.reset();
		},
		dump: () => ({
			accessToken,
			containers: store.containers,
			media: store.media,
			rejections: store.rejections,
		}),
	};
}
