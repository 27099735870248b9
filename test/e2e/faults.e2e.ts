/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { join } from 'node:path';

import { sleep } from '../../scripts/n8n-client.cjs';
import {
	FaultTally,
	clearFaults,
	describeRequests,
	executionFailure,
	expireTokens,
	externalMedia,
	faulted,
	injectFault,
	patchSandboxConfig,
	pendingFaults,
	reachedHandler,
	requestLog,
	requestMark,
	requestsSince,
	settleDeliveries,
	silenceWebhooks,
} from '../support/e2e/faults';
import type { ExternalMedia, RequestLogEntry } from '../support/e2e/faults';
import type { N8nExecution, N8nWorkflow } from '../support/e2e/n8n';
import {
	E2E_DIR,
	credentialRef,
	download,
	e2eInstance,
	forgetInMappingTable,
	manualWorkflow,
	mappingTableLinks,
	n8n,
	nodeOutput,
	packageNodeType,
	sandboxControl,
	sha256,
} from '../support/e2e/n8n';
import { allExecutions, createImageItem, seededImage } from '../support/e2e/webhooks';

// The fault suite: the three example workflows in real n8n while the sandbox injects 429s with Retry-After, 5xx
// bursts, latency, expired tokens and expired download URLs. Recoverable faults must leave the right result with no
// create duplicated; unrecoverable ones must end in an error that names the cause. Every faulted response is
// tallied and written to test-output/e2e/faults.json.

const TALLY_FILE = join(E2E_DIR, 'faults.json');

const EXAMPLE_1 = '1-share-pro-gallery.json';
const EXAMPLE_2 = '2-two-way-sync.json';
const EXAMPLE_3 = '3-most-liked-to-telegram.json';

const ITEMS = '^/progallery/v2/galleries/[^/]+/items$';
const IMPORT = '^/site-media/v1/files/import$';
const FILE = '^/site-media/v1/files/get-file-by-id$';
const WIX_MEDIA = '^/media/[^/]+$';
const QUERY = '^/shared-gallery/v1/items/query$';
const DOWNLOAD_URL = '^/shared-gallery/v1/items/download-url$';
const ARCHIVE = '^/shared-gallery-files/download/';
const TOKEN = '^/oauth2/token$';

interface GalleryItem {
	id: string;
	title?: string;
	type?: string;
	tags?: { values?: string[] };
	image?: { imageInfo?: { url?: string } };
}

interface SharedItem {
	id: string;
	createdBy: string;
	type: string;
	name: string;
	likeCount: number;
}

interface StoredLink {
	wixItemId: string | null;
	externalId: string | null;
	fields: Record<string, unknown>;
	removed: boolean;
}

const tally = new FaultTally();
const created: N8nWorkflow[] = [];
let fileMark = 0;
let mark = 0;
let restoreConfig: Array<() => Promise<void>> = [];

function example(file: string): { id: string; name: string } {
	const found = e2eInstance().workflows.find((workflow) => workflow.file.endsWith(file));
	if (!found?.id) throw new Error(`example ${file} was not imported`);
	return { id: found.id, name: found.name };
}

/** A copy of an example whose Wix nodes use the app (OAuth) credential instead of the API key. */
async function oauthCopy(file: string): Promise<N8nWorkflow> {
	const original = await n8n().getWorkflow(example(file).id);
	const nodes = original.nodes.map((node) =>
		node.credentials?.wixGalleryApi
			? {
					...node,
					parameters: { ...node.parameters, authentication: 'oAuth2' },
					credentials: credentialRef('wixGalleryOAuth2Api'),
				}
			: node,
	);
	const copy = await n8n().createWorkflow({
		name: `${original.name} (app credential, fault suite)`,
		nodes,
		connections: original.connections,
		settings: original.settings,
	});
	created.push(copy);
	return copy;
}

async function configFor(patch: Parameters<typeof patchSandboxConfig>[0]): Promise<void> {
	restoreConfig.push(await patchSandboxConfig(patch));
}

async function galleries(): Promise<Array<{ id: string; items?: GalleryItem[] }>> {
	const state = await sandboxControl<{
		proGallery: { galleries: Array<{ id: string; items?: GalleryItem[] }> };
	}>('GET', 'state');
	return state.proGallery.galleries;
}

async function galleryItems(galleryId: string): Promise<GalleryItem[]> {
	return (await galleries()).find((gallery) => gallery.id === galleryId)?.items ?? [];
}

async function wixItemCount(): Promise<number> {
	return (await galleries()).reduce((sum, gallery) => sum + (gallery.items?.length ?? 0), 0);
}

function newMedia(before: ExternalMedia[], after: ExternalMedia[]): ExternalMedia[] {
	const known = new Set(before.map((media) => media.id));
	return after.filter((media) => !known.has(media.id));
}

interface PlatformRecords {
	linkedin: {
		posts: Array<{ seq: number; mediaTitle: string | null; image: { sha256: string } | null }>;
	};
	instagram: {
		media: Array<{ seq: number; caption: string; imageUrl: string; file: { sha256: string } }>;
	};
	telegram: {
		messages: Array<{
			seq: number;
			caption: string | null;
			attachment: string | null;
			file: { sha256: string; size: number } | null;
		}>;
	};
}

/** What the emulated LinkedIn, Instagram and Telegram have received (the posts of examples 1 and 3). */
async function platformRecords(): Promise<PlatformRecords> {
	const [linkedin, instagram, telegram] = await Promise.all(
		['linkedin', 'instagram', 'telegram'].map(async (name) => await sandboxControl('GET', name)),
	);
	return { linkedin, instagram, telegram } as PlatformRecords;
}

/** The records received since `before`. */
function postedSince(before: PlatformRecords, after: PlatformRecords) {
	const since = <T extends { seq: number }>(list: T[], old: T[]): T[] => {
		const last = Math.max(0, ...old.map((record) => record.seq));
		return list.filter((record) => record.seq > last);
	};
	return {
		linkedInPosts: since(after.linkedin.posts, before.linkedin.posts),
		instagramMedia: since(after.instagram.media, before.instagram.media),
		telegramMessages: since(after.telegram.messages, before.telegram.messages),
	};
}

async function nothingPostedSince(before: PlatformRecords): Promise<void> {
	const posted = postedSince(before, await platformRecords());
	expect(posted).toEqual({ linkedInPosts: [], instagramMedia: [], telegramMessages: [] });
}

/**
 * The scenario's faulted responses, checked against `expected` and recorded in the tally: surfaced when the scenario
 * ended in `failed`, recovered otherwise. Returns every request of the scenario.
 */
async function account(
	scenario: string,
	expected: string[],
	failed?: N8nExecution,
): Promise<RequestLogEntry[]> {
	const requests = await requestsSince(mark);
	const faults = faulted(requests);
	expect(describeRequests(faults)).toEqual([...expected].sort());
	// Every fault the scenario injected met a request.
	expect(await pendingFaults()).toEqual([]);
	if (failed) tally.record(scenario, 'surfaced', faults, executionFailure(failed).message);
	else tally.record(scenario, 'recovered', faults);
	return requests;
}

function count(requests: RequestLogEntry[], method: string, path: string): number {
	const pattern = new RegExp(path);
	return requests.filter((entry) => entry.method === method && pattern.test(entry.path)).length;
}

/** Milliseconds between a request and the next one to the same path (a retry). */
function retryGap(requests: RequestLogEntry[], path: string): number {
	const pattern = new RegExp(path);
	const [first, second] = requests.filter((entry) => pattern.test(entry.path));
	return Date.parse(second.time) - Date.parse(first.time);
}

function durationMs(execution: N8nExecution): number {
	return Date.parse(execution.stoppedAt ?? '') - Date.parse(execution.startedAt);
}

beforeAll(async () => {
	// The app credential gets its first token here, so that expiring tokens later always meets a stored one.
	const warmUp = await n8n().createWorkflow(
		manualWorkflow('e2e faults: app credential warm-up', [
			{
				name: 'List Galleries',
				type: packageNodeType('wixProGallery'),
				parameters: {
					authentication: 'oAuth2',
					resource: 'gallery',
					operation: 'getAll',
					returnAll: false,
					limit: 1,
				},
				credentials: credentialRef('wixGalleryOAuth2Api'),
			},
		]),
	);
	created.push(warmUp);
	const execution = await n8n().runWorkflow(warmUp.id);
	expect(execution.status).toBe('success');
	await settleDeliveries();
	await clearFaults();
	fileMark = await requestMark();
});

beforeEach(async () => {
	mark = await requestMark();
});

afterEach(async () => {
	await clearFaults();
	for (const restore of restoreConfig.reverse()) await restore();
	restoreConfig = [];
});

function closingCounts(entries: RequestLogEntry[]) {
	const injected = faulted(entries.filter((entry) => entry.seq > fileMark));
	return {
		injected: injected.length,
		recovered: tally.count('recovered'),
		surfaced: tally.count('surfaced'),
		injectedFaults: describeRequests(injected),
	};
}

afterAll(async () => {
	const counts = closingCounts(await requestLog());
	process.stderr.write(`\n== fault suite tally\n${tally.table(counts.injected)}\n`);
	tally.write(TALLY_FILE, counts.injected, counts.injectedFaults);
	for (const workflow of created) await n8n().api('DELETE', `/workflows/${workflow.id}`);
});

describe('examples 1 and 3 (manual runs) under recoverable faults', () => {
	let webhooks: { restore(): Promise<void> };

	beforeAll(async () => {
		webhooks = await silenceWebhooks();
	});

	afterAll(async () => {
		await webhooks?.restore();
	});

	/** The gallery example 1 shares (picked in its Get Many, as the demo set-up stored it). */
	async function exampleGallery(): Promise<string> {
		const workflow = await n8n().getWorkflow(example(EXAMPLE_1).id);
		const getMany = workflow.nodes.find((node) => node.type === packageNodeType('wixProGallery'));
		return (getMany!.parameters.galleryId as { value: string }).value;
	}

	/**
	 * Example 1 posts only what its mappings do not know: before each run under faults, the gallery's items are
	 * taken out of both mappings, so that the run posts them all again.
	 */
	async function unshareExampleGallery(): Promise<string> {
		const galleryId = await exampleGallery();
		const ids = (await galleryItems(galleryId)).map((item) => item.id);
		await forgetInMappingTable('share-linkedin', ids);
		await forgetInMappingTable('share-instagram', ids);
		return galleryId;
	}

	/**
	 * Example 1's result: every image of the gallery on LinkedIn once, its bytes intact, and linked; the JPEG on
	 * Instagram once; the text item nowhere.
	 */
	async function expectGalleryShared(
		execution: N8nExecution,
		galleryId: string,
		before: PlatformRecords,
	) {
		expect(execution.status).toBe('success');
		const expectedItems = (await galleryItems(galleryId)).filter(
			(item) => item.image?.imageInfo?.url,
		);
		expect(expectedItems.length).toBeGreaterThan(0);
		const items = nodeOutput(execution, 'Get Gallery Items With Images').map((item) => item.json);
		expect(items.map((item) => item.id).sort()).toEqual(
			expectedItems.map((item) => item.id).sort(),
		);

		const { linkedInPosts, instagramMedia } = postedSince(before, await platformRecords());
		expect(linkedInPosts.map((post) => post.mediaTitle).sort()).toEqual(
			expectedItems.map((item) => item.title).sort(),
		);
		const links = nodeOutput(execution, 'Record LinkedIn Post').map((item) => item.json);
		expect(links).toHaveLength(expectedItems.length);
		for (const item of expectedItems) {
			const post = linkedInPosts.find((candidate) => candidate.mediaTitle === item.title);
			expect(post?.image?.sha256).toBe(sha256(await download(item.image!.imageInfo!.url!)));
			expect(links).toContainEqual(
				expect.objectContaining({ mapping: 'share-linkedin', wixItemId: item.id }),
			);
		}
		// The seed's one JPEG of a shape Instagram takes.
		expect(instagramMedia.map((media) => media.caption.split('\n')[0])).toEqual(['Studio session']);
		return { expectedCreates: expectedItems.length + 1 };
	}

	/** The query example 3 runs: its two members' visual media, most-liked first, 5 of them. */
	async function mostLikedOfExampleMembers(): Promise<SharedItem[]> {
		const workflow = await n8n().getWorkflow(example(EXAMPLE_3).id);
		// By its member filter: n8n leaves default values (the operation, Query) out of a saved workflow.
		const query = workflow.nodes.find(
			(node) => (node.parameters.filters as { createdBy?: unknown } | undefined)?.createdBy,
		);
		const members = (
			query!.parameters.filters as { createdBy: { members: Array<{ member: { value: string } }> } }
		).createdBy.members.map((entry) => entry.member.value);
		const state = await sandboxControl<{ sharedGallery: { items: SharedItem[] } }>('GET', 'state');
		return state.sharedGallery.items
			.filter((item) => item.type === 'VISUAL_MEDIA' && members.includes(item.createdBy))
			.sort((a, b) => b.likeCount - a.likeCount)
			.slice(0, 5);
	}

	/** Example 3's result: the 5 most-liked media in the channel once each, in order, with their bytes and likes. */
	async function expectMostLikedPosted(execution: N8nExecution, before: PlatformRecords) {
		expect(execution.status).toBe('success');
		const top5 = await mostLikedOfExampleMembers();
		const downloaded = nodeOutput(execution, 'Download the Media').map((item) => item.json);
		expect(downloaded.map((item) => item.itemId)).toEqual(top5.map((item) => item.id));

		const { telegramMessages } = postedSince(before, await platformRecords());
		expect(telegramMessages.map((message) => message.caption)).toEqual(
			top5.map((item) =>
				expect.stringMatching(`^${item.name} by .+ \\(${item.likeCount} likes\\)$`),
			),
		);
		for (const [index, item] of top5.entries()) {
			const checksum = await sandboxControl<{ sha256: string; size: number }>(
				'GET',
				`shared-gallery/media/${item.id}/checksum`,
			);
			expect(telegramMessages[index].file).toMatchObject({
				sha256: checksum.sha256,
				size: checksum.size,
			});
		}
		return { expectedCreates: top5.length };
	}

	test('example 1 (API key): 429 Retry-After 1, a 500/502/503 burst and a slow answer on the Wix reads', async () => {
		await injectFault({ method: 'GET', path: ITEMS, status: 429, retryAfter: 1 });
		await injectFault({ method: 'GET', path: ITEMS, status: 500, skip: 1 });
		await injectFault({ method: 'GET', path: ITEMS, status: 502, skip: 2 });
		await injectFault({ method: 'GET', path: ITEMS, status: 503, skip: 3 });
		await injectFault({ method: 'GET', path: ITEMS, latencyMs: 1500, skip: 4 });
		const galleryId = await unshareExampleGallery();
		const before = await platformRecords();
		const wixItemsBefore = await wixItemCount();

		const execution = await n8n().runWorkflow(example(EXAMPLE_1).id);

		await expectGalleryShared(execution, galleryId, before);
		const requests = await account('example 1, API key', [
			'GET items 429 (fault)',
			'GET items 500 (fault)',
			'GET items 502 (fault)',
			'GET items 503 (fault)',
			'GET items 200 (fault)',
		]);
		// The retry after the 429 waited the second Wix asked for.
		expect(retryGap(requests, ITEMS)).toBeGreaterThanOrEqual(1000);
		expect(await wixItemCount()).toBe(wixItemsBefore);
	});

	// Example 1 reads Wix in one call (Get Many; its media are public URLs), and n8n refreshes a token once per call:
	// a token expiring again while that call is held is example 3's case (two Wix nodes), below.
	test('example 1 (app credential): a token expired before the run, and a 502 on the read', async () => {
		const workflow = await oauthCopy(EXAMPLE_1);
		await injectFault({ method: 'GET', path: ITEMS, status: 502 });
		const galleryId = await unshareExampleGallery();
		expect(await expireTokens()).toBeGreaterThan(0);
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(workflow.id);

		await expectGalleryShared(execution, galleryId, before);
		const requests = await account('example 1, app credential', [
			'GET items 502 (fault)',
			'GET items 401',
		]);
		// n8n fetched a fresh token after the 401, and only then.
		expect(
			describeRequests(requests.filter((entry) => new RegExp(TOKEN).test(entry.path))),
		).toEqual(['POST token 200']);
	});

	test('example 3 (API key): 429 Retry-After 1 and latency on the query, a 502 on the download URL, an expired archive link', async () => {
		// The delayed archive fetch arrives after its 1 s link has expired, as a link fetched too late would.
		await configFor({ downloadUrlTtlSeconds: 1 });
		await injectFault({ method: 'POST', path: QUERY, status: 429, retryAfter: 1 });
		await injectFault({ method: 'POST', path: QUERY, latencyMs: 1500, skip: 1 });
		await injectFault({ method: 'POST', path: DOWNLOAD_URL, status: 502 });
		await injectFault({ method: 'GET', path: ARCHIVE, latencyMs: 1500 });
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(example(EXAMPLE_3).id);

		await expectMostLikedPosted(execution, before);
		const requests = await account('example 3, API key', [
			'POST query 429 (fault)',
			'POST query 200 (fault)',
			'POST download-url 502 (fault)',
			'GET archive 410 (fault)',
		]);
		// One fresh link after the expired one, and no second archive fetch beyond it.
		expect(count(requests, 'POST', DOWNLOAD_URL)).toBe(3);
		expect(
			describeRequests(requests.filter((entry) => /^\/shared-gallery-files\//.test(entry.path))),
		).toEqual(['GET archive 200', 'GET archive 410 (fault)']);
	});

	test('example 3 (app credential): an expired token before the run, and a 1 s token outlived by a slow call', async () => {
		const workflow = await oauthCopy(EXAMPLE_3);
		await configFor({ tokenTtlSeconds: 1 });
		await injectFault({ method: 'POST', path: DOWNLOAD_URL, latencyMs: 1500 });
		expect(await expireTokens()).toBeGreaterThan(0);
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(workflow.id);

		await expectMostLikedPosted(execution, before);
		const requests = await account('example 3, app credential', [
			'POST query 401',
			'POST download-url 401 (fault)',
		]);
		expect(count(requests, 'POST', TOKEN)).toBe(2);
	});
});

describe('example 2 (active, production webhooks) under faults', () => {
	let workflowId: string;
	let galleryId: string;

	beforeAll(async () => {
		workflowId = example(EXAMPLE_2).id;
		const { webhookTargets } = e2eInstance();
		expect(webhookTargets.wix?.workflowId).toBe(workflowId);
		expect(webhookTargets.external?.workflowId).toBe(workflowId);
		const saved = await n8n().getWorkflow(workflowId);
		const createNode = saved.nodes.find((node) => node.name === 'Create Wix Item');
		galleryId = String((createNode?.parameters.galleryId as { value?: unknown }).value);
		await settleDeliveries();
	});

	async function links(): Promise<StoredLink[]> {
		return (await mappingTableLinks('gallery-sync')).filter((link) => !link.removed);
	}

	/** Waits for the deliveries to end and for `count` new executions, then checks that no more start. */
	async function newExecutions(known: Set<string>, expected: number): Promise<N8nExecution[]> {
		await settleDeliveries();
		const deadline = Date.now() + 60000;
		for (;;) {
			const fresh = (await allExecutions(workflowId)).filter(
				(execution) => !known.has(execution.id),
			);
			const settled = fresh.every(
				(execution) => !['running', 'new', 'waiting'].includes(execution.status),
			);
			if (fresh.length >= expected && settled) break;
			if (Date.now() > deadline)
				throw new Error(`${fresh.length} of ${expected} executions after 60 s`);
			await sleep(200);
		}
		await sleep(1500);
		await settleDeliveries();
		const fresh = (await allExecutions(workflowId)).filter((execution) => !known.has(execution.id));
		return await Promise.all(
			fresh.map(async (execution) => await n8n().getExecution(execution.id)),
		);
	}

	async function knownExecutions(): Promise<Set<string>> {
		return new Set((await allExecutions(workflowId)).map((execution) => execution.id));
	}

	async function postOnPlatform(caption: string): Promise<ExternalMedia> {
		return await sandboxControl<ExternalMedia>('POST', 'external/media', {
			caption,
			width: 80,
			height: 60,
		});
	}

	function taggedWith(items: GalleryItem[], externalId: string): GalleryItem[] {
		return items.filter((item) => item.tags?.values?.includes(`ext:${externalId}`));
	}

	test('platform → Wix: 429 on the import and on the item create, a 503/500 burst on the processing poll', async () => {
		await injectFault({ method: 'POST', path: IMPORT, status: 429, retryAfter: 1 });
		await injectFault({ method: 'GET', path: FILE, status: 503 });
		await injectFault({ method: 'GET', path: FILE, status: 500, skip: 1 });
		await injectFault({ method: 'POST', path: ITEMS, status: 429, retryAfter: 1 });
		const known = await knownExecutions();
		const itemsBefore = await galleryItems(galleryId);
		const caption = `fault suite platform ${Date.now()}`;

		const posted = await postOnPlatform(caption);
		// The platform branch, then the Wix trigger's execution for the item it created (dropped as an echo).
		const executions = await newExecutions(known, 2);

		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
		const itemsAfter = await galleryItems(galleryId);
		const createdItems = taggedWith(itemsAfter, posted.id);
		expect(createdItems).toEqual([expect.objectContaining({ title: caption })]);
		expect(itemsAfter).toHaveLength(itemsBefore.length + 1);
		expect(await links()).toContainEqual(
			expect.objectContaining({
				wixItemId: createdItems[0].id,
				externalId: posted.id,
				fields: { title: caption },
			}),
		);
		// The echo created nothing back on the platform.
		expect((await externalMedia()).filter((media) => media.caption === caption)).toHaveLength(1);
		const requests = await account('example 2, platform → Wix', [
			'POST import 429 (fault)',
			'GET file 503 (fault)',
			'GET file 500 (fault)',
			'POST items 429 (fault)',
		]);
		expect(count(reachedHandler(requests), 'POST', ITEMS)).toBe(1);
		expect(count(reachedHandler(requests), 'POST', IMPORT)).toBe(1);
	});

	test('Wix → platform: the Wix media fetch inside the workflow is slow', async () => {
		await injectFault({ method: 'GET', path: WIX_MEDIA, latencyMs: 1500 });
		const known = await knownExecutions();
		const platformBefore = await externalMedia();
		const wixItemsBefore = await wixItemCount();
		const title = `fault suite wix ${Date.now()}`;

		const item = await createImageItem(galleryId, title, await seededImage());
		// The Wix branch, then the platform webhook's execution for the media it created (dropped as an echo).
		const executions = await newExecutions(known, 2);

		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
		const added = newMedia(platformBefore, await externalMedia());
		expect(added).toEqual([expect.objectContaining({ caption: title })]);
		const mediaUrl = (item.image as { imageInfo?: { url?: string } }).imageInfo?.url;
		expect(added[0].sha256).toBe(sha256(await download(String(mediaUrl))));
		expect(await wixItemCount()).toBe(wixItemsBefore + 1);
		expect(await links()).toContainEqual(
			expect.objectContaining({ wixItemId: item.id, externalId: added[0].id, fields: { title } }),
		);
		const requests = await account('example 2, Wix → platform', ['GET media 200 (fault)']);
		expect(count(reachedHandler(requests), 'POST', '^/external/v1/media$')).toBe(1);
	});

	test('platform → Wix: a 500 on the item create is not retried and fails with Wix’s status and request id', async () => {
		await injectFault({ method: 'POST', path: ITEMS, status: 500 });
		const known = await knownExecutions();
		const itemsBefore = await galleryItems(galleryId);

		const posted = await postOnPlatform(`fault suite create 500 ${Date.now()}`);
		const executions = await newExecutions(known, 1);

		expect(executions.map((execution) => execution.status)).toEqual(['error']);
		const requests = await account(
			'example 2, 500 on create',
			['POST items 500 (fault)'],
			executions[0],
		);
		const creates = requests.filter(
			(entry) => entry.method === 'POST' && new RegExp(ITEMS).test(entry.path),
		);
		expect(creates).toHaveLength(1);
		const failure = executionFailure(executions[0]);
		expect(failure.node).toBe('Create Wix Item');
		expect(failure.message).toBe('Wix API error 500: Wix had an internal error');
		expect(failure.description).toContain(
			'Not retried automatically, because Wix may already have carried it out: the outcome is unknown. Check in Wix',
		);
		expect(failure.description).toContain(`Wix request ID: ${creates[0].requestId}`);
		expect(taggedWith(await galleryItems(galleryId), posted.id)).toEqual([]);
		expect(await galleryItems(galleryId)).toHaveLength(itemsBefore.length);
		// Filter Echoes' announcement of the create may stay until its echo window ends; nothing got linked.
		expect(
			(await links()).filter((link) => link.externalId === posted.id && link.wixItemId !== null),
		).toEqual([]);
	});
});

describe('unrecoverable faults in the manual examples end in a clear error', () => {
	let webhooks: { restore(): Promise<void> };

	beforeAll(async () => {
		webhooks = await silenceWebhooks();
	});

	afterAll(async () => {
		await webhooks?.restore();
	});

	test('example 1: a Retry-After beyond the policy’s cap fails at once and says how long Wix asked to wait', async () => {
		await injectFault({ method: 'GET', path: ITEMS, status: 429, retryAfter: 300 });
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(example(EXAMPLE_1).id);

		expect(execution.status).toBe('error');
		const failure = executionFailure(execution);
		expect(failure.node).toBe('Get Gallery Items With Images');
		expect(failure.message).toBe('Wix API error 429: Too Many Requests');
		expect(failure.description).toContain('Wix asked to wait 300 s before retrying');
		// One request and no retry: the failure did not wait for the 300 s.
		const requests = await account(
			'example 1, Retry-After 300 s',
			['GET items 429 (fault)'],
			execution,
		);
		expect(count(requests, 'GET', ITEMS)).toBe(1);
		await nothingPostedSince(before);
	});

	test('example 1: 429 on every attempt gives up after 5 attempts and says so', async () => {
		await injectFault({ method: 'GET', path: ITEMS, status: 429, retryAfter: 1, count: 5 });
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(example(EXAMPLE_1).id);

		expect(execution.status).toBe('error');
		const failure = executionFailure(execution);
		expect(failure.node).toBe('Get Gallery Items With Images');
		expect(failure.message).toBe('Wix API error 429: Too Many Requests');
		expect(failure.description).toContain('Wix is rate-limiting these requests');
		expect(failure.description).toContain('Attempts: 5');
		// Each retry waited the second Wix asked for.
		expect(durationMs(execution)).toBeGreaterThanOrEqual(4000);
		await account(
			'example 1, 429 on every attempt',
			Array(5).fill('GET items 429 (fault)'),
			execution,
		);
		await nothingPostedSince(before);
	});

	test('example 3: a download link that is expired, and expired again when asked afresh, fails saying so', async () => {
		await configFor({ downloadUrlTtlSeconds: 0 });
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(example(EXAMPLE_3).id);

		expect(execution.status).toBe('error');
		const failure = executionFailure(execution);
		expect(failure.node).toBe('Download the Media');
		expect(failure.message).toBe(
			'The Wix download link expired before the download started, also after asking for a fresh one',
		);
		expect(failure.description).toContain('Both links answered 410 (expired)');
		const requests = await account(
			'example 3, link expired twice',
			['GET archive 410', 'GET archive 410'],
			execution,
		);
		expect(count(requests, 'POST', DOWNLOAD_URL)).toBe(2);
		await nothingPostedSince(before);
	});

	test('example 3 (app credential): the token endpoint failing ends in a credential error', async () => {
		const workflow = await oauthCopy(EXAMPLE_3);
		await injectFault({ method: 'POST', path: TOKEN, status: 503 });
		expect(await expireTokens()).toBeGreaterThan(0);
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(workflow.id);

		expect(execution.status).toBe('error');
		const failure = executionFailure(execution);
		expect(failure.node).toBe('Find 5 Most-Liked Media of Two Members');
		expect(failure.message).toContain('Wix did not issue an access token (HTTP 503');
		await account(
			'example 3, token endpoint down',
			['POST query 401', 'POST token 503 (fault)'],
			execution,
		);
		await nothingPostedSince(before);
	});
});

test('the tally adds up: every faulted response was recovered from or surfaced', async () => {
	const counts = closingCounts(await requestLog());
	expect(counts.injected).toBeGreaterThan(0);
	expect(counts.recovered).toBeGreaterThan(0);
	expect(counts.surfaced).toBeGreaterThan(0);
	expect(counts.injected).toBe(counts.recovered + counts.surfaced);
	expect(counts.injectedFaults).toEqual(tally.rows.flatMap((row) => row.faults).sort());
});
