import { pngImage } from '../../lib/mediaBytes';

/**
 * Wix's URL-based image transformations (dev.wix.com/docs/api-reference/assets/media/media-manager/
 * url-image-transformation): `<static media URL>/v1/<fit|fill>/w_<width>,h_<height>[,…]/file.<ext>`.
 *
 * What the sandbox does with them, precisely:
 * - `fit` scales the original into the box, keeping its aspect ratio and never enlarging it (Wix: "images aren't
 *   scaled up beyond their original size, attempts to do so returns the original image"): a box at least as large
 *   as the original answers the original file's bytes.
 * - `fill` answers exactly width × height (Wix scales and crops to fill the box).
 * - A scaled image is a new PNG of the target size drawn from the file's id (a gradient), not a resampling of the
 *   original's pixels; it is always PNG, whatever extension the URL asks for, with `Content-Type: image/png`.
 * - Other methods (`crop`) and parameters outside Wix's documented range (1–5000) answer 400, as Wix documents for
 *   invalid parameters; other comma-separated parameters (`al_c`, `q_80`, …) are accepted and ignored.
 */

export const TRANSFORM_METHODS = ['fit', 'fill'] as const;
export type TransformMethod = (typeof TRANSFORM_METHODS)[number];

export interface ImageTransform {
	method: TransformMethod;
	width: number;
	height: number;
}

/** The transform a URL's `<method>/<params>` names, or the reason it is invalid. */
export function parseImageTransform(
	method: string,
	params: string,
): ImageTransform | { invalid: string } {
	if (!(TRANSFORM_METHODS as readonly string[]).includes(method)) {
		return { invalid: `unsupported transformation "${method}" (the sandbox has fit and fill)` };
	}
	const values = new Map<string, string>();
	for (const part of params.split(',')) {
		const at = part.indexOf('_');
		if (at > 0) values.set(part.slice(0, at), part.slice(at + 1));
	}
	const dimension = (name: 'w' | 'h') => {
		const text = values.get(name);
		const value = Number(text);
		return text !== undefined && /^\d+$/.test(text) && value >= 1 && value <= 5000
			? value
			: undefined;
	};
	const width = dimension('w');
	const height = dimension('h');
	if (width === undefined || height === undefined) {
		return { invalid: `w_ and h_ must be whole numbers from 1 to 5000 (got "${params}")` };
	}
	return { method: method as TransformMethod, width, height };
}

/** The size Wix answers for an original of `width` × `height`, or undefined when it answers the original. */
export function transformedSize(
	transform: ImageTransform,
	original: { width: number; height: number },
): { width: number; height: number } | undefined {
	if (transform.method === 'fill') return { width: transform.width, height: transform.height };
	const scale = Math.min(transform.width / original.width, transform.height / original.height);
	if (scale >= 1) return undefined;
	return {
		width: Math.max(1, Math.round(original.width * scale)),
		height: Math.max(1, Math.round(original.height * scale)),
	};
}

/** Sized images drawn so far (small: tests ask for a few sizes), so that repeated requests answer the same bytes. */
const drawn = new Map<string, Buffer>();
const MAX_DRAWN = 64;

export function drawSizedImage(fileId: string, size: { width: number; height: number }): Buffer {
	const key = `${fileId}:${size.width}x${size.height}`;
	let bytes = drawn.get(key);
	if (!bytes) {
		const seed = parseInt(fileId.replace(/[^0-9a-f]/gi, '').slice(-8), 16) || 1;
		bytes = pngImage({ ...size, seed });
		if (drawn.size >= MAX_DRAWN) drawn.delete(drawn.keys().next().value as string);
		drawn.set(key, bytes);
	}
	return bytes;
}
