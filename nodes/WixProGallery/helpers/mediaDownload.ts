import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { extensionFromMimeType, mimeTypeFromFileName } from '../../shared/mimeTypes';
import { openSignedStream, TIMEOUTS } from '../../shared/transport';
import { discardBody, guardedBody, responseHeader } from '../../shared/transport/streamBody';
import type { StreamResponse } from '../../shared/transport/streamBody';
import { galleryItemType, largestResolution } from '../../shared/wix/proGallery/output';
import type { WixGalleryItem } from '../../shared/wix/proGallery/types';
import { checkNumber, checkText } from '../../shared/parameters';

/**
 * Item → Get / Get Many with Download Media: each item's image or video as n8n binary data, so that a node that
 * wants a file (LinkedIn, Facebook, Telegram, an e-mail attachment) takes it as it comes.
 *
 * Images come from the item's static.wixstatic.com URL, as uploaded or resized by Wix's URL transformations
 * (`<url>/v1/fit|fill/w_<w>,h_<h>/file.<ext>`, dev.wix.com/docs/api-reference/assets/media/media-manager/
 * url-image-transformation); videos as the file the item points to. Every file is fetched through the transport
 * (Wix media hosts or the Base URL's host only, redirects checked hop by hop) and streamed into n8n's binary store.
 */

export type ImageSize = 'original' | 'fit' | 'fill';
export type ItemsWithoutFile = 'skip' | 'passThrough';

export interface MediaDownloadOptions {
	binaryPropertyName: string;
	imageSize: ImageSize;
	width: number;
	height: number;
	itemsWithoutFile: ItemsWithoutFile;
}

/** Wix's documented bounds for a transformation's width and height. */
const MAX_DIMENSION = 5000;

/** The Image Size values Wix resizes for, which take a width and a height. */
const RESIZED: ImageSize[] = ['fit', 'fill'];

export const mediaDownloadProperties: INodeProperties[] = [
	{
		displayName: 'Download Media',
		name: 'downloadMedia',
		type: 'boolean',
		default: false,
		description:
			"Whether to output each item's image or video as a file (binary data) next to its fields, e.g. for a node that posts files to a social network",
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { downloadMedia: [true] } },
		description: 'The name of the binary property each output item holds its file in',
	},
	{
		displayName: 'Image Size',
		name: 'imageSize',
		type: 'options',
		default: 'original',
		displayOptions: { show: { downloadMedia: [true] } },
		options: [
			{
				name: 'Original File',
				value: 'original',
				description: 'The image exactly as it was uploaded to Wix',
			},
			{
				name: 'Fit Within Width × Height',
				value: 'fit',
				description:
					'Scaled down by Wix to fit the box, keeping its proportions. Wix never enlarges an image: a smaller one comes as uploaded.',
			},
			{
				name: 'Fill Width × Height',
				value: 'fill',
				description:
					'Scaled and cropped by Wix to exactly this size (from the centre, or the focal point)',
			},
		],
		description: 'Videos always come as uploaded; Wix resizes only images',
	},
	{
		displayName: 'Width',
		name: 'imageWidth',
		type: 'number',
		default: 1080,
		typeOptions: { minValue: 1, maxValue: MAX_DIMENSION },
		displayOptions: { show: { downloadMedia: [true], imageSize: RESIZED } },
		description: 'In pixels, 1 to 5000',
	},
	{
		displayName: 'Height',
		name: 'imageHeight',
		type: 'number',
		default: 1080,
		typeOptions: { minValue: 1, maxValue: MAX_DIMENSION },
		displayOptions: { show: { downloadMedia: [true], imageSize: RESIZED } },
		description: 'In pixels, 1 to 5000',
	},
	{
		displayName: 'Items Without a File',
		name: 'itemsWithoutFile',
		type: 'options',
		default: 'skip',
		displayOptions: { show: { downloadMedia: [true] } },
		options: [
			{
				name: 'Skip Them',
				value: 'skip',
				description:
					'Leave them out, so that every output item has a file (Limit counts gallery items before they are left out, so fewer files may come out)',
			},
			{
				name: 'Output Them Without a File',
				value: 'passThrough',
				description: 'Output their fields as usual, with no binary data',
			},
		],
		description:
			'What to do with text items and YouTube or Vimeo videos, which have no file at Wix',
	},
];

function parameterError(this: IExecuteFunctions, error: unknown, itemIndex: number) {
	return new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
}

/** The download options of an input item, or undefined when Download Media is off. */
export function readMediaDownloadOptions(
	this: IExecuteFunctions,
	itemIndex: number,
): MediaDownloadOptions | undefined {
	if (!this.getNodeParameter('downloadMedia', itemIndex, false)) return undefined;
	try {
		const binaryPropertyName = checkText(
			this.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
			'Put Output File in Field',
		).trim();
		if (!binaryPropertyName) throw new Error('"Put Output File in Field" is empty');
		const imageSize = this.getNodeParameter('imageSize', itemIndex, 'original') as ImageSize;
		if (!['original', 'fit', 'fill'].includes(imageSize)) {
			throw new Error(
				`"Image Size" must be Original File, Fit or Fill, not "${String(imageSize)}"`,
			);
		}
		const sized = imageSize !== 'original';
		const dimension = (name: string, label: string) =>
			sized
				? checkNumber(this.getNodeParameter(name, itemIndex, 1080), label, {
						min: 1,
						max: MAX_DIMENSION,
						integer: true,
					})
				: 0;
		const itemsWithoutFile = this.getNodeParameter(
			'itemsWithoutFile',
			itemIndex,
			'skip',
		) as ItemsWithoutFile;
		if (!['skip', 'passThrough'].includes(itemsWithoutFile)) {
			throw new Error(
				`"Items Without a File" must be Skip Them or Output Them Without a File, not "${String(itemsWithoutFile)}"`,
			);
		}
		return {
			binaryPropertyName,
			imageSize,
			width: dimension('imageWidth', 'Width'),
			height: dimension('imageHeight', 'Height'),
			itemsWithoutFile,
		};
	} catch (error) {
		throw parameterError.call(this, error, itemIndex);
	}
}

/** Where an item's file is, and what to call it; undefined for items without a file at Wix. */
interface MediaSource {
	url: string;
	kind: 'image' | 'video';
	/** The file name without its extension (which comes from the answer's type). */
	baseName: string;
	/** The extension the URL or the file's name implies, when the answer does not say. */
	extension?: string;
}

const WIX_IMAGE_HOST = 'https://static.wixstatic.com/media/';

function splitExtension(name: string): { base: string; extension?: string } {
	const match = /^(.*?)\.([A-Za-z0-9]{1,5})$/.exec(name);
	return match ? { base: match[1], extension: match[2].toLowerCase() } : { base: name };
}

/** A name that is safe as a file name: no path separators or control characters. */
function safeBaseName(name: string | undefined, fallback: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
	const cleaned = (name ?? '').replace(/[\u0000-\u001f/\\:*?"<>|]+/g, '_').trim();
	return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : fallback;
}

function isHttpUrl(value: string | undefined): value is string {
	return typeof value === 'string' && /^https?:\/\//i.test(value);
}

/** The media id without Wix's `~mv2` marker, for a file name. */
function mediaIdName(id: string): string {
	return id.replace(/~mv2(?=\.|$)/, '');
}

export function mediaSourceOf(item: WixGalleryItem): MediaSource | undefined {
	const type = galleryItemType(item);
	if (type === 'IMAGE') {
		const info = item.image?.imageInfo ?? {};
		const url = isHttpUrl(info.url)
			? info.url
			: info.id
				? `${WIX_IMAGE_HOST}${encodeURIComponent(info.id)}`
				: undefined;
		if (!url) return undefined;
		const fromName = splitExtension(info.filename ?? '');
		const fromId = splitExtension(mediaIdName(info.id ?? ''));
		return {
			url,
			kind: 'image',
			baseName: safeBaseName(fromName.base || fromId.base, item.id ?? 'image'),
			extension: fromName.extension ?? fromId.extension,
		};
	}
	if (type === 'VIDEO') {
		const video = item.video;
		// YouTube and Vimeo videos are links to another site: there is no file at Wix to download.
		if (video?.type === 'YOUTUBE' || video?.type === 'VIMEO') return undefined;
		const info = video?.videoInfo ?? {};
		const url = isHttpUrl(info.url) ? info.url : largestResolution(info.resolutions)?.url;
		if (!isHttpUrl(url)) return undefined;
		const fromName = splitExtension(info.filename ?? '');
		return {
			url,
			kind: 'video',
			baseName: safeBaseName(fromName.base || info.id, item.id ?? 'video'),
			extension: fromName.extension ?? 'mp4',
		};
	}
	return undefined;
}

/** The output format asked of Wix for a resized image: the original's, where Wix documents it, else JPEG. */
function transformExtension(extension: string | undefined): string {
	if (extension === 'jpeg' || extension === 'jpg') return 'jpg';
	if (extension === 'png' || extension === 'webp' || extension === 'gif') return extension;
	return 'jpg';
}

/** The URL to fetch for the chosen size: Wix's transformation URL for a resized image, else the item's own. */
export function downloadUrlOf(source: MediaSource, options: MediaDownloadOptions): string {
	if (source.kind !== 'image' || options.imageSize === 'original') return source.url;
	const url = new URL(source.url);
	// A URL that already carries a transformation is taken back to the original first.
	url.pathname = url.pathname.replace(/\/v1\/.*$/, '');
	url.pathname += `/v1/${options.imageSize}/w_${options.width},h_${options.height}/file.${transformExtension(source.extension)}`;
	return url.toString();
}

/** The URL without its query, for messages (Wix's public media URLs hold no token, but a query might). */
function shownUrl(url: string): string {
	return url.split('?')[0];
}

function downloadError(
	this: IExecuteFunctions,
	error: unknown,
	item: WixGalleryItem,
	url: string,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const label = item.title ? `"${item.title}" (${item.id})` : `${item.id ?? 'without ID'}`;
	if (error instanceof NodeApiError) {
		const status = error.httpCode ? `HTTP ${error.httpCode}` : 'no answer';
		const message = `Could not download the media of item ${label}: ${status}`;
		const description = `URL: ${shownUrl(url)}\n${error.message}${error.description ? `\n${error.description}` : ''}`;
		return new NodeApiError(
			this.getNode(),
			{ message, description, httpCode: error.httpCode ?? null } as JsonObject,
			{ message, description, httpCode: error.httpCode ?? undefined, itemIndex },
		);
	}
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(
		this.getNode(),
		`The download of the media of item ${label} broke off`,
		{
			itemIndex,
			description: `URL: ${shownUrl(url)}\n${(error as Error).message ?? String(error)}`,
		},
	);
}

/** Fetches one item's file and streams it into n8n's binary store. */
async function downloadMedia(
	this: IExecuteFunctions,
	item: WixGalleryItem,
	source: MediaSource,
	options: MediaDownloadOptions,
	itemIndex: number,
): Promise<IBinaryData> {
	const url = downloadUrlOf(source, options);
	let response: StreamResponse;
	try {
		response = await openSignedStream.call(this, url, itemIndex);
	} catch (error) {
		throw downloadError.call(this, error, item, url, itemIndex);
	}
	const contentType = responseHeader(response, 'content-type')?.split(';')[0].trim().toLowerCase();
	const extension =
		(contentType && contentType !== 'application/octet-stream'
			? extensionFromMimeType(contentType)
			: undefined) ??
		(source.kind === 'image' && options.imageSize !== 'original'
			? transformExtension(source.extension)
			: source.extension);
	const fileName = extension ? `${source.baseName}.${extension}` : source.baseName;
	const mimeType =
		contentType && contentType !== 'application/octet-stream'
			? contentType
			: mimeTypeFromFileName(fileName);
	try {
		return await this.helpers.prepareBinaryData(
			guardedBody(response, { idleMs: TIMEOUTS.idleMs }),
			fileName,
			mimeType,
		);
	} catch (error) {
		discardBody(response);
		throw downloadError.call(this, error, item, url, itemIndex);
	}
}

/**
 * The output item for one gallery item with its file, or without when it has none and the user keeps such items;
 * undefined when it is skipped. Files are fetched one at a time: each is in n8n's binary store before the next starts.
 */
export async function withMedia(
	this: IExecuteFunctions,
	item: WixGalleryItem,
	json: IDataObject,
	options: MediaDownloadOptions,
	itemIndex: number,
): Promise<INodeExecutionData | undefined> {
	const source = mediaSourceOf(item);
	if (!source) return options.itemsWithoutFile === 'passThrough' ? { json } : undefined;
	const binary = await downloadMedia.call(this, item, source, options, itemIndex);
	return { json, binary: { [options.binaryPropertyName]: binary } };
}
