import type { INodeParameters } from 'n8n-workflow';

import { cleanupBinaryData } from '../support/harness';
import type { InputItem } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { SAMPLE_JPEG, apiRequests, byId, runProGallery, wixCall } from '../support/workflow';

// Item → Create and Media → Upload with Concurrent Uploads: files upload and process at once, outputs and gallery
// items stay in input order; and the status checks while Wix processes a file follow how long earlier files took.

let sandbox: TestSandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
});

async function newGallery(name: string): Promise<string> {
	const { gallery } = await wixCall<{ gallery: { id: string } }>(
		sandbox,
		'POST',
		'/pro-gallery/v2/galleries',
		{ gallery: { name } },
	);
	return gallery.id;
}

function photoItems(count: number, { missingAt }: { missingAt?: number } = {}): InputItem[] {
	return Array.from({ length: count }, (_, index) => ({
		json: { index },
		binary:
			index === missingAt
				? undefined
				: { data: { data: SAMPLE_JPEG, mimeType: 'image/jpeg', fileName: `photo-${index}.jpg` } },
	}));
}

function createParameters(galleryId: string, concurrentUploads?: number): INodeParameters {
	return {
		resource: 'item',
		operation: 'create',
		galleryId: byId(galleryId),
		itemType: 'image',
		mediaSource: 'binary',
		binaryPropertyName: 'data',
		additionalFields: { title: '={{ "Photo " + $json.index }}' },
		options: concurrentUploads === undefined ? {} : { concurrentUploads },
	};
}

async function storedTitles(galleryId: string): Promise<string[]> {
	const { items } = await wixCall<{ items: Array<{ title: string; sortOrder: number }> }>(
		sandbox,
		'GET',
		`/pro-gallery/v2/galleries/${galleryId}/items?itemLimit=100`,
	);
	return [...items].sort((a, b) => a.sortOrder - b.sortOrder).map((item) => item.title);
}

/**
 * The most files waited for at once: a file is waited for from its first status check to its last, and is checked
 * only while its item holds one of the Concurrent Uploads.
 */
async function mostFilesWaitedForAtOnce(): Promise<number> {
	const checks = await apiRequests(sandbox, /get-file-by-id$/);
	const span = new Map<string, { first: number; last: number }>();
	for (const check of checks) {
		const fileId = String(check.query.fileId);
		const known = span.get(fileId);
		span.set(fileId, { first: known?.first ?? check.seq, last: check.seq });
	}
	let most = 0;
	for (const check of checks) {
		const open = [...span.values()].filter(
			({ first, last }) => first <= check.seq && check.seq <= last,
		);
		most = Math.max(most, open.length);
	}
	return most;
}

/** How many upload URLs were asked for before the first item was created. */
async function uploadsBeforeFirstCreate(): Promise<number> {
	const requests = await apiRequests(sandbox);
	const firstCreate = requests.find(
		(request) => request.method === 'POST' && request.path.endsWith('/items'),
	);
	return requests.filter(
		(request) => request.path.endsWith('/generate-upload-url') && request.seq < firstCreate!.seq,
	).length;
}

describe('Concurrent Uploads', () => {
	// Each file takes a second to process: long enough that uploads started together are all under way before the
	// first file is ready, however busy the machine.
	beforeEach(async () => {
		await sandbox.control.setConfig({ mediaReadyDelayMs: 1000, mediaPendingReads: 0 });
		await sandbox.control.clearRequests();
	});

	test('4 at once: 8 items created in input order, 4 uploads under way before the first item is created', async () => {
		const galleryId = await newGallery('Concurrent');
		const result = await runProGallery(sandbox, createParameters(galleryId, 4), {
			input: photoItems(8),
		});
		expect(result.nodeFailure).toBeUndefined();
		const titles = Array.from({ length: 8 }, (_, index) => `Photo ${index}`);
		expect(result.items.map((item) => item.json.title)).toEqual(titles);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			titles.map((_, index) => ({ item: index })),
		);
		expect(await storedTitles(galleryId)).toEqual(titles);
		expect(await uploadsBeforeFirstCreate()).toBeGreaterThanOrEqual(4);
		expect(await mostFilesWaitedForAtOnce()).toBeLessThanOrEqual(4);
	});

	test('1 (the default): one upload at a time', async () => {
		const galleryId = await newGallery('One by one');
		const result = await runProGallery(sandbox, createParameters(galleryId), {
			input: photoItems(3),
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(await storedTitles(galleryId)).toEqual(['Photo 0', 'Photo 1', 'Photo 2']);
		expect(await uploadsBeforeFirstCreate()).toBe(1);
		expect(await mostFilesWaitedForAtOnce()).toBe(1);
	});

	test('continue on fail: the failed item is an error item in its place, the others are created in order', async () => {
		const galleryId = await newGallery('With a failure');
		const result = await runProGallery(sandbox, createParameters(galleryId, 3), {
			input: photoItems(5, { missingAt: 2 }),
			continueOnFail: true,
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json.title ?? 'error')).toEqual([
			'Photo 0',
			'Photo 1',
			'error',
			'Photo 3',
			'Photo 4',
		]);
		expect(String(result.items[2].json.error)).toMatch(/data/);
		expect(result.items[2].pairedItem).toEqual({ item: 2 });
		expect(await storedTitles(galleryId)).toEqual(['Photo 0', 'Photo 1', 'Photo 3', 'Photo 4']);
	});

	test('without continue on fail: the first failed item fails the node, no later item is created', async () => {
		const galleryId = await newGallery('Stops');
		const result = await runProGallery(sandbox, createParameters(galleryId, 3), {
			input: photoItems(5, { missingAt: 2 }),
		});
		expect(result.nodeFailure?.context?.itemIndex).toBe(2);
		expect(await storedTitles(galleryId)).toEqual(['Photo 0', 'Photo 1']);
	});

	test.each([0, 11, 2.5])(
		'Concurrent Uploads %p is refused, naming the parameter',
		async (value) => {
			const galleryId = await newGallery('Refused');
			const result = await runProGallery(sandbox, createParameters(galleryId, value), {
				input: photoItems(2),
			});
			expect(result.nodeFailure?.name).toBe('NodeOperationError');
			expect(result.nodeFailure?.message).toMatch(/"Concurrent Uploads"/);
			expect(await storedTitles(galleryId)).toEqual([]);
		},
	);

	test('Media → Upload: 6 files at once, outputs in input order', async () => {
		const result = await runProGallery(
			sandbox,
			{
				resource: 'media',
				operation: 'upload',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				options: { concurrentUploads: 6, fileName: '={{ "upload-" + $json.index + ".jpg" }}' },
			},
			{ input: photoItems(6) },
		);
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items.map((item) => item.json.displayName)).toEqual(
			Array.from({ length: 6 }, (_, index) => `upload-${index}.jpg`),
		);
		expect(result.items.every((item) => item.json.status === 'READY')).toBe(true);
	});
});

test('one by one, files that take 300 ms each are checked at most 3 times per file on average', async () => {
	await sandbox.control.setConfig({ mediaReadyDelayMs: 300, mediaPendingReads: 0 });
	await sandbox.control.clearRequests();
	const galleryId = await newGallery('Status checks');
	const result = await runProGallery(sandbox, createParameters(galleryId), {
		input: photoItems(12),
	});
	expect(result.nodeFailure).toBeUndefined();
	expect(result.items).toHaveLength(12);
	const checks = await apiRequests(sandbox, /get-file-by-id$/);
	expect(checks.length).toBeGreaterThanOrEqual(12);
	expect(checks.length).toBeLessThanOrEqual(36);
});
