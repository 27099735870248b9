/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code runs in plain Node, never inside n8n */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createMediaManagerModule, createProGalleryModule } from '../../sandbox/src';
import { CredentialStore, cleanupBinaryData, runNode, testCredential } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { byId } from '../support/workflow';

let sandbox: TestSandbox;

// n8n's own logger, at debug level, into a file that the secrets test reads back. It is configured from the
// environment when n8n-core first starts in this test file, which happens in the first workflow run below.
const logDir = mkdtempSync(join(tmpdir(), 'wix-n8n-log-'));
const logFile = join(logDir, 'n8n.log');
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_FILE_LOCATION = logFile;

beforeAll(async () => {
	sandbox = await startTestSandbox({
		modules: [createMediaManagerModule(), createProGalleryModule()],
		config: { mediaReadyDelayMs: 0 },
	});
});

afterAll(async () => {
	await sandbox?.close();
	await cleanupBinaryData();
	rmSync(logDir, { recursive: true, force: true });
});

function safeStringify(value: unknown): string {
	const seen = new WeakSet();
	return JSON.stringify(value, (_key, inner: unknown) => {
		if (typeof inner === 'object' && inner !== null) {
			if (seen.has(inner)) return '[circular]';
			seen.add(inner);
		}
		return typeof inner === 'bigint' ? String(inner) : inner;
	});
}

function apiKeyData(overrides: Record<string, string> = {}) {
	const { apiKey, siteId } = sandbox.credentials;
	return { apiKey, siteId, baseUrl: sandbox.baseUrl, ...overrides };
}

function appData(overrides: Record<string, string> = {}) {
	const { appId, appSecret, instanceId, publicKeyPem } = sandbox.credentials;
	return {
		appId,
		appSecret,
		instanceId,
		publicKey: publicKeyPem,
		baseUrl: sandbox.baseUrl,
		...overrides,
	};
}

describe("n8n's credential test against the sandbox", () => {
	test('Wix API key: OK with the right key and site', async () => {
		const result = await testCredential('wixGalleryApi', apiKeyData());
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
	});

	test('Wix API key: a wrong key says the key was rejected', async () => {
		const result = await testCredential(
			'wixGalleryApi',
			apiKeyData({ apiKey: 'IST.not-a-real-key' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Wix rejected the API key/);
	});

	test('Wix API key: a wrong site ID says access to the site was refused', async () => {
		const result = await testCredential(
			'wixGalleryApi',
			apiKeyData({ siteId: '00000000-0000-4000-8000-000000000001' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused access to this site.*Site ID/);
	});

	test('Wix app: OK, and the token it fetched is kept in the credential', async () => {
		const result = await testCredential('wixGalleryOAuth2Api', appData());
		expect(result).toMatchObject({ status: 'OK' });
		expect(String(result.credential.data.accessToken)).not.toBe('');
	});

	test('Wix app: a wrong secret says no token was issued, and names the fields to check', async () => {
		const wrongSecret = 'definitely-not-the-secret';
		const result = await testCredential('wixGalleryOAuth2Api', appData({ appSecret: wrongSecret }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Wix did not issue an access token \(HTTP 401/);
		expect(result.message).toMatch(/App ID, App Secret and Instance ID/);
		expect(result.message).not.toContain(wrongSecret);
	});

	test('Wix app: a wrong instance ID fails the same clear way', async () => {
		const result = await testCredential(
			'wixGalleryOAuth2Api',
			appData({ instanceId: '00000000-0000-4000-8000-000000000002' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Wix did not issue an access token \(HTTP 400/);
	});
});

describe('secrets never show up in output, errors or logs', () => {
	test('API key and app secret/token stay out of run data and logs, in success and in failure', async () => {
		const store = new CredentialStore();
		const apiKeyCredential = store.add('wixGalleryApi', apiKeyData());
		const appCredential = store.add('wixGalleryOAuth2Api', appData());
		const rejectedApiKeyValue = `IST.${randomUUID()}`;
		const rejectedApiKeyValueCredential = store.add(
			'wixGalleryApi',
			apiKeyData({ apiKey: rejectedApiKeyValue }),
		);
		const missingGallery = byId('00000000-0000-4000-8000-0000000000aa');

		const runs = [
			await runNode({
				type: 'wixProGallery',
				parameters: { resource: 'gallery', operation: 'getAll', returnAll: true },
				credentials: { wixGalleryApi: apiKeyCredential },
			}),
			await runNode({
				type: 'wixProGallery',
				parameters: { resource: 'gallery', operation: 'get', galleryId: missingGallery },
				credentials: { wixGalleryApi: apiKeyCredential },
			}),
			await runNode({
				type: 'wixProGallery',
				parameters: { resource: 'gallery', operation: 'getAll', returnAll: true },
				credentials: { wixGalleryApi: rejectedApiKeyValueCredential },
			}),
			await runNode({
				type: 'wixProGallery',
				parameters: { resource: 'gallery', operation: 'get', galleryId: missingGallery },
				credentials: { wixGalleryOAuth2Api: appCredential },
				continueOnFail: true,
			}),
		];
		expect(runs[0].items.length).toBeGreaterThan(0);
		expect(runs[1].nodeFailure?.httpCode).toBe('404');
		expect(runs[2].nodeFailure?.httpCode).toBe('401');
		expect(runs[3].items[0].json.error).toMatch(/404/);

		const token = String(appCredential.data.accessToken);
		expect(token.length).toBeGreaterThan(10);
		const secrets = [
			sandbox.credentials.apiKey,
			sandbox.credentials.appSecret,
			token,
			rejectedApiKeyValue,
		];
		const everything = [
			...runs.map((run) => safeStringify(run.run)),
			...runs.map((run) => safeStringify(run.nodeFailure ?? {})),
			existsSync(logFile) ? readFileSync(logFile, 'utf8') : '',
		].join('\n');
		for (const secret of secrets) expect(everything).not.toContain(secret);
		// The checks above only mean something if the run data really holds the errors and outputs.
		expect(everything).toContain('00000000-0000-4000-8000-0000000000aa');
		expect(everything).toContain('Running node \\"Node under test\\" finished with error');
	});
});

describe('OAuth token lifecycle inside workflows', () => {
	test('an expired token is refreshed once on 401 and the run succeeds', async () => {
		const store = new CredentialStore();
		const credential = store.add('wixGalleryOAuth2Api', appData());
		const parameters = { resource: 'gallery', operation: 'getAll', returnAll: true };
		const first = await runNode({
			type: 'wixProGallery',
			parameters,
			credentials: { wixGalleryOAuth2Api: credential },
		});
		expect(first.nodeFailure).toBeUndefined();
		expect(credential.preAuthenticationCount).toBe(1);

		await sandbox.control.expireTokens();
		await sandbox.control.clearRequests();
		const second = await runNode({
			type: 'wixProGallery',
			parameters,
			credentials: { wixGalleryOAuth2Api: credential },
		});
		expect(second.nodeFailure).toBeUndefined();
		expect(credential.preAuthenticationCount).toBe(2);
		const requests = await sandbox.control.requests();
		expect(
			requests.map((request) => `${request.method} ${request.path} ${request.status}`),
		).toEqual([
			'GET /progallery/v2/galleries 401',
			'POST /oauth2/token 200',
			'GET /progallery/v2/galleries 200',
		]);
	});
});
