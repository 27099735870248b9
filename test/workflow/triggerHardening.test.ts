import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { CREDENTIAL_REUSE } from '../../nodes/WixGalleryTrigger/helpers/credentialReuse';
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
function delivery(timeClaims: IDataObject, privateKey = keys.privateKey): string {
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
	return `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
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

describe('the trigger reuses the credential it read, never a replaced key for long', () => {
	const expiring = () => ({ iat: nowSeconds(), exp: nowSeconds() + 60 });
	const savedReuse = { ...CREDENTIAL_REUSE };
	afterEach(() => Object.assign(CREDENTIAL_REUSE, savedReuse));

	test('20 deliveries read the credential once', async () => {
		const { server, credential } = await startTrigger();
		const readsBefore = credential.readCount;
		const answers = [];
		for (let index = 0; index < 20; index++)
			answers.push(await post(server.url, delivery(expiring())));
		await server.idle();
		expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
		expect(server.executions).toHaveLength(20);
		expect(credential.readCount - readsBefore).toBe(1);
	});

	test('a new App Public Key is used at once, and the replaced one is refused from then on', async () => {
		const { server, credential } = await startTrigger();
		const newKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const before = await post(server.url, delivery(expiring()));
		credential.store.update(credential.id, {
			publicKey: newKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		});
		const signedWithNewKey = await post(server.url, delivery(expiring(), newKeys.privateKey));
		const signedWithOldKey = await post(server.url, delivery(expiring()));
		await server.idle();
		expect([before.status, signedWithNewKey.status, signedWithOldKey.status]).toEqual([
			200, 200, 401,
		]);
		expect(server.executions).toHaveLength(2);
	});

	test('a replaced key is refused once the reuse time is over, even with no delivery signed with the new one', async () => {
		CREDENTIAL_REUSE.ms = 200;
		const { server, credential } = await startTrigger();
		const newKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const before = await post(server.url, delivery(expiring()));
		credential.store.update(credential.id, {
			publicKey: newKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		});
		await sleep(400);
		const signedWithOldKey = await post(server.url, delivery(expiring()));
		await server.idle();
		expect([before.status, signedWithOldKey.status]).toEqual([200, 401]);
		expect(server.executions).toHaveLength(1);
	});
});
