// Types for n8n-client.cjs (used by the TypeScript e2e tests).

export declare const BROWSER_ID: string;
export declare function sleep(ms: number): Promise<void>;
/** Whether a failed call met a dropped connection (ECONNRESET and the like), worth one more try. */
export declare function isTransientNetworkError(error: unknown): boolean;

export declare class N8nHttpError extends Error {
	status: number;
	body: unknown;
}

export interface N8nClientOptions {
	baseUrl: string;
	email: string;
	password: string;
	apiKey?: string;
	/** N8N_USER_FOLDER of the instance; needed by query() and readStaticData(). */
	userFolder?: string;
	/** The node_modules folder n8n is installed in; needed by query() and readStaticData(). */
	nodeModules?: string;
	/** The Node that runs n8n (its sqlite3 module is built for it); default: this process's. */
	nodeBin?: string;
	/** Where production webhooks are served, when not by baseUrl (queue mode's webhook processor). */
	webhookBaseUrl?: string;
	/** n8n's Postgres (queue mode); query() then goes there instead of the sqlite file. */
	database?: PostgresConnection;
}

export interface PostgresConnection {
	type: 'postgresdb';
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

export interface N8nNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	disabled?: boolean;
	webhookId?: string;
	[key: string]: unknown;
}

export interface N8nWorkflowInput {
	name: string;
	nodes: N8nNode[];
	connections?: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: Record<string, unknown>;
}

export interface N8nWorkflow extends N8nWorkflowInput {
	id: string;
	active: boolean;
	staticData?: Record<string, unknown> | null;
}

export interface N8nNodeRunData {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	error?: { message: string; description?: string; [key: string]: unknown };
	data?: {
		main?: Array<Array<{
			json: Record<string, unknown>;
			binary?: Record<string, N8nBinary>;
		}> | null>;
	};
}

export interface N8nBinary {
	id?: string;
	data: string;
	mimeType: string;
	fileName?: string;
	fileSize?: string;
	fileExtension?: string;
	bytes?: number;
}

export interface N8nExecution {
	id: string;
	workflowId: string;
	mode: string;
	status: 'success' | 'error' | 'crashed' | 'canceled' | 'running' | 'new' | 'waiting' | 'unknown';
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	data?: {
		resultData: {
			runData: Record<string, N8nNodeRunData[]>;
			lastNodeExecuted?: string;
			error?: { message: string; [key: string]: unknown };
		};
	};
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface RegisteredWebhook {
	workflowId: string;
	webhookPath: string;
	method: string;
	node: string;
	webhookId: string | null;
	url: string;
}

export interface N8nTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	group?: string[];
	credentials?: Array<{ name: string }>;
	properties?: Array<Record<string, unknown>>;
	[key: string]: unknown;
}

export declare class N8nClient {
	constructor(options: N8nClientOptions);
	readonly baseUrl: string;
	readonly webhookBaseUrl: string;
	readonly database: PostgresConnection | undefined;
	apiKey: string | undefined;
	cookie: string | undefined;
	login(): Promise<unknown>;
	rest<T = any>(method: string, path: string, body?: unknown): Promise<T>;
	api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
	createApiKey(label?: string): Promise<string>;
	createCredential(credential: {
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<{ id: string; name: string; type: string }>;
	testCredential(credential: {
		id: string;
		name?: string;
		type: string;
		data?: Record<string, unknown>;
	}): Promise<CredentialTestResult>;
	createWorkflow(workflow: N8nWorkflowInput): Promise<N8nWorkflow>;
	getWorkflow(id: string): Promise<N8nWorkflow>;
	listWorkflows(): Promise<N8nWorkflow[]>;
	activateWorkflow(id: string): Promise<N8nWorkflow>;
	activateWithWebhook(workflow: N8nWorkflowInput): Promise<{ workflow: N8nWorkflow; url: string }>;
	deactivateWorkflow(id: string): Promise<N8nWorkflow>;
	listExecutions(options?: {
		workflowId?: string;
		status?: string;
		includeData?: boolean;
		limit?: number;
	}): Promise<N8nExecution[]>;
	getExecution(id: string, options?: { includeData?: boolean }): Promise<N8nExecution>;
	waitForExecution(
		id: string,
		options?: { timeoutMs?: number; firstPollMs?: number; maxPollMs?: number },
	): Promise<N8nExecution>;
	waitForExecutions(
		workflowId: string,
		options?: { count?: number; timeoutMs?: number },
	): Promise<N8nExecution[]>;
	runWorkflow(
		workflowId: string,
		options?: {
			triggerName?: string;
			timeoutMs?: number;
			firstPollMs?: number;
			maxPollMs?: number;
		},
	): Promise<N8nExecution>;
	nodeTypes(): Promise<N8nTypeDescription[]>;
	credentialTypes(): Promise<N8nTypeDescription[]>;
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	readStaticData(workflowId: string): Promise<Record<string, unknown>>;
	registeredWebhooks(): Promise<RegisteredWebhook[]>;
}
