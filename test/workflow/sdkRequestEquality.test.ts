import type { INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { createMediaManagerModule, createProGalleryModule } from '../../sandbox/src';
import { cleanupBinaryData } from '../support/harness';
import type { InputItem } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { RequestLogEntry, TestSandbox } from '../support/sandbox';
import { wixSdkClient } from '../support/wixSdk';
import {
	SAMPLE_JPEG,
	SAMPLE_MP4,
	byId,
	createGalleryWithItems,
	runProGallery,
	startMediaHost,
	wixCall,
} from '../support/workflow';

/**
 * For each operation, the requests the node sends to Wix must be the ones Wix's own SDK sends for the same call:
 * the SDK is Wix's reference client, so a request that matches it is one Wix's gateway understands.
 * Both go through the sandbox, whose request log records method, path, query and body as received.
 */

let sandbox: TestSandbox;
let sdk: ReturnType<typeof wixSdkClient>;

beforeAll(async () => {
	sandbox = await startTestSandbox({
		modules: [createMediaManagerModule(), createProGalleryModule()],
		config: { mediaReadyDelayMs: 0 },
	});
	sdk = wixSdkClient(sandbox);
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
});

beforeEach(async () => {
	await sandbox.control.reset('empty');
});

type WireRequest = Pick<RequestLogEntry, 'method' | 'path' | 'query' | 'body'>;

/** The Wix API requests made while `action` ran (uploads to the signed URL are not API calls). */
async function capture(action: () => Promise<unknown>): Promise<WireRequest[]> {
	await sandbox.control.clearRequests();
	await action();
	const requests = await sandbox.control.requests();
	return requests
		.filter((request) => !request.path.startsWith('/upload/'))
		.map(({ method, path, query, body }) => ({ method, path, query, body }));
}

async function nodeRequests(
	parameters: INodeParameters,
	input?: InputItem[],
): Promise<WireRequest[]> {
	return await capture(async () => {
		const result = await runProGallery(sandbox, parameters, { input });
		if (result.nodeFailure) throw new Error(`node failed: ${result.nodeFailure.message}`);
	});
}

async function seedGallery(items = 3): Promise<{ galleryId: string; itemIds: string[] }> {
	const galleryId = await createGalleryWithItems(sandbox, 'Reference', items);
	const { items: stored } = await wixCall<{ items: Array<{ id: string }> }>(
		sandbox,
		'GET',
		`/pro-gallery/v2/galleries/${galleryId}/items?itemLimit=100`,
	);
	return { galleryId, itemIds: stored.map((item) => item.id) };
}

async function uploadReadyImage(): Promise<{
	id: string;
	width: number;
	height: number;
	displayName: string;
}> {
	const result = await runProGallery(
		sandbox,
		{ resource: 'media', operation: 'upload', mediaSource: 'binary', binaryPropertyName: 'data' },
		{
			input: [
				{
					json: {},
					binary: { data: { data: SAMPLE_JPEG, mimeType: 'image/jpeg', fileName: 'city.jpg' } },
				},
			],
		},
	);
	return result.items[0].json as { id: string; width: number; height: number; displayName: string };
}

describe('the node sends what @wix/pro-gallery and @wix/media send', () => {
	test('Gallery → Get Many (Limit 4, 3 items per gallery) = listGalleries', async () => {
		for (let index = 0; index < 6; index++) await createGalleryWithItems(sandbox, `G${index}`, 0);
		const fromNode = await nodeRequests({
			resource: 'gallery',
			operation: 'getAll',
			returnAll: false,
			limit: 4,
			itemLimit: 3,
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.listGalleries({ offset: 0, limit: 4, itemLimit: 3 }),
		);
		expect(fromNode).toEqual(fromSdk);
		expect(fromNode).toHaveLength(1);
	});

	test('Gallery → Get (a range of items) = getGallery', async () => {
		const { galleryId } = await seedGallery(6);
		const fromNode = await nodeRequests({
			resource: 'gallery',
			operation: 'get',
			galleryId: byId(galleryId),
			includeItems: 'range',
			itemOffset: 2,
			itemLimit: 3,
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.getGallery(galleryId, { itemOffset: 2, itemLimit: 3 }),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Gallery → Create (name, sort order, clone) = createGallery', async () => {
		const { galleryId } = await seedGallery(2);
		const fromNode = await nodeRequests({
			resource: 'gallery',
			operation: 'create',
			name: 'Copy',
			additionalFields: { sortOrder: 4, cloneFromGalleryId: galleryId },
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.createGallery({
				gallery: { name: 'Copy', sortOrder: 4 },
				cloneFromGalleryId: galleryId,
			}),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Gallery → Create with a first image item = getFileDescriptor + createGallery', async () => {
		const file = await uploadReadyImage();
		const fromNode = await nodeRequests({
			resource: 'gallery',
			operation: 'create',
			name: 'With image',
			firstItems: { item: [{ type: 'image', media: file.id, title: 'City' }] },
		});
		const fromSdk = await capture(async () => {
			const descriptor = await sdk.files.getFileDescriptor(file.id);
			const image = descriptor.media?.image?.image as string;
			await sdk.proGallery.createGallery({
				gallery: { name: 'With image', items: [{ title: 'City', image: { imageInfo: image } }] },
			});
		});
		expect(fromNode).toEqual(fromSdk);
	});

	test('Gallery → Update = updateGallery', async () => {
		const { galleryId } = await seedGallery(0);
		const fromNode = await nodeRequests({
			resource: 'gallery',
			operation: 'update',
			galleryId: byId(galleryId),
			updateFields: { name: 'Renamed', sortOrder: 9 },
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.updateGallery(galleryId, { name: 'Renamed', sortOrder: 9 }),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Gallery → Delete = deleteGallery', async () => {
		const first = await seedGallery(0);
		const second = await seedGallery(0);
		const fromNode = await nodeRequests({
			resource: 'gallery',
			operation: 'deleteGallery',
			galleryId: byId(first.galleryId),
		});
		const fromSdk = await capture(() => sdk.proGallery.deleteGallery(second.galleryId));
		expect(fromNode).toEqual(
			fromSdk.map((request) => swapId(request, second.galleryId, first.galleryId)),
		);
	});

	test('Item → Get Many (Limit 7) = listGalleryItems', async () => {
		const { galleryId } = await seedGallery(9);
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'getAll',
			galleryId: byId(galleryId),
			returnAll: false,
			limit: 7,
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.listGalleryItems(galleryId, { itemOffset: 0, itemLimit: 7 }),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Item → Get = getGalleryItem', async () => {
		const { galleryId, itemIds } = await seedGallery(1);
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'get',
			galleryId: byId(galleryId),
			itemId: byId(itemIds[0]),
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.getGalleryItem({ galleryId, itemId: itemIds[0] }),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Item → Create (text, every detail field) = createGalleryItem', async () => {
		const { galleryId } = await seedGallery(0);
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'create',
			galleryId: byId(galleryId),
			itemType: 'text',
			html: '<p>Hi</p>',
			additionalFields: {
				title: 'Hello',
				description: 'A greeting',
				linkUrl: 'https://example.com',
				linkText: 'More',
				tags: 'a, b',
				sortOrder: 12.5,
			},
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.createGalleryItem(galleryId, {
				title: 'Hello',
				description: 'A greeting',
				link: { url: 'https://example.com', text: 'More' },
				tags: { values: ['a', 'b'] },
				sortOrder: 12.5,
				text: { html: '<p>Hi</p>' },
			}),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Item → Create (image from the Media Manager) = getFileDescriptor + createGalleryItem', async () => {
		const { galleryId } = await seedGallery(0);
		const file = await uploadReadyImage();
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'create',
			galleryId: byId(galleryId),
			itemType: 'image',
			mediaSource: 'wixMedia',
			mediaId: file.id,
			additionalFields: { title: 'City', sortOrder: 1 },
		});
		const fromSdk = await capture(async () => {
			const descriptor = await sdk.files.getFileDescriptor(file.id);
			await sdk.proGallery.createGalleryItem(galleryId, {
				title: 'City',
				sortOrder: 1,
				image: { imageInfo: descriptor.media?.image?.image as string },
			});
		});
		expect(fromNode).toEqual(fromSdk);
	});

	test('Item → Create (video from the Media Manager) = getFileDescriptor + createGalleryItem', async () => {
		const { galleryId } = await seedGallery(0);
		const upload = await runProGallery(
			sandbox,
			{ resource: 'media', operation: 'upload', mediaSource: 'binary', binaryPropertyName: 'data' },
			{
				input: [
					{
						json: {},
						binary: { data: { data: SAMPLE_MP4, mimeType: 'video/mp4', fileName: 'clip.mp4' } },
					},
				],
			},
		);
		const fileId = upload.items[0].json.id as string;
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'create',
			galleryId: byId(galleryId),
			itemType: 'video',
			mediaSource: 'wixMedia',
			mediaId: fileId,
			additionalFields: { title: 'Clip', sortOrder: 3 },
		});
		const fromSdk = await capture(async () => {
			const descriptor = await sdk.files.getFileDescriptor(fileId);
			await sdk.proGallery.createGalleryItem(galleryId, {
				title: 'Clip',
				sortOrder: 3,
				video: { type: 'WIX_MEDIA', videoInfo: descriptor.media?.video as string },
			});
		});
		expect(fromNode).toEqual(fromSdk);
		expect(
			(fromNode[1].body as { item: { video: { videoInfo: { id: string } } } }).item.video.videoInfo
				.id,
		).toBe(fileId);
	});

	test('Item → Create (image from a URL) = importFile + getFileDescriptor + createGalleryItem', async () => {
		const { galleryId } = await seedGallery(0);
		const host = await startMediaHost({
			'a.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg' },
		});
		try {
			const fromNode = await nodeRequests({
				resource: 'item',
				operation: 'create',
				galleryId: byId(galleryId),
				itemType: 'image',
				mediaSource: 'url',
				mediaUrl: host.url('a.jpg'),
				additionalFields: { sortOrder: 2 },
				options: { fileName: 'a.jpg' },
			});
			const fromSdk = await capture(async () => {
				const { file } = await sdk.files.importFile(host.url('a.jpg'), { displayName: 'a.jpg' });
				const descriptor = await sdkUntilReady(file!._id!);
				await sdk.proGallery.createGalleryItem(galleryId, {
					sortOrder: 2,
					image: { imageInfo: descriptor.media?.image?.image as string },
				});
			});
			// Both poll until the sandbox has fetched the URL; how often depends on timing, what they send does not.
			expect(collapseRepeats(fromNode.map(withoutFileId))).toEqual(
				collapseRepeats(fromSdk.map(withoutFileId)),
			);
			expect(collapseRepeats(fromNode.map(withoutFileId)).map((request) => request.path)).toEqual([
				'/site-media/v1/files/import',
				'/site-media/v1/files/get-file-by-id',
				expect.stringMatching(new RegExp(`/galleries/${galleryId}/items$`)),
			]);
		} finally {
			await host.close();
		}
	});

	test('Item → Update = updateGalleryItem', async () => {
		const { galleryId, itemIds } = await seedGallery(1);
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'update',
			galleryId: byId(galleryId),
			itemId: byId(itemIds[0]),
			updateFields: { title: 'New title', tags: 'x' },
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.updateGalleryItem(
				{ galleryId, itemId: itemIds[0] },
				{ title: 'New title', tags: { values: ['x'] } },
			),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Item → Delete = deleteGalleryItem', async () => {
		const { galleryId, itemIds } = await seedGallery(2);
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'deleteItem',
			galleryId: byId(galleryId),
			itemId: byId(itemIds[0]),
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.deleteGalleryItem({ galleryId, itemId: itemIds[1] }),
		);
		expect(fromNode).toEqual(fromSdk.map((request) => swapId(request, itemIds[1], itemIds[0])));
	});

	test('Item → Delete Many = bulkDeleteGalleryItems', async () => {
		const { galleryId, itemIds } = await seedGallery(4);
		const fromNode = await nodeRequests({
			resource: 'item',
			operation: 'deleteMany',
			galleryId: byId(galleryId),
			itemIds: itemIds.slice(0, 2).join(','),
		});
		const fromSdk = await capture(() =>
			sdk.proGallery.bulkDeleteGalleryItems(galleryId, itemIds.slice(0, 2)),
		);
		expect(fromNode).toEqual(fromSdk);
	});

	test('Media → Upload (binary) = generateFileUploadUrl, then getFileDescriptor until READY', async () => {
		// The sandbox answers the first two status reads PENDING whatever the time, so the node reads three times.
		await sandbox.control.setConfig({ mediaReadyDelayMs: 0, mediaPendingReads: 2 });
		const fromNode = await nodeRequests(
			{ resource: 'media', operation: 'upload', mediaSource: 'binary', binaryPropertyName: 'data' },
			[
				{
					json: {},
					binary: { data: { data: SAMPLE_JPEG, mimeType: 'image/jpeg', fileName: 'city.jpg' } },
				},
			],
		);
		const fromSdk = await capture(async () => {
			await sdk.files.generateFileUploadUrl('image/jpeg', {
				fileName: 'city.jpg',
				sizeInBytes: String(SAMPLE_JPEG.length),
			});
		});
		expect(fromNode[0]).toEqual(fromSdk[0]);
		const polls = fromNode.slice(1);
		expect(polls).toHaveLength(3);
		const [sdkPoll] = await capture(() =>
			sdk.files.getFileDescriptor(polls[0].query.fileId as string),
		);
		for (const poll of polls) expect(poll).toEqual(sdkPoll);
	});

	test('Media → Get File = getFileDescriptor', async () => {
		const file = await uploadReadyImage();
		const fromNode = await nodeRequests({
			resource: 'media',
			operation: 'getFile',
			fileId: file.id,
		});
		const fromSdk = await capture(() => sdk.files.getFileDescriptor(file.id));
		expect(fromNode).toEqual(fromSdk);
	});
});

/** What a client of the SDK does after an import: read the file until Wix has processed it. */
async function sdkUntilReady(fileId: string) {
	for (let attempt = 1; ; attempt++) {
		const descriptor = await sdk.files.getFileDescriptor(fileId);
		if (descriptor.operationStatus === 'READY') return descriptor;
		// A ceiling for a file that never turns READY, far above what a busy machine needs.
		if (attempt >= 600) throw new Error(`file ${fileId} is still ${descriptor.operationStatus}`);
		await sleep(50);
	}
}

/** The requests with each run of identical ones (status polls) counted once. */
function collapseRepeats(requests: WireRequest[]): WireRequest[] {
	return requests.filter(
		(request, index) =>
			index === 0 || JSON.stringify(request) !== JSON.stringify(requests[index - 1]),
	);
}

/** The SDK call ran on a second object of the same kind; put the node's id in its place to compare the rest. */
function swapId(request: WireRequest, from: string, to: string): WireRequest {
	return JSON.parse(JSON.stringify(request).split(from).join(to)) as WireRequest;
}

/** Imports create a new file id each time; everything else about the requests must match. */
function withoutFileId(request: WireRequest): WireRequest {
	return JSON.parse(
		JSON.stringify(request).replace(/[0-9a-f]{6}_[0-9a-f]{32}(~mv2\.[a-z0-9]+)?/g, '<file id>'),
	) as WireRequest;
}
