import { createMediaManagerModule, createProGalleryModule } from '../../sandbox/src';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

import { CredentialStore, cleanupBinaryData, runNode } from '../support/harness/index';

interface ProGalleryState {
	proGallery: { galleries: Array<{ id: string; name?: string; totalItems?: number }> };
}

let sandbox: TestSandbox;

beforeAll(async () => {
	// Only the modules Pro Gallery needs, so this smoke test does not depend on the others.
	sandbox = await startTestSandbox({
		modules: [createMediaManagerModule(), createProGalleryModule()],
		config: { mediaReadyDelayMs: 50 },
	});
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
});

describe('the real Wix Pro Gallery node in a harness workflow against the sandbox', () => {
	const parameters = { resource: 'gallery', operation: 'getAll', returnAll: true };

	test('API key: Gallery → Get Many returns the seeded galleries', async () => {
		const { apiKey, siteId } = sandbox.credentials;
		const result = await runNode({
			type: 'wixProGallery',
			parameters,
			credentials: { wixGalleryApi: { apiKey, siteId, baseUrl: sandbox.baseUrl } },
		});
		expect(result.error).toBeUndefined();

		const { proGallery } = await sandbox.control.state<ProGalleryState>();
		expect(proGallery.galleries.length).toBeGreaterThan(0);
		expect(result.items.map((item) => item.json.id)).toEqual(
			expect.arrayContaining(proGallery.galleries.map((gallery) => gallery.id)),
		);
		expect(result.items).toHaveLength(proGallery.galleries.length);
		const requests = await sandbox.control.requests();
		expect(requests.some((request) => /galleries/.test(request.path))).toBe(true);
	});

	test('OAuth2: the token is fetched from the sandbox, reused, and refreshed after tokens expire', async () => {
		const { appId, appSecret, instanceId } = sandbox.credentials;
		const store = new CredentialStore();
		const wixGalleryOAuth2Api = store.add('wixGalleryOAuth2Api', {
			appId,
			appSecret,
			instanceId,
			baseUrl: sandbox.baseUrl,
		});

		const first = await runNode({
			type: 'wixProGallery',
			parameters,
			credentials: { wixGalleryOAuth2Api },
		});
		expect(first.error).toBeUndefined();
		expect(first.items.length).toBeGreaterThan(0);
		const second = await runNode({
			type: 'wixProGallery',
			parameters,
			credentials: { wixGalleryOAuth2Api },
		});
		expect(second.items).toHaveLength(first.items.length);
		expect(wixGalleryOAuth2Api.preAuthenticationCount).toBe(1);

		const firstToken = wixGalleryOAuth2Api.data.accessToken;
		await sandbox.control.expireTokens();
		const third = await runNode({
			type: 'wixProGallery',
			parameters,
			credentials: { wixGalleryOAuth2Api },
		});
		expect(third.error).toBeUndefined();
		expect(third.items).toHaveLength(first.items.length);
		expect(wixGalleryOAuth2Api.preAuthenticationCount).toBe(2);
		expect(wixGalleryOAuth2Api.data.accessToken).not.toBe(firstToken);
	});
});
