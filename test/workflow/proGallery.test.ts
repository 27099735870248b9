import { createMediaManagerModule, createProGalleryModule, pngImage } from '../../sandbox/src';
import { cleanupBinaryData } from '../support/harness';
import { runListSearch } from '../support/harness/listSearch';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import {
	SAMPLE_JPEG,
	SAMPLE_MP4,
	apiKeyCredentials,
	apiRequests,
	byId,
	createGalleryWithItems,
	jsonOf,
	runProGallery,
	startMediaHost,
	wixCall,
} from '../support/workflow';

interface WixItem {
	id: string;
	title?: string;
	description?: string;
	sortOrder?: number;
	type?: string;
	link?: { url?: string; text?: string };
	tags?: { values?: string[] };
	image?: { imageInfo?: { id?: string; url?: string; width?: number; height?: number } };
	video?: { videoInfo?: { id?: string; url?: string } };
	text?: { html?: string };
}

let sandbox: TestSandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox({
		modules: [createMediaManagerModule(), createProGalleryModule()],
		config: { mediaReadyDelayMs: 150 },
	});
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
});

beforeEach(async () => {
	await sandbox.control.reset('empty');
	await sandbox.control.setConfig({ mediaReadyDelayMs: 150 });
});

async function getStoredItem(galleryId: string, itemId: string): Promise<WixItem> {
	return (
		await wixCall<{ item: WixItem }>(
			sandbox,
			'GET',
			`/pro-gallery/v2/galleries/${galleryId}/items/${itemId}`,
		)
	).item;
}

async function listStoredItems(galleryId: string): Promise<WixItem[]> {
	const items: WixItem[] = [];
	for (let offset = 0; ; offset += 100) {
		const page = await wixCall<{ items: WixItem[] }>(
			sandbox,
			'GET',
			`/pro-gallery/v2/galleries/${galleryId}/items?itemOffset=${offset}&itemLimit=100`,
		);
		items.push(...page.items);
		if (page.items.length < 100) return items;
	}
}

describe('Gallery', () => {
	test('Get Many with Return All pages by 10 and returns every gallery once', async () => {
		const ids: string[] = [];
		for (let index = 0; index < 23; index++) {
			ids.push(await createGalleryWithItems(sandbox, `Gallery ${index + 1}`, index < 2 ? 3 : 0));
		}
		await sandbox.control.clearRequests();

		const result = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'getAll',
			returnAll: true,
			itemLimit: 2,
		});

		expect(result.nodeFailure).toBeUndefined();
		expect(jsonOf(result.items).map((gallery) => gallery.id)).toEqual(ids);
		expect(result.items[0].json).toMatchObject({ name: 'Gallery 1', totalItems: 3 });
		expect(result.items[0].json.items).toHaveLength(2);
		const requests = await apiRequests(sandbox, /\/galleries$/);
		expect(requests.map((request) => [request.query.offset, request.query.limit])).toEqual([
			['0', '10'],
			['10', '10'],
			['20', '10'],
		]);
		expect(requests.every((request) => request.query.itemLimit === '2')).toBe(true);
	});

	test('Get Many with a Limit asks for no more galleries than it returns', async () => {
		for (let index = 0; index < 15; index++) await createGalleryWithItems(sandbox, `G${index}`, 0);
		await sandbox.control.clearRequests();

		const result = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'getAll',
			returnAll: false,
			limit: 12,
			itemLimit: 10,
		});

		expect(result.items).toHaveLength(12);
		const requests = await apiRequests(sandbox, /\/galleries$/);
		expect(requests.map((request) => [request.query.offset, request.query.limit])).toEqual([
			['0', '10'],
			['10', '2'],
		]);
	});

	test('Get with all items pages through a 250-item gallery in 3 requests', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Big', 250);
		await sandbox.control.clearRequests();

		const result = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'get',
			galleryId: byId(galleryId),
			includeItems: 'all',
		});

		expect(result.nodeFailure).toBeUndefined();
		const gallery = result.items[0].json as { totalItems: number; items: Array<{ id: string }> };
		expect(gallery.totalItems).toBe(250);
		const stored = await listStoredItems(galleryId);
		expect(gallery.items.map((item) => item.id)).toEqual(stored.map((item) => item.id));
		const requests = await apiRequests(sandbox, new RegExp(`/galleries/${galleryId}$`));
		expect(requests.map((request) => request.query.itemOffset)).toEqual(['0', '100', '200']);
	});

	test('Get with a range, and with no items', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Ranged', 12);
		const range = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'get',
			galleryId: byId(galleryId),
			includeItems: 'range',
			itemOffset: 5,
			itemLimit: 4,
		});
		const rangeJson = range.items[0].json as {
			totalItems: number;
			items: Array<{ title: string }>;
		};
		expect(rangeJson.totalItems).toBe(12);
		expect(rangeJson.items.map((item) => item.title)).toEqual([
			'Text 6',
			'Text 7',
			'Text 8',
			'Text 9',
		]);

		const none = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'get',
			galleryId: byId(galleryId),
			includeItems: 'none',
		});
		expect(none.items[0].json).toMatchObject({
			id: galleryId,
			name: 'Ranged',
			totalItems: 12,
			items: [],
		});
	});

	test('Create with a name and sort order, then Update renames it, then Delete removes it', async () => {
		const created = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'create',
			name: 'Launch party',
			additionalFields: { sortOrder: 7 },
		});
		const galleryId = created.items[0].json.id as string;
		expect(created.items[0].json).toMatchObject({
			name: 'Launch party',
			sortOrder: 7,
			totalItems: 0,
		});
		expect(created.items[0].pairedItem).toEqual({ item: 0 });

		const updated = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'update',
			galleryId: byId(galleryId),
			updateFields: { name: 'Launch party 2026' },
		});
		expect(updated.items[0].json).toMatchObject({
			id: galleryId,
			name: 'Launch party 2026',
			sortOrder: 7,
		});
		const stored = await wixCall<{ gallery: { name: string } }>(
			sandbox,
			'GET',
			`/pro-gallery/v2/galleries/${galleryId}`,
		);
		expect(stored.gallery.name).toBe('Launch party 2026');

		const deleted = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'deleteGallery',
			galleryId: byId(galleryId),
		});
		expect(deleted.items[0].json).toEqual({ id: galleryId, galleryId, deleted: true });
		await expect(wixCall(sandbox, 'GET', `/pro-gallery/v2/galleries/${galleryId}`)).rejects.toThrow(
			/404/,
		);
	});

	test('Create clones another gallery, and takes first items from the Media Manager', async () => {
		const sourceId = await createGalleryWithItems(sandbox, 'Source', 3);
		const clone = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'create',
			name: '',
			additionalFields: { cloneFromGalleryId: sourceId },
		});
		expect(clone.nodeFailure).toBeUndefined();
		const cloneJson = clone.items[0].json as { id: string; name: string; totalItems: number };
		expect(cloneJson.id).not.toBe(sourceId);
		expect(cloneJson).toMatchObject({ name: 'Source', totalItems: 3 });

		const upload = await runProGallery(
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
		const fileId = upload.items[0].json.id as string;
		const withItems = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'create',
			name: 'With items',
			firstItems: {
				item: [
					{ type: 'image', media: fileId, title: 'City' },
					{ type: 'text', html: '<p>Hello</p>', title: 'Welcome' },
				],
			},
		});
		expect(withItems.nodeFailure).toBeUndefined();
		const items = (withItems.items[0].json as { items: Array<Record<string, unknown>> }).items;
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({
			type: 'IMAGE',
			title: 'City',
			mediaId: fileId,
			width: 640,
			height: 426,
		});
		expect(items[1]).toMatchObject({ type: 'TEXT', title: 'Welcome', text: '<p>Hello</p>' });
	});

	test('a missing gallery is a clear 404 error with the Wix request id', async () => {
		const missing = '00000000-0000-4000-8000-000000000000';
		const result = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'get',
			galleryId: byId(missing),
			includeItems: 'none',
		});
		expect(result.nodeFailure?.name).toBe('NodeApiError');
		expect(result.nodeFailure?.httpCode).toBe('404');
		expect(result.nodeFailure?.message).toContain(missing);
		const [request] = await apiRequests(sandbox, new RegExp(missing));
		expect(result.nodeFailure?.description).toContain(request.requestId);
	});

	test("a Wix validation error names the field and Wix's rule", async () => {
		const result = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'getAll',
			returnAll: true,
			itemLimit: 150,
		});
		expect(result.nodeFailure?.httpCode).toBe('400');
		expect(`${result.nodeFailure?.message} ${result.nodeFailure?.description}`).toMatch(
			/itemLimit/,
		);
		expect(result.nodeFailure?.description).toMatch(/at most 100/);
	});
});

describe('Item', () => {
	test('Get Many with Return All on 250 items makes 3 requests; Limit 120 makes 2 and stops', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Big', 250);
		const stored = await listStoredItems(galleryId);
		await sandbox.control.clearRequests();

		const all = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'getAll',
			galleryId: byId(galleryId),
			returnAll: true,
		});
		expect(all.items).toHaveLength(250);
		expect(jsonOf(all.items).map((item) => item.id)).toEqual(stored.map((item) => item.id));
		expect(new Set(jsonOf(all.items).map((item) => item.id)).size).toBe(250);
		const allRequests = await apiRequests(sandbox, /\/items$/);
		expect(
			allRequests.map((request) => [request.query.itemOffset, request.query.itemLimit]),
		).toEqual([
			['0', '100'],
			['100', '100'],
			['200', '100'],
		]);

		await sandbox.control.clearRequests();
		const limited = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'getAll',
			galleryId: byId(galleryId),
			returnAll: false,
			limit: 120,
		});
		expect(jsonOf(limited.items).map((item) => item.id)).toEqual(
			stored.slice(0, 120).map((item) => item.id),
		);
		const limitedRequests = await apiRequests(sandbox, /\/items$/);
		expect(
			limitedRequests.map((request) => [request.query.itemOffset, request.query.itemLimit]),
		).toEqual([
			['0', '100'],
			['100', '20'],
		]);
	});

	test('a 429 with Retry-After and a 503 in the middle of paging still give the complete, ordered result', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Flaky', 250);
		const stored = await listStoredItems(galleryId);
		await sandbox.control.clearRequests();
		await sandbox.control.addFault({
			path: `/items$`,
			skip: 1,
			count: 1,
			status: 429,
			retryAfter: 1,
		});
		await sandbox.control.addFault({ path: `/items$`, skip: 2, count: 2, status: 503 });

		const started = Date.now();
		const result = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'getAll',
			galleryId: byId(galleryId),
			returnAll: true,
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(jsonOf(result.items).map((item) => item.id)).toEqual(stored.map((item) => item.id));
		const requests = await apiRequests(sandbox, /\/items$/);
		expect(requests.map((request) => [request.query.itemOffset, request.status])).toEqual([
			['0', 200],
			['100', 429],
			['100', 503],
			['100', 503],
			['100', 200],
			['200', 200],
		]);
		// Retry-After: 1 was honoured before the second attempt.
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	test('Get, Update (only the fields set) and Delete an item', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Editable', 2);
		const [first] = await listStoredItems(galleryId);

		const got = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'get',
			galleryId: byId(galleryId),
			itemId: byId(first.id),
		});
		expect(got.items[0].json).toMatchObject({
			id: first.id,
			galleryId,
			type: 'TEXT',
			title: 'Text 1',
		});

		const updated = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'update',
			galleryId: byId(galleryId),
			itemId: byId(first.id),
			updateFields: {
				description: 'Now described',
				tags: 'a, b ,c',
				linkUrl: 'https://example.com/x',
			},
		});
		expect(updated.nodeFailure).toBeUndefined();
		const patch = (await apiRequests(sandbox)).find((request) => request.method === 'PATCH');
		expect(patch?.body).toEqual({
			galleryId,
			item: {
				id: first.id,
				description: 'Now described',
				tags: { values: ['a', 'b', 'c'] },
				link: { url: 'https://example.com/x' },
			},
		});
		const stored = await getStoredItem(galleryId, first.id);
		expect(stored).toMatchObject({
			title: 'Text 1',
			description: 'Now described',
			sortOrder: first.sortOrder,
			text: { html: '<p>1</p>' },
			tags: { values: ['a', 'b', 'c'] },
		});

		const deleted = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'deleteItem',
			galleryId: byId(galleryId),
			itemId: byId(first.id),
		});
		expect(deleted.items[0].json).toMatchObject({ id: first.id, deleted: true });
		expect((await listStoredItems(galleryId)).map((item) => item.id)).not.toContain(first.id);
	});

	test('Update with nothing to change is a parameter error, before any request', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Untouched', 1);
		const [first] = await listStoredItems(galleryId);
		await sandbox.control.clearRequests();
		const result = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'update',
			galleryId: byId(galleryId),
			itemId: byId(first.id),
			updateFields: {},
		});
		expect(result.nodeFailure?.name).toBe('NodeOperationError');
		expect(result.nodeFailure?.message).toMatch(/Update Fields/);
		expect(await apiRequests(sandbox, /pro-gallery/)).toHaveLength(0);
	});

	test('Delete Many splits 150 ids into calls of 100 and reports ids that were not there', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Bulk', 160);
		const stored = await listStoredItems(galleryId);
		const toDelete = stored.slice(0, 150).map((item) => item.id);
		const unknown = '11111111-1111-4111-8111-111111111111';
		await sandbox.control.clearRequests();

		const result = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'deleteMany',
			galleryId: byId(galleryId),
			itemIds: [...toDelete, unknown].join(', '),
		});
		expect(result.items[0].json).toMatchObject({
			galleryId,
			deletedCount: 150,
			notDeletedItemIds: [unknown],
		});
		const calls = await apiRequests(sandbox, /\/items\/delete$/);
		expect(calls.map((call) => (call.body as { itemIds: string[] }).itemIds.length)).toEqual([
			100, 51,
		]);
		expect((await listStoredItems(galleryId)).map((item) => item.id)).toEqual(
			stored.slice(150).map((item) => item.id),
		);
	});

	describe('Create', () => {
		let galleryId: string;
		beforeEach(async () => {
			galleryId = await createGalleryWithItems(sandbox, 'Uploads', 2);
		});

		test('from a real JPEG binary: uploads it, waits for READY, appends after the last item', async () => {
			// The sandbox answers the first two status reads PENDING whatever the time: the node must read a third.
			await sandbox.control.setConfig({ mediaReadyDelayMs: 0, mediaPendingReads: 2 });
			await sandbox.control.clearRequests();
			const result = await runProGallery(
				sandbox,
				{
					resource: 'item',
					operation: 'create',
					galleryId: byId(galleryId),
					itemType: 'image',
					mediaSource: 'binary',
					binaryPropertyName: 'photo',
					additionalFields: { title: 'City at night', description: 'Test card', tags: 'city' },
				},
				{
					input: [
						{
							json: {},
							binary: {
								photo: { data: SAMPLE_JPEG, mimeType: 'image/jpeg', fileName: 'city.jpg' },
							},
						},
					],
				},
			);
			expect(result.nodeFailure).toBeUndefined();
			const json = result.items[0].json as Record<string, unknown>;
			expect(json).toMatchObject({
				type: 'IMAGE',
				title: 'City at night',
				width: 640,
				height: 426,
				sortOrder: 3,
			});
			const stored = await getStoredItem(galleryId, json.id as string);
			expect(stored.image?.imageInfo).toMatchObject({ id: json.mediaId, width: 640, height: 426 });

			// The bytes Wix stored are the ones the binary held.
			const bytes = Buffer.from(await (await fetch(json.mediaUrl as string)).arrayBuffer());
			expect(bytes.equals(SAMPLE_JPEG)).toBe(true);
			// It polled the file until READY rather than creating the item with a PENDING file.
			const polls = await apiRequests(sandbox, /get-file-by-id$/);
			expect(polls).toHaveLength(3);
			const create = (await apiRequests(sandbox, /\/items$/)).find(
				(request) => request.method === 'POST',
			);
			expect(create!.seq).toBeGreaterThan(polls[polls.length - 1].seq);
		});

		test('from a real MP4 binary: a video item with the video file', async () => {
			const result = await runProGallery(
				sandbox,
				{
					resource: 'item',
					operation: 'create',
					galleryId: byId(galleryId),
					itemType: 'video',
					mediaSource: 'binary',
					binaryPropertyName: 'data',
					additionalFields: { title: 'Clip' },
				},
				{
					input: [
						{
							json: {},
							binary: { data: { data: SAMPLE_MP4, mimeType: 'video/mp4', fileName: 'clip.mp4' } },
						},
					],
				},
			);
			expect(result.nodeFailure).toBeUndefined();
			const json = result.items[0].json as Record<string, unknown>;
			expect(json).toMatchObject({ type: 'VIDEO', title: 'Clip' });
			const stored = await getStoredItem(galleryId, json.id as string);
			expect(stored.video?.videoInfo?.id).toBe(json.mediaId);
			const upload = (await apiRequests(sandbox, /^\/upload\//))[0];
			expect(upload.method).toBe('PUT');
			expect(upload.query.filename).toBe('clip.mp4');
			expect(upload.headers['content-type']).toBe('video/mp4');
			expect(upload.headers.authorization).toBeUndefined();
		});

		test('from a public URL: Wix imports it', async () => {
			const host = await startMediaHost({
				'beach.png': {
					body: pngImage({ width: 300, height: 200, seed: 7 }),
					contentType: 'image/png',
				},
			});
			try {
				const result = await runProGallery(sandbox, {
					resource: 'item',
					operation: 'create',
					galleryId: byId(galleryId),
					itemType: 'image',
					mediaSource: 'url',
					mediaUrl: host.url('beach.png'),
					additionalFields: { title: 'Beach', sortOrder: 0.5 },
				});
				expect(result.nodeFailure).toBeUndefined();
				expect(result.items[0].json).toMatchObject({
					type: 'IMAGE',
					width: 300,
					height: 200,
					sortOrder: 0.5,
				});
				expect(host.hits).toEqual(['beach.png']);
				const [importCall] = await apiRequests(sandbox, /files\/import$/);
				expect(importCall.body).toMatchObject({ url: host.url('beach.png') });
			} finally {
				await host.close();
			}
		});

		test('from an existing Media Manager file, and text items', async () => {
			const upload = await runProGallery(
				sandbox,
				{
					resource: 'media',
					operation: 'upload',
					mediaSource: 'binary',
					binaryPropertyName: 'data',
				},
				{
					input: [
						{
							json: {},
							binary: { data: { data: SAMPLE_JPEG, mimeType: 'image/jpeg', fileName: 'a.jpg' } },
						},
					],
				},
			);
			const file = upload.items[0].json as { id: string; mediaUrl: string };
			const byUrl = await runProGallery(sandbox, {
				resource: 'item',
				operation: 'create',
				galleryId: byId(galleryId),
				itemType: 'image',
				mediaSource: 'wixMedia',
				mediaId: `https://static.wixstatic.com/media/${file.id}`,
			});
			expect(byUrl.items[0].json).toMatchObject({ type: 'IMAGE', mediaId: file.id });

			const text = await runProGallery(sandbox, {
				resource: 'item',
				operation: 'create',
				galleryId: byId(galleryId),
				itemType: 'text',
				html: '<h1>Opening night</h1>',
				additionalFields: { title: 'Poster', linkUrl: 'https://example.com', linkText: 'Tickets' },
			});
			expect(text.items[0].json).toMatchObject({
				type: 'TEXT',
				text: '<h1>Opening night</h1>',
				link: 'https://example.com',
			});
			// Sort orders stay unique: each new item went after the previous one.
			const sortOrders = (await listStoredItems(galleryId)).map((item) => item.sortOrder);
			expect(new Set(sortOrders).size).toBe(sortOrders.length);
			expect(sortOrders).toEqual([1, 2, 3, 4]);
		});

		test('several input items in one run get consecutive sort orders', async () => {
			const result = await runProGallery(
				sandbox,
				{
					resource: 'item',
					operation: 'create',
					galleryId: byId(galleryId),
					itemType: 'text',
					html: '={{ "<p>" + $json.n + "</p>" }}',
				},
				{ input: [{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }] },
			);
			expect(jsonOf(result.items).map((item) => [item.text, item.sortOrder])).toEqual([
				['<p>1</p>', 3],
				['<p>2</p>', 4],
				['<p>3</p>', 5],
			]);
			expect(result.items.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
		});

		test('a file Wix cannot process (FAILED) is a clear error and creates no item', async () => {
			const result = await runProGallery(
				sandbox,
				{
					resource: 'item',
					operation: 'create',
					galleryId: byId(galleryId),
					itemType: 'image',
					mediaSource: 'binary',
					binaryPropertyName: 'data',
				},
				{
					input: [
						{
							json: {},
							binary: {
								data: {
									data: Buffer.from('not an image at all'),
									mimeType: 'image/png',
									fileName: 'broken.png',
								},
							},
						},
					],
				},
			);
			expect(result.nodeFailure?.name).toBe('NodeOperationError');
			expect(result.nodeFailure?.message).toMatch(
				/could not process the file "broken\.png" \(status FAILED\)/,
			);
			expect(await listStoredItems(galleryId)).toHaveLength(2);
		});

		test('a file still processing when the timeout ends is a clear error and creates no item', async () => {
			await sandbox.control.setConfig({ mediaReadyDelayMs: 60_000 });
			const result = await runProGallery(
				sandbox,
				{
					resource: 'item',
					operation: 'create',
					galleryId: byId(galleryId),
					itemType: 'image',
					mediaSource: 'binary',
					binaryPropertyName: 'data',
					options: { timeoutSeconds: 1 },
				},
				{
					input: [
						{
							json: {},
							binary: { data: { data: SAMPLE_JPEG, mimeType: 'image/jpeg', fileName: 'slow.jpg' } },
						},
					],
				},
			);
			expect(result.nodeFailure?.message).toMatch(
				/had not finished processing the file "slow\.jpg" after 1 s/,
			);
			// It gave up at its own timeout: the file it waited for is still PENDING (the test has no clock to beat).
			const { mediaManager } = await sandbox.control.state<{
				mediaManager: { files: Array<{ displayName: string; operationStatus: string }> };
			}>();
			expect(mediaManager.files.map((file) => [file.displayName, file.operationStatus])).toEqual([
				['slow.jpg', 'PENDING'],
			]);
			expect(await listStoredItems(galleryId)).toHaveLength(2);
		});

		test('an import URL that fails on the host ends FAILED, a bad URL fails before any request', async () => {
			const host = await startMediaHost({});
			try {
				const failed = await runProGallery(sandbox, {
					resource: 'item',
					operation: 'create',
					galleryId: byId(galleryId),
					itemType: 'image',
					mediaSource: 'url',
					mediaUrl: host.url('missing.jpg'),
				});
				expect(failed.nodeFailure?.message).toMatch(/status FAILED/);
			} finally {
				await host.close();
			}
			await sandbox.control.clearRequests();
			const invalid = await runProGallery(sandbox, {
				resource: 'item',
				operation: 'create',
				galleryId: byId(galleryId),
				itemType: 'image',
				mediaSource: 'url',
				mediaUrl: 'ftp://example.com/a.jpg',
			});
			expect(invalid.nodeFailure?.name).toBe('NodeOperationError');
			expect(invalid.nodeFailure?.message).toMatch(/only import http\(s\) URLs/);
			expect(await apiRequests(sandbox, /site-media/)).toHaveLength(0);
		});
	});

	test('continueOnFail: a failing input item becomes an error item and the others go through', async () => {
		const galleryId = await createGalleryWithItems(sandbox, 'Mixed', 1);
		const [first] = await listStoredItems(galleryId);
		const missing = '22222222-2222-4222-8222-222222222222';
		const result = await runProGallery(
			sandbox,
			{
				resource: 'item',
				operation: 'get',
				galleryId: byId(galleryId),
				itemId: { __rl: true, mode: 'id', value: '={{ $json.itemId }}' },
			},
			{
				continueOnFail: true,
				input: [
					{ json: { itemId: first.id } },
					{ json: { itemId: missing } },
					{ json: { itemId: first.id } },
				],
			},
		);
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.id).toBe(first.id);
		expect(result.items[1].json.error).toMatch(/404/);
		expect(result.items[1].json.error).toMatch(missing);
		expect(result.items[2].json.id).toBe(first.id);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});
});

describe('Media', () => {
	test('Upload from binary waits until READY and Get File returns the same file', async () => {
		const image = pngImage({ width: 64, height: 48, seed: 3 });
		const upload = await runProGallery(
			sandbox,
			{
				resource: 'media',
				operation: 'upload',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				options: { fileName: 'tiny.png' },
			},
			{
				input: [
					{ json: {}, binary: { data: { data: image, mimeType: 'image/png', fileName: 'x.png' } } },
				],
			},
		);
		const file = upload.items[0].json as Record<string, unknown>;
		expect(file).toMatchObject({
			status: 'READY',
			mediaType: 'IMAGE',
			width: 64,
			height: 48,
			sizeInBytes: image.length,
			displayName: 'tiny.png',
		});

		const got = await runProGallery(sandbox, {
			resource: 'media',
			operation: 'getFile',
			fileId: file.mediaUrl as string,
		});
		expect(got.items[0].json).toMatchObject({ id: file.id, status: 'READY', width: 64 });
	});

	test('Upload without waiting returns the PENDING file at once', async () => {
		await sandbox.control.setConfig({ mediaReadyDelayMs: 5000 });
		const result = await runProGallery(
			sandbox,
			{
				resource: 'media',
				operation: 'upload',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				options: { waitUntilReady: false },
			},
			{
				input: [
					{
						json: {},
						binary: { data: { data: SAMPLE_JPEG, mimeType: 'image/jpeg', fileName: 'later.jpg' } },
					},
				],
			},
		);
		expect(result.items[0].json).toMatchObject({ status: 'PENDING', displayName: 'later.jpg' });
		expect(await apiRequests(sandbox, /get-file-by-id$/)).toHaveLength(0);
	});

	test('Upload from a URL', async () => {
		const host = await startMediaHost({
			'clip.mp4': { body: SAMPLE_MP4, contentType: 'video/mp4' },
		});
		try {
			const result = await runProGallery(sandbox, {
				resource: 'media',
				operation: 'upload',
				mediaSource: 'url',
				mediaUrl: host.url('clip.mp4'),
			});
			expect(result.items[0].json).toMatchObject({
				status: 'READY',
				mediaType: 'VIDEO',
				sizeInBytes: SAMPLE_MP4.length,
			});
		} finally {
			await host.close();
		}
	});
});

describe('Resource locator lists', () => {
	test('galleries: searchable, paged 10 at a time', async () => {
		const ids: string[] = [];
		for (let index = 0; index < 12; index++) {
			ids.push(
				await createGalleryWithItems(
					sandbox,
					index === 11 ? 'Holiday snaps' : `Gallery ${index}`,
					0,
				),
			);
		}
		const credentials = apiKeyCredentials(sandbox);
		const first = await runListSearch({
			type: 'wixProGallery',
			parameters: { resource: 'gallery', operation: 'get' },
			credentials,
			method: 'searchGalleries',
		});
		expect(first.results.map((result) => result.value)).toEqual(ids.slice(0, 10));
		expect(first.results[0].name).toBe('Gallery 0 (0 items)');
		const second = await runListSearch({
			type: 'wixProGallery',
			parameters: { resource: 'gallery', operation: 'get' },
			credentials,
			method: 'searchGalleries',
			paginationToken: first.paginationToken,
		});
		expect(second.results.map((result) => result.value)).toEqual(ids.slice(10));
		expect(second.paginationToken).toBeUndefined();
		const filtered = await runListSearch({
			type: 'wixProGallery',
			parameters: { resource: 'gallery', operation: 'get' },
			credentials,
			method: 'searchGalleries',
			filter: 'holiday',
		});
		// The match is on the second page: the search reads on instead of showing an empty first page.
		expect(filtered.results).toEqual([{ name: 'Holiday snaps (0 items)', value: ids[11] }]);
		expect(filtered.paginationToken).toBeUndefined();
	});

	test('items follow the gallery chosen in the node', async () => {
		const galleryA = await createGalleryWithItems(sandbox, 'A', 2);
		const galleryB = await createGalleryWithItems(sandbox, 'B', 3);
		const credentials = apiKeyCredentials(sandbox);
		const itemsOf = async (galleryId: string) =>
			await runListSearch({
				type: 'wixProGallery',
				parameters: { resource: 'item', operation: 'get', galleryId: byId(galleryId) },
				credentials,
				method: 'searchItems',
			});
		expect((await itemsOf(galleryA)).results.map((result) => result.value)).toEqual(
			(await listStoredItems(galleryA)).map((item) => item.id),
		);
		const inB = await itemsOf(galleryB);
		expect(inB.results.map((result) => result.name)).toEqual([
			'Text 1 · TEXT',
			'Text 2 · TEXT',
			'Text 3 · TEXT',
		]);
	});
});
