import { parseMediaReference } from '../../nodes/shared/wix/mediaManager/mediaReference';
import { simplifyFile } from '../../nodes/shared/wix/mediaManager/output';
import { imageInfoFromFile } from '../../nodes/shared/wix/proGallery/mediaInfo';
import { parseIdList } from '../../nodes/shared/idList';
import { itemDetailsToWix } from '../../nodes/WixProGallery/actions/item/common';
import { simplifyGallery, simplifyItem } from '../../nodes/shared/wix/proGallery/output';

describe('parseMediaReference', () => {
	it('accepts bare ids, static URLs, video URLs and wix: URIs', () => {
		const id = '11062b_12703ed9a6574547bcaed22b1ce44eef~mv2.jpeg';
		expect(parseMediaReference(` ${id} `)).toBe(id);
		expect(parseMediaReference(`https://static.wixstatic.com/media/${id}`)).toBe(id);
		expect(
			parseMediaReference(`https://static.wixstatic.com/media/${id}/v1/fill/w_100,h_100/a.jpg`),
		).toBe(id);
		expect(
			parseMediaReference('https://video.wixstatic.com/video/11062b_abc/720p/mp4/file.mp4'),
		).toBe('11062b_abc');
		expect(
			parseMediaReference(`wix:image://v1/${id}/sunset.jpeg#originWidth=10&originHeight=20`),
		).toBe(id);
		expect(parseMediaReference('   ')).toBeUndefined();
		expect(parseMediaReference('https://example.com/nothing-here.jpg')).toBeUndefined();
	});
});

describe('parseIdList', () => {
	it('splits text, keeps arrays, trims and de-duplicates', () => {
		expect(parseIdList('a, b ,c;a\nd')).toEqual(['a', 'b', 'c', 'd']);
		expect(parseIdList(['x', ' y ', 'x', ''])).toEqual(['x', 'y']);
		expect(parseIdList('')).toEqual([]);
	});
});

describe('itemDetailsToWix', () => {
	it('sends only the fields that were set', () => {
		expect(itemDetailsToWix({})).toEqual({});
		expect(itemDetailsToWix({ title: 'T', tags: 'a, b,,c ' })).toEqual({
			title: 'T',
			tags: { values: ['a', 'b', 'c'] },
		});
		expect(itemDetailsToWix({ linkUrl: 'https://x.test' })).toEqual({
			link: { url: 'https://x.test' },
		});
		expect(itemDetailsToWix({ sortOrder: 0 })).toEqual({ sortOrder: 0 });
	});
});

describe('simplify', () => {
	it('flattens image, video and text items the same way', () => {
		const image = simplifyItem(
			{
				id: 'i1',
				type: 'IMAGE',
				title: 'Sunset',
				sortOrder: 3,
				image: {
					imageInfo: {
						id: 'm1',
						url: 'https://static.wixstatic.com/media/m1',
						width: 10,
						height: 20,
					},
				},
				tags: { values: ['beach'] },
			},
			'g1',
		);
		expect(image).toMatchObject({
			id: 'i1',
			galleryId: 'g1',
			type: 'IMAGE',
			mediaId: 'm1',
			mediaUrl: 'https://static.wixstatic.com/media/m1',
			width: 10,
			height: 20,
			sortOrder: 3,
			tags: ['beach'],
		});
		const video = simplifyItem(
			{
				id: 'v1',
				video: {
					videoInfo: {
						id: 'vid',
						resolutions: [
							{ url: 'low', width: 320, height: 180 },
							{ url: 'high', width: 1280, height: 720 },
						],
					},
				},
			},
			'g1',
		);
		expect(video).toMatchObject({
			type: 'VIDEO',
			mediaId: 'vid',
			mediaUrl: 'high',
			width: 1280,
			height: 720,
		});
		expect(simplifyItem({ id: 't', text: { html: '<p>x</p>' } }, 'g1')).toMatchObject({
			type: 'TEXT',
			text: '<p>x</p>',
			mediaUrl: null,
		});
		const gallery = simplifyGallery({ id: 'g1', name: 'G', totalItems: 7, items: [{ id: 'i1' }] });
		expect(gallery).toMatchObject({ id: 'g1', name: 'G', totalItems: 7 });
		expect((gallery.items as unknown[]).length).toBe(1);
	});

	it('maps a READY file to imageInfo and flat fields', () => {
		const file = {
			id: 'f1~mv2.png',
			displayName: 'a.png',
			url: 'https://static.wixstatic.com/media/f1~mv2.png',
			sizeInBytes: '1234',
			mediaType: 'IMAGE',
			operationStatus: 'READY' as const,
			media: { image: { image: { width: 40, height: 30, filename: 'a.png' } } },
		};
		// The shape @wix/pro-gallery sends: the file's image as a wix:image:// URI, its name as filename and alt text.
		expect(imageInfoFromFile(file)).toEqual({
			id: 'f1~mv2.png',
			url: 'wix:image://v1/f1~mv2.png/a.png#originWidth=40&originHeight=30',
			width: 40,
			height: 30,
			filename: 'a.png',
			altText: 'a.png',
		});
		expect(
			imageInfoFromFile({ ...file, media: { image: { image: { width: 40, height: 30 } } } }),
		).toEqual({
			id: 'f1~mv2.png',
			width: 40,
			height: 30,
		});
		expect(simplifyFile(file)).toMatchObject({
			id: 'f1~mv2.png',
			sizeInBytes: 1234,
			width: 40,
			status: 'READY',
		});
	});
});
