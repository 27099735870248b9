import type { SandboxModule } from '../context';
import { createExternalPlatformModule } from './externalPlatform';
import { createInstagramModule } from './instagram';
import { createLinkedInModule } from './linkedin';
import { createMediaManagerModule } from './mediaManager';
import { createProGalleryModule } from './proGallery';
import { createSharedGalleryModule } from './sharedGallery';
import { createTelegramModule } from './telegram';

/**
 * Fresh instances of every API the sandbox emulates; Media Manager comes first because the others read it. Telegram,
 * LinkedIn and Instagram (Graph API) are the social platforms n8n's own nodes post to.
 */
export function defaultModules(): SandboxModule[] {
	return [
		createMediaManagerModule(),
		createProGalleryModule(),
		createSharedGalleryModule(),
		createExternalPlatformModule(),
		createTelegramModule(),
		createLinkedInModule(),
		createInstagramModule(),
	];
}
