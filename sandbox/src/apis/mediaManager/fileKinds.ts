import type { FileKind, MediaType } from './types';

/** What a file claims to be, from its mime type or name, and how Media Manager ids and URIs are spelled. */

export const EXTENSION_BY_MIME: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/gif': 'gif',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/quicktime': 'mov',
};

export const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	m4v: 'video/mp4',
	pdf: 'application/pdf',
	mp3: 'audio/mpeg',
};

export function extensionOf(name: string | undefined): string | undefined {
	const match = /\.([a-z0-9]{1,5})$/i.exec(name ?? '');
	return match ? match[1].toLowerCase() : undefined;
}

/** The media family a file claims to be, from its mime type or, failing that, its name's extension. */
export function claimedKind(
	mimeType: string | undefined,
	name: string | undefined,
): FileKind | null {
	const mime =
		mimeType && mimeType !== 'application/octet-stream'
			? mimeType
			: MIME_BY_EXTENSION[extensionOf(name) ?? ''];
	if (!mime) return null;
	if (mime.startsWith('image/')) return 'image';
	if (mime.startsWith('video/')) return 'video';
	return 'other';
}

export function mediaTypeOf(kind: FileKind, mimeType: string): MediaType {
	if (kind === 'image') return 'IMAGE';
	if (kind === 'video') return 'VIDEO';
	if (mimeType.startsWith('audio/')) return 'AUDIO';
	if (mimeType === 'application/pdf' || mimeType.startsWith('text/')) return 'DOCUMENT';
	return 'OTHER';
}

/** Accepts a plain file id or a `wix:image://v1/<id>/<name>#...` / `wix:video://v1/<id>/...` media URI. */
export function fileIdFromReference(reference: string): string {
	const uri = /^wix:(?:image|video|document|audio):\/\/v1\/([^/#]+)/.exec(reference);
	return uri ? uri[1] : reference;
}
