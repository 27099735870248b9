/** Pro Gallery objects as this package reads them (docs/wix-api.md §1.4, §1.5). Only the fields the nodes use. */

import type { WixImageInfo, WixVideoResolution } from '../mediaManager/types';

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
