import { e2eInstance, n8n } from '../support/e2e/n8n';

describe("n8n's own credential test against the sandbox", () => {
	test('succeeds for the API key credential', async () => {
		const { wixGalleryApi } = e2eInstance().credentials;
		const result = await n8n().testCredential({
			id: wixGalleryApi.id,
			name: wixGalleryApi.name,
			type: 'wixGalleryApi',
		});
		expect(result).toEqual({ status: 'OK', message: expect.any(String) });
	});

	test('succeeds for the Wix app credential (token fetched by preAuthentication)', async () => {
		const { wixGalleryOAuth2Api } = e2eInstance().credentials;
		const result = await n8n().testCredential({
			id: wixGalleryOAuth2Api.id,
			name: wixGalleryOAuth2Api.name,
			type: 'wixGalleryOAuth2Api',
		});
		expect(result).toEqual({ status: 'OK', message: expect.any(String) });
	});

	test('fails with a clear message for a wrong API key', async () => {
		const { credentials, sandbox } = e2eInstance();
		const result = await n8n().testCredential({
			id: credentials.wixGalleryApi.id,
			name: credentials.wixGalleryApi.name,
			type: 'wixGalleryApi',
			data: {
				apiKey: 'IST.not-a-real-key',
				siteId: sandbox.credentials.siteId,
				baseUrl: sandbox.baseUrl,
			},
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Wix rejected the API key/);
	});

	test('fails with a clear message for a site the key has no access to', async () => {
		const { credentials, sandbox } = e2eInstance();
		const result = await n8n().testCredential({
			id: credentials.wixGalleryApi.id,
			name: credentials.wixGalleryApi.name,
			type: 'wixGalleryApi',
			data: {
				apiKey: sandbox.credentials.apiKey,
				siteId: '00000000-0000-4000-8000-000000000000',
				baseUrl: sandbox.baseUrl,
			},
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused access to this site/);
	});

	test('fails with a clear message for a wrong app secret', async () => {
		// A new credential: a stored one keeps its cached access token, and n8n only asks for a new token when
		// that one is missing or rejected, so changing the secret of a working credential still tests green.
		const { sandbox } = e2eInstance();
		const created = await n8n().createCredential({
			name: 'e2e: Wix app with a wrong secret',
			type: 'wixGalleryOAuth2Api',
			data: {
				appId: sandbox.credentials.appId,
				appSecret: 'wrong-secret',
				instanceId: sandbox.credentials.instanceId,
				baseUrl: sandbox.baseUrl,
			},
		});
		const result = await n8n().testCredential({ id: created.id, type: 'wixGalleryOAuth2Api' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/did not issue an access token/);
	});
});
