/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node, never inside n8n */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	CredentialStore,
	HarnessNodeTypes,
	INPUT_ITEMS_TYPE,
	MANUAL_TRIGGER_TYPE,
	cleanupBinaryData,
	ensureN8nCore,
	packageNodeType,
	runNode,
	runWorkflow,
	testCredential,
} from '../support/harness/index';

const API_KEY = 'IST.test-api-key';
const SITE_ID = 'site-1';
const APP_SECRET = 'right-secret';

interface LoggedRequest {
	method: string;
	path: string;
	authorization?: string;
	siteId?: string;
	body?: IDataObject;
}

/** A stand-in for Wix: a token endpoint and one API route that rejects unknown or revoked tokens. */
class FakeWix {
	readonly requests: LoggedRequest[] = [];

	private readonly validTokens = new Set<string>();

	private tokensIssued = 0;

	private server: Server | undefined;

	baseUrl = '';

	async start() {
		this.server = createServer((request, response) => void this.handle(request, response));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop() {
		await new Promise<void>((resolve) => this.server?.close(() => resolve()));
	}

	/** Every token issued so far stops working, as when Wix's 4-hour tokens expire. */
	revokeTokens() {
		this.validTokens.clear();
	}

	reset() {
		this.requests.length = 0;
		this.revokeTokens();
		this.tokensIssued = 0;
	}

	private async handle(request: IncomingMessage, response: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		const body = text ? (JSON.parse(text) as IDataObject) : undefined;
		const path = new URL(request.url ?? '/', this.baseUrl).pathname;
		this.requests.push({
			method: request.method ?? '',
			path,
			authorization: request.headers.authorization,
			siteId: request.headers['wix-site-id'] as string | undefined,
			body,
		});
		const send = (status: number, payload: IDataObject) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(payload));
		};
		if (request.method === 'POST' && path === '/oauth2/token') {
			if (body?.client_secret !== APP_SECRET) {
				send(400, { error: 'invalid_client', error_description: 'Invalid client secret' });
				return;
			}
			const token = `OauthNG.JWS.token-${++this.tokensIssued}`;
			this.validTokens.add(token);
			send(200, { access_token: token, token_type: 'Bearer', expires_in: 14400 });
			return;
		}
		if (request.method === 'GET' && path === '/progallery/v2/galleries') {
			const authorization = request.headers.authorization ?? '';
			if (authorization !== API_KEY && !this.validTokens.has(authorization)) {
				send(401, { message: 'UNAUTHENTICATED', details: {} });
				return;
			}
			send(200, { galleries: [{ id: 'gallery-1', name: 'Summer' }], totalGalleries: 1 });
			return;
		}
		send(404, { message: 'Not found' });
	}

	routeCalls(path: string) {
		return this.requests.filter((request) => request.path === path);
	}
}

/**
 * A minimal node that calls the fake Wix through n8n's `httpRequestWithAuthentication`, and round-trips the
 * input's binary data, so the harness can be tested without this package's nodes.
 */
class WixFixture implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wix Fixture',
		name: 'wixFixture',
		group: ['transform'],
		version: 1,
		description: 'Calls the fake Wix for harness tests',
		defaults: { name: 'Wix Fixture' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'wixGalleryApi',
				required: true,
				displayOptions: { show: { authentication: ['apiKey'] } },
			},
			{
				name: 'wixGalleryOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'API Key', value: 'apiKey' },
					{ name: 'OAuth2', value: 'oAuth2' },
				],
				default: 'apiKey',
			},
			{ displayName: 'Path', name: 'path', type: 'string', default: '/progallery/v2/galleries' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const authentication = this.getNodeParameter('authentication', itemIndex) as string;
				const credentialType =
					authentication === 'oAuth2' ? 'wixGalleryOAuth2Api' : 'wixGalleryApi';
				const credentials = await this.getCredentials(credentialType, itemIndex);
				const request: IHttpRequestOptions = {
					method: 'GET',
					url: `${String(credentials.baseUrl)}${this.getNodeParameter('path', itemIndex) as string}`,
					json: true,
				};
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					credentialType,
					request,
				)) as IDataObject;
				const item: INodeExecutionData = { json: { response }, pairedItem: { item: itemIndex } };
				const binary = items[itemIndex].binary?.data;
				if (binary) {
					const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, 'data');
					item.json.receivedBytes = bytes.length;
					item.json.receivedStorage = binary.id?.split(':')[0] ?? 'inline';
					item.binary = {
						copy: await this.helpers.prepareBinaryData(
							Buffer.concat([bytes, Buffer.from('!')]),
							`copy-${binary.fileName}`,
							binary.mimeType,
						),
					};
				}
				output.push(item);
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({
						json: { error: (error as Error).message },
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				const nodeError =
					error instanceof NodeApiError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				throw nodeError;
			}
		}
		return [output];
	}
}

/** Reports the base URL the node sees in its credentials, without sending anything. */
class BaseUrlProbe extends WixFixture {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('wixGalleryApi', 0);
		return [[{ json: { baseUrl: credentials.baseUrl as string } }]];
	}
}

/** Counts its executions in the workflow's static data, as polling triggers keep their state. */
class StaticCounter extends WixFixture {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const staticData = this.getWorkflowStaticData('global');
		staticData.count = ((staticData.count as number | undefined) ?? 0) + 1;
		return [[{ json: { count: staticData.count } }]];
	}
}

const FIXTURE_TYPE = 'test.wixFixture';
const PROBE_TYPE = 'test.baseUrlProbe';
const nodeTypes = new HarnessNodeTypes()
	.add(FIXTURE_TYPE, new WixFixture())
	.add(PROBE_TYPE, new BaseUrlProbe())
	.add('test.staticCounter', new StaticCounter());
const wix = new FakeWix();

function apiKeyCredentials(apiKey = API_KEY) {
	return { apiKey, siteId: SITE_ID, baseUrl: wix.baseUrl };
}

function oauthCredentials(appSecret = APP_SECRET) {
	return { appId: 'app-1', appSecret, instanceId: 'instance-1', baseUrl: wix.baseUrl };
}

beforeAll(async () => {
	await wix.start();
});

afterAll(async () => {
	await wix.stop();
	await cleanupBinaryData();
});

beforeEach(() => {
	wix.reset();
});

describe('workflow execution with API-key credentials', () => {
	test('a workflow runs trigger → input → node, and n8n adds the API key and site ID headers', async () => {
		const credentials = new CredentialStore();
		const wixGalleryApi = credentials.add('wixGalleryApi', apiKeyCredentials());
		const result = await runWorkflow({
			nodes: [
				{ name: 'Start', type: MANUAL_TRIGGER_TYPE, parameters: {} },
				{
					name: 'Items',
					type: INPUT_ITEMS_TYPE,
					parameters: { items: [{ json: { n: 1 } }, { json: { n: 2 } }] },
				},
				{ name: 'Fixture', type: FIXTURE_TYPE, parameters: {}, credentials: { wixGalleryApi } },
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Fixture', type: 'main', index: 0 }]] },
			},
			nodeTypes,
		});

		expect(result.error).toBeUndefined();
		expect(result.output('Items').map((item) => item.json)).toEqual([{ n: 1 }, { n: 2 }]);
		const output = result.output('Fixture');
		expect(output).toHaveLength(2);
		expect(output[0].json.response).toEqual({
			galleries: [{ id: 'gallery-1', name: 'Summer' }],
			totalGalleries: 1,
		});
		const calls = wix.routeCalls('/progallery/v2/galleries');
		expect(calls).toHaveLength(2);
		for (const call of calls) {
			expect(call.authorization).toBe(API_KEY);
			expect(call.siteId).toBe(SITE_ID);
		}
		expect(result.run.finished).toBe(true);
	});

	test('credential defaults apply: a credential saved without baseUrl points at production Wix', async () => {
		const result = await runNode({
			type: PROBE_TYPE,
			parameters: {},
			credentials: { wixGalleryApi: { apiKey: API_KEY, siteId: SITE_ID } },
			nodeTypes,
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items[0].json.baseUrl).toBe('https://www.wixapis.com');
	});

	test('without continueOnFail a rejected key stops the run with a NodeApiError naming the node and status', async () => {
		const result = await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryApi: apiKeyCredentials('wrong-key') },
			nodeTypes,
		});
		expect(result.items).toEqual([]);
		expect(result.nodeFailure).toBeDefined();
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
			nodeName: 'Node under test',
		});
		expect(result.error?.message).toMatch(/Authorization failed|401|UNAUTHENTICATED/i);
		// n8n re-sends once after a 401 even when the credential has nothing to refresh.
		expect(wix.routeCalls('/progallery/v2/galleries')).toHaveLength(2);
	});

	test('with continueOnFail the failure becomes an error item and the run finishes', async () => {
		const result = await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryApi: apiKeyCredentials('wrong-key') },
			input: [{ json: { n: 1 } }, { json: { n: 2 } }],
			continueOnFail: true,
			nodeTypes,
		});
		expect(result.error).toBeUndefined();
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items).toHaveLength(2);
		for (const item of result.items) expect(typeof item.json.error).toBe('string');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('OAuth2 (preAuthentication) credentials', () => {
	test('the token is fetched once, sent as-is, saved, and reused by the next execution', async () => {
		const store = new CredentialStore();
		const wixGalleryOAuth2Api = store.add('wixGalleryOAuth2Api', oauthCredentials());

		const first = await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryOAuth2Api },
			nodeTypes,
		});
		expect(first.nodeFailure).toBeUndefined();
		expect(first.items[0].json.response).toMatchObject({ totalGalleries: 1 });
		const tokenCalls = wix.routeCalls('/oauth2/token');
		expect(tokenCalls).toHaveLength(1);
		expect(tokenCalls[0].body).toEqual({
			grant_type: 'client_credentials',
			client_id: 'app-1',
			client_secret: APP_SECRET,
			instance_id: 'instance-1',
		});
		const token = wixGalleryOAuth2Api.data.accessToken;
		expect(token).toBe('OauthNG.JWS.token-1');
		expect(wix.routeCalls('/progallery/v2/galleries')[0].authorization).toBe(token);

		const second = await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryOAuth2Api },
			nodeTypes,
		});
		expect(second.nodeFailure).toBeUndefined();
		expect(wix.routeCalls('/oauth2/token')).toHaveLength(1);
		expect(wixGalleryOAuth2Api.preAuthenticationCount).toBe(1);
		const apiCalls = wix.routeCalls('/progallery/v2/galleries');
		expect(apiCalls).toHaveLength(2);
		expect(apiCalls[1].authorization).toBe(token);
		expect(apiCalls.some((call) => /^Bearer /i.test(call.authorization ?? ''))).toBe(false);
	});

	test('after a 401 the token is fetched again, saved, and the request re-sent with it', async () => {
		const store = new CredentialStore();
		const wixGalleryOAuth2Api = store.add('wixGalleryOAuth2Api', oauthCredentials());
		await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryOAuth2Api },
			nodeTypes,
		});
		expect(wixGalleryOAuth2Api.preAuthenticationCount).toBe(1);
		wix.requests.length = 0;
		wix.revokeTokens();

		const result = await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryOAuth2Api },
			nodeTypes,
		});
		expect(result.nodeFailure).toBeUndefined();
		expect(result.items[0].json.response).toMatchObject({ totalGalleries: 1 });
		expect(wixGalleryOAuth2Api.preAuthenticationCount).toBe(2);
		expect(wixGalleryOAuth2Api.data.accessToken).toBe('OauthNG.JWS.token-2');
		expect(
			wix.requests.map(
				(request) => `${request.method} ${request.path} ${request.authorization ?? ''}`,
			),
		).toEqual([
			'GET /progallery/v2/galleries OauthNG.JWS.token-1',
			'POST /oauth2/token ',
			'GET /progallery/v2/galleries OauthNG.JWS.token-2',
		]);
	});

	test('a wrong app secret fails the node with the credential’s own explanation', async () => {
		const result = await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryOAuth2Api: oauthCredentials('wrong-secret') },
			nodeTypes,
		});
		expect(result.items).toEqual([]);
		expect(result.error?.nodeName).toBe('Node under test');
		const text = `${result.error?.message} ${result.error?.description ?? ''}`;
		expect(text).toMatch(/Wix did not issue an access token/);
		expect(text).toMatch(/Invalid client secret/);
		expect(wix.routeCalls('/progallery/v2/galleries')).toHaveLength(0);
	});
});

describe('binary data', () => {
	test('binary items round-trip through the filesystem binary data service', async () => {
		const { binaryDataDir } = await ensureN8nCore();
		const bytes = Buffer.from(Array.from({ length: 3000 }, (_, index) => (index * 7) % 256));
		const result = await runNode({
			type: FIXTURE_TYPE,
			parameters: {},
			credentials: { wixGalleryApi: apiKeyCredentials() },
			input: [
				{
					json: { name: 'photo' },
					binary: { data: { data: bytes, mimeType: 'image/png', fileName: 'photo.png' } },
				},
			],
			nodeTypes,
		});
		expect(result.error).toBeUndefined();

		const [inputItem] = result.output('Input Items');
		const stored = inputItem.binary?.data;
		expect(stored).toMatchObject({ mimeType: 'image/png', fileName: 'photo.png', bytes: 3000 });
		// Filesystem mode keeps a reference, not the bytes, in the item.
		expect(stored?.id).toMatch(/^filesystem-v2:/);
		expect(stored?.data).toBe('filesystem-v2');
		expect(existsSync(binaryDataDir)).toBe(true);
		expect(await result.binaryBuffer(inputItem)).toEqual(bytes);

		const [outputItem] = result.items;
		expect(outputItem.json).toMatchObject({
			receivedBytes: 3000,
			receivedStorage: 'filesystem-v2',
		});
		expect(outputItem.binary?.copy.fileName).toBe('copy-photo.png');
		expect(await result.binaryBuffer(outputItem, 'copy')).toEqual(
			Buffer.concat([bytes, Buffer.from('!')]),
		);
		await expect(result.binaryBuffer(outputItem, 'missing')).rejects.toThrow(
			/no binary property "missing"/,
		);
	});
});

describe('testCredential', () => {
	test('OAuth2: OK with the right secret, and the fetched token is saved', async () => {
		const result = await testCredential('wixGalleryOAuth2Api', oauthCredentials());
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(result.credential.preAuthenticationCount).toBe(1);
		expect(result.credential.data.accessToken).toBe('OauthNG.JWS.token-1');
		expect(wix.routeCalls('/progallery/v2/galleries')[0].authorization).toBe('OauthNG.JWS.token-1');
	});

	test('OAuth2: a clear error for a wrong secret', async () => {
		const result = await testCredential('wixGalleryOAuth2Api', oauthCredentials('wrong-secret'));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/Wix did not issue an access token \(HTTP 400: Invalid client secret\)/,
		);
	});

	test('API key: OK with the right key, the rule’s message for a rejected one', async () => {
		expect(await testCredential('wixGalleryApi', apiKeyCredentials())).toMatchObject({
			status: 'OK',
		});
		const rejected = await testCredential('wixGalleryApi', apiKeyCredentials('wrong-key'));
		expect(rejected.status).toBe('Error');
		expect(rejected.message).toMatch(/^Wix rejected the API key/);
	});

	test('an unreachable base URL is reported by its network error code', async () => {
		const result = await testCredential('wixGalleryApi', {
			...apiKeyCredentials(),
			baseUrl: 'http://127.0.0.1:1',
		});
		expect(result).toEqual(expect.objectContaining({ status: 'Error', message: 'ECONNREFUSED' }));
	});
});

describe('execution options', () => {
	const counterWorkflow = {
		nodes: [
			{ name: 'Start', type: MANUAL_TRIGGER_TYPE, parameters: {} },
			{ name: 'Counter', type: 'test.staticCounter', parameters: {} },
		],
		connections: { Start: { main: [[{ node: 'Counter', type: 'main' as const, index: 0 }]] } },
		nodeTypes,
	};

	test('static data comes back after a run and carries over when passed to the next', async () => {
		const first = await runWorkflow(counterWorkflow);
		expect(first.output('Counter')[0].json.count).toBe(1);
		expect(first.staticData).toEqual({ global: { count: 1 } });
		const second = await runWorkflow({ ...counterWorkflow, staticData: first.staticData });
		expect(second.output('Counter')[0].json.count).toBe(2);
		expect(first.staticData).toEqual({ global: { count: 1 } });
	});

	test('outside manual mode the start node passes on the given start items', async () => {
		const result = await runWorkflow({
			...counterWorkflow,
			mode: 'trigger',
			startItems: [{ json: { event: 'gallery_created' } }],
		});
		expect(result.output('Start').map((item) => item.json)).toEqual([{ event: 'gallery_created' }]);
		expect(result.output('Counter')[0].json.count).toBe(1);
	});
});

describe('node type names', () => {
	test("this package's nodes are registered under n8n's production names", () => {
		const types = new HarnessNodeTypes();
		expect(packageNodeType('wixProGallery')).toBe('n8n-nodes-wix-gallery.wixProGallery');
		expect(types.has('n8n-nodes-wix-gallery.wixProGallery')).toBe(true);
		expect(types.has('wixProGallery')).toBe(false);
		expect(() => types.getByName('wixProGallery')).toThrow(/Unknown node type/);
	});
});
