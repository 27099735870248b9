import type { SandboxModule } from '../../context';
import { BROKEN_ARCHIVE_KINDS } from '../../lib/brokenArchives';
import type { BrokenArchiveKind, BrokenArchiveOptions } from '../../lib/brokenArchives';
import type { ZipMethod } from '../../lib/zipWriter';
import type { MediaContent } from './mediaContent';

/** Shared Gallery members, items (albums and visual media) and the display/download URLs handed out for them. */

export interface Member {
	id: string;
	name: string;
}

export interface SharedItem {
	id: string;
	type: 'VISUAL_MEDIA' | 'ALBUM';
	name: string;
	description: string;
	altText: string;
	createdBy: string;
	createdDate: number;
	updatedDate: number;
	parentAlbumId: string;
	/** Likes by members this module knows; `otherLikes` stands for everyone else. */
	likedBy: string[];
	otherLikes: number;
	viewCount: number;
	/** Identity keys (see `identityKey`) of callers who viewed it through a display URL. */
	viewedBy: Set<string>;
	commentCount: number;
	/** Tagged member ids, oldest first. */
	taggedMembers: string[];
	orderNumber: number;
	/** Albums only. */
	tagCount: number;
	/** Visual media only. */
	content?: MediaContent;
	previewSeed: number;
	checksums?: { sha256: string; crc32: string };
}

/** A display (`view`) or download URL: what it serves, until when. */
export interface UrlGrant {
	kind: 'download' | 'view';
	itemIds: string[];
	archived: boolean;
	broken?: ServedBrokenKind;
	expiresAt: number;
}

/** Writer kinds, plus one only a server can do: the connection drops half-way through. */
export type ServedBrokenKind = BrokenArchiveKind | 'connection-reset';
export const SHARED_GALLERY_BROKEN_KINDS: readonly ServedBrokenKind[] = [
	...BROKEN_ARCHIVE_KINDS,
	'connection-reset',
];

/** The broken archive the next download serves (`POST /_sandbox/shared-gallery/broken-archive`). */
export interface PendingBrokenArchive extends BrokenArchiveOptions {
	kind: ServedBrokenKind;
}

export interface ArchiveOptions {
	method: ZipMethod;
	/** zlib level for deflate (the writer's default, 6, when absent). */
	level?: number;
	dataDescriptor: boolean;
	forceZip64: boolean;
	comment?: string;
}

export const DEFAULT_ARCHIVE_OPTIONS: ArchiveOptions = {
	method: 'store',
	dataDescriptor: true,
	forceZip64: false,
};

export interface SharedGalleryModule extends SandboxModule {
	name: 'sharedGallery';
	/** A member's display data, or undefined. */
	member(id: string): Member | undefined;
	/** SHA-256 and CRC-32 (8 hex digits) of an item's bytes, computed by streaming them. */
	checksum(itemId: string): Promise<{ size: number; sha256: string; crc32: string }>;
}
