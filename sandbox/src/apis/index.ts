import type { SandboxModule } from '../context';
import { createExternalPlatformModule } from './externalPlatform';
import { createMediaManagerModule } from './mediaManager';
import { createProGalleryModule } from './proGallery';
import { createSharedGalleryModule } from './sharedGallery';

/** Fresh instances of every API the sandbox emulates; Media Manager comes first because the others read it. */
export function defaultModules(): SandboxModule[] {
	return [
		createMediaManagerModule(),
		createProGalleryModule(),
		createSharedGalleryModule(),
		createExternalPlatformModule(),
	];
}
