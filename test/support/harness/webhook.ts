/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the harness is test code that runs in plain Node, never inside n8n */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, deepCopy, jsonParse, sleep } from 'n8n-workflow';

import { createAdditionalData, ensureN8nCore, runWorkflow } from './index';
import type { HarnessNode, WorkflowRunResult } from './index';
import {
	CredentialHandle,
	CredentialStore,
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
} from './credentialsHelper';
import { HarnessNodeTypes } from './nodeTypes';

/**
 * A webhook server for trigger nodes that does what n8n does with a production (or test) webhook URL:
 *
 * - the request is parsed like n8n's body parser (raw body kept on `req.rawBody` for JSON, text, form and XML
 *   bodies; `readRawBody()` for the rest) and handed to the node's `webhook()` through n8n-core's real
 *   `WebhookContext`, with express-style `status().send()` on the response object;
 * - a node that answered itself (`noWebhookResponse`) keeps its answer (e.g. 401); without `workflowData` the
 *   caller gets the node's `webhookResponse` or n8n's "Webhook call received"; with `workflowData` an execution is
 *   started from the trigger (mode `webhook`) and the caller gets "Workflow was started", or an empty body when
 *   the webhook declares responseData 'noData' (response mode onReceived), without waiting for the execution;
 * - workflow static data is kept as n8n keeps it (n8n-conventions.md §6.3): each request works on its own copy
 *   loaded at arrival; the copy is saved whole if the node changed it, just before the answer goes out; an
 *   execution loads its copy when it is started (before the request's save) and saves it whole when it finishes,
 *   if a node changed it. So concurrent requests and executions overwrite each other, last one wins, exactly the
 *   hazard n8n has. In test mode (`manual`) nothing is ever saved.
 */

export interface TriggerServerOptions {
	nodes: HarnessNode[];
	connections: IConnections;
	/** Where the nodes' credentials live; found from the nodes' credential handles when left out. */
	credentials?: CredentialStore;
	/** The trigger's node name; default: the first node whose type has a `webhook()` method. */
	triggerNode?: string;
	/** The workflow's static data as stored when the server starts (default `{}`). */
	staticData?: IDataObject;
	/** 'webhook' (default): the production URL of an active workflow. 'manual': the test URL. */
	mode?: 'webhook' | 'manual';
	/** Default: a new id per server, so in-process state keyed by workflow id starts fresh like a restart. */
	workflowId?: string;
	nodeTypes?: HarnessNodeTypes;
	/** Run the node's webhook lifecycle (checkExists, then create if needed) on start, as activation does. */
	activate?: boolean;
	/**
	 * Time between loading the workflow (and its static data) and calling webhook(), standing for n8n's database
	 * reads; makes concurrent requests overlap as they can in n8n (default 0).
	 */
	requestLatencyMs?: number;
}

export interface TriggerDelivery {
	seq: number;
	status: number;
	/** The answer's body as text. */
	body: string;
	/** From the request's arrival to the end of the answer. */
	durationMs: number;
	executionStarted: boolean;
	/** Set when the node's webhook() threw. */
	error?: Error;
}

export interface TriggerExecution {
	/** The delivery that started it. */
	seq: number;
	/** What the trigger emitted (the execution's start items). */
	items: INodeExecutionData[];
	/** Resolves with the finished execution. */
	done: Promise<WorkflowRunResult>;
	result?: WorkflowRunResult;
	/** Whether the execution saved static data when it finished. */
	savedStaticData?: boolean;
}

export interface TriggerServer {
	/** The URL to POST deliveries to (only this path is served; other paths get 404 like an unknown webhook). */
	url: string;
	deliveries: TriggerDelivery[];
	executions: TriggerExecution[];
	/** A copy of the static data as currently stored. */
	staticData(): IDataObject;
	/** Replaces the stored static data (e.g. to model an edit made elsewhere). */
	setStaticData(data: IDataObject): void;
	/** Resolves once no request is being answered and no execution is running. */
	idle(): Promise<void>;
	close(): Promise<void>;
}

type ExpressLikeRequest = IncomingMessage & {
	rawBody?: Buffer;
	readRawBody(): Promise<void>;
	body: unknown;
	contentType?: string;
	encoding: BufferEncoding;
	params: Record<string, string>;
	query: Record<string, unknown>;
};

type ExpressLikeResponse = ServerResponse & {
	status(code: number): ExpressLikeResponse;
	send(body?: unknown): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
};

const PAYLOAD_SIZE_MAX_BYTES = 16 * 1024 * 1024;
const PARSED_CONTENT_TYPES =
	/^(application\/json|text\/plain|application\/x-www-form-urlencoded|.*[/+]xml)$/;

function readBody(request: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > PAYLOAD_SIZE_MAX_BYTES) {
				reject(new Error('request entity too large'));
				request.destroy();
				return;
			}
			chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

/**
 * Adds what n8n's rawBodyReader and bodyParser middlewares add to a request. Like n8n 2.41's `parseRequestBody`,
 * the body is left unread for a version-1 trigger whose `options.binaryData` is true, and a body n8n cannot parse
 * throws (n8n answers 422 without running the node).
 */
async function asExpressRequest(
	request: IncomingMessage,
	parseBody: boolean,
): Promise<ExpressLikeRequest> {
	const req = request as ExpressLikeRequest;
	const [mimeType, ...parameters] = String(req.headers['content-type'] ?? '').split(';');
	const charset = parameters
		.map((parameter) => parameter.trim().split('='))
		.find(([name]) => name.toLowerCase() === 'charset')?.[1];
	req.contentType = mimeType.trim().toLowerCase() || undefined;
	req.encoding = (charset?.toLowerCase() ?? 'utf-8') as BufferEncoding;
	const url = new URL(req.url ?? '/', 'http://localhost');
	req.query = parseQueryString(url.search.slice(1));
	req.params = {};
	req.body = {};
	req.readRawBody = async () => {
		if (req.rawBody === undefined) req.rawBody = await readBody(req);
	};
	if (parseBody && req.contentType && PARSED_CONTENT_TYPES.test(req.contentType)) {
		await req.readRawBody();
		const text = req.rawBody!.toString(req.encoding);
		if (req.rawBody!.length > 0) {
			if (req.contentType === 'application/json') req.body = jsonParse(text);
			else if (req.contentType === 'application/x-www-form-urlencoded')
				req.body = parseQueryString(text);
			else if (req.contentType === 'text/plain') req.body = text;
		}
	}
	return req;
}

function asExpressResponse(response: ServerResponse): ExpressLikeResponse {
	const res = response as ExpressLikeResponse;
	res.status = (code) => {
		res.statusCode = code;
		return res;
	};
	res.send = (body) => {
		if (res.writableEnded) return res;
		if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body))
			return res.json(body);
		if (typeof body === 'string' && !res.hasHeader('Content-Type')) {
			res.setHeader('Content-Type', 'text/html; charset=utf-8');
		}
		res.end(body as string | Buffer | undefined);
		return res;
	};
	res.json = (body) => {
		if (res.writableEnded) return res;
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return res;
	};
	return res;
}

function nodeWithDefaults(node: HarnessNode, index: number, nodeTypes: HarnessNodeTypes): INode {
	const type = nodeTypes.getByName(node.type);
	const version =
		'nodeVersions' in type
			? type.currentVersion
			: Array.isArray(type.description.version)
				? Math.max(...type.description.version)
				: type.description.version;
	const credentials = node.credentials
		? Object.fromEntries(
				Object.entries(node.credentials).map(([name, details]) => [
					name,
					{ id: details.id, name: details.name },
				]),
			)
		: undefined;
	return {
		...deepCopy(node as Omit<HarnessNode, 'credentials'>),
		id: node.id ?? `node-${index}`,
		position: node.position ?? [index * 200, 0],
		typeVersion: node.typeVersion ?? version,
		...(credentials ? { credentials } : {}),
	} as INode;
}

function isChanged(staticData: IDataObject): boolean {
	return (staticData as { __dataChanged?: boolean }).__dataChanged === true;
}

/** Starts a webhook server for the workflow's trigger on 127.0.0.1 (free port). */
export async function startTriggerServer(options: TriggerServerOptions): Promise<TriggerServer> {
	await ensureN8nCore();
	const nodeTypes = options.nodeTypes ?? new HarnessNodeTypes();
	const credentialTypes = new HarnessCredentialTypes();
	const store =
		options.credentials ??
		options.nodes
			.flatMap((node) => Object.values(node.credentials ?? {}))
			.find((details): details is CredentialHandle => details instanceof CredentialHandle)?.store ??
		new CredentialStore();
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, store);
	const mode: WorkflowExecuteMode = options.mode ?? 'webhook';
	const isTest = mode === 'manual';
	const workflowId = options.workflowId ?? `trigger-workflow-${randomUUID()}`;
	// Every webhook node gets a webhookId in n8n; it is part of the URL.
	const harnessNodes = options.nodes.map((node) => ({ webhookId: randomUUID(), ...node }));
	const nodes = harnessNodes.map((node, index) => nodeWithDefaults(node, index, nodeTypes));

	const triggerNode =
		nodes.find((node) => node.name === options.triggerNode) ??
		nodes.find(
			(node) =>
				!options.triggerNode &&
				'webhook' in nodeTypes.getByNameAndVersion(node.type, node.typeVersion),
		);
	if (!triggerNode) throw new Error('The workflow has no webhook trigger node');
	const triggerType = nodeTypes.getByNameAndVersion(
		triggerNode.type,
		triggerNode.typeVersion,
	) as INodeType;
	const webhookDescription = triggerType.description.webhooks?.find(
		(hook) => hook.name === 'default',
	);
	const resolvedParameters = NodeHelpers.getNodeParameters(
		triggerType.description.properties,
		triggerNode.parameters,
		true,
		false,
		triggerNode,
		triggerType.description,
	);
	const parsesBody = !(
		triggerNode.typeVersion === 1 &&
		(resolvedParameters?.options as { binaryData?: boolean } | undefined)?.binaryData
	);
	if (!triggerType.webhook || !webhookDescription) {
		throw new Error(`Node "${triggerNode.name}" has no default webhook`);
	}
	const webhookPath = `/${isTest ? 'webhook-test' : 'webhook'}/${triggerNode.webhookId}/${String(webhookDescription.path)}`;

	let storedStaticData: IDataObject = isTest ? {} : deepCopy(options.staticData ?? {});
	let testStaticData: IDataObject | undefined;

	function newWorkflow(staticData: IDataObject): Workflow {
		return new Workflow({
			id: workflowId,
			name: 'Trigger harness workflow',
			nodes,
			connections: options.connections,
			active: !isTest,
			nodeTypes,
			staticData,
			settings: { executionOrder: 'v1' },
		});
	}

	function webhookData(
		additionalData: IWebhookData['workflowExecuteAdditionalData'],
	): IWebhookData {
		return {
			workflowExecuteAdditionalData: additionalData,
			httpMethod: webhookDescription!.httpMethod as IWebhookData['httpMethod'],
			node: triggerNode!.name,
			path: String(webhookDescription!.path),
			webhookDescription: webhookDescription!,
			workflowId,
			isTest,
		};
	}

	function save(workflow: Workflow): void {
		if (isTest || !isChanged(workflow.staticData)) return;
		storedStaticData = deepCopy(workflow.staticData);
	}

	if (options.activate !== false && triggerType.webhookMethods?.default) {
		const workflow = newWorkflow(deepCopy(storedStaticData));
		const additionalData = createAdditionalData(credentialsHelper, `activation-${randomUUID()}`);
		const context = new HookContext(
			workflow,
			triggerNode,
			additionalData,
			mode,
			isTest ? 'manual' : 'activate',
			webhookData(additionalData),
		);
		const methods = triggerType.webhookMethods.default;
		const exists = await methods.checkExists.call(context);
		if (!exists) await methods.create.call(context);
		save(workflow);
		if (isTest) testStaticData = deepCopy(workflow.staticData);
	}

	const deliveries: TriggerDelivery[] = [];
	const executions: TriggerExecution[] = [];
	const pending = new Set<Promise<unknown>>();
	let seq = 0;

	function track<T>(promise: Promise<T>): Promise<T> {
		pending.add(promise);
		void promise.finally(() => pending.delete(promise)).catch(() => {});
		return promise;
	}

	function startExecution(deliverySeq: number, startItems: INodeExecutionData[]): TriggerExecution {
		// n8n loads the execution's static data when the execution is started, before the request saves its own.
		const executionStaticData = deepCopy(storedStaticData);
		// runWorkflow deep-copies static data, and n8n's deepCopy returns what toJSON gives, so the execution works
		// on this very object and its change flag can be read afterwards, as n8n's workflowExecuteAfter hook does.
		const loadedStaticData = { toJSON: () => executionStaticData } as unknown as IDataObject;
		const execution: TriggerExecution = {
			seq: deliverySeq,
			items: startItems,
			done: undefined as unknown as Promise<WorkflowRunResult>,
		};
		execution.done = track(
			runWorkflow({
				nodes: harnessNodes,
				connections: options.connections,
				credentials: store,
				nodeTypes,
				staticData: loadedStaticData,
				mode,
				startNode: triggerNode!.name,
				startItems,
			}).then((result) => {
				if (!('__dataChanged' in executionStaticData)) {
					throw new Error('The harness could not observe the execution static data');
				}
				execution.result = result;
				execution.savedStaticData = !isTest && isChanged(executionStaticData);
				if (execution.savedStaticData) storedStaticData = deepCopy(executionStaticData);
				return result;
			}),
		);
		executions.push(execution);
		return execution;
	}

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const started = performance.now();
		const deliverySeq = ++seq;
		const delivery: TriggerDelivery = {
			seq: deliverySeq,
			status: 0,
			body: '',
			durationMs: 0,
			executionStarted: false,
		};
		const written: Buffer[] = [];
		const originalEnd = response.end.bind(response);
		response.end = ((chunk?: unknown, ...rest: unknown[]) => {
			if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) written.push(Buffer.from(chunk));
			return (originalEnd as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
		}) as ServerResponse['end'];
		const res = asExpressResponse(response);
		res.on('finish', () => {
			delivery.status = res.statusCode;
			delivery.body = Buffer.concat(written).toString('utf8');
			delivery.durationMs = performance.now() - started;
			deliveries.push(delivery);
		});

		const url = new URL(request.url ?? '/', 'http://localhost');
		if (request.method !== webhookDescription!.httpMethod || url.pathname !== webhookPath) {
			request.resume();
			res.status(404).json({ code: 404, message: 'The requested webhook is not registered.' });
			return;
		}

		// n8n loads the workflow, static data included, before it reads the request body.
		const workflow = newWorkflow(deepCopy(storedStaticData));
		let req: ExpressLikeRequest;
		try {
			req = await asExpressRequest(request, parsesBody);
		} catch {
			res.status(422).json({ code: 422, message: 'Failed to parse request body' });
			return;
		}
		if (options.requestLatencyMs) await sleep(options.requestLatencyMs);
		if (isTest && testStaticData) workflow.setTestStaticData(deepCopy(testStaticData));
		const additionalData = createAdditionalData(credentialsHelper, `webhook-${deliverySeq}`);
		additionalData.httpRequest = req as unknown as typeof additionalData.httpRequest;
		additionalData.httpResponse = res as unknown as typeof additionalData.httpResponse;
		const context = new WebhookContext(
			workflow,
			triggerNode!,
			additionalData,
			mode,
			webhookData(additionalData),
			[],
			null,
		);

		let result: IWebhookResponseData;
		try {
			result = await triggerType.webhook!.call(context);
		} catch (error) {
			delivery.error = error as Error;
			if (!res.writableEnded) {
				res
					.status(500)
					.json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			}
			return;
		}

		if (result.noWebhookResponse) {
			if (!res.writableEnded)
				throw new Error('The node asked for no webhook response but did not answer');
			save(workflow);
			return;
		}
		if (result.workflowData === undefined) {
			save(workflow);
			res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		startExecution(deliverySeq, result.workflowData[0] ?? []);
		delivery.executionStarted = true;
		save(workflow);
		if (webhookDescription?.responseData === 'noData') res.status(200).end();
		else res.status(200).json({ message: 'Workflow was started' });
	}

	const server = createServer((request, response) => {
		void track(
			handle(request, response).catch((error: Error) => {
				if (!response.headersSent) response.writeHead(500).end(error.message);
			}),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	async function idle(): Promise<void> {
		while (pending.size > 0) await Promise.allSettled([...pending]);
	}

	return {
		url: `http://127.0.0.1:${port}${webhookPath}`,
		deliveries,
		executions,
		staticData: () => deepCopy(storedStaticData),
		setStaticData: (data) => {
			storedStaticData = deepCopy(data);
		},
		idle,
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			await idle();
		},
	};
}
