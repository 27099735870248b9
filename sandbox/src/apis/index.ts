import type { SandboxModule } from '../context';
import { createExternalPlatformModule } from './externalPlatform';
import { createMediaManagerModule } from './mediaManager';
import { createMembersModule } from './members';
import { createProGalleryModule } from './proGallery';
import { createSharedGalleryModule } from './sharedGallery';

/**
 * Fresh instances of every API the sandbox emulates; Media Manager comes first because the others read it, and
 * Members before the Shared Gallery, whose seed registers its uploaders as site members.
 */
export function defaultModules(): SandboxModule[] {
	return [
		createMediaManagerModule(),
		createProGalleryModule(),
		createMembersModule(),
		createSharedGalleryModule(),
		createExternalPlatformModule(),
	];
}
