/* eslint-disable @n8n/community-nodes/no-restricted-imports -- sandbox tests run in plain Node, never inside n8n */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	createMediaManagerModule,
	createProGalleryModule,
	type MediaManagerModule,
	pngImage,
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

const READY_DELAY_MS = 50;
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const IMAGE_ID = /^[0-9a-f]{6}_[0-9a-f]{32}~mv2\.(png|jpg|jpeg|gif|webp)$/;
const VIDEO_ID = /^[0-9a-f]{6}_[0-9a-f]{32}$/;

let sandbox: TestSandbox;
let mediaManager: MediaManagerModule;
let receiver: WebhookReceiver;
let wix: ReturnType<typeof wixSdkClient>;
let api: ReturnType<typeof apiClient>;
/** A plain origin the sandbox imports from: `/sample.jpg`, `/sample.png`, `/garbage.bin`; anything else is 404. */
let origin: Server;
let originUrl: string;
const samplePng = pngImage({ width: 48, height: 32, seed: 7 });

beforeAll(async () => {
	mediaManager = createMediaManagerModule();
	sandbox = await startTestSandbox({
		modules: [mediaManager, createProGalleryModule()],
		seed: 'empty',
		config: { mediaReadyDelayMs: READY_DELAY_MS },
	});
	wix = wixSdkClient(sandbox);
	api = apiClient(sandbox);
	receiver = await startWebhookReceiver(sandbox.credentials.publicKeyPem);
	const served: Record<string, [string, Buffer]> = {
		'/sample.jpg': ['image/jpeg', readSandboxAsset('sample.jpg')],
		'/sample.png': ['image/png', samplePng],
		'/garbage.bin': ['application/octet-stream', Buffer.from('definitely not a picture')],
	};
	origin = createServer((req, res) => {
		const entry = served[new URL(req.url ?? '/', 'http://origin').pathname];
		if (!entry) {
			res.writeHead(404);
			res.end();
			return;
		}
		res.writeHead(200, { 'Content-Type': entry[0], 'Content-Length': entry[1].length });
		res.end(entry[1]);
	});
	await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
	originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await sandbox?.close();
	await receiver?.close();
	await new Promise<void>((resolve) => (origin ? origin.close(() => resolve()) : resolve()));
});

beforeEach(async () => {
	await sandbox.control.reset('empty');
	await sandbox.control.setWebhookTarget({ url: receiver.url });
	receiver.clear();
});

async function uploadViaSdk(
	bytes: Buffer,
	mimeType: string,
	fileName: string,
	contentType = mimeType,
) {
	const { uploadUrl } = await wix.files.generateFileUploadUrl(mimeType, { fileName });
	const response = await fetch(`${uploadUrl}?filename=${encodeURIComponent(fileName)}`, {
		method: 'PUT',
		headers: { 'Content-Type': contentType },
		body: bytes,
	});
	return {
		uploadUrl: uploadUrl as string,
		status: response.status,
		body: (await response.json()) as Json,
	};
}

async function waitForStatus(fileId: string, status: 'READY' | 'FAILED') {
	return await waitFor(async () => {
		const { body } = await api(
			'GET',
			`/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(fileId)}`,
		);
		return body.file.operationStatus === status ? body.file : undefined;
	}, `${fileId} to be ${status}`);
}

describe('Media Manager through the official SDK', () => {
	test('generateFileUploadUrl + PUT stores the bytes as a PENDING file that turns READY', async () => {
		// The first descriptor read is PENDING whatever the time (a busy machine may take 300 ms to get there).
		await sandbox.control.setConfig({ mediaReadyDelayMs: 300, mediaPendingReads: 1 });
		const upload = await uploadViaSdk(samplePng, 'image/png', 'holiday.png');
		expect(upload.uploadUrl.startsWith(`${sandbox.baseUrl}/upload/v1/`)).toBe(true);
		expect(upload.status).toBe(200);
		const pending = upload.body.file;
		expect(pending).toMatchObject({
			displayName: 'holiday.png',
			operationStatus: 'PENDING',
			mediaType: 'IMAGE',
			hash: '',
			sizeInBytes: String(samplePng.length),
			parentFolderId: 'media-root',
			state: 'OK',
			media: null,
		});
		expect(pending.id).toMatch(IMAGE_ID);
		expect(pending.id.endsWith('~mv2.png')).toBe(true);

		const notYetServed = await fetch(`${sandbox.baseUrl}/media/${pending.id}`);
		expect(notYetServed.status).toBe(404);
		const stillPending = await wix.files.getFileDescriptor(pending.id);
		expect(stillPending.operationStatus).toBe('PENDING');

		// Longer than the processing delay, which the read that released the file does not shorten.
		await sleep(350);
		const ready = await wix.files.getFileDescriptor(pending.id);
		expect(ready).toMatchObject({
			_id: pending.id,
			operationStatus: 'READY',
			hash: md5(samplePng),
			sizeInBytes: String(samplePng.length),
			url: `${sandbox.baseUrl}/media/${pending.id}`,
		});
		// The SDK turns REST's image object into a wix:image URI carrying the id, name and size.
		expect(ready.media?.image?.image).toBe(
			`wix:image://v1/${pending.id}/holiday.png#originWidth=48&originHeight=32`,
		);
		expect(typeof ready._createdDate).toBe('object');

		const served = await fetch(`${sandbox.baseUrl}/media/${pending.id}`);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('image/png');
		expect(served.headers.get('content-length')).toBe(String(samplePng.length));
		expect(Buffer.from(await served.arrayBuffer()).equals(samplePng)).toBe(true);
	});

	test('READY descriptors follow the REST shape exactly', async () => {
		const { body } = await uploadViaSdk(samplePng, 'image/png', 'shape.png');
		const file = await waitForStatus(body.file.id, 'READY');
		expect(file.media.image.image).toEqual({
			id: body.file.id,
			url: `${sandbox.baseUrl}/media/${body.file.id}`,
			width: 48,
			height: 32,
			filename: 'shape.png',
		});
		expect(typeof file.sizeInBytes).toBe('string');
		expect(file.thumbnailUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
		expect(Date.parse(file.createdDate)).not.toBeNaN();
		expect(Date.parse(file.updatedDate)).toBeGreaterThanOrEqual(Date.parse(file.createdDate));
		expect(file).not.toHaveProperty('sourceUrl');
	});

	test('a video upload gets a video id, resolutions and a poster that is served', async () => {
		const mp4 = readSandboxAsset('sample.mp4');
		const { body } = await uploadViaSdk(mp4, 'video/mp4', 'clip.mp4');
		expect(body.file.id).toMatch(VIDEO_ID);
		const file = await waitForStatus(body.file.id, 'READY');
		expect(file.mediaType).toBe('VIDEO');
		expect(file.media.video).toMatchObject({
			id: file.id,
			url: `${sandbox.baseUrl}/media/${file.id}`,
			resolutions: [{ width: 320, height: 180, format: 'mp4', quality: '180p' }],
		});
		const poster = file.media.video.posters[0];
		expect(poster).toMatchObject({ width: 320, height: 180 });
		expect(file.thumbnailUrl).toBe(poster.url);
		const posterResponse = await fetch(poster.url);
		expect(posterResponse.status).toBe(200);
		expect(posterResponse.headers.get('content-type')).toBe('image/png');
		const served = await fetch(file.url);
		expect(served.headers.get('content-type')).toBe('video/mp4');
		expect(Buffer.from(await served.arrayBuffer()).equals(mp4)).toBe(true);

		const viaSdk = await wix.files.getFileDescriptor(file.id);
		expect(viaSdk.media?.video).toMatch(
			new RegExp(`^wix:video://v1/${file.id}/clip\\.mp4#posterUri=`),
		);
	});

	test('importFile answers at once with a PENDING descriptor and no media, then fetches the URL', async () => {
		const imported = await wix.files.importFile(`${originUrl}/sample.jpg`, {
			displayName: 'Imported sample',
			mimeType: 'image/jpeg',
			externalInfo: { origin: 'tests', externalIds: ['ext-1'] },
		});
		expect(imported.file).toMatchObject({
			displayName: 'Imported sample',
			operationStatus: 'PENDING',
			media: null,
			sourceUrl: `${originUrl}/sample.jpg`,
			hash: '',
		});
		const id = imported.file!._id!;
		expect(id).toMatch(IMAGE_ID);
		const ready = await waitForStatus(id, 'READY');
		const jpg = readSandboxAsset('sample.jpg');
		expect(ready).toMatchObject({
			hash: md5(jpg),
			sizeInBytes: String(jpg.length),
			sourceUrl: `${originUrl}/sample.jpg`,
		});
		expect(ready.media.image.image).toMatchObject({ width: 640, height: 426 });
		const served = await fetch(ready.url);
		expect(served.headers.get('content-type')).toBe('image/jpeg');
		expect(Buffer.from(await served.arrayBuffer()).equals(jpg)).toBe(true);
		expect(mediaManager.fileBytes(id)?.equals(jpg)).toBe(true);
	});

	test('an import whose URL answers 404 ends FAILED and is never served', async () => {
		const imported = await wix.files.importFile(`${originUrl}/missing.png`, {
			mimeType: 'image/png',
		});
		const failed = await waitForStatus(imported.file!._id!, 'FAILED');
		expect(failed.media).toBeNull();
		expect(failed.displayName).toBe('missing.png');
		expect((await fetch(failed.url)).status).toBe(404);
	});

	test('garbage bytes and bytes of the wrong kind fail processing', async () => {
		const garbage = await uploadViaSdk(
			Buffer.from('this is not an image'),
			'image/png',
			'broken.png',
		);
		const wrongKind = await uploadViaSdk(samplePng, 'video/mp4', 'not-a-video.mp4');
		const importedGarbage = await wix.files.importFile(`${originUrl}/garbage.bin`, {
			mimeType: 'image/jpeg',
		});
		for (const id of [garbage.body.file.id, wrongKind.body.file.id, importedGarbage.file!._id!]) {
			const failed = await waitForStatus(id, 'FAILED');
			expect(failed.hash).toBe('');
			expect((await fetch(`${sandbox.baseUrl}/media/${id}`)).status).toBe(404);
		}
	});

	test('validation errors come back as SDK errors carrying Wix’s message', async () => {
		await expect(wix.files.generateFileUploadUrl('')).rejects.toMatchObject({
			status: 400,
			message: expect.stringContaining('INVALID_ARGUMENT: \\"mimeType\\" must not be empty'),
		});
		await expect(wix.files.importFile('')).rejects.toMatchObject({ status: 400 });
		await expect(
			wix.files.getFileDescriptor('abcdef_00000000000000000000000000000000~mv2.png'),
		).rejects.toMatchObject({
			status: 404,
			details: { applicationError: { code: 'NOT_FOUND' } },
		});
	});
});

describe('Media Manager over plain HTTP', () => {
	test('missing mimeType is a 400 field violation', async () => {
		const response = await api('POST', '/site-media/v1/files/generate-upload-url', {
			fileName: 'x.png',
		});
		expect(response.status).toBe(400);
		expect(response.body.details.validationError.fieldViolations[0]).toMatchObject({
			field: 'mimeType',
		});
	});

	test('the upload needs a Content-Type and each upload URL works once', async () => {
		const { body } = await api('POST', '/site-media/v1/files/generate-upload-url', {
			mimeType: 'image/png',
		});
		const withoutType = await fetch(`${body.uploadUrl}?filename=a.png`, {
			method: 'PUT',
			body: samplePng,
		});
		expect(withoutType.status).toBe(400);
		const first = await fetch(`${body.uploadUrl}?filename=a.png`, {
			method: 'PUT',
			headers: { 'Content-Type': 'image/png' },
			body: samplePng,
		});
		expect(first.status).toBe(200);
		const second = await fetch(`${body.uploadUrl}?filename=a.png`, {
			method: 'PUT',
			headers: { 'Content-Type': 'image/png' },
			body: samplePng,
		});
		expect(second.status).toBe(404);
	});

	test('application/octet-stream uploads rely on the generated mime type and the filename', async () => {
		const { body } = await api('POST', '/site-media/v1/files/generate-upload-url', {
			mimeType: 'application/octet-stream',
		});
		const response = await fetch(`${body.uploadUrl}?filename=photo.png`, {
			method: 'PUT',
			headers: { 'Content-Type': 'application/octet-stream' },
			body: samplePng,
		});
		const { file } = (await response.json()) as Json;
		expect(file.id.endsWith('~mv2.png')).toBe(true);
		expect((await waitForStatus(file.id, 'READY')).mediaType).toBe('IMAGE');
	});

	test('get-file-by-id, the 2023 alias, media URIs and get-files agree', async () => {
		const a = mediaManager.addFile({ bytes: samplePng, displayName: 'a.png', ready: true });
		const b = mediaManager.addFile({
			bytes: readSandboxAsset('sample.jpg'),
			displayName: 'b.jpg',
			ready: true,
		});
		const byQuery = await api(
			'GET',
			`/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(a.id)}`,
		);
		const byPath = await api('GET', `/site-media/v1/files/${encodeURIComponent(a.id)}`);
		const byUri = await api(
			'GET',
			`/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(`wix:image://v1/${a.id}/a.png#originWidth=48&originHeight=32`)}`,
		);
		expect(byQuery.status).toBe(200);
		expect(byPath.body).toEqual(byQuery.body);
		expect(byUri.body).toEqual(byQuery.body);
		const many = await api('POST', '/site-media/v1/files/get-files', { fileIds: [b.id, a.id] });
		expect(many.body.files.map((file: Json) => file.id)).toEqual([b.id, a.id]);
		expect((await api('GET', '/site-media/v1/files/get-file-by-id')).status).toBe(400);
	});

	test('List Files pages with a cursor', async () => {
		const ids = [1, 2, 3, 4, 5].map(
			(seed) =>
				mediaManager.addFile({
					bytes: pngImage({ width: 4, height: 4, seed }),
					displayName: `f${seed}.png`,
					ready: true,
				}).id,
		);
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const query = `paging.limit=2&sort.fieldName=displayName&sort.order=ASC${cursor ? `&paging.cursor=${cursor}` : ''}`;
			const { status, body } = await api('GET', `/site-media/v1/files?${query}`);
			expect(status).toBe(200);
			expect(body.files.length).toBeLessThanOrEqual(2);
			seen.push(...body.files.map((file: Json) => file.id));
			cursor = body.nextCursor.cursors.next;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toEqual(ids);
		expect((await api('GET', '/site-media/v1/files?paging.limit=101')).status).toBe(400);
		const viaSdk = await wix.files.listFiles({ paging: { limit: 3 } });
		expect(viaSdk.files).toHaveLength(3);
	});

	test('bulk delete moves files to the trash, or removes them for good', async () => {
		const trashed = mediaManager.addFile({ bytes: samplePng, displayName: 't.png', ready: true });
		const removed = mediaManager.addFile({ bytes: samplePng, displayName: 'r.png', ready: true });
		expect(
			(await api('POST', '/site-media/v1/bulk/files/delete', { fileIds: [trashed.id] })).status,
		).toBe(200);
		expect(
			(
				await api('POST', '/site-media/v1/bulk/files/delete', {
					fileIds: [removed.id],
					permanent: true,
				})
			).status,
		).toBe(200);
		const inTrash = await api('GET', `/site-media/v1/files/${encodeURIComponent(trashed.id)}`);
		expect(inTrash.body.file).toMatchObject({ state: 'DELETED', parentFolderId: 'trash-root' });
		expect(
			(await api('GET', `/site-media/v1/files/${encodeURIComponent(removed.id)}`)).status,
		).toBe(404);
		expect((await api('POST', '/site-media/v1/bulk/files/delete', {})).status).toBe(400);
		await sandbox.control.flushWebhooks();
		const deletions = receiver.events.filter((event) => event.event.slug === 'deleted');
		expect(deletions.map((event) => [event.event.entityId, event.event.deletedEvent])).toEqual([
			[trashed.id, { movedToTrash: true }],
			[removed.id, { movedToTrash: false }],
		]);
	});

	test('processing emits File Ready and File Failed events', async () => {
		const good = await uploadViaSdk(samplePng, 'image/png', 'good.png');
		const bad = await uploadViaSdk(Buffer.from('nope'), 'image/png', 'bad.png');
		await waitForStatus(good.body.file.id, 'READY');
		await waitForStatus(bad.body.file.id, 'FAILED');
		await waitFor(() => receiver.events.length >= 2, 'two media events');
		await sandbox.control.flushWebhooks();
		const ready = receiver.events.find((event) => event.event.slug === 'file_ready');
		const failed = receiver.events.find((event) => event.event.slug === 'file_failed');
		expect(ready).toMatchObject({
			eventType: 'wix.media.site_media.v1.file_descriptor_file_ready',
			event: { entityFqdn: 'wix.media.site_media.v1.file_descriptor', entityId: good.body.file.id },
		});
		expect(ready?.event.actionEvent?.body.file).toMatchObject({
			id: good.body.file.id,
			operationStatus: 'READY',
		});
		expect(failed).toMatchObject({
			eventType: 'wix.media.site_media.v1.file_descriptor_file_failed',
			event: { entityId: bad.body.file.id },
		});
		expect(receiver.events).toHaveLength(2);
		const log = await sandbox.control.webhooks();
		expect(
			log
				.filter((attempt) => attempt.ok)
				.map((attempt) => attempt.eventType)
				.sort(),
		).toEqual([
			'wix.media.site_media.v1.file_descriptor_file_failed',
			'wix.media.site_media.v1.file_descriptor_file_ready',
		]);
	});

	test('the configured delay is read when a file is created', async () => {
		// A delay no machine outlasts during this test: the slow file cannot turn READY before it is looked at.
		await sandbox.control.setConfig({ mediaReadyDelayMs: 600_000 });
		const slow = await uploadViaSdk(samplePng, 'image/png', 'slow.png');
		await sandbox.control.setConfig({ mediaReadyDelayMs: 0 });
		const fast = await uploadViaSdk(samplePng, 'image/png', 'fast.png');
		expect(mediaManager.getFile(fast.body.file.id)?.operationStatus).toBe('READY');
		expect(mediaManager.getFile(slow.body.file.id)?.operationStatus).toBe('PENDING');
	});

	test('mediaPendingReads holds a new file PENDING for that many descriptor reads, then lets it turn READY', async () => {
		await sandbox.control.setConfig({ mediaReadyDelayMs: 0, mediaPendingReads: 3 });
		const held = await uploadViaSdk(samplePng, 'image/png', 'held.png');
		await sandbox.control.setConfig({ mediaPendingReads: 0 });
		const free = await uploadViaSdk(samplePng, 'image/png', 'free.png');
		const id = held.body.file.id;
		const statusOf = async () =>
			(await api('GET', `/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(id)}`))
				.body.file.operationStatus;
		// Neither the module's own look-ups, the state dump, listing nor the static host count as reads.
		expect(mediaManager.getFile(id)?.operationStatus).toBe('PENDING');
		expect((await fetch(`${sandbox.baseUrl}/media/${id}`)).status).toBe(404);
		expect((await api('GET', '/site-media/v1/files')).status).toBe(200);
		expect(await statusOf()).toBe('PENDING');
		const both = await api('POST', '/site-media/v1/files/get-files', {
			fileIds: [id, free.body.file.id],
		});
		expect(both.body.files.map((file: Json) => file.operationStatus)).toEqual(['PENDING', 'READY']);
		const readyEvents = async () => {
			await sandbox.control.flushWebhooks();
			return receiver.events
				.filter((event) => event.event.slug === 'file_ready')
				.map((event) => event.event.entityId);
		};
		expect(await readyEvents()).toEqual([free.body.file.id]);
		// The third read is still PENDING; it releases the file, which then concludes and says so.
		expect(await statusOf()).toBe('PENDING');
		expect(await statusOf()).toBe('READY');
		expect((await fetch(`${sandbox.baseUrl}/media/${id}`)).status).toBe(200);
		expect(await readyEvents()).toEqual([free.body.file.id, id]);
	});
});

describe("The static host's image transformations", () => {
	const pngSize = (bytes: Buffer) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];

	test('fit scales down keeping proportions, never up; fill answers the exact size; both are logged', async () => {
		const file = mediaManager.addFile({
			bytes: pngImage({ width: 400, height: 200, seed: 3 }),
			displayName: 'wide.png',
			ready: true,
		});
		await sandbox.control.clearRequests();
		const get = async (transform: string) =>
			await fetch(`${sandbox.baseUrl}/media/${file.id}/v1/${transform}/file.png`);

		const fit = await get('fit/w_100,h_100,al_c,q_80');
		expect(fit.status).toBe(200);
		expect(fit.headers.get('content-type')).toBe('image/png');
		expect(pngSize(Buffer.from(await fit.arrayBuffer()))).toEqual([100, 50]);

		const larger = Buffer.from(await (await get('fit/w_1000,h_1000')).arrayBuffer());
		expect(md5(larger)).toBe(md5(mediaManager.fileBytes(file.id) as Buffer));

		const fill = Buffer.from(await (await get('fill/w_30,h_90')).arrayBuffer());
		expect(pngSize(fill)).toEqual([30, 90]);

		const requests = await sandbox.control.requests();
		expect(requests.map((request) => [request.path, request.status])).toEqual([
			[`/media/${file.id}/v1/fit/w_100,h_100,al_c,q_80/file.png`, 200],
			[`/media/${file.id}/v1/fit/w_1000,h_1000/file.png`, 200],
			[`/media/${file.id}/v1/fill/w_30,h_90/file.png`, 200],
		]);
	});

	test('invalid transformations answer 400, unknown or non-image files 404', async () => {
		const image = mediaManager.addFile({ bytes: samplePng, displayName: 'a.png', ready: true });
		const video = mediaManager.addFile({
			bytes: readSandboxAsset('sample.mp4'),
			displayName: 'v.mp4',
			ready: true,
		});
		const status = async (path: string) => (await fetch(`${sandbox.baseUrl}${path}`)).status;

		expect(await status(`/media/${image.id}/v1/crop/w_10,h_10,x_0,y_0/file.png`)).toBe(400);
		expect(await status(`/media/${image.id}/v1/fit/w_0,h_10/file.png`)).toBe(400);
		expect(await status(`/media/${image.id}/v1/fit/w_10,h_5001/file.png`)).toBe(400);
		expect(await status(`/media/${image.id}/v1/fit/h_10/file.png`)).toBe(400);
		expect(await status(`/media/${video.id}/v1/fit/w_10,h_10/file.png`)).toBe(404);
		expect(await status(`/media/nope~mv2.png/v1/fit/w_10,h_10/file.png`)).toBe(404);
	});
});
