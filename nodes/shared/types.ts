/** Wix REST objects as this package reads them (docs/wix-api.md §1.4, §1.5, §3.2). Only the fields the nodes use. */

export interface WixImageInfo {
	id?: string;
	url?: string;
	width?: number;
	height?: number;
	altText?: string;
	filename?: string;
}

export interface WixVideoResolution {
	url?: string;
	width?: number;
	height?: number;
	format?: string;
	quality?: string;
}

export interface WixVideoInfo {
	id?: string;
	url?: string;
	resolutions?: WixVideoResolution[];
	posters?: WixImageInfo[];
	filename?: string;
}

export interface WixGalleryItem {
	id?: string;
	sortOrder?: number;
	title?: string;
	description?: string;
	type?: 'UNDEFINED' | 'IMAGE' | 'VIDEO' | 'TEXT';
	link?: { text?: string; url?: string; type?: string; target?: string };
	tags?: { values?: string[] };
	image?: { type?: string; imageInfo?: WixImageInfo; focalPoint?: { x: number; y: number } };
	video?: {
		type?: string;
		videoInfo?: WixVideoInfo;
		durationInMillis?: number;
	};
	text?: { html?: string; css?: Record<string, unknown> };
	createdDate?: string;
	updatedDate?: string;
}

export interface WixGallery {
	id?: string;
	name?: string;
	totalItems?: number;
	items?: WixGalleryItem[];
	sortOrder?: number;
	createdDate?: string;
}

export type WixFileStatus = 'PENDING' | 'READY' | 'FAILED';

export interface WixFileDescriptor {
	id: string;
	displayName?: string;
	url?: string;
	parentFolderId?: string;
	hash?: string;
	sizeInBytes?: string;
	private?: boolean;
	mediaType?: string;
	operationStatus?: WixFileStatus;
	thumbnailUrl?: string;
	labels?: string[];
	media?: {
		image?: { image?: WixImageInfo & { urlExpirationDate?: string } };
		video?: {
			id?: string;
			url?: string;
			resolutions?: WixVideoResolution[];
			posters?: WixImageInfo[];
			filename?: string;
		};
	} | null;
	createdDate?: string;
	updatedDate?: string;
	sourceUrl?: string;
}
