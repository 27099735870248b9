import { randomBytes } from 'node:crypto';

import { addRoutes } from '../../core/routing';
import { externalPlatformControlRoutes, externalPlatformRoutes } from './routes';
import { ExternalMediaStore } from './store';
import type { ExternalPlatformModule } from './types';

export { parseMultipart } from './multipart';
export type { MultipartPart } from './multipart';
/** The external platform's public host, served through the platform proxy (core/platformProxy.ts). */
export const EXTERNAL_PLATFORM_HOST = 'api.external-gallery.example';

export {
	EXTERNAL_LIST_DEFAULT_LIMIT,
	EXTERNAL_LIST_MAX_LIMIT,
	EXTERNAL_MAX_UPLOAD_BYTES,
} from './types';
export type {
	ExternalDelivery,
	ExternalEvent,
	ExternalEventName,
	ExternalMedia,
	ExternalPlatformModule,
} from './types';

/**
 * A tiny social-media-like platform, the "other side" of the gallery flows: media posts with captions, its own
 * bearer token, and change notifications POSTed to a webhook target. Not Wix, so its errors are its own shape:
 * `{ error: { code, message } }`.
 */
export function createExternalPlatformModule(): ExternalPlatformModule {
	// One token per sandbox instance (not per reset), so credentials read before a reset stay valid.
	const token = `ext_${randomBytes(24).toString('hex')}`;
	const store = new ExternalMediaStore();
	const { notifications } = store;
	return {
		name: 'externalPlatform',
		token,
		// A platform-looking fixed host, as a real platform has, so that the example workflows name no sandbox
		// address: through the platform proxy, https://api.external-gallery.example/v1/media is /external/v1/media.
		publicHosts: { [EXTERNAL_PLATFORM_HOST]: '/external' },
		flushDeliveries: () => notifications.flush(),
		register(ctx) {
			store.attach(ctx);
			addRoutes(ctx, [
				...externalPlatformRoutes(store, token),
				...externalPlatformControlRoutes(store, notifications, token),
			]);
		},
		reset(ctx) {
			store.attach(ctx);
			store.reset();
		},
		dump: () => ({
			token,
			webhookTarget: notifications.getTarget(),
			media: store.all().map((stored) => store.toJson(stored)),
			deliveries: notifications.attempts().length,
		}),
	};
}
