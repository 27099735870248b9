#!/usr/bin/env node
// `npm run demo`: real n8n 2.41.1 with this package, the Wix sandbox, sandbox credentials and the example
// workflows, until Ctrl-C. `npm run demo -- --check`: the same without waiting; runs every example end to end,
// checks the sandbox, prints a one-line summary last and exits 0 or 1.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { bootstrap } from './bootstrap.mjs';
import { sleep } from './n8n-client.cjs';
import { startInstance } from './n8n-instance.mjs';
import { REPO_ROOT, freePort } from './n8n-process.mjs';

const USAGE =
	'Usage: npm run demo [-- --check] [-- --sync-burst] [-- --port N] [-- --sandbox-port N] [-- --queue]';

function parseArgs(argv) {
	const options = { check: false, port: 5678, sandboxPort: 5880, queue: false, syncBurst: false };
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index].split(/=(.*)/s, 2);
		const value = () => Number(inline ?? argv[++index]);
		if (flag === '--check') options.check = true;
		// Queue mode: Postgres, Redis, main, webhook processor and two workers (scripts/n8n-cluster.mjs).
		else if (flag === '--queue') options.queue = true;
		// With --check: example 2 under a burst afterwards, and its figures (scripts/sync-burst-core.cjs).
		else if (flag === '--sync-burst') options.syncBurst = true;
		else if (flag === '--port') options.port = value();
		else if (flag === '--sandbox-port') options.sandboxPort = value();
		else if (flag === '--help' || flag === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else throw new Error(`Unknown argument: ${argv[index]}\n${USAGE}`);
	}
	return options;
}

async function portOrFree(port) {
	const { createServer } = await import('node:net');
	const free = await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
	return free ? port : await freePort();
}

function printBanner(instance) {
	const lines = [
		'',
		'n8n 2.41.1 with n8n-nodes-wix-gallery is running.',
		'',
		`  Editor:    ${instance.editorUrl}`,
		`  Login:     ${instance.owner.email} / ${instance.owner.password}`,
		`  Sandbox:   ${instance.sandbox.baseUrl}  (control API: ${instance.sandbox.baseUrl}/_sandbox/state)`,
		`  Credentials: ${Object.values(instance.credentials)
			.map((credential) => `"${credential.name}"`)
			.join(', ')}`,
	];
	if (instance.workflows.length === 0) lines.push('  Workflows: none (no examples/*.json yet)');
	for (const workflow of instance.workflows) {
		const state = workflow.skipped
			? `skipped (${workflow.skipped})`
			: workflow.activated
				? 'active'
				: workflow.activationError
					? `not activated: ${workflow.activationError}`
					: 'run it from the editor';
		lines.push(`  Workflow:  ${workflow.name} — ${state}`);
	}
	if (instance.webhookTargets.wix)
		lines.push(`  Wix webhooks → ${instance.webhookTargets.wix.url}`);
	if (instance.webhookTargets.external) {
		lines.push(`  External platform notifications → ${instance.webhookTargets.external.url}`);
	}
	if (instance.cluster) {
		lines.push(
			`  Queue mode: webhooks at ${instance.webhookUrl}, ${instance.cluster.logs.workers.length} workers, ` +
				`Postgres 127.0.0.1:${instance.database.port}, Redis 127.0.0.1:${instance.cluster.redis.port}`,
			`  Logs:      ${instance.cluster.logs.main}, ${instance.cluster.logs.webhook},`,
			`             ${instance.cluster.logs.workers.join(', ')}`,
			'',
			'Press Ctrl-C to stop.',
		);
	} else lines.push(`  Logs:      ${instance.logFile}`, '', 'Press Ctrl-C to stop.');
	console.log(lines.join('\n'));
}

// --- --check -------------------------------------------------------------------------------------------------

/** What a flow can change in the sandbox, to compare before and after. */
async function sandboxSnapshot(instance) {
	const state = await instance.sandboxControl('GET', 'state');
	const galleries = state.proGallery?.galleries ?? [];
	return {
		externalMedia: state.externalPlatform?.media ?? [],
		galleryItems: galleries.flatMap((gallery) => gallery.items ?? []),
		galleries,
		mediaFiles: state.mediaManager?.files ?? [],
	};
}

function describeChange(before, after) {
	const changes = [];
	const externalAdded = after.externalMedia.length - before.externalMedia.length;
	const externalUpdated = after.externalMedia.filter((media) => {
		const old = before.externalMedia.find((candidate) => candidate.id === media.id);
		return old && old.updatedAt !== media.updatedAt;
	}).length;
	if (externalAdded) changes.push(`external media ${externalAdded > 0 ? '+' : ''}${externalAdded}`);
	if (externalUpdated) changes.push(`external media updated ${externalUpdated}`);
	const itemsAdded = after.galleryItems.length - before.galleryItems.length;
	if (itemsAdded) changes.push(`gallery items ${itemsAdded > 0 ? '+' : ''}${itemsAdded}`);
	return { externalAdded, externalUpdated, itemsAdded, text: changes.join(', ') || 'no change' };
}

/** Waits until the sandbox has delivered every webhook and n8n has no running execution. */
async function settle(instance, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	let quietSince = 0;
	while (Date.now() < deadline) {
		await instance.sandboxControl('POST', 'webhooks/flush', { timeoutMs: 10000 });
		if (instance.sandbox.external) await instance.sandboxControl('POST', 'external/webhooks/flush');
		const running = await instance.client.api('GET', '/executions?status=running&limit=5');
		if (running.data.length === 0) {
			quietSince ||= Date.now();
			// A delivery can start an execution a moment after it was answered.
			if (Date.now() - quietSince > 1500) return;
		} else quietSince = 0;
		await sleep(250);
	}
	throw new Error(`the sandbox and n8n did not settle within ${timeoutMs} ms`);
}

function failedNodes(execution) {
	const runData = execution.data?.resultData?.runData ?? {};
	return Object.entries(runData)
		.filter(([, runs]) => runs.some((run) => run.error))
		.map(([name, runs]) => `${name}: ${runs.find((run) => run.error).error.message}`);
}

function talksToExternal(workflow) {
	const text = JSON.stringify(workflow);
	return text.includes('api.external-gallery.example') || text.includes('/external/v1');
}

async function executionsOf(instance, workflowId) {
	return await instance.client.listExecutions({ workflowId, includeData: true });
}

// --- what the emulated platforms received (examples 1 and 3) ---------------------------------------------------

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function bytesAt(url) {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`GET ${url.split('?')[0]}: HTTP ${response.status}`);
	return Buffer.from(await response.arrayBuffer());
}

/** Everything the emulated LinkedIn, Instagram and Telegram have received so far. */
async function platformRecords(instance) {
	const [linkedin, instagram, telegram] = await Promise.all(
		['linkedin', 'instagram', 'telegram'].map((name) => instance.sandboxControl('GET', name)),
	);
	return { linkedin, instagram, telegram };
}

/** Records received after `before` (by the platforms' `seq`). */
function receivedSince(before, after) {
	const since = (list, old) => {
		const last = Math.max(0, ...old.map((record) => record.seq));
		return list.filter((record) => record.seq > last);
	};
	return {
		linkedInPosts: since(after.linkedin.posts, before.linkedin.posts),
		linkedInRejections: since(after.linkedin.rejections, before.linkedin.rejections),
		instagramContainers: since(after.instagram.containers, before.instagram.containers),
		instagramMedia: since(after.instagram.media, before.instagram.media),
		instagramRejections: since(after.instagram.rejections, before.instagram.rejections),
		telegramMessages: since(after.telegram.messages, before.telegram.messages),
		telegramRejections: since(after.telegram.rejections, before.telegram.rejections),
	};
}

function nodeOfType(definition, type) {
	return definition.nodes.find((node) => node.type === type && !node.disabled);
}

/** LinkedIn's "little text" escapes, which n8n's LinkedIn node applies to the post's text. */
const linkedInEscaped = (text) => text.replace(/[()*[\]{}<>@|~_]/g, (char) => `\\${char}`);

/** Instagram takes JPEG images with an aspect ratio from 4:5 to 1.91:1 (as the example's "Fits Instagram?"). */
function fitsInstagram(bytes, width, height) {
	const ratio = width / height;
	return bytes[0] === 0xff && bytes[1] === 0xd8 && ratio >= 0.8 && ratio <= 1.91;
}

/**
 * Example 1: every image item of the gallery the example picked is on LinkedIn once (its file's bytes, its title),
 * the ones Instagram takes are published there once (the Wix file, the title in the caption), text items nowhere;
 * and a second run posts nothing (the mappings share-linkedin and share-instagram).
 */
async function checkSharedGallery(instance, definition, before, after) {
	const problems = [];
	const getMany = nodeOfType(definition, 'n8n-nodes-wix-gallery.wixProGallery');
	const galleryId = getMany?.parameters?.galleryId?.value;
	const { proGallery } = await instance.sandboxControl('GET', 'state');
	const gallery = proGallery.galleries.find((candidate) => candidate.id === galleryId);
	if (!gallery)
		return { ok: false, detail: `the example's gallery ${galleryId} is not in the sandbox` };
	const images = [];
	const withoutFile = [];
	for (const item of gallery.items ?? []) {
		const info = item.image?.imageInfo;
		if (!info?.url) {
			withoutFile.push(item);
			continue;
		}
		const bytes = await bytesAt(info.url);
		images.push({
			item,
			sha256: sha256(bytes),
			instagram: fitsInstagram(bytes, info.width, info.height),
		});
	}
	const received = receivedSince(before, after);
	for (const rejection of [...received.linkedInRejections, ...received.instagramRejections])
		problems.push(
			`refused: ${rejection.message ?? rejection.description ?? JSON.stringify(rejection)}`,
		);

	// LinkedIn: one post per image item, with the item's file (Download Media's Fit 1080 × 1080 never enlarges, and
	// the seed's images are smaller, so the file is the Wix original) and its title.
	const posts = received.linkedInPosts;
	if (posts.length !== images.length)
		problems.push(`LinkedIn got ${posts.length} posts for ${images.length} image items`);
	for (const { item, sha256: expected } of images) {
		const post = posts.find((candidate) => candidate.mediaTitle === item.title);
		if (!post) problems.push(`no LinkedIn post titled "${item.title}"`);
		else if (post.image?.sha256 !== expected)
			problems.push(
				`LinkedIn image of "${item.title}" is not the Wix file (sha256 ${post.image?.sha256})`,
			);
		else if (!post.commentary.startsWith(linkedInEscaped(item.title)))
			problems.push(`LinkedIn text of "${item.title}": ${JSON.stringify(post.commentary)}`);
	}
	// Instagram: the items it takes, published once each from the Wix item's own URL.
	const forInstagram = images.filter((image) => image.instagram);
	if (forInstagram.length === 0)
		problems.push('the gallery has no image Instagram takes (JPEG, 4:5–1.91:1)');
	const published = received.instagramMedia;
	if (published.length !== forInstagram.length)
		problems.push(`Instagram published ${published.length} media for ${forInstagram.length} items`);
	for (const { item, sha256: expected } of forInstagram) {
		const media = published.find((candidate) => candidate.caption.startsWith(item.title));
		if (!media) problems.push(`nothing published on Instagram for "${item.title}"`);
		else if (media.file.sha256 !== expected || media.imageUrl !== item.image.imageInfo.url)
			problems.push(`Instagram media of "${item.title}" is not the Wix file`);
	}
	for (const item of withoutFile) {
		if (
			posts.some((post) => post.mediaTitle === item.title) ||
			published.some((media) => media.caption.startsWith(item.title ?? '\0'))
		)
			problems.push(`the item without a file "${item.title}" was posted`);
	}
	const unfetched = received.instagramContainers.filter((container) => !container.imageUrl);
	if (unfetched.length)
		problems.push(`${unfetched.length} Instagram container(s) without an image URL`);

	// Again: the mappings know every post, so nothing is posted twice.
	const execution = await instance.client.runWorkflow(definition.id, {
		triggerName: nodeOfType(definition, 'n8n-nodes-base.manualTrigger').name,
	});
	await settle(instance);
	const again = receivedSince(after, await platformRecords(instance));
	const repeated =
		again.linkedInPosts.length + again.instagramContainers.length + again.instagramMedia.length;
	if (execution.status !== 'success')
		problems.push(`second run ${execution.status}: ${failedNodes(execution).join('; ')}`);
	if (repeated) problems.push(`the second run posted ${repeated} time(s) again`);
	return {
		ok: problems.length === 0,
		detail:
			problems.join('; ') ||
			`LinkedIn ${posts.length} image posts (sha256 = Wix files, titles), Instagram ${published.length} published ` +
				`(${forInstagram.map((image) => `"${image.item.title}"`).join(', ')}, sha256 = Wix file), ` +
				`${withoutFile.length} item(s) without a file skipped; second run posted nothing`,
	};
}

/**
 * Example 3: the 5 most-liked visual media of the members the query picked reach the Telegram channel once each,
 * most-liked first, photos as photos and videos as videos, each file the Shared Gallery's bytes, each caption
 * `<name> by <member's name> (<likes> likes)`.
 */
async function checkMostLikedToTelegram(instance, definition, before, after) {
	const problems = [];
	// By its member filter: n8n leaves default values (the operation, Query) out of a saved workflow.
	const query = definition.nodes.find(
		(node) =>
			node.type === 'n8n-nodes-wix-gallery.wixSharedGallery' && node.parameters.filters?.createdBy,
	);
	const members = (query?.parameters?.filters?.createdBy?.members ?? []).map(
		(entry) => entry.member.value,
	);
	const telegram = nodeOfType(definition, 'n8n-nodes-base.telegram');
	const channel = telegram?.parameters?.chatId;
	const state = await instance.sandboxControl('GET', 'state');
	const names = new Map(
		(state.members?.members ?? []).map((member) => [member.id, member.nickname]),
	);
	const expected = state.sharedGallery.items
		.filter((item) => item.type === 'VISUAL_MEDIA' && members.includes(item.createdBy))
		.sort((a, b) => b.likeCount - a.likeCount)
		.slice(0, 5);
	const { chats } = after.telegram;
	const chat = chats.find((candidate) => `@${candidate.username}` === channel);
	if (members.length !== 2) problems.push(`the query picks ${members.length} members, not 2`);
	if (!chat) problems.push(`the example's chat ${channel} is no sandbox channel`);
	const received = receivedSince(before, after);
	for (const rejection of received.telegramRejections)
		problems.push(`refused: ${rejection.description}`);
	const messages = received.telegramMessages;
	if (messages.length !== expected.length)
		problems.push(
			`Telegram got ${messages.length} messages for the ${expected.length} most-liked media`,
		);
	for (const [index, item] of expected.entries()) {
		const message = messages[index];
		const caption = `${item.name} by ${names.get(item.createdBy)} (${item.likeCount} likes)`;
		const { sha256: bytes } = await instance.sandboxControl(
			'GET',
			`shared-gallery/media/${item.id}/checksum`,
		);
		const kind = /\.(mp4|mov|webm)$/i.test(item.name) ? 'video' : 'photo';
		if (!message) continue;
		if (message.caption !== caption)
			problems.push(
				`message ${index + 1}: caption ${JSON.stringify(message.caption)}, expected ${JSON.stringify(caption)}`,
			);
		if (message.attachment !== kind)
			problems.push(`message ${index + 1}: a ${message.attachment}, expected a ${kind}`);
		if (message.file?.sha256 !== bytes)
			problems.push(`message ${index + 1}: the file is not ${item.name}'s bytes`);
		if (chat && message.chatId !== chat.id)
			problems.push(`message ${index + 1}: sent to chat ${message.chatId}`);
	}
	return {
		ok: problems.length === 0,
		detail:
			problems.join('; ') ||
			`Telegram ${channel}: ${messages.length} messages, most-liked first (${expected.map((item) => item.likeCount).join(', ')} likes), ` +
				`${messages.filter((message) => message.attachment === 'video').length} video(s) by sendVideo, sha256 = Shared Gallery files, ` +
				`captions with the members' names and like counts`,
	};
}

/** The platform checks of the examples that post to the emulated platforms, by their file. */
const PLATFORM_CHECKS = {
	'1-share-pro-gallery.json': checkSharedGallery,
	'3-most-liked-to-telegram.json': checkMostLikedToTelegram,
};

/**
 * Runs one example the way it is meant to start: Manual Trigger via n8n's API; the package's trigger by a change
 * in the sandbox's Pro Gallery; n8n's Webhook node by a post on the fake external platform.
 */
async function checkExample(instance, workflow) {
	if (workflow.skipped) return { ok: false, detail: `not imported: ${workflow.skipped}` };
	if (workflow.activationError)
		return { ok: false, detail: `activation failed: ${workflow.activationError}` };
	const { webhookTargets } = instance;
	const results = [];
	const definition = await instance.client.getWorkflow(workflow.id);
	const writesExternal = talksToExternal(definition);

	if (workflow.manualTrigger) {
		await settle(instance);
		const before = await sandboxSnapshot(instance);
		const platformsBefore = await platformRecords(instance);
		const execution = await instance.client.runWorkflow(workflow.id, {
			triggerName: workflow.manualTrigger,
		});
		await settle(instance);
		const change = describeChange(before, await sandboxSnapshot(instance));
		const failures = failedNodes(execution);
		const ok =
			execution.status === 'success' &&
			failures.length === 0 &&
			(!writesExternal || change.externalAdded > 0 || change.externalUpdated > 0);
		results.push({
			ok,
			detail: `manual run ${execution.status}${failures.length ? ` (${failures.join('; ')})` : ''}, ${change.text}`,
		});
		const platformCheck = PLATFORM_CHECKS[workflow.file.split('/').pop()];
		if (platformCheck) {
			results.push(
				await platformCheck(instance, definition, platformsBefore, await platformRecords(instance)),
			);
		}
	}

	if (webhookTargets.wix?.workflowId === workflow.id) {
		await settle(instance);
		const before = await sandboxSnapshot(instance);
		const known = new Set(
			(await executionsOf(instance, workflow.id)).map((execution) => execution.id),
		);
		const gallery = before.galleries[0];
		const image = before.mediaFiles.find(
			(file) => file.mediaType === 'IMAGE' && file.state !== 'DELETED',
		);
		if (!gallery || !image)
			return { ok: false, detail: 'the sandbox has no gallery or image to change' };
		await instance.sandboxWix('POST', `/progallery/v2/galleries/${gallery.id}/items`, {
			item: {
				title: `Demo check ${new Date().toISOString()}`,
				image: { imageInfo: { id: image.id } },
			},
		});
		await settle(instance);
		const fresh = (await executionsOf(instance, workflow.id)).filter(
			(execution) => !known.has(execution.id),
		);
		const change = describeChange(before, await sandboxSnapshot(instance));
		const failures = fresh.flatMap(failedNodes);
		const ok =
			fresh.length > 0 &&
			fresh.every((execution) => execution.status === 'success') &&
			failures.length === 0 &&
			(!writesExternal || change.externalAdded > 0 || change.externalUpdated > 0);
		results.push({
			ok,
			detail:
				`Wix item created → ${fresh.length} execution(s) ${fresh.map((execution) => execution.status).join('/') || ''}` +
				`${failures.length ? ` (${failures.join('; ')})` : ''}, ${change.text}`,
		});
	}

	if (webhookTargets.external?.workflowId === workflow.id) {
		await settle(instance);
		const before = await sandboxSnapshot(instance);
		const known = new Set(
			(await executionsOf(instance, workflow.id)).map((execution) => execution.id),
		);
		await instance.sandboxControl('POST', 'external/media', {
			caption: `Demo check ${new Date().toISOString()}`,
			width: 96,
			height: 64,
		});
		await settle(instance);
		const fresh = (await executionsOf(instance, workflow.id)).filter(
			(execution) => !known.has(execution.id),
		);
		const change = describeChange(before, await sandboxSnapshot(instance));
		const failures = fresh.flatMap(failedNodes);
		const ok =
			fresh.length > 0 &&
			fresh.every((execution) => execution.status === 'success') &&
			failures.length === 0 &&
			change.itemsAdded > 0;
		results.push({
			ok,
			detail:
				`external media posted → ${fresh.length} execution(s) ${fresh.map((execution) => execution.status).join('/') || ''}` +
				`${failures.length ? ` (${failures.join('; ')})` : ''}, ${change.text}`,
		});
	}

	if (results.length === 0) {
		return { ok: false, detail: 'no Manual Trigger and no trigger the demo knows how to fire' };
	}
	return {
		ok: results.every((result) => result.ok),
		detail: results.map((result) => result.detail).join('; '),
	};
}

/**
 * The same item twice on either side, after all examples ran with the two-way sync active: platform media copied
 * from one Wix item, Wix items tagged with one platform media, or two items of one gallery with the same title.
 */
async function duplicatedItems(instance) {
	const { externalMedia, galleries } = await sandboxSnapshot(instance);
	const repeated = (values) => {
		const counts = new Map();
		for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
		return [...counts]
			.filter(([, count]) => count > 1)
			.map(([value, count]) => `${value} ×${count}`);
	};
	const found = [];
	const bySource = repeated(externalMedia.map((media) => media.sourceId).filter(Boolean));
	if (bySource.length)
		found.push(`platform media copied from one Wix item: ${bySource.join(', ')}`);
	for (const gallery of galleries) {
		const items = gallery.items ?? [];
		const tags = repeated(
			items.flatMap((item) => (item.tags?.values ?? []).filter((tag) => tag.startsWith('ext:'))),
		);
		if (tags.length)
			found.push(`gallery "${gallery.name}": items with one ext: tag: ${tags.join(', ')}`);
		const titles = repeated(items.map((item) => item.title).filter(Boolean));
		if (titles.length) found.push(`gallery "${gallery.name}": titles twice: ${titles.join(', ')}`);
	}
	return found;
}

async function runChecks(instance) {
	const lines = [];
	let failed = 0;
	let passed = 0;

	for (const credential of Object.values(instance.credentials)) {
		if (!credential.type.startsWith('wix')) continue;
		const result = await instance.client.testCredential({
			id: credential.id,
			type: credential.type,
		});
		const ok = result.status === 'OK';
		ok ? passed++ : failed++;
		lines.push(`${ok ? 'PASS' : 'FAIL'}  credential "${credential.name}": ${result.message}`);
	}

	for (const workflow of instance.workflows) {
		let result;
		try {
			result = await checkExample(instance, workflow);
		} catch (error) {
			result = { ok: false, detail: error.message };
		}
		result.ok ? passed++ : failed++;
		lines.push(
			`${result.ok ? 'PASS' : 'FAIL'}  example "${workflow.name}" (${workflow.file.split('/').pop()}): ${result.detail}`,
		);
	}

	try {
		await settle(instance);
		const duplicates = await duplicatedItems(instance);
		duplicates.length ? failed++ : passed++;
		lines.push(
			duplicates.length
				? `FAIL  no item twice after all examples ran with the sync active: ${duplicates.join('; ')}`
				: 'PASS  no item twice on either side after all examples ran with the sync active',
		);
	} catch (error) {
		failed++;
		lines.push(`FAIL  duplicate check: ${error.message}`);
	}

	for (const line of lines) console.log(line);
	const examples = instance.workflows.length;
	const summary =
		`demo check: ${failed === 0 ? 'PASS' : 'FAIL'} — ${passed} passed, ${failed} failed ` +
		`(${Object.values(instance.credentials).filter((credential) => credential.type.startsWith('wix')).length} credentials, ` +
		`${examples} example workflow${examples === 1 ? '' : 's'}${examples === 0 ? ' found in examples/' : ''}) in n8n 2.41.1`;
	return { ok: failed === 0, summary };
}

// --- main ----------------------------------------------------------------------------------------------------

async function main() {
	const options = parseArgs(process.argv.slice(2));
	bootstrap();
	const started = Date.now();
	const instance = await startInstance({
		userFolder: join(REPO_ROOT, '.cache', options.check ? 'demo-check' : 'demo'),
		n8nPort: await portOrFree(options.port),
		sandboxPort: options.sandboxPort,
		queue: options.queue,
	});
	let stopping = false;
	const shutDown = async (code) => {
		if (stopping) return;
		stopping = true;
		await instance.stop().catch((error) => console.error(`while stopping: ${error.message}`));
		process.exit(code);
	};
	process.once('SIGINT', () => {
		console.log('\nStopping n8n and the sandbox...');
		void shutDown(0);
	});
	process.once('SIGTERM', () => void shutDown(0));
	instance.n8nExited.then((code) => {
		if (stopping) return;
		console.error(`n8n exited unexpectedly (${code}); see ${instance.logFile}`);
		void shutDown(1);
	});

	if (!options.check) {
		printBanner(instance);
		console.log(`(ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
		return;
	}
	let outcome;
	try {
		outcome = await runChecks(instance);
	} catch (error) {
		outcome = { ok: false, summary: `demo check: FAIL — ${error.message}` };
	}
	if (options.syncBurst) {
		try {
			const { formatTable, meetsGoal, runSyncBurst } = (await import('./sync-burst-core.cjs'))
				.default;
			const result = await runSyncBurst({
				mode: options.queue ? 'queue' : 'regular',
				client: instance.client,
				sandbox: { baseUrl: instance.sandbox.baseUrl, credentials: instance.sandbox.credentials },
				workflows: instance.workflows,
				killWorker: instance.killWorker,
				restartWorker: instance.restartWorker,
				log: (line) => console.error(line),
			});
			console.error(formatTable([result]));
			const ok = meetsGoal(result);
			outcome = {
				ok: outcome.ok && ok,
				summary:
					`${outcome.summary}; sync burst (${result.mode}): ${ok ? 'PASS' : 'FAIL'} — ${result.lostLinks} lost links, ` +
					`${result.echoWrites} echo writes, ${result.duplicatesWix + result.duplicatesPlatform} duplicates, ` +
					`${result.failedExecutions} failed executions`,
			};
		} catch (error) {
			outcome = { ok: false, summary: `${outcome.summary}; sync burst: FAIL — ${error.message}` };
		}
	}
	stopping = true;
	await instance.stop().catch(() => undefined);
	console.log(outcome.summary);
	process.exit(outcome.ok ? 0 : 1);
}

main().catch((error) => {
	console.error(`demo: ${error.stack ?? error.message}`);
	if (process.argv.includes('--check'))
		console.log(`demo check: FAIL — ${error.message.split('\n')[0]}`);
	process.exit(1);
});
