import { invalidArgument, WixHttpError } from '../../errors';
import type { FileDescriptor, MediaManagerModule } from '../mediaManager';
import { fieldViolation, MEDIA_FIELDS } from './itemFields';
import { clone, isObject } from './json';
import type { JsonObject } from './types';

/**
 * The one-of rule for an item's media block (image, video or text) and the completion Wix does on write: an image
 * or video must be a READY Media Manager file, and its URL, size and name come from that file (docs/wix-api.md §1.5).
 */

/** What completing an item's media needs from the rest of the sandbox. */
export interface MediaLibrary {
	/** The Media Manager module, when the sandbox has one. */
	mediaManager(): MediaManagerModule | undefined;
	/** The sandbox's origin, whose `/media/<id>` stands in for static.wixstatic.com. */
	baseUrl(): string;
}

/**
 * The media id in a Wix media URL: `https://static.wixstatic.com/media/<id>`, possibly followed by
 * `/v1/<transformations>/<name>`, or the sandbox's own stand-in `<sandbox>/media/<id>`. Undefined for any other URL.
 */
export function mediaIdFromUrl(url: unknown, sandboxOrigin: string): string | undefined {
	if (typeof url !== 'string') return undefined;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined;
	}
	const wixStatic = parsed.hostname === 'static.wixstatic.com' && /^https?:$/.test(parsed.protocol);
	const sandbox = sandboxOrigin !== '' && parsed.origin === new URL(sandboxOrigin).origin;
	const id = /^\/media\/([^/]+)/.exec(parsed.pathname)?.[1];
	if ((!wixStatic && !sandbox) || !id) return undefined;
	try {
		return decodeURIComponent(id);
	} catch {
		return undefined;
	}
}

/** Checks the one-of rule and completes Wix Media references from the Media Manager, as Wix does on write. */
export function completeMedia(item: JsonObject, prefix: string, library: MediaLibrary): void {
	const present = MEDIA_FIELDS.filter((key) => item[key] !== undefined && item[key] !== null);
	if (present.length === 0) {
		throw fieldViolation(prefix, 'must have one of image, video or text');
	}
	if (present.length > 1) {
		throw invalidArgument(
			prefix,
			`must have only one of image, video or text (got ${present.join(', ')})`,
		);
	}
	const kind = present[0];
	for (const other of MEDIA_FIELDS) if (other !== kind) delete item[other];
	const media = item[kind];
	if (!isObject(media)) throw invalidArgument(`${prefix}.${kind}`, 'must be an object');
	if (kind === 'image') completeImage(media, `${prefix}.image`, library);
	else if (kind === 'video') completeVideo(media, `${prefix}.video`, library);
	else if (typeof media.html !== 'string' || media.html === '') {
		throw fieldViolation(`${prefix}.text.html`, 'is required for text items');
	}
	item.type = kind === 'image' ? 'IMAGE' : kind === 'video' ? 'VIDEO' : 'TEXT';
}

function completeImage(media: JsonObject, prefix: string, library: MediaLibrary): void {
	if (!isObject(media.imageInfo)) {
		throw fieldViolation(`${prefix}.imageInfo`, 'is required for image items');
	}
	// The SDK sends a static.wixstatic.com URL alone, as `{ url }`: the file it names is the reference.
	const referencedByUrl = typeof media.imageInfo.id !== 'string' || media.imageInfo.id === '';
	if (referencedByUrl) {
		const id = mediaFileFromUrl(media.imageInfo.url, `${prefix}.imageInfo`, library);
		// The id leads, as in Wix's answers; an empty or non-string id sent with the URL gives way to it.
		media.imageInfo = Object.assign({ id }, media.imageInfo, { id });
	}
	const info: JsonObject = media.imageInfo;
	const idField = `${prefix}.imageInfo.${referencedByUrl ? 'url' : 'id'}`;
	media.type ??= 'WIX_MEDIA';
	const file = readyMediaFile(idField, info.id, 'IMAGE', library);
	const image = file?.media && 'image' in file.media ? file.media.image.image : undefined;
	if (image) {
		// The SDK sends its wix:image URI as `url`; Wix answers with the static URL of the file.
		if (referencedByUrl || typeof info.url !== 'string' || !/^https?:/.test(info.url)) {
			info.url = image.url;
		}
		info.width ??= image.width;
		info.height ??= image.height;
		info.filename ??= image.filename;
	} else if (typeof info.url !== 'string' || info.url === '') {
		info.url = library.mediaManager()?.fileUrl(info.id) ?? `${library.baseUrl()}/media/${info.id}`;
	}
}

/** The id of the Media Manager file a URL-only `imageInfo` names; the file must exist. */
function mediaFileFromUrl(url: unknown, field: string, library: MediaLibrary): string {
	const id = mediaIdFromUrl(url, library.baseUrl());
	if (id === undefined) throw fieldViolation(`${field}.id`, 'is required for image items');
	if (!library.mediaManager()?.getFile(id)) {
		throw invalidArgument(
			`${field}.url`,
			`refers to media ${id}, which is not in the Media Manager`,
		);
	}
	return id;
}

function completeVideo(media: JsonObject, prefix: string, library: MediaLibrary): void {
	const info = media.videoInfo;
	if (!isObject(info)) throw fieldViolation(`${prefix}.videoInfo`, 'is required for video items');
	const hasId = typeof info.id === 'string' && info.id !== '';
	if (!hasId && (typeof info.url !== 'string' || info.url === '')) {
		throw fieldViolation(
			`${prefix}.videoInfo`,
			'needs an id (Wix video) or a url (YouTube, Vimeo)',
		);
	}
	if (media.type === undefined) {
		const url = String(info.url ?? '');
		media.type = hasId
			? 'WIX_MEDIA'
			: /youtu/.test(url)
				? 'YOUTUBE'
				: /vimeo/.test(url)
					? 'VIMEO'
					: 'UNDEFINED';
	}
	const file = hasId
		? readyMediaFile(`${prefix}.videoInfo.id`, info.id, 'VIDEO', library)
		: undefined;
	const video = file?.media && 'video' in file.media ? file.media.video : undefined;
	if (video) {
		if (typeof info.url !== 'string' || !/^https?:/.test(info.url)) info.url = video.url;
		info.filename ??= video.filename;
		if (!Array.isArray(info.resolutions) || info.resolutions.length === 0)
			info.resolutions = clone(video.resolutions);
		if (!Array.isArray(info.posters) || info.posters.length === 0 || !info.posters[0].url) {
			info.posters = clone(video.posters);
		}
	}
}

/** A Media Manager file an item refers to, which must have finished processing. */
function readyMediaFile(
	field: string,
	id: string,
	expected: 'IMAGE' | 'VIDEO',
	library: MediaLibrary,
): FileDescriptor | undefined {
	const file = library.mediaManager()?.getFile(id);
	if (!file) return undefined;
	if (file.operationStatus !== 'READY') {
		throw new WixHttpError(
			400,
			`Media file ${id} is not ready (operationStatus ${file.operationStatus}); wait until it is READY before adding it to a gallery`,
			{
				validationError: {
					fieldViolations: [
						{
							field,
							description: `media file ${id} is ${file.operationStatus}, not READY; wait until processing is done`,
							violatedRule: 'FORMAT',
							ruleName: 'MEDIA_NOT_READY',
						},
					],
				},
			},
		);
	}
	if (file.mediaType !== expected) {
		throw invalidArgument(field, `refers to a ${file.mediaType} file, not an ${expected} file`);
	}
	return file;
}
