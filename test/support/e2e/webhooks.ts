/* eslint-disable @n8n/community-nodes/no-restricted-imports -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { N8nExecution, N8nNode, N8nWorkflow } from './n8n';
import { credentialRef, e2eInstance, n8n, packageNodeType, sandboxControl, wixCall } from './n8n';

/**
 * Plumbing for the e2e tests of the Wix Gallery Trigger in real n8n: workflows started by the sandbox's signed
 * webhooks, genuine deliveries captured for replay, and the sandbox's webhook targets borrowed for a test file.
 */

export const TRIGGER = 'Wix Gallery Trigger';

export interface WixItem {
	id: string;
	title?: string;
	type?: string;
	image?: Record<string, unknown>;
}

/** A trigger node (app credential) as the editor saves it: the hidden raw-body option is left to its default. */
export function triggerNode(parameters: Record<string, unknown> = {}): N8nNode {
	return {
		name: TRIGGER,
		type: packageNodeType('wixGalleryTrigger'),
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { events: ['galleryItemCreated'], ...parameters },
		credentials: credentialRef('wixGalleryOAuth2Api'),
	};
}

/** Creates and activates a workflow, and returns it with its trigger's production URL once n8n serves it. */
export async function activateWithWebhook(workflow: {
	name: string;
	nodes: N8nNode[];
	connections: Record<string, unknown>;
}): Promise<{ workflow: N8nWorkflow; url: string }> {
	return await n8n().activateWithWebhook(workflow);
}

/**
 * Points the sandbox's Wix webhooks at `url`, and switches off the external platform's notifications: a workflow
 * under test that posts to the platform would otherwise start example 2's platform branch, which creates Wix
 * items, whose webhooks come back here. `restore()` puts the set-up's targets back.
 */
export async function borrowWebhookTargets(
	url: string | null,
): Promise<{ restore(): Promise<void> }> {
	await sandboxControl('PUT', 'webhook-target', { url });
	await sandboxControl('PUT', 'external/webhook-target', { url: null });
	return {
		async restore() {
			const { webhookTargets } = e2eInstance();
			await sandboxControl('PUT', 'webhook-target', { url: webhookTargets.wix?.url ?? null });
			await sandboxControl('PUT', 'external/webhook-target', {
				url: webhookTargets.external?.url ?? null,
				maxAttempts: 3,
			});
		},
	};
}

export async function pointWixWebhooksAt(
	url: string,
	options: { duplicate?: boolean; outOfOrder?: boolean } = {},
): Promise<void> {
	await sandboxControl('PUT', 'webhook-target', { url, ...options });
}

/** Waits until the sandbox has finished every webhook delivery it started. */
export async function flushWixWebhooks(): Promise<void> {
	await sandboxControl('POST', 'webhooks/flush', { timeoutMs: 60000 });
}

/** A receiver that keeps the raw bodies the sandbox POSTs: genuine signed JWTs to replay. */
export async function startCapture(): Promise<{
	url: string;
	bodies: string[];
	close(): Promise<void>;
}> {
	const bodies: string[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			bodies.push(Buffer.concat(chunks).toString('utf8'));
			response.statusCode = 200;
			response.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/wix-webhooks`,
		bodies,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** Genuine signed deliveries of the changes `changes` makes, captured instead of delivered to n8n. */
export async function captureDeliveries(changes: () => Promise<void>): Promise<string[]> {
	const capture = await startCapture();
	try {
		await pointWixWebhooksAt(capture.url);
		await changes();
		await flushWixWebhooks();
		return [...capture.bodies];
	} finally {
		await capture.close();
	}
}

export async function postWebhook(
	url: string,
	body: string,
	contentType = 'text/plain',
): Promise<{ status: number; text: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': contentType },
		body,
	});
	return { status: response.status, text: await response.text() };
}

export async function createGallery(name: string): Promise<string> {
	const { gallery } = await wixCall<{ gallery: { id: string } }>(
		'POST',
		'/pro-gallery/v2/galleries',
		{
			gallery: { name },
		},
	);
	return gallery.id;
}

/** An image block of a seeded item (its Media Manager file is ready), to create image items with. */
export async function seededImage(): Promise<Record<string, unknown>> {
	const { galleries } = await wixCall<{ galleries: Array<{ items?: WixItem[] }> }>(
		'GET',
		'/pro-gallery/v2/galleries?itemLimit=10',
	);
	const image = galleries
		.flatMap((gallery) => gallery.items ?? [])
		.find((item) => item.type === 'IMAGE')?.image;
	if (!image) throw new Error('the sandbox seed has no image item');
	return image;
}

export async function createImageItem(
	galleryId: string,
	title: string,
	image: Record<string, unknown>,
): Promise<WixItem> {
	const { item } = await wixCall<{ item: WixItem }>(
		'POST',
		`/pro-gallery/v2/galleries/${galleryId}/items`,
		{ item: { title, image } },
	);
	return item;
}

/** Every execution n8n recorded for the workflow, whatever its status (running, success, error, ...). */
export async function allExecutions(workflowId: string): Promise<N8nExecution[]> {
	return await n8n().listExecutions({ workflowId, limit: 250 });
}

/** Waits until the workflow has `count` executions and none is still running; returns them with their data. */
export async function settledExecutions(
	workflowId: string,
	count: number,
	timeoutMs = 90000,
): Promise<N8nExecution[]> {
	const finished = await n8n().waitForExecutions(workflowId, { count, timeoutMs });
	return await Promise.all(
		finished.map(async (execution) => await n8n().getExecution(execution.id)),
	);
}
