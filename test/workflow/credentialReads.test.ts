import { CredentialStore, cleanupBinaryData, runNode } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { byId, createGalleryWithItems } from '../support/workflow';

// In real n8n every getCredentials is a database read, a decryption and an expression pass. The nodes read a
// credential once per node run and input item, however many requests that item makes.

let sandbox: TestSandbox;
let galleryId: string;

beforeAll(async () => {
	sandbox = await startTestSandbox();
	galleryId = await createGalleryWithItems(sandbox, 'Credential reads', 250);
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
});

function apiKeyData() {
	const { apiKey, siteId } = sandbox.credentials;
	return { apiKey, siteId, baseUrl: sandbox.baseUrl };
}

function appData() {
	const { appId, appSecret, instanceId, publicKeyPem } = sandbox.credentials;
	return { appId, appSecret, instanceId, publicKey: publicKeyPem, baseUrl: sandbox.baseUrl };
}

const listAll = { resource: 'item', operation: 'getAll', returnAll: true };

test('a listing of 3 pages reads the API key credential once', async () => {
	const credential = new CredentialStore().add('wixGalleryApi', apiKeyData());
	await sandbox.control.clearRequests();
	const result = await runNode({
		type: 'wixProGallery',
		parameters: { ...listAll, galleryId: byId(galleryId) },
		credentials: { wixGalleryApi: credential },
	});
	expect(result.nodeFailure).toBeUndefined();
	expect(result.items).toHaveLength(250);
	const pages = (await sandbox.control.requests()).filter((request) =>
		request.path.endsWith('/items'),
	);
	expect(pages).toHaveLength(3);
	expect(credential.readCount).toBe(1);
});

test('each input item reads the credential once: its fields may hold expressions on the item', async () => {
	const credential = new CredentialStore().add('wixGalleryApi', apiKeyData());
	const result = await runNode({
		type: 'wixProGallery',
		parameters: { ...listAll, galleryId: byId(galleryId) },
		credentials: { wixGalleryApi: credential },
		input: [{ json: { run: 1 } }, { json: { run: 2 } }],
	});
	expect(result.nodeFailure).toBeUndefined();
	expect(result.items).toHaveLength(500);
	expect(credential.readCount).toBe(2);
});

test('a token refreshed on 401 serves the rest of the listing: one token request, one read', async () => {
	const credential = new CredentialStore().add('wixGalleryOAuth2Api', appData());
	const warmUp = await runNode({
		type: 'wixProGallery',
		parameters: { resource: 'gallery', operation: 'get', galleryId: byId(galleryId) },
		credentials: { wixGalleryOAuth2Api: credential },
	});
	expect(warmUp.nodeFailure).toBeUndefined();
	await sandbox.control.expireTokens();
	await sandbox.control.clearRequests();
	const readsBefore = credential.readCount;

	const result = await runNode({
		type: 'wixProGallery',
		parameters: { ...listAll, authentication: 'oAuth2', galleryId: byId(galleryId) },
		credentials: { wixGalleryOAuth2Api: credential },
	});
	expect(result.nodeFailure).toBeUndefined();
	expect(result.items).toHaveLength(250);
	const requests = (await sandbox.control.requests()).map(
		(request) => `${request.method} ${request.path.replace(galleryId, ':id')} ${request.status}`,
	);
	expect(requests).toEqual([
		'GET /progallery/v2/galleries/:id/items 401',
		'POST /oauth2/token 200',
		'GET /progallery/v2/galleries/:id/items 200',
		'GET /progallery/v2/galleries/:id/items 200',
		'GET /progallery/v2/galleries/:id/items 200',
	]);
	expect(credential.readCount - readsBefore).toBe(1);
});
