/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run in plain Node: they drive Info-ZIP, write temp files and measure the process's memory */
import AdmZip from 'adm-zip';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';

import {
	createExternalPlatformModule,
	createSharedGalleryModule,
	SHARED_GALLERY_ALBUMS,
	SHARED_GALLERY_MEDIA,
	SHARED_GALLERY_MEMBERS,
	SHARED_GALLERY_ROOT_ALBUM_ID,
	sniffMedia,
} from '../../sandbox/src';
import { runTsChild } from '../support/childProcess';
import { OVER_BUDGET_EXIT_CODE } from '../support/reachableMemory';
import type { OverBudgetReport } from '../support/reachableMemory';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { ARCHIVE_FILES } from './sharedGalleryArchive.child';
import type { SharedGalleryArchiveChildResult } from './sharedGalleryArchive.child';

const run = promisify(execFile);
const { alice, bruno, chen } = SHARED_GALLERY_MEMBERS;

let sandbox: TestSandbox;
let workDir: string;

beforeAll(async () => {
	sandbox = await startTestSandbox({
		modules: [createSharedGalleryModule(), createExternalPlatformModule()],
	});
	workDir = await mkdtemp(join(tmpdir(), 'shared-gallery-'));
});

afterAll(async () => {
	await sandbox?.close();
	await rm(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
	await sandbox.control.reset();
	await sandbox.control.setConfig({ downloadUrlTtlSeconds: 900 });
});

interface Item {
	id: string;
	name: string;
	type: string;
	likeCount: number;
	viewCount: number;
	createdBy: { id: string; name?: string; imageUrl?: string };
	parentAlbumId: string;
	latestTaggedMembers?: Array<{ id: string }>;
	additionalInfo: {
		visualMediaInfo?: {
			fileExtension: string;
			size: string;
			previewImages: Array<{ url: string; width: number; height: number; status: string }>;
		};
		albumInfo?: { childrenCount: number; cover?: { visualMediaId: string } };
	};
}

interface QueryResult {
	items: Item[];
	metadata: { cursor?: string };
}

async function api(
	path: string,
	body: unknown,
	auth = true,
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
): Promise<{ status: number; json: any }> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (auth) {
		headers.Authorization = sandbox.credentials.apiKey;
		headers['wix-site-id'] = sandbox.credentials.siteId;
	}
	const response = await fetch(`${sandbox.baseUrl}${path}`, {
		method: 'POST',
		headers,
		body: JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function query(body: unknown, path = '/shared-gallery/v1/items/query'): Promise<QueryResult> {
	const { status, json } = await api(path, body);
	expect(status).toBe(200);
	return json as QueryResult;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
async function control(method: string, path: string, body?: unknown): Promise<any> {
	const response = await fetch(`${sandbox.baseUrl}/_sandbox/shared-gallery/${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	expect(response.status).toBeLessThan(300);
	return await response.json();
}

async function downloadUrl(itemIds: string[]): Promise<{ url: string; archived: boolean }> {
	const { status, json } = await api('/shared-gallery/v1/items/download-url', { itemIds });
	expect(status).toBe(200);
	return json;
}

async function bytesOf(
	url: string,
): Promise<{ status: number; type: string | null; bytes: Buffer }> {
	const response = await fetch(url);
	return {
		status: response.status,
		type: response.headers.get('content-type'),
		bytes: Buffer.from(await response.arrayBuffer()),
	};
}

async function unzipTest(archive: Buffer): Promise<{ ok: boolean; output: string }> {
	const path = join(workDir, `t-${Date.now()}-${Math.random()}.zip`);
	await writeFile(path, archive);
	try {
		const { stdout } = await run('/usr/bin/unzip', ['-t', path]);
		return { ok: true, output: stdout };
	} catch (error) {
		const failed = error as { stdout?: string; stderr?: string };
		return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
	}
}

const top5LikedOfAliceAndBruno = [
	'portrait-anna.png',
	'mountain-lake.png',
	'headshot-mara.png',
	'lavender-field.png',
	'studio-light-test.png',
];

describe('Query Items', () => {
	it('answers "5 most-liked visual media of two members" the same in camelCase and snake_case', async () => {
		const camel = await query({
			filter: { createdBy: [alice.id, bruno.id], itemTypes: ['VISUAL_MEDIA'] },
			sort: { field: 'LIKE_COUNT', order: 'DESC' },
			paging: { limit: 5 },
		});
		expect(camel.items.map((item) => item.name)).toEqual(top5LikedOfAliceAndBruno);
		expect(camel.items.map((item) => item.likeCount)).toEqual([30, 25, 21, 18, 14]);
		expect(camel.metadata.cursor).toEqual(expect.any(String));

		const snake = await query({
			filter: { created_by: [alice.id, bruno.id], item_types: ['VISUAL_MEDIA'] },
			sort: { field: 'LIKE_COUNT', order: 'DESC' },
			paging: { limit: 5 },
		});
		expect(snake.items.map((item) => item.id)).toEqual(camel.items.map((item) => item.id));

		const mostViewed = await query({
			filter: { createdBy: [alice.id, bruno.id], itemTypes: ['VISUAL_MEDIA'] },
			sort: { field: 'VIEW_COUNT' },
			paging: { limit: 5 },
		});
		expect(mostViewed.items.map((item) => item.name)).toEqual([
			'portrait-anna.png',
			'beach-sunset.png',
			'mountain-lake.png',
			'headshot-mara.png',
			'lavender-field.png',
		]);

		const unfiltered = await query({
			sort: { field: 'LIKE_COUNT', order: 'DESC' },
			paging: { limit: 2 },
		});
		expect(unfiltered.items.map((item) => item.name)).toEqual(['street-art.png', 'skyline.png']);
	});

	it('returns items in the schema shape, with previews served by the sandbox', async () => {
		const { items } = await query({
			filter: { itemIds: [SHARED_GALLERY_MEDIA['waves.mp4'], SHARED_GALLERY_MEDIA['picnic.png']] },
		});
		const [video, photo] = items;
		expect(video.name).toBe('waves.mp4');
		expect(video.type).toBe('VISUAL_MEDIA');
		expect(video.parentAlbumId).toBe(SHARED_GALLERY_ALBUMS.summerTrip.id);
		expect(photo.parentAlbumId).toBe(SHARED_GALLERY_ROOT_ALBUM_ID);
		expect(video.additionalInfo.visualMediaInfo?.fileExtension).toBe('mp4');
		expect(typeof video.additionalInfo.visualMediaInfo?.size).toBe('string');
		expect(video.additionalInfo.visualMediaInfo?.previewImages.length).toBeGreaterThan(1);
		expect(photo.additionalInfo.visualMediaInfo?.previewImages).toHaveLength(1);
		const preview = photo.additionalInfo.visualMediaInfo?.previewImages[0];
		expect(preview?.status).toBe('READY');
		const served = await bytesOf(preview?.url ?? '');
		expect(served.status).toBe(200);
		expect(sniffMedia(served.bytes)).toMatchObject({
			mimeType: 'image/png',
			width: preview?.width,
		});
		expect(photo.createdBy).toEqual({ id: alice.id });
		expect(photo).not.toHaveProperty('latestTaggedMembers');
	});

	it('fills profiles and tagged members only when the fieldset asks', async () => {
		const { items } = await query({
			filter: { itemIds: [SHARED_GALLERY_MEDIA['team-photo.png']] },
			fieldset: ['Profiles'],
		});
		expect(items[0].createdBy).toMatchObject({
			id: bruno.id,
			name: bruno.name,
			identityProfileStatus: 'PUBLIC',
		});
		const avatar = await bytesOf(items[0].createdBy.imageUrl ?? '');
		expect(sniffMedia(avatar.bytes).mimeType).toBe('image/png');
		expect(items[0].latestTaggedMembers?.map((member) => member.id)).toEqual([
			chen.id,
			bruno.id,
			alice.id,
		]);

		const idsOnly = await query({
			filter: { itemIds: [SHARED_GALLERY_MEDIA['team-photo.png']] },
			fieldset: ['RecentTaggedMembers'],
		});
		expect(idsOnly.items[0].latestTaggedMembers).toEqual([
			{ id: chen.id },
			{ id: bruno.id },
			{ id: alice.id },
		]);
	});

	it('filters by likedBy, taggedBy, albumIds and itemTypes, and keeps itemIds order', async () => {
		const liked = await query({ filter: { likedBy: [alice.id] } });
		expect(liked.items.map((item) => item.name).sort()).toEqual(
			['headshot-mara.png', 'portrait-anna.png', 'street-art.png'].sort(),
		);
		const tagged = await query({ filter: { tagged_by: [chen.id] } });
		expect(tagged.items.map((item) => item.name).sort()).toEqual(
			['headshot-mara.png', 'lavender-field.png', 'mountain-lake.png', 'team-photo.png'].sort(),
		);
		const inAlbum = await query({ filter: { album_ids: [SHARED_GALLERY_ALBUMS.summerTrip.id] } });
		expect(inAlbum.items).toHaveLength(6);
		expect(
			inAlbum.items.every((item) => item.parentAlbumId === SHARED_GALLERY_ALBUMS.summerTrip.id),
		).toBe(true);
		const albums = await query({
			filter: { itemTypes: ['ALBUM'] },
			sort: { field: 'ORDER_NUMBERS', order: 'ASC' },
		});
		expect(albums.items.map((item) => item.name)).toEqual(['Summer Trip 2024', 'Studio Portraits']);
		expect(albums.items[0].additionalInfo.albumInfo?.childrenCount).toBe(6);
		expect(albums.items[1].additionalInfo.albumInfo?.childrenCount).toBe(4);
		const byName = await query({
			filter: { createdBy: [chen.id] },
			sort: { field: 'NAME', order: 'ASC' },
		});
		expect(byName.items.map((item) => item.name)).toEqual([
			'bike-ride.png',
			'coffee.png',
			'skyline.png',
			'street-art.png',
			'timelapse.mp4',
		]);
		const ids = [
			SHARED_GALLERY_MEDIA['skyline.png'],
			SHARED_GALLERY_MEDIA['beach-sunset.png'],
			'not-an-item',
		];
		const lookedUp = await query({
			filter: { itemIds: ids },
			sort: { field: 'NAME', order: 'ASC' },
			paging: { limit: 1 },
		});
		expect(lookedUp.items.map((item) => item.name)).toEqual(['skyline.png', 'beach-sunset.png']);
		expect(lookedUp.metadata.cursor).toBeUndefined();
	});

	it('pages with cursors to the end, without overlap, and on every path alias', async () => {
		for (const path of [
			'/shared-gallery/v1/items/query',
			'/v1/items/query',
			'/api/v1/shared-gallery/items/query',
		]) {
			const seen: string[] = [];
			let cursor: string | undefined;
			let pages = 0;
			do {
				const page = await query({ paging: { limit: 7, cursor } }, path);
				seen.push(...page.items.map((item) => item.id));
				cursor = page.metadata.cursor;
				pages++;
			} while (cursor);
			expect(pages).toBe(4);
			expect(seen).toHaveLength(22);
			expect(new Set(seen).size).toBe(22);
		}
		const defaults = await query({});
		expect(defaults.items).toHaveLength(22);
		expect(defaults.metadata.cursor).toBeUndefined();
		expect(defaults.items[0].name).toBe('timelapse.mp4'); // newest first
	});

	it('rejects bad paging, sort and filters with 400 validation errors, and unauthenticated calls with 401', async () => {
		const tooMany = await api('/shared-gallery/v1/items/query', { paging: { limit: 101 } });
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.details.validationError.fieldViolations[0].field).toBe('paging.limit');
		expect((await api('/shared-gallery/v1/items/query', { paging: { limit: 100 } })).status).toBe(
			200,
		);
		expect(
			(await api('/shared-gallery/v1/items/query', { paging: { cursor: 'garbage' } })).status,
		).toBe(400);
		expect(
			(await api('/shared-gallery/v1/items/query', { sort: { field: 'MOST_RECENT' } })).status,
		).toBe(400);
		expect(
			(await api('/shared-gallery/v1/items/query', { sort: [{ field: 'NAME' }] })).status,
		).toBe(400);
		expect(
			(await api('/shared-gallery/v1/items/query', { filter: { itemTypes: ['PHOTO'] } })).status,
		).toBe(400);
		expect(
			(await api('/shared-gallery/v1/items/query', { filter: { createdBy: alice.id } })).status,
		).toBe(400);
		expect((await api('/shared-gallery/v1/items/query', {}, false)).status).toBe(401);
	});
});

describe('Get Display URLs', () => {
	it('returns ViewUrls whose bytes are the media, and counts a view once per call per item', async () => {
		const photoId = SHARED_GALLERY_MEDIA['picnic.png'];
		const videoId = SHARED_GALLERY_MEDIA['timelapse.mp4'];
		const before = (await query({ filter: { itemIds: [photoId, videoId] } })).items;
		const { status, json } = await api('/shared-gallery/v1/visual-media/view', {
			itemIds: [photoId, videoId, photoId],
			incrementViewCount: true,
		});
		expect(status).toBe(200);
		expect(json.urls).toHaveLength(3);
		const [photo, video] = json.urls;
		expect(photo).toMatchObject({
			itemId: photoId,
			viewUrl: { notProcessedYet: false },
			metadata: { imageInfo: { width: 96, height: 64 } },
		});
		expect(video.metadata.videoInfo).toMatchObject({
			width: 320,
			height: 180,
			bestQuality: { width: 320, height: 180 },
		});
		expect(video.metadata.videoInfo.duration).toBeGreaterThan(1500);
		const photoBytes = await bytesOf(photo.viewUrl.url);
		expect(photoBytes.status).toBe(200);
		expect(sniffMedia(photoBytes.bytes)).toMatchObject({
			mimeType: 'image/png',
			width: 96,
			height: 64,
		});
		const videoBytes = await bytesOf(video.viewUrl.url);
		expect(sniffMedia(videoBytes.bytes)).toMatchObject({ kind: 'video', width: 320, height: 180 });

		const after = (await query({ filter: { itemIds: [photoId, videoId] } })).items;
		expect(after[0].viewCount).toBe(before[0].viewCount + 1);
		expect(after[1].viewCount).toBe(before[1].viewCount + 1);

		await api('/api/v1/shared-gallery/items/view-visual-media', { itemIds: [photoId] });
		const unchanged = (await query({ filter: { itemIds: [photoId] } })).items;
		expect(unchanged[0].viewCount).toBe(after[0].viewCount);
	});

	it('needs at least one known visual-media id', async () => {
		expect((await api('/shared-gallery/v1/visual-media/view', { itemIds: [] })).status).toBe(400);
		expect((await api('/shared-gallery/v1/visual-media/view', { itemIds: ['nope'] })).status).toBe(
			404,
		);
		const album = await api('/v1/visual-media/view', {
			itemIds: [SHARED_GALLERY_ALBUMS.summerTrip.id],
		});
		expect(album.status).toBe(400);
	});
});

describe('Get Download URL', () => {
	it('zips several items at the archive root, readable by adm-zip and Info-ZIP', async () => {
		const ids = top5LikedOfAliceAndBruno.map((name) => SHARED_GALLERY_MEDIA[name]);
		const { url, archived } = await downloadUrl(ids);
		expect(archived).toBe(true);
		expect(url.startsWith(`${sandbox.baseUrl}/`)).toBe(true);
		const { status, type, bytes } = await bytesOf(url);
		expect(status).toBe(200);
		expect(type).toBe('application/zip');
		const zip = new AdmZip(bytes);
		expect(
			zip
				.getEntries()
				.map((entry) => entry.entryName)
				.sort(),
		).toEqual([...top5LikedOfAliceAndBruno].sort());
		for (const name of top5LikedOfAliceAndBruno) {
			const checksum = await control('GET', `media/${SHARED_GALLERY_MEDIA[name]}/checksum`);
			const data = zip.readFile(name) as Buffer;
			expect(createHash('sha256').update(data).digest('hex')).toBe(checksum.sha256);
			expect(data.length).toBe(checksum.size);
		}
		const verdict = await unzipTest(bytes);
		expect(verdict.output).toContain('No errors detected');
	});

	it('gives one item as a plain file (archived: false) and an album as a zip of its media', async () => {
		const single = await downloadUrl([SHARED_GALLERY_MEDIA['skyline.png']]);
		expect(single.archived).toBe(false);
		const file = await bytesOf(single.url);
		expect(file.type).toBe('image/png');
		expect(sniffMedia(file.bytes).mimeType).toBe('image/png');

		const album = await api('/v1/items/download', {
			item_ids: [SHARED_GALLERY_ALBUMS.studioPortraits.id],
		});
		expect(album.json.archived).toBe(true);
		const zip = new AdmZip((await bytesOf(album.json.url)).bytes);
		expect(zip.getEntries()).toHaveLength(4);
	});

	it('makes colliding names unique and follows the archive options', async () => {
		await control('PATCH', `items/${SHARED_GALLERY_MEDIA['coffee.png']}`, { name: 'skyline.png' });
		await control('PUT', 'archive-options', {
			method: 'deflate',
			dataDescriptor: false,
			forceZip64: true,
		});
		const { url } = await downloadUrl([
			SHARED_GALLERY_MEDIA['skyline.png'],
			SHARED_GALLERY_MEDIA['coffee.png'],
		]);
		const { bytes } = await bytesOf(url);
		expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
		const entries = new AdmZip(bytes).getEntries();
		expect(entries.map((entry) => entry.entryName)).toEqual(['skyline.png', 'skyline (2).png']);
		expect(entries.every((entry) => entry.header.method === 8)).toBe(true);
		expect((await unzipTest(bytes)).ok).toBe(true);

		// Level 0 deflates without compressing: what zlib writes for incompressible media at any level, cheaply.
		const levelZero = await control('PUT', 'archive-options', { method: 'deflate', level: 0 });
		expect(levelZero).toMatchObject({ method: 'deflate', level: 0 });
		const levelZeroArchive = await bytesOf(
			(await downloadUrl([SHARED_GALLERY_MEDIA['skyline.png'], SHARED_GALLERY_MEDIA['coffee.png']]))
				.url,
		);
		for (const entry of new AdmZip(levelZeroArchive.bytes).getEntries()) {
			expect(entry.header.method).toBe(8);
			expect(entry.header.compressedSize).toBeGreaterThan(entry.header.size);
		}
		expect((await unzipTest(levelZeroArchive.bytes)).ok).toBe(true);
		await expect(control('PUT', 'archive-options', { level: 10 })).rejects.toThrow();
	});

	it('needs at least one id, and known ones', async () => {
		const empty = await api('/shared-gallery/v1/items/download-url', { itemIds: [] });
		expect(empty.status).toBe(400);
		expect(empty.json.details.validationError.fieldViolations[0].field).toBe('itemIds');
		expect((await api('/shared-gallery/v1/items/download-url', {})).status).toBe(400);
		const unknown = await api('/shared-gallery/v1/items/download-url', { itemIds: ['missing-id'] });
		expect(unknown.status).toBe(404);
		expect(unknown.json.details.applicationError.code).toBe('NOT_FOUND');
	});

	it('expires download and display URLs after the configured TTL with 410 {message: "expired"}', async () => {
		const urls = async () => {
			const download = await downloadUrl([
				SHARED_GALLERY_MEDIA['skyline.png'],
				SHARED_GALLERY_MEDIA['coffee.png'],
			]);
			const view = await api('/shared-gallery/v1/visual-media/view', {
				itemIds: [SHARED_GALLERY_MEDIA['skyline.png']],
			});
			return [download.url as string, view.json.urls[0].viewUrl.url as string];
		};
		// URLs granted with the default lifetime and with a short one, all used after the short one has passed: only
		// the lifetime tells them apart. (No URL is used within a short lifetime, which a busy machine could overrun.)
		const lasting = await urls();
		await sandbox.control.setConfig({ downloadUrlTtlSeconds: 0.2 });
		const shortLived = await urls();
		await new Promise((resolve) => setTimeout(resolve, 250));
		expect((await bytesOf(lasting[0])).status).toBe(200);
		expect((await bytesOf(lasting[1])).status).toBe(200);
		for (const url of shortLived) {
			const response = await fetch(url);
			expect(response.status).toBe(410);
			expect(await response.json()).toEqual({ message: 'expired' });
		}
	});
});

describe('bulk member media', () => {
	it('streams a ~50 MB archive of generated media that Info-ZIP reads back file for file', async () => {
		const { count, sizeBytes, videoBytes } = ARCHIVE_FILES;
		const added = await control('POST', 'media', {
			count,
			createdBy: chen.id,
			sizeBytes,
			namePrefix: 'bulk',
		});
		expect(added.items).toHaveLength(count);
		expect(added.items.every((item: { size: number }) => item.size === sizeBytes)).toBe(true);
		const video = await control('POST', 'media', {
			count: 1,
			createdBy: 'f00d0000-0000-4000-8000-000000000009',
			kind: 'video',
			sizeBytes: videoBytes,
		});
		const ids = [...added.items.map((item: { id: string }) => item.id), video.items[0].id];

		const { url } = await downloadUrl(ids);
		const response = await fetch(url);
		expect(response.headers.get('content-type')).toBe('application/zip');
		const path = join(workDir, 'bulk.zip');
		const hash = createHash('sha256');
		let received = 0;
		await pipeline(
			Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
			async function* (source: AsyncIterable<Buffer>) {
				for await (const chunk of source) {
					received += chunk.length;
					hash.update(chunk);
					yield chunk;
				}
			},
			createWriteStream(path),
		);
		expect(received).toBeGreaterThan(count * sizeBytes);

		const { stdout } = await run('/usr/bin/unzip', ['-t', path], { maxBuffer: 16 << 20 });
		expect(stdout).toContain('No errors detected');
		expect(stdout.match(/testing: .* OK/g)).toHaveLength(count + 1);

		const first = added.items[0] as { id: string; name: string };
		const expected = await control('GET', `media/${first.id}/checksum`);
		const extracted = await run('/usr/bin/unzip', ['-p', path, first.name], {
			encoding: 'buffer',
			maxBuffer: 16 << 20,
		});
		expect(createHash('sha256').update(extracted.stdout).digest('hex')).toBe(expected.sha256);
		expect(sniffMedia(extracted.stdout)).toMatchObject({
			mimeType: 'image/png',
			width: 64,
			height: 48,
		});
		const videoFile = await run('/usr/bin/unzip', ['-p', path, video.items[0].name], {
			encoding: 'buffer',
			maxBuffer: 16 << 20,
		});
		expect(videoFile.stdout.length).toBe(videoBytes);
		expect(sniffMedia(videoFile.stdout)).toMatchObject({ kind: 'video', width: 320 });

		const members = await control('GET', 'members');
		expect(members.members.map((member: { id: string }) => member.id)).toContain(
			'f00d0000-0000-4000-8000-000000000009',
		);
	});
});

/**
 * Memory, in a node process of its own (sharedGalleryArchive.child.ts) with a V8 heap limit below the archive's
 * size: at every 4 MiB received the child collects garbage fully and measures what sandbox and reader still
 * reference, heap and Buffers together. Streaming keeps a few chunks; an archive held in memory, by the sandbox or
 * by its reader, is there in full. Measured at points of the download's progress, not of time, so a busy machine
 * changes how long this takes, not what it finds. The control shows the budget failing a reader that holds it.
 */
describe('bulk member media, memory measured in a process of its own', () => {
	const CHILD = join(__dirname, 'sharedGalleryArchive.child.ts');
	const BUDGET = 16 * 1024 * 1024;
	const options = { nodeFlags: ['--max-old-space-size=48'], killAfterMs: 150_000 };

	it('streams the ~50 MB archive while what the process keeps stays within a third of it', async () => {
		const run = await runTsChild<SharedGalleryArchiveChildResult>(
			CHILD,
			['discard', String(BUDGET)],
			options,
		);
		expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
			code: 0,
			signal: null,
			stderr: '',
		});
		const result = run.result!;
		const { count, sizeBytes, videoBytes } = ARCHIVE_FILES;
		expect(result.files).toBe(count + 1);
		expect(result.fileBytes).toBe(count * sizeBytes + videoBytes);
		// The files plus the archive's headers, stored (media does not deflate).
		expect(result.received).toBeGreaterThan(result.fileBytes);
		expect(result.received).toBeLessThan(result.fileBytes + 64 * 1024);
		expect(result.checkpoints).toBe(Math.floor(result.received / (4 * 1024 * 1024)) + 1);
		expect(result.peakGrowth).toBeLessThan(BUDGET);
	}, 180_000);

	it('control: a reader that holds the archive crosses the budget and the child fails', async () => {
		const run = await runTsChild<OverBudgetReport>(CHILD, ['gather', String(BUDGET)], options);
		expect(run.code).toBe(OVER_BUDGET_EXIT_CODE);
		expect(run.result).toMatchObject({ overBudget: true, budgetBytes: BUDGET });
	}, 180_000);
});

describe('broken archives', () => {
	async function brokenDownload(
		kind: string,
		extra: Record<string, unknown> = {},
	): Promise<Buffer> {
		await control('POST', 'broken-archive', { kind, ...extra });
		const { url, archived } = await downloadUrl([SHARED_GALLERY_MEDIA['skyline.png']]);
		expect(archived).toBe(true);
		return (await bytesOf(url)).bytes;
	}

	it('serves the asked-for broken archive once, then normal downloads again', async () => {
		const truncated = await brokenDownload('truncated');
		expect(() => new AdmZip(truncated).getEntries()).toThrow();
		const next = await downloadUrl([
			SHARED_GALLERY_MEDIA['skyline.png'],
			SHARED_GALLERY_MEDIA['coffee.png'],
		]);
		expect(new AdmZip((await bytesOf(next.url)).bytes).getEntries()).toHaveLength(2);
	});

	it.each([
		[
			'bad-crc',
			async (bytes: Buffer) => expect((await unzipTest(bytes)).output).toMatch(/bad CRC/i),
		],
		[
			'path-traversal',
			async (bytes: Buffer) =>
				expect(
					new AdmZip(bytes).getEntries().map((entry) => entry.rawEntryName.toString()),
				).toContain('../escaped.png'),
		],
		[
			'macos-metadata',
			async (bytes: Buffer) =>
				expect(new AdmZip(bytes).getEntries().map((entry) => entry.entryName)).toContain(
					'__MACOSX/._a.png',
				),
		],
		['not-a-zip', async (bytes: Buffer) => expect(bytes.toString()).toContain('<html>')],
		[
			'many-entries',
			async (bytes: Buffer) => expect(new AdmZip(bytes).getEntries()).toHaveLength(300),
		],
		[
			'zip-bomb',
			async (bytes: Buffer) =>
				expect(new AdmZip(bytes).getEntries()[0].header.size).toBe(8 * 1024 * 1024),
		],
	])('%s', async (kind, check) => {
		await check(
			await brokenDownload(kind, { manyEntriesCount: 300, zipBombSize: 8 * 1024 * 1024 }),
		);
	});

	it('connection-reset: the body breaks off', async () => {
		await control('POST', 'broken-archive', { kind: 'connection-reset' });
		const { url } = await downloadUrl([SHARED_GALLERY_MEDIA['skyline.png']]);
		const response = await fetch(url);
		expect(response.status).toBe(200);
		await expect(response.arrayBuffer()).rejects.toThrow();
	});

	it('refuses unknown kinds', async () => {
		const response = await fetch(`${sandbox.baseUrl}/_sandbox/shared-gallery/broken-archive`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ kind: 'melted' }),
		});
		expect(response.status).toBe(400);
	});
});

describe('seeds', () => {
	it('the empty seed has no members and no items', async () => {
		await sandbox.control.reset('empty');
		expect((await query({})).items).toEqual([]);
		expect((await control('GET', 'members')).members).toEqual([]);
	});
});
