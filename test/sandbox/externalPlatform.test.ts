/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node and receive webhooks on a node:http server */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	createExternalPlatformModule,
	createSharedGalleryModule,
	parseMultipart,
	pngImage,
	SHARED_GALLERY_MEDIA,
} from '../../sandbox/src';
import type { ExternalEvent, ExternalMedia } from '../../sandbox/src';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

let sandbox: TestSandbox;
let api: string;
let token: string;

let receiver: Server;
let receiverUrl: string;
let received: ExternalEvent[] = [];
/** Statuses the receiver answers with, in order; 200 once used up. */
let receiverStatuses: number[] = [];

beforeAll(async () => {
	sandbox = await startTestSandbox({
		modules: [createSharedGalleryModule(), createExternalPlatformModule()],
	});
	const credentials = (await (
		await fetch(`${sandbox.baseUrl}/_sandbox/external/credentials`)
	).json()) as {
		baseUrl: string;
		token: string;
	};
	api = credentials.baseUrl;
	token = credentials.token;

	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const status = receiverStatuses.shift() ?? 200;
			if (status < 300)
				received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExternalEvent);
			res.statusCode = status;
			res.end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
	await sandbox?.close();
	await new Promise((resolve) => receiver?.close(resolve));
});

beforeEach(async () => {
	await sandbox.control.reset();
	received = [];
	receiverStatuses = [];
});

function auth(extra: Record<string, string> = {}): Record<string, string> {
	return { Authorization: `Bearer ${token}`, ...extra };
}

async function upload(bytes: Buffer, caption?: string, fileName = 'photo.png'): Promise<Response> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), fileName);
	if (caption !== undefined) form.append('caption', caption);
	return await fetch(`${api}/media`, { method: 'POST', headers: auth(), body: form });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
async function controlCall(method: string, path: string, body?: unknown): Promise<any> {
	const response = await fetch(`${sandbox.baseUrl}/_sandbox/external/${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	expect(response.status).toBeLessThan(300);
	return await response.json();
}

const image = pngImage({ width: 40, height: 30, seed: 3 });

describe('external platform API', () => {
	it('exposes its token in the credentials route and the state dump, and demands it', async () => {
		expect(token).toMatch(/^ext_[0-9a-f]{48}$/);
		const state = await sandbox.control.state<{ externalPlatform: { token: string } }>();
		expect(state.externalPlatform.token).toBe(token);
		expect((await fetch(`${api}/media`)).status).toBe(401);
		const wrong = await fetch(`${api}/media`, { headers: { Authorization: 'Bearer nope' } });
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({
			error: { code: 'unauthorized', message: expect.any(String) },
		});
		const wixStyle = await fetch(`${api}/media`, { headers: { Authorization: token } });
		expect(wixStyle.status).toBe(401);
		expect((await fetch(`${api}/media`, { headers: auth() })).status).toBe(200);
	});

	it('takes a multipart upload and serves the same bytes back', async () => {
		const response = await upload(image, 'Sunset — über schön');
		expect(response.status).toBe(201);
		const media = (await response.json()) as ExternalMedia;
		expect(media).toMatchObject({
			id: expect.stringMatching(/^med_/),
			caption: 'Sunset — über schön',
			mimeType: 'image/png',
			size: image.length,
			sha256: createHash('sha256').update(image).digest('hex'),
		});
		expect(Date.parse(media.createdAt)).not.toBeNaN();
		expect(media.updatedAt).toBe(media.createdAt);
		const file = await fetch(media.url);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await file.arrayBuffer())).toEqual(image);
		const fetched = await fetch(`${api}/media/${media.id}`, { headers: auth() });
		expect(await fetched.json()).toEqual(media);
	});

	it('fetches JSON {url} uploads, e.g. a Shared Gallery download URL', async () => {
		const download = await fetch(`${sandbox.baseUrl}/shared-gallery/v1/items/download-url`, {
			method: 'POST',
			headers: {
				Authorization: sandbox.credentials.apiKey,
				'wix-site-id': sandbox.credentials.siteId,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({ itemIds: [SHARED_GALLERY_MEDIA['timelapse.mp4']] }),
		});
		const { url } = (await download.json()) as { url: string };
		const created = await fetch(`${api}/media`, {
			method: 'POST',
			headers: auth({ 'Content-Type': 'application/json' }),
			body: JSON.stringify({ url, caption: 'from Wix' }),
		});
		expect(created.status).toBe(201);
		const media = (await created.json()) as ExternalMedia;
		expect(media.mimeType).toBe('video/mp4');
		expect(media.caption).toBe('from Wix');
		const original = Buffer.from(await (await fetch(url)).arrayBuffer());
		expect(media.sha256).toBe(createHash('sha256').update(original).digest('hex'));

		const unreachable = await fetch(`${api}/media`, {
			method: 'POST',
			headers: auth({ 'Content-Type': 'application/json' }),
			body: JSON.stringify({ url: `${sandbox.baseUrl}/shared-gallery-files/download/nope` }),
		});
		expect(unreachable.status).toBe(422);
	});

	it('refuses empty forms, non-media and malformed bodies', async () => {
		expect((await upload(Buffer.from('just text'), 'x', 'a.txt')).status).toBe(415);
		const noFile = new FormData();
		noFile.append('caption', 'no file');
		expect(
			(await fetch(`${api}/media`, { method: 'POST', headers: auth(), body: noFile })).status,
		).toBe(400);
		const noUrl = await fetch(`${api}/media`, {
			method: 'POST',
			headers: auth({ 'Content-Type': 'application/json' }),
			body: JSON.stringify({ caption: 'nothing' }),
		});
		expect(noUrl.status).toBe(400);
	});

	it('lists with limit and cursor, updates captions, deletes', async () => {
		const ids: string[] = [];
		for (let index = 0; index < 5; index++) {
			ids.push(((await (await upload(image, `post ${index}`)).json()) as ExternalMedia).id);
		}
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const query: string = `limit=2${cursor ? `&cursor=${cursor}` : ''}`;
			const page = (await (await fetch(`${api}/media?${query}`, { headers: auth() })).json()) as {
				items: ExternalMedia[];
				nextCursor: string | null;
			};
			seen.push(...page.items.map((item) => item.id));
			cursor = page.nextCursor;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toEqual(ids);
		expect((await fetch(`${api}/media?limit=101`, { headers: auth() })).status).toBe(400);

		const patched = await fetch(`${api}/media/${ids[1]}`, {
			method: 'PATCH',
			headers: auth({ 'Content-Type': 'application/json' }),
			body: JSON.stringify({ caption: 'edited' }),
		});
		const updated = (await patched.json()) as ExternalMedia;
		expect(updated.caption).toBe('edited');
		expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(updated.createdAt));

		const deleted = await fetch(`${api}/media/${ids[0]}`, { method: 'DELETE', headers: auth() });
		expect(await deleted.json()).toEqual({ id: ids[0], deleted: true });
		expect((await fetch(`${api}/media/${ids[0]}`, { headers: auth() })).status).toBe(404);
		expect((await fetch(`${api}/files/${ids[0]}`)).status).toBe(404);
		expect(
			(await fetch(`${api}/media/${ids[0]}`, { method: 'DELETE', headers: auth() })).status,
		).toBe(404);
		const all = (await (await fetch(`${api}/media`, { headers: auth() })).json()) as {
			items: ExternalMedia[];
		};
		expect(all.items.map((item) => item.id)).toEqual(ids.slice(1));
	});

	it('is logged and faultable like any non-control route', async () => {
		await sandbox.control.clearRequests();
		await sandbox.control.addFault({ method: 'POST', path: '^/external/v1/media$', status: 503 });
		expect((await upload(image)).status).toBe(503);
		expect((await upload(image)).status).toBe(201);
		const log = await sandbox.control.requests();
		expect(
			log.filter((entry) => entry.path === '/external/v1/media').map((entry) => entry.status),
		).toEqual([503, 201]);
	});
});

describe('external platform notifications', () => {
	async function flush(): Promise<void> {
		await controlCall('POST', 'webhooks/flush', {});
	}

	it('notifies every change made through the API or by a simulated user, in order', async () => {
		await controlCall('PUT', 'webhook-target', { url: receiverUrl });
		const viaApi = (await (await upload(image, 'api')).json()) as ExternalMedia;
		await fetch(`${api}/media/${viaApi.id}`, {
			method: 'PATCH',
			headers: auth({ 'Content-Type': 'application/json' }),
			body: JSON.stringify({ caption: 'api edited' }),
		});
		const byUser = (await controlCall('POST', 'media', {
			caption: 'posted in the app',
		})) as ExternalMedia;
		expect(byUser.mimeType).toBe('image/png');
		await controlCall('PATCH', `media/${byUser.id}`, { caption: 'edited in the app' });
		await controlCall('DELETE', `media/${byUser.id}`);
		await fetch(`${api}/media/${viaApi.id}`, { method: 'DELETE', headers: auth() });
		await flush();

		expect(received.map((event) => [event.event, event.id])).toEqual([
			['media.created', viaApi.id],
			['media.updated', viaApi.id],
			['media.created', byUser.id],
			['media.updated', byUser.id],
			['media.deleted', byUser.id],
			['media.deleted', viaApi.id],
		]);
		expect(received[1].media.caption).toBe('api edited');
		expect(received[4].media).toMatchObject({ id: byUser.id, caption: 'edited in the app' });
		expect(Date.parse(received[0].occurredAt)).not.toBeNaN();
		const log = await controlCall('GET', 'webhooks');
		expect(log).toHaveLength(6);
		expect(log.every((delivery: { status: number }) => delivery.status === 200)).toBe(true);
	});

	it('retries a failed delivery up to maxAttempts, and sends nothing without a target', async () => {
		await controlCall('POST', 'media', { caption: 'unseen' });
		await flush();
		expect(received).toEqual([]);

		await controlCall('PUT', 'webhook-target', { url: receiverUrl, maxAttempts: 3 });
		receiverStatuses = [500, 502];
		const media = (await controlCall('POST', 'media', {
			caption: 'third time lucky',
		})) as ExternalMedia;
		await flush();
		expect(received.map((event) => event.id)).toEqual([media.id]);
		const log = (await controlCall('GET', 'webhooks')) as Array<{
			attempt: number;
			status: number;
		}>;
		expect(log.map((delivery) => [delivery.attempt, delivery.status])).toEqual([
			[1, 500],
			[2, 502],
			[3, 200],
		]);

		await controlCall('PUT', 'webhook-target', { url: null });
		await controlCall('POST', 'media', {});
		await flush();
		expect(received).toHaveLength(1);
	});
});

describe('parseMultipart', () => {
	it('reads fields and files as the global FormData encodes them', async () => {
		const form = new FormData();
		form.append('caption', 'line one\r\nline two');
		form.append(
			'file',
			new Blob([new Uint8Array(image)], { type: 'image/png' }),
			'naïve "quoted".png',
		);
		const encoded = new Response(form);
		const body = Buffer.from(await encoded.arrayBuffer());
		const parts = parseMultipart(body, encoded.headers.get('content-type') ?? '');
		expect(parts.map((part) => part.name)).toEqual(['caption', 'file']);
		expect(parts[0].data.toString('utf8')).toBe('line one\r\nline two');
		expect(parts[1].data).toEqual(image);
		expect(parts[1].contentType).toBe('image/png');
		expect(parts[1].fileName).toContain('quoted');
	});

	it('rejects bodies without the boundary or cut short', () => {
		expect(() => parseMultipart(Buffer.from('x'), 'multipart/form-data; boundary=abc')).toThrow();
		expect(() =>
			parseMultipart(
				Buffer.from('--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue'),
				'multipart/form-data; boundary=abc',
			),
		).toThrow(/truncated/);
		expect(() => parseMultipart(Buffer.from(''), 'application/json')).toThrow();
	});
});
