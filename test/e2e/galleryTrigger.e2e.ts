import { createHmac, generateKeyPairSync, sign } from 'node:crypto';

import { sleep } from '../../scripts/n8n-client.cjs';
import type { N8nExecution, N8nWorkflow } from '../support/e2e/n8n';
import { download, e2eInstance, n8n, nodeOutput, sandboxControl, sha256 } from '../support/e2e/n8n';
import {
	TRIGGER,
	activateWithWebhook,
	allExecutions,
	borrowWebhookTargets,
	captureDeliveries,
	createGallery,
	createImageItem,
	flushWixWebhooks,
	pointWixWebhooksAt,
	postWebhook,
	seededImage,
	settledExecutions,
	triggerNode,
} from '../support/e2e/webhooks';

// The trigger in n8n 2.41.1 as a user runs it: an active workflow whose production URL receives the sandbox's
// RS256-signed deliveries, posting each new item's media to the fake external platform.

const POST_TO_PLATFORM = 'Post to Platform';

interface ExternalMedia {
	id: string;
	caption: string;
	size: number;
	sha256: string;
}

interface WebhookAttempt {
	eventId: string;
	eventType: string;
	attempt: number;
	status: number;
	copy: number;
}

let galleryId: string;
let image: Record<string, unknown>;
let workflow: N8nWorkflow;
let productionUrl: string;
let targets: { restore(): Promise<void> };

/** Newest first; n8n numbers executions in the order it starts them. */
async function executionIds(): Promise<string[]> {
	return (await allExecutions(workflow.id)).map((execution) => execution.id);
}

async function newExecutions(known: string[], count: number): Promise<N8nExecution[]> {
	const settled = await settledExecutions(workflow.id, known.length + count);
	return settled.filter((execution) => !known.includes(execution.id));
}

/** Lets n8n start anything a request may have started, then says which executions are new. */
async function executionsSince(known: string[]): Promise<string[]> {
	await sleep(1500);
	return (await executionIds()).filter((id) => !known.includes(id));
}

beforeAll(async () => {
	const instance = e2eInstance();
	const external = instance.credentials.httpBearerAuth;
	if (!instance.sandbox.external || !external)
		throw new Error('the sandbox has no external platform');
	galleryId = await createGallery(`e2e trigger ${Date.now()}`);
	image = await seededImage();
	({ workflow, url: productionUrl } = await activateWithWebhook({
		name: 'e2e: Wix Gallery Trigger → external platform',
		nodes: [
			triggerNode({ galleryIds: galleryId }),
			{
				name: POST_TO_PLATFORM,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `${instance.sandbox.external.baseUrl}/media`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpBearerAuth',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ url: $json.mediaUrl, caption: $json.title }) }}',
					options: {},
				},
				credentials: { httpBearerAuth: { id: external.id, name: external.name } },
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: POST_TO_PLATFORM, type: 'main', index: 0 }]] } },
	}));
	targets = await borrowWebhookTargets(productionUrl);
});

afterAll(async () => {
	await targets?.restore();
	if (workflow) await n8n().deactivateWorkflow(workflow.id);
});

describe('Wix Gallery Trigger in real n8n', () => {
	test('a new item in the sandbox → signed webhook to the production URL → the platform receives the media', async () => {
		// The workflow is saved without the hidden raw-body option, as the editor saves a default.
		const saved = await n8n().getWorkflow(workflow.id);
		expect(saved.nodes.find((node) => node.name === TRIGGER)?.parameters).not.toHaveProperty(
			'options',
		);
		expect(productionUrl).toMatch(/\/webhook\/[0-9a-f-]+\/webhook$/);
		const known = await executionIds();
		const title = `e2e trigger item ${Date.now()}`;

		const item = await createImageItem(galleryId, title, image);
		await flushWixWebhooks();

		const attempts = await sandboxControl<WebhookAttempt[]>('GET', 'webhooks');
		const delivered = attempts.filter(
			(attempt) => attempt.eventType.endsWith('gallery_item_created') && attempt.status === 200,
		);
		expect(delivered.length).toBeGreaterThan(0);
		const [execution] = await newExecutions(known, 1);
		expect({ mode: execution.mode, status: execution.status }).toEqual({
			mode: 'webhook',
			status: 'success',
		});
		const [emitted] = nodeOutput(execution, TRIGGER);
		expect(emitted.json).toMatchObject({
			event: 'galleryItemCreated',
			eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
			galleryId,
			itemId: item.id,
			title,
			type: 'IMAGE',
			instanceId: e2eInstance().sandbox.credentials.instanceId,
			stale: false,
		});
		const mediaUrl = emitted.json.mediaUrl;
		expect(typeof mediaUrl).toBe('string');

		const [posted] = nodeOutput(execution, POST_TO_PLATFORM);
		expect(posted.json).toMatchObject({ caption: title });
		const platformMedia = await sandboxControl<ExternalMedia[]>('GET', 'external/media');
		const received = platformMedia.filter((media) => media.caption === title);
		expect(received).toHaveLength(1);
		const sourceBytes = await download(String(mediaUrl));
		expect(received[0]).toMatchObject({ size: sourceBytes.length, sha256: sha256(sourceBytes) });
	});

	test('forged webhooks → 401 and no execution; the genuine JWT as application/json runs once, its replay never', async () => {
		const title = `e2e genuine ${Date.now()}`;
		const [genuine] = await captureDeliveries(async () => {
			await createImageItem(galleryId, title, image);
		});
		await pointWixWebhooksAt(productionUrl);
		expect(genuine).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

		const [, payload, signature] = genuine.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const signed = (header: object, signer: (data: Buffer) => Buffer, body = payload) => {
			const data = `${b64(header)}.${body}`;
			return `${data}.${signer(Buffer.from(data)).toString('base64url')}`;
		};
		const forged: Array<[string, string]> = [
			[
				'signed with another RSA key',
				signed({ alg: 'RS256', typ: 'JWT' }, (data) => sign('sha256', data, otherKey.privateKey)),
			],
			['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
			[
				'HS256 keyed with the app public key',
				signed({ alg: 'HS256', typ: 'JWT' }, (data) =>
					createHmac('sha256', e2eInstance().sandbox.credentials.publicKeyPem)
						.update(data)
						.digest(),
				),
			],
			[
				'a tampered payload under the genuine signature',
				`${genuine.split('.')[0]}.${b64({ ...claims, data: String(claims.data).replace(title, 'forged') })}.${signature}`,
			],
		];

		const known = await executionIds();
		for (const [name, body] of forged) {
			for (const contentType of ['text/plain', 'application/json']) {
				const answer = await postWebhook(productionUrl, body, contentType);
				expect({ name, contentType, status: answer.status }).toEqual({
					name,
					contentType,
					status: 401,
				});
			}
		}
		// n8n records failed executions too: none may exist, of any status.
		expect(await executionsSince(known)).toEqual([]);

		// n8n 2.41 parses application/json bodies before a node sees them, unless the trigger asks for the raw body.
		// A started delivery gets an empty 200 (the trigger declares responseData 'noData'; Wix reads the status).
		const accepted = await postWebhook(productionUrl, genuine, 'application/json');
		expect(accepted).toEqual({ status: 200, text: '' });
		const [execution] = await newExecutions(known, 1);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, TRIGGER)[0].json).toMatchObject({
			event: 'galleryItemCreated',
			title,
		});

		const afterGenuine = await executionIds();
		for (const contentType of ['application/json', 'text/plain']) {
			const replay = await postWebhook(productionUrl, genuine, contentType);
			expect(replay.status).toBe(200);
			expect(replay.text).toContain('duplicate');
		}
		expect(await executionsSince(afterGenuine)).toEqual([]);
	});

	test('Wix delivering every event twice starts one execution per event', async () => {
		await pointWixWebhooksAt(productionUrl, { duplicate: true });
		try {
			const known = await executionIds();
			const title = `e2e twice ${Date.now()}`;
			const item = await createImageItem(galleryId, title, image);
			await flushWixWebhooks();

			const attempts = await sandboxControl<WebhookAttempt[]>('GET', 'webhooks');
			const eventIds = new Set(
				attempts
					.filter((attempt) => attempt.eventType.endsWith('gallery_item_created'))
					.map((attempt) => attempt.eventId),
			);
			const copies = attempts.filter(
				(attempt) => attempt.eventId === [...eventIds].pop() && attempt.status === 200,
			);
			expect(copies.map((attempt) => attempt.copy).sort()).toEqual([1, 2]);

			const [execution] = await newExecutions(known, 1);
			const [emitted] = nodeOutput(execution, TRIGGER);
			expect(emitted.json).toMatchObject({ itemId: item.id, title });
			expect(await executionsSince([...known, execution.id])).toEqual([]);

			// Nothing after the trigger writes static data here, so the delivery log n8n saved is the one that stays.
			const staticData = (await n8n().readStaticData(workflow.id)) as Record<
				string,
				{ seenEvents?: Record<string, number> } | undefined
			>;
			expect(Object.keys(staticData[`node:${TRIGGER}`]?.seenEvents ?? {})).toContain(
				emitted.json.eventId,
			);
		} finally {
			await pointWixWebhooksAt(productionUrl);
		}
	});
});
