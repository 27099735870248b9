import { createHash } from 'node:crypto';

import { pngImage } from '../../lib/mediaBytes';
import { mediaTypeOf } from './fileKinds';
import type { FileDescriptor, OperationStatus, StoredFile } from './types';

/** A video's poster, drawn on first use at the video's size (Wix extracts frames; any image of that size will do). */
export function posterOf(file: StoredFile): NonNullable<StoredFile['poster']> {
	if (!file.poster) {
		const width = file.outcome?.width ?? 320;
		const height = file.outcome?.height ?? 180;
		const seed = parseInt(file.id.slice(-8), 16) || 1;
		file.poster = {
			id: `${file.id}f000.png`,
			bytes: pngImage({ width, height, seed }),
			width,
			height,
		};
	}
	return file.poster;
}

/** `media` of a READY file: the image's size, or the video's one rendition and poster. */
function processedMedia(
	file: StoredFile,
	mediaUrl: (id: string) => string,
): { media: FileDescriptor['media']; thumbnailUrl?: string } {
	const url = mediaUrl(file.id);
	if (file.kind === 'image') {
		return {
			media: {
				image: {
					image: {
						id: file.id,
						url,
						width: file.outcome?.width,
						height: file.outcome?.height,
						filename: file.displayName,
					},
					faces: [],
				},
			},
		};
	}
	if (file.kind !== 'video') return { media: null };
	const poster = posterOf(file);
	const posterUrl = mediaUrl(poster.id);
	const height = file.outcome?.height;
	return {
		thumbnailUrl: posterUrl,
		media: {
			video: {
				id: file.id,
				url,
				filename: file.displayName,
				resolutions: [
					{
						url,
						width: file.outcome?.width,
						height,
						format: 'mp4',
						quality: height ? `${height}p` : 'source',
						filename: 'file.mp4',
					},
				],
				posters: [
					{
						id: poster.id,
						url: posterUrl,
						width: poster.width,
						height: poster.height,
						filename: poster.id,
					},
				],
			},
		},
	};
}

/** The file as the REST API answers it, given its processing status now. */
export function describeFile(
	file: StoredFile,
	status: OperationStatus,
	mediaUrl: (id: string) => string,
): FileDescriptor {
	const ready = status === 'READY' && file.outcome !== null;
	const mimeType = file.outcome?.mimeType ?? file.claimedMimeType;
	const url = mediaUrl(file.id);
	const processed = ready ? processedMedia(file, mediaUrl) : { media: null };
	return {
		id: file.id,
		displayName: file.displayName,
		url,
		parentFolderId: file.trashed ? 'trash-root' : file.parentFolderId,
		hash: ready && file.bytes ? createHash('md5').update(file.bytes).digest('hex') : '',
		sizeInBytes: String(file.bytes?.length ?? 0),
		private: file.private,
		mediaType: mediaTypeOf(file.kind, mimeType),
		media: processed.media,
		operationStatus: status,
		...(file.sourceUrl !== undefined && { sourceUrl: file.sourceUrl }),
		thumbnailUrl: processed.thumbnailUrl ?? url,
		labels: file.labels,
		createdDate: new Date(file.createdAt).toISOString(),
		updatedDate: new Date(
			Math.max(file.updatedAt, status === 'PENDING' ? 0 : file.readyAt),
		).toISOString(),
		state: file.trashed ? 'DELETED' : 'OK',
	};
}
