import { createMediaManagerModule, createProGalleryModule } from '../../sandbox/src';
import { cleanupBinaryData } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import {
	apiRequests,
	byId,
	createGalleryWithItems,
	runProGallery,
	wixCall,
} from '../support/workflow';

// Values that come from expressions skip the editor's checks, so the node checks them when it runs: nothing reaches
// Wix with an ID that would change the request's path, or with a value of the wrong type.

let sandbox: TestSandbox;
let galleryId: string;
let itemId: string;

beforeAll(async () => {
	sandbox = await startTestSandbox({
		modules: [createMediaManagerModule(), createProGalleryModule()],
		config: { mediaReadyDelayMs: 0 },
	});
	galleryId = await createGalleryWithItems(sandbox, 'Checked', 2);
	const { items } = await wixCall<{ items: Array<{ id: string }> }>(
		sandbox,
		'GET',
		`/pro-gallery/v2/galleries/${galleryId}/items`,
	);
	itemId = items[0].id;
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
});

beforeEach(async () => {
	await sandbox.control.clearRequests();
});

/** An ID given by an expression, in the resource locator's By ID mode. */
function fromExpression(value: string) {
	return byId(`={{ ${JSON.stringify(value)} }}`);
}

describe('IDs from expressions are checked when the node runs', () => {
	test.each([
		['..', '".." in "Item" is not a Wix item ID'],
		['.', '"." in "Item" is not a Wix item ID'],
		['', 'No item ID given in "Item"'],
		['   ', 'No item ID given in "Item"'],
		['a/b', '"a/b" in "Item" is not a Wix item ID'],
		['not-a-guid', '"not-a-guid" in "Item" is not a Wix item ID'],
	])('Item → Delete with item ID %j fails before any request', async (value, message) => {
		const run = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'deleteItem',
			galleryId: byId(galleryId),
			itemId: fromExpression(value),
		});
		expect(run.nodeFailure?.name).toBe('NodeOperationError');
		expect(run.nodeFailure?.message).toBe(message);
		expect(await apiRequests(sandbox)).toEqual([]);
		const { items } = await wixCall<{ items: unknown[] }>(
			sandbox,
			'GET',
			`/pro-gallery/v2/galleries/${galleryId}/items`,
		);
		expect(items).toHaveLength(2);
	});

	test.each([
		['..', '".." in "Gallery" is not a Wix gallery ID'],
		['', 'No gallery ID given in "Gallery"'],
		[`${'x'.repeat(70)}`, `"${'x'.repeat(60)}…" in "Gallery" is not a Wix gallery ID`],
	])('Gallery → Delete with gallery ID %j fails before any request', async (value, message) => {
		const run = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'deleteGallery',
			galleryId: fromExpression(value),
		});
		expect(run.nodeFailure?.message).toBe(message);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	test('an ID checked per item: with continue on fail, the good item is read and the bad one says why', async () => {
		const run = await runProGallery(
			sandbox,
			{
				resource: 'item',
				operation: 'get',
				galleryId: byId(galleryId),
				itemId: byId('={{ $json.id }}'),
			},
			{ input: [{ json: { id: '..' } }, { json: { id: itemId } }], continueOnFail: true },
		);
		expect(run.items.map((item) => item.json.error ?? item.json.id)).toEqual([
			'".." in "Item" is not a Wix item ID',
			itemId,
		]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('a GUID with spaces around it from an expression is trimmed and works', async () => {
		const run = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'get',
			galleryId: byId(galleryId),
			itemId: fromExpression(` ${itemId} `),
		});
		expect(run.nodeFailure).toBeUndefined();
		expect(run.items[0].json.id).toBe(itemId);
	});
});

describe('Item IDs lists', () => {
	test.each([
		[{ id: 'x' }, '"Item IDs" must be IDs separated by commas or an array of IDs, not {"id":"x"}'],
		[[{ id: 'x' }], '"Item IDs" holds {"id":"x"}, which is not an ID'],
		[['..'], '".." in "Item IDs" is not a Wix item ID'],
		[[], 'No item IDs given in "Item IDs"'],
	])('Delete Many refuses %j before any request', async (value, message) => {
		const run = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'deleteMany',
			galleryId: byId(galleryId),
			itemIds: `={{ ${JSON.stringify(value)} }}`,
		});
		expect(run.nodeFailure?.name).toBe('NodeOperationError');
		expect(run.nodeFailure?.message).toBe(message);
		expect(await apiRequests(sandbox)).toEqual([]);
	});
});

describe('values of the wrong type are refused, naming the parameter', () => {
	test.each([
		[-5, '"Limit" must be at least 1, not -5'],
		[0, '"Limit" must be at least 1, not 0'],
		['abc', '"Limit" must be a whole number, not "abc"'],
		[2.5, '"Limit" must be a whole number, not 2.5'],
	])('Get Many with Limit %j', async (limit, message) => {
		const run = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'getAll',
			galleryId: byId(galleryId),
			returnAll: false,
			limit: `={{ ${JSON.stringify(limit)} }}`,
		});
		expect(run.nodeFailure?.name).toBe('NodeOperationError');
		expect(run.nodeFailure?.message).toBe(message);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	test('a Limit given as a numeric string works', async () => {
		const run = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'getAll',
			galleryId: byId(galleryId),
			returnAll: false,
			limit: '={{ "1" }}',
		});
		expect(run.nodeFailure).toBeUndefined();
		expect(run.items).toHaveLength(1);
	});

	test('Item → Create with Sort Order "abc" fails before anything is sent', async () => {
		const run = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'create',
			galleryId: byId(galleryId),
			itemType: 'text',
			html: '<p>x</p>',
			additionalFields: { sortOrder: '={{ "abc" }}' },
		});
		expect(run.nodeFailure?.message).toBe('"Sort Order" must be a number, not "abc"');
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	test('Item → Update with a Title object fails; Tags as an array from an expression work', async () => {
		const bad = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'update',
			galleryId: byId(galleryId),
			itemId: byId(itemId),
			updateFields: { title: '={{ { a: 1 } }}' },
		});
		expect(bad.nodeFailure?.message).toBe('"Title" must be text, not {"a":1}');
		expect(await apiRequests(sandbox)).toEqual([]);
		const tagged = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'update',
			galleryId: byId(galleryId),
			itemId: byId(itemId),
			updateFields: { tags: '={{ ["beach", " summer "] }}' },
		});
		expect(tagged.nodeFailure).toBeUndefined();
		expect(tagged.items[0].json.tags).toEqual(['beach', 'summer']);
	});

	test('Gallery → Get with Item Limit 500 from an expression', async () => {
		const run = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'get',
			galleryId: byId(galleryId),
			includeItems: 'range',
			itemOffset: 0,
			itemLimit: '={{ 500 }}',
		});
		expect(run.nodeFailure?.message).toBe('"Item Limit" must be at most 100, not 500');
	});
});

describe("Wix's answers are checked", () => {
	test('a 200 answer without the gallery fails with a message that says so', async () => {
		await sandbox.control.addFault({
			method: 'GET',
			path: `^/progallery/v2/galleries/${galleryId}$`,
			status: 200,
			body: {},
		});
		const run = await runProGallery(sandbox, {
			resource: 'gallery',
			operation: 'get',
			galleryId: byId(galleryId),
			includeItems: 'none',
		});
		expect(run.nodeFailure?.message).toBe(
			'Wix\'s answer holds no gallery (no "gallery" object in it)',
		);
	});

	test('items that are not a list fail the listing', async () => {
		await sandbox.control.addFault({
			method: 'GET',
			path: `^/progallery/v2/galleries/${galleryId}/items$`,
			status: 200,
			body: { items: 'many' },
		});
		const run = await runProGallery(sandbox, {
			resource: 'item',
			operation: 'getAll',
			galleryId: byId(galleryId),
			returnAll: true,
		});
		expect(run.nodeFailure?.message).toBe(
			'Wix\'s answer holds no list of items ("items" is not a list)',
		);
	});
});
