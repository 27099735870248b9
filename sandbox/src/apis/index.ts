import type { SandboxModule } from '../context';
import { createExternalPlatformModule } from './externalPlatform';
import { createInstagramModule } from './instagram';
import { createLinkedInModule } from './linkedin';
import { createMediaManagerModule } from './mediaManager';
import { createMembersModule } from './members';
import { createProGalleryModule } from './proGallery';
import { createSharedGalleryModule } from './sharedGallery';
import { createTelegramModule } from './telegram';

/**
 * Fresh instances of every API the sandbox emulates; Media Manager comes first because the others read it, and
 * Members before the Shared Gallery, whose seed registers its uploaders as site members. Telegram, LinkedIn and
 * Instagram (Graph API) are the social platforms n8n's own nodes post to.
 */
export function defaultModules(): SandboxModule[] {
	return [
		createMediaManagerModule(),
		createProGalleryModule(),
		createMembersModule(),
		createSharedGalleryModule(),
		createExternalPlatformModule(),
		createTelegramModule(),
		createLinkedInModule(),
		createInstagramModule(),
	];
}
