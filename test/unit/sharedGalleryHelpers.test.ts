import { normaliseDisplayUrl, normaliseItem } from '../../nodes/shared/wix/sharedGallery/normalise';
import { mediaTypeOf } from '../../nodes/shared/wix/sharedGallery/output';
import {
	expectedArchiveNames,
	fileNameFromDisposition,
	matchArchiveEntries,
} from '../../nodes/WixSharedGallery/helpers/archiveNames';
import { parseIdList } from '../../nodes/shared/idList';
import { description as downloadProperties } from '../../nodes/WixSharedGallery/actions/item/download.operation';
import { DEFAULT_ZIP_LIMITS } from '../../nodes/WixSharedGallery/zip';

describe('archive names', () => {
	test('predicts Wix’s de-duplication: case-insensitive, " (n)" before the extension, in request order', () => {
		expect(
			expectedArchiveNames(['a.png', 'A.png', 'a (2).png', 'a.png', 'noext', 'noext', 'x/y.png']),
		).toEqual([
			'a.png',
			'A (2).png',
			'a (2) (2).png',
			'a (3).png',
			'noext',
			'noext (2)',
			'x_y.png',
		]);
	});

	test('matches entries in request order exactly', () => {
		const candidates = [
			{ id: '1', name: 'a.png' },
			{ id: '2', name: 'a.png' },
			{ id: '3', name: 'b.mp4' },
		];
		expect(
			matchArchiveEntries(
				[{ name: 'a.png' }, { name: 'a (2).png' }, { name: 'b.mp4' }],
				candidates,
			),
		).toEqual([0, 1, 2]);
	});

	test('matches entries in another order or numbering by base name and size', () => {
		const candidates = [
			{ id: '1', name: 'a.png', sizeBytes: 10 },
			{ id: '2', name: 'a.png', sizeBytes: 20 },
			{ id: '3', name: 'b.png', sizeBytes: 30 },
		];
		// The archive lists the second "a.png" first and numbers copies from 1.
		expect(
			matchArchiveEntries(
				[
					{ name: 'b.png', size: 30 },
					{ name: 'a.png', size: 20 },
					{ name: 'a (1).png', size: 10 },
				],
				candidates,
			),
		).toEqual([2, 1, 0]);
	});

	test('leaves what matches nothing unmatched, and never matches one item twice', () => {
		expect(
			matchArchiveEntries(
				[{ name: 'a.png' }, { name: 'a (2).png' }, { name: 'other.png' }],
				[{ id: '1', name: 'a.png' }],
			),
		).toEqual([0, -1, -1]);
	});

	test('a wrong size does not match even under the right name', () => {
		expect(
			matchArchiveEntries([{ name: 'a.png', size: 5 }], [{ id: '1', name: 'a.png', sizeBytes: 6 }]),
		).toEqual([-1]);
	});
});

describe('response shapes', () => {
	test('an item in the schema’s shape', () => {
		const item = normaliseItem({
			id: 'i1',
			name: 'clip.MOV',
			type: 'VISUAL_MEDIA',
			createdBy: { id: 'm1', name: 'Ann' },
			memberTagCount: 3,
			likeCount: 2,
			additionalInfo: {
				visualMediaInfo: { fileExtension: 'MOV', size: '99', previewImages: [{ url: 'u' }] },
			},
		});
		expect(item).toMatchObject({
			id: 'i1',
			createdById: 'm1',
			createdByName: 'Ann',
			memberTagCount: 3,
			likeCount: 2,
			fileExtension: 'MOV',
			sizeBytes: 99,
			previewUrl: 'u',
		});
		expect(mediaTypeOf(item)).toBe('video');
	});

	test('media types come from the extension, or the name when Wix gives none', () => {
		expect(mediaTypeOf({ type: 'VISUAL_MEDIA', name: 'x.gif' })).toBe('gif');
		expect(mediaTypeOf({ type: 'VISUAL_MEDIA', name: 'x.jpeg' })).toBe('image');
		expect(mediaTypeOf({ type: 'VISUAL_MEDIA', name: 'noext' })).toBe('image');
		expect(mediaTypeOf({ type: 'ALBUM', name: 'Trip' })).toBeNull();
		expect(mediaTypeOf({ type: 'UNKNOWN', name: 'noext' })).toBeNull();
	});

	test('display URLs in the schema’s shape', () => {
		expect(
			normaliseDisplayUrl({
				itemId: 'i1',
				viewUrl: { url: 'https://x/y', notProcessedYet: true },
				metadata: { imageInfo: { width: 4, height: 3 } },
			}),
		).toMatchObject({
			itemId: 'i1',
			url: 'https://x/y',
			notProcessedYet: true,
			kind: 'image',
			width: 4,
			height: 3,
			durationMs: null,
		});
	});
});

describe('small parsers', () => {
	test('Content-Disposition file names, UTF-8 form first', () => {
		expect(
			fileNameFromDisposition(`attachment; filename="caf_.png"; filename*=UTF-8''caf%C3%A9.png`),
		).toBe('café.png');
		expect(fileNameFromDisposition('attachment; filename="a b.png"')).toBe('a b.png');
		expect(fileNameFromDisposition('attachment; filename=plain.png')).toBe('plain.png');
		expect(fileNameFromDisposition(undefined)).toBeUndefined();
	});

	test('ID lists from text or arrays, without blanks or repeats', () => {
		expect(parseIdList('a, b;c\nd a')).toEqual(['a', 'b', 'c', 'd']);
		expect(parseIdList(['x', ' y ', '', null, 'x'])).toEqual(['x', 'y']);
		expect(parseIdList(undefined)).toEqual([]);
	});
});

describe('Download options', () => {
	test('the archive limits default to the reader’s own defaults', () => {
		const options = downloadProperties.find((property) => property.name === 'options');
		const defaults = Object.fromEntries(
			(options?.options ?? []).map((option) => [
				(option as { name: string }).name,
				(option as { default: unknown }).default,
			]),
		);
		expect(defaults).toMatchObject({
			maxEntries: DEFAULT_ZIP_LIMITS.maxEntries,
			maxCompressionRatio: DEFAULT_ZIP_LIMITS.maxCompressionRatio,
			maxTotalSizeMb: DEFAULT_ZIP_LIMITS.maxTotalUncompressedBytes / (1024 * 1024),
		});
	});
});
