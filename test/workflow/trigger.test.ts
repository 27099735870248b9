/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in plain Node, never inside n8n */
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AppStrategy, createClient } from '@wix/sdk';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { CredentialStore, HarnessNodeTypes, packageNodeType } from '../support/harness';
import type { HarnessNode } from '../support/harness';
import { startTriggerServer } from '../support/harness/webhook';
import type { TriggerServer, TriggerServerOptions } from '../support/harness/webhook';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { wixCall } from '../support/workflow';

const TRIGGER = 'Wix Gallery Trigger';
const ALL_EVENTS = [
	'galleryCreated',
	'galleryUpdated',
	'galleryDeleted',
	'galleryItemCreated',
	'galleryItemUpdated',
	'galleryItemDeleted',
];

let sandbox: TestSandbox;
const servers: TriggerServer[] = [];

beforeAll(async () => {
	sandbox = await startTestSandbox({ config: { mediaReadyDelayMs: 50 } });
});

afterEach(async () => {
	// A test that failed with executions held must not leave them waiting: closing a server waits for them.
	holdGate.open();
	await sandbox.control.setWebhookTarget(null);
	await sandbox.control.flushWebhooks();
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
	await sandbox.control.reset();
});

afterAll(async () => {
	await sandbox.close();
});

function appCredentials(overrides: IDataObject = {}) {
	const { appId, appSecret, instanceId, publicKeyPem, baseUrl } = sandbox.credentials;
	return { appId, appSecret, instanceId, publicKey: publicKeyPem, baseUrl, ...overrides };
}

function triggerNode(parameters: IDataObject, credentialOverrides: IDataObject = {}): HarnessNode {
	const store = new CredentialStore();
	return {
		name: TRIGGER,
		type: packageNodeType('wixGalleryTrigger'),
		parameters: { events: ALL_EVENTS, ...parameters },
		credentials: {
			wixGalleryOAuth2Api: store.add('wixGalleryOAuth2Api', appCredentials(credentialOverrides)),
		},
	};
}

async function startTrigger(
	parameters: IDataObject = {},
	options: Partial<TriggerServerOptions> & { credentialOverrides?: IDataObject } = {},
): Promise<TriggerServer> {
	const server = await startTriggerServer({
		nodes: [triggerNode(parameters, options.credentialOverrides)],
		connections: {},
		...options,
	});
	servers.push(server);
	return server;
}

/** Waits until the sandbox has delivered everything and every execution it started has finished. */
async function settle(server: TriggerServer): Promise<void> {
	await sandbox.control.flushWebhooks();
	await server.idle();
}

function emitted(server: TriggerServer): IDataObject[] {
	return server.executions.flatMap((execution) => execution.items.map((item) => item.json));
}

async function post(url: string, body: string | Buffer, contentType = 'text/plain') {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': contentType },
		body,
	});
	return { status: response.status, text: await response.text() };
}

/** Stands in for the app's endpoint to collect genuine signed deliveries, answering 200. */
async function startCapture(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
	const bodies: string[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			bodies.push(Buffer.concat(chunks).toString('utf8'));
			response.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/capture`,
		bodies,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

async function createGallery(name: string): Promise<string> {
	const { gallery } = await wixCall<{ gallery: { id: string } }>(
		sandbox,
		'POST',
		'/pro-gallery/v2/galleries',
		{ gallery: { name } },
	);
	return gallery.id;
}

async function createTextItem(galleryId: string, title: string): Promise<string> {
	const { item } = await wixCall<{ item: { id: string } }>(
		sandbox,
		'POST',
		`/pro-gallery/v2/galleries/${galleryId}/items`,
		{ item: { title, text: { html: `<p>${title}</p>` } } },
	);
	return item.id;
}

async function updateItem(galleryId: string, itemId: string, title: string): Promise<void> {
	await wixCall(sandbox, 'PATCH', `/pro-gallery/v2/galleries/${galleryId}/items/${itemId}`, {
		item: { id: itemId, title },
	});
}

/** An image block of a seeded item, whose Media Manager file is ready, to create image items with. */
async function seededImage(): Promise<IDataObject> {
	const { galleries } = await wixCall<{
		galleries: Array<{ items?: Array<{ type: string; image?: IDataObject }> }>;
	}>(sandbox, 'GET', '/pro-gallery/v2/galleries?itemLimit=10');
	const image = galleries
		.flatMap((gallery) => gallery.items ?? [])
		.find((item) => item.type === 'IMAGE')?.image;
	if (!image) throw new Error('the sandbox seed has no image item');
	return image;
}

/** Captures genuine signed deliveries for the given changes. */
async function captureDeliveries(changes: () => Promise<void>): Promise<string[]> {
	const capture = await startCapture();
	try {
		await sandbox.control.setWebhookTarget({ url: capture.url });
		await changes();
		await sandbox.control.flushWebhooks();
		await sandbox.control.setWebhookTarget(null);
		return [...capture.bodies];
	} finally {
		await capture.close();
	}
}

/** A gate that holds every run of a node until opened; opened, it stays open. */
function gate(): { wait: Promise<void>; open(): void } {
	let open = () => {};
	const wait = new Promise<void>((resolve) => (open = resolve));
	return { wait, open };
}

let holdGate = gate();

/** A node that passes its items on once `holdGate` is open: stands for a workflow that takes its time. */
class HoldUntilOpened implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hold Until Opened',
		name: 'holdUntilOpened',
		group: ['transform'],
		version: 1,
		description: 'Waits for the test to open its gate',
		defaults: { name: 'Hold Until Opened' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		await holdGate.wait;
		return [this.getInputData()];
	}
}

describe('Wix Gallery Trigger with the sandbox sending signed webhooks', () => {
	it('turns every gallery and item change made through the API into one execution with a flat item', async () => {
		const server = await startTrigger();
		await sandbox.control.setWebhookTarget({ url: server.url });

		const galleryId = await createGallery('Trips');
		const { item: created } = await wixCall<{ item: IDataObject & { id: string } }>(
			sandbox,
			'POST',
			`/pro-gallery/v2/galleries/${galleryId}/items`,
			{ item: { title: 'Beach', sortOrder: 7, image: await seededImage() } },
		);
		await updateItem(galleryId, created.id, 'Beach at dusk');
		await wixCall(sandbox, 'PATCH', `/pro-gallery/v2/galleries/${galleryId}`, {
			gallery: { id: galleryId, name: 'Trips 2026' },
		});
		await wixCall(sandbox, 'DELETE', `/pro-gallery/v2/galleries/${galleryId}/items/${created.id}`);
		const leftOver = await createTextItem(galleryId, 'Note');
		await wixCall(sandbox, 'DELETE', `/pro-gallery/v2/galleries/${galleryId}`);
		await settle(server);

		const items = emitted(server);
		expect(items.map((item) => item.event)).toEqual([
			'galleryCreated',
			'galleryItemCreated',
			'galleryItemUpdated',
			'galleryUpdated',
			'galleryItemDeleted',
			'galleryItemCreated',
			'galleryItemDeleted',
			'galleryDeleted',
		]);
		for (const item of items) {
			expect(item).toMatchObject({
				galleryId,
				instanceId: sandbox.credentials.instanceId,
				stale: false,
				eventId: expect.any(String),
				identity: { identityType: 'WIX_USER' },
			});
			expect(Date.parse(String(item.eventTime))).not.toBeNaN();
		}
		expect(new Set(items.map((item) => item.eventId)).size).toBe(items.length);
		const [galleryCreated, itemCreated, itemUpdated, galleryUpdated, itemDeleted] = items;
		expect(galleryCreated).toMatchObject({ galleryName: 'Trips', itemId: null, item: null });
		expect(itemCreated).toMatchObject({
			eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
			itemId: created.id,
			title: 'Beach',
			sortOrder: 7,
			type: 'IMAGE',
			item: { id: created.id, title: 'Beach' },
		});
		expect(String(itemCreated.mediaUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
		expect(itemCreated.mediaUrl).toBe(
			(created.image as { imageInfo: { url: string } }).imageInfo.url,
		);
		expect(itemUpdated).toMatchObject({
			itemId: created.id,
			title: 'Beach at dusk',
			mediaUrl: itemCreated.mediaUrl,
		});
		expect(galleryUpdated).toMatchObject({ galleryName: 'Trips 2026', gallery: { id: galleryId } });
		expect(itemDeleted).toMatchObject({ itemId: created.id, item: null, originatedFrom: null });
		expect(items[6]).toMatchObject({ itemId: leftOver, originatedFrom: 'Gallery Deleted' });

		const attempts = await sandbox.control.webhooks();
		expect(attempts).toHaveLength(8);
		expect(attempts.every((attempt) => attempt.status === 200 && attempt.attempt === 1)).toBe(true);
	});

	it('accepts a genuine delivery whatever its content type, since n8n leaves the body to the node', async () => {
		const deliveries = await captureDeliveries(async () => {
			await createGallery('Typed 1');
			await createGallery('Typed 2');
			await createGallery('Typed 3');
		});
		const server = await startTrigger({ events: ['galleryCreated'] });
		const types = ['text/plain', 'application/json', 'application/octet-stream'];
		for (const [index, body] of deliveries.entries()) {
			expect((await post(server.url, body, types[index])).status).toBe(200);
		}
		await server.idle();
		expect(emitted(server).map((item) => item.galleryName)).toEqual([
			'Typed 1',
			'Typed 2',
			'Typed 3',
		]);
	});

	it('answers forged and broken deliveries 401 and starts nothing', async () => {
		const [genuine] = await captureDeliveries(async () => {
			await createGallery('Genuine');
		});
		const server = await startTrigger();
		const before = server.staticData();
		const [head, payload, signature] = genuine.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const signedBy = (header: object, signer: (data: Buffer) => Buffer) => {
			const data = `${b64(header)}.${payload}`;
			return `${data}.${signer(Buffer.from(data)).toString('base64url')}`;
		};

		const forged: Array<[string, string | Buffer]> = [
			[
				'another RSA key',
				signedBy({ alg: 'RS256', typ: 'JWT' }, (data) => sign('sha256', data, other.privateKey)),
			],
			['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
			[
				'HS256 keyed with the app public key',
				signedBy({ alg: 'HS256', typ: 'JWT' }, (data) =>
					createHmac('sha256', sandbox.credentials.publicKeyPem).update(data).digest(),
				),
			],
			[
				'a tampered payload',
				`${head}.${b64({ ...claims, data: claims.data.replace('Genuine', 'Forged') })}.${signature}`,
			],
			['no signature', `${head}.${payload}`],
			['the decoded envelope as JSON', claims.data],
			['base64 garbage', `${head}.${payload}.!!!`],
			['an oversized body', Buffer.concat([Buffer.from(genuine), Buffer.alloc(1024 * 1024, ' ')])],
			['an empty body', ''],
		];
		for (const [name, body] of forged) {
			const answer = await post(server.url, body);
			expect({ name, status: answer.status }).toEqual({ name, status: 401 });
		}
		// The genuine token as JSON text, and meant for another app.
		expect((await post(server.url, JSON.stringify(genuine), 'application/json')).status).toBe(401);
		const otherApp = await startTrigger({}, { credentialOverrides: { appId: 'another-app' } });
		expect((await post(otherApp.url, genuine)).status).toBe(401);
		await server.idle();
		await otherApp.idle();

		expect(server.executions).toHaveLength(0);
		expect(otherApp.executions).toHaveLength(0);
		expect(server.staticData()).toEqual(before);

		// The same genuine delivery is accepted, so the 401s above were the forgeries' doing.
		const answer = await post(server.url, genuine);
		await server.idle();
		expect(answer).toEqual({ status: 200, text: '' });
		expect(emitted(server)).toMatchObject([{ event: 'galleryCreated', galleryName: 'Genuine' }]);
	});

	it('starts one execution per event when Wix delivers every event twice', async () => {
		const server = await startTrigger();
		await sandbox.control.setWebhookTarget({ url: server.url, duplicate: true });
		const galleryId = await createGallery('Twice');
		const itemId = await createTextItem(galleryId, 'One');
		await updateItem(galleryId, itemId, 'Two');
		await settle(server);

		const attempts = await sandbox.control.webhooks();
		expect(attempts).toHaveLength(6);
		expect(attempts.every((attempt) => attempt.status === 200)).toBe(true);
		const items = emitted(server);
		expect(items.map((item) => item.event)).toEqual([
			'galleryCreated',
			'galleryItemCreated',
			'galleryItemUpdated',
		]);
		expect(items.map((item) => item.eventId).sort()).toEqual(
			[...new Set(attempts.map((attempt) => attempt.eventId))].sort(),
		);
		const duplicates = server.deliveries.filter((delivery) => !delivery.executionStarted);
		expect(duplicates).toHaveLength(3);
		for (const duplicate of duplicates) {
			expect(JSON.parse(duplicate.body)).toEqual({ received: true, ignored: 'duplicate' });
		}
	});

	it('starts one execution when the same delivery arrives several times at once', async () => {
		const [genuine] = await captureDeliveries(async () => {
			await createGallery('Concurrent');
		});
		// With n8n's database reads in between, all six requests load static data before any saves it.
		const server = await startTrigger({}, { requestLatencyMs: 30 });
		const answers = await Promise.all(
			Array.from({ length: 6 }, async () => await post(server.url, genuine)),
		);
		await server.idle();
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
		expect(server.executions).toHaveLength(1);
	});

	it('marks an update older than one already processed for the item as stale, or skips it', async () => {
		let galleryId = '';
		let itemId = '';
		const bodies = await captureDeliveries(async () => {
			galleryId = await createGallery('Order');
			itemId = await createTextItem(galleryId, 'v1');
			await sleep(5);
			await updateItem(galleryId, itemId, 'v2');
			await sleep(5);
			await updateItem(galleryId, itemId, 'v3');
		});
		const [, , olderUpdate, newerUpdate] = bodies;

		const server = await startTrigger();
		for (const body of [newerUpdate, olderUpdate])
			expect((await post(server.url, body)).status).toBe(200);
		await server.idle();
		expect(emitted(server).map((item) => [item.title, item.stale])).toEqual([
			['v3', false],
			['v2', true],
		]);

		const skipping = await startTrigger({ deliveryOptions: { skipStaleEvents: true } });
		for (const body of [newerUpdate, olderUpdate]) await post(skipping.url, body);
		await skipping.idle();
		expect(emitted(skipping).map((item) => item.title)).toEqual(['v3']);
		expect(JSON.parse(skipping.deliveries[1].body)).toEqual({ received: true, ignored: 'stale' });
	});

	it('flags exactly the late updates when the sandbox delivers out of order', async () => {
		const server = await startTrigger({ events: ['galleryItemUpdated'] });
		const galleryId = await createGallery('Shuffled');
		const itemId = await createTextItem(galleryId, 'start');
		await sandbox.control.setWebhookTarget({ url: server.url, outOfOrder: true });
		for (let version = 1; version <= 12; version++) {
			await updateItem(galleryId, itemId, `v${version}`);
			await sleep(3);
		}
		await settle(server);

		const items = emitted(server).filter((item) => item.itemId === itemId);
		expect(items).toHaveLength(12);
		let newest = '';
		for (const item of items) {
			const time = String(item.eventTime);
			expect({ title: item.title, stale: item.stale }).toEqual({
				title: item.title,
				stale: newest !== '' && time < newest,
			});
			if (time > newest) newest = time;
		}
	});

	it('starts the workflow only for the selected events and galleries, acknowledging the rest', async () => {
		const wanted = await createGallery('Wanted');
		const other = await createGallery('Other');
		const wantedItem = await createTextItem(wanted, 'a');
		const otherItem = await createTextItem(other, 'b');
		const server = await startTrigger({
			events: ['galleryItemUpdated'],
			galleryIds: ` ${wanted} ,`,
		});
		await sandbox.control.setWebhookTarget({ url: server.url });

		await createTextItem(wanted, 'c');
		await updateItem(wanted, wantedItem, 'a2');
		await updateItem(other, otherItem, 'b2');
		await wixCall(sandbox, 'PATCH', `/pro-gallery/v2/galleries/${wanted}`, {
			gallery: { id: wanted, name: 'Still wanted' },
		});
		await settle(server);

		expect(emitted(server)).toMatchObject([
			{ event: 'galleryItemUpdated', galleryId: wanted, itemId: wantedItem, title: 'a2' },
		]);
		expect(
			server.deliveries.map((delivery) => (delivery.body ? JSON.parse(delivery.body) : '')),
		).toEqual([
			{ received: true, ignored: 'event not selected' },
			'',
			{ received: true, ignored: 'gallery not selected' },
			{ received: true, ignored: 'event not selected' },
		]);
		const attempts = await sandbox.control.webhooks();
		expect(attempts.every((attempt) => attempt.ok && attempt.attempt === 1)).toBe(true);
	});

	it('ignores events of other sites unless told to accept them', async () => {
		const [genuine] = await captureDeliveries(async () => {
			await createGallery('Elsewhere');
		});
		const strict = await startTrigger(
			{},
			{ credentialOverrides: { instanceId: 'another-installation' } },
		);
		expect(JSON.parse((await post(strict.url, genuine)).text)).toEqual({
			received: true,
			ignored: 'other site',
		});
		const open = await startTrigger(
			{ deliveryOptions: { acceptOtherSites: true } },
			{ credentialOverrides: { instanceId: 'another-installation' } },
		);
		await post(open.url, genuine);
		await strict.idle();
		await open.idle();
		expect(strict.executions).toHaveLength(0);
		expect(emitted(open)).toMatchObject([{ galleryName: 'Elsewhere' }]);
	});

	// Wix waits 1,250 ms for an answer. What keeps the trigger within it whatever the workflow does is that it answers
	// before the execution it starts has run; how fast it answers is measured by `npm run bench` (p99), not here.
	it('answers 100 deliveries while the 100 executions they started are all still running', async () => {
		holdGate = gate();
		const nodeTypes = new HarnessNodeTypes().add('harness.holdUntilOpened', new HoldUntilOpened());
		const server = await startTriggerServer({
			nodes: [triggerNode({}), { name: 'Hold', type: 'harness.holdUntilOpened', parameters: {} }],
			connections: { [TRIGGER]: { main: [[{ node: 'Hold', type: 'main', index: 0 }]] } },
			nodeTypes,
		});
		servers.push(server);
		const galleryId = await createGallery('Busy');
		const itemId = await createTextItem(galleryId, 'busy');
		await sandbox.control.setWebhookTarget({ url: server.url });
		for (let version = 1; version <= 100; version++) {
			await updateItem(galleryId, itemId, `busy ${version}`);
		}
		// Every delivery has been answered, with no execution able to finish.
		await sandbox.control.flushWebhooks();
		expect(server.deliveries.map((delivery) => delivery.status)).toEqual(Array(100).fill(200));
		expect(server.executions).toHaveLength(100);
		expect(server.executions.filter((execution) => execution.result !== undefined)).toEqual([]);
		const attempts = await sandbox.control.webhooks();
		expect(attempts.filter((attempt) => attempt.ok && attempt.attempt === 1)).toHaveLength(100);

		holdGate.open();
		await server.idle();
		const titles = server.executions.map(
			(execution) => execution.result?.output('Hold')[0]?.json.title,
		);
		expect(titles).toEqual(Array.from({ length: 100 }, (_, index) => `busy ${index + 1}`));
	}, 120_000);
});

/**
 * A node further down that writes workflow static data, like a sync mapping would, once `holdGate` is open (until
 * then its execution is still running, whatever the time).
 */
class StaticDataWriter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Static Data Writer',
		name: 'staticDataWriter',
		group: ['transform'],
		version: 1,
		description: 'Counts its runs in global static data',
		defaults: { name: 'Static Data Writer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const data = this.getWorkflowStaticData('global');
		await holdGate.wait;
		data.runs = Number(data.runs ?? 0) + 1;
		return [this.getInputData()];
	}
}

describe('Wix Gallery Trigger and workflow static data', () => {
	let genuine: string[] = [];

	beforeEach(async () => {
		genuine = await captureDeliveries(async () => {
			await createGallery('First');
			await createGallery('Second');
		});
	});

	it('remembers processed events in static data, so a redelivery after a restart starts nothing', async () => {
		const first = await startTrigger();
		await post(first.url, genuine[0]);
		await first.idle();
		expect(first.executions).toHaveLength(1);
		const stored = first.staticData()[`node:${TRIGGER}`] as IDataObject;
		expect(Object.keys(stored.seenEvents as IDataObject)).toHaveLength(1);

		// A new workflow id stands for a restarted n8n: nothing remembered in memory.
		const restarted = await startTrigger({}, { staticData: first.staticData() });
		expect(JSON.parse((await post(restarted.url, genuine[0])).text)).toEqual({
			received: true,
			ignored: 'duplicate',
		});
		await post(restarted.url, genuine[1]);
		await restarted.idle();
		expect(emitted(restarted)).toMatchObject([{ galleryName: 'Second' }]);
	});

	it('shows n8n overwriting the trigger log with an execution’s older copy, and the log repairing itself', async () => {
		const nodeTypes = new HarnessNodeTypes().add(
			'harness.staticDataWriter',
			new StaticDataWriter(),
		);
		const workflow = (staticData?: IDataObject): TriggerServerOptions => ({
			nodes: [
				triggerNode({}),
				{ name: 'Writer', type: 'harness.staticDataWriter', parameters: {} },
			],
			connections: { [TRIGGER]: { main: [[{ node: 'Writer', type: 'main', index: 0 }]] } },
			nodeTypes,
			staticData,
		});
		holdGate = gate();
		const server = await startTriggerServer(workflow());
		servers.push(server);
		const seen = (data: IDataObject) =>
			Object.keys(
				((data[`node:${TRIGGER}`] as IDataObject | undefined)?.seenEvents as IDataObject) ?? {},
			);

		await post(server.url, genuine[0]);
		// Saved by the request, before the execution ends…
		expect(seen(server.staticData())).toHaveLength(1);
		expect(server.executions[0].result).toBeUndefined();
		holdGate.open();
		await server.idle();
		// …then overwritten by the execution, which loaded static data before the request saved.
		expect(server.executions[0].savedStaticData).toBe(true);
		expect(server.staticData().global).toEqual({ runs: 1 });
		expect(seen(server.staticData())).toHaveLength(0);

		// Restarted right now, n8n would run the redelivery again: the limit of static data.
		const restartedEarly = await startTriggerServer(workflow(server.staticData()));
		servers.push(restartedEarly);
		await post(restartedEarly.url, genuine[0]);
		await restartedEarly.idle();
		expect(restartedEarly.executions).toHaveLength(1);

		// Without a restart the in-process log catches the redelivery and writes the union back.
		await post(server.url, genuine[0]);
		await server.idle();
		expect(server.executions).toHaveLength(1);
		await post(server.url, genuine[1]);
		await server.idle();
		expect(server.executions).toHaveLength(2);
		expect(server.staticData().global).toEqual({ runs: 2 });
		const repaired = await startTriggerServer(workflow(server.staticData()));
		servers.push(repaired);
		await post(repaired.url, genuine[0]);
		await repaired.idle();
		expect(repaired.executions).toHaveLength(0);
	});

	it('keeps nothing from a test URL session: static data is not saved in manual mode', async () => {
		const server = await startTrigger({}, { mode: 'manual' });
		expect(server.url).toContain('/webhook-test/');
		await post(server.url, genuine[0]);
		await server.idle();
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0].items[0].json).toMatchObject({
			galleryName: 'First',
			stale: false,
		});
		expect(server.staticData()).toEqual({});
	});

	it('fails activation visibly and refuses deliveries when the credential has no public key', async () => {
		await expect(
			startTriggerServer({
				nodes: [triggerNode({}, { publicKey: '' })],
				connections: {},
			}),
		).rejects.toThrow(/App Public Key/);
		const server = await startTrigger(
			{},
			{ credentialOverrides: { publicKey: '' }, activate: false },
		);
		const answer = await post(server.url, genuine[0]);
		await server.idle();
		// Nothing can be verified without the key: refused like a forgery, the cause goes to n8n's log.
		expect(answer.status).toBe(401);
		expect(server.deliveries[0].error).toBeUndefined();
		expect(server.executions).toHaveLength(0);
	});
});

describe('@wix/sdk cross-check', () => {
	it('decodes the same sandbox deliveries the trigger accepts, and refuses what it refuses', async () => {
		let galleryId = '';
		const bodies = await captureDeliveries(async () => {
			galleryId = await createGallery('Cross-check');
			const itemId = await createTextItem(galleryId, 'x');
			await updateItem(galleryId, itemId, 'y');
			await wixCall(sandbox, 'PATCH', `/pro-gallery/v2/galleries/${galleryId}`, {
				gallery: { id: galleryId, name: 'Renamed' },
			});
			await wixCall(sandbox, 'DELETE', `/pro-gallery/v2/galleries/${galleryId}/items/${itemId}`);
			await wixCall(sandbox, 'DELETE', `/pro-gallery/v2/galleries/${galleryId}`);
		});
		expect(bodies).toHaveLength(6);
		const server = await startTrigger();
		for (const body of bodies) expect((await post(server.url, body)).status).toBe(200);
		await server.idle();
		const items = emitted(server);

		const client = createClient({
			auth: AppStrategy({
				appId: sandbox.credentials.appId,
				publicKey: sandbox.credentials.publicKeyPem,
			}),
		});
		for (const [index, body] of bodies.entries()) {
			const processed = await client.webhooks.process(body);
			const payload = processed.payload as IDataObject;
			expect(items[index]).toMatchObject({
				eventType: processed.eventType,
				instanceId: processed.instanceId,
				eventId: payload.id,
				eventTime: payload.eventTime,
				galleryId: payload.entityId,
				identity: processed.identity as IDataObject,
			});
			expect((items[index].raw as IDataObject).event).toEqual(payload);
		}
		expect(items.map((item) => item.event)).toEqual([
			'galleryCreated',
			'galleryItemCreated',
			'galleryItemUpdated',
			'galleryUpdated',
			'galleryItemDeleted',
			'galleryDeleted',
		]);

		const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const [, payload] = bodies[0].split('.');
		const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
		const forged = `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), other.privateKey).toString('base64url')}`;
		await expect(client.webhooks.process(forged)).rejects.toThrow();
		expect((await post(server.url, forged)).status).toBe(401);
	});
});
