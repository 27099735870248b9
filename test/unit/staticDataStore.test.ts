import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { newLink } from '../../nodes/WixGallerySync/helpers/mappingStore';
import type { SyncLink } from '../../nodes/WixGallerySync/helpers/mappingStore';
import { StaticDataMappingStore } from '../../nodes/WixGallerySync/helpers/staticDataStore';

// The static data store against a minimal context: the workflow's global static data is an object the test holds,
// as n8n hands each execution its own copy. The store keeps a replica per workflow and mapping for the whole process,
// so every test takes a workflow ID of its own.

let workflowCounter = 0;
function freshWorkflowId(): string {
	return `unit-workflow-${++workflowCounter}-${Date.now()}`;
}

function fakeContext(staticData: IDataObject, workflowId: string): IExecuteFunctions {
	return {
		getWorkflowStaticData: (type: string) => {
			if (type !== 'global') throw new Error(`unexpected static data type ${type}`);
			return staticData;
		},
		getWorkflow: () => ({ id: workflowId }),
		getMode: () => 'trigger',
	} as unknown as IExecuteFunctions;
}

const UPDATED_AT = '2026-01-02T03:04:05.000Z';

function validLink(n: number, overrides: Partial<SyncLink> = {}): SyncLink {
	return {
		key: `w:w-${n}`,
		wixItemId: `w-${n}`,
		externalId: `e-${n}`,
		galleryId: 'g-1',
		fields: { title: `Title ${n}` },
		lastChangeFrom: 'wix',
		pending: null,
		removed: false,
		version: 1,
		updatedAt: UPDATED_AT,
		...overrides,
	};
}

/** Opens a store on the given static data, collecting its warnings. */
function open(staticData: IDataObject, workflowId = freshWorkflowId(), name = 'default') {
	const warnings: string[] = [];
	const store = StaticDataMappingStore.open(fakeContext(staticData, workflowId), name, (message) =>
		warnings.push(message),
	);
	return { store, warnings, workflowId };
}

function storedMapping(staticData: IDataObject, name = 'default'): IDataObject {
	return (staticData.wixGallerySync as IDataObject)[name] as IDataObject;
}

function withLinks(links: unknown, name = 'default'): IDataObject {
	return { wixGallerySync: { [name]: { links } } } as IDataObject;
}

describe('StaticDataMappingStore with corrupt static data', () => {
	test('links saved as a string: a warning, the string set aside under skipped, an empty usable mapping', async () => {
		const staticData = withLinks('not links at all');
		const { store, warnings } = open(staticData);

		expect(warnings).toEqual([
			'The links of mapping "default" were not an object; they were rebuilt from what was usable',
			expect.stringContaining('1 entry of mapping "default" was not a valid link'),
		]);
		expect(storedMapping(staticData)).toEqual({
			links: {},
			skipped: { links: 'not links at all' },
		});
		expect(await store.links({ includeRemoved: true })).toEqual([]);

		await store.put(validLink(1));
		expect(await store.find('wix', 'w-1')).toEqual(expect.objectContaining({ externalId: 'e-1' }));
		expect(Object.keys(storedMapping(staticData).links as IDataObject)).toEqual(['w:w-1']);
	});

	test('links saved as an array: the valid links inside are kept, the others set aside by position', async () => {
		const junk = { key: 'w:junk', wixItemId: 42 };
		const staticData = withLinks([validLink(1), junk, validLink(2), 'text']);
		const { store, warnings } = open(staticData);

		expect(warnings).toEqual([
			'The links of mapping "default" were not an object; they were rebuilt from what was usable',
			expect.stringContaining('2 entries of mapping "default" were not valid links'),
		]);
		const mapping = storedMapping(staticData);
		expect(mapping.skipped).toEqual({ 'links[1]': junk, 'links[3]': 'text' });
		expect(Object.keys(mapping.links as IDataObject).sort()).toEqual(['w:w-1', 'w:w-2']);

		expect(await store.find('wix', 'w-1')).toEqual(validLink(1));
		expect(await store.find('external', 'e-1')).toEqual(validLink(1));
		expect(await store.find('wix', 'w-2')).toEqual(validLink(2));
		expect(await store.find('external', 'e-2')).toEqual(validLink(2));
		expect(await store.find('wix', 'junk')).toBeUndefined();
	});

	test('a null link is set aside; the valid links beside it are still found by both IDs', async () => {
		const staticData = withLinks({ 'w:w-1': validLink(1), 'w:broken': null });
		const { store, warnings } = open(staticData);

		expect(warnings).toEqual([
			'1 entry of mapping "default" was not a valid link and was set aside under "skipped" in the workflow\'s static data',
		]);
		const mapping = storedMapping(staticData);
		expect(mapping.skipped).toEqual({ 'w:broken': null });
		expect(mapping.links).toEqual({ 'w:w-1': validLink(1) });
		expect(await store.find('wix', 'w-1')).toEqual(validLink(1));
		expect(await store.find('external', 'e-1')).toEqual(validLink(1));
	});

	test('a link with a field of the wrong type is set aside; the valid links are still found', async () => {
		const wrongVersion = { ...validLink(2), version: '3' };
		const wrongFields = { ...validLink(3), fields: 'title=x' };
		const staticData = withLinks({
			'w:w-1': validLink(1),
			'w:w-2': wrongVersion,
			'w:w-3': wrongFields,
		});
		const { store, warnings } = open(staticData);

		expect(warnings).toEqual([expect.stringContaining('2 entries of mapping "default"')]);
		expect(storedMapping(staticData).skipped).toEqual({
			'w:w-2': wrongVersion,
			'w:w-3': wrongFields,
		});
		expect(await store.find('wix', 'w-1')).toEqual(validLink(1));
		expect(await store.find('external', 'e-1')).toEqual(validLink(1));
		expect(await store.find('wix', 'w-2')).toBeUndefined();
		expect(await store.find('external', 'e-3')).toBeUndefined();
	});

	test('earlier skipped entries are kept when more are set aside', async () => {
		const staticData = {
			wixGallerySync: {
				default: { links: { 'w:w-1': validLink(1), 'w:bad': 7 }, skipped: { older: 'entry' } },
			},
		} as IDataObject;
		open(staticData);
		expect(storedMapping(staticData).skipped).toEqual({ older: 'entry', 'w:bad': 7 });
	});

	test('the whole wixGallerySync value a string: a warning, and a usable mapping started afresh', async () => {
		const staticData: IDataObject = { wixGallerySync: 'garbage', other: 'kept' };
		const { store, warnings } = open(staticData);

		expect(warnings).toEqual([
			'The stored sync mappings were not an object; they were started afresh and the old value kept under "wixGallerySyncSkipped"',
		]);
		expect(staticData).toEqual({
			wixGallerySync: { default: { links: {} } },
			wixGallerySyncSkipped: expect.anything(),
			other: 'kept',
		});
		await store.put(validLink(1));
		expect(await store.find('external', 'e-1')).toEqual(
			expect.objectContaining({ key: 'w:w-1', wixItemId: 'w-1' }),
		);
	});

	test('the whole wixGallerySync value a string is kept aside, not dropped', () => {
		const staticData: IDataObject = { wixGallerySync: 'garbage' };
		open(staticData);
		expect(staticData.wixGallerySyncSkipped).toBe('garbage');
	});

	test('a mapping that is not an object is kept under its skipped entries', () => {
		const staticData: IDataObject = { wixGallerySync: { default: ['not', 'a', 'mapping'] } };
		open(staticData);
		expect(staticData.wixGallerySync).toEqual({
			default: { links: {}, skipped: { mapping: ['not', 'a', 'mapping'] } },
		});
	});
});

describe('StaticDataMappingStore operations', () => {
	test('put saves a new link into static data and the store finds it by either ID, and only by its own side', async () => {
		const staticData: IDataObject = {};
		const { store, warnings } = open(staticData);
		expect(warnings).toEqual([]);
		expect(await store.find('wix', 'w-1')).toBeUndefined();

		const before = Date.now();
		const saved = await store.put(validLink(1, { version: 0 }));
		expect(saved.version).toBeGreaterThanOrEqual(before);
		expect(Date.parse(saved.updatedAt)).toBeGreaterThanOrEqual(before - 1);
		expect((storedMapping(staticData).links as IDataObject)['w:w-1']).toEqual(saved);

		expect(await store.find('wix', 'w-1')).toEqual(saved);
		expect(await store.find('external', 'e-1')).toEqual(saved);
		// IDs are looked up on their own side only.
		expect(await store.find('wix', 'e-1')).toBeUndefined();
		expect(await store.find('external', 'w-1')).toBeUndefined();
		expect(await store.findRemoved('wix', 'w-1')).toBeUndefined();

		// What the store hands out is a copy: changing it changes nothing stored.
		saved.fields.title = 'changed by the caller';
		const found = await store.find('wix', 'w-1');
		expect(found?.fields).toEqual({ title: 'Title 1' });
		found!.externalId = 'e-other';
		expect((await store.find('wix', 'w-1'))?.externalId).toBe('e-1');
	});

	test('every put gets a higher version than the one before', async () => {
		const { store } = open({});
		const first = await store.put(validLink(1));
		const second = await store.put({ ...first, fields: { title: 'Again' } });
		expect(second.version).toBeGreaterThan(first.version);
		// A stale copy (an older version) written later still ends up newer than what is stored.
		const third = await store.put({ ...first, fields: { title: 'From a stale copy' } });
		expect(third.version).toBeGreaterThan(second.version);
		expect((await store.find('wix', 'w-1'))?.fields).toEqual({ title: 'From a stale copy' });
	});

	test('a put gets a higher version than a stored one from a clock ahead of this process', async () => {
		const ahead = Date.now() + 1_000_000_000;
		const { store } = open(withLinks({ 'w:w-1': validLink(1, { version: ahead }) }));
		const saved = await store.put({ ...validLink(1), fields: { title: 'Newer' } });
		expect(saved.version).toBe(ahead + 1);
	});

	test('a removed link is found by findRemoved and no longer by find, on both sides', async () => {
		const { store } = open({});
		const live = await store.put(validLink(1));
		await store.put({ ...live, removed: true });

		expect(await store.find('wix', 'w-1')).toBeUndefined();
		expect(await store.find('external', 'e-1')).toBeUndefined();
		expect(await store.findRemoved('wix', 'w-1')).toEqual(
			expect.objectContaining({ key: 'w:w-1', removed: true }),
		);
		expect(await store.findRemoved('external', 'e-1')).toEqual(
			expect.objectContaining({ key: 'w:w-1', removed: true }),
		);
		expect(await store.links()).toEqual([]);
		expect((await store.links({ includeRemoved: true })).map((link) => link.key)).toEqual([
			'w:w-1',
		]);
	});

	test('a link whose externalId changes is found by the new ID and no longer by the old one', async () => {
		const { store } = open({});
		const first = await store.put(validLink(1));
		await store.put({ ...first, externalId: 'e-new' });

		expect(await store.find('external', 'e-new')).toEqual(
			expect.objectContaining({ key: 'w:w-1', externalId: 'e-new' }),
		);
		expect(await store.find('external', 'e-1')).toBeUndefined();
		expect(await store.findRemoved('external', 'e-1')).toBeUndefined();
		expect(await store.find('wix', 'w-1')).toEqual(
			expect.objectContaining({ externalId: 'e-new' }),
		);
	});

	test('a link that loses its Wix ID is no longer found by it', async () => {
		const { store } = open({});
		const first = await store.put(validLink(1));
		await store.put({ ...first, wixItemId: null });
		expect(await store.find('wix', 'w-1')).toBeUndefined();
		expect(await store.find('external', 'e-1')).toEqual(
			expect.objectContaining({ key: 'w:w-1', wixItemId: null }),
		);
	});

	test('findPendingCreate finds an announced create by its fields, within the window, until the ID is linked', async () => {
		const { store } = open({});
		const at = Date.now();
		const announced = await store.put(
			validLink(1, {
				externalId: null,
				pending: { towards: 'external', action: 'create', fields: { title: 'Sunset' }, at },
			}),
		);

		expect(
			await store.findPendingCreate('external', { title: 'Sunset' }, at + 1000, 60_000),
		).toEqual(announced);
		// Other fields, the other side, or after the echo window: no match.
		expect(
			await store.findPendingCreate('external', { title: 'Sunrise' }, at + 1000, 60_000),
		).toBeUndefined();
		expect(
			await store.findPendingCreate('wix', { title: 'Sunset' }, at + 1000, 60_000),
		).toBeUndefined();
		expect(
			await store.findPendingCreate('external', { title: 'Sunset' }, at + 60_001, 60_000),
		).toBeUndefined();

		// Once the created item's ID is linked, the announcement no longer matches.
		await store.put({ ...announced, externalId: 'e-1' });
		expect(
			await store.findPendingCreate('external', { title: 'Sunset' }, at + 1000, 60_000),
		).toBeUndefined();
	});

	test('findPendingCreate follows a cleared announcement and a removal', async () => {
		const { store } = open({});
		const at = Date.now();
		const pending = {
			towards: 'external' as const,
			action: 'create' as const,
			fields: { t: 'a' },
			at,
		};
		const one = await store.put(validLink(1, { externalId: null, pending }));
		const two = await store.put(
			validLink(2, { externalId: null, pending: { ...pending, fields: { t: 'b' } } }),
		);

		await store.put({ ...one, pending: null });
		expect(await store.findPendingCreate('external', { t: 'a' }, at, 60_000)).toBeUndefined();
		expect(await store.findPendingCreate('external', { t: 'b' }, at, 60_000)).toEqual(
			expect.objectContaining({ key: two.key }),
		);
		await store.put({ ...two, removed: true });
		expect(await store.findPendingCreate('external', { t: 'b' }, at, 60_000)).toBeUndefined();
	});

	test('a link stored by an earlier execution is found after reopening on its saved static data', async () => {
		const workflowId = freshWorkflowId();
		const first: IDataObject = {};
		const { store } = open(first, workflowId);
		await store.put(validLink(1));

		const saved = JSON.parse(JSON.stringify(first)) as IDataObject;
		const { store: reopened, warnings } = open(saved, workflowId);
		expect(warnings).toEqual([]);
		expect(await reopened.find('external', 'e-1')).toEqual(
			expect.objectContaining({ key: 'w:w-1' }),
		);
	});
});

describe('StaticDataMappingStore across concurrent executions of one workflow', () => {
	test("two stores opened on the same workflow see each other's puts at once", async () => {
		const workflowId = freshWorkflowId();
		// n8n gives each execution its own copy of the saved static data.
		const savedCopy = () => withLinks({ 'w:w-0': validLink(0) });
		const a = { staticData: savedCopy() };
		const b = { staticData: savedCopy() };
		const storeA = open(a.staticData, workflowId).store;
		const storeB = open(b.staticData, workflowId).store;

		await storeA.put(validLink(1));
		expect(await storeB.find('wix', 'w-1')).toEqual(expect.objectContaining({ externalId: 'e-1' }));
		expect(await storeB.find('external', 'e-1')).toEqual(expect.objectContaining({ key: 'w:w-1' }));

		const fromB = await storeB.put(validLink(2));
		expect(await storeA.find('external', 'e-2')).toEqual(fromB);

		// B's change to A's link is seen by A too, and the old ID no longer finds it there.
		const one = (await storeB.find('wix', 'w-1'))!;
		await storeB.put({ ...one, externalId: 'e-1b' });
		expect(await storeA.find('external', 'e-1b')).toEqual(
			expect.objectContaining({ key: 'w:w-1' }),
		);
		expect(await storeA.find('external', 'e-1')).toBeUndefined();

		// Whichever execution n8n saves last carries the other's links.
		expect(Object.keys(storedMapping(b.staticData).links as IDataObject).sort()).toEqual([
			'w:w-0',
			'w:w-1',
			'w:w-2',
		]);
		await storeA.put(validLink(3));
		expect(Object.keys(storedMapping(a.staticData).links as IDataObject).sort()).toEqual([
			'w:w-0',
			'w:w-1',
			'w:w-2',
			'w:w-3',
		]);
		expect(
			((storedMapping(a.staticData).links as IDataObject)['w:w-1'] as SyncLink).externalId,
		).toBe('e-1b');
	});

	test('another workflow, or another mapping name, does not see the puts', async () => {
		const workflowId = freshWorkflowId();
		const { store } = open({}, workflowId);
		await store.put(validLink(1));

		expect(await open({}, freshWorkflowId()).store.find('wix', 'w-1')).toBeUndefined();
		expect(await open({}, workflowId, 'other').store.find('wix', 'w-1')).toBeUndefined();
		expect(await open({}, workflowId).store.find('wix', 'w-1')).toEqual(
			expect.objectContaining({ key: 'w:w-1' }),
		);
	});
});

describe('StaticDataMappingStore keys and modes', () => {
	test('a new link whose key a moved live link still holds gets a key of its own, and both stay', async () => {
		const { store } = open({});
		// (A, E1) recorded, then moved to Wix item B: the link keeps its first key, w:A.
		const first = await store.put(newLink({ key: 'w:A', wixItemId: 'A', externalId: 'E1' }));
		await store.put({ ...first, wixItemId: 'B' });
		// Then A is linked again, to E2: a new link made from A's ID.
		const second = await store.put(newLink({ key: 'w:A', wixItemId: 'A', externalId: 'E2' }));
		expect(second.key).not.toBe('w:A');
		expect(await store.find('wix', 'B')).toEqual(expect.objectContaining({ externalId: 'E1' }));
		expect(await store.find('wix', 'A')).toEqual(expect.objectContaining({ externalId: 'E2' }));
		expect(await store.find('external', 'E1')).toEqual(expect.objectContaining({ wixItemId: 'B' }));
	});

	test('a tombstone at the key is replaced, as before', async () => {
		const { store } = open({});
		const first = await store.put(newLink({ key: 'w:A', wixItemId: 'A', externalId: 'E1' }));
		await store.put({ ...first, removed: true });
		const again = await store.put(newLink({ key: 'w:A', wixItemId: 'A', externalId: 'E2' }));
		expect(again.key).toBe('w:A');
		expect(await store.findAll('wix', 'A')).toEqual([
			expect.objectContaining({ externalId: 'E2' }),
		]);
	});

	test('links put by a manual execution stay out of the production mapping of the same workflow', async () => {
		const workflowId = freshWorkflowId();
		const manualContext = {
			...fakeContext({}, workflowId),
			getMode: () => 'manual',
		} as unknown as IExecuteFunctions;
		const manual = StaticDataMappingStore.open(manualContext, 'default', () => undefined);
		await manual.put(validLink(1));
		expect(await manual.find('wix', 'w-1')).toBeDefined();
		const { store: production } = open({}, workflowId);
		expect(await production.find('wix', 'w-1')).toBeUndefined();
	});
});
