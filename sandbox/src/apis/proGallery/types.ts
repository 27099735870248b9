import type { SandboxModule } from '../../context';

/** Pro Gallery galleries and items as REST answers them (docs/wix-api.md §1.4, §1.5), and as the sandbox stores them. */

export type JsonObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- items are free-form Wix JSON

export interface GalleryItem extends JsonObject {
	id: string;
	sortOrder: number;
	type: 'IMAGE' | 'VIDEO' | 'TEXT';
	createdDate: string;
	updatedDate: string;
}

export interface Gallery {
	id: string;
	name?: string;
	totalItems: number;
	sortOrder?: number;
	createdDate: string;
	items?: GalleryItem[];
}

export interface StoredItem {
	item: GalleryItem;
	/** Breaks sortOrder ties by creation. */
	seq: number;
}

export interface StoredGallery {
	id: string;
	name?: string;
	sortOrder?: number;
	createdAt: number;
	seq: number;
	items: Map<string, StoredItem>;
}

export interface ProGalleryModule extends SandboxModule {
	/** Every gallery with all its items, in List Galleries / List Gallery Items order. */
	dump(): { galleries: Array<Gallery & { items: GalleryItem[] }> };
}
