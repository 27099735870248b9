import { randomBytes } from 'node:crypto';

import { addRoutes } from '../../core/routing';
import { LINKEDIN_PREFIX, linkedInControlRoutes, linkedInRoutes } from './routes';
import { LinkedInStore } from './store';
import type { LinkedInModule } from './types';

export { LINKEDIN_MEMBER, LINKEDIN_ORGANIZATION } from './store';
export { LINKEDIN_IMAGE_TYPES, LINKEDIN_LIMITS } from './types';
export type {
	LinkedInImageRecord,
	LinkedInModule,
	LinkedInPostRecord,
	LinkedInRejection,
} from './types';

/**
 * An emulated LinkedIn for n8n's own LinkedIn node (see routes.ts), reached through the platform proxy as
 * api.linkedin.com and www.linkedin.com. Records every image, post and refusal.
 */
export function createLinkedInModule(): LinkedInModule {
	// One token per sandbox instance (not per reset), so credentials made before a reset stay valid.
	const accessToken = `AQV${randomBytes(30).toString('base64url')}`;
	let store = new LinkedInStore(() => Date.now());
	return {
		name: 'linkedin',
		accessToken,
		publicHosts: { 'api.linkedin.com': LINKEDIN_PREFIX, 'www.linkedin.com': LINKEDIN_PREFIX },
		register(ctx) {
			store = new LinkedInStore(() => ctx.now());
			addRoutes(ctx, [
				...linkedInRoutes(store, accessToken, ctx),
				...linkedInControlRoutes(store, accessToken),
			]);
		},
		reset() {
			store.reset();
		},
		dump: () => ({
			accessToken,
			images: store.images,
			posts: store.posts,
			rejections: store.rejections,
		}),
	};
}
