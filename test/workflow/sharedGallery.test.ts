/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in plain Node, never inside n8n */
import { createHash } from 'node:crypto';

import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	IPairedItemData,
} from 'n8n-workflow';

import {
	SHARED_GALLERY_ALBUMS,
	SHARED_GALLERY_BROKEN_KINDS,
	SHARED_GALLERY_MEDIA,
	SHARED_GALLERY_MEMBERS,
} from '../../sandbox/src';
import type { ServedBrokenKind } from '../../sandbox/src';
import {
	CredentialStore,
	MANUAL_TRIGGER_TYPE,
	cleanupBinaryData,
	packageNodeType,
	runNode,
	runWorkflow,
} from '../support/harness';
import type { InputItem, NodeRunResult, WorkflowRunResult } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { RequestLogEntry, TestSandbox } from '../support/sandbox';
import { apiKeyCredentials, apiRequests } from '../support/workflow';

const { alice, bruno } = SHARED_GALLERY_MEMBERS;
const media = (name: string): string => {
	const id = SHARED_GALLERY_MEDIA[name];
	if (!id) throw new Error(`No seeded medium named ${name}`);
	return id;
};

let sandbox: TestSandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox({ config: { mediaReadyDelayMs: 50 } });
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
});

beforeEach(async () => {
	await sandbox.control.reset();
	await sandbox.control.clearFaults();
	await sandbox.control.setConfig({ downloadUrlTtlSeconds: 900 });
	await sandbox.control.clearRequests();
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

async function control<T = IDataObject>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${sandbox.baseUrl}/_sandbox/${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /_sandbox/${path} → ${response.status}: ${text}`);
	return (text ? JSON.parse(text) : {}) as T;
}

interface Checksum {
	id: string;
	name: string;
	size: number;
	sha256: string;
}

async function checksumOf(itemId: string): Promise<Checksum> {
	return await control<Checksum>('GET', `shared-gallery/media/${itemId}/checksum`);
}

function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

async function runSharedGallery(
	parameters: IDataObject,
	options: { input?: InputItem[]; continueOnFail?: boolean } = {},
): Promise<NodeRunResult> {
	return await runNode({
		type: 'wixSharedGallery',
		parameters: { resource: 'item', ...parameters },
		credentials: apiKeyCredentials(sandbox),
		input: options.input,
		continueOnFail: options.continueOnFail,
	});
}

/** Every output file's bytes equal the sandbox's own checksum of the item it says it is. */
async function expectFilesMatchSandbox(
	run: WorkflowRunResult,
	items: INodeExecutionData[],
	property = 'data',
): Promise<void> {
	for (const item of items) {
		const itemId = item.json.itemId as string;
		expect(typeof itemId).toBe('string');
		const expected = await checksumOf(itemId);
		const bytes = await run.binaryBuffer(item, property);
		expect({ name: item.json.fileName, size: bytes.length, sha256: sha256(bytes) }).toEqual({
			name: item.json.fileName,
			size: expected.size,
			sha256: expected.sha256,
		});
		expect(item.json.size).toBe(expected.size);
	}
}

async function requestsTo(pattern: RegExp): Promise<RequestLogEntry[]> {
	return await apiRequests(sandbox, pattern);
}

const QUERY_PATH = /\/items\/query$/;
const DOWNLOAD_URL_PATH = /\/items\/download(-url)?$/;
const DOWNLOAD_FILE_PATH = /^\/shared-gallery-files\/download\//;

interface StateItem {
	id: string;
	name: string;
	viewCount: number;
	likeCount: number;
}

async function stateItem(id: string): Promise<StateItem> {
	const state = await sandbox.control.state<{ sharedGallery: { items: StateItem[] } }>();
	const found = state.sharedGallery.items.find((item) => item.id === id);
	if (!found) throw new Error(`No item ${id} in the sandbox state`);
	return found;
}

async function addMemberMedia(
	count: number,
	fields: { sizeBytes?: number; kind?: 'image' | 'video'; namePrefix?: string } = {},
): Promise<{ memberId: string; items: Array<{ id: string; name: string; size: number }> }> {
	const member = await control<{ id: string }>('POST', 'shared-gallery/members', {
		name: `Generated member ${count}`,
	});
	const created = await control<{ items: Array<{ id: string; name: string; size: number }> }>(
		'POST',
		'shared-gallery/media',
		{ count, createdBy: member.id, ...fields },
	);
	return { memberId: member.id, items: created.items };
}

/** Members as the Created By / Liked By / Tagged Members filters hold them once picked from the list. */
function pickedMembers(...ids: string[]): INodeParameters {
	return { members: ids.map((id) => ({ member: { __rl: true, mode: 'list', value: id } })) };
}

function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	const list = (Array.isArray(paired) ? paired : [paired]) as IPairedItemData[];
	return list.map((entry) => entry.item).sort((a, b) => a - b);
}

/** The seed flow's selection: the 5 most-liked visual media uploaded by Alice or Bruno. */
const SEED_FLOW_QUERY = {
	filters: { createdBy: pickedMembers(alice.id, bruno.id), itemTypes: ['VISUAL_MEDIA'] },
	sortField: 'LIKE_COUNT',
	sortOrder: 'DESC',
	returnAll: false,
	limit: 5,
};
const SEED_FLOW_TOP_5 = [
	'portrait-anna.png',
	'mountain-lake.png',
	'headshot-mara.png',
	'lavender-field.png',
	'studio-light-test.png',
];

// ---------------------------------------------------------------------------------------------------------------

describe('Seed flow: the 5 most-liked visual media of two members, as binary items', () => {
	test('one Download node in Query mode does it: one query, one archive, five verified files', async () => {
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'query',
			...SEED_FLOW_QUERY,
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json.fileName)).toEqual(SEED_FLOW_TOP_5);
		expect(result.items.map((item) => item.json.itemId)).toEqual(SEED_FLOW_TOP_5.map(media));
		expect(result.items.map((item) => (item.json.item as IDataObject).likeCount)).toEqual([
			30, 25, 21, 18, 14,
		]);
		for (const item of result.items) {
			expect(item.json).toMatchObject({ mimeType: 'image/png', matched: true, fromArchive: true });
			expect(item.binary?.data).toMatchObject({
				mimeType: 'image/png',
				fileName: item.json.fileName,
			});
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		await expectFilesMatchSandbox(result, result.items);

		const queries = await requestsTo(QUERY_PATH);
		expect(queries).toHaveLength(1);
		expect(queries[0].body).toMatchObject({
			filter: { createdBy: [alice.id, bruno.id], itemTypes: ['VISUAL_MEDIA'] },
			sort: { field: 'LIKE_COUNT', order: 'DESC' },
			paging: { limit: 5 },
		});
		const downloads = await requestsTo(DOWNLOAD_URL_PATH);
		expect(downloads.map((request) => request.body)).toEqual([
			{ itemIds: SEED_FLOW_TOP_5.map(media) },
		]);
	});

	test('Query → Download (IDs from the input items) gives the same files, paired to their input items', async () => {
		const store = new CredentialStore();
		const credential = store.add('wixGalleryApi', apiKeyCredentials(sandbox).wixGalleryApi);
		const run = await runWorkflow({
			credentials: store,
			nodes: [
				{ name: 'Start', type: MANUAL_TRIGGER_TYPE, parameters: {} },
				{
					name: 'Query',
					type: packageNodeType('wixSharedGallery'),
					parameters: { resource: 'item', operation: 'query', ...SEED_FLOW_QUERY },
					credentials: { wixGalleryApi: credential },
				},
				{
					name: 'Download',
					type: packageNodeType('wixSharedGallery'),
					parameters: {
						resource: 'item',
						operation: 'download',
						selectBy: 'inputField',
						idField: 'id',
						binaryPropertyName: 'media',
					},
					credentials: { wixGalleryApi: credential },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Query', type: 'main', index: 0 }]] },
				Query: { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
			},
		});
		expect(run.error).toBeUndefined();
		const queried = run.output('Query');
		expect(queried.map((item) => item.json.name)).toEqual(SEED_FLOW_TOP_5);
		const files = run.output('Download');
		expect(files.map((item) => item.json.fileName)).toEqual(SEED_FLOW_TOP_5);
		files.forEach((file, index) => expect(pairedIndexes(file)).toEqual([index]));
		await expectFilesMatchSandbox(run, files, 'media');
		// The items' metadata came with the input, so the only query is the Query node's; all five share an archive.
		expect(await requestsTo(QUERY_PATH)).toHaveLength(1);
		expect(await requestsTo(DOWNLOAD_URL_PATH)).toHaveLength(1);
	});
});

describe('Query', () => {
	test('outputs flat fields for media and albums, with Wix’s object under raw', async () => {
		const result = await runSharedGallery({
			operation: 'query',
			returnAll: true,
			sortField: 'NAME',
			sortOrder: 'ASC',
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(22);
		const byName = new Map(result.items.map((item) => [item.json.name, item.json]));
		const anna = byName.get('portrait-anna.png') as IDataObject;
		const checksum = await checksumOf(media('portrait-anna.png'));
		expect(anna).toMatchObject({
			id: media('portrait-anna.png'),
			type: 'VISUAL_MEDIA',
			mediaType: 'image',
			fileExtension: 'png',
			sizeBytes: checksum.size,
			createdBy: bruno.id,
			likeCount: 30,
			viewCount: 95,
			commentCount: 8,
			memberTagCount: 1,
			albumId: SHARED_GALLERY_ALBUMS.studioPortraits.id,
		});
		expect(anna.previewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/shared-gallery-files\/previews\//);
		expect((anna.raw as IDataObject).id).toBe(media('portrait-anna.png'));
		expect(byName.get('waves.mp4')).toMatchObject({ mediaType: 'video', fileExtension: 'mp4' });
		expect(byName.get(SHARED_GALLERY_ALBUMS.summerTrip.name)).toMatchObject({
			type: 'ALBUM',
			mediaType: null,
			childrenCount: 6,
		});
		const names = result.items.map((item) => String(item.json.name).toLowerCase());
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	test('Return All follows the cursor over several pages; Limit stops as soon as it has enough', async () => {
		const { memberId, items } = await addMemberMedia(120);
		await sandbox.control.clearRequests();
		const all = await runSharedGallery({
			operation: 'query',
			filters: { createdBy: pickedMembers(memberId) },
			returnAll: true,
		});
		expect(all.nodeFailure).toBeUndefined();
		expect(new Set(all.items.map((item) => item.json.id))).toEqual(
			new Set(items.map((item) => item.id)),
		);
		expect(all.items).toHaveLength(120);
		const pages = await requestsTo(QUERY_PATH);
		expect(pages.map((request) => (request.body as IDataObject).paging)).toEqual([
			{ limit: 50 },
			{ limit: 50, cursor: expect.any(String) },
			{ limit: 50, cursor: expect.any(String) },
		]);
		// Wix's cursor carries the filter: later pages send only the cursor.
		expect((pages[1].body as IDataObject).filter).toBeUndefined();

		await sandbox.control.clearRequests();
		const some = await runSharedGallery({
			operation: 'query',
			filters: { createdBy: pickedMembers(memberId) },
			returnAll: false,
			limit: 70,
		});
		expect(some.items.map((item) => item.json.id)).toEqual(
			all.items.slice(0, 70).map((item) => item.json.id),
		);
		const limited = await requestsTo(QUERY_PATH);
		expect(limited.map((request) => (request.body as IDataObject).paging)).toEqual([
			{ limit: 50 },
			{ limit: 20, cursor: expect.any(String) },
		]);
	});

	test('filters by liker, tagged member, album and ID, and asks for profiles when told', async () => {
		const liked = await runSharedGallery({
			operation: 'query',
			filters: { likedBy: pickedMembers(alice.id) },
			returnAll: true,
			sortField: 'LIKE_COUNT',
		});
		expect(liked.items.map((item) => item.json.name)).toEqual([
			'street-art.png',
			'portrait-anna.png',
			'headshot-mara.png',
		]);
		const tagged = await runSharedGallery({
			operation: 'query',
			filters: {
				taggedBy: pickedMembers(SHARED_GALLERY_MEMBERS.chen.id),
				albumIds: [SHARED_GALLERY_ALBUMS.summerTrip.id],
			},
			returnAll: true,
			sortField: 'NAME',
			sortOrder: 'ASC',
			options: { includeProfiles: true },
		});
		expect(tagged.items.map((item) => item.json.name)).toEqual([
			'lavender-field.png',
			'mountain-lake.png',
		]);
		expect(tagged.items[0].json.createdByName).toBe(alice.name);
		const byIds = await runSharedGallery({
			operation: 'query',
			filters: { itemIds: [media('waves.mp4'), media('coffee.png')] },
			returnAll: true,
		});
		expect(byIds.items.map((item) => item.json.name)).toEqual(['waves.mp4', 'coffee.png']);
		const bodies = (await requestsTo(QUERY_PATH)).map((request) => request.body as IDataObject);
		expect(bodies[1]).toMatchObject({ fieldset: ['Profiles'] });
		expect(bodies[2].filter).toEqual({ itemIds: [media('waves.mp4'), media('coffee.png')] });
	});

	test('reads the shape of Wix’s own example (snake_case, top-level visualMediaInfo, nextCursor) too', async () => {
		const exampleItem = (id: string, extension: string, likes: number) => ({
			id,
			name: `example-${id}.${extension.toUpperCase()}`,
			type: 'VISUAL_MEDIA',
			created_by: { id: 'member-x' },
			created_date: '2023-12-01T10:00:00Z',
			like_count: likes,
			view_count: likes * 2,
			comment_count: 1,
			memberTagsCount: 2,
			latestTaggedSiteMembers: [{ id: 'member-y' }],
			parent_album_id: 'root-album',
			visualMediaInfo: {
				file_extension: extension,
				size: '12345',
				preview_images: [{ url: `media/${id}f000.jpg`, width: 100, height: 80 }],
			},
		});
		await sandbox.control.addFault({
			method: 'POST',
			path: 'items/query$',
			status: 200,
			body: { items: [exampleItem('x1', 'jpg', 4)], metadata: { nextCursor: 'CURSOR-2' } },
		});
		await sandbox.control.addFault({
			method: 'POST',
			path: 'items/query$',
			skip: 1,
			status: 200,
			body: { items: [exampleItem('x2', 'gif', 3), exampleItem('x3', 'mov', 2)], metadata: {} },
		});
		const result = await runSharedGallery({ operation: 'query', returnAll: true });
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				id: 'x1',
				mediaType: 'image',
				fileExtension: 'jpg',
				sizeBytes: 12345,
				createdBy: 'member-x',
				createdDate: '2023-12-01T10:00:00Z',
				likeCount: 4,
				viewCount: 8,
				commentCount: 1,
				memberTagCount: 2,
				albumId: 'root-album',
				previewUrl: 'media/x1f000.jpg',
			}),
			expect.objectContaining({ id: 'x2', mediaType: 'gif' }),
			expect.objectContaining({ id: 'x3', mediaType: 'video' }),
		]);
		const pages = await requestsTo(QUERY_PATH);
		expect((pages[1].body as IDataObject).paging).toEqual({ limit: 50, cursor: 'CURSOR-2' });
	});
});

describe('Get Display URLs and Get Download URL', () => {
	test('display URLs work, carry dimensions, and count a view only when asked to', async () => {
		const anna = media('portrait-anna.png');
		const waves = media('waves.mp4');
		const result = await runSharedGallery({
			operation: 'getDisplayUrls',
			itemIds: `${anna}, ${waves}`,
			incrementViewCount: true,
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				itemId: anna,
				mediaType: 'image',
				width: 96,
				height: 64,
				notProcessedYet: false,
			}),
			expect.objectContaining({
				itemId: waves,
				mediaType: 'video',
				width: 320,
				height: 180,
				durationMs: expect.any(Number),
			}),
		]);
		const shown = await fetch(result.items[0].json.url as string);
		expect(shown.status).toBe(200);
		expect(sha256(Buffer.from(await shown.arrayBuffer()))).toBe((await checksumOf(anna)).sha256);
		expect((await stateItem(anna)).viewCount).toBe(96);

		await runSharedGallery({
			operation: 'getDisplayUrls',
			itemIds: anna,
			incrementViewCount: false,
		});
		expect((await stateItem(anna)).viewCount).toBe(96);
		const bodies = (await requestsTo(/visual-media\/view$/)).map((request) => request.body);
		expect(bodies).toEqual([
			{ itemIds: [anna, waves], incrementViewCount: true },
			{ itemIds: [anna], incrementViewCount: false },
		]);
	});

	test('display URLs in the flat shape of Wix’s example are read too', async () => {
		await sandbox.control.addFault({
			method: 'POST',
			path: 'visual-media/view$',
			status: 200,
			body: {
				urls: [
					{
						itemId: 'v1',
						url: 'https://download-files.wix.com/_api/download/file?downloadToken=abc',
						video: { bestQuality: { width: 1920, height: 1080, duration: 5000 } },
					},
				],
			},
		});
		const result = await runSharedGallery({ operation: 'getDisplayUrls', itemIds: 'v1' });
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				itemId: 'v1',
				url: 'https://download-files.wix.com/_api/download/file?downloadToken=abc',
				mediaType: 'video',
				width: 1920,
				height: 1080,
				durationMs: 5000,
			}),
		]);
	});

	test('Get Download URL: a plain file for one medium, an archive for several', async () => {
		const single = await runSharedGallery({
			operation: 'getDownloadUrl',
			itemIds: media('coffee.png'),
		});
		expect(single.items[0].json).toMatchObject({ archived: false, itemIds: [media('coffee.png')] });
		const file = await fetch(single.items[0].json.url as string);
		expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(
			(await checksumOf(media('coffee.png'))).sha256,
		);
		const several = await runSharedGallery({
			operation: 'getDownloadUrl',
			itemIds: [media('coffee.png'), media('skyline.png')],
		});
		expect(several.items[0].json).toMatchObject({ archived: true });
		expect(several.items[0].json.url).toMatch(/\/shared-gallery-files\/download\//);
	});
});

describe('Download', () => {
	test('one medium comes as a plain file (archived: false) and is output the same way', async () => {
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'ids',
			itemIds: media('waves.mp4'),
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			fileName: 'waves.mp4',
			mimeType: 'video/mp4',
			itemId: media('waves.mp4'),
			matched: true,
			fromArchive: false,
			item: expect.objectContaining({ mediaType: 'video', likeCount: 9 }),
		});
		await expectFilesMatchSandbox(result, result.items);
	});

	test('an album downloads as its media, each matched to its item', async () => {
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'ids',
			itemIds: SHARED_GALLERY_ALBUMS.summerTrip.id,
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json.fileName).sort()).toEqual(
			[
				'beach-sunset.png',
				'coffee.png',
				'harbour-boats.png',
				'lavender-field.png',
				'mountain-lake.png',
				'waves.mp4',
			].sort(),
		);
		await expectFilesMatchSandbox(result, result.items);
	});

	test('files whose names collide ("x (2).png") are matched to the right items', async () => {
		const renames: Array<[string, string]> = [
			['old-town.png', 'dup.png'],
			['market-stall.png', 'Dup.png'],
			['picnic.png', 'dup (2).png'],
			['harbour-boats.png', 'dup.png'],
		];
		for (const [from, to] of renames) {
			await control('PATCH', `shared-gallery/items/${media(from)}`, { name: to });
		}
		const ids = renames.map(([from]) => media(from));
		const result = await runSharedGallery({ operation: 'download', selectBy: 'ids', itemIds: ids });
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json.fileName)).toEqual([
			'dup.png',
			'Dup (2).png',
			'dup (2) (2).png',
			'dup (3).png',
		]);
		expect(result.items.map((item) => item.json.itemId)).toEqual(ids);
		await expectFilesMatchSandbox(result, result.items);
	});

	test('a large selection is split into several archive requests ("Items per Archive")', async () => {
		const names = Object.keys(SHARED_GALLERY_MEDIA).slice(0, 11);
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'ids',
			itemIds: names.map(media),
			options: { batchSize: 5 },
		});
		expect(result.nodeFailure).toBeUndefined();
		const downloads = await requestsTo(DOWNLOAD_URL_PATH);
		expect(downloads.map((request) => (request.body as { itemIds: string[] }).itemIds)).toEqual([
			names.slice(0, 5).map(media),
			names.slice(5, 10).map(media),
			names.slice(10).map(media),
		]);
		expect(result.items.map((item) => item.json.itemId)).toEqual(names.map(media));
		// The last batch has one medium, which Wix sends as a plain file.
		expect(result.items.map((item) => item.json.fromArchive)).toEqual([
			...Array(10).fill(true),
			false,
		]);
		await expectFilesMatchSandbox(result, result.items);
	});

	test('a 200-file archive: every file output, matched and byte-exact', async () => {
		const { memberId, items } = await addMemberMedia(200, { namePrefix: 'bulk' });
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'query',
			filters: { createdBy: pickedMembers(memberId) },
			returnAll: true,
			options: { batchSize: 500 },
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(200);
		expect(new Set(result.items.map((item) => item.json.itemId))).toEqual(
			new Set(items.map((item) => item.id)),
		);
		expect(await requestsTo(DOWNLOAD_URL_PATH)).toHaveLength(1);
		await expectFilesMatchSandbox(result, result.items);
	});

	test('an expired URL (410) is replaced by a fresh one once, then the download succeeds', async () => {
		await sandbox.control.setConfig({ downloadUrlTtlSeconds: 0.3 });
		await sandbox.control.addFault({
			method: 'GET',
			path: '^/shared-gallery-files/download/',
			latencyMs: 700,
			count: 1,
		});
		const ids = [media('skyline.png'), media('coffee.png')];
		const result = await runSharedGallery({ operation: 'download', selectBy: 'ids', itemIds: ids });
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json.itemId)).toEqual(ids);
		await expectFilesMatchSandbox(result, result.items);
		expect(await requestsTo(DOWNLOAD_URL_PATH)).toHaveLength(2);
		expect((await requestsTo(DOWNLOAD_FILE_PATH)).map((request) => request.status)).toEqual([
			410, 200,
		]);
	});

	test('a second expired URL in a row fails clearly, without output', async () => {
		await sandbox.control.setConfig({ downloadUrlTtlSeconds: 0.3 });
		await sandbox.control.addFault({
			method: 'GET',
			path: '^/shared-gallery-files/download/',
			latencyMs: 700,
			count: 2,
		});
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'ids',
			itemIds: [media('skyline.png'), media('coffee.png')],
		});
		expect(result.items).toEqual([]);
		expect(result.nodeFailure?.message).toMatch(/download link expired.*fresh one/i);
		expect(await requestsTo(DOWNLOAD_URL_PATH)).toHaveLength(2);
		expect((await requestsTo(DOWNLOAD_FILE_PATH)).map((request) => request.status)).toEqual([
			410, 410,
		]);
	});

	test('continueOnFail: a failing input item gives an error item, the others their files', async () => {
		const input: InputItem[] = [
			{ json: { ids: [media('skyline.png'), media('coffee.png')] } },
			{ json: { ids: ['00000000-dead-4000-8000-000000000000'] } },
			{ json: { ids: [media('picnic.png')] } },
		];
		const parameters = {
			operation: 'download',
			selectBy: 'ids',
			itemIds: '={{ $json.ids }}',
		};
		const result = await runSharedGallery(parameters, { input, continueOnFail: true });
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => [item.json.itemId ?? 'error', pairedIndexes(item)])).toEqual([
			[media('skyline.png'), [0]],
			[media('coffee.png'), [0]],
			['error', [1]],
			[media('picnic.png'), [2]],
		]);
		expect(result.items[2].json.error).toMatch(/404/);
		await expectFilesMatchSandbox(result, [result.items[0], result.items[1], result.items[3]]);

		const failing = await runSharedGallery(parameters, { input });
		expect(failing.items).toEqual([]);
		expect(failing.nodeFailure?.httpCode).toBe('404');
		expect(failing.nodeFailure?.context.itemIndex).toBe(1);
	});

	test('ID field mode: input items share archives; one without an ID gives an error item', async () => {
		const input: InputItem[] = [
			{ json: { id: media('skyline.png') } },
			{ json: { name: 'no id here' } },
			{ json: { id: media('coffee.png') } },
		];
		const result = await runSharedGallery(
			{ operation: 'download', selectBy: 'inputField', idField: 'id' },
			{ input, continueOnFail: true },
		);
		expect(result.items.map((item) => [item.json.itemId ?? 'error', pairedIndexes(item)])).toEqual([
			['error', [1]],
			[media('skyline.png'), [0]],
			[media('coffee.png'), [2]],
		]);
		expect(result.items[0].json.error).toMatch(/No item ID in the field "id"/);
		const downloads = await requestsTo(DOWNLOAD_URL_PATH);
		expect(downloads.map((request) => request.body)).toEqual([
			{ itemIds: [media('skyline.png'), media('coffee.png')] },
		]);

		const failing = await runSharedGallery(
			{ operation: 'download', selectBy: 'inputField', idField: 'id' },
			{ input },
		);
		expect(failing.items).toEqual([]);
		expect(failing.nodeFailure?.message).toMatch(/No item ID in the field "id" of input item 1/);
	});
});

describe('Download: broken and hostile archives from the real API', () => {
	interface FailingCase {
		message: RegExp;
		/** Options of the sandbox's broken archive. */
		archive?: IDataObject;
		/** The node's Options. */
		options?: IDataObject;
	}

	const FAILING_KINDS: Record<string, FailingCase> = {
		truncated: { message: /TRUNCATED/ },
		'bad-crc': { message: /CRC_MISMATCH in "b\.png"/ },
		'path-traversal': { message: /UNSAFE_NAME in "\.\.\/escaped\.png"/ },
		'absolute-path': { message: /UNSAFE_NAME in "\/absolute\.png"/ },
		'windows-path': { message: /UNSAFE_NAME in "C:\\windows\.png"/ },
		'zip-bomb': { message: /RATIO_EXCEEDED in "zeros\.png"/ },
		// A lower limit than the default keeps the test fast: every entry below it is stored before the limit hits.
		'many-entries': {
			message: /TOO_MANY_ENTRIES/,
			archive: { manyEntriesCount: 1500 },
			options: { maxEntries: 1000 },
		},
		'not-a-zip': { message: /NOT_A_ZIP/ },
		empty: { message: /holds no files, though 2 were asked for/ },
		encrypted: { message: /ENCRYPTED in "secret\.png"/ },
		'unsupported-method': { message: /UNSUPPORTED in "a\.png"/ },
		'connection-reset': { message: /TRUNCATED|broke off/ },
		symlink: { message: /SYMLINK in "link\.png"/ },
	};

	const READABLE_KINDS: Record<string, string[]> = {
		directories: ['a.png', 'b.png'],
		'macos-metadata': ['a.png', 'b.png'],
		// Two entries under one name are two files; neither is an item of the request.
		'duplicate-names': ['a.png', 'a.png'],
	};

	test('the table covers every kind the sandbox serves', () => {
		const covered = new Set([...Object.keys(FAILING_KINDS), ...Object.keys(READABLE_KINDS)]);
		expect([...SHARED_GALLERY_BROKEN_KINDS].filter((kind) => !covered.has(kind))).toEqual([]);
	});

	test.each(Object.entries(FAILING_KINDS))(
		'%s → a clear error and no output items',
		async (kind, { message, archive, options }) => {
			await control('POST', 'shared-gallery/broken-archive', { kind, ...archive });
			const result = await runSharedGallery({
				operation: 'download',
				selectBy: 'ids',
				itemIds: [media('skyline.png'), media('coffee.png')],
				options: options ?? {},
			});
			expect(result.items).toEqual([]);
			expect(result.nodeFailure?.name).toBe('NodeOperationError');
			expect(result.nodeFailure?.message).toMatch(message);
			expect(result.nodeFailure?.description).toMatch(/No files of this archive were output/);
		},
	);

	test('the size and ratio options reach the reader', async () => {
		await control('POST', 'shared-gallery/broken-archive', {
			kind: 'zip-bomb',
			zipBombSize: 3 * 1024 * 1024,
		});
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'ids',
			itemIds: [media('skyline.png'), media('coffee.png')],
			options: { maxCompressionRatio: 100_000, maxTotalSizeMb: 1 },
		});
		expect(result.items).toEqual([]);
		expect(result.nodeFailure?.message).toMatch(/TOO_LARGE in "zeros\.png"/);
	});

	test.each(Object.entries(READABLE_KINDS))(
		'%s → only the real files, unmatched (their names are no item of the request)',
		async (kind, names) => {
			await control('POST', 'shared-gallery/broken-archive', { kind: kind as ServedBrokenKind });
			const result = await runSharedGallery({
				operation: 'download',
				selectBy: 'ids',
				itemIds: [media('skyline.png'), media('coffee.png')],
			});
			expect(result.nodeFailure).toBeUndefined();
			expect(result.items.map((item) => item.json.fileName)).toEqual(names);
			expect(result.items.map((item) => item.json.matched)).toEqual(names.map(() => false));
			expect(result.items.map((item) => item.json.itemId)).toEqual(names.map(() => null));
		},
	);
});

describe('Download: a large archive', () => {
	// About 1 GB: 300 files of 3.4 MB, generated by the sandbox as they are streamed, never stored.
	const count = 300;
	const sizeBytes = 3_400_000;

	test("1 GB in one archive: every file's size and SHA-256 checked", async () => {
		const { memberId } = await addMemberMedia(count, { sizeBytes, namePrefix: 'large' });
		const started = Date.now();
		const result = await runSharedGallery({
			operation: 'download',
			selectBy: 'query',
			filters: { createdBy: pickedMembers(memberId) },
			returnAll: true,
			options: { batchSize: 1000 },
		});
		const downloadMs = Date.now() - started;
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(count);
		expect(result.items.every((item) => item.json.size === sizeBytes)).toBe(true);
		await expectFilesMatchSandbox(result, result.items);
		// Printed so that the timing of both sizes can be compared between runs.
		process.stdout.write(
			`large archive: ${count} × ${sizeBytes} bytes downloaded in ${downloadMs} ms, checked in ${Date.now() - started - downloadMs} ms\n`,
		);
	}, 300_000);
});
