import { downloadUrlOf, mediaSourceOf } from '../../nodes/WixProGallery/helpers/mediaDownload';
import type { MediaDownloadOptions } from '../../nodes/WixProGallery/helpers/mediaDownload';

const options = (imageSize: MediaDownloadOptions['imageSize']): MediaDownloadOptions => ({
	binaryPropertyName: 'data',
	imageSize,
	width: 640,
	height: 480,
	itemsWithoutFile: 'skip',
});

describe('Download Media: which URL an item is fetched from', () => {
	const image = {
		id: 'item-1',
		type: 'IMAGE' as const,
		image: {
			imageInfo: {
				id: '11062b_12703ed9a6574547bcaed22b1ce44eef~mv2.jpeg',
				url: 'https://static.wixstatic.com/media/11062b_12703ed9a6574547bcaed22b1ce44eef~mv2.jpeg',
			},
		},
	};

	test("an image: its static URL, or Wix's documented fit/fill transformation of it", () => {
		const source = mediaSourceOf(image);
		expect(source).toEqual({
			url: image.image.imageInfo.url,
			kind: 'image',
			baseName: '11062b_12703ed9a6574547bcaed22b1ce44eef',
			extension: 'jpeg',
		});
		expect(downloadUrlOf(source!, options('original'))).toBe(image.image.imageInfo.url);
		expect(downloadUrlOf(source!, options('fit'))).toBe(
			`${image.image.imageInfo.url}/v1/fit/w_640,h_480/file.jpg`,
		);
		expect(downloadUrlOf(source!, options('fill'))).toBe(
			`${image.image.imageInfo.url}/v1/fill/w_640,h_480/file.jpg`,
		);
	});

	test('a URL that already carries a transformation is resized from the original; a missing URL comes from the ID', () => {
		const transformed = mediaSourceOf({
			...image,
			image: {
				imageInfo: {
					...image.image.imageInfo,
					filename: 'beach.png',
					url: `${image.image.imageInfo.url}/v1/fill/w_10,h_10/file.jpg`,
				},
			},
		});
		expect(transformed?.baseName).toBe('beach');
		expect(downloadUrlOf(transformed!, options('fit'))).toBe(
			`${image.image.imageInfo.url}/v1/fit/w_640,h_480/file.png`,
		);
		const byId = mediaSourceOf({ ...image, image: { imageInfo: { id: 'abc~mv2.png' } } });
		expect(byId?.url).toBe('https://static.wixstatic.com/media/abc~mv2.png');
	});

	test('a Wix video: the file it points to, never resized; YouTube, Vimeo and text items have no file', () => {
		const video = mediaSourceOf({
			id: 'v',
			type: 'VIDEO',
			video: {
				type: 'WIX_MEDIA',
				videoInfo: { id: '11062b_abc', url: 'https://video.wixstatic.com/video/11062b_abc/file' },
			},
		});
		expect(video).toMatchObject({ kind: 'video', baseName: '11062b_abc', extension: 'mp4' });
		expect(downloadUrlOf(video!, options('fit'))).toBe(
			'https://video.wixstatic.com/video/11062b_abc/file',
		);
		expect(
			mediaSourceOf({
				type: 'VIDEO',
				video: { type: 'YOUTUBE', videoInfo: { url: 'https://www.youtube.com/watch?v=x' } },
			}),
		).toBeUndefined();
		expect(
			mediaSourceOf({
				type: 'VIDEO',
				video: { type: 'VIMEO', videoInfo: { url: 'https://vimeo.com/1' } },
			}),
		).toBeUndefined();
		expect(mediaSourceOf({ type: 'TEXT', text: { html: '<p>x</p>' } })).toBeUndefined();
	});

	test('names are made safe as file names', () => {
		const source = mediaSourceOf({
			...image,
			image: { imageInfo: { ...image.image.imageInfo, filename: '../../etc/pass:wd.jpg' } },
		});
		expect(source?.baseName).toBe('.._.._etc_pass_wd');
	});
});
