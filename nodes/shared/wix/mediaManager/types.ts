/**
 * Media Manager objects as this package reads them (docs/wix-api.md §3.2). Only the fields the nodes use. The
 * image and the video rendition are Wix's common media types: Pro Gallery items carry them too (../proGallery/types).
 */

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
