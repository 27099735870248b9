import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { CredentialStore, packageNodeType } from '../support/harness';
import type { CredentialHandle } from '../support/harness';
import { startTriggerServer } from '../support/harness/webhook';
import type { TriggerServer } from '../support/harness/webhook';

// Whatever the trigger cannot verify gets 401 and starts nothing: a forged or replayed token, and a genuine one when
// the credential's public key is broken. The tokens here are signed with a key pair of the test's own.

const APP_ID = 'd0c5a1e2-0000-4000-8000-000000000001';
const INSTANCE_ID = 'd0c5a1e2-0000-4000-8000-000000000002';
const GALLERY_ID = 'd0c5a1e2-0000-4000-8000-000000000003';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const servers: TriggerServer[] = [];

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

async function startTrigger(): Promise<{ server: TriggerServer; credential: CredentialHandle }> {
	const store = new CredentialStore();
	const credential = store.add('wixGalleryOAuth2Api', {
		appId: APP_ID,
		appSecret: 'secret',
		instanceId: INSTANCE_ID,
		publicKey: PUBLIC_KEY,
		baseUrl: 'http://127.0.0.1:9',
	});
	const server = await startTriggerServer({
		nodes: [
			{
				name: 'Wix Gallery Trigger',
				type: packageNodeType('wixGalleryTrigger'),
				parameters: { events: ['galleryItemCreated'] },
				credentials: { wixGalleryOAuth2Api: credential },
			},
		],
		connections: {},
	});
	servers.push(server);
	return { server, credential };
}

/** A Wix item-created delivery, signed RS256 with the test's key, with the given time claims. */
function delivery(timeClaims: IDataObject): string {
	const event = {
		id: randomUUID(),
		entityFqdn: 'wix.pro_gallery.gallery_v2',
		slug: 'gallery_item_created',
		entityId: GALLERY_ID,
		eventTime: new Date().toISOString(),
		actionEvent: { body: { item: { id: randomUUID(), title: 'Replayed?' } } },
	};
	const claims = {
		data: JSON.stringify({
			eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
			instanceId: INSTANCE_ID,
			data: JSON.stringify(event),
		}),
		...timeClaims,
	};
	const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const data = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
	return `${data}.${sign('sha256', Buffer.from(data), keys.privateKey).toString('base64url')}`;
}

async function post(url: string, body: string) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'text/plain' },
		body,
	});
	return { status: response.status, text: await response.text() };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('the trigger refuses what it cannot verify', () => {
	test('a public key broken after activation: 401, no execution, no node error', async () => {
		const { server, credential } = await startTrigger();
		// Activation checked the key; the credential was edited afterwards.
		credential.store.update(credential.id, {
			publicKey: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
		});
		const answer = await post(server.url, delivery({ iat: nowSeconds(), exp: nowSeconds() + 60 }));
		await server.idle();
		expect(answer.status).toBe(401);
		expect(answer.text).not.toMatch(/stack|Error/);
		expect(server.deliveries[0].error).toBeUndefined();
		expect(server.executions).toHaveLength(0);
	});

	test('a token with neither exp nor iat: 401', async () => {
		const { server } = await startTrigger();
		const answer = await post(server.url, delivery({}));
		await server.idle();
		expect(answer.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	test('a token without exp issued before what the trigger remembers: 401; one issued now: accepted', async () => {
		const { server } = await startTrigger();
		const old = await post(server.url, delivery({ iat: nowSeconds() - 3600 }));
		const fresh = await post(server.url, delivery({ iat: nowSeconds() }));
		const withExpiry = await post(
			server.url,
			delivery({ iat: nowSeconds() - 3600, exp: nowSeconds() + 60 }),
		);
		await server.idle();
		expect([old.status, fresh.status, withExpiry.status]).toEqual([401, 200, 200]);
		expect(server.executions.map((execution) => execution.seq)).toEqual([
			server.deliveries[1].seq,
			server.deliveries[2].seq,
		]);
	});
});
