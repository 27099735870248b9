/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in plain Node, never inside n8n */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import {
	flattenGalleryEvent,
	galleryEventName,
} from '../../nodes/WixGalleryTrigger/webhooks/events';
import { verifyWixWebhook } from '../../nodes/WixGalleryTrigger/webhooks/verify';
import { runWorkflow, packageNodeType, CredentialStore } from '../support/harness';
import { startPoller } from '../support/harness/poll';
import type { Poller } from '../support/harness/poll';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { apiKeyCredentials, startSandboxFront, wixCall } from '../support/workflow';

const ALL_EVENTS = [
	'galleryCreated',
	'galleryUpdated',
	'galleryDeleted',
	'galleryItemCreated',
	'galleryItemUpdated',
	'galleryItemDeleted',
];
const GALLERIES = '/pro-gallery/v2/galleries';

let sandbox: TestSandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

beforeEach(async () => {
	await sandbox.control.reset('empty');
});

afterEach(async () => {
	await sandbox.control.clearFaults();
	await sandbox.control.setWebhookTarget(null);
});

afterAll(async () => {
	await sandbox.close();
});

async function poller(
	parameters: INodeParameters = {},
	credentials: Record<string, ICredentialDataDecryptedObject> = apiKeyCredentials(sandbox),
): Promise<Poller> {
	return await startPoller({
		type: 'wixGalleryPollingTrigger',
		parameters: { events: ALL_EVENTS, ...parameters },
		credentials,
	});
}

async function createGallery(name: string, items: IDataObject[] = []): Promise<string> {
	const { gallery } = await wixCall<{ gallery: { id: string } }>(sandbox, 'POST', GALLERIES, {
		gallery: { name, items },
	});
	return gallery.id;
}

function textItem(title: string): IDataObject {
	return { title, text: { html: `<p>${title}</p>` } };
}

async function createItem(galleryId: string, title: string): Promise<string> {
	const { item } = await wixCall<{ item: { id: string } }>(
		sandbox,
		'POST',
		`${GALLERIES}/${galleryId}/items`,
		{ item: textItem(title) },
	);
	return item.id;
}

async function itemIds(galleryId: string): Promise<string[]> {
	const { proGallery } = await sandbox.control.state<{
		proGallery: { galleries: Array<{ id: string; items: Array<{ id: string }> }> };
	}>();
	return proGallery.galleries
		.find((gallery) => gallery.id === galleryId)!
		.items.map((item) => item.id);
}

/** What a poll put out, reduced to what identifies each event. */
function summary(items: Array<{ json: IDataObject }> | null) {
	return items?.map(({ json }) => [json.event, json.galleryId, json.itemId]) ?? null;
}

describe('Wix Gallery Polling Trigger', () => {
	test('the first poll records and reports nothing; each later change is reported once, in the webhook shape', async () => {
		const galleryId = await createGallery('Holidays', [textItem('One'), textItem('Two')]);
		const trigger = await poller();
		expect(await trigger.poll()).toBeNull();
		expect(await trigger.poll()).toBeNull();

		const created = await createItem(galleryId, 'Three');
		const [createdEvent, ...others] = (await trigger.poll()) ?? [];
		expect(others).toEqual([]);
		expect(createdEvent.json).toMatchObject({
			event: 'galleryItemCreated',
			eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
			galleryId,
			itemId: created,
			title: 'Three',
			type: 'TEXT',
			instanceId: null,
			identity: null,
			stale: false,
		});
		expect((createdEvent.json.item as IDataObject).id).toBe(created);
		expect(await trigger.poll()).toBeNull();

		await wixCall(sandbox, 'PATCH', `${GALLERIES}/${galleryId}/items/${created}`, {
			item: { title: 'Three, renamed' },
		});
		const updated = await trigger.poll();
		expect(summary(updated)).toEqual([['galleryItemUpdated', galleryId, created]]);
		expect(updated![0].json).toMatchObject({ title: 'Three, renamed' });
		expect(await trigger.poll()).toBeNull();

		await wixCall(sandbox, 'DELETE', `${GALLERIES}/${galleryId}/items/${created}`);
		const deleted = await trigger.poll();
		expect(summary(deleted)).toEqual([['galleryItemDeleted', galleryId, created]]);
		expect(deleted![0].json).toMatchObject({ item: null, originatedFrom: null });
		expect(await trigger.poll()).toBeNull();

		await wixCall(sandbox, 'PATCH', `${GALLERIES}/${galleryId}`, { gallery: { name: 'Summer' } });
		const renamed = await trigger.poll();
		expect(summary(renamed)).toEqual([['galleryUpdated', galleryId, null]]);
		expect(renamed![0].json).toMatchObject({ galleryName: 'Summer', item: null });
		expect(renamed![0].json.gallery).not.toHaveProperty('items');
		expect(await trigger.poll()).toBeNull();

		const second = await createGallery('Winter', [textItem('Snow')]);
		const [snow] = await itemIds(second);
		expect(summary(await trigger.poll())).toEqual([
			['galleryCreated', second, null],
			['galleryItemCreated', second, snow],
		]);
		expect(await trigger.poll()).toBeNull();

		const remaining = await itemIds(galleryId);
		await wixCall(sandbox, 'DELETE', `${GALLERIES}/${galleryId}`);
		const galleryGone = (await trigger.poll()) ?? [];
		expect(summary(galleryGone)).toEqual([
			...[...remaining].sort().map((itemId) => ['galleryItemDeleted', galleryId, itemId]),
			['galleryDeleted', galleryId, null],
		]);
		expect(galleryGone[0].json.originatedFrom).toBe('Gallery Deleted');
		expect(await trigger.poll()).toBeNull();
	});

	test('puts out the fields the webhook trigger puts out for the same change', async () => {
		await sandbox.control.reset('default');
		const { galleries } = await wixCall<{
			galleries: Array<{ id: string; items?: Array<{ type?: string; image?: IDataObject }> }>;
		}>(sandbox, 'GET', `${GALLERIES}?itemLimit=10`);
		const image = galleries
			.flatMap((gallery) => gallery.items ?? [])
			.find((item) => item.image)?.image;
		const galleryId = galleries[0].id;
		const trigger = await poller();
		expect(await trigger.poll()).toBeNull();

		const bodies: string[] = [];
		const capture = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				bodies.push(Buffer.concat(chunks).toString('utf8'));
				response.writeHead(200).end();
			});
		});
		await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = capture.address() as AddressInfo;
			await sandbox.control.setWebhookTarget({ url: `http://127.0.0.1:${port}/` });
			await wixCall(sandbox, 'POST', `${GALLERIES}/${galleryId}/items`, {
				item: { title: 'Sunset', tags: { values: ['sun'] }, image },
			});
			await sandbox.control.flushWebhooks();
		} finally {
			await new Promise<void>((resolve) => capture.close(() => resolve()));
		}
		const verified = verifyWixWebhook(bodies[0], sandbox.credentials.publicKeyPem, {
			appId: sandbox.credentials.appId,
		});
		const fromWebhook = flattenGalleryEvent(verified, galleryEventName(verified)!);
		const [fromPoll] = (await trigger.poll()) ?? [];

		expect(Object.keys(fromPoll.json)).toEqual(Object.keys(fromWebhook));
		const shared = [
			'event',
			'eventType',
			'galleryId',
			'itemId',
			'item',
			'mediaUrl',
			'sortOrder',
			'type',
			'title',
			'tags',
			'gallery',
			'galleryName',
			'originatedFrom',
			'stale',
		];
		const pick = (json: IDataObject) => Object.fromEntries(shared.map((key) => [key, json[key]]));
		expect(pick(fromPoll.json)).toEqual(pick(fromWebhook));
		expect(fromPoll.json.mediaUrl).toEqual(expect.stringContaining('/media/'));
		expect(fromPoll.json.eventTime).toBe((fromPoll.json.item as IDataObject).createdDate);
	});

	test('Report Existing on First Run reports what is there as created, oldest first, then only changes', async () => {
		const first = await createGallery('First', [textItem('A'), textItem('B')]);
		const second = await createGallery('Second');
		const trigger = await poller({ pollOptions: { reportExistingOnFirstRun: true } });
		const existing = (await trigger.poll()) ?? [];
		const [a, b] = await itemIds(first);
		expect(summary(existing)).toHaveLength(4);
		expect(summary(existing)).toEqual(
			expect.arrayContaining([
				['galleryCreated', first, null],
				['galleryItemCreated', first, a],
				['galleryItemCreated', first, b],
				['galleryCreated', second, null],
			]),
		);
		const times = existing.map(({ json }) => Date.parse(String(json.eventTime)));
		expect(times).toEqual([...times].sort((x, y) => x - y));
		const position = (event: string, itemId: string | null) =>
			existing.findIndex(
				({ json }) => json.event === event && json.galleryId === first && json.itemId === itemId,
			);
		expect(position('galleryCreated', null)).toBeLessThan(position('galleryItemCreated', a));
		expect(position('galleryCreated', null)).toBeLessThan(position('galleryItemCreated', b));
		expect(await trigger.poll()).toBeNull();
	});

	test('a listing that fails midway reports nothing and keeps the state; the next poll reports the change once', async () => {
		const galleryId = await createGallery(
			'Big',
			Array.from({ length: 250 }, (_, index) => textItem(`Item ${index}`)),
		);
		const trigger = await poller({ events: ['galleryItemDeleted', 'galleryItemCreated'] });
		expect(await trigger.poll()).toBeNull();
		const recorded = trigger.staticData();
		const [gone] = await itemIds(galleryId);
		await wixCall(sandbox, 'DELETE', `${GALLERIES}/${galleryId}/items/${gone}`);

		// The gallery's first item page answers, the second fails on every attempt.
		await sandbox.control.addFault({
			path: `^/progallery/v2/galleries/${galleryId}$`,
			status: 503,
			skip: 1,
			count: 5,
		});
		await expect(trigger.poll()).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '503',
		});
		expect(trigger.staticData()).toEqual(recorded);

		const deleted = await trigger.poll();
		expect(summary(deleted)).toEqual([['galleryItemDeleted', galleryId, gone]]);
		expect(await trigger.poll()).toBeNull();
	});

	/**
	 * A 250-item gallery behind a front that, while `interference` is above 0, deletes the first remaining item just
	 * before it passes on a request for the second item page: every later item moves up by one, across the pages.
	 */
	async function busyGallery(): Promise<{
		galleryId: string;
		ids: string[];
		trigger: Poller;
		front: Awaited<ReturnType<typeof startSandboxFront>>;
		interfere(times: number): void;
	}> {
		const galleryId = await createGallery(
			'Busy',
			Array.from({ length: 250 }, (_, index) => ({
				...textItem(`Item ${index}`),
				sortOrder: index,
			})),
		);
		const ids = await itemIds(galleryId);
		let interference = 0;
		let deleted = 0;
		const front = await startSandboxFront(sandbox, (request, response) => {
			if (interference === 0 || !request.url.includes('itemOffset=100')) return false;
			interference--;
			void (async () => {
				await wixCall(sandbox, 'DELETE', `${GALLERIES}/${galleryId}/items/${ids[deleted++]}`);
				const headers = Object.fromEntries(
					Object.entries(request.headers).filter(
						(entry): entry is [string, string] =>
							entry[0] !== 'host' && typeof entry[1] === 'string',
					),
				);
				const answer = await fetch(`${sandbox.baseUrl}${request.url}`, { headers });
				response.writeHead(answer.status, { 'content-type': 'application/json' });
				response.end(Buffer.from(await answer.arrayBuffer()));
			})();
			return true;
		});
		const { apiKey, siteId } = sandbox.credentials;
		const trigger = await poller(
			{ events: ['galleryItemDeleted'] },
			{ wixGalleryApi: { apiKey, siteId, baseUrl: front.url } },
		);
		return {
			galleryId,
			ids,
			trigger,
			front,
			interfere: (times) => {
				interference = times;
			},
		};
	}

	test('an item deleted while the pages are read shifts the pages: the listing is read again, nothing else is reported', async () => {
		const { galleryId, ids, trigger, front, interfere } = await busyGallery();
		try {
			expect(await trigger.poll()).toBeNull();
			interfere(1);
			front.received.length = 0;
			expect(summary(await trigger.poll())).toEqual([['galleryItemDeleted', galleryId, ids[0]]]);
			const firstPages = front.received.filter((request) => request.url.includes('itemOffset=0'));
			expect(firstPages).toHaveLength(2);
			expect(await trigger.poll()).toBeNull();
		} finally {
			await front.close();
		}
	});

	test('a gallery that changes during every reading fails the poll and keeps the state', async () => {
		const { galleryId, ids, trigger, front, interfere } = await busyGallery();
		try {
			expect(await trigger.poll()).toBeNull();
			const recorded = trigger.staticData();
			interfere(3);
			await expect(trigger.poll()).rejects.toMatchObject({
				name: 'NodeOperationError',
				message: expect.stringContaining('changed while it was being read'),
			});
			expect(trigger.staticData()).toEqual(recorded);
			const deleted = summary(await trigger.poll());
			expect(deleted).toEqual(
				ids
					.slice(0, 3)
					.map((itemId) => ['galleryItemDeleted', galleryId, itemId])
					.sort(),
			);
		} finally {
			await front.close();
		}
	});

	test('a gallery listing that fails on its second page reports no gallery as deleted', async () => {
		for (let index = 0; index < 12; index++) await createGallery(`Gallery ${index}`);
		const trigger = await poller({ events: ['galleryDeleted'] });
		expect(await trigger.poll()).toBeNull();
		const recorded = trigger.staticData();
		await sandbox.control.addFault({
			path: '^/progallery/v2/galleries$',
			status: 403,
			skip: 1,
		});
		await expect(trigger.poll()).rejects.toMatchObject({ httpCode: '403' });
		expect(trigger.staticData()).toEqual(recorded);
		expect(await trigger.poll()).toBeNull();
	});

	test('5,000 items over 50 pages: one request per 100 items, state about 160 kB, changes found exactly', async () => {
		const count = 5000;
		const galleryId = await createGallery(
			'Archive',
			Array.from({ length: count }, (_, index) => ({
				...textItem(`Item ${index}`),
				sortOrder: index,
			})),
		);
		const trigger = await poller();
		await sandbox.control.clearRequests();
		expect(await trigger.poll()).toBeNull();
		const requests = (await sandbox.control.requests()).filter((request) =>
			request.path.startsWith('/progallery/'),
		);
		// List Galleries once, then Get Gallery pages of 100 items.
		expect(requests).toHaveLength(1 + count / 100);
		const stateSize = JSON.stringify(trigger.staticData()).length;
		expect(stateSize).toBeGreaterThan(150_000);
		expect(stateSize).toBeLessThan(170_000);

		const ids = await itemIds(galleryId);
		const [changed, removed] = [ids[2500], ids[4999]];
		await wixCall(sandbox, 'PATCH', `${GALLERIES}/${galleryId}/items/${changed}`, {
			item: { title: 'Changed' },
		});
		await wixCall(sandbox, 'DELETE', `${GALLERIES}/${galleryId}/items/${removed}`);
		const added = await createItem(galleryId, 'New');
		const changes = summary(await trigger.poll());
		expect(changes).toHaveLength(3);
		expect(changes).toEqual(
			expect.arrayContaining([
				['galleryItemUpdated', galleryId, changed],
				['galleryItemDeleted', galleryId, removed],
				['galleryItemCreated', galleryId, added],
			]),
		);
		expect(await trigger.poll()).toBeNull();
	});

	test('Selected Galleries: only their changes; a gallery added to the selection is recorded, not reported', async () => {
		const watched = await createGallery('Watched', [textItem('W')]);
		const other = await createGallery('Other', [textItem('O')]);
		const selectOnly = (...ids: string[]) => ({
			watch: 'selected',
			galleries: {
				gallery: ids.map((id) => ({ galleryId: { __rl: true, mode: 'list', value: id } })),
			},
		});
		// Typed in upper case (as some tools copy GUIDs): Wix's IDs are lower case, and it still matches.
		const first = await poller(selectOnly(watched.toUpperCase()));
		expect(await first.poll()).toBeNull();
		await createItem(other, 'Not watched');
		const inWatched = await createItem(watched, 'Watched too');
		expect(summary(await first.poll())).toEqual([['galleryItemCreated', watched, inWatched]]);

		// The same workflow with a second gallery selected: its existing items are not news.
		const widened = await startPoller({
			type: 'wixGalleryPollingTrigger',
			parameters: { events: ALL_EVENTS, ...selectOnly(watched, other) },
			credentials: apiKeyCredentials(sandbox),
			staticData: first.staticData(),
		});
		expect(await widened.poll()).toBeNull();
		const inOther = await createItem(other, 'Now watched');
		expect(summary(await widened.poll())).toEqual([['galleryItemCreated', other, inOther]]);
	});

	test('with the Wix app credential; an invalid gallery ID is refused naming the parameter', async () => {
		const { appId, appSecret, instanceId, publicKeyPem, baseUrl } = sandbox.credentials;
		const oauth = {
			wixGalleryOAuth2Api: { appId, appSecret, instanceId, publicKey: publicKeyPem, baseUrl },
		};
		const galleryId = await createGallery('App');
		const trigger = await poller({}, oauth);
		expect(await trigger.poll()).toBeNull();
		const itemId = await createItem(galleryId, 'Via app');
		const [event] = (await trigger.poll()) ?? [];
		expect(event.json).toMatchObject({ itemId, instanceId });

		const invalid = await poller({
			watch: 'selected',
			galleries: { gallery: [{ galleryId: { __rl: true, mode: 'id', value: '../x' } }] },
		});
		await expect(invalid.poll()).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringContaining('"Galleries"'),
		});
	});

	test('a poll that starts while the previous one still runs stands aside: the change is reported once', async () => {
		const galleryId = await createGallery('Slow');
		const trigger = await poller();
		expect(await trigger.poll()).toBeNull();
		const itemId = await createItem(galleryId, 'Once');
		const results = await Promise.all([trigger.poll(), trigger.poll()]);
		expect(results.map(summary)).toEqual([[['galleryItemCreated', galleryId, itemId]], null]);
		expect(await trigger.poll()).toBeNull();
	});

	test("Fetch Test Event (manual mode) shows the newest item and leaves the trigger's state alone", async () => {
		const galleryId = await createGallery('Samples', [textItem('Old')]);
		const trigger = await poller();
		expect(await trigger.poll()).toBeNull();
		const newest = await createItem(galleryId, 'Newest');
		const recorded = trigger.staticData();

		const store = new CredentialStore();
		const { wixGalleryApi } = apiKeyCredentials(sandbox);
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Polling Trigger',
					id: 'polling-trigger',
					type: packageNodeType('wixGalleryPollingTrigger'),
					parameters: { events: ALL_EVENTS },
					credentials: { wixGalleryApi: store.add('wixGalleryApi', wixGalleryApi) },
				},
			],
			connections: {},
			mode: 'manual',
			staticData: recorded,
		});
		expect(result.error).toBeUndefined();
		expect(summary(result.output('Polling Trigger'))).toEqual([
			['galleryItemCreated', galleryId, newest],
		]);
		expect(result.staticData).toEqual(recorded);
		// The active trigger still reports the item, since the test fetch did not record it.
		expect(summary(await trigger.poll())).toEqual([['galleryItemCreated', galleryId, newest]]);
	});
});
