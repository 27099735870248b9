import { invalidArgument } from '../../errors';
import type { WixHttpError } from '../../errors';
import { clone, isObject, merge } from './json';
import type { JsonObject } from './types';

/** The fields a caller may set on an item, and how a partial update merges into the stored item. */

const ITEM_FIELDS = [
	'sortOrder',
	'title',
	'description',
	'link',
	'image',
	'video',
	'text',
	'tags',
	'secondaryMedia',
];
export const MEDIA_FIELDS = ['image', 'video', 'text'] as const;
export type MediaField = (typeof MEDIA_FIELDS)[number];

export function fieldViolation(field: string, description: string): WixHttpError {
	return invalidArgument(field, description, 'REQUIRED_FIELD');
}

/** The settable fields of `source`, copied; anything else a caller sends is dropped, as Wix does. */
export function pickItemFields(source: JsonObject): JsonObject {
	const picked: JsonObject = {};
	for (const key of ITEM_FIELDS) if (source[key] !== undefined) picked[key] = clone(source[key]);
	return picked;
}

export function checkSortOrder(fields: JsonObject, field: string): void {
	if (
		fields.sortOrder !== undefined &&
		(typeof fields.sortOrder !== 'number' || !Number.isFinite(fields.sortOrder))
	) {
		throw invalidArgument(field, 'must be a number');
	}
}

/** The media blocks an update sends; more than one breaks the one-of rule. */
export function sentMediaFields(fields: JsonObject): MediaField[] {
	const sent = MEDIA_FIELDS.filter((key) => fields[key] !== undefined && fields[key] !== null);
	if (sent.length > 1) {
		throw invalidArgument(
			'item',
			`must have only one of image, video or text (got ${sent.join(', ')})`,
		);
	}
	return sent;
}

/**
 * The item after a partial update: `link` and `tags` replace, objects merge, and a media block merges into the
 * same kind of block unless it names another file (then the old file's reference goes) or switches kind.
 */
export function applyItemPatch(
	current: JsonObject,
	fields: JsonObject,
	sentMedia: MediaField[],
): JsonObject {
	const next: JsonObject = { ...current };
	for (const [key, value] of Object.entries(fields)) {
		if (key === 'link' || key === 'tags') next[key] = value;
		else if (sentMedia.includes(key as MediaField)) {
			const sameKind = isObject(current[key]);
			const mediaPatch: JsonObject = value;
			// A different file replaces the whole reference: the old url and size belong to the old file.
			const newReference =
				(key === 'image' &&
					isObject(mediaPatch.imageInfo) &&
					mediaPatch.imageInfo.id !== current.image?.imageInfo?.id) ||
				(key === 'video' &&
					isObject(mediaPatch.videoInfo) &&
					mediaPatch.videoInfo.id !== current.video?.videoInfo?.id);
			if (!sameKind) next[key] = value;
			else if (newReference) {
				const infoKey = key === 'image' ? 'imageInfo' : 'videoInfo';
				next[key] = merge({ ...current[key], [infoKey]: undefined }, mediaPatch);
			} else next[key] = merge(current[key], mediaPatch);
			for (const other of MEDIA_FIELDS) if (other !== key) delete next[other];
		} else
			next[key] = isObject(value) && isObject(current[key]) ? merge(current[key], value) : value;
	}
	return next;
}
