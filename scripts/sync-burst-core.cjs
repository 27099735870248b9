// The proof for "one sync mapping in every n8n process": example 2 (two-way sync) under a burst, measured.
// Runs example 1 (sharing a gallery to LinkedIn and Instagram, beside the sync), then 50 + 50 concurrent creates (Wix and the external platform), 100 updates
// and 50 deletes mixed over both sides (in queue mode with a worker killed and restarted mid-burst), waits until
// quiet and counts lost links, echo writes, duplicates and failed executions. CommonJS so that the CLI
// (scripts/sync-burst.mjs) and the jest e2e test (test/e2e/syncBurst.e2e.ts) share it; types in sync-burst-core.d.cts.
'use strict';

const { sleep } = require('./n8n-client.cjs');

const MAPPING_TABLE = 'Wix Gallery Sync: gallery-sync';
// Requests the "user" makes on Wix carry this header, so that the sandbox's request log tells them from the sync's.
const USER_HEADER = 'x-sync-burst-actor';
const WIX_ITEMS = /^\/(?:pro-gallery|progallery)\/v2\/galleries\/[^/]+\/items(?:\/([^/]+))?$/;
const PLATFORM_MEDIA = /^\/external\/v1\/media(?:\/([^/]+))?$/;

/**
 * @param {object} options
 * @param {import('./n8n-client.cjs').N8nClient} options.client logged in, with the instance's API key
 * @param {{ baseUrl: string, credentials: { apiKey: string, siteId: string } }} options.sandbox
 * @param {Array<{ file: string, id?: string, manualTrigger?: string }>} options.workflows the imported examples
 * @param {string} [options.mode] a label: 'regular' or 'queue'
 * @param {(index: number, signal: string) => Promise<unknown>} [options.killWorker] queue mode: stop worker `index`
 * @param {'SIGTERM' | 'SIGKILL'} [options.killSignal] SIGTERM (default): n8n's graceful stop, the worker finishes
 *   what it holds; SIGKILL: a crash, whose jobs n8n 2.41.1 never re-runs (its Bull queue has maxStalledCount 0)
 * @param {(index: number) => Promise<unknown>} [options.restartWorker]
 * @param {{ creates?: number, updates?: number, deletes?: number }} [options.sizes] per burst (creates per side)
 * @param {(line: string) => void} [options.log]
 */
async function runSyncBurst(options) {
	const { client, sandbox, workflows } = options;
	const mode = options.mode ?? (options.killWorker ? 'queue' : 'regular');
	const log = options.log ?? (() => {});
	const sizes = { creates: 50, updates: 100, deletes: 50, ...options.sizes };
	const killSignal = options.killSignal ?? 'SIGTERM';
	const started = Date.now();
	const runId = Date.now().toString(36);

	const control = async (method, path, body) =>
		await sandboxCall(sandbox, method, `/_sandbox/${path}`, body);
	const wixUser = async (method, path, body) =>
		await sandboxCall(sandbox, method, path, body, {
			Authorization: sandbox.credentials.apiKey,
			'wix-site-id': sandbox.credentials.siteId,
			[USER_HEADER]: 'user',
		});

	const share = workflows.find((workflow) => workflow.file.endsWith('1-share-pro-gallery.json'));
	const sync = workflows.find((workflow) => workflow.file.endsWith('2-two-way-sync.json'));
	if (!sync?.id) throw new Error('example 2 (2-two-way-sync.json) was not imported');
	const workflowIds = [share?.id, sync.id].filter(Boolean);

	const executionsSql = `SELECT id, status FROM execution_entity WHERE "workflowId" IN (${workflowIds.map(() => '?').join(', ')}) AND id > ?`;
	const pendingSql = `SELECT id FROM execution_entity WHERE status IN ('new', 'running', 'waiting')`;
	const maxExecutionId = async () =>
		Number((await client.query('SELECT max(id) AS id FROM execution_entity'))[0]?.id ?? 0);

	/**
	 * Waits until both sandbox queues are delivered, the request log stands still and n8n has nothing new or running,
	 * for 2 s in a row. Executions that stay new/running while nothing else moves for 30 s are given up on (a killed
	 * worker's): they count as failed.
	 */
	async function settle(timeoutMs = 240000) {
		const deadline = Date.now() + timeoutMs;
		let quietSince = 0;
		let stuckSince = 0;
		let last = '';
		while (Date.now() < deadline) {
			await control('POST', 'webhooks/flush', { timeoutMs: 30000 });
			await control('POST', 'external/webhooks/flush');
			const pending = (await client.query(pendingSql)).map((row) => String(row.id)).sort();
			const now = `${await lastRequestSeq()} ${pending.join(',')}`;
			if (now === last) {
				quietSince ||= Date.now();
				if (pending.length === 0 && Date.now() - quietSince >= 2000) return true;
				if (pending.length > 0) {
					stuckSince ||= Date.now();
					if (Date.now() - stuckSince >= 30000) {
						log(
							`   ${pending.length} execution(s) stuck new/running: ${pending.slice(0, 10).join(', ')}`,
						);
						return false;
					}
				}
			} else {
				quietSince = 0;
				stuckSince = 0;
			}
			last = now;
			await sleep(500);
		}
		log(`   not quiet after ${timeoutMs / 1000} s`);
		return false;
	}
	async function lastRequestSeq() {
		const requests = await control('GET', 'requests');
		return requests.length ? requests[requests.length - 1].seq : 0;
	}
	async function snapshot() {
		const state = await control('GET', 'state');
		const galleries = state.proGallery?.galleries ?? [];
		return {
			galleries,
			wixItems: galleries.flatMap((gallery) =>
				(gallery.items ?? []).map((item) => ({ ...item, galleryId: gallery.id })),
			),
			media: state.externalPlatform?.media ?? [],
		};
	}
	async function liveLinks() {
		const tables = await client.api(
			'GET',
			`/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: MAPPING_TABLE }))}`,
		);
		const table = (tables.data ?? []).find((candidate) => candidate.name === MAPPING_TABLE);
		if (!table) return [];
		const rows = [];
		let cursor = '';
		do {
			const page = await client.api(
				'GET',
				`/data-tables/${table.id}/rows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			rows.push(...page.data);
			cursor = page.nextCursor ?? '';
		} while (cursor);
		return rows.filter(
			(row) => row.removed === false || row.removed === 0 || row.removed === 'false',
		);
	}

	// Example 2's own webhooks receive both sides' notifications: other runs borrow the targets, and the set-up
	// may have missed one that n8n registered a moment late.
	const registered = await client.registeredWebhooks();
	const webhookOf = (node) =>
		registered.find(
			(webhook) =>
				webhook.workflowId === sync.id && webhook.node === node && webhook.method === 'POST',
		);
	const wixTarget = webhookOf('Wix Gallery Trigger');
	const platformTarget = webhookOf('Platform Webhook');
	if (!wixTarget || !platformTarget)
		throw new Error(
			`example 2's webhooks are not registered (Wix: ${Boolean(wixTarget)}, platform: ${Boolean(platformTarget)})`,
		);
	await control('PUT', 'webhook-target', { url: wixTarget.url });
	await control('PUT', 'external/webhook-target', { url: platformTarget.url, maxAttempts: 3 });

	// --- baseline and example 1 --------------------------------------------------------------------------------
	log(`== sync burst (${mode}): settling before the run`);
	await settle();
	const baseline = await snapshot();
	const sharedGallery = baseline.galleries[0];
	if (!sharedGallery) throw new Error('the sandbox has no gallery');
	const image = baseline.wixItems.find((item) => item.type === 'IMAGE' && item.image)?.image;
	if (!image) throw new Error('the sandbox has no image item to copy an image block from');
	const baselineWix = new Set(baseline.wixItems.map((item) => item.id));
	const baselineMedia = new Set(baseline.media.map((media) => media.id));
	const firstExecution = await maxExecutionId();
	const firstSeq = await lastRequestSeq();

	let example1 = 'not imported';
	// Example 1 shares a gallery to LinkedIn and Instagram, in mappings of its own: it runs here as a manual
	// workflow beside the burst, and the gallery-sync mapping starts with no link (no item was shared before).
	const sharedCount = 0;
	if (share?.id && share.manualTrigger) {
		const execution = await client.runWorkflow(share.id, {
			triggerName: share.manualTrigger,
			timeoutMs: 180000,
		});
		example1 = execution.status;
		log(`== example 1 (share a gallery to LinkedIn and Instagram): ${execution.status}`);
	}
	const afterExample1Seq = await lastRequestSeq();
	await settle();
	const burstSeq = await lastRequestSeq();
	// Example 1's phase: its uploads were wanted; any other write (the sync reacting to them) was not.
	const example1Phase = (await requestsSince(control, firstSeq)).filter(
		(entry) => entry.seq <= burstSeq,
	);
	const example1Uploads = example1Phase.filter(
		(entry) =>
			entry.seq <= afterExample1Seq && writeKind(entry) === 'platformCreate' && entry.status < 300,
	).length;
	const example1Echo =
		example1Phase.filter((entry) => writeKind(entry) && entry.status < 300).length -
		example1Uploads;

	// --- creates ----------------------------------------------------------------------------------------------
	const userChanges = {
		wixCreate: 0,
		wixUpdate: 0,
		wixDelete: 0,
		platformCreate: 0,
		platformUpdate: 0,
		platformDelete: 0,
	};
	const createdOnWix = [];
	const createdOnPlatform = [];
	log(
		`== ${sizes.creates} + ${sizes.creates} concurrent creates${options.killWorker ? `, worker 1 killed (${killSignal}) mid-burst` : ''}`,
	);
	const burstStarted = Date.now();
	const creates = [];
	for (let index = 0; index < sizes.creates; index++) {
		creates.push(
			wixUser('POST', `/pro-gallery/v2/galleries/${sharedGallery.id}/items`, {
				item: { title: `burst ${runId} wix ${index}`, image },
			}).then((answer) => {
				createdOnWix.push(answer.item.id);
				userChanges.wixCreate++;
			}),
			control('POST', 'external/media', {
				caption: `burst ${runId} platform ${index}`,
				width: 64 + (index % 16),
				height: 48,
			}).then((media) => {
				createdOnPlatform.push(media.id);
				userChanges.platformCreate++;
			}),
		);
	}
	let killed;
	if (options.killWorker) {
		// Mid-burst: once the first executions run.
		killed = (async () => {
			const deadline = Date.now() + 15000;
			while (Date.now() < deadline) {
				const running = Number(
					(
						await client.query(
							`SELECT count(*) AS n FROM execution_entity WHERE status = 'running' AND id > ?`,
							[firstExecution],
						)
					)[0]?.n ?? 0,
				);
				if (running >= 2) break;
				await sleep(100);
			}
			await options.killWorker(0, killSignal);
			log(`   worker 1 killed (${killSignal})`);
			await sleep(2000);
			const restarted = await options.restartWorker(0);
			log(
				`   worker 1 restarted${restarted?.bootMs ? ` in ${(restarted.bootMs / 1000).toFixed(1)} s` : ''}`,
			);
		})();
	}
	await Promise.all(creates);
	await killed;
	await settle();
	const createsMs = Date.now() - burstStarted;

	// Pairs: each created item with its counterpart, from the mapping, else from the back-references.
	const counterpart = async () => {
		const links = await liveLinks();
		const state = await snapshot();
		const byWix = new Map(links.map((row) => [row.wixItemId, row.externalId]));
		const byExternal = new Map(links.map((row) => [row.externalId, row.wixItemId]));
		for (const media of state.media)
			if (media.sourceId && !byWix.has(media.sourceId)) byWix.set(media.sourceId, media.id);
		for (const item of state.wixItems) {
			const tag = tagsOf(item).find((value) => value.startsWith('ext:'));
			if (tag && !byExternal.has(tag.slice(4))) byExternal.set(tag.slice(4), item.id);
		}
		return { byWix, byExternal, state };
	};
	const pairs = [];
	{
		const { byWix, byExternal } = await counterpart();
		for (const id of createdOnWix) pairs.push({ wix: id, platform: byWix.get(id) ?? null });
		for (const id of createdOnPlatform)
			pairs.push({ wix: byExternal.get(id) ?? null, platform: id });
	}
	// Interleaved so that the updates and deletes mix both origins.
	pairs.sort((a, b) => String(a.wix ?? a.platform).localeCompare(String(b.wix ?? b.platform)));

	const rowsBeforeUpdates = await liveLinks();
	// --- updates: one per pair, on alternating sides -------------------------------------------------------------
	log(`== ${sizes.updates} concurrent updates over both sides`);
	const updatesStarted = Date.now();
	await Promise.all(
		pairs.slice(0, sizes.updates).map(async (pair, index) => {
			const title = `burst ${runId} updated ${index}`;
			const onWix = (index % 2 === 0 && pair.wix) || !pair.platform;
			if (onWix) {
				await wixUser('PATCH', `/pro-gallery/v2/galleries/${sharedGallery.id}/items/${pair.wix}`, {
					item: { title },
				});
				userChanges.wixUpdate++;
			} else {
				await control('PATCH', `external/media/${pair.platform}`, { caption: title });
				userChanges.platformUpdate++;
			}
		}),
	);
	await settle();
	const updatesMs = Date.now() - updatesStarted;
	// Updates that did not reach the other side, with the pair's mapping row as it was before the updates.
	const notPropagated = [];
	{
		const state = await snapshot();
		const titleOf = new Map([
			...state.wixItems.map((item) => [item.id, item.title]),
			...state.media.map((media) => [media.id, media.caption]),
		]);
		for (const [index, pair] of pairs.slice(0, sizes.updates).entries()) {
			const title = `burst ${runId} updated ${index}`;
			if (
				pair.wix &&
				pair.platform &&
				(titleOf.get(pair.wix) !== title || titleOf.get(pair.platform) !== title)
			)
				notPropagated.push({
					index,
					wix: titleOf.get(pair.wix),
					platform: titleOf.get(pair.platform),
					rowsBefore: rowsBeforeUpdates
						.filter((row) => row.wixItemId === pair.wix || row.externalId === pair.platform)
						.map((row) => ({
							linkKey: row.linkKey,
							pendingTowards: row.pendingTowards,
							pendingAction: row.pendingAction,
							pendingAt: row.pendingAt,
							link: row.link,
						})),
				});
		}
	}

	// --- deletes: every other pair, on alternating sides ----------------------------------------------------------
	log(`== ${sizes.deletes} concurrent deletes over both sides`);
	const deletesStarted = Date.now();
	const toDelete = [
		...pairs.filter((_, index) => index % 2 === 1),
		...pairs.filter((_, index) => index % 2 === 0),
	].slice(0, sizes.deletes);
	await Promise.all(
		toDelete.map(async (pair, index) => {
			const onWix = (index % 2 === 0 && pair.wix) || !pair.platform;
			if (onWix) {
				await wixUser('DELETE', `/pro-gallery/v2/galleries/${sharedGallery.id}/items/${pair.wix}`);
				userChanges.wixDelete++;
			} else {
				await control('DELETE', `external/media/${pair.platform}`);
				userChanges.platformDelete++;
			}
		}),
	);
	const quiet = await settle();
	const deletesMs = Date.now() - deletesStarted;

	// --- measure ----------------------------------------------------------------------------------------------
	const final = await snapshot();
	const links = await liveLinks();
	const wixById = new Map(final.wixItems.map((item) => [item.id, item]));
	const mediaById = new Map(final.media.map((media) => [media.id, media]));
	// This run's items: the seeded ones were never linked (sharedCount).
	const universeWix = final.wixItems.filter((item) => !baselineWix.has(item.id));
	const linkedToUniverse = new Set(
		links
			.filter((row) => universeWix.some((item) => item.id === row.wixItemId))
			.map((row) => row.externalId),
	);
	const universeMedia = final.media.filter(
		(media) => !baselineMedia.has(media.id) || linkedToUniverse.has(media.id),
	);
	const rowsByWix = groupBy(links, (row) => row.wixItemId);
	const rowsByExternal = groupBy(links, (row) => row.externalId);
	const unlinked = [];
	for (const item of universeWix) {
		const rows = rowsByWix.get(item.id) ?? [];
		if (rows.length !== 1 || !mediaById.has(rows[0].externalId))
			unlinked.push({ side: 'wix', id: item.id, title: item.title, links: rows.length });
	}
	for (const media of universeMedia) {
		const rows = rowsByExternal.get(media.id) ?? [];
		if (rows.length !== 1 || !wixById.has(rows[0].wixItemId))
			unlinked.push({ side: 'platform', id: media.id, caption: media.caption, links: rows.length });
	}
	const universeWixIds = new Set(universeWix.map((item) => item.id));
	const universeMediaIds = new Set(universeMedia.map((media) => media.id));
	const held = links.filter(
		(row) =>
			wixById.has(row.wixItemId) &&
			mediaById.has(row.externalId) &&
			(universeWixIds.has(row.wixItemId) || universeMediaIds.has(row.externalId)),
	).length;
	const touched = new Set([
		...universeWixIds,
		...universeMediaIds,
		...pairs.flatMap((pair) => [pair.wix, pair.platform]).filter(Boolean),
	]);
	const staleRows = links.filter(
		(row) =>
			(touched.has(row.wixItemId) || touched.has(row.externalId)) &&
			(!wixById.has(row.wixItemId) || !mediaById.has(row.externalId)),
	);
	const stale = staleRows.length;
	const rowSample = (row) => ({
		id: row.id,
		wixItemId: row.wixItemId,
		externalId: row.externalId,
		wixExists: wixById.has(row.wixItemId),
		externalExists: mediaById.has(row.externalId),
		linkKey: row.linkKey,
		revision: row.revision,
		createdAt: row.createdAt,
		link: row.link,
	});
	for (const entry of unlinked)
		entry.rows =
			(entry.side === 'wix' ? rowsByWix : rowsByExternal).get(entry.id)?.map(rowSample) ?? [];
	const expectedLinks = sharedCount + 2 * sizes.creates - toDelete.length;

	// Duplicates: a surplus item shares an `ext:` tag or a title with an earlier one (Wix), a sourceId or a caption
	// (platform). Titles are compared among this run's items only; seeded ones may repeat on purpose.
	const surplus = (list, keys) => {
		const seen = new Set();
		const extra = [];
		for (const entry of list) {
			const own = keys(entry).filter(Boolean);
			if (own.some((key) => seen.has(key))) extra.push(entry);
			for (const key of own) seen.add(key);
		}
		return extra;
	};
	const duplicateWix = surplus(
		[...universeWix].sort((a, b) =>
			String(a.createdDate ?? '').localeCompare(String(b.createdDate ?? '')),
		),
		(item) => [
			...tagsOf(item)
				.filter((tag) => tag.startsWith('ext:'))
				.map((tag) => `tag ${tag}`),
			baselineWix.has(item.id) ? null : `title ${item.title ?? ''}`,
		],
	);
	const duplicatePlatform = surplus(
		[...universeMedia].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
		(media) => [
			media.sourceId ? `source ${media.sourceId}` : null,
			baselineMedia.has(media.id) ? null : `caption ${media.caption}`,
		],
	);

	// Writes the sync made (the request log without the user's own), per kind, against one per user change.
	const writes = {
		wixCreate: 0,
		wixUpdate: 0,
		wixDelete: 0,
		platformCreate: 0,
		platformUpdate: 0,
		platformDelete: 0,
	};
	const failedWrites = { ...writes };
	for (const entry of await requestsSince(control, burstSeq)) {
		if (entry.headers?.[USER_HEADER]) continue;
		const kind = writeKind(entry);
		if (!kind) continue;
		if (entry.status >= 200 && entry.status < 300) writes[kind]++;
		else failedWrites[kind]++;
	}
	const expectedWrites = {
		wixCreate: userChanges.platformCreate,
		wixUpdate: userChanges.platformUpdate,
		wixDelete: userChanges.platformDelete,
		platformCreate: userChanges.wixCreate,
		platformUpdate: userChanges.wixUpdate,
		platformDelete: userChanges.wixDelete,
	};
	let echoWrites = Math.max(0, example1Echo);
	let missedWrites = 0;
	for (const kind of Object.keys(writes)) {
		echoWrites += Math.max(0, writes[kind] - expectedWrites[kind]);
		missedWrites += Math.max(0, expectedWrites[kind] - writes[kind]);
	}

	const executions = await client.query(executionsSql, [...workflowIds, firstExecution]);
	const byStatus = {};
	for (const execution of executions)
		byStatus[execution.status] = (byStatus[execution.status] ?? 0) + 1;
	const failedExecutions = executions.filter((execution) => execution.status !== 'success').length;

	return {
		mode,
		quiet,
		example1,
		sharedCount,
		example1Uploads,
		userChanges,
		expectedLinks,
		heldLinks: held,
		lostLinks: unlinked.length,
		notPropagated: notPropagated.slice(0, 20),
		staleLinks: stale,
		staleSamples: staleRows.slice(0, 10).map(rowSample),
		unlinked: unlinked.slice(0, 20),
		echoWrites,
		missedWrites,
		writes,
		expectedWrites,
		failedWrites,
		duplicatesWix: duplicateWix.length,
		duplicatesPlatform: duplicatePlatform.length,
		duplicateSamples: {
			wix: duplicateWix
				.slice(0, 5)
				.map((item) => ({ id: item.id, title: item.title, tags: tagsOf(item) })),
			platform: duplicatePlatform
				.slice(0, 5)
				.map((media) => ({ id: media.id, caption: media.caption, sourceId: media.sourceId })),
		},
		executions: executions.length,
		executionsByStatus: byStatus,
		failedExecutions,
		failedExecutionIds: executions
			.filter((execution) => execution.status !== 'success')
			.slice(0, 10)
			.map((execution) => String(execution.id)),
		timings: { createsMs, updatesMs, deletesMs, totalMs: Date.now() - started },
		items: { wix: universeWix.length, platform: universeMedia.length },
	};
}

function tagsOf(item) {
	const tags = item.tags;
	if (Array.isArray(tags)) return tags.map(String);
	if (tags && Array.isArray(tags.values)) return tags.values.map(String);
	return [];
}

function groupBy(list, key) {
	const groups = new Map();
	for (const entry of list) {
		const value = key(entry);
		if (!groups.has(value)) groups.set(value, []);
		groups.get(value).push(entry);
	}
	return groups;
}

function writeKind(entry) {
	if (/^\/(?:pro-gallery|progallery)\/v2\/galleries\/[^/]+\/items\/delete$/.test(entry.path))
		return entry.method === 'POST' ? 'wixDelete' : undefined;
	const wix = WIX_ITEMS.exec(entry.path);
	if (wix) {
		if (entry.method === 'POST') return 'wixCreate';
		if (entry.method === 'PATCH' && wix[1]) return 'wixUpdate';
		if (entry.method === 'DELETE') return 'wixDelete';
		return undefined;
	}
	const platform = PLATFORM_MEDIA.exec(entry.path);
	if (platform) {
		if (entry.method === 'POST' && !platform[1]) return 'platformCreate';
		if (entry.method === 'PATCH') return 'platformUpdate';
		if (entry.method === 'DELETE') return 'platformDelete';
	}
	return undefined;
}

async function requestsSince(control, seq) {
	return (await control('GET', 'requests')).filter((entry) => entry.seq > seq);
}

async function sandboxCall(sandbox, method, path, body, headers = {}) {
	for (let attempt = 1; ; attempt++) {
		let response;
		try {
			response = await fetch(`${sandbox.baseUrl}${path}`, {
				method,
				headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		} catch (error) {
			if (attempt < 3) continue;
			throw error;
		}
		const text = await response.text();
		if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
		return text ? JSON.parse(text) : undefined;
	}
}

/** The figures as a table, one column per result (e.g. regular and queue). */
function formatTable(results) {
	const rows = [
		['', ...results.map((result) => result.mode)],
		[
			'links expected / held',
			...results.map((result) => `${result.expectedLinks} / ${result.heldLinks}`),
		],
		['lost links', ...results.map((result) => String(result.lostLinks))],
		['dangling links (an end missing)', ...results.map((result) => String(result.staleLinks))],
		['echo writes', ...results.map((result) => String(result.echoWrites))],
		['missed writes', ...results.map((result) => String(result.missedWrites))],
		[
			'duplicates Wix / platform',
			...results.map((result) => `${result.duplicatesWix} / ${result.duplicatesPlatform}`),
		],
		[
			'executions failed / total',
			...results.map((result) => `${result.failedExecutions} / ${result.executions}`),
		],
		[
			'example 1',
			...results.map(
				(result) => `${result.example1}, ${result.sharedCount} links before the burst`,
			),
		],
		[
			'sync writes C/U/D Wix',
			...results.map(
				(result) =>
					`${result.writes.wixCreate}/${result.writes.wixUpdate}/${result.writes.wixDelete}`,
			),
		],
		[
			'sync writes C/U/D platform',
			...results.map(
				(result) =>
					`${result.writes.platformCreate}/${result.writes.platformUpdate}/${result.writes.platformDelete}`,
			),
		],
		[
			'time creates/updates/deletes',
			...results.map(
				(result) =>
					`${(result.timings.createsMs / 1000).toFixed(1)}/${(result.timings.updatesMs / 1000).toFixed(1)}/${(result.timings.deletesMs / 1000).toFixed(1)} s`,
			),
		],
	];
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	return rows
		.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join(' | '))
		.join('\n');
}

/** The goal: 0 lost links, 0 echo writes, 0 duplicates, 0 failed executions. */
function meetsGoal(result) {
	return (
		result.lostLinks === 0 &&
		result.heldLinks === result.expectedLinks &&
		result.echoWrites === 0 &&
		result.duplicatesWix === 0 &&
		result.duplicatesPlatform === 0 &&
		result.failedExecutions === 0
	);
}

module.exports = { runSyncBurst, formatTable, meetsGoal, MAPPING_TABLE, USER_HEADER };
