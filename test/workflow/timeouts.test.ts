/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in plain Node, never inside n8n */
import type { ServerResponse } from 'node:http';

import { SHARED_GALLERY_MEDIA } from '../../sandbox/src';
import { TIMEOUTS } from '../../nodes/shared/transport';
import { cleanupBinaryData, runNode } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import {
	apiKeyCredentials,
	byId,
	createGalleryWithItems,
	startSandboxFront,
} from '../support/workflow';

// Every request ends: a server that accepts the connection and never answers, or stops sending a download halfway,
// fails the node with a clear message instead of holding the execution. The timeouts are shortened for the test
// (they are 60 s); the node runs in this process, so it sees the same TIMEOUTS object.

const SHORT_MS = 1500;
const saved = { ...TIMEOUTS };

let sandbox: TestSandbox;
let front: Awaited<ReturnType<typeof startSandboxFront>>;
let galleryId: string;
/** Requests the front holds without answering, matched by path; each is ended at the end of the test. */
let hang: (method: string, path: string) => boolean = () => false;
const held: ServerResponse[] = [];
const mediumId = Object.values(SHARED_GALLERY_MEDIA)[0];

beforeAll(async () => {
	sandbox = await startTestSandbox({ config: { mediaReadyDelayMs: 0 } });
	galleryId = await createGalleryWithItems(sandbox, 'Hanging', 1);
	front = await startSandboxFront(sandbox, ({ method, url }, response) => {
		if (url === '/stalling-file') {
			// Headers and the first bytes, then nothing.
			response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 1000 });
			response.write(Buffer.alloc(100, 1));
			held.push(response);
			return true;
		}
		if (!hang(method, url.split('?')[0])) return false;
		held.push(response);
		return true;
	});
	Object.assign(TIMEOUTS, { requestMs: SHORT_MS, idleMs: SHORT_MS });
});

afterEach(async () => {
	hang = () => false;
	for (const response of held.splice(0)) response.destroy();
	await sandbox.control.clearFaults();
});

afterAll(async () => {
	Object.assign(TIMEOUTS, saved);
	await front.close();
	await sandbox?.close();
	await cleanupBinaryData();
});

function credentials() {
	return { wixGalleryApi: { ...apiKeyCredentials(sandbox).wixGalleryApi, baseUrl: front.url } };
}

describe('requests that never end', () => {
	test('a read that gets no answer is retried, then fails saying no answer came', async () => {
		hang = (method, path) => method === 'GET' && path === `/progallery/v2/galleries/${galleryId}`;
		const run = await runNode({
			type: 'wixProGallery',
			parameters: { resource: 'gallery', operation: 'get', galleryId: byId(galleryId) },
			credentials: credentials(),
		});
		expect(run.nodeFailure?.message).toBe('Could not reach Wix: no answer came in time');
		expect(run.nodeFailure?.description).toContain('Attempts: 5');
		expect(held).toHaveLength(5);
	});

	test('a create that gets no answer is not retried, and says its outcome is unknown and how to check', async () => {
		hang = (method, path) => method === 'POST' && path.endsWith('/items');
		const run = await runNode({
			type: 'wixProGallery',
			parameters: {
				resource: 'item',
				operation: 'create',
				galleryId: byId(galleryId),
				itemType: 'text',
				html: '<p>lost?</p>',
			},
			credentials: credentials(),
		});
		expect(run.nodeFailure?.message).toBe('Could not reach Wix: no answer came in time');
		expect(run.nodeFailure?.description).toContain('the outcome is unknown. Check in Wix');
		expect(held).toHaveLength(1);
	});

	test('a download whose body stops halfway fails, and outputs nothing', async () => {
		await sandbox.control.addFault({
			method: 'POST',
			path: '^/shared-gallery/v1/items/download-url$',
			status: 200,
			body: { url: `${front.url}/stalling-file`, archived: false },
		});
		const run = await runNode({
			type: 'wixSharedGallery',
			parameters: { resource: 'item', operation: 'download', selectBy: 'ids', itemIds: mediumId },
			credentials: credentials(),
		});
		expect(run.items).toHaveLength(0);
		expect(run.nodeFailure?.message).toBe('The download from Wix broke off');
		expect(run.nodeFailure?.description).toMatch(
			/^No data came from the download for 2 s \(ETIMEDOUT\)\. No files/,
		);
	});

	test('Item → Get with Download Media whose media stops halfway fails, naming the item, and outputs nothing', async () => {
		const itemId = '0a0b0c0d-0000-4000-8000-000000000001';
		await sandbox.control.addFault({
			method: 'GET',
			path: `^/progallery/v2/galleries/${galleryId}/items/${itemId}$`,
			status: 200,
			body: {
				item: {
					id: itemId,
					title: 'Stalled',
					type: 'IMAGE',
					image: { imageInfo: { id: 'stalled~mv2.png', url: `${front.url}/stalling-file` } },
				},
			},
		});
		const run = await runNode({
			type: 'wixProGallery',
			parameters: {
				resource: 'item',
				operation: 'get',
				galleryId: byId(galleryId),
				itemId: byId(itemId),
				downloadMedia: true,
			},
			credentials: credentials(),
		});
		expect(run.items).toHaveLength(0);
		expect(run.nodeFailure?.message).toBe(
			`The download of the media of item "Stalled" (${itemId}) broke off`,
		);
		expect(run.nodeFailure?.description).toBe(
			`URL: ${front.url}/stalling-file\nNo data came from the download for 2 s`,
		);
	});
});
