import { addRoutes } from '../../core/routing';
import { fileIdFromReference } from './fileKinds';
import { mediaManagerRoutes } from './routes';
import { MediaManagerStore } from './store';
import type { MediaManagerModule } from './types';

export type {
	AddFileInput,
	ExternalInfo,
	FileDescriptor,
	MediaManagerModule,
	MediaType,
	OperationStatus,
	WixImageInfo,
	WixVideoInfo,
} from './types';

/**
 * Wix Media Manager (`/site-media/v1`, docs/wix-api.md §3): upload URLs and the upload itself, URL imports, file
 * descriptors, listing and deletion, plus the asynchronous processing that turns a PENDING file READY (or FAILED)
 * and the static host (`/media/<id>`) that stands in for static.wixstatic.com / video.wixstatic.com.
 */
export function createMediaManagerModule(): MediaManagerModule {
	const store = new MediaManagerStore();
	return {
		name: 'mediaManager',
		register(ctx) {
			store.attach(ctx);
			addRoutes(ctx, mediaManagerRoutes(store));
		},
		reset(ctx) {
			store.attach(ctx);
			store.reset();
		},
		dump: () => store.dump(),
		addFile: (input) => store.describe(store.addFile(input)),
		getFile(id) {
			const file = store.find(id);
			return file ? store.describe(file) : undefined;
		},
		fileBytes: (id) => store.find(id)?.bytes ?? undefined,
		fileUrl: (id) => store.mediaUrl(fileIdFromReference(id)),
	};
}
