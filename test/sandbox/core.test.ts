/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AppStrategy, createClient } from '@wix/sdk';
import { proGallery } from '@wix/pro-gallery';

import { notFound, parseCliArgs, runCli } from '../../sandbox/src';
import type { SandboxContext, SandboxModule, SeedName } from '../../sandbox/src';
import { TEST_WEBHOOK_TIMEOUT_MS, startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

interface Widget {
	id: string;
	name: string;
}

/** A tiny module so that these tests depend on nothing but the core. */
function createWidgetModule(): SandboxModule & { widgets: Map<string, Widget> } {
	const widgets = new Map<string, Widget>();
	return {
		name: 'widgets',
		widgets,
		register(ctx: SandboxContext) {
			ctx.route(
				'GET',
				['/widgets/v1/widgets/:widgetId', '/widget-api/v1/widgets/:widgetId'],
				(req) => {
					const widget = widgets.get(req.params.widgetId);
					if (!widget) throw notFound('Widget', req.params.widgetId);
					return { body: { widget, caller: req.identity } };
				},
			);
			ctx.route('POST', '/widgets/v1/widgets', (req) => {
				const widget: Widget = { id: ctx.newId(), name: String(req.json().name ?? '') };
				widgets.set(widget.id, widget);
				ctx.emit({
					eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
					entityFqdn: 'wix.pro_gallery.v2.gallery',
					slug: 'gallery_item_created',
					entityId: widget.id,
					actionEvent: { body: { item: { id: widget.id, title: widget.name, sortOrder: 3.5 } } },
					identity: req.identity,
				});
				return { status: 200, body: { widget } };
			});
			ctx.route(
				'GET',
				'/widgets/v1/public/ping',
				(req) => ({ body: { pong: true, caller: req.identity } }),
				{
					auth: 'none',
				},
			);
			ctx.route('POST', '/widgets/v1/upload', (req) => ({ body: { size: req.body.length } }));
			ctx.route('GET', '/widgets/v1/boom', () => {
				throw new Error('unexpected');
			});
		},
		reset(_ctx: SandboxContext, seed: SeedName) {
			widgets.clear();
			if (seed === 'default') widgets.set('w1', { id: 'w1', name: 'Seeded widget' });
		},
		dump: () => ({ widgets: [...widgets.values()] }),
	};
}

interface Receiver {
	url: string;
	bodies: Array<{ body: string; contentType: string | undefined; receivedAt: number }>;
	/** Status (and optional delay) to answer each successive request with; 200 once exhausted. */
	plan: Array<{ status: number; delayMs?: number }>;
	close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
	const receiver: Partial<Receiver> = { bodies: [], plan: [] };
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			receiver.bodies!.push({
				body: Buffer.concat(chunks).toString('utf8'),
				contentType: req.headers['content-type'],
				receivedAt: Date.now(),
			});
			const step = receiver.plan!.shift() ?? { status: 200 };
			const answer = () => {
				res.statusCode = step.status;
				res.end();
			};
			if (step.delayMs) setTimeout(answer, step.delayMs);
			else answer();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
	receiver.close = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return receiver as Receiver;
}

function decodeSegment(segment: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('sandbox core', () => {
	let sandbox: TestSandbox;
	let receiver: Receiver;
	let apiKeyHeaders: Record<string, string>;

	beforeAll(async () => {
		sandbox = await startTestSandbox({ modules: [createWidgetModule()] });
		receiver = await startReceiver();
		apiKeyHeaders = {
			Authorization: sandbox.credentials.apiKey,
			'wix-site-id': sandbox.credentials.siteId,
		};
	});

	afterAll(async () => {
		await sandbox.close();
		await receiver.close();
	});

	beforeEach(async () => {
		await sandbox.control.reset();
		receiver.bodies.length = 0;
		receiver.plan.length = 0;
	});

	async function getToken(): Promise<string> {
		const response = await fetch(`${sandbox.baseUrl}/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				grant_type: 'client_credentials',
				client_id: sandbox.credentials.appId,
				client_secret: sandbox.credentials.appSecret,
				instance_id: sandbox.credentials.instanceId,
			}),
		});
		expect(response.status).toBe(200);
		return ((await response.json()) as { access_token: string }).access_token;
	}

	async function createWidget(headers: Record<string, string>, name = 'New'): Promise<Widget> {
		const response = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets`, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': 'application/json' },
			body: JSON.stringify({ name }),
		});
		expect(response.status).toBe(200);
		return ((await response.json()) as { widget: Widget }).widget;
	}

	describe('routing', () => {
		it('serves a route under each alias, with params and a request id', async () => {
			for (const prefix of ['/widgets/v1', '/widget-api/v1']) {
				const response = await fetch(`${sandbox.baseUrl}${prefix}/widgets/w1`, {
					headers: apiKeyHeaders,
				});
				expect(response.status).toBe(200);
				expect(response.headers.get('x-wix-request-id')).toMatch(/^\d+\.\d+$/);
				const body = (await response.json()) as { widget: Widget };
				expect(body.widget).toEqual({ id: 'w1', name: 'Seeded widget' });
			}
		});

		it('answers unknown paths with 404 and known paths with a wrong method with 405, Wix-shaped', async () => {
			const missing = await fetch(`${sandbox.baseUrl}/nothing/here`, { headers: apiKeyHeaders });
			expect(missing.status).toBe(404);
			const missingBody = (await missing.json()) as {
				message: string;
				details: { applicationError: { code: string }; requestId: string };
			};
			expect(missingBody.details.applicationError.code).toBe('NOT_FOUND');
			expect(missingBody.details.requestId).toBe(missing.headers.get('x-wix-request-id'));

			const wrongMethod = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, {
				method: 'DELETE',
				headers: apiKeyHeaders,
			});
			expect(wrongMethod.status).toBe(405);
			expect(((await wrongMethod.json()) as { message: string }).message).toBe(
				'Method Not Allowed',
			);
		});

		it('turns WixHttpError into its status and body, and other exceptions into an empty 500', async () => {
			const missing = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/nope`, {
				headers: apiKeyHeaders,
			});
			expect(missing.status).toBe(404);
			const body = (await missing.json()) as {
				message: string;
				details: { applicationError: { code: string; description: string }; requestId: string };
			};
			expect(body.message).toBe('Widget not found: nope');
			expect(body.details.applicationError.code).toBe('NOT_FOUND');
			expect(body.details.requestId).toBe(missing.headers.get('x-wix-request-id'));

			const boom = await fetch(`${sandbox.baseUrl}/widgets/v1/boom`, { headers: apiKeyHeaders });
			expect(boom.status).toBe(500);
			expect(await boom.text()).toBe('');
		});
	});

	describe('auth', () => {
		it('accepts the API key with the site id as the site owner', async () => {
			const response = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, {
				headers: apiKeyHeaders,
			});
			expect(response.status).toBe(200);
			const body = (await response.json()) as { caller: unknown };
			expect(body.caller).toEqual({ identityType: 'WIX_USER', wixUserId: expect.any(String) });
		});

		it('rejects the API key without or with a wrong site id with 403 PERMISSION_DENIED', async () => {
			for (const headers of [
				{ Authorization: sandbox.credentials.apiKey },
				{
					Authorization: sandbox.credentials.apiKey,
					'wix-site-id': '00000000-0000-0000-0000-000000000000',
				},
			]) {
				const response = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, { headers });
				expect(response.status).toBe(403);
				const body = (await response.json()) as { details: { applicationError: { code: string } } };
				expect(body.details.applicationError.code).toBe('PERMISSION_DENIED');
			}
		});

		it('rejects a bad or missing credential with 401 UNAUTHENTICATED', async () => {
			for (const headers of [
				{
					Authorization: `${sandbox.credentials.apiKey}x`,
					'wix-site-id': sandbox.credentials.siteId,
				},
				{ 'wix-site-id': sandbox.credentials.siteId },
			]) {
				const response = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, { headers });
				expect(response.status).toBe(401);
				const body = (await response.json()) as { details: { applicationError: { code: string } } };
				expect(body.details.applicationError.code).toBe('UNAUTHENTICATED');
			}
		});

		it('serves auth-none routes without credentials', async () => {
			const response = await fetch(`${sandbox.baseUrl}/widgets/v1/public/ping`);
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({ pong: true, caller: null });
		});

		it('issues client-credentials tokens that work with and without the Bearer prefix', async () => {
			const response = await fetch(`${sandbox.baseUrl}/oauth2/token`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({
					grant_type: 'client_credentials',
					client_id: sandbox.credentials.appId,
					client_secret: sandbox.credentials.appSecret,
					instance_id: sandbox.credentials.instanceId,
				}),
			});
			expect(response.status).toBe(200);
			const token = (await response.json()) as {
				access_token: string;
				token_type: string;
				expires_in: number;
			};
			expect(token.token_type).toBe('Bearer');
			expect(token.expires_in).toBe(14400);
			for (const authorization of [token.access_token, `Bearer ${token.access_token}`]) {
				const call = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, {
					headers: { Authorization: authorization },
				});
				expect(call.status).toBe(200);
				const body = (await call.json()) as { caller: unknown };
				expect(body.caller).toEqual({ identityType: 'APP', appId: sandbox.credentials.appId });
			}
		});

		it('answers bad client credentials with RFC 6749 errors', async () => {
			const request = async (body: Record<string, unknown>) => {
				const response = await fetch(`${sandbox.baseUrl}/oauth2/token`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({
						grant_type: 'client_credentials',
						client_id: sandbox.credentials.appId,
						client_secret: sandbox.credentials.appSecret,
						instance_id: sandbox.credentials.instanceId,
						...body,
					}),
				});
				return { status: response.status, body: (await response.json()) as Record<string, string> };
			};
			const badSecret = await request({ client_secret: 'wrong' });
			expect(badSecret.status).toBe(401);
			expect(badSecret.body.error).toBe('invalid_client');
			expect(typeof badSecret.body.error_description).toBe('string');

			const badClient = await request({ client_id: 'someone-else' });
			expect(badClient.status).toBe(401);
			expect(badClient.body.error).toBe('invalid_client');

			const badInstance = await request({ instance_id: 'not-installed' });
			expect(badInstance.status).toBe(400);
			expect(badInstance.body.error).toBe('invalid_client');

			const badGrant = await request({ grant_type: 'password' });
			expect(badGrant.status).toBe(400);
			expect(badGrant.body.error).toBe('unsupported_grant_type');
		});

		it('expires tokens after tokenTtlSeconds', async () => {
			// Two tokens used at the same moment, after the short one's lifetime: only the lifetime tells them apart.
			// (No token is used within a short lifetime, which a busy machine could overrun.)
			const lasting = await getToken();
			await sandbox.control.setConfig({ tokenTtlSeconds: 0.2 });
			const shortLived = await getToken();
			await sleep(250);
			const statusWith = async (token: string) =>
				(
					await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, {
						headers: { Authorization: token },
					})
				).status;
			expect(await statusWith(lasting)).toBe(200);
			expect(await statusWith(shortLived)).toBe(401);
		});

		it('invalidates every issued token on expire-tokens, but not tokens issued afterwards', async () => {
			const first = await getToken();
			const second = await getToken();
			expect(await sandbox.control.expireTokens()).toBe(2);
			for (const token of [first, second]) {
				const response = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, {
					headers: { Authorization: token },
				});
				expect(response.status).toBe(401);
			}
			const third = await getToken();
			const response = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, {
				headers: { Authorization: third },
			});
			expect(response.status).toBe(200);
		});
	});

	describe('faults', () => {
		it('injects a status with Retry-After for `count` matching requests, then lets requests through', async () => {
			await sandbox.control.addFault({
				path: '^/widgets/v1/widgets/',
				method: 'GET',
				status: 429,
				retryAfter: 7,
				count: 2,
			});
			const url = `${sandbox.baseUrl}/widgets/v1/widgets/w1`;
			// A different method does not match the fault.
			const post = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets`, {
				method: 'POST',
				headers: { ...apiKeyHeaders, 'Content-Type': 'application/json' },
				body: '{}',
			});
			expect(post.status).toBe(200);
			for (let i = 0; i < 2; i++) {
				const response = await fetch(url, { headers: apiKeyHeaders });
				expect(response.status).toBe(429);
				expect(response.headers.get('retry-after')).toBe('7');
				const body = (await response.json()) as { details: { applicationError: { code: string } } };
				expect(body.details.applicationError.code).toBe('RESOURCE_EXHAUSTED');
			}
			expect((await fetch(url, { headers: apiKeyHeaders })).status).toBe(200);
		});

		it('lets `skip` matching requests through before a fault hits, counting requests other faults answered', async () => {
			await sandbox.control.addFault({ path: '/public/ping$', skip: 1, count: 1, status: 429 });
			await sandbox.control.addFault({ path: '/public/ping$', skip: 2, count: 2, status: 503 });
			const statuses: number[] = [];
			for (let i = 0; i < 5; i++) {
				statuses.push((await fetch(`${sandbox.baseUrl}/widgets/v1/public/ping`)).status);
			}
			expect(statuses).toEqual([200, 429, 503, 503, 200]);
		});

		it('sends 5xx faults with an empty body and applies faults before auth', async () => {
			await sandbox.control.addFault({ path: 'boom|widgets/w1', status: 503 });
			const response = await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`);
			expect(response.status).toBe(503);
			expect(await response.text()).toBe('');
			expect(response.headers.get('x-wix-request-id')).toBeTruthy();
		});

		it('sends a custom fault body', async () => {
			await sandbox.control.addFault({
				path: '/public/ping',
				status: 410,
				body: { message: 'expired' },
			});
			const response = await fetch(`${sandbox.baseUrl}/widgets/v1/public/ping`);
			expect(response.status).toBe(410);
			expect(await response.json()).toEqual({ message: 'expired' });
		});

		it('delays a request by latencyMs and then answers normally', async () => {
			const fault = await sandbox.control.addFault({ path: '/public/ping', latencyMs: 300 });
			const started = Date.now();
			const response = await fetch(`${sandbox.baseUrl}/widgets/v1/public/ping`);
			expect(response.status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
			expect((await fetch(`${sandbox.baseUrl}/widgets/v1/public/ping`)).status).toBe(200);
			// Only the first request was delayed (count 1): the log names the fault that delayed a request.
			const log = await sandbox.control.requests();
			expect(log.map((entry) => ({ status: entry.status, fault: entry.fault }))).toEqual([
				{ status: 200, fault },
				{ status: 200, fault: undefined },
			]);
		});

		it('never faults the control API, and clearFaults drops pending faults', async () => {
			await sandbox.control.addFault({ path: '.*', status: 500, count: 5 });
			const health = await fetch(`${sandbox.baseUrl}/_sandbox/health`);
			expect(health.status).toBe(200);
			await sandbox.control.clearFaults();
			expect((await fetch(`${sandbox.baseUrl}/widgets/v1/public/ping`)).status).toBe(200);
		});

		it('rejects a fault with an invalid path pattern', async () => {
			await expect(sandbox.control.addFault({ path: '(' })).rejects.toThrow(/400/);
		});
	});

	describe('request log', () => {
		it('records calls with query, parsed body and status, and never any secret', async () => {
			const token = await getToken();
			await fetch(
				`${sandbox.baseUrl}/widgets/v1/widgets/w1?fields=a&fields=b&q=${encodeURIComponent(token)}`,
				{
					headers: { Authorization: `Bearer ${token}` },
				},
			);
			await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/nope`, { headers: apiKeyHeaders });
			await fetch(`${sandbox.baseUrl}/widgets/v1/upload`, {
				method: 'POST',
				headers: { ...apiKeyHeaders, 'Content-Type': 'image/png' },
				body: new Uint8Array(1234),
			});
			await fetch(`${sandbox.baseUrl}/widgets/v1/widgets`, {
				method: 'POST',
				headers: { ...apiKeyHeaders, 'Content-Type': 'application/json' },
				body: JSON.stringify({ name: 'Logged', note: sandbox.credentials.apiKey }),
			});
			expect((await fetch(`${sandbox.baseUrl}/_sandbox/health`)).status).toBe(200);

			const log = await sandbox.control.requests();
			expect(log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
				'POST /oauth2/token 200',
				'GET /widgets/v1/widgets/w1 200',
				'GET /widgets/v1/widgets/nope 404',
				'POST /widgets/v1/upload 200',
				'POST /widgets/v1/widgets 200',
			]);
			expect(log.map((entry) => entry.seq)).toEqual(
				[...log.map((entry) => entry.seq)].sort((a, b) => a - b),
			);
			expect(log[1].query.fields).toEqual(['a', 'b']);
			expect(log[1].headers.authorization).toBe('[redacted]');
			expect(log[1].requestId).toMatch(/^\d+\.\d+$/);
			expect(log[3].body).toEqual({ size: 1234, contentType: 'image/png' });
			expect(log[4].body).toEqual({ name: 'Logged', note: '[redacted]' });
			expect((log[0].body as Record<string, unknown>).client_id).toBe(sandbox.credentials.appId);

			const serialized = JSON.stringify(log);
			expect(serialized).not.toContain(sandbox.credentials.apiKey);
			expect(serialized).not.toContain(sandbox.credentials.appSecret);
			expect(serialized).not.toContain(token);

			await sandbox.control.clearRequests();
			expect(await sandbox.control.requests()).toEqual([]);
		});
	});

	describe('webhooks', () => {
		it('delivers an RS256 JWT with the doubly stringified envelope as text/plain', async () => {
			await sandbox.control.setWebhookTarget({ url: receiver.url });
			const widget = await createWidget(apiKeyHeaders, 'Hooked');
			await sandbox.control.flushWebhooks();

			expect(receiver.bodies).toHaveLength(1);
			const { body: jwt, contentType } = receiver.bodies[0];
			expect(contentType).toBe('text/plain');
			const [header, payload, signature] = jwt.split('.');
			expect(
				verify(
					'sha256',
					Buffer.from(`${header}.${payload}`),
					createPublicKey(sandbox.credentials.publicKeyPem),
					Buffer.from(signature, 'base64url'),
				),
			).toBe(true);
			expect(decodeSegment(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });

			const claims = decodeSegment(payload) as {
				data: string;
				iat: number;
				exp: number;
				iss: string;
				aud: string;
			};
			expect(claims.iss).toBe('wix.com');
			expect(claims.aud).toBe(sandbox.credentials.appId);
			expect(claims.exp).toBeGreaterThan(claims.iat);
			expect(typeof claims.data).toBe('string');

			const envelope = JSON.parse(claims.data) as Record<string, unknown>;
			expect(envelope.eventType).toBe('wix.pro_gallery.gallery_v2_gallery_item_created');
			expect(envelope.instanceId).toBe(sandbox.credentials.instanceId);
			expect(typeof envelope.data).toBe('string');
			expect(typeof envelope.identity).toBe('string');
			expect(envelope.accountInfo).toEqual({
				accountId: expect.any(String),
				siteId: sandbox.credentials.siteId,
			});

			const event = JSON.parse(envelope.data as string) as Record<string, unknown>;
			expect(event).toEqual({
				id: expect.stringMatching(/^[0-9a-f-]{36}$/),
				entityFqdn: 'wix.pro_gallery.v2.gallery',
				slug: 'gallery_item_created',
				entityId: widget.id,
				eventTime: expect.any(String),
				triggeredByAnonymizeRequest: false,
				actionEvent: { body: { item: { id: widget.id, title: 'Hooked', sortOrder: 3.5 } } },
			});
			expect(Number.isNaN(Date.parse(event.eventTime as string))).toBe(false);
			expect(JSON.parse(envelope.identity as string)).toEqual({
				identityType: 'WIX_USER',
				wixUserId: expect.any(String),
			});

			const deliveries = await sandbox.control.webhooks();
			expect(deliveries).toEqual([
				expect.objectContaining({
					eventId: event.id,
					eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
					entityId: widget.id,
					attempt: 1,
					status: 200,
					ok: true,
				}),
			]);
		});

		it('puts the app identity on events caused by OAuth calls, and gives every event its own id', async () => {
			await sandbox.control.setWebhookTarget({ url: receiver.url });
			const token = await getToken();
			await createWidget({ Authorization: token });
			await createWidget({ Authorization: token });
			await sandbox.control.flushWebhooks();
			const envelopes = receiver.bodies.map(
				({ body }) =>
					JSON.parse((decodeSegment(body.split('.')[1]) as { data: string }).data) as Record<
						string,
						string
					>,
			);
			expect(envelopes).toHaveLength(2);
			for (const envelope of envelopes) {
				expect(JSON.parse(envelope.identity)).toEqual({
					identityType: 'APP',
					appId: sandbox.credentials.appId,
				});
			}
			const ids = envelopes.map((envelope) => (JSON.parse(envelope.data) as { id: string }).id);
			expect(new Set(ids).size).toBe(2);
		});

		it('drops events when no target is set', async () => {
			await createWidget(apiKeyHeaders);
			await sandbox.control.flushWebhooks();
			expect(receiver.bodies).toHaveLength(0);
			expect(await sandbox.control.webhooks()).toEqual([]);
		});

		it('retries after a non-2xx answer with the same JWT', async () => {
			receiver.plan.push({ status: 500 }, { status: 503 });
			await sandbox.control.setWebhookTarget({ url: receiver.url });
			await createWidget(apiKeyHeaders);
			await sandbox.control.flushWebhooks();
			expect(receiver.bodies).toHaveLength(3);
			expect(new Set(receiver.bodies.map(({ body }) => body)).size).toBe(1);
			const deliveries = await sandbox.control.webhooks();
			expect(deliveries.map(({ attempt, status, ok }) => ({ attempt, status, ok }))).toEqual([
				{ attempt: 1, status: 500, ok: false },
				{ attempt: 2, status: 503, ok: false },
				{ attempt: 3, status: 200, ok: true },
			]);
		});

		it('treats an answer slower than 1250 ms as a failure and gives up after maxAttempts', async () => {
			// Wix's figure, the sandbox's default (startTestSandbox gives receivers longer).
			await sandbox.control.setConfig({ webhookTimeoutMs: 1250 });
			receiver.plan.push({ status: 200, delayMs: 1500 }, { status: 500 });
			await sandbox.control.setWebhookTarget({ url: receiver.url, maxAttempts: 2 });
			await createWidget(apiKeyHeaders);
			await sandbox.control.flushWebhooks();
			const deliveries = await sandbox.control.webhooks();
			expect(deliveries).toHaveLength(2);
			expect(deliveries[0]).toMatchObject({
				attempt: 1,
				status: 0,
				ok: false,
				error: 'no answer within 1250 ms',
			});
			expect(deliveries[1]).toMatchObject({ attempt: 2, status: 500, ok: false });
		});

		it('sends first attempts in emit order, one after another, unless outOfOrder is set', async () => {
			receiver.plan.push({ status: 200, delayMs: 150 });
			await sandbox.control.setWebhookTarget({ url: receiver.url });
			for (const name of ['a', 'b', 'c']) await createWidget(apiKeyHeaders, name);
			await sandbox.control.flushWebhooks();
			const titles = receiver.bodies.map(({ body }) => {
				const envelope = JSON.parse((decodeSegment(body.split('.')[1]) as { data: string }).data);
				return (JSON.parse(envelope.data) as { actionEvent: { body: { item: { title: string } } } })
					.actionEvent.body.item.title;
			});
			expect(titles).toEqual(['a', 'b', 'c']);
			// The second event waited for the receiver's slow answer to the first.
			expect(receiver.bodies[1].receivedAt - receiver.bodies[0].receivedAt).toBeGreaterThanOrEqual(
				140,
			);
		});

		it('delivers every event twice with duplicate, and still delivers all events out of order', async () => {
			await sandbox.control.setWebhookTarget({
				url: receiver.url,
				duplicate: true,
				outOfOrder: true,
			});
			await createWidget(apiKeyHeaders, 'a');
			await createWidget(apiKeyHeaders, 'b');
			await createWidget(apiKeyHeaders, 'c');
			await sandbox.control.flushWebhooks();
			expect(receiver.bodies).toHaveLength(6);
			const deliveries = await sandbox.control.webhooks();
			const countsByEvent = new Map<string, number>();
			for (const delivery of deliveries) {
				countsByEvent.set(delivery.eventId, (countsByEvent.get(delivery.eventId) ?? 0) + 1);
			}
			expect([...countsByEvent.values()]).toEqual([2, 2, 2]);
			expect(deliveries.map((delivery) => delivery.copy).sort()).toEqual([1, 1, 1, 2, 2, 2]);
		});

		it('is accepted by @wix/sdk AppStrategy + webhooks.process, including the Pro Gallery event handler', async () => {
			await sandbox.control.setWebhookTarget({ url: receiver.url });
			const widget = await createWidget(apiKeyHeaders, 'Via SDK');
			await sandbox.control.flushWebhooks();
			const jwt = receiver.bodies[0].body;

			const plain = createClient({
				auth: AppStrategy({
					appId: sandbox.credentials.appId,
					publicKey: sandbox.credentials.publicKeyPem,
				}),
			});
			const processed = await plain.webhooks.process(jwt);
			expect(processed.eventType).toBe('wix.pro_gallery.gallery_v2_gallery_item_created');
			expect(processed.instanceId).toBe(sandbox.credentials.instanceId);
			expect(processed.identity).toEqual({
				identityType: 'WIX_USER',
				wixUserId: expect.any(String),
			});
			expect(processed.accountInfo).toEqual({
				accountId: expect.any(String),
				siteId: sandbox.credentials.siteId,
			});
			expect(processed.payload).toMatchObject({
				entityId: widget.id,
				actionEvent: { body: { item: { id: widget.id, title: 'Via SDK' } } },
			});

			// The SDK's own Pro Gallery event definition turns the same JWT into its handler envelope.
			const client = createClient({
				auth: AppStrategy({
					appId: sandbox.credentials.appId,
					publicKey: sandbox.credentials.publicKeyPem,
				}),
				modules: { proGallery },
			});
			const handled: unknown[] = [];
			client.proGallery.onGalleryItemCreated((event) => {
				handled.push(event);
			});
			await client.webhooks.process(jwt);
			expect(handled).toHaveLength(1);
			expect(handled[0]).toMatchObject({
				data: { item: { _id: widget.id, title: 'Via SDK', sortOrder: 3.5 } },
				metadata: { entityId: widget.id, instanceId: sandbox.credentials.instanceId },
			});

			// With caller checks on, the SDK also requires issuer wix.com and the app id as audience.
			const checked = await client.auth.decodeJWT!(jwt, true);
			expect(checked.valid).toBe(true);

			// A JWT signed by another key is refused.
			const other = await startTestSandbox({ modules: [] });
			try {
				const stranger = createClient({
					auth: AppStrategy({
						appId: sandbox.credentials.appId,
						publicKey: other.credentials.publicKeyPem,
					}),
				});
				await expect(stranger.webhooks.process(jwt)).rejects.toThrow();
			} finally {
				await other.close();
			}
		});
	});

	describe('@wix/sdk as an OAuth client', () => {
		it('gets a client-credentials token from the sandbox and calls a route with it', async () => {
			const originalFetch = global.fetch;
			const rerouted: string[] = [];
			global.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
				const url =
					typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
				if (url.startsWith('https://www.wixapis.com/')) {
					rerouted.push(url);
					return originalFetch(url.replace('https://www.wixapis.com', sandbox.baseUrl), init);
				}
				return originalFetch(input, init);
			}) as typeof fetch;
			try {
				const client = createClient({
					auth: AppStrategy({
						appId: sandbox.credentials.appId,
						appSecret: sandbox.credentials.appSecret,
						instanceId: sandbox.credentials.instanceId,
					}),
				});
				const response = await client.fetchWithAuth(`${sandbox.baseUrl}/widgets/v1/widgets/w1`);
				expect(response.status).toBe(200);
				const body = (await response.json()) as { caller: unknown };
				expect(body.caller).toEqual({ identityType: 'APP', appId: sandbox.credentials.appId });
				expect(rerouted).toEqual(['https://www.wixapis.com/oauth2/token']);

				const refused = createClient({
					auth: AppStrategy({
						appId: sandbox.credentials.appId,
						appSecret: 'not-the-secret',
						instanceId: sandbox.credentials.instanceId,
					}),
				});
				await expect(refused.auth.getAuthHeaders()).rejects.toThrow(/401/);
			} finally {
				global.fetch = originalFetch;
			}
		});
	});

	describe('control API', () => {
		it('keeps credentials across reset but drops tokens, faults, logs, webhook target and config changes', async () => {
			const before = await (await fetch(`${sandbox.baseUrl}/_sandbox/credentials`)).json();
			expect(before).toEqual(sandbox.credentials);
			const token = await getToken();
			await sandbox.control.addFault({ path: '/public/ping', status: 500 });
			await sandbox.control.setWebhookTarget({ url: receiver.url });
			await sandbox.control.setConfig({ mediaReadyDelayMs: 50 });
			await createWidget(apiKeyHeaders, 'gone after reset');

			await sandbox.control.reset('empty');

			expect(await (await fetch(`${sandbox.baseUrl}/_sandbox/credentials`)).json()).toEqual(before);
			expect(
				(
					await fetch(`${sandbox.baseUrl}/widgets/v1/widgets/w1`, {
						headers: { Authorization: token },
					})
				).status,
			).toBe(401);
			expect(await sandbox.control.requests()).toHaveLength(1);
			expect((await fetch(`${sandbox.baseUrl}/widgets/v1/public/ping`)).status).toBe(200);
			expect(await sandbox.control.webhooks()).toEqual([]);
			expect(await sandbox.control.state()).toEqual({ widgets: { widgets: [] } });
			const config = await (await fetch(`${sandbox.baseUrl}/_sandbox/config`)).json();
			expect(config).toEqual({
				mediaReadyDelayMs: 400,
				mediaPendingReads: 0,
				webhookTimeoutMs: TEST_WEBHOOK_TIMEOUT_MS,
				tokenTtlSeconds: 14400,
				downloadUrlTtlSeconds: 900,
				itemOrder: 'asc',
			});

			await sandbox.control.reset();
			expect(await sandbox.control.state()).toEqual({
				widgets: { widgets: [{ id: 'w1', name: 'Seeded widget' }] },
			});
		});

		it('validates config patches and seeds', async () => {
			await expect(sandbox.control.setConfig({ itemOrder: 'sideways' as 'asc' })).rejects.toThrow(
				/400/,
			);
			await expect(sandbox.control.reset('bogus' as SeedName)).rejects.toThrow(/400/);
			await expect(sandbox.control.setConfig({ mediaPendingReads: 1.5 })).rejects.toThrow(/400/);
			await expect(sandbox.control.setConfig({ webhookTimeoutMs: -1 })).rejects.toThrow(/400/);
			expect(await sandbox.control.setConfig({ itemOrder: 'desc' })).toMatchObject({
				itemOrder: 'desc',
			});
		});

		it('reports health with the module names', async () => {
			const health = await (await fetch(`${sandbox.baseUrl}/_sandbox/health`)).json();
			expect(health).toEqual({ ok: true, baseUrl: sandbox.baseUrl, modules: ['widgets'] });
			expect(await sandbox.control.requests()).toEqual([]);
		});
	});

	describe('cli', () => {
		it('parses arguments', () => {
			expect(parseCliArgs([])).toEqual({
				port: 5880,
				host: '127.0.0.1',
				seed: 'default',
				quiet: false,
			});
			expect(parseCliArgs(['--port', '0', '--seed=empty', '--quiet'])).toEqual({
				port: 0,
				host: '127.0.0.1',
				seed: 'empty',
				quiet: true,
			});
			expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port/);
			expect(() => parseCliArgs(['--seed', 'full'])).toThrow(/--seed/);
			expect(() => parseCliArgs(['--bogus'])).toThrow(/Unknown argument/);
		});

		it('starts a sandbox and prints where it listens and the credentials', async () => {
			const lines: string[] = [];
			const running = await runCli(
				['--port', '0', '--seed', 'empty', '--quiet'],
				(line) => lines.push(line),
				{
					modules: [createWidgetModule()],
				},
			);
			try {
				expect(lines[0]).toMatch(/^Wix sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
				expect(lines[0]).toBe(`Wix sandbox listening on ${running.baseUrl}`);
				expect(lines.join('\n')).toContain(running.credentials.apiKey);
				const health = await fetch(`${running.baseUrl}/_sandbox/health`);
				expect(health.status).toBe(200);
				// --seed empty reached the modules.
				const state = await (await fetch(`${running.baseUrl}/_sandbox/state`)).json();
				expect(state).toEqual({ widgets: { widgets: [] } });
			} finally {
				await running.close();
			}
		});
	});
});
