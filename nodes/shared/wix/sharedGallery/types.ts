import type { IDataObject } from 'n8n-workflow';

/** Shared Gallery requests and answers (docs/wix-api.md §2). */

export type SharedGalleryItemType = 'UNKNOWN' | 'VISUAL_MEDIA' | 'ALBUM';

export interface QueryFilter {
	createdBy?: string[];
	likedBy?: string[];
	taggedBy?: string[];
	itemIds?: string[];
	itemTypes?: SharedGalleryItemType[];
	albumIds?: string[];
}

export interface QuerySort {
	field: string;
	order: 'ASC' | 'DESC';
}

export interface QueryRequest {
	filter: QueryFilter;
	sort?: QuerySort;
	fieldset?: string[];
}

/**
 * A Shared Gallery item as Wix sends it: schema names, or the names of Wix's own example (docs/wix-api.md §2.3,
 * DOC-CONFLICT).
 */
export type RawSharedGalleryItem = IDataObject;

/**
 * An item read the same way whichever of Wix's two documented shapes it came in: the schema's
 * (`additionalInfo.visualMediaInfo.fileExtension`, `memberTagCount`) or the example's (top-level `visualMediaInfo`,
 * `file_extension`, `memberTagsCount`, snake_case fields).
 */
export interface SharedGalleryItem {
	id: string;
	name: string;
	type: string;
	description?: string;
	altText?: string;
	createdById?: string;
	createdByName?: string;
	createdDate?: string;
	parentAlbumId?: string;
	likeCount?: number;
	viewCount?: number;
	commentCount?: number;
	memberTagCount?: number;
	liked?: boolean;
	viewed?: boolean;
	fileExtension?: string;
	sizeBytes?: number;
	previewUrl?: string;
	previewWidth?: number;
	previewHeight?: number;
	albumChildrenCount?: number;
	raw: RawSharedGalleryItem;
}

/** The answer to Query Items, in either documented shape (see nextCursorOf). */
export interface QueryResponse {
	items?: RawSharedGalleryItem[];
	metadata?: IDataObject;
	nextCursor?: string;
}

export interface DownloadUrl {
	url: string;
	archived: boolean;
}

export type { BinarySource, StreamResponse } from '../../transport/streamBody';

export interface DisplayUrl {
	itemId: string;
	url: string | null;
	notProcessedYet: boolean;
	kind: 'image' | 'video' | null;
	width: number | null;
	height: number | null;
	durationMs: number | null;
	raw: IDataObject;
}
