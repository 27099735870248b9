import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionBaseError,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IConnections,
	IDataObject,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData, deepCopy } from 'n8n-workflow';

import { ensureN8nCore, readBinaryData } from './binaryData';
import {
	CREDENTIAL_TEST_NODE_TYPE,
	CredentialHandle,
	CredentialStore,
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
} from './credentialsHelper';
import {
	HarnessNodeTypes,
	INPUT_ITEMS_TYPE,
	MANUAL_TRIGGER_TYPE,
	packageNodeType,
} from './nodeTypes';
import type { InputItemSpec } from './nodeTypes';

export { cleanupBinaryData, ensureN8nCore, readBinaryData } from './binaryData';
export {
	CredentialHandle,
	CredentialStore,
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
} from './credentialsHelper';
export {
	HarnessNodeTypes,
	INPUT_ITEMS_TYPE,
	MANUAL_TRIGGER_TYPE,
	PACKAGE_NAME,
	packageNodeType,
} from './nodeTypes';
export type { InputBinarySpec, InputItemSpec } from './nodeTypes';

const WORKFLOW_ID = 'harness-workflow';
const INSTANCE_URL = 'http://localhost:5678';

/** A workflow node as tests write it: id, position and typeVersion may be left out. */
export type HarnessNode = Omit<INode, 'id' | 'position' | 'typeVersion' | 'credentials'> &
	Partial<Pick<INode, 'id' | 'position' | 'typeVersion'>> & {
		credentials?: Record<string, INodeCredentialsDetails | CredentialHandle>;
	};

/** What a node failed with, flattened from n8n's NodeApiError / NodeOperationError. */
export interface HarnessNodeError {
	message: string;
	description?: string | null;
	/** The HTTP status as n8n reports it (a string, e.g. '404'), when the error came from an HTTP response. */
	httpCode?: string | null;
	nodeName?: string;
	/** The error class name, e.g. NodeApiError. */
	name: string;
	context: IDataObject;
	/**
	 * The error as n8n keeps it in the run data: a plain (null-prototype) copy of the NodeApiError /
	 * NodeOperationError, not an Error instance, so `instanceof` does not work on it.
	 */
	raw: IDataObject;
}

export interface RunWorkflowOptions {
	nodes: HarnessNode[];
	connections: IConnections;
	/** Where the nodes' credential IDs are looked up and tokens are saved; reuse it to share tokens across runs. */
	credentials?: CredentialStore;
	staticData?: IDataObject;
	/** 'manual' (default) runs the start node's manual trigger; other modes hand `startItems` to the start node. */
	mode?: WorkflowExecuteMode;
	/** Name of the node to start from; defaults to n8n's choice (the trigger). */
	startNode?: string;
	startItems?: INodeExecutionData[];
	settings?: IWorkflowSettings;
	nodeTypes?: INodeTypes;
	credentialTypes?: HarnessCredentialTypes;
}

export interface WorkflowRunResult {
	run: IRun;
	executionId: string;
	/** Items a node put out on one output, in its last run (or the given run); [] if it did not run or failed. */
	output(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The error that stopped the execution, if any. */
	error?: HarnessNodeError;
	/** The error a given node failed with, if it failed. */
	nodeError(nodeName: string): HarnessNodeError | undefined;
	/** The bytes of an item's binary property, read through n8n's binary data service. */
	binaryBuffer(item: INodeExecutionData, property?: string): Promise<Buffer>;
	credentials: CredentialStore;
	/** The workflow's static data after the run (a plain copy), to pass into the next run. */
	staticData: IDataObject;
}

let defaultNodeTypes: HarnessNodeTypes | undefined;
let defaultCredentialTypes: HarnessCredentialTypes | undefined;
let executionCounter = 0;

function latestVersion(nodeType: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function toNodeError(error: ExecutionBaseError | undefined): HarnessNodeError | undefined {
	if (!error) return undefined;
	const copy = error as unknown as IDataObject & {
		node?: INode;
		httpCode?: string | null;
		description?: string | null;
	};
	return {
		message: String(copy.message),
		description: copy.description,
		httpCode: copy.httpCode,
		nodeName: copy.node?.name,
		name: String(copy.name),
		context: (copy.context as IDataObject | undefined) ?? {},
		raw: copy,
	};
}

function normaliseNodes(nodes: HarnessNode[], nodeTypes: INodeTypes): INode[] {
	return nodes.map((node, index) => {
		const credentials = node.credentials
			? Object.fromEntries(
					Object.entries(node.credentials).map(([type, details]) => [
						type,
						{ id: details.id, name: details.name },
					]),
				)
			: undefined;
		return {
			...deepCopy(node as Omit<HarnessNode, 'credentials'>),
			id: node.id ?? `node-${index}`,
			position: node.position ?? [index * 200, 0],
			typeVersion: node.typeVersion ?? latestVersion(nodeTypes.getByName(node.type)),
			...(credentials ? { credentials } : {}),
		} as INode;
	});
}

function credentialStoreOf(nodes: HarnessNode[]): CredentialStore | undefined {
	for (const node of nodes) {
		for (const details of Object.values(node.credentials ?? {})) {
			if (details instanceof CredentialHandle) return details.store;
		}
	}
	return undefined;
}

function unsupported(what: string) {
	return async () => {
		throw new Error(`The test harness does not support ${what}`);
	};
}

/** The additional data n8n hands a workflow execution, with this harness's credentials helper. */
export function createAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	executionId: string,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId,
		workflowId: WORKFLOW_ID,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${INSTANCE_URL}/rest`,
		instanceBaseUrl: `${INSTANCE_URL}/`,
		formBaseUrl: `${INSTANCE_URL}/form`,
		formWaitingBaseUrl: `${INSTANCE_URL}/form-waiting`,
		formTestBaseUrl: `${INSTANCE_URL}/form-test`,
		webhookBaseUrl: `${INSTANCE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_URL}/webhook-test`,
		mcpBaseUrl: `${INSTANCE_URL}/mcp`,
		mcpTestBaseUrl: `${INSTANCE_URL}/mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: unsupported('sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('task runners (Code node)'),
	} as IWorkflowExecuteAdditionalData;
}

/**
 * Runs a workflow with n8n-core's WorkflowExecute: real node execution contexts, real request helpers (HTTP goes
 * out through n8n's OutboundHttp), the harness credentials helper and the filesystem binary data service.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	await ensureN8nCore();
	const nodeTypes = options.nodeTypes ?? (defaultNodeTypes ??= new HarnessNodeTypes());
	const credentialTypes =
		options.credentialTypes ?? (defaultCredentialTypes ??= new HarnessCredentialTypes());
	const store = options.credentials ?? credentialStoreOf(options.nodes) ?? new CredentialStore();
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, store);
	const mode = options.mode ?? 'manual';
	const nodes = normaliseNodes(options.nodes, nodeTypes);

	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes,
		staticData: deepCopy(options.staticData ?? {}),
		settings: { executionOrder: 'v1', ...options.settings },
	});
	const startNode = options.startNode
		? workflow.getNode(options.startNode)
		: workflow.getStartNode();
	if (!startNode) throw new Error('The workflow has no node to start from');

	const executionId = String(++executionCounter);
	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: options.connections,
		settings: workflow.settings,
		activeVersionId: null,
	};
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = createAdditionalData(credentialsHelper, executionId, hooks);

	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [options.startItems ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});
	const run = await new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);

	const { runData } = run.data.resultData;
	const taskData = (nodeName: string, runIndex?: number) => {
		const runs = runData[nodeName] ?? [];
		return runs[runIndex ?? runs.length - 1];
	};
	return {
		run,
		executionId,
		output: (nodeName, outputIndex = 0, runIndex) =>
			taskData(nodeName, runIndex)?.data?.[NodeConnectionTypes.Main]?.[outputIndex] ?? [],
		error: toNodeError(run.data.resultData.error),
		nodeError: (nodeName) => toNodeError(taskData(nodeName)?.error),
		binaryBuffer: async (item, property = 'data') => {
			const binary = item.binary?.[property];
			if (!binary) {
				throw new Error(
					`The item has no binary property "${property}" (it has: ${Object.keys(item.binary ?? {}).join(', ') || 'none'})`,
				);
			}
			return await readBinaryData(binary);
		},
		credentials: store,
		staticData: deepCopy(workflow.staticData as IDataObject),
	};
}

export interface InputItem {
	json: IDataObject;
	binary?: Record<string, { data: Buffer; mimeType: string; fileName: string }>;
}

export interface RunNodeOptions {
	/** `wixProGallery` or a full type name such as `n8n-nodes-wix-gallery.wixProGallery`. */
	type: string;
	typeVersion?: number;
	parameters: INodeParameters;
	/**
	 * Credentials by type: plain data (saved into `credentialStore`, or a new store) or a handle from
	 * `CredentialStore.add`. When only `wixGalleryOAuth2Api` is given and `parameters.authentication` is not,
	 * `authentication` is set to 'oAuth2' so the node picks that credential.
	 */
	credentials?: Record<string, ICredentialDataDecryptedObject | CredentialHandle>;
	credentialStore?: CredentialStore;
	/** Items fed into the node (default: one empty item). */
	input?: InputItem[];
	continueOnFail?: boolean;
	nodeName?: string;
	nodeTypes?: INodeTypes;
	mode?: WorkflowExecuteMode;
	staticData?: IDataObject;
}

export interface NodeRunResult extends WorkflowRunResult {
	nodeName: string;
	/** The node's first output. */
	items: INodeExecutionData[];
	/** The node's failure (also when continueOnFail is off and the run stopped). */
	nodeFailure?: HarnessNodeError;
}

/** Runs Manual Trigger → Input Items → the node, and returns the node's output and error. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const nodeName = options.nodeName ?? 'Node under test';
	const store =
		options.credentialStore ??
		Object.values(options.credentials ?? {}).find(
			(value): value is CredentialHandle => value instanceof CredentialHandle,
		)?.store ??
		new CredentialStore();
	const nodeCredentials: Record<string, CredentialHandle> = {};
	for (const [type, value] of Object.entries(options.credentials ?? {})) {
		nodeCredentials[type] =
			value instanceof CredentialHandle
				? value
				: store.add(type, value as ICredentialDataDecryptedObject);
	}
	const parameters = deepCopy(options.parameters);
	const credentialTypes = Object.keys(nodeCredentials);
	if (
		parameters.authentication === undefined &&
		credentialTypes.length === 1 &&
		credentialTypes[0] === 'wixGalleryOAuth2Api'
	) {
		parameters.authentication = 'oAuth2';
	}

	const items: InputItemSpec[] = (options.input ?? [{ json: {} }]).map((item) => ({
		json: item.json,
		...(item.binary
			? {
					binary: Object.fromEntries(
						Object.entries(item.binary).map(([property, file]) => [
							property,
							{
								data: file.data.toString('base64'),
								mimeType: file.mimeType,
								fileName: file.fileName,
							},
						]),
					),
				}
			: {}),
	}));

	const result = await runWorkflow({
		nodes: [
			{ name: 'Manual Trigger', type: MANUAL_TRIGGER_TYPE, parameters: {} },
			{ name: 'Input Items', type: INPUT_ITEMS_TYPE, parameters: { items: JSON.stringify(items) } },
			{
				name: nodeName,
				type: packageNodeType(options.type),
				typeVersion: options.typeVersion,
				parameters,
				credentials: nodeCredentials,
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Input Items', type: 'main', index: 0 }]] },
			'Input Items': { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
		},
		credentials: store,
		nodeTypes: options.nodeTypes,
		mode: options.mode,
		staticData: options.staticData,
	});
	return {
		...result,
		nodeName,
		items: result.output(nodeName),
		nodeFailure: result.nodeError(nodeName),
	};
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

const credentialTestNodeTypes = new Map<string, INodeType>();
const credentialTestNodeTypesLookup: INodeTypes = {
	getByName: (name) => credentialTestNodeTypes.get(name) as INodeType,
	getByNameAndVersion: (name) => {
		const type = credentialTestNodeTypes.get(name);
		if (!type) throw new Error(`Unknown node type "${name}"`);
		return type;
	},
	getKnownTypes: () => ({}),
};

/**
 * Tests a credential the way n8n's CredentialsTester does for credentials with a declarative `test`: defaults
 * applied, the test request run by n8n-core's RoutingNode as a temporary node (so `authenticate` and
 * preAuthentication apply, the latter always), and the outcome mapped to n8n's OK / Error messages.
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
	options: { store?: CredentialStore; credentialTypes?: HarnessCredentialTypes } = {},
): Promise<CredentialTestResult & { credential: CredentialHandle }> {
	await ensureN8nCore();
	const credentialTypes =
		options.credentialTypes ?? (defaultCredentialTypes ??= new HarnessCredentialTypes());
	const store = options.store ?? new CredentialStore();
	const credential = store.add(type, data);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, store);
	const executionId = `credential-test-${++executionCounter}`;
	const additionalData = createAdditionalData(credentialsHelper, executionId);
	const done = (status: 'OK' | 'Error', message: string) => ({ status, message, credential });

	const credentialType = credentialTypes.getByName(type);
	if (!credentialType.test) return done('Error', 'No testing function found for this credential.');
	const testRequest = credentialType.test;

	let credentialsDecrypted: ICredentialsDecrypted;
	try {
		credentialsDecrypted = {
			id: credential.id,
			name: credential.name,
			type,
			data: credentialsHelper.applyDefaults(additionalData, credential.data, type, 'internal'),
		};
	} catch (error) {
		return done('Error', String((error as Error).message));
	}

	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation',
			name: CREDENTIAL_TEST_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'No Operation' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	credentialTestNodeTypes.set(CREDENTIAL_TEST_NODE_TYPE, nodeType);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: credential.reference },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: credentialTestNodeTypesLookup,
	});
	const runExecutionData = createRunExecutionData();
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			const { status, statusText } = cause.response;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return done('Error', rule.properties.message);
				}
			}
			if (status < 199 || status > 299) {
				return done('Error', statusText || `Received HTTP status code: ${status}`);
			}
		} else if (cause?.code) {
			return done('Error', cause.code);
		}
		return done('Error', String((error as Error).message));
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json ?? {};
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((current, key) => (current as IDataObject | undefined)?.[key], body);
			if (value === rule.properties.value) return done('Error', rule.properties.message);
		}
	}
	return done('OK', 'Connection successful!');
}
