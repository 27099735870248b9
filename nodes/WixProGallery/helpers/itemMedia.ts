import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	getFileDescriptor,
	importFileFromUrl,
	uploadFileBytes,
	waitUntilFileReady,
} from '../../shared/wix/mediaManager/api';
import type { UploadContent } from '../../shared/wix/mediaManager/api';
import { parseMediaReference } from '../../shared/wix/mediaManager/mediaReference';
import type { WixFileDescriptor } from '../../shared/wix/mediaManager/types';
import { imageInfoFromFile, videoInfoFromFile } from '../../shared/wix/proGallery/mediaInfo';
import type { WixGalleryItem } from '../../shared/wix/proGallery/types';

export type MediaSource = 'binary' | 'url' | 'wixMedia';

export interface MediaSourceInput {
	source: MediaSource;
	/** The binary property name, the public URL, or the Media Manager ID/URL, depending on `source`. */
	value: string;
	/** Which parameter `value` came from, so errors can name it. */
	parameterName: string;
	fileName?: string;
	parentFolderId?: string;
	timeoutSeconds: number;
}

/**
 * A binary's bytes for an upload: streamed from n8n's binary store (filesystem, S3, database) when it lives there,
 * so that a large video is never held in memory whole; opened anew for each attempt.
 */
async function uploadContent(
	context: IExecuteFunctions,
	binary: IBinaryData,
	itemIndex: number,
	propertyName: string,
): Promise<UploadContent> {
	if (binary.id) {
		const id = binary.id;
		const { fileSize } = await context.helpers.getBinaryMetadata(id);
		return { size: fileSize, open: async () => await context.helpers.getBinaryStream(id) };
	}
	const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return { size: bytes.length, open: async () => bytes };
}

/** Brings media into the Media Manager (or finds it there) and returns it once Wix reports it READY. */
export async function resolveMediaFile(
	this: IExecuteFunctions,
	input: MediaSourceInput,
	itemIndex: number,
): Promise<WixFileDescriptor> {
	const file = await bringIntoMediaManager.call(this, input, itemIndex);
	return await waitUntilFileReady.call(this, file, {
		timeoutSeconds: input.timeoutSeconds,
		itemIndex,
	});
}

/** Uploads a binary, imports a URL, or looks up an existing file; the file may still be processing. */
export async function bringIntoMediaManager(
	this: IExecuteFunctions,
	input: Omit<MediaSourceInput, 'timeoutSeconds'>,
	itemIndex: number,
): Promise<WixFileDescriptor> {
	let file: WixFileDescriptor;
	if (input.source === 'binary') {
		const binary = this.helpers.assertBinaryData(itemIndex, input.value);
		file = await uploadFileBytes.call(
			this,
			{
				content: await uploadContent(this, binary, itemIndex, input.value),
				fileName: input.fileName || binary.fileName || `upload.${binary.fileExtension ?? 'bin'}`,
				mimeType: binary.mimeType || 'application/octet-stream',
				parentFolderId: input.parentFolderId,
			},
			itemIndex,
		);
	} else if (input.source === 'url') {
		let url: URL;
		try {
			url = new URL(input.value.trim());
		} catch {
			throw new NodeOperationError(this.getNode(), `"${input.value}" is not a valid URL`, {
				itemIndex,
				description: `Set the "${input.parameterName}" parameter to a public http(s) address of the media.`,
			});
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new NodeOperationError(
				this.getNode(),
				`Wix can only import http(s) URLs, not "${url.protocol}"`,
				{
					itemIndex,
					description: `Check the "${input.parameterName}" parameter.`,
				},
			);
		}
		file = await importFileFromUrl.call(
			this,
			{ url: url.toString(), displayName: input.fileName, parentFolderId: input.parentFolderId },
			itemIndex,
		);
	} else {
		const fileId = parseMediaReference(input.value);
		if (!fileId) {
			throw new NodeOperationError(this.getNode(), `No Wix media ID found in "${input.value}"`, {
				itemIndex,
				description: `Set the "${input.parameterName}" parameter to a Media Manager file ID (e.g. 11062b_…~mv2.jpg), its static.wixstatic.com URL, or a wix:image:// URI.`,
			});
		}
		file = await getFileDescriptor.call(this, fileId, itemIndex);
	}
	return file;
}

/** The media part of a gallery item (`image` or `video`) for a READY Media Manager file. */
export function mediaBlockForFile(
	this: IExecuteFunctions,
	file: WixFileDescriptor,
	expected: 'image' | 'video',
	itemIndex: number,
): Pick<WixGalleryItem, 'image' | 'video'> {
	const actual = (file.mediaType ?? '').toLowerCase();
	if (actual !== expected) {
		throw new NodeOperationError(
			this.getNode(),
			`The media is a ${actual || 'file of unknown type'}, but the item type is ${expected}`,
			{
				itemIndex,
				description: `Set "Item Type" to ${actual === 'video' ? 'Video' : 'Image'}, or choose other media. File ID: ${file.id}`,
			},
		);
	}
	if (expected === 'image') {
		// No `image.type`: Wix's SDK has no such field and never sends one; Wix derives it from the file.
		return { image: { imageInfo: imageInfoFromFile(file) } };
	}
	return { video: { type: 'WIX_MEDIA', videoInfo: videoInfoFromFile(file) } };
}
