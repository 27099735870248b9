import {
	MEMBERS_QUERY_MAX_LIMIT,
	SHARED_GALLERY_MEDIA,
	SHARED_GALLERY_MEMBERS,
	SITE_MEMBERS,
} from '../../sandbox/src';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

/** The Members API emulation (docs/wix-api.md §10) and how the Shared Gallery's `Profiles` read from it. */

const { alice, bruno, alicia, dora } = SITE_MEMBERS;

let sandbox: TestSandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await sandbox.control.reset();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
type Json = any;

async function call(
	method: string,
	path: string,
	body?: unknown,
	auth: Record<string, string> | null = {
		Authorization: sandbox.credentials.apiKey,
		'wix-site-id': sandbox.credentials.siteId,
	},
): Promise<{ status: number; json: Json }> {
	const response = await fetch(`${sandbox.baseUrl}${path}`, {
		method,
		headers: {
			...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
			...(auth ?? {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function queryMembers(body: unknown): Promise<Json> {
	const { status, json } = await call('POST', '/members/v1/members/query', body);
	expect({ status, json }).toEqual({ status: 200, json: expect.anything() });
	return json;
}

const nicknames = (answer: Json): string[] =>
	answer.members.map((member: Json) => member.profile.nickname);

async function addMembers(count: number, prefix: string): Promise<void> {
	const { status } = await call(
		'POST',
		'/_sandbox/members',
		{
			members: Array.from({ length: count }, (_, index) => ({
				nickname: `${prefix} ${String(index + 1).padStart(3, '0')}`,
			})),
		},
		null,
	);
	expect(status).toBe(201);
}

describe('Members API: Query Members', () => {
	test('needs the API key and site, or an app token, like every Wix call', async () => {
		expect((await call('POST', '/members/v1/members/query', {}, null)).status).toBe(401);
		const token = await call(
			'POST',
			'/oauth2/token',
			{
				grant_type: 'client_credentials',
				client_id: sandbox.credentials.appId,
				client_secret: sandbox.credentials.appSecret,
				instance_id: sandbox.credentials.instanceId,
			},
			null,
		);
		const withToken = await call(
			'POST',
			'/members/v1/members/query',
			{ query: { sorting: [{ fieldName: 'profile.nickname', order: 'ASC' }] } },
			{ Authorization: token.json.access_token },
		);
		expect(withToken.status).toBe(200);
		expect(nicknames(withToken.json)).toEqual([
			'Alice Moreau',
			'Alicia Brandt',
			'Bruno Keller',
			'Chen Wei',
			'Dora Lindqvist',
		]);
	});

	test('search finds members by part of their name, ignoring case, in the fields asked for', async () => {
		const sorting = [{ fieldName: 'profile.nickname', order: 'ASC' }];
		const byNickname = await queryMembers({ query: { sorting }, search: { expression: 'ALI' } });
		expect(nicknames(byNickname)).toEqual([alice.name, alicia.name]);
		expect(byNickname.metadata).toEqual({ count: 2, offset: 0, total: 2, tooManyToCount: false });
		expect(nicknames(await queryMembers({ search: { expression: 'keller' } }))).toEqual([
			bruno.name,
		]);
		// The slug is not searched unless asked for.
		expect(nicknames(await queryMembers({ search: { expression: 'dora-l' } }))).toEqual([]);
		expect(
			nicknames(
				await queryMembers({
					search: { expression: 'dora-l', fields: ['profile.slug'] },
				}),
			),
		).toEqual([dora.name]);
		const tooLong = await call('POST', '/members/v1/members/query', {
			search: { expression: 'x'.repeat(101) },
		});
		expect(tooLong.status).toBe(400);
	});

	test('offset paging over more members than one page, with the total', async () => {
		await addMembers(120, 'Zed Member');
		const page = async (offset: number) =>
			await queryMembers({
				query: {
					paging: { limit: 50, offset },
					sorting: [{ fieldName: 'profile.nickname', order: 'ASC' }],
				},
				search: { expression: 'zed' },
			});
		const pages = [await page(0), await page(50), await page(100)];
		expect(pages.map((answer) => answer.metadata)).toEqual([
			{ count: 50, offset: 0, total: 120, tooManyToCount: false },
			{ count: 50, offset: 50, total: 120, tooManyToCount: false },
			{ count: 20, offset: 100, total: 120, tooManyToCount: false },
		]);
		const names = pages.flatMap(nicknames);
		expect(names).toHaveLength(120);
		expect(new Set(names).size).toBe(120);
		expect(names[0]).toBe('Zed Member 001');
		expect(names[119]).toBe('Zed Member 120');
		const overLimit = await call('POST', '/members/v1/members/query', {
			query: { paging: { limit: MEMBERS_QUERY_MAX_LIMIT + 1 } },
		});
		expect(overLimit.status).toBe(400);
		expect(overLimit.json.details.validationError.fieldViolations[0].field).toBe('paging.limit');
	});

	test('filters by id with $in and refuses fields Wix cannot filter on', async () => {
		const unknownId = '00000000-0000-4000-8000-00000000dead';
		const answer = await queryMembers({
			query: { filter: { id: { $in: [bruno.id, unknownId, dora.id] } } },
			fieldsets: ['EXTENDED'],
		});
		expect(answer.members.map((member: Json) => member.id).sort()).toEqual(
			[bruno.id, dora.id].sort(),
		);
		const refused = await call('POST', '/members/v1/members/query', {
			query: { filter: { 'profile.photo': { $eq: 'x' } } },
		});
		expect(refused.status).toBe(400);
	});

	test('fieldsets: PUBLIC hides the privacy status, EXTENDED shows it, FULL adds the contact', async () => {
		const filter = { id: { $eq: dora.id } };
		const [publicMember] = (await queryMembers({ query: { filter } })).members;
		expect(publicMember).toEqual(
			expect.objectContaining({
				id: dora.id,
				profile: expect.objectContaining({ nickname: dora.name, slug: 'dora-lindqvist' }),
				privacyStatus: 'UNKNOWN',
				status: 'UNKNOWN',
			}),
		);
		expect(publicMember.loginEmail).toBeUndefined();
		const [extended] = (await queryMembers({ query: { filter }, fieldsets: ['EXTENDED'] })).members;
		expect(extended).toEqual(
			expect.objectContaining({ privacyStatus: 'PRIVATE', status: 'APPROVED' }),
		);
		expect(extended.contact).toBeUndefined();
		// The 2019 schema's single `fieldSet` is read too.
		const [full] = (await queryMembers({ query: { filter }, fieldSet: 'FULL' })).members;
		expect(full.contact).toEqual(
			expect.objectContaining({ firstName: 'Dora', lastName: 'Lindqvist' }),
		);
		const bad = await call('POST', '/members/v1/members/query', { fieldsets: ['EVERYTHING'] });
		expect(bad.status).toBe(400);
	});

	test('List Members and Get Member', async () => {
		const list = await call(
			'GET',
			'/members/v1/members?paging.limit=2&paging.offset=1&sorting.fieldName=profile.nickname&fieldsets=EXTENDED',
		);
		expect(list.status).toBe(200);
		expect(nicknames(list.json)).toEqual([alicia.name, bruno.name]);
		expect(list.json.metadata).toEqual({ count: 2, offset: 1, total: 5, tooManyToCount: false });
		const one = await call('GET', `/members/v1/members/${alice.id}`);
		expect(one.json.member.profile.nickname).toBe(alice.name);
		expect(
			(await call('GET', '/members/v1/members/00000000-0000-4000-8000-000000000000')).status,
		).toBe(404);
	});
});

describe('Members API and the Shared Gallery', () => {
	interface ProfileItem {
		name: string;
		createdBy: Json;
		latestTaggedMembers?: Json[];
	}

	async function galleryItems(body: unknown): Promise<ProfileItem[]> {
		const { status, json } = await call('POST', '/shared-gallery/v1/items/query', body);
		expect(status).toBe(200);
		return json.items;
	}

	test("every member the Shared Gallery seed names is a site member with the gallery's name", async () => {
		const state = await sandbox.control.state<{
			sharedGallery: {
				members: Array<{ id: string; name: string }>;
				items: Array<{ createdBy: string; likedBy: string[]; taggedMembers: string[] }>;
			};
		}>();
		const ids = new Set(
			state.sharedGallery.items.flatMap((item) => [
				item.createdBy,
				...item.likedBy,
				...item.taggedMembers,
			]),
		);
		expect(ids.size).toBeGreaterThanOrEqual(3);
		const found = await queryMembers({
			query: { filter: { id: { $in: [...ids] } }, paging: { limit: 100 } },
		});
		const byId = new Map(found.members.map((member: Json) => [member.id, member.profile.nickname]));
		for (const member of state.sharedGallery.members) expect(byId.get(member.id)).toBe(member.name);
		expect([...ids].filter((id) => !byId.has(id))).toEqual([]);
	});

	test('the seed story: two members with several liked media each', async () => {
		const mostLiked = await galleryItems({
			filter: { createdBy: [alice.id, bruno.id], itemTypes: ['VISUAL_MEDIA'] },
			sort: { field: 'LIKE_COUNT', order: 'DESC' },
			paging: { limit: 5 },
			fieldset: ['Profiles'],
		});
		expect(mostLiked.map((item) => [item.name, item.createdBy.name])).toEqual([
			['portrait-anna.png', bruno.name],
			['mountain-lake.png', alice.name],
			['headshot-mara.png', bruno.name],
			['lavender-field.png', alice.name],
			['studio-light-test.png', bruno.name],
		]);
		for (const member of [alice, bruno]) {
			const liked = await galleryItems({
				filter: { createdBy: [member.id], itemTypes: ['VISUAL_MEDIA'] },
				paging: { limit: 100 },
			});
			expect(liked.filter((item) => (item as Json).likeCount > 0).length).toBeGreaterThanOrEqual(5);
		}
	});

	test("Profiles take names and privacy from the site's members; a private profile has no name", async () => {
		const { status } = await call(
			'POST',
			'/_sandbox/shared-gallery/media',
			{ count: 1, createdBy: dora.id, namePrefix: 'dora-private' },
			null,
		);
		expect(status).toBe(201);
		await call(
			'PATCH',
			`/_sandbox/shared-gallery/items/${SHARED_GALLERY_MEDIA['picnic.png']}`,
			{ taggedMembers: [dora.id, bruno.id] },
			null,
		);
		const [mine] = await galleryItems({
			filter: { createdBy: [dora.id] },
			fieldset: ['Profiles'],
		});
		expect(mine.createdBy).toEqual({ id: dora.id, identityProfileStatus: 'PRIVATE' });
		const [picnic] = await galleryItems({
			filter: { itemIds: [SHARED_GALLERY_MEDIA['picnic.png']] },
			fieldset: ['Profiles'],
		});
		expect(picnic.createdBy).toEqual(
			expect.objectContaining({ id: alice.id, name: alice.name, identityProfileStatus: 'PUBLIC' }),
		);
		expect(picnic.latestTaggedMembers).toEqual([
			expect.objectContaining({ id: bruno.id, name: bruno.name, identityProfileStatus: 'PUBLIC' }),
			{ id: dora.id, identityProfileStatus: 'PRIVATE' },
		]);
	});

	test('a member added to the site is named in Profiles; Profiles can be ignored like an older Wix', async () => {
		const added = await call(
			'POST',
			'/_sandbox/members',
			{ nickname: 'Eve Newcomer', id: 'e0e00000-5eed-4000-8000-000000000006' },
			null,
		);
		expect(added.status).toBe(201);
		await call(
			'POST',
			'/_sandbox/shared-gallery/media',
			{ count: 1, createdBy: 'e0e00000-5eed-4000-8000-000000000006' },
			null,
		);
		const profiled = async () =>
			(
				await galleryItems({
					filter: { createdBy: ['e0e00000-5eed-4000-8000-000000000006'] },
					fieldset: ['Profiles'],
				})
			)[0].createdBy;
		expect(await profiled()).toEqual(
			expect.objectContaining({ name: 'Eve Newcomer', identityProfileStatus: 'PUBLIC' }),
		);
		const ignored = await call('PUT', '/_sandbox/shared-gallery/profiles', { ignored: true }, null);
		expect(ignored.json).toEqual({ ignored: true });
		expect(await profiled()).toEqual({ id: 'e0e00000-5eed-4000-8000-000000000006' });
		// A reset honours Profiles again.
		await sandbox.control.reset();
		expect(
			(
				await galleryItems({
					filter: { createdBy: [SHARED_GALLERY_MEMBERS.chen.id] },
					fieldset: ['Profiles'],
				})
			)[0].createdBy.name,
		).toBe(SHARED_GALLERY_MEMBERS.chen.name);
	});
});
