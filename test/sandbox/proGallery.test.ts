import {
	createMediaManagerModule,
	createProGalleryModule,
	type MediaManagerModule,
	mediaIdFromUrl,
	pngImage,
	type ProGalleryModule,
	readSandboxAsset,
} from '../../sandbox/src';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import {
	apiClient,
	sleep,
	startWebhookReceiver,
	waitFor,
	wixSdkClient,
	type Json,
	type WebhookReceiver,
} from '../support/wixSdk';

const PG = '/pro-gallery/v2';

let sandbox: TestSandbox;
let mediaManager: MediaManagerModule;
let proGalleryModule: ProGalleryModule;
let receiver: WebhookReceiver;
let wix: ReturnType<typeof wixSdkClient>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
	mediaManager = createMediaManagerModule();
	proGalleryModule = createProGalleryModule();
	sandbox = await startTestSandbox({
		modules: [mediaManager, proGalleryModule],
		config: { mediaReadyDelayMs: 50 },
	});
	wix = wixSdkClient(sandbox);
	api = apiClient(sandbox);
	receiver = await startWebhookReceiver(sandbox.credentials.publicKeyPem);
});

afterAll(async () => {
	await sandbox?.close();
	await receiver?.close();
});

beforeEach(async () => {
	await sandbox.control.reset('default');
	receiver.clear();
});

function readyImage(name = 'pic.png', width = 40, height = 30) {
	return mediaManager.addFile({
		bytes: pngImage({ width, height, seed: name.length }),
		displayName: name,
		ready: true,
	});
}

/** Wix's SDK form of an image reference. */
function wixImageUri(file: { id: string }, name: string, width: number, height: number) {
	return `wix:image://v1/${file.id}/${name}#originWidth=${width}&originHeight=${height}`;
}

async function createGallery(name: string, items: Json[] = []) {
	const { status, body } = await api('POST', `${PG}/galleries`, { gallery: { name, items } });
	expect(status).toBe(200);
	return body.gallery;
}

const textItem = (title: string, sortOrder?: number) => ({
	title,
	...(sortOrder !== undefined && { sortOrder }),
	text: { html: `<p>${title}</p>` },
});

describe('default seed', () => {
	test('three demo galleries whose media are READY Media Manager files with real bytes', async () => {
		const { body } = await api('GET', `${PG}/galleries?itemLimit=100`);
		expect(body.totalGalleries).toBe(3);
		expect(body.galleries.map((gallery: Json) => gallery.name)).toEqual([
			'Summer 2026',
			'Studio portraits',
			'Product videos',
		]);
		const items = body.galleries.flatMap((gallery: Json) => gallery.items);
		for (const gallery of body.galleries) {
			expect(gallery.totalItems).toBeGreaterThanOrEqual(4);
			expect(gallery.totalItems).toBeLessThanOrEqual(8);
			expect(gallery.items).toHaveLength(gallery.totalItems);
		}
		const byType = (type: string) => items.filter((item: Json) => item.type === type);
		expect(byType('VIDEO')).toHaveLength(2);
		expect(byType('TEXT')).toHaveLength(1);
		expect(byType('IMAGE').length).toBeGreaterThanOrEqual(8);

		for (const item of byType('IMAGE')) {
			const file = mediaManager.getFile(item.image.imageInfo.id);
			expect(file?.operationStatus).toBe('READY');
			expect(item.image.imageInfo).toMatchObject({
				url: `${sandbox.baseUrl}/media/${file?.id}`,
				width: expect.any(Number),
			});
		}
		const jpegItem = byType('IMAGE').find((item: Json) => item.image.imageInfo.id.endsWith('.jpg'));
		expect(jpegItem.image.imageInfo).toMatchObject({ width: 640, height: 426 });
		const fetched = Buffer.from(await (await fetch(jpegItem.image.imageInfo.url)).arrayBuffer());
		expect(fetched.equals(readSandboxAsset('sample.jpg'))).toBe(true);

		const mp4 = readSandboxAsset('sample.mp4');
		for (const item of byType('VIDEO')) {
			expect(item.video.type).toBe('WIX_MEDIA');
			expect(item.video.videoInfo.resolutions[0]).toMatchObject({ width: 320, height: 180 });
			const bytes = Buffer.from(await (await fetch(item.video.videoInfo.url)).arrayBuffer());
			expect(bytes.equals(mp4)).toBe(true);
		}
		expect(
			items.some((item: Json) => item.link?.url && item.tags?.values?.length && item.description),
		).toBe(true);
	});

	test('the empty seed has no galleries', async () => {
		await sandbox.control.reset('empty');
		const { body } = await api('GET', `${PG}/galleries`);
		expect(body).toEqual({ totalGalleries: 0, galleries: [] });
		expect(proGalleryModule.dump()).toEqual({ galleries: [] });
	});
});

describe('Pro Gallery through the official SDK', () => {
	test('every method succeeds and returns what was stored', async () => {
		const file = readyImage('sdk.png', 40, 30);
		const listed = await wix.proGallery.listGalleries({ limit: 2, itemLimit: 1 });
		expect(listed.totalGalleries).toBe(3);
		expect(listed.galleries).toHaveLength(2);
		expect(listed.galleries![0].items).toHaveLength(1);

		const created = await wix.proGallery.createGallery({
			gallery: {
				name: 'From the SDK',
				items: [{ title: 'First', image: { imageInfo: wixImageUri(file, 'sdk.png', 40, 30) } }],
			},
		});
		expect(created).toMatchObject({ name: 'From the SDK', totalItems: 1 });
		const galleryId = created._id!;
		expect(created.items![0]).toMatchObject({ title: 'First', type: 'IMAGE' });
		expect(created.items![0].image!.imageInfo).toBe(wixImageUri(file, 'sdk.png', 40, 30));

		const item = await wix.proGallery.createGalleryItem(galleryId, {
			title: 'Second',
			description: 'with everything',
			sortOrder: 5,
			tags: { values: ['a', 'b'] },
			link: { url: 'https://example.com', text: 'Example' },
			image: { imageInfo: wixImageUri(file, 'sdk.png', 40, 30), focalPoint: { x: 0.25, y: 0.75 } },
		});
		expect(item).toMatchObject({
			title: 'Second',
			description: 'with everything',
			sortOrder: 5,
			tags: { values: ['a', 'b'] },
			link: { url: 'https://example.com', text: 'Example' },
			type: 'IMAGE',
			image: { type: 'WIX_MEDIA', focalPoint: { x: 0.25, y: 0.75 } },
		});
		const itemId = item._id!;
		// Stored as REST: the SDK's wix:image URI was turned into an object with the file's static URL.
		const stored = await api('GET', `${PG}/galleries/${galleryId}/items/${itemId}`);
		expect(stored.body.item.image.imageInfo).toMatchObject({
			id: file.id,
			url: `${sandbox.baseUrl}/media/${file.id}`,
			width: 40,
			height: 30,
		});

		const fetchedItem = await wix.proGallery.getGalleryItem({ galleryId, itemId });
		expect(fetchedItem).toEqual(item);

		const updatedItem = await wix.proGallery.updateGalleryItem(
			{ galleryId, itemId },
			{ title: 'Second, renamed' },
		);
		expect(updatedItem).toMatchObject({
			title: 'Second, renamed',
			description: 'with everything',
			type: 'IMAGE',
		});
		expect(updatedItem.image?.imageInfo).toBe(item.image?.imageInfo);

		const got = await wix.proGallery.getGallery(galleryId, { itemOffset: 0, itemLimit: 10 });
		expect(got).toMatchObject({ _id: galleryId, name: 'From the SDK', totalItems: 2 });
		expect(got.items!.map((entry) => entry.title)).toEqual(['Second, renamed', 'First']);

		const items = await wix.proGallery.listGalleryItems(galleryId, { itemOffset: 1, itemLimit: 1 });
		expect(items.items!.map((entry) => entry.title)).toEqual(['First']);

		const renamed = await wix.proGallery.updateGallery(galleryId, { name: 'Renamed' });
		expect(renamed).toMatchObject({ _id: galleryId, name: 'Renamed', totalItems: 2 });

		const cloned = await wix.proGallery.createGallery({ cloneFromGalleryId: galleryId });
		expect(cloned._id).not.toBe(galleryId);
		expect(cloned).toMatchObject({ name: 'Renamed', totalItems: 2 });
		expect(cloned.items!.map((entry) => entry.title)).toEqual(['Second, renamed', 'First']);
		expect(cloned.items!.map((entry) => entry._id)).not.toContain(itemId);

		const extra = await wix.proGallery.createGalleryItem(galleryId, textItem('Third'));
		const afterDeleteItems = await wix.proGallery.deleteGalleryItems(galleryId, {
			itemsIds: [extra._id!, 'unknown-id'],
		});
		expect(afterDeleteItems.gallery).toMatchObject({ totalItems: 2 });

		const bulk = await wix.proGallery.bulkDeleteGalleryItems(galleryId, [itemId, 'unknown-id']);
		expect(bulk.itemIds).toEqual([itemId]);

		const remaining = (await wix.proGallery.listGalleryItems(galleryId)).items!;
		expect(remaining).toHaveLength(1);
		const single = await wix.proGallery.deleteGalleryItem({ galleryId, itemId: remaining[0]._id! });
		expect(single.itemId).toBe(remaining[0]._id);

		expect((await wix.proGallery.deleteGallery(galleryId)).galleryId).toBe(galleryId);
		await expect(wix.proGallery.getGallery(galleryId)).rejects.toMatchObject({ status: 404 });

		// The SDK talks to the legacy `/progallery` prefix and repeats `itemsIds` in the query string.
		const log = await sandbox.control.requests();
		const galleryCalls = log.filter((entry) => entry.path.includes('/galleries'));
		// The one `/pro-gallery` call is this test's own plain GET of the stored item.
		expect(galleryCalls.filter((entry) => entry.path.startsWith('/pro-gallery/v2/'))).toHaveLength(
			1,
		);
		const sdkCalls = galleryCalls.filter((entry) => entry.path.startsWith('/progallery/v2/'));
		expect(sdkCalls).toHaveLength(galleryCalls.length - 1);
		const deleteItems = sdkCalls.find(
			(entry) => entry.method === 'DELETE' && entry.path.endsWith('/items'),
		);
		expect(deleteItems?.query.itemsIds).toEqual([extra._id, 'unknown-id']);
	});

	test('an image given by its static.wixstatic.com URL: the SDK sends { url } alone, the file is found from it', async () => {
		const file = readyImage('by-url.png', 40, 30);
		const galleryId = (await wix.proGallery.listGalleries()).galleries![0]._id!;
		for (const url of [
			`https://static.wixstatic.com/media/${file.id}`,
			`https://static.wixstatic.com/media/${file.id}/v1/fill/w_40,h_30,al_c/by-url.png`,
		]) {
			await sandbox.control.clearRequests();
			const item = await wix.proGallery.createGalleryItem(galleryId, {
				title: 'By URL',
				image: { imageInfo: url },
			});
			const [sent] = await sandbox.control.requests();
			expect(sent.body).toEqual({
				galleryId,
				item: { title: 'By URL', image: { imageInfo: { url } } },
			});
			// Answered like an item made from the file: the SDK turns the id and size back into its media URI.
			expect(item).toMatchObject({ type: 'IMAGE', image: { type: 'WIX_MEDIA' } });
			expect(item.image!.imageInfo).toBe(wixImageUri(file, 'by-url.png', 40, 30));
			const stored = await api('GET', `${PG}/galleries/${galleryId}/items/${item._id}`);
			expect(stored.body.item.image.imageInfo).toEqual({
				id: file.id,
				url: `${sandbox.baseUrl}/media/${file.id}`,
				width: 40,
				height: 30,
				filename: 'by-url.png',
			});
		}
		await expect(
			wix.proGallery.createGalleryItem(galleryId, {
				image: { imageInfo: 'https://static.wixstatic.com/media/11062b_unknown~mv2.png' },
			}),
		).rejects.toMatchObject({
			status: 400,
			details: {
				validationError: {
					fieldViolations: [expect.objectContaining({ field: 'item.image.imageInfo.url' })],
				},
			},
		});
	});

	test('limits and validation errors surface as SDK errors with Wix’s message', async () => {
		await expect(wix.proGallery.listGalleries({ limit: 11 })).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('INVALID_ARGUMENT: \\"options.limit\\" must be at most 10'),
		});
		await expect(wix.proGallery.listGalleries({ itemLimit: 101 })).rejects.toMatchObject({
			status: 400,
		});
		const galleryId = (await wix.proGallery.listGalleries()).galleries![0]._id!;
		await expect(wix.proGallery.getGallery(galleryId, { itemLimit: 0 })).rejects.toMatchObject({
			status: 400,
			details: {
				validationError: {
					fieldViolations: [expect.objectContaining({ description: 'must be at least 1' })],
				},
			},
		});
		await expect(
			wix.proGallery.createGalleryItem(galleryId, { title: 'no media' }),
		).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('must have one of image, video or text'),
		});
		await expect(
			wix.proGallery.getGalleryItem({ galleryId, itemId: 'missing' }),
		).rejects.toMatchObject({
			status: 404,
			details: { applicationError: { code: 'NOT_FOUND' } },
		});
		await expect(
			wix.proGallery.createGallery({ cloneFromGalleryId: 'missing' }),
		).rejects.toMatchObject({ status: 404 });
	});
});

describe('Pro Gallery over plain HTTP', () => {
	test('both base paths serve the same data', async () => {
		const current = await api('GET', '/pro-gallery/v2/galleries');
		const legacy = await api('GET', '/progallery/v2/galleries');
		expect(current.status).toBe(200);
		expect(legacy.body).toEqual(current.body);
		const created = await api('POST', '/progallery/v2/galleries', { gallery: { name: 'Legacy' } });
		const read = await api('GET', `/pro-gallery/v2/galleries/${created.body.gallery.id}`);
		expect(read.body.gallery).toMatchObject({
			id: created.body.gallery.id,
			name: 'Legacy',
			totalItems: 0,
			items: [],
		});
	});

	test('List Galleries pages with offset/limit, sorted by creation, and validates its parameters', async () => {
		await sandbox.control.reset('empty');
		for (let index = 0; index < 12; index++)
			await createGallery(`G${index}`, [textItem('a'), textItem('b'), textItem('c')]);
		const first = await api('GET', `${PG}/galleries`);
		expect(first.body.totalGalleries).toBe(12);
		expect(first.body.galleries).toHaveLength(10);
		expect(first.body.galleries[0].items).toHaveLength(3);
		const second = await api('GET', `${PG}/galleries?offset=10&limit=10&itemLimit=1`);
		expect(second.body.galleries.map((gallery: Json) => gallery.name)).toEqual(['G10', 'G11']);
		expect(second.body.galleries[0]).toMatchObject({
			totalItems: 3,
			items: [expect.objectContaining({ title: 'a' })],
		});
		expect(second.body.galleries[0].items).toHaveLength(1);

		for (const query of [
			'limit=0',
			'limit=11',
			'limit=abc',
			'itemLimit=0',
			'itemLimit=101',
			'offset=-1',
			'limit=2.5',
		]) {
			const response = await api('GET', `${PG}/galleries?${query}`);
			expect([query, response.status]).toEqual([query, 400]);
			expect(response.body.details.validationError.fieldViolations[0].field).toBe(
				query.split('=')[0],
			);
		}
	});

	test('Get Gallery and List Gallery Items window the items; only Get Gallery reports the total', async () => {
		const items = Array.from({ length: 120 }, (_, index) => textItem(`t${index}`, index));
		const gallery = await createGallery('Big', items);
		expect(gallery.items).toHaveLength(50);
		const page = await api('GET', `${PG}/galleries/${gallery.id}?itemOffset=100&itemLimit=100`);
		expect(page.body.gallery.totalItems).toBe(120);
		expect(page.body.gallery.items.map((item: Json) => item.title)).toEqual(
			Array.from({ length: 20 }, (_, index) => `t${index + 100}`),
		);
		const listed = await api('GET', `${PG}/galleries/${gallery.id}/items?itemOffset=0`);
		expect(Object.keys(listed.body)).toEqual(['items']);
		expect(listed.body.items).toHaveLength(50);
		expect((await api('GET', `${PG}/galleries/${gallery.id}/items?itemLimit=101`)).status).toBe(
			400,
		);
		expect((await api('GET', `${PG}/galleries/${gallery.id}?itemLimit=0`)).status).toBe(400);
		expect((await api('GET', `${PG}/galleries/unknown/items`)).status).toBe(404);
	});

	test('item order follows config.itemOrder, ties by creation', async () => {
		const gallery = await createGallery('Order', [
			textItem('three', 3),
			textItem('one', 1),
			textItem('tie-first', 2),
			textItem('tie-second', 2),
		]);
		const titles = async () =>
			(await api('GET', `${PG}/galleries/${gallery.id}/items`)).body.items.map(
				(item: Json) => item.title,
			);
		expect(await titles()).toEqual(['one', 'tie-first', 'tie-second', 'three']);
		await sandbox.control.setConfig({ itemOrder: 'desc' });
		expect(await titles()).toEqual(['three', 'tie-first', 'tie-second', 'one']);
		await sandbox.control.setConfig({ itemOrder: 'asc' });
	});

	test('items without a sortOrder get the creation time in epoch milliseconds', async () => {
		const gallery = await createGallery('Default order');
		const before = Date.now();
		const { body } = await api('POST', `${PG}/galleries/${gallery.id}/items`, {
			item: textItem('x'),
		});
		expect(body.item.sortOrder).toBeGreaterThanOrEqual(before - 1000);
		expect(body.item.sortOrder).toBeLessThanOrEqual(Date.now() + 1000);
		expect(body.item.createdDate).toBe(body.item.updatedDate);
	});

	test('create item enforces the one-of rule', async () => {
		const gallery = await createGallery('Rules');
		const file = readyImage();
		const cases: Array<[Json, string]> = [
			[{ title: 'none' }, 'item'],
			[{ image: { imageInfo: { id: file.id } }, text: { html: '<p/>' } }, 'item'],
			[{ image: {} }, 'item.image.imageInfo'],
			[{ image: { imageInfo: { url: 'https://example.com/a.png' } } }, 'item.image.imageInfo.id'],
			[{ video: { type: 'YOUTUBE' } }, 'item.video.videoInfo'],
			[{ text: { css: {} } }, 'item.text.html'],
		];
		for (const [item, field] of cases) {
			const response = await api('POST', `${PG}/galleries/${gallery.id}/items`, { item });
			expect([JSON.stringify(item), response.status]).toEqual([JSON.stringify(item), 400]);
			expect(response.body.details.validationError.fieldViolations[0].field).toBe(field);
		}
		expect((await api('POST', `${PG}/galleries/${gallery.id}/items`, {})).status).toBe(400);

		const youtube = await api('POST', `${PG}/galleries/${gallery.id}/items`, {
			item: { video: { videoInfo: { url: 'https://www.youtube.com/watch?v=abc' } } },
		});
		expect(youtube.body.item).toMatchObject({ type: 'VIDEO', video: { type: 'YOUTUBE' } });
		// Unknown media ids are accepted as they are, like the contract's external examples.
		const external = await api('POST', `${PG}/galleries/${gallery.id}/items`, {
			item: {
				image: {
					imageInfo: {
						id: '11062b_external~mv2.jpg',
						url: 'https://static.wixstatic.com/media/x.jpg',
					},
				},
			},
		});
		expect(external.body.item.image).toEqual({
			type: 'WIX_MEDIA',
			imageInfo: { id: '11062b_external~mv2.jpg', url: 'https://static.wixstatic.com/media/x.jpg' },
		});
		const text = await api('POST', `${PG}/galleries/${gallery.id}/items`, {
			item: { ...textItem('t'), extra: 'dropped' },
		});
		expect(text.body.item).toMatchObject({ type: 'TEXT', text: { html: '<p>t</p>' } });
		expect(text.body.item).not.toHaveProperty('extra');
	});

	test('a URL-only imageInfo names its file by a Wix media URL, checked like an id', async () => {
		const gallery = await createGallery('By URL');
		const file = readyImage('plain.png', 20, 10);
		const create = (imageInfo: Json) =>
			api('POST', `${PG}/galleries/${gallery.id}/items`, { item: { image: { imageInfo } } });
		// The sandbox's own static host stands in for static.wixstatic.com, so its URLs name files too.
		const own = await create({ url: `${sandbox.baseUrl}/media/${file.id}` });
		expect(own.status).toBe(200);
		expect(own.body.item.image.imageInfo).toMatchObject({ id: file.id, width: 20, height: 10 });

		await sandbox.control.setConfig({ mediaReadyDelayMs: 0, mediaPendingReads: 1 });
		const pending = mediaManager.addFile({
			bytes: pngImage({ width: 8, height: 8 }),
			displayName: 'pending.png',
		});
		const video = mediaManager.addFile({
			bytes: readSandboxAsset('sample.mp4'),
			displayName: 'clip.mp4',
			ready: true,
		});
		const refused: Array<[string, string, string]> = [
			[`https://static.wixstatic.com/media/${pending.id}`, 'item.image.imageInfo.url', 'PENDING'],
			[`https://static.wixstatic.com/media/${video.id}`, 'item.image.imageInfo.url', 'VIDEO'],
			[
				'https://static.wixstatic.com/media/nope~mv2.png',
				'item.image.imageInfo.url',
				'nope~mv2.png',
			],
			['https://example.com/media/a.png', 'item.image.imageInfo.id', 'is required'],
		];
		for (const [url, field, why] of refused) {
			const response = await create({ url });
			expect([url, response.status]).toEqual([url, 400]);
			expect(response.body.details.validationError.fieldViolations[0].field).toBe(field);
			expect(response.body.message).toContain(why);
		}

		const item = own.body.item;
		const other = readyImage('other.png', 12, 6);
		const replaced = await api('PATCH', `${PG}/galleries/${gallery.id}/items/${item.id}`, {
			item: { image: { imageInfo: { url: `https://static.wixstatic.com/media/${other.id}` } } },
		});
		expect(replaced.body.item.image.imageInfo).toEqual({
			id: other.id,
			url: `${sandbox.baseUrl}/media/${other.id}`,
			width: 12,
			height: 6,
			filename: 'other.png',
		});
	});

	test('media ids come from static.wixstatic.com URLs and the sandbox’s own /media/ URLs only', () => {
		const origin = 'http://127.0.0.1:5880';
		const id = '11062b_0123abcd~mv2.jpg';
		expect(mediaIdFromUrl(`https://static.wixstatic.com/media/${id}`, origin)).toBe(id);
		expect(
			mediaIdFromUrl(`https://static.wixstatic.com/media/${id}/v1/fill/w_40,h_30/a.jpg`, origin),
		).toBe(id);
		expect(mediaIdFromUrl(`http://static.wixstatic.com/media/${id}?x=1#y`, origin)).toBe(id);
		expect(mediaIdFromUrl('https://static.wixstatic.com/media/11062b_a%7Emv2.png', origin)).toBe(
			'11062b_a~mv2.png',
		);
		expect(mediaIdFromUrl(`${origin}/media/${id}`, origin)).toBe(id);
		for (const other of [
			`https://example.com/media/${id}`,
			`https://static.wixstatic.com/other/${id}`,
			'https://static.wixstatic.com/media/',
			`wix:image://v1/${id}/a.jpg`,
			`ftp://static.wixstatic.com/media/${id}`,
			'not a url',
			undefined,
		]) {
			expect([other, mediaIdFromUrl(other, origin)]).toEqual([other, undefined]);
		}
	});

	test('an image must be READY in the Media Manager before it joins a gallery', async () => {
		// PENDING until its descriptor has been read once, whatever the time; the gallery's check is no such read.
		await sandbox.control.setConfig({ mediaReadyDelayMs: 0, mediaPendingReads: 1 });
		const gallery = await createGallery('Waiting');
		const pending = mediaManager.addFile({
			bytes: pngImage({ width: 64, height: 48 }),
			displayName: 'late.png',
		});
		const early = await api('POST', `${PG}/galleries/${gallery.id}/items`, {
			item: { image: { imageInfo: { id: pending.id } } },
		});
		expect(early.status).toBe(400);
		expect(early.body.message).toContain(
			`Media file ${pending.id} is not ready (operationStatus PENDING)`,
		);
		expect(early.body.details.validationError.fieldViolations[0].field).toBe(
			'item.image.imageInfo.id',
		);
		const read = await api(
			'GET',
			`/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(pending.id)}`,
		);
		expect(read.body.file.operationStatus).toBe('PENDING');
		expect(mediaManager.getFile(pending.id)?.operationStatus).toBe('READY');
		const late = await api('POST', `${PG}/galleries/${gallery.id}/items`, {
			item: { image: { imageInfo: { id: pending.id } } },
		});
		expect(late.status).toBe(200);
		expect(late.body.item.image.imageInfo).toEqual({
			id: pending.id,
			url: `${sandbox.baseUrl}/media/${pending.id}`,
			width: 64,
			height: 48,
			filename: 'late.png',
		});
		const failed = mediaManager.addFile({
			bytes: Buffer.from('junk'),
			displayName: 'junk.png',
			mimeType: 'image/png',
			ready: true,
		});
		const rejected = await api('POST', `${PG}/galleries/${gallery.id}/items`, {
			item: { image: { imageInfo: { id: failed.id } } },
		});
		expect(rejected.status).toBe(400);
		expect(rejected.body.message).toContain('FAILED');
	});

	test('update item merges partial changes and refreshes updatedDate', async () => {
		const first = readyImage('first.png', 40, 30);
		const second = readyImage('second-file.png', 20, 10);
		const gallery = await createGallery('Updates');
		const created = (
			await api('POST', `${PG}/galleries/${gallery.id}/items`, {
				item: {
					title: 'T',
					description: 'D',
					link: { type: 'EXTERNAL', url: 'https://a.example', target: '_blank' },
					tags: { values: ['x', 'y'] },
					image: { imageInfo: { id: first.id, altText: 'alt' }, focalPoint: { x: 0.5, y: 0.5 } },
				},
			})
		).body.item;
		const path = `${PG}/galleries/${gallery.id}/items/${created.id}`;
		await sleep(5);

		const focal = await api('PATCH', path, {
			item: { id: created.id, image: { focalPoint: { x: 0.1 } } },
		});
		expect(focal.body.item.image).toEqual({
			type: 'WIX_MEDIA',
			imageInfo: { ...created.image.imageInfo },
			focalPoint: { x: 0.1, y: 0.5 },
		});
		expect(focal.body.item.title).toBe('T');
		expect(Date.parse(focal.body.item.updatedDate)).toBeGreaterThan(
			Date.parse(created.updatedDate),
		);
		expect(focal.body.item.createdDate).toBe(created.createdDate);

		const replaced = await api('PATCH', path, {
			item: { image: { imageInfo: { id: second.id } }, tags: { values: ['z'] } },
		});
		expect(replaced.body.item.image.imageInfo).toEqual({
			id: second.id,
			url: `${sandbox.baseUrl}/media/${second.id}`,
			width: 20,
			height: 10,
			filename: 'second-file.png',
		});
		expect(replaced.body.item.tags).toEqual({ values: ['z'] });
		expect(replaced.body.item.link).toEqual(created.link);

		const toText = await api('PATCH', path, { item: { text: { html: '<b>now text</b>' } } });
		expect(toText.body.item).toMatchObject({
			type: 'TEXT',
			text: { html: '<b>now text</b>' },
			description: 'D',
		});
		expect(toText.body.item).not.toHaveProperty('image');

		expect((await api('PATCH', path, { item: { text: { html: '' } } })).status).toBe(400);
		expect(
			(
				await api('PATCH', path, {
					item: { text: { html: 'a' }, video: { videoInfo: { id: 'v' } } },
				})
			).status,
		).toBe(400);
		expect((await api('PATCH', path, {})).status).toBe(400);
		expect(
			(await api('PATCH', `${PG}/galleries/${gallery.id}/items/unknown`, { item: { title: 'x' } }))
				.status,
		).toBe(404);
		expect((await api('GET', path)).body.item).toEqual(toText.body.item);
	});

	test('deletes: single, by itemsIds query, and bulk with its 100-id cap', async () => {
		const gallery = await createGallery(
			'Deletes',
			Array.from({ length: 6 }, (_, index) => textItem(`i${index}`, index)),
		);
		const ids: string[] = gallery.items.map((item: Json) => item.id);
		const single = await api('DELETE', `${PG}/galleries/${gallery.id}/items/${ids[0]}`);
		expect(single.body).toEqual({ itemId: ids[0] });
		expect((await api('DELETE', `${PG}/galleries/${gallery.id}/items/${ids[0]}`)).status).toBe(404);

		const byQuery = await api(
			'DELETE',
			`${PG}/galleries/${gallery.id}/items?itemsIds=${ids[1]}&itemsIds=${ids[2]}&itemsIds=nope`,
		);
		expect(byQuery.body.gallery).toMatchObject({ id: gallery.id, totalItems: 3 });
		expect(byQuery.body.gallery.items.map((item: Json) => item.id)).toEqual(ids.slice(3));

		const tooMany = await api('POST', `${PG}/galleries/${gallery.id}/items/delete`, {
			itemIds: Array.from({ length: 101 }, (_, index) => `id-${index}`),
		});
		expect(tooMany.status).toBe(400);
		expect(tooMany.body.details.validationError.fieldViolations[0]).toMatchObject({
			field: 'itemIds',
			violatedRule: 'MAX',
		});
		expect((await api('POST', `${PG}/galleries/${gallery.id}/items/delete`, {})).status).toBe(400);
		const bulk = await api('POST', `${PG}/galleries/${gallery.id}/items/delete`, {
			itemIds: [ids[3], 'nope', ids[4]],
		});
		expect(bulk.body).toEqual({ itemIds: [ids[3], ids[4]] });
		expect((await api('GET', `${PG}/galleries/${gallery.id}`)).body.gallery.totalItems).toBe(1);

		expect((await api('DELETE', `${PG}/galleries/${gallery.id}`)).body).toEqual({
			galleryId: gallery.id,
		});
		expect((await api('GET', `${PG}/galleries/${gallery.id}`)).status).toBe(404);
		expect((await api('DELETE', `${PG}/galleries/${gallery.id}`)).status).toBe(404);
	});

	test('create gallery validates its items before storing anything', async () => {
		const before = (await api('GET', `${PG}/galleries`)).body.totalGalleries;
		const response = await api('POST', `${PG}/galleries`, {
			gallery: { name: 'Bad', items: [textItem('ok'), { title: 'bad' }] },
		});
		expect(response.status).toBe(400);
		expect(response.body.details.validationError.fieldViolations[0].field).toBe('gallery.items[1]');
		expect((await api('GET', `${PG}/galleries`)).body.totalGalleries).toBe(before);
	});

	test('every mutation emits its Pro Gallery event', async () => {
		await sandbox.control.setWebhookTarget({ url: receiver.url });
		const gallery = await createGallery('Evented', [textItem('seeded')]);
		const seededId = gallery.items[0].id;
		await api('PATCH', `${PG}/galleries/${gallery.id}`, { gallery: { name: 'Evented 2' } });
		const item = (
			await api('POST', `${PG}/galleries/${gallery.id}/items`, { item: textItem('new') })
		).body.item;
		await api('PATCH', `${PG}/galleries/${gallery.id}/items/${item.id}`, {
			item: { title: 'newer' },
		});
		await api('DELETE', `${PG}/galleries/${gallery.id}/items/${item.id}`);
		const extra = (
			await api('POST', `${PG}/galleries/${gallery.id}/items`, { item: textItem('extra') })
		).body.item;
		await api('DELETE', `${PG}/galleries/${gallery.id}`);
		await waitFor(() => receiver.events.length >= 9, 'nine gallery events');
		await sandbox.control.flushWebhooks();

		const summary = receiver.events.map(({ eventType, event }) => [eventType, event.entityId]);
		expect(summary).toEqual([
			['wix.pro_gallery.gallery_v2_created', gallery.id],
			['wix.pro_gallery.gallery_v2_gallery_item_created', gallery.id],
			['wix.pro_gallery.gallery_v2_updated', gallery.id],
			['wix.pro_gallery.gallery_v2_gallery_item_created', gallery.id],
			['wix.pro_gallery.gallery_v2_gallery_item_updated', gallery.id],
			['wix.pro_gallery.gallery_v2_gallery_item_deleted', gallery.id],
			['wix.pro_gallery.gallery_v2_gallery_item_created', gallery.id],
			['wix.pro_gallery.gallery_v2_gallery_item_deleted', gallery.id],
			['wix.pro_gallery.gallery_v2_gallery_item_deleted', gallery.id],
			['wix.pro_gallery.gallery_v2_deleted', gallery.id],
		]);
		const [
			created,
			seededItem,
			updated,
			itemCreated,
			itemUpdated,
			itemDeleted,
			,
			cascadeA,
			cascadeB,
			deleted,
		] = receiver.events.map((received) => received.event);
		expect(created).toMatchObject({ entityFqdn: 'wix.pro_gallery.gallery_v2', slug: 'created' });
		expect(created.createdEvent?.entity).toMatchObject({
			id: gallery.id,
			name: 'Evented',
			totalItems: 1,
		});
		expect(created.createdEvent?.entity).not.toHaveProperty('items');
		expect(seededItem.actionEvent?.body.item.id).toBe(seededId);
		expect(updated.updatedEvent?.currentEntity).toMatchObject({
			id: gallery.id,
			name: 'Evented 2',
		});
		expect(updated.updatedEvent?.currentEntity).not.toHaveProperty('items');
		expect(itemCreated).toMatchObject({
			slug: 'gallery_item_created',
			actionEvent: { body: { item: { id: item.id, title: 'new' } } },
		});
		expect(itemUpdated).toMatchObject({
			slug: 'gallery_item_updated',
			actionEvent: { body: { updatedItem: { id: item.id, title: 'newer' } } },
		});
		expect(itemDeleted.actionEvent?.body).toEqual({ itemId: item.id });
		expect(itemDeleted).not.toHaveProperty('originatedFrom');
		expect([cascadeA, cascadeB].map((event) => event.actionEvent?.body.itemId).sort()).toEqual(
			[seededId, extra.id].sort(),
		);
		for (const cascade of [cascadeA, cascadeB])
			expect(cascade.originatedFrom).toBe('Gallery Deleted');
		expect(deleted).toMatchObject({ slug: 'deleted', deletedEvent: {} });
		for (const received of receiver.events) {
			expect(received.instanceId).toBe(sandbox.credentials.instanceId);
			expect(received.identity.identityType).toBe('WIX_USER');
		}

		const log = await sandbox.control.webhooks();
		expect(log.filter((attempt) => attempt.ok)).toHaveLength(10);
	});

	test('the state dump lists every gallery with all of its items', async () => {
		const gallery = await createGallery(
			'Dumped',
			Array.from({ length: 60 }, (_, index) => textItem(`d${index}`, index)),
		);
		const state = await sandbox.control.state<{ proGallery: { galleries: Json[] } }>();
		const dumped = state.proGallery.galleries.find((entry) => entry.id === gallery.id);
		expect(dumped.items).toHaveLength(60);
		expect(dumped.totalItems).toBe(60);
		expect(state.proGallery.galleries.map((entry) => entry.name)).toEqual([
			'Summer 2026',
			'Studio portraits',
			'Product videos',
			'Dumped',
		]);
	});
});
