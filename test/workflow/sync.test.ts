/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in plain Node, never inside n8n */
import { createHash } from 'node:crypto';

import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { pngImage } from '../../sandbox/src';
import * as packageExports from '../../index';
import { HarnessNodeTypes, cleanupBinaryData, packageNodeType, runNode } from '../support/harness';
import type { InputItem, NodeRunResult } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { waitFor } from '../support/wixSdk';
import { apiKeyCredentials, byId, startMediaHost, wixCall } from '../support/workflow';
import {
	N8nLikeWorkflow,
	exampleCredentials,
	exampleNodeTypes,
	externalToken,
	readExample,
	readExampleForHarness,
	startReceiver,
	wixTriggerItem,
} from '../support/sync';

let mappingCounter = 0;
/** The mapping replica lives as long as the process, so every test takes its own mapping name. */
function freshMapping(): string {
	return `test-${++mappingCounter}-${Date.now()}`;
}

async function runSync(
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	options: { staticData?: IDataObject; continueOnFail?: boolean } = {},
): Promise<NodeRunResult & { outputs: IDataObject[][] }> {
	const result = await runNode({
		type: 'wixGallerySync',
		parameters: { resource: 'mapping', ...parameters },
		input: input.map((json): InputItem => ({ json })),
		staticData: options.staticData,
		continueOnFail: options.continueOnFail,
		mode: 'webhook',
	});
	const outputs = [0, 1, 2, 3].map((index) =>
		result.output(result.nodeName, index).map((item) => item.json),
	);
	return { ...result, outputs };
}

const titleField = (value: string) => ({ field: [{ fieldName: 'title', value }] });

afterAll(async () => {
	await cleanupBinaryData();
});

describe('Record Link, Look Up, Remove Link, List', () => {
	test('Look Up passes an input item’s file on, to either output', async () => {
		const mappingName = freshMapping();
		const recorded = await runSync({
			operation: 'record',
			mappingName,
			wixItemId: 'w-shared',
			externalId: 'e-shared',
			changeFrom: 'wix',
		});
		expect(recorded.nodeFailure).toBeUndefined();
		const bytes = pngImage({ width: 4, height: 3, seed: 7 });
		const file = { data: bytes, mimeType: 'image/png', fileName: 'item.png' };
		const result = await runNode({
			type: 'wixGallerySync',
			parameters: {
				resource: 'mapping',
				operation: 'lookUp',
				mappingName,
				by: 'wix',
				id: '={{ $json.id }}',
			},
			input: [
				{ json: { id: 'w-shared' }, binary: { data: file } },
				{ json: { id: 'w-new' }, binary: { data: file } },
			],
			staticData: recorded.staticData,
			mode: 'webhook',
		});
		expect(result.nodeFailure).toBeUndefined();
		for (const output of [0, 1]) {
			const [item] = result.output(result.nodeName, output);
			expect(item.json.id).toBe(output === 0 ? 'w-shared' : 'w-new');
			expect(item.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: 'item.png' });
			expect(await result.binaryBuffer(item, 'data')).toEqual(bytes);
		}
	});

	test('records links, finds them by either side on the Found output, and misses on Not Found', async () => {
		const mappingName = freshMapping();
		const recorded = await runSync(
			{
				operation: 'record',
				mappingName,
				wixItemId: '={{ $json.wix }}',
				externalId: '={{ $json.ext }}',
				syncedFields: titleField('={{ $json.title }}'),
				changeFrom: 'wix',
				options: { galleryId: 'g-1' },
			},
			[
				{ wix: 'w-1', ext: 'e-1', title: 'One' },
				{ wix: 'w-2', ext: 'e-2', title: 'Two' },
			],
		);
		expect(recorded.nodeFailure).toBeUndefined();
		expect(recorded.outputs[0]).toEqual([
			expect.objectContaining({
				mapping: mappingName,
				wixItemId: 'w-1',
				externalId: 'e-1',
				galleryId: 'g-1',
				fields: { title: 'One' },
				lastChangeFrom: 'wix',
				removed: false,
			}),
			expect.objectContaining({ wixItemId: 'w-2', externalId: 'e-2' }),
		]);
		const saved = recorded.staticData;
		expect(Object.keys((saved.global as IDataObject).wixGallerySync as IDataObject)).toEqual([
			mappingName,
		]);

		const lookUp = await runSync(
			{ operation: 'lookUp', mappingName, by: 'external', id: '={{ $json.id }}' },
			[{ id: 'e-2', keep: 'me' }, { id: 'e-404' }],
			{ staticData: saved },
		);
		expect(lookUp.outputs[0]).toEqual([
			expect.objectContaining({
				keep: 'me',
				sync: expect.objectContaining({
					found: true,
					wixItemId: 'w-2',
					externalId: 'e-2',
					link: expect.objectContaining({ fields: { title: 'Two' } }),
				}),
			}),
		]);
		expect(lookUp.outputs[1]).toEqual([
			expect.objectContaining({
				id: 'e-404',
				sync: expect.objectContaining({ found: false, externalId: 'e-404', wixItemId: null }),
			}),
		]);

		// Recording again updates the snapshot in place instead of adding a second link.
		const again = await runSync(
			{
				operation: 'record',
				mappingName,
				wixItemId: 'w-1',
				externalId: 'e-1',
				syncedFields: titleField('One, renamed'),
				changeFrom: 'external',
			},
			[{}],
			{ staticData: saved },
		);
		const listed = await runSync({ operation: 'list', mappingName, outputFormat: 'items' }, [{}], {
			staticData: again.staticData,
		});
		expect(listed.outputs[0]).toHaveLength(2);
		expect(listed.outputs[0].find((link) => link.wixItemId === 'w-1')).toEqual(
			expect.objectContaining({ fields: { title: 'One, renamed' }, lastChangeFrom: 'external' }),
		);

		const removed = await runSync(
			{ operation: 'remove', mappingName, by: 'wix', id: '={{ $json.id }}' },
			[{ id: 'w-1' }, { id: 'w-unknown' }],
			{ staticData: listed.staticData },
		);
		expect(removed.outputs[0].map((json) => json.removed)).toEqual([true, false]);

		const exported = await runSync(
			{ operation: 'list', mappingName, outputFormat: 'json', includeRemoved: true },
			[{}],
			{ staticData: removed.staticData },
		);
		expect(exported.outputs[0]).toHaveLength(1);
		const links = exported.outputs[0][0].links as IDataObject[];
		expect(exported.outputs[0][0].count).toBe(2);
		expect(links.find((link) => link.wixItemId === 'w-1')?.removed).toBe(true);
		const live = await runSync({ operation: 'list', mappingName, outputFormat: 'json' }, [{}], {
			staticData: removed.staticData,
		});
		expect((live.outputs[0][0].links as IDataObject[]).map((link) => link.wixItemId)).toEqual([
			'w-2',
		]);
	});

	test('names the parameter when an ID or the mapping name is empty, and continues on fail', async () => {
		const failed = await runSync(
			{
				operation: 'record',
				mappingName: 'x',
				wixItemId: '={{ $json.missing }}',
				externalId: 'e',
				syncedFields: {},
				changeFrom: 'wix',
			},
			[{}],
		);
		expect(failed.nodeFailure).toEqual(
			expect.objectContaining({ name: 'NodeOperationError', message: '"Wix Item ID" is empty' }),
		);
		const noName = await runSync({ operation: 'lookUp', mappingName: ' ', by: 'wix', id: 'w' }, [
			{},
		]);
		expect(noName.nodeFailure?.message).toBe('"Mapping Name" is empty');

		const continued = await runSync(
			{ operation: 'lookUp', mappingName: freshMapping(), by: 'wix', id: '={{ $json.id }}' },
			[{ id: '' }, { id: 'w-9' }],
			{ continueOnFail: true },
		);
		// A failed item never goes out on Found, where a flow acts on the link.
		expect(continued.outputs[0]).toEqual([]);
		expect(continued.outputs[1]).toEqual([
			expect.objectContaining({ error: '"Item ID" is empty' }),
			expect.objectContaining({ sync: expect.objectContaining({ found: false }) }),
		]);
	});
});

function wixEvent(event: string, itemId: string, title?: string, extra: IDataObject = {}) {
	return { event, itemId, galleryId: 'g-1', title: title ?? null, ...extra };
}

const filterParameters = (mappingName: string, source: 'wix' | 'external'): INodeParameters => ({
	operation: 'filterEchoes',
	mappingName,
	source,
	itemId: '={{ $json.itemId }}',
	changeType: '={{ $json.event }}',
	syncedFields: titleField('={{ $json.title }}'),
});

describe('Filter Echoes', () => {
	test('routes a new Wix item to Create and recognises its echo before and after the link is recorded', async () => {
		const mappingName = freshMapping();
		const passed = await runSync(filterParameters(mappingName, 'wix'), [
			wixEvent('galleryItemCreated', 'w-1', 'Sunset'),
		]);
		expect(passed.outputs[0]).toEqual([
			expect.objectContaining({
				itemId: 'w-1',
				sync: expect.objectContaining({
					echo: false,
					action: 'create',
					wixItemId: 'w-1',
					externalId: null,
					fields: { title: 'Sunset' },
				}),
			}),
		]);
		expect(passed.outputs[1]).toEqual([]);
		expect(passed.outputs[3]).toEqual([]);

		// The platform's notification of the item the sync created, before Record Link ran: same content → echo.
		const echo = await runSync(
			filterParameters(mappingName, 'external'),
			[{ event: 'media.created', itemId: 'e-1', title: 'Sunset' }],
			{ staticData: passed.staticData },
		);
		expect(echo.outputs[0]).toEqual([]);
		expect(echo.outputs[3]).toEqual([
			expect.objectContaining({
				sync: expect.objectContaining({
					echo: true,
					reason: 'matchesPendingCreate',
					wixItemId: 'w-1',
					externalId: 'e-1',
				}),
			}),
		]);

		// A different item created on the platform with other content is a real change.
		const real = await runSync(
			filterParameters(mappingName, 'external'),
			[{ event: 'media.created', itemId: 'e-2', title: 'Harbour' }],
			{ staticData: echo.staticData },
		);
		expect(real.outputs[0].map((json) => (json.sync as IDataObject).externalId)).toEqual(['e-2']);

		const recorded = await runSync(
			{
				operation: 'record',
				mappingName,
				wixItemId: 'w-1',
				externalId: 'e-1',
				syncedFields: titleField('Sunset'),
				changeFrom: 'wix',
			},
			[{}],
			{ staticData: real.staticData },
		);
		const updates = await runSync(
			filterParameters(mappingName, 'external'),
			[
				{ event: 'media.updated', itemId: 'e-1', title: 'Sunset' },
				{ event: 'media.updated', itemId: 'e-1', title: 'Sunset, renamed' },
			],
			{ staticData: recorded.staticData },
		);
		expect(updates.outputs[3]).toEqual([
			expect.objectContaining({ sync: expect.objectContaining({ reason: 'matchesSnapshot' }) }),
		]);
		expect(updates.outputs[1]).toEqual([
			expect.objectContaining({
				sync: expect.objectContaining({ action: 'update', wixItemId: 'w-1', externalId: 'e-1' }),
			}),
		]);
		// The update passed on is announced: Wix's echo of writing it is recognised before Record Link runs.
		const wixEcho = await runSync(
			filterParameters(mappingName, 'wix'),
			[wixEvent('galleryItemUpdated', 'w-1', 'Sunset, renamed')],
			{ staticData: updates.staticData },
		);
		expect(wixEcho.outputs[3]).toEqual([
			expect.objectContaining({ sync: expect.objectContaining({ reason: 'matchesPendingWrite' }) }),
		]);
	});

	test('holds when the echo runs in an execution that started before the writer saved static data', async () => {
		const mappingName = freshMapping();
		const stored: IDataObject = {};
		// Both executions load the same stored copy, as n8n does; neither has saved yet when the echo is filtered.
		const writer = await runSync(
			filterParameters(mappingName, 'wix'),
			[wixEvent('galleryItemCreated', 'w-7', 'Night market')],
			{ staticData: stored },
		);
		expect(writer.outputs[0]).toHaveLength(1);
		const echo = await runSync(
			filterParameters(mappingName, 'external'),
			[{ event: 'media.created', itemId: 'e-7', title: 'Night market' }],
			{ staticData: stored },
		);
		expect(echo.outputs[3]).toEqual([
			expect.objectContaining({
				sync: expect.objectContaining({ reason: 'matchesPendingCreate' }),
			}),
		]);
		// Whichever execution saves last, its copy holds both: the replica was merged into it.
		for (const saved of [writer.staticData, echo.staticData]) {
			const links = (
				((saved.global as IDataObject).wixGallerySync as IDataObject)[mappingName] as IDataObject
			).links as IDataObject;
			expect(Object.keys(links)).toEqual(['w:w-7']);
		}
		expect(
			(
				(
					((echo.staticData.global as IDataObject).wixGallerySync as IDataObject)[
						mappingName
					] as IDataObject
				).links as Record<string, IDataObject>
			)['w:w-7'].externalId,
		).toBe('e-7');
	});

	test('handles deletes: unmapped, mapped, the echo of the delete, and an already removed link', async () => {
		const mappingName = freshMapping();
		const recorded = await runSync({
			operation: 'record',
			mappingName,
			wixItemId: 'w-1',
			externalId: 'e-1',
			syncedFields: titleField('A'),
			changeFrom: 'wix',
		});
		const deletes = await runSync(
			filterParameters(mappingName, 'wix'),
			[wixEvent('galleryItemDeleted', 'w-unknown'), wixEvent('galleryItemDeleted', 'w-1')],
			{ staticData: recorded.staticData },
		);
		expect(deletes.outputs[3]).toEqual([
			expect.objectContaining({ sync: expect.objectContaining({ reason: 'unmapped' }) }),
		]);
		expect(deletes.outputs[2]).toEqual([
			expect.objectContaining({
				sync: expect.objectContaining({ action: 'delete', externalId: 'e-1' }),
			}),
		]);
		const deleteEcho = await runSync(
			filterParameters(mappingName, 'external'),
			[{ event: 'media.deleted', itemId: 'e-1' }],
			{ staticData: deletes.staticData },
		);
		expect(deleteEcho.outputs[3]).toEqual([
			expect.objectContaining({
				sync: expect.objectContaining({ reason: 'matchesPendingDelete' }),
			}),
		]);
		const removed = await runSync(
			{ operation: 'remove', mappingName, by: 'wix', id: 'w-1' },
			[{}],
			{ staticData: deleteEcho.staticData },
		);
		const late = await runSync(
			filterParameters(mappingName, 'external'),
			[
				{ event: 'media.deleted', itemId: 'e-1' },
				{ event: 'media.updated', itemId: 'e-1', title: 'late' },
			],
			{ staticData: removed.staticData },
		);
		expect(late.outputs[3].map((json) => (json.sync as IDataObject).reason)).toEqual([
			'alreadyRemoved',
			'alreadyRemoved',
		]);
	});

	test('sets aside stale updates and gallery-level events, and rejects an unknown change type', async () => {
		const mappingName = freshMapping();
		const result = await runSync(filterParameters(mappingName, 'wix'), [
			wixEvent('galleryItemUpdated', 'w-1', 'x', { stale: true }),
			wixEvent('galleryUpdated', 'w-1', 'x'),
		]);
		expect(result.outputs[3].map((json) => (json.sync as IDataObject).reason)).toEqual([
			'stale',
			'notAnItemEvent',
		]);
		const failed = await runSync(filterParameters(mappingName, 'wix'), [
			wixEvent('galleryItemMoved', 'w-1', 'x'),
		]);
		expect(failed.nodeFailure?.message).toBe('"Change Type" is not understood: "galleryitemmoved"');
	});
});

describe('against the sandbox', () => {
	let sandbox: TestSandbox;

	beforeAll(async () => {
		sandbox = await startTestSandbox({ config: { mediaReadyDelayMs: 30 } });
	});

	afterAll(async () => {
		await sandbox?.close();
	});

	beforeEach(async () => {
		await sandbox.control.reset('empty');
		await sandbox.control.setConfig({ mediaReadyDelayMs: 30 });
	});

	async function createGallery(name: string): Promise<string> {
		const { gallery } = await wixCall<{ gallery: { id: string } }>(
			sandbox,
			'POST',
			'/pro-gallery/v2/galleries',
			{ gallery: { name } },
		);
		return gallery.id;
	}

	async function addTextItem(galleryId: string, title: string, tags: string[] = []) {
		const { item } = await wixCall<{ item: { id: string } }>(
			sandbox,
			'POST',
			`/pro-gallery/v2/galleries/${galleryId}/items`,
			{ item: { title, text: { html: `<p>${title}</p>` }, tags: { values: tags } } },
		);
		return item.id;
	}

	test('Reconcile outputs unmapped, orphaned and changed items, and relinks tagged items', async () => {
		const mappingName = freshMapping();
		const galleryId = await createGallery('Reconciled');
		const inSync = await addTextItem(galleryId, 'In sync');
		const changed = await addTextItem(galleryId, 'Changed on Wix');
		const gone = await addTextItem(galleryId, 'Deleted while n8n was down');
		const unmapped = await addTextItem(galleryId, 'Never synced');
		const tagged = await addTextItem(galleryId, 'Lost link', ['summer', 'ext:e-tagged']);
		const record = async (wixItemId: string, externalId: string, title: string, staticData = {}) =>
			await runSync(
				{
					operation: 'record',
					mappingName,
					wixItemId,
					externalId,
					syncedFields: titleField(title),
					changeFrom: 'wix',
				},
				[{}],
				{ staticData },
			);
		let staticData = (await record(inSync, 'e-1', 'In sync')).staticData;
		staticData = (await record(changed, 'e-2', 'Old title', staticData)).staticData;
		staticData = (await record(gone, 'e-3', 'Deleted while n8n was down', staticData)).staticData;
		await wixCall(sandbox, 'DELETE', `/pro-gallery/v2/galleries/${galleryId}/items/${gone}`);

		const reconciled = await runNode({
			type: 'wixGallerySync',
			parameters: {
				resource: 'mapping',
				operation: 'reconcile',
				mappingName,
				galleryId: byId(galleryId),
				comparedFields: 'title, description',
				options: { linkTagPrefix: 'ext:' },
			},
			credentials: apiKeyCredentials(sandbox),
			staticData,
		});
		expect(reconciled.nodeFailure).toBeUndefined();
		const output = (index: number) =>
			reconciled.output(reconciled.nodeName, index).map((item) => item.json);
		expect(output(0).map((json) => [json.id, (json.sync as IDataObject).status])).toEqual([
			[unmapped, 'unmapped'],
			[tagged, 'relinked'],
		]);
		expect(output(1)).toEqual([
			expect.objectContaining({
				wixItemId: gone,
				externalId: 'e-3',
				sync: { status: 'orphaned' },
			}),
		]);
		expect(output(2)).toEqual([
			expect.objectContaining({
				id: changed,
				sync: expect.objectContaining({
					status: 'changed',
					differences: { title: { synced: 'Old title', current: 'Changed on Wix' } },
				}),
			}),
		]);
		const relinked = await runSync(
			{ operation: 'lookUp', mappingName, by: 'external', id: 'e-tagged' },
			[{}],
			{ staticData: reconciled.staticData },
		);
		expect(relinked.outputs[0][0].sync).toEqual(
			expect.objectContaining({ found: true, wixItemId: tagged }),
		);
	});

	test('a burst of concurrent executions loses no link, although each saves its own whole copy', async () => {
		const mappingName = freshMapping();
		const nodeTypes = exampleNodeTypes({ origin: sandbox.baseUrl, bearerToken: '' });
		const burst = 40;
		// A node after Record Link holds each execution of the burst until the test lets it finish, so that all have
		// loaded static data and recorded before any saves, and they finish in an order the test chooses. Each
		// notes how many links its own copy of static data holds: what it will save.
		const held: Array<{ index: number; links: number; release: () => void }> = [];
		let allHeld = () => {};
		const everyoneHeld = new Promise<void>((resolve) => (allHeld = resolve));
		nodeTypes.add('test.holdAfterRecord', {
			description: {
				displayName: 'Hold After Record',
				name: 'holdAfterRecord',
				group: ['transform'],
				version: 1,
				description: 'Waits until the test releases it',
				defaults: { name: 'Hold After Record' },
				inputs: ['main'],
				outputs: ['main'],
				properties: [],
			},
			async execute() {
				const global = this.getWorkflowStaticData('global') as IDataObject;
				const mapping = (global.wixGallerySync as IDataObject | undefined)?.[mappingName] as
					| IDataObject
					| undefined;
				const links = Object.keys((mapping?.links as IDataObject | undefined) ?? {}).length;
				const index = Number((this.getInputData()[0].json.externalId as string).slice(2));
				// Executions after the burst pass straight on.
				if (held.length === burst) return [this.getInputData()];
				await new Promise<void>((release) => {
					held.push({ index, links, release });
					if (held.length === burst) allHeld();
				});
				return [this.getInputData()];
			},
		});
		const workflow = new N8nLikeWorkflow(
			{
				name: 'burst',
				nodes: [
					{ name: 'Webhook', type: 'n8n-nodes-base.webhook', parameters: {} },
					{
						name: 'Record Link',
						type: 'n8n-nodes-wix-gallery.wixGallerySync',
						parameters: {
							resource: 'mapping',
							operation: 'record',
							mappingName,
							wixItemId: '={{ $json.wix }}',
							externalId: '={{ $json.ext }}',
							syncedFields: titleField('={{ $json.title }}'),
							changeFrom: 'wix',
						},
					},
					{ name: 'Hold', type: 'test.holdAfterRecord', parameters: {} },
				],
				connections: {
					Webhook: { main: [[{ node: 'Record Link', type: 'main', index: 0 }]] },
					'Record Link': { main: [[{ node: 'Hold', type: 'main', index: 0 }]] },
				},
			},
			nodeTypes,
			exampleCredentials(sandbox),
		);
		const runs = Array.from({ length: burst }, (_, index) =>
			workflow.execute('Webhook', [{ wix: `w-${index}`, ext: `e-${index}`, title: `${index}` }]),
		);
		await Promise.race([
			everyoneHeld,
			Promise.all(runs).then(() => {
				throw new Error(`executions ended before all were held: ${workflow.failures.join('; ')}`);
			}),
		]);
		// All loaded the same empty static data, yet each copy took in, from the in-process replica, the links of
		// every execution that recorded before it: the n-th to record holds n links.
		expect(held.map((entry) => entry.links).sort((a, b) => a - b)).toEqual(
			Array.from({ length: burst }, (_, index) => index + 1),
		);
		// Finish them one by one, the copy holding every link first and the one holding only its own last: n8n's
		// last write wins, so the stored copy is then the poorest of all.
		for (const entry of [...held].sort((a, b) => b.links - a.links)) {
			entry.release();
			await runs[entry.index];
		}
		expect(workflow.failures).toEqual([]);
		const storedLinks = () =>
			Object.keys(
				(
					((workflow.savedStaticData.global as IDataObject).wixGallerySync as IDataObject)[
						mappingName
					] as IDataObject
				).links as IDataObject,
			);
		const afterBurst = storedLinks().length;
		expect(afterBurst).toBe(1);
		// Any later execution touching the mapping writes the union.
		await workflow.execute('Webhook', [{ wix: 'w-last', ext: 'e-last', title: 'last' }]);
		expect(storedLinks()).toHaveLength(burst + 1);
		process.stdout.write(
			`burst: ${burst} concurrent Record Link executions; links in the copy saved last: ${afterBurst}; after one more execution: ${storedLinks().length}\n`,
		);
	});
});

describe('two-way sync simulation (example workflow 2)', () => {
	const CHANGES = 200;
	const BATCH = 8;
	let sandbox: TestSandbox;

	beforeAll(async () => {
		sandbox = await startTestSandbox({ config: { mediaReadyDelayMs: 20 } });
	});

	afterAll(async () => {
		await sandbox?.close();
	});

	interface ExternalMedia {
		id: string;
		caption: string;
		sha256: string;
	}
	interface WixItem {
		id: string;
		title?: string;
		image?: { imageInfo?: { id?: string; url?: string } };
	}

	test(`${CHANGES} random changes on both sides end equal, without echo loops or duplicates`, async () => {
		await sandbox.control.reset('empty');
		await sandbox.control.setConfig({ mediaReadyDelayMs: 20 });
		const random = seededRandom(20260501);
		const galleryId = (
			await wixCall<{ gallery: { id: string } }>(sandbox, 'POST', '/pro-gallery/v2/galleries', {
				gallery: { name: 'Synced' },
			})
		).gallery.id;

		// Images a Wix user would upload: imported once into the Media Manager, one per created item.
		const files: Record<string, { body: Buffer; contentType: string }> = {};
		for (let index = 0; index < CHANGES; index++) {
			files[`p${index}.png`] = {
				body: pngImage({ width: 40 + (index % 7), height: 30, seed: 1000 + index }),
				contentType: 'image/png',
			};
		}
		const host = await startMediaHost(files);
		const wixFiles: string[] = [];
		try {
			for (const name of Object.keys(files)) {
				const { file } = await wixCall<{ file: { id: string } }>(
					sandbox,
					'POST',
					'/site-media/v1/files/import',
					{ url: host.url(name), displayName: name },
				);
				wixFiles.push(file.id);
			}
			// Wix fetches imported files after answering; the host must stay up until it has them all, READY.
			await waitFor(
				async () => {
					const { mediaManager } = await sandbox.control.state<{
						mediaManager: { files: Array<{ id: string; operationStatus: string }> };
					}>();
					const ready = new Set(
						mediaManager.files
							.filter((file) => file.operationStatus === 'READY')
							.map((file) => file.id),
					);
					return wixFiles.every((id) => ready.has(id));
				},
				'the imported images to be READY',
				120_000,
			);
		} finally {
			await host.close();
		}

		const example = readExampleForHarness('2-two-way-sync.json');
		for (const node of example.nodes) {
			if (node.parameters.galleryId) node.parameters.galleryId = byId(galleryId);
		}
		const workflow = new N8nLikeWorkflow(
			example,
			exampleNodeTypes({ origin: sandbox.baseUrl, bearerToken: await externalToken(sandbox) }),
			exampleCredentials(sandbox),
		);
		// The trigger emits only the selected events: gallery item events, not the Media Manager's.
		const wixReceiver = await startReceiver((body) => {
			const item = wixTriggerItem(body);
			if (String(item.event).startsWith('galleryItem')) {
				workflow.start('Wix Gallery Trigger', [item]);
			}
		});
		const platformReceiver = await startReceiver((body, headers) =>
			workflow.start('Platform Webhook', [
				{ headers: headers as IDataObject, params: {}, query: {}, body: JSON.parse(body) },
			]),
		);
		try {
			// Wix delivers every event twice: Filter Echoes must make that harmless too.
			await sandbox.control.setWebhookTarget({ url: wixReceiver.url, duplicate: true });
			await control('PUT', '/_sandbox/external/webhook-target', { url: platformReceiver.url });

			const settle = async () => {
				for (let quietRounds = 0; quietRounds < 2; ) {
					const before = workflow.executions;
					await sandbox.control.flushWebhooks();
					await control('POST', '/_sandbox/external/webhooks/flush');
					await workflow.idle();
					await new Promise((resolve) => setTimeout(resolve, 30));
					quietRounds = workflow.executions === before && !workflow.busy ? quietRounds + 1 : 0;
				}
			};

			let userWixWrites = 0;
			let nameCounter = 0;
			const counts = {
				wix: { create: 0, update: 0, delete: 0 },
				external: { create: 0, update: 0, delete: 0 },
			};
			let applied = 0;
			while (applied < CHANGES) {
				const wixItems = await listWixItems(galleryId);
				const external = await control<ExternalMedia[]>('GET', '/_sandbox/external/media');
				// One change per logical item (title) per batch: concurrent edits of one item on both sides are a
				// conflict, which no echo filter resolves, so the simulation keeps them apart.
				const touched = new Set<string>();
				const batch: Array<() => Promise<void>> = [];
				for (let slot = 0; slot < BATCH && applied + batch.length < CHANGES; slot++) {
					const onWix = random() < 0.5;
					const existing = onWix
						? wixItems.map((item) => ({ id: item.id, title: item.title ?? '' }))
						: external.map((media) => ({ id: media.id, title: media.caption }));
					const candidates = existing.filter((entry) => !touched.has(entry.title));
					const roll = random();
					const kind =
						candidates.length < 3 || roll < 0.4 ? 'create' : roll < 0.8 ? 'update' : 'delete';
					if (kind === 'create') {
						const title = `item ${++nameCounter}`;
						touched.add(title);
						if (onWix) {
							const fileId = wixFiles.pop() as string;
							userWixWrites++;
							batch.push(async () => {
								await wixCall(sandbox, 'POST', `/pro-gallery/v2/galleries/${galleryId}/items`, {
									item: { title, image: { imageInfo: { id: fileId } } },
								});
							});
						} else {
							batch.push(async () => {
								await control('POST', '/_sandbox/external/media', { caption: title });
							});
						}
					} else {
						const target = candidates[Math.floor(random() * candidates.length)];
						touched.add(target.title);
						if (kind === 'update') {
							const title = `item ${++nameCounter} (renamed)`;
							touched.add(title);
							if (onWix) {
								userWixWrites++;
								batch.push(async () => {
									await wixCall(
										sandbox,
										'PATCH',
										`/pro-gallery/v2/galleries/${galleryId}/items/${target.id}`,
										{ item: { id: target.id, title } },
									);
								});
							} else {
								batch.push(async () => {
									await control('PATCH', `/_sandbox/external/media/${target.id}`, {
										caption: title,
									});
								});
							}
						} else if (onWix) {
							userWixWrites++;
							batch.push(async () => {
								await wixCall(
									sandbox,
									'DELETE',
									`/pro-gallery/v2/galleries/${galleryId}/items/${target.id}`,
								);
							});
						} else {
							batch.push(async () => {
								await control('DELETE', `/_sandbox/external/media/${target.id}`);
							});
						}
					}
					counts[onWix ? 'wix' : 'external'][kind]++;
				}
				await Promise.all(batch.map((change) => change()));
				applied += batch.length;
				await settle();
			}

			expect(workflow.failures).toEqual([]);
			const wixItems = await listWixItems(galleryId);
			const external = await control<ExternalMedia[]>('GET', '/_sandbox/external/media');
			const wixSide = await Promise.all(
				wixItems.map(async (item) => `${item.title} ${await sha256Of(item.image?.imageInfo?.url)}`),
			);
			const externalSide = external.map((media) => `${media.caption} ${media.sha256}`);
			expect(wixSide.length).toBeGreaterThan(10);
			// Equal content and titles on both sides, and no duplicates on either.
			expect([...wixSide].sort()).toEqual([...externalSide].sort());
			expect(new Set(wixSide).size).toBe(wixSide.length);
			expect(new Set(externalSide).size).toBe(externalSide.length);

			// Writes the sync made: every request that changed an item on either side, less the simulated Wix user's.
			const requests = await sandbox.control.requests();
			const writes = requests.filter(
				(request) =>
					request.method !== 'GET' &&
					(/^\/(pro-gallery|progallery)\/v2\/galleries\/[^/]+\/items/.test(request.path) ||
						/^\/external\/v1\/media/.test(request.path)),
			);
			const syncWrites = writes.length - userWixWrites;
			expect(syncWrites).toBeLessThanOrEqual(CHANGES);
			expect(syncWrites).toBeGreaterThan(CHANGES * 0.9);

			// The mapping holds exactly the synced pairs.
			const mapping = (
				((workflow.savedStaticData.global as IDataObject).wixGallerySync as IDataObject)[
					'gallery-sync'
				] as IDataObject
			).links as Record<string, IDataObject>;
			const liveLinks = Object.values(mapping).filter((link) => !link.removed);
			expect(liveLinks).toHaveLength(wixItems.length);
			expect(new Set(liveLinks.map((link) => link.wixItemId))).toEqual(
				new Set(wixItems.map((item) => item.id)),
			);
			expect(new Set(liveLinks.map((link) => link.externalId))).toEqual(
				new Set(external.map((media) => media.id)),
			);

			const deliveries = await sandbox.control.webhooks();
			process.stdout.write(
				`simulation: ${CHANGES} changes (Wix ${JSON.stringify(counts.wix)}, platform ${JSON.stringify(counts.external)}); ` +
					`${workflow.executions} executions from ${deliveries.length} Wix deliveries (duplicated) and the platform's notifications; ` +
					`sync writes ${syncWrites}; final items ${wixItems.length} per side; static data saves ${workflow.saves}\n`,
			);
		} finally {
			await sandbox.control.setWebhookTarget(null);
			await control('PUT', '/_sandbox/external/webhook-target', { url: null });
			await wixReceiver.close();
			await platformReceiver.close();
		}
	}, 180_000);

	async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${sandbox.baseUrl}${path}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	async function listWixItems(galleryId: string): Promise<WixItem[]> {
		const items: WixItem[] = [];
		for (let offset = 0; ; offset += 100) {
			const page = await wixCall<{ items: WixItem[] }>(
				sandbox,
				'GET',
				`/pro-gallery/v2/galleries/${galleryId}/items?itemOffset=${offset}&itemLimit=100`,
			);
			items.push(...page.items);
			if (page.items.length < 100) return items;
		}
	}

	async function sha256Of(url: string | undefined): Promise<string> {
		if (!url) return 'no-media';
		const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
		return createHash('sha256').update(bytes).digest('hex');
	}
});

/** A small deterministic generator (mulberry32), so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = Math.imul(state ^ (state >>> 15), 1 | state);
		value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
}

describe('example workflows', () => {
	const EXAMPLES = [
		'1-share-pro-gallery.json',
		'2-two-way-sync.json',
		'3-most-liked-to-telegram.json',
	];
	const N8N_BASE_TYPES = [
		'n8n-nodes-base.manualTrigger',
		'n8n-nodes-base.httpRequest',
		'n8n-nodes-base.webhook',
		'n8n-nodes-base.if',
		'n8n-nodes-base.splitInBatches',
		'n8n-nodes-base.stickyNote',
		'n8n-nodes-base.telegram',
		'n8n-nodes-base.linkedIn',
		'n8n-nodes-base.facebookGraphApi',
	];
	// The names README.md gives and scripts/n8n-instance.mjs creates.
	const CREDENTIAL_NAMES: Record<string, string> = {
		wixGalleryApi: 'Wix sandbox (API key)',
		wixGalleryOAuth2Api: 'Wix sandbox (app)',
		httpBearerAuth: 'External platform sandbox (bearer token)',
		wixGalleryN8nApi: 'This n8n (API key for the sync mapping)',
		telegramApi: 'Telegram sandbox (bot token)',
		linkedInOAuth2Api: 'LinkedIn sandbox (OAuth2, connected)',
		facebookGraphApi: 'Facebook Graph API sandbox (Instagram)',
	};
	test.each(EXAMPLES)('%s is an importable workflow whose parameters the nodes know', (file) => {
		const example = readExample(file);
		// Every sandbox address belongs in a credential: the workflow names only platforms' public hosts.
		expect(JSON.stringify(example)).not.toMatch(
			/localhost|127\.0\.0\.1|:5880|\/_sandbox|\/external\/v1/,
		);
		const packageNodes = new HarnessNodeTypes();
		const trigger = (packageExports as Record<string, unknown>).WixGalleryTrigger as
			| (new () => INodeType)
			| undefined;
		if (trigger && !packageNodes.has(packageNodeType('wixGalleryTrigger'))) {
			packageNodes.add(packageNodeType('wixGalleryTrigger'), new trigger());
		}
		const names = new Set(example.nodes.map((node) => node.name));
		expect(names.size).toBe(example.nodes.length);
		for (const node of example.nodes) {
			expect(typeof node.id).toBe('string');
			for (const [type, reference] of Object.entries(node.credentials ?? {})) {
				expect(`${node.name}: ${reference.name}`).toBe(`${node.name}: ${CREDENTIAL_NAMES[type]}`);
			}
			if (N8N_BASE_TYPES.includes(node.type)) continue;
			expect(node.type.startsWith('n8n-nodes-wix-gallery.')).toBe(true);
			if (!packageNodes.has(node.type)) continue; // the trigger, while it is not exported yet
			const description = (packageNodes.getByName(node.type) as INodeType).description;
			const properties = description.properties;
			for (const [name, value] of Object.entries(node.parameters)) {
				const matching = properties.filter((property) => property.name === name);
				expect(`${node.name}.${name}: ${matching.length > 0}`).toBe(`${node.name}.${name}: true`);
				const optionValues = matching.flatMap((property) =>
					property.type === 'options'
						? (property.options ?? []).map((option) => (option as { value: unknown }).value)
						: [],
				);
				if (optionValues.length && !(typeof value === 'string' && value.startsWith('='))) {
					expect(optionValues).toContain(value);
				}
			}
		}
		for (const [from, connection] of Object.entries(example.connections)) {
			expect(names.has(from)).toBe(true);
			for (const output of connection.main ?? []) {
				for (const target of output ?? []) expect(names.has(target.node)).toBe(true);
			}
		}
	});

	// Examples 1 and 3 post with n8n's own LinkedIn, Facebook Graph API and Telegram nodes, which this harness does
	// not have: they run in real n8n (test/e2e/examples.e2e.ts, test/e2e/faults.e2e.ts, npm run demo -- --check).
});
