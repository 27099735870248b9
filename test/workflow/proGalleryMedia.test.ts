import { createHash } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { createMediaManagerModule, createProGalleryModule, pngImage } from '../../sandbox/src';
import type { MediaManagerModule } from '../../sandbox/src';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import type { NodeRunResult } from '../support/harness';
import {
	SAMPLE_JPEG,
	SAMPLE_MP4,
	apiRequests,
	byId,
	runProGallery,
	wixCall,
} from '../support/workflow';

/**
 * Item → Get / Get Many with Download Media, against the sandbox's default seed (docs: README, Wix Pro Gallery node):
 * "Summer 2026" (five PNGs), "Studio portraits" (the sample JPEG, three PNGs, one text item) and "Product videos"
 * (two MP4 videos, two PNGs).
 */

interface SeedItem {
	id: string;
	title?: string;
	type?: string;
	image?: { imageInfo?: { id?: string; width?: number; height?: number } };
	video?: { videoInfo?: { id?: string } };
}

let sandbox: TestSandbox;
let media: MediaManagerModule;

beforeAll(async () => {
	media = createMediaManagerModule();
	sandbox = await startTestSandbox({ modules: [media, createProGalleryModule()] });
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await sandbox.control.reset('default');
	await sandbox.control.clearRequests();
});

async function galleryByName(name: string): Promise<{ id: string; items: SeedItem[] }> {
	const { galleries } = await wixCall<{ galleries: Array<{ id: string; name: string }> }>(
		sandbox,
		'GET',
		'/pro-gallery/v2/galleries?limit=10',
	);
	const gallery = galleries.find((candidate) => candidate.name === name);
	if (!gallery) throw new Error(`No seeded gallery "${name}"`);
	const { items } = await wixCall<{ items: SeedItem[] }>(
		sandbox,
		'GET',
		`/pro-gallery/v2/galleries/${gallery.id}/items?itemLimit=100`,
	);
	return { id: gallery.id, items };
}

function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Width and height from a PNG's IHDR or a JPEG's start-of-frame header. */
function imageSize(bytes: Buffer): { format: string; width: number; height: number } {
	if (bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('latin1', 12, 16) === 'IHDR') {
		return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	}
	if (bytes[0] === 0xff && bytes[1] === 0xd8) {
		for (let offset = 2; offset + 9 < bytes.length; ) {
			const marker = bytes[offset + 1];
			if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
				return {
					format: 'jpeg',
					height: bytes.readUInt16BE(offset + 5),
					width: bytes.readUInt16BE(offset + 7),
				};
			}
			offset += 2 + bytes.readUInt16BE(offset + 2);
		}
	}
	throw new Error('Neither a PNG nor a JPEG');
}

function getMany(galleryId: string, download: INodeParameters = {}): INodeParameters {
	return {
		resource: 'item',
		operation: 'getAll',
		galleryId: byId(galleryId),
		returnAll: true,
		downloadMedia: true,
		...download,
	};
}

async function filesOf(result: NodeRunResult, property = 'data'): Promise<Buffer[]> {
	return await Promise.all(
		result.items.map(async (item) => await result.binaryBuffer(item, property)),
	);
}

function binaryOf(item: INodeExecutionData, property = 'data') {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`No binary "${property}" on ${JSON.stringify(item.json)}`);
	return binary;
}

async function mediaRequests(): Promise<Array<{ path: string; status: number }>> {
	return (await apiRequests(sandbox, /^\/media\//)).map(({ path, status }) => ({ path, status }));
}

describe('Item → Get Many with Download Media', () => {
	test('outputs every image as uploaded, with its fields, type, name and size, streamed into the binary store', async () => {
		const gallery = await galleryByName('Summer 2026');

		const result = await runProGallery(sandbox, getMany(gallery.id));

		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(gallery.items.map((item) => item.id));
		expect(result.items[0].json).toMatchObject({
			galleryId: gallery.id,
			type: 'IMAGE',
			title: 'Beach at sunset',
			tags: ['beach', 'sunset'],
		});
		const files = await filesOf(result);
		files.forEach((bytes, index) => {
			const mediaId = String(result.items[index].json.mediaId);
			expect(sha256(bytes)).toBe(sha256(media.fileBytes(mediaId) as Buffer));
		});
		const first = binaryOf(result.items[0]);
		expect(first).toMatchObject({
			fileName: 'beach-sunset.png',
			mimeType: 'image/png',
			fileExtension: 'png',
			bytes: pngImage({ width: 360, height: 240, seed: 11 }).length,
		});
		expect(first.fileSize).toEqual(expect.any(String));
		// Stored by n8n's filesystem binary store, not held in the item as base64.
		expect(first.id).toEqual(expect.stringMatching(/^filesystem/));
		expect(await mediaRequests()).toEqual(
			gallery.items.map((item) => ({ path: `/media/${item.image?.imageInfo?.id}`, status: 200 })),
		);
	});

	test('Fit asks Wix for the sized image and gets one that fits the box, proportions kept', async () => {
		const gallery = await galleryByName('Studio portraits');

		const result = await runProGallery(
			sandbox,
			getMany(gallery.id, { imageSize: 'fit', imageWidth: 120, imageHeight: 120 }),
		);

		expect(result.nodeFailure).toBeUndefined();
		// The text item is skipped by default.
		expect(result.items.map((item) => item.json.title)).toEqual([
			'Studio session',
			'Anna',
			'Ben',
			'Duo',
		]);
		const sizes = (await filesOf(result)).map(imageSize);
		expect(sizes).toEqual([
			{ format: 'png', width: 120, height: 80 }, // the 640 × 426 JPEG
			{ format: 'png', width: 80, height: 120 },
			{ format: 'png', width: 80, height: 120 },
			{ format: 'png', width: 120, height: 80 },
		]);
		// The sandbox answers sized images as PNG: the name follows the type of the answer.
		expect(binaryOf(result.items[0])).toMatchObject({
			fileName: 'studio-session.png',
			mimeType: 'image/png',
		});
		const imageIds = gallery.items
			.filter((item) => item.image)
			.map((item) => item.image?.imageInfo?.id);
		expect(await mediaRequests()).toEqual([
			{ path: `/media/${imageIds[0]}/v1/fit/w_120,h_120/file.jpg`, status: 200 },
			...imageIds
				.slice(1)
				.map((id) => ({ path: `/media/${id}/v1/fit/w_120,h_120/file.png`, status: 200 })),
		]);
	});

	test('Fit with a box larger than the image gets the original, as Wix does; Fill gets exactly the size', async () => {
		const gallery = await galleryByName('Studio portraits');

		const fitLarge = await runProGallery(
			sandbox,
			getMany(gallery.id, { imageSize: 'fit', imageWidth: 2000, imageHeight: 2000 }),
		);
		expect(fitLarge.nodeFailure).toBeUndefined();
		const originals = await filesOf(fitLarge);
		expect(sha256(originals[0])).toBe(sha256(SAMPLE_JPEG));
		expect(binaryOf(fitLarge.items[0])).toMatchObject({
			fileName: 'studio-session.jpg',
			mimeType: 'image/jpeg',
		});
		expect(imageSize(originals[0])).toEqual({ format: 'jpeg', width: 640, height: 426 });

		const fill = await runProGallery(
			sandbox,
			getMany(gallery.id, { imageSize: 'fill', imageWidth: 100, imageHeight: 50 }),
		);
		expect(fill.nodeFailure).toBeUndefined();
		expect((await filesOf(fill)).map(imageSize)).toEqual(
			Array(4).fill({ format: 'png', width: 100, height: 50 }),
		);
	});

	test('Items Without a File → Output Them Without a File keeps the text item, with no binary', async () => {
		const gallery = await galleryByName('Studio portraits');

		const result = await runProGallery(
			sandbox,
			getMany(gallery.id, { itemsWithoutFile: 'passThrough' }),
		);

		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(5);
		const text = result.items[4];
		expect(text.json).toMatchObject({ type: 'TEXT', title: 'About the studio' });
		expect(text.binary).toBeUndefined();
		expect(result.items.slice(0, 4).every((item) => item.binary?.data)).toBe(true);
	});

	test('videos come as uploaded, whatever the image size, in their own binary field', async () => {
		const gallery = await galleryByName('Product videos');

		const result = await runProGallery(
			sandbox,
			getMany(gallery.id, {
				binaryPropertyName: 'media',
				imageSize: 'fit',
				imageWidth: 64,
				imageHeight: 64,
			}),
		);

		expect(result.nodeFailure).toBeUndefined();
		const videos = result.items.filter((item) => item.json.type === 'VIDEO');
		expect(videos).toHaveLength(2);
		for (const video of videos) {
			expect(sha256(await result.binaryBuffer(video, 'media'))).toBe(sha256(SAMPLE_MP4));
			expect(binaryOf(video, 'media')).toMatchObject({
				mimeType: 'video/mp4',
				fileName: expect.stringMatching(/\.mp4$/),
				bytes: SAMPLE_MP4.length,
			});
		}
		const images = result.items.filter((item) => item.json.type === 'IMAGE');
		expect(images).toHaveLength(2);
		for (const image of images) {
			expect(imageSize(await result.binaryBuffer(image, 'media'))).toEqual({
				format: 'png',
				width: 64,
				height: 64,
			});
		}
		const videoIds = gallery.items
			.filter((item) => item.video)
			.map((item) => item.video?.videoInfo?.id);
		const paths = (await mediaRequests()).map((request) => request.path);
		for (const id of videoIds) expect(paths).toContain(`/media/${id}`);
	});

	test('a media URL that answers 404 fails the node with that status, naming the item and the URL', async () => {
		const gallery = await galleryByName('Summer 2026');
		const lostId = gallery.items[2].image?.imageInfo?.id as string;
		await wixCall(sandbox, 'POST', '/site-media/v1/bulk/files/delete', {
			fileIds: [lostId],
			permanent: true,
		});

		const result = await runProGallery(sandbox, getMany(gallery.id));

		expect(result.nodeFailure).toMatchObject({
			name: 'NodeApiError',
			httpCode: '404',
			message: `Could not download the media of item "Mountain trail" (${gallery.items[2].id}): HTTP 404`,
		});
		expect(result.nodeFailure?.description).toContain(`/media/${lostId}`);
	});

	test('with Continue On Fail, the item whose media is gone becomes an error item and the others keep their files', async () => {
		const gallery = await galleryByName('Summer 2026');
		const lostId = gallery.items[2].image?.imageInfo?.id as string;
		await wixCall(sandbox, 'POST', '/site-media/v1/bulk/files/delete', {
			fileIds: [lostId],
			permanent: true,
		});

		const result = await runProGallery(sandbox, getMany(gallery.id), { continueOnFail: true });

		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(5);
		const failed = result.items[2];
		expect(failed.binary).toBeUndefined();
		expect(failed.json).toMatchObject({
			error: expect.stringContaining('HTTP 404'),
			itemId: gallery.items[2].id,
			galleryId: gallery.id,
		});
		expect(failed.pairedItem).toEqual({ item: 0 });
		const kept = [0, 1, 3, 4].map((index) => result.items[index]);
		for (const item of kept) {
			expect(sha256(await result.binaryBuffer(item))).toBe(
				sha256(media.fileBytes(String(item.json.mediaId)) as Buffer),
			);
		}
	});

	test('without Download Media, Get Many fetches no media at all', async () => {
		const gallery = await galleryByName('Summer 2026');

		const result = await runProGallery(sandbox, getMany(gallery.id, { downloadMedia: false }));

		expect(result.items).toHaveLength(5);
		expect(result.items.every((item) => item.binary === undefined)).toBe(true);
		expect(await mediaRequests()).toEqual([]);
	});
});

describe('Item → Get with Download Media', () => {
	function get(galleryId: string, itemId: string, download: INodeParameters = {}): INodeParameters {
		return {
			resource: 'item',
			operation: 'get',
			galleryId: byId(galleryId),
			itemId: byId(itemId),
			downloadMedia: true,
			...download,
		};
	}

	test('outputs the image with its fields', async () => {
		const gallery = await galleryByName('Summer 2026');
		const item = gallery.items[1];

		const result = await runProGallery(sandbox, get(gallery.id, item.id));

		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ id: item.id, title: 'Harbour boats' });
		expect(sha256(await result.binaryBuffer(result.items[0]))).toBe(
			sha256(pngImage({ width: 320, height: 240, seed: 12 })),
		);
		expect(binaryOf(result.items[0])).toMatchObject({
			fileName: 'harbour-boats.png',
			mimeType: 'image/png',
		});
	});

	test('a text item is skipped, or passed through without a file', async () => {
		const gallery = await galleryByName('Studio portraits');
		const text = gallery.items.find((item) => item.type === 'TEXT') as SeedItem;

		const skipped = await runProGallery(sandbox, get(gallery.id, text.id));
		expect(skipped.nodeFailure).toBeUndefined();
		expect(skipped.items).toEqual([]);

		const passed = await runProGallery(
			sandbox,
			get(gallery.id, text.id, { itemsWithoutFile: 'passThrough' }),
		);
		expect(passed.items).toHaveLength(1);
		expect(passed.items[0].json).toMatchObject({ id: text.id, type: 'TEXT' });
		expect(passed.items[0].binary).toBeUndefined();
		expect(await mediaRequests()).toEqual([]);
	});

	test('a 404 media URL becomes an error item with Continue On Fail', async () => {
		const gallery = await galleryByName('Summer 2026');
		const item = gallery.items[0];
		await wixCall(sandbox, 'POST', '/site-media/v1/bulk/files/delete', {
			fileIds: [item.image?.imageInfo?.id],
			permanent: true,
		});

		const result = await runProGallery(sandbox, get(gallery.id, item.id), {
			continueOnFail: true,
		});

		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toBe(
			`Could not download the media of item "Beach at sunset" (${item.id}): HTTP 404`,
		);
		expect(result.items[0].binary).toBeUndefined();
	});

	test.each([
		[{ imageSize: 'fit', imageWidth: 0, imageHeight: 100 }, '"Width" must be at least 1, not 0'],
		[
			{ imageSize: 'fill', imageWidth: 100, imageHeight: 5001 },
			'"Height" must be at most 5000, not 5001',
		],
		[
			{ imageSize: 'fit', imageWidth: 10.5, imageHeight: 100 },
			'"Width" must be a whole number, not 10.5',
		],
		[{ binaryPropertyName: '  ' }, '"Put Output File in Field" is empty'],
		[{ itemsWithoutFile: 'drop' }, '"Items Without a File" must be'],
	])(
		'invalid parameters fail before any request, naming the parameter: %j',
		async (parameters, message) => {
			const gallery = await galleryByName('Summer 2026');
			await sandbox.control.clearRequests();

			const result = await runProGallery(sandbox, get(gallery.id, gallery.items[0].id, parameters));

			expect(result.nodeFailure?.name).toBe('NodeOperationError');
			expect(result.nodeFailure?.message).toContain(message);
			expect(await apiRequests(sandbox, /\/items\/|^\/media\//)).toEqual([]);
		},
	);
});
