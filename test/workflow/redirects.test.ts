/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in plain Node, never inside n8n */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createMediaManagerModule, createProGalleryModule } from '../../sandbox/src';
import { CredentialStore, cleanupBinaryData, runNode, testCredential } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { byId, startSandboxFront, wixCall } from '../support/workflow';
import type { FrontRequest } from '../support/workflow';

// Credentials must never reach a host other than the Base URL's, whatever the Base URL answers. The Base URL here
// is a small front for the sandbox on 127.0.0.1 that can answer with redirects; "another host" is a recorder on
// 127.0.0.2 (loopback too, but another host name), which must receive nothing.

interface Redirect {
	status: number;
	/** Where to send the client: a path is taken on the front's own origin, a full URL as is. */
	location: (path: string) => string;
}

type RedirectRule = (request: { method: string; path: string }) => Redirect | undefined;

let sandbox: TestSandbox;
let front: Awaited<ReturnType<typeof startSandboxFront>>;
let frontUrl: string;
let otherHost: Server;
let otherHostUrl: string;
let rule: RedirectRule = () => undefined;
const receivedByOtherHost: FrontRequest[] = [];
let receivedByFront: FrontRequest[] = [];

beforeAll(async () => {
	sandbox = await startTestSandbox({
		modules: [createMediaManagerModule(), createProGalleryModule()],
		config: { mediaReadyDelayMs: 0 },
	});
	otherHost = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			receivedByOtherHost.push({
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			});
			// What a hostile host would do with a token request: hand out a token of its own.
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ access_token: 'token-from-the-other-host', galleries: [] }));
		});
	});
	await new Promise<void>((resolve) => otherHost.listen(0, '127.0.0.2', resolve));
	otherHostUrl = `http://127.0.0.2:${(otherHost.address() as AddressInfo).port}`;
	front = await startSandboxFront(sandbox, ({ method, url }, response) => {
		const redirect = rule({ method, path: url });
		if (!redirect) return false;
		response.writeHead(redirect.status, { Location: redirect.location(url) });
		response.end();
		return true;
	});
	frontUrl = front.url;
	receivedByFront = front.received;
});

afterAll(async () => {
	await front.close();
	otherHost.closeAllConnections();
	await new Promise<void>((resolve) => otherHost.close(() => resolve()));
	await sandbox?.close();
	await cleanupBinaryData();
});

beforeEach(() => {
	rule = () => undefined;
	receivedByOtherHost.length = 0;
	receivedByFront.length = 0;
});

const toOtherHost: Redirect['location'] = (path) => `${otherHostUrl}${path}`;

function apiKeyCredential(baseUrl = frontUrl) {
	const { apiKey, siteId } = sandbox.credentials;
	return new CredentialStore().add('wixGalleryApi', { apiKey, siteId, baseUrl });
}

function appCredentialData(baseUrl = frontUrl) {
	const { appId, appSecret, instanceId, publicKeyPem } = sandbox.credentials;
	return { appId, appSecret, instanceId, publicKey: publicKeyPem, baseUrl };
}

const listGalleries = { resource: 'gallery', operation: 'getAll', returnAll: true };

describe('credentials stay on the Base URL host', () => {
	test.each([301, 302, 303, 307, 308])(
		'API key: a %i to another host is refused and the other host receives nothing',
		async (status) => {
			rule = ({ path }) =>
				path.startsWith('/progallery/') ? { status, location: toOtherHost } : undefined;
			const run = await runNode({
				type: 'wixProGallery',
				parameters: listGalleries,
				credentials: { wixGalleryApi: apiKeyCredential() },
			});
			expect(receivedByOtherHost).toEqual([]);
			expect(run.nodeFailure?.name).toBe('NodeApiError');
			expect(run.nodeFailure?.description).toContain(
				`redirect (HTTP ${status}) to an address that is on another host, ${new URL(otherHostUrl).host}`,
			);
			// The front saw the request once, with the key: the refusal is not retried.
			expect(receivedByFront).toHaveLength(1);
			expect(receivedByFront[0].headers.authorization).toBe(sandbox.credentials.apiKey);
		},
	);

	test('API key: a 307 on a create does not send the body or the key to the other host', async () => {
		const { gallery } = await wixCall<{ gallery: { id: string } }>(
			sandbox,
			'POST',
			'/pro-gallery/v2/galleries',
			{ gallery: { name: 'Redirected' } },
		);
		rule = ({ method }) => (method === 'POST' ? { status: 307, location: toOtherHost } : undefined);
		const run = await runNode({
			type: 'wixProGallery',
			parameters: {
				resource: 'item',
				operation: 'create',
				galleryId: byId(gallery.id),
				itemType: 'text',
				html: '<p>Secret plans</p>',
			},
			credentials: { wixGalleryApi: apiKeyCredential() },
		});
		expect(receivedByOtherHost).toEqual([]);
		expect(run.nodeFailure?.description).toMatch(
			/redirect \(HTTP 307\) to an address that is on another host/,
		);
		const items = await wixCall<{ items?: unknown[] }>(
			sandbox,
			'GET',
			`/pro-gallery/v2/galleries/${gallery.id}/items`,
		);
		expect(items.items ?? []).toHaveLength(0);
	});

	test('API key: a redirect on the same host is followed, with the credentials, and the run succeeds', async () => {
		rule = ({ path }) =>
			path.startsWith('/moved/')
				? { status: 308, location: (p) => p.slice('/moved'.length) }
				: undefined;
		const run = await runNode({
			type: 'wixProGallery',
			parameters: listGalleries,
			credentials: { wixGalleryApi: apiKeyCredential(`${frontUrl}/moved`) },
		});
		expect(run.nodeFailure).toBeUndefined();
		expect(run.items.length).toBeGreaterThan(0);
		expect(receivedByFront.map((request) => request.url.split('?')[0])).toEqual([
			'/moved/progallery/v2/galleries',
			'/progallery/v2/galleries',
		]);
		expect(receivedByFront[1].headers.authorization).toBe(sandbox.credentials.apiKey);
		expect(receivedByOtherHost).toEqual([]);
	});

	test('API key: a same-host 302 on a create is not turned into a GET', async () => {
		const { gallery } = await wixCall<{ gallery: { id: string } }>(
			sandbox,
			'POST',
			'/pro-gallery/v2/galleries',
			{ gallery: { name: 'Moved' } },
		);
		rule = ({ method, path }) =>
			method === 'POST' ? { status: 302, location: () => `/elsewhere${path}` } : undefined;
		const run = await runNode({
			type: 'wixProGallery',
			parameters: {
				resource: 'item',
				operation: 'create',
				galleryId: byId(gallery.id),
				itemType: 'text',
				html: '<p>x</p>',
			},
			credentials: { wixGalleryApi: apiKeyCredential() },
		});
		expect(run.nodeFailure?.description).toMatch(/would turn it into a GET; it was not followed/);
		expect(receivedByFront.filter((request) => request.url.startsWith('/elsewhere'))).toEqual([]);
	});

	test('app credential: a 307 on /oauth2/token does not send the App Secret to the other host', async () => {
		rule = ({ path }) =>
			path === '/oauth2/token' ? { status: 307, location: toOtherHost } : undefined;
		const result = await testCredential('wixGalleryOAuth2Api', appCredentialData());
		expect(receivedByOtherHost).toEqual([]);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Wix did not issue an access token: .*another host/);
		const tokenRequests = receivedByFront.filter((request) => request.url === '/oauth2/token');
		expect(tokenRequests).toHaveLength(1);
		expect(tokenRequests[0].body).toContain(sandbox.credentials.appSecret);
	});

	test('app credential: the access token does not follow a 302 to the other host', async () => {
		rule = ({ path }) =>
			path.startsWith('/progallery/') ? { status: 302, location: toOtherHost } : undefined;
		const credential = new CredentialStore().add('wixGalleryOAuth2Api', appCredentialData());
		const run = await runNode({
			type: 'wixProGallery',
			parameters: listGalleries,
			credentials: { wixGalleryOAuth2Api: credential },
		});
		expect(receivedByOtherHost).toEqual([]);
		expect(run.nodeFailure?.description).toMatch(
			/redirect \(HTTP 302\) to an address that is on another host/,
		);
		// The token was issued through the front and used there.
		expect(String(credential.data.accessToken).length).toBeGreaterThan(10);
		const apiCall = receivedByFront.find((request) => request.url.startsWith('/progallery/'));
		expect(apiCall?.headers.authorization).toBe(credential.data.accessToken);
	});

	test('app credential: a same-host redirect of the token endpoint is followed', async () => {
		rule = ({ path }) =>
			path === '/moved/oauth2/token'
				? { status: 308, location: () => '/oauth2/token' }
				: path.startsWith('/moved/')
					? { status: 308, location: (p) => p.slice('/moved'.length) }
					: undefined;
		const result = await testCredential(
			'wixGalleryOAuth2Api',
			appCredentialData(`${frontUrl}/moved`),
		);
		expect(result.status).toBe('OK');
		expect(receivedByOtherHost).toEqual([]);
	});
});
