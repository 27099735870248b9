import type { IDataObject } from 'n8n-workflow';

import { SHARED_GALLERY_MEDIA, SITE_MEMBERS } from '../../sandbox/src';
import { runNode } from '../support/harness';
import type { NodeRunResult } from '../support/harness';
import { runListSearch } from '../support/harness/listSearch';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { apiKeyCredentials, apiRequests } from '../support/workflow';

/**
 * Wix Shared Gallery, members by name (docs/wix-api.md §10): the member picker's list search, the Created By /
 * Liked By / Tagged Members filters picked by name (node version 2) or typed as IDs (version 1), and the members'
 * names on the items (Include Member Names), from the Shared Gallery's profiles or the Members API.
 */

const { alice, alicia, bruno, chen, dora } = SITE_MEMBERS;

let sandbox: TestSandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await sandbox.control.reset();
	await sandbox.control.clearFaults();
	await sandbox.control.clearRequests();
});

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

async function searchMembers(filter?: string, paginationToken?: string) {
	return await runListSearch({
		type: 'wixSharedGallery',
		parameters: { resource: 'item', operation: 'query' },
		credentials: apiKeyCredentials(sandbox),
		method: 'searchMembers',
		filter,
		paginationToken,
	});
}

/** Members as a filter holds them once picked: from the list, or by ID (one ID, or several from an expression). */
function picked(...members: Array<string | { mode: 'list' | 'id'; value: unknown }>): IDataObject {
	return {
		members: members.map((member) => ({
			member:
				typeof member === 'string'
					? { __rl: true, mode: 'list', value: member }
					: { __rl: true, ...member },
		})),
	};
}

async function runQuery(
	parameters: IDataObject,
	options: { typeVersion?: number; input?: Array<{ json: IDataObject }> } = {},
): Promise<NodeRunResult> {
	return await runNode({
		type: 'wixSharedGallery',
		typeVersion: options.typeVersion,
		parameters: { resource: 'item', operation: 'query', ...parameters },
		credentials: apiKeyCredentials(sandbox),
		input: options.input,
	});
}

const membersApiCalls = async () => await apiRequests(sandbox, /^\/members\/v1\/members\/query$/);
const galleryQueries = async () => await apiRequests(sandbox, /\/items\/query$/);

/** The seed story: the 5 most-liked media of Alice and Bruno, with the uploader's name and likes for a caption. */
const TOP_5_OF_ALICE_AND_BRUNO = [
	['portrait-anna.png', bruno.name, 30],
	['mountain-lake.png', alice.name, 25],
	['headshot-mara.png', bruno.name, 21],
	['lavender-field.png', alice.name, 18],
	['studio-light-test.png', bruno.name, 14],
];

describe('the member picker (list search)', () => {
	test("lists the site's members by name, marks private profiles, and finds members by part of a name", async () => {
		const all = await searchMembers();
		expect(all.results).toEqual([
			{ name: alice.name, value: alice.id },
			{ name: alicia.name, value: alicia.id },
			{ name: bruno.name, value: bruno.id },
			{ name: chen.name, value: chen.id },
			{ name: `${dora.name} (private profile)`, value: dora.id },
		]);
		expect(all.paginationToken).toBeUndefined();
		expect((await searchMembers('ali')).results.map((result) => result.value)).toEqual([
			alice.id,
			alicia.id,
		]);
		// Wix does the search: the text goes to the Members API as a plain-text search on the nickname.
		const [call] = (await membersApiCalls()).slice(-1);
		expect(call.body).toEqual({
			query: {
				paging: { limit: 50, offset: 0 },
				sorting: [{ fieldName: 'profile.nickname', order: 'ASC' }],
			},
			fieldsets: ['EXTENDED'],
			search: { expression: 'ali', fields: ['profile.nickname'] },
		});
		// A pasted member ID finds that member.
		expect((await searchMembers(` ${chen.id.toUpperCase()} `)).results).toEqual([
			{ name: chen.name, value: chen.id },
		]);
		expect((await searchMembers('nobody-by-this-name')).results).toEqual([]);
	});

	test('pages through many members 50 at a time', async () => {
		await control('POST', 'members', {
			members: Array.from({ length: 120 }, (_, index) => ({
				nickname: `Paged Member ${String(index + 1).padStart(3, '0')}`,
			})),
		});
		const first = await searchMembers('paged');
		const second = await searchMembers('paged', first.paginationToken);
		const third = await searchMembers('paged', second.paginationToken);
		expect([first, second, third].map((page) => page.results.length)).toEqual([50, 50, 20]);
		expect([first.paginationToken, second.paginationToken, third.paginationToken]).toEqual([
			'50',
			'100',
			undefined,
		]);
		const names = [first, second, third].flatMap((page) =>
			page.results.map((result) => result.name),
		);
		expect(new Set(names).size).toBe(120);
		expect(names[0]).toBe('Paged Member 001');
		expect(names[119]).toBe('Paged Member 120');
	});

	test('a key without the Read Members permission gets an error that names the permission', async () => {
		await sandbox.control.addFault({
			path: '^/members/v1/members/query$',
			status: 403,
			body: { message: 'Forbidden', details: { applicationError: { code: 'FORBIDDEN' } } },
		});
		await expect(searchMembers('ali')).rejects.toMatchObject({
			description: expect.stringContaining('Read Members'),
		});
	});
});

describe('member filters picked by name', () => {
	test('the seed story: the 5 most-liked media of two members picked from the list, with names for captions', async () => {
		const result = await runQuery({
			filters: { createdBy: picked(alice.id, bruno.id), itemTypes: ['VISUAL_MEDIA'] },
			sortField: 'LIKE_COUNT',
			sortOrder: 'DESC',
			returnAll: false,
			limit: 5,
			options: { includeProfiles: true },
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(
			result.items.map((item) => [item.json.name, item.json.createdByName, item.json.likeCount]),
		).toEqual(TOP_5_OF_ALICE_AND_BRUNO);
		expect(result.items.every((item) => item.json.createdByProfileStatus === 'PUBLIC')).toBe(true);
		const [query] = await galleryQueries();
		expect(query.body).toEqual(
			expect.objectContaining({
				filter: { createdBy: [alice.id, bruno.id], itemTypes: ['VISUAL_MEDIA'] },
				fieldset: ['Profiles'],
			}),
		);
		// The Shared Gallery named everyone: the Members API is not asked.
		expect(await membersApiCalls()).toEqual([]);
	});

	test('Liked By and Tagged Members take picked members, IDs, and several IDs from an expression', async () => {
		const likedByAlice = await runQuery({
			filters: { likedBy: picked(alice.id) },
			returnAll: true,
			sortField: 'LIKE_COUNT',
		});
		expect(likedByAlice.items.map((item) => item.json.name)).toEqual([
			'street-art.png',
			'portrait-anna.png',
			'headshot-mara.png',
		]);
		const taggedChen = await runQuery(
			{
				filters: {
					taggedBy: picked({ mode: 'id', value: '={{ $json.memberIds }}' }),
					itemTypes: ['VISUAL_MEDIA'],
				},
				returnAll: true,
				sortField: 'NAME',
				sortOrder: 'ASC',
			},
			{ input: [{ json: { memberIds: [chen.id] } }] },
		);
		expect(taggedChen.nodeFailure).toBeUndefined();
		expect(taggedChen.items.map((item) => item.json.name)).toEqual([
			'headshot-mara.png',
			'lavender-field.png',
			'mountain-lake.png',
			'team-photo.png',
		]);
		const bodies = (await galleryQueries()).map((request) => request.body as IDataObject);
		expect(bodies.map((body) => body.filter)).toEqual([
			{ likedBy: [alice.id] },
			{ taggedBy: [chen.id], itemTypes: ['VISUAL_MEDIA'] },
		]);
	});

	test('version 1 workflows keep their member IDs typed as text', async () => {
		const result = await runQuery(
			{
				filters: { createdBy: `${alice.id}, ${bruno.id}`, itemTypes: ['VISUAL_MEDIA'] },
				sortField: 'LIKE_COUNT',
				sortOrder: 'DESC',
				returnAll: false,
				limit: 5,
				options: { includeProfiles: true },
			},
			{ typeVersion: 1 },
		);
		expect(result.nodeFailure).toBeUndefined();
		expect(
			result.items.map((item) => [item.json.name, item.json.createdByName, item.json.likeCount]),
		).toEqual(TOP_5_OF_ALICE_AND_BRUNO);
	});
});

describe('member names on the items', () => {
	/** A medium uploaded by Dora, whose profile is private, tagged with Alice and Dora, and liked most. */
	async function addDoraMedia(): Promise<{ id: string; name: string }> {
		const { items } = await control<{ items: Array<{ id: string; name: string }> }>(
			'POST',
			'shared-gallery/media',
			{
				count: 1,
				createdBy: dora.id,
				namePrefix: 'dora-private',
			},
		);
		await control('PATCH', `shared-gallery/items/${items[0].id}`, {
			likeCount: 99,
			taggedMembers: [alice.id, dora.id],
		});
		return items[0];
	}

	test('a private profile: no name by default, the name when asked for, one Members API lookup', async () => {
		const { id: doraItem } = await addDoraMedia();
		const parameters = {
			filters: { itemIds: [doraItem, SHARED_GALLERY_MEDIA['portrait-anna.png']] },
			returnAll: true,
		};
		const kept = await runQuery({ ...parameters, options: { includeProfiles: true } });
		expect(kept.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				id: doraItem,
				createdBy: dora.id,
				createdByName: null,
				createdByProfileStatus: 'PRIVATE',
				latestTaggedMembers: [
					{ id: dora.id, name: null, profileStatus: 'PRIVATE' },
					{ id: alice.id, name: alice.name, profileStatus: 'PUBLIC' },
				],
			}),
			expect.objectContaining({ createdByName: bruno.name, createdByProfileStatus: 'PUBLIC' }),
		]);
		expect(await membersApiCalls()).toEqual([]);

		const shown = await runQuery({
			...parameters,
			options: { includeProfiles: true, includePrivateNames: true },
		});
		expect(shown.items[0].json).toEqual(
			expect.objectContaining({
				createdByName: dora.name,
				createdByProfileStatus: 'PRIVATE',
				latestTaggedMembers: [
					{ id: dora.id, name: dora.name, profileStatus: 'PRIVATE' },
					{ id: alice.id, name: alice.name, profileStatus: 'PUBLIC' },
				],
			}),
		);
		const lookups = await membersApiCalls();
		expect(lookups.map((call) => call.body)).toEqual([
			{
				query: { filter: { id: { $in: [dora.id] } }, paging: { limit: 1, offset: 0 } },
				fieldsets: ['EXTENDED'],
			},
		]);
	});

	test('when the Shared Gallery answers without names, they come from the Members API: once per member per run', async () => {
		await control('PUT', 'shared-gallery/profiles', { ignored: true });
		const doraItem = await addDoraMedia();
		// Three input items: the same query three times. Names are looked up once, for the first item.
		const result = await runQuery(
			{
				filters: { createdBy: picked(alice.id, bruno.id, dora.id), itemTypes: ['VISUAL_MEDIA'] },
				sortField: 'LIKE_COUNT',
				sortOrder: 'DESC',
				returnAll: false,
				limit: 6,
				options: { includeProfiles: true },
			},
			{ input: [{ json: {} }, { json: {} }, { json: {} }] },
		);
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(18);
		const firstRun = result.items.slice(0, 6).map((item) => item.json);
		expect(firstRun.map((item) => [item.name, item.createdByName])).toEqual([
			[doraItem.name, null],
			...TOP_5_OF_ALICE_AND_BRUNO.map(([name, member]) => [name, member]),
		]);
		expect(firstRun[0].createdByProfileStatus).toBe('PRIVATE');
		expect(result.items.slice(12).map((item) => item.json.createdByName)).toEqual(
			firstRun.map((item) => item.createdByName),
		);
		const lookups = await membersApiCalls();
		expect(lookups).toHaveLength(1);
		const asked = ((lookups[0].body as IDataObject).query as IDataObject).filter as IDataObject;
		expect(((asked.id as IDataObject).$in as string[]).sort()).toEqual(
			[alice.id, bruno.id, dora.id].sort(),
		);
	});

	test('without the Read Members permission the items still come out, unnamed where Wix gave no name, with a warning', async () => {
		await control('PUT', 'shared-gallery/profiles', { ignored: true });
		await sandbox.control.addFault({
			path: '^/members/v1/members/query$',
			status: 403,
			body: { message: 'Forbidden', details: { applicationError: { code: 'FORBIDDEN' } } },
		});
		const result = await runQuery(
			{
				filters: { createdBy: picked(alice.id, bruno.id), itemTypes: ['VISUAL_MEDIA'] },
				sortField: 'LIKE_COUNT',
				sortOrder: 'DESC',
				returnAll: false,
				limit: 5,
				options: { includeProfiles: true },
			},
			{ input: [{ json: {} }, { json: {} }] },
		);
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => [item.json.name, item.json.createdByName])).toEqual(
			[...TOP_5_OF_ALICE_AND_BRUNO, ...TOP_5_OF_ALICE_AND_BRUNO].map(([name]) => [name, null]),
		);
		// Asked once for the run, not again for the second input item.
		expect(await membersApiCalls()).toHaveLength(1);
		const [task] = result.run.data.resultData.runData[result.nodeName];
		expect(task.hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				message: expect.stringContaining('Read Members'),
			}),
		]);
	});

	test('names stay off the items unless asked for', async () => {
		const result = await runQuery({
			filters: { createdBy: picked(alice.id) },
			returnAll: false,
			limit: 1,
		});
		expect(result.items[0].json).not.toHaveProperty('createdByName');
		expect(result.items[0].json).not.toHaveProperty('latestTaggedMembers');
		expect(((await galleryQueries())[0].body as IDataObject).fieldset).toBeUndefined();
	});
});
