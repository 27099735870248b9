/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code runs in plain Node, never inside n8n */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type {
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, deepCopy, jsonParse } from 'n8n-workflow';

import { CredentialStore, HarnessNodeTypes, packageNodeType, runWorkflow } from './harness';
import type { HarnessNode, WorkflowRunResult } from './harness';
import type { TestSandbox } from './sandbox';

/** The sandbox's default address, which the example workflows use. */
export const EXAMPLE_SANDBOX_ORIGIN = 'http://localhost:5880';
/**
 * The external platform's public API, as example 2 names it: real n8n reaches it through the sandbox's platform
 * proxy, the harness's HTTP Request stand-in at the sandbox's `/external/v1`.
 */
export const EXAMPLE_EXTERNAL_API = 'https://api.external-gallery.example/v1';
export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');

export interface ExampleWorkflow {
	name: string;
	nodes: Array<HarnessNode & { credentials?: Record<string, { id: string; name: string }> }>;
	connections: IConnections;
}

export function readExample(fileName: string): ExampleWorkflow {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, fileName), 'utf8')) as ExampleWorkflow;
}

/**
 * An example as the in-process harness can run it, without its sticky notes: the harness has no n8n API behind it,
 * so the Sync nodes keep their mapping in static data. The examples' own store, the n8n data table, is proven in real n8n (e2e).
 */
export function readExampleForHarness(fileName: string): ExampleWorkflow {
	const example = readExample(fileName);
	// Sticky notes are canvas text: n8n never runs them, and the harness knows no such node type.
	example.nodes = example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	for (const node of example.nodes) {
		if (node.parameters.mappingStore === 'dataTable') node.parameters.mappingStore = 'staticData';
		if (node.credentials) delete node.credentials.wixGalleryN8nApi;
	}
	return example;
}

function passThroughDescription(
	name: string,
	displayName: string,
	properties: INodeTypeDescription['properties'],
	version: number[] = [1],
): INodeTypeDescription {
	return {
		displayName,
		name,
		group: ['trigger'],
		version,
		description: `Test stand-in for ${displayName}`,
		defaults: { name: displayName },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'x' }],
		properties,
	};
}

/**
 * Stand-ins for trigger nodes: the harness starts executions at them with the items their webhook would emit, and
 * n8n passes a webhook node's start items through unchanged.
 */
class StandInWebhook implements INodeType {
	description = passThroughDescription(
		'webhook',
		'Webhook',
		[
			{ displayName: 'HTTP Method', name: 'httpMethod', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '' },
			{ displayName: 'Respond', name: 'responseMode', type: 'string', default: 'onReceived' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
		[1, 1.1, 2, 2.1],
	);

	async webhook(): Promise<IWebhookResponseData> {
		return { workflowData: [[]] };
	}
}

class StandInWixGalleryTrigger implements INodeType {
	description = passThroughDescription('wixGalleryTrigger', 'Wix Gallery Trigger', [
		{ displayName: 'Events', name: 'events', type: 'json', default: [] },
		{ displayName: 'Gallery IDs', name: 'galleryIds', type: 'string', default: '' },
		{ displayName: 'Options', name: 'options', type: 'json', default: {} },
	]);

	async webhook(): Promise<IWebhookResponseData> {
		return { workflowData: [[]] };
	}
}

/**
 * The part of n8n's HTTP Request node (v4) the examples use: method, URL, a JSON body and bearer auth. Requests
 * to the external platform's public API or the examples' sandbox origin go to the test's sandbox, with the external
 * platform's token.
 */
export function standInHttpRequest(target: { origin: string; bearerToken: string }): INodeType {
	return {
		description: {
			displayName: 'HTTP Request',
			name: 'httpRequest',
			group: ['output'],
			version: [4, 4.1, 4.2],
			description: 'Test stand-in for n8n’s HTTP Request node',
			defaults: { name: 'HTTP Request' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [
				{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
				{ displayName: 'URL', name: 'url', type: 'string', default: '' },
				{ displayName: 'Authentication', name: 'authentication', type: 'string', default: 'none' },
				{ displayName: 'Auth Type', name: 'genericAuthType', type: 'string', default: '' },
				{ displayName: 'Send Body', name: 'sendBody', type: 'boolean', default: false },
				{ displayName: 'Specify Body', name: 'specifyBody', type: 'string', default: 'json' },
				{ displayName: 'JSON', name: 'jsonBody', type: 'string', default: '' },
				{ displayName: 'Body Content Type', name: 'contentType', type: 'string', default: 'json' },
				{ displayName: 'Body Parameters', name: 'bodyParameters', type: 'json', default: {} },
				{ displayName: 'Options', name: 'options', type: 'json', default: {} },
				{ displayName: 'Send Query', name: 'sendQuery', type: 'boolean', default: false },
				{ displayName: 'Query Parameters', name: 'queryParameters', type: 'json', default: {} },
			],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const output: INodeExecutionData[] = [];
			const items = this.getInputData();
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				const address = new URL(
					String(this.getNodeParameter('url', itemIndex))
						.replace(EXAMPLE_EXTERNAL_API, `${target.origin}/external/v1`)
						.replace(EXAMPLE_SANDBOX_ORIGIN, target.origin),
				);
				if (this.getNodeParameter('sendQuery', itemIndex) === true) {
					const { parameters = [] } = this.getNodeParameter('queryParameters', itemIndex) as {
						parameters?: Array<{ name: string; value?: unknown }>;
					};
					for (const parameter of parameters) {
						address.searchParams.append(parameter.name, String(parameter.value ?? ''));
					}
				}
				const url = address.toString();
				const sendBody = this.getNodeParameter('sendBody', itemIndex) as boolean;
				if (sendBody && this.getNodeParameter('contentType', itemIndex) === 'multipart-form-data') {
					const form = new FormData();
					const { parameters = [] } = this.getNodeParameter('bodyParameters', itemIndex) as {
						parameters?: Array<{
							parameterType?: string;
							name: string;
							value?: string;
							inputDataFieldName?: string;
						}>;
					};
					for (const parameter of parameters) {
						if (parameter.parameterType === 'formBinaryData') {
							const field = parameter.inputDataFieldName ?? 'data';
							const binary = this.helpers.assertBinaryData(itemIndex, field);
							const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, field);
							form.append(
								parameter.name,
								new Blob([new Uint8Array(bytes)], { type: binary.mimeType }),
								binary.fileName,
							);
						} else {
							form.append(parameter.name, String(parameter.value ?? ''));
						}
					}
					const response = await fetch(url, {
						method: this.getNodeParameter('method', itemIndex) as string,
						headers: { Authorization: `Bearer ${target.bearerToken}` },
						body: form,
					});
					const json = (await response.json()) as IDataObject;
					if (!response.ok) throw new Error(`${url} → ${response.status}: ${JSON.stringify(json)}`);
					output.push({ json, pairedItem: { item: itemIndex } });
					continue;
				}
				const jsonBody = this.getNodeParameter('jsonBody', itemIndex, '') as string | IDataObject;
				const response = (await this.helpers.httpRequest({
					method: this.getNodeParameter('method', itemIndex) as 'GET',
					url,
					headers: { Authorization: `Bearer ${target.bearerToken}` },
					...(sendBody
						? { body: typeof jsonBody === 'string' ? jsonParse(jsonBody) : jsonBody, json: true }
						: { json: true }),
				})) as IDataObject | IDataObject[];
				for (const json of Array.isArray(response) ? response : [response]) {
					output.push({ json, pairedItem: { item: itemIndex } });
				}
			}
			return [output];
		},
	};
}

/** The part of n8n's If node (v2) the examples use: one condition, routed to true or false. */
class StandInIf implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'If',
		name: 'if',
		group: ['transform'],
		version: [2, 2.1, 2.2],
		description: 'Test stand-in for n8n’s If node',
		defaults: { name: 'If' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Conditions', name: 'conditions', type: 'json', default: {} },
			{ displayName: 'Loose', name: 'looseTypeValidation', type: 'boolean', default: false },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const outputs: INodeExecutionData[][] = [[], []];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const { conditions = [], combinator = 'and' } = this.getNodeParameter(
				'conditions',
				itemIndex,
			) as {
				conditions?: Array<{
					leftValue: unknown;
					rightValue: unknown;
					operator: { type: string; operation: string };
				}>;
				combinator?: 'and' | 'or';
			};
			const results = conditions.map(({ leftValue, rightValue, operator }) => {
				const kind = `${operator.type}:${operator.operation}`;
				if (kind === 'number:gt') return Number(leftValue) > Number(rightValue);
				if (kind === 'string:notEmpty') return typeof leftValue === 'string' && leftValue !== '';
				if (kind === 'boolean:true') return leftValue === true || leftValue === 'true';
				throw new Error(`the If stand-in does not know the operator ${kind}`);
			});
			const pass = combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
			outputs[pass ? 0 : 1].push({ ...items[itemIndex], pairedItem: { item: itemIndex } });
		}
		return outputs;
	}
}

export function exampleNodeTypes(target: { origin: string; bearerToken: string }) {
	const nodeTypes = new HarnessNodeTypes()
		.add('n8n-nodes-base.httpRequest', standInHttpRequest(target))
		.add('n8n-nodes-base.if', new StandInIf())
		.add('n8n-nodes-base.webhook', new StandInWebhook());
	if (!nodeTypes.has(packageNodeType('wixGalleryTrigger'))) {
		nodeTypes.add(packageNodeType('wixGalleryTrigger'), new StandInWixGalleryTrigger());
	}
	return nodeTypes;
}

/** The examples' credentials (by their IDs in the JSON), pointing at the test sandbox. */
export function exampleCredentials(sandbox: TestSandbox): CredentialStore {
	const store = new CredentialStore();
	const { apiKey, siteId, appId, appSecret, instanceId, publicKeyPem } = sandbox.credentials;
	store.add(
		'wixGalleryApi',
		{ apiKey, siteId, baseUrl: sandbox.baseUrl },
		{ id: 'wix-sandbox-api-key', name: 'Wix sandbox (API key)' },
	);
	store.add(
		'wixGalleryOAuth2Api',
		{ appId, appSecret, instanceId, publicKey: publicKeyPem, baseUrl: sandbox.baseUrl },
		{ id: 'wix-sandbox-app', name: 'Wix sandbox (app)' },
	);
	return store;
}

export async function externalToken(sandbox: TestSandbox): Promise<string> {
	const response = await fetch(`${sandbox.baseUrl}/_sandbox/external/credentials`);
	return ((await response.json()) as { token: string }).token;
}

/**
 * Runs a workflow the way n8n runs a production workflow's executions, as far as static data goes: each execution
 * starts from the copy last saved, and when it ends with changed static data its whole copy replaces the saved one
 * (`n8n-conventions.md` §6.3). Concurrent runs therefore overwrite each other exactly as in n8n.
 */
export class N8nLikeWorkflow {
	savedStaticData: IDataObject = {};
	executions = 0;
	saves = 0;
	readonly failures: string[] = [];
	private running = new Set<Promise<unknown>>();

	constructor(
		private readonly workflow: ExampleWorkflow,
		private readonly nodeTypes: HarnessNodeTypes,
		private readonly credentials: CredentialStore,
	) {}

	async execute(startNode: string, items: IDataObject[]): Promise<WorkflowRunResult> {
		const loaded = deepCopy(this.savedStaticData);
		this.executions++;
		const result = await runWorkflow({
			nodes: this.workflow.nodes,
			connections: this.workflow.connections,
			credentials: this.credentials,
			nodeTypes: this.nodeTypes,
			staticData: loaded,
			mode: 'webhook',
			startNode,
			startItems: items.map((json) => ({ json })),
		});
		if (JSON.stringify(result.staticData) !== JSON.stringify(loaded)) {
			this.savedStaticData = result.staticData;
			this.saves++;
		}
		if (result.error) {
			this.failures.push(
				`${startNode}: ${result.error.nodeName}: ${result.error.message} ${result.error.description ?? ''}`,
			);
		}
		return result;
	}

	/** Starts an execution without waiting, as n8n does for a webhook answered on receipt. */
	start(startNode: string, items: IDataObject[]): void {
		const run = this.execute(startNode, items).catch((error: Error) => {
			this.failures.push(`${startNode}: ${error.message}`);
		});
		this.running.add(run);
		void run.finally(() => this.running.delete(run));
	}

	async idle(): Promise<void> {
		while (this.running.size > 0) await Promise.all([...this.running]);
	}

	get busy(): boolean {
		return this.running.size > 0;
	}
}

function decodeSegment(segment: string): IDataObject {
	return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as IDataObject;
}

const SLUG_EVENTS: Record<string, string> = {
	gallery_item_created: 'galleryItemCreated',
	gallery_item_updated: 'galleryItemUpdated',
	gallery_item_deleted: 'galleryItemDeleted',
	created: 'galleryCreated',
	updated: 'galleryUpdated',
	deleted: 'galleryDeleted',
};

/**
 * A Wix webhook body (the JWT) turned into the Wix Gallery Trigger's item. The trigger verifies the signature;
 * this test stand-in only unpacks, since the simulation is about the sync, not about verification.
 */
export function wixTriggerItem(jwt: string): IDataObject {
	const claims = decodeSegment(jwt.split('.')[1]);
	const envelope = JSON.parse(String(claims.data)) as IDataObject;
	const event = JSON.parse(String(envelope.data)) as IDataObject & {
		actionEvent?: { body?: IDataObject };
	};
	const body = event.actionEvent?.body ?? {};
	const item = (body.item ?? body.updatedItem) as
		| (IDataObject & {
				image?: { imageInfo?: { url?: string } };
				video?: { videoInfo?: { url?: string } };
		  })
		| undefined;
	return {
		event: SLUG_EVENTS[String(event.slug)] ?? String(event.slug),
		eventType: envelope.eventType as string,
		eventId: event.id as string,
		eventTime: event.eventTime as string,
		instanceId: envelope.instanceId as string,
		galleryId: event.entityId as string,
		itemId: (item?.id ?? body.itemId ?? null) as string | null,
		item: (item ?? null) as IDataObject | null,
		mediaUrl: item?.image?.imageInfo?.url ?? item?.video?.videoInfo?.url ?? null,
		sortOrder: (item?.sortOrder ?? null) as number | null,
		type: (item?.type ?? null) as string | null,
		title: (item?.title ?? null) as string | null,
		identity: JSON.parse(String(envelope.identity)) as IDataObject,
		originatedFrom: (event.originatedFrom ?? null) as string | null,
	};
}

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** An HTTP endpoint that answers 200 at once and hands each body to `onBody`, like n8n's production webhooks. */
export async function startReceiver(
	onBody: (body: string, headers: IncomingMessage['headers']) => void,
): Promise<{ url: string; close(): Promise<void> }> {
	const server: Server = createServer((request, response) => {
		void readBody(request).then((body) => {
			response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
			onBody(body, request.headers);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
