/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nClient } from '../../../scripts/n8n-client.cjs';
import { sandboxClient } from '../../../sandbox/src';
import type { SandboxClient } from '../../../sandbox/src';
import type { N8nExecution, N8nNode, N8nWorkflow } from '../../../scripts/n8n-client.cjs';

export type { N8nExecution, N8nNode, N8nWorkflow };

/** What test/e2e/globalSetup.mjs wrote about the n8n it started (scripts/n8n-instance.mjs `describeInstance`). */
export interface E2eInstance {
	n8nUrl: string;
	owner: { email: string; password: string };
	apiKey: string;
	userFolder: string;
	logFile: string;
	/** n8n's own log as JSON lines, with levels. */
	jsonLogFile: string;
	bootMs: number;
	setupMs: number;
	/** ISO time at which the setup (n8n, credentials, examples, webhook targets) was complete. */
	readyAt: string;
	nodeModules: string;
	/** The Node 24 that runs n8n. */
	nodeBin: string;
	packageName: string;
	/** The `n8n` section of the installed package.json. */
	registered: { nodes: string[]; credentials: string[] };
	sandbox: {
		baseUrl: string;
		credentials: {
			apiKey: string;
			siteId: string;
			appId: string;
			appSecret: string;
			instanceId: string;
			publicKeyPem: string;
		};
		external?: { baseUrl: string; token: string };
		modules: string[];
		/** Where n8n's own social nodes reach the emulated platforms, and with which secrets (n8n-instance.mjs). */
		platforms: {
			telegram?: {
				baseUrl: string;
				token: string;
				chats: Array<{ id: number; username?: string }>;
			};
			linkedin?: {
				accessToken: string;
				member: { id: string; urn: string };
				organization: { id: string; urn: string };
			};
			instagram?: { accessToken: string; account: { igUserId: string; username: string } };
		};
		/** The platform proxy n8n was started with (HTTPS_PROXY, NODE_EXTRA_CA_CERTS); null if it was not. */
		proxy: { proxyUrl: string; hosts: Record<string, string>; caFile: string } | null;
	};
	/** Imported credentials by credential type (`wixGalleryApi`, `wixGalleryOAuth2Api`, `httpBearerAuth`, `httpHeaderAuth`). */
	credentials: Record<string, { id: string; name: string; type: string }>;
	/** The imported `examples/*.json`. */
	workflows: Array<{
		file: string;
		name: string;
		id?: string;
		skipped?: string;
		activated?: boolean;
		activationError?: string;
		manualTrigger?: string;
		triggers?: Array<{ name: string; type: string }>;
		nodes?: Array<{ name: string; type: string }>;
	}>;
	/** Where the sandbox sends Wix webhooks and the external platform its notifications. */
	webhookTargets: {
		wix?: { url: string; workflowId: string; node: string };
		external?: { url: string; workflowId: string; node: string };
	};
}

/** n8n's user folder for the e2e run and where its outputs go; WIX_E2E_DIR moves it (see globalSetup.mjs). */
export const E2E_DIR =
	process.env.WIX_E2E_DIR ?? join(__dirname, '..', '..', '..', 'test-output', 'e2e');
const INSTANCE_FILE = join(E2E_DIR, 'instance.json');

let cachedInstance: E2eInstance | undefined;
let cachedClient: N8nClient | undefined;

export function e2eInstance(): E2eInstance {
	if (!cachedInstance) {
		const file = process.env.WIX_GALLERY_E2E_INSTANCE ?? INSTANCE_FILE;
		if (!existsSync(file))
			throw new Error(`${file} is missing: run the e2e tests with npm run test:e2e`);
		cachedInstance = JSON.parse(readFileSync(file, 'utf8')) as E2eInstance;
	}
	return cachedInstance;
}

/** A client logged in as the instance owner, with the instance's API key. */
export function n8n(): N8nClient {
	if (!cachedClient) {
		const instance = e2eInstance();
		cachedClient = new N8nClient({
			baseUrl: instance.n8nUrl,
			email: instance.owner.email,
			password: instance.owner.password,
			apiKey: instance.apiKey,
			userFolder: instance.userFolder,
			nodeModules: instance.nodeModules,
			nodeBin: instance.nodeBin,
		});
	}
	return cachedClient;
}

/** `wixProGallery` → `n8n-nodes-wix-gallery.wixProGallery`, the type n8n gives a node of an installed package. */
export function packageNodeType(name: string): string {
	return `${e2eInstance().packageName}.${name}`;
}

/** Type names of what package.json registers, derived from the class file names (n8n's naming convention). */
export function registeredTypeNames(): { nodes: string[]; credentials: string[] } {
	const typeName = (path: string) => {
		const className = path.split('/').pop()!.split('.')[0];
		return className.charAt(0).toLowerCase() + className.slice(1);
	};
	const { registered } = e2eInstance();
	return {
		nodes: registered.nodes.map(typeName),
		credentials: registered.credentials.map(typeName),
	};
}

export interface N8nLogEntry {
	level: string;
	message: string;
	metadata?: Record<string, unknown>;
	timestamp?: string;
}

/** n8n's own log so far (the JSON-lines file transport). */
export function n8nLogEntries(): N8nLogEntry[] {
	const file = e2eInstance().jsonLogFile;
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim().startsWith('{'))
		.map((line) => JSON.parse(line) as N8nLogEntry);
}

function sandbox(): SandboxClient {
	const { baseUrl, credentials } = e2eInstance().sandbox;
	return sandboxClient(baseUrl, credentials);
}

/** A call to the sandbox's Wix REST API with the sandbox's API key, as a site owner's script would make it. */
export async function wixCall<T>(method: string, path: string, body?: unknown): Promise<T> {
	return await sandbox().wix<T>(method, path, body);
}

/** A call to the sandbox's control API (`/_sandbox/...`). */
export async function sandboxControl<T>(method: string, path: string, body?: unknown): Promise<T> {
	return await sandbox().control<T>(method, path, body);
}

export async function download(url: string): Promise<Buffer> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
	return Buffer.from(await response.arrayBuffer());
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export const MANUAL_TRIGGER = 'When clicking ‘Execute workflow’';

/**
 * A workflow that starts with a Manual Trigger and runs `steps` one after another. Nodes get positions and
 * typeVersion 1 unless they say otherwise.
 */
export function manualWorkflow(
	name: string,
	steps: Array<Partial<N8nNode> & { name: string; type: string }>,
): { name: string; nodes: N8nNode[]; connections: Record<string, unknown> } {
	const trigger: N8nNode = {
		name: MANUAL_TRIGGER,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodes: N8nNode[] = [
		trigger,
		...steps.map((step, index) => ({
			typeVersion: 1,
			parameters: {},
			...step,
			position: [(index + 1) * 220, 0] as [number, number],
		})),
	];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	return { name, nodes, connections };
}

/** Creates the workflow in n8n, runs it from its Manual Trigger, and returns the finished execution. */
export async function createAndRun(
	workflow: ReturnType<typeof manualWorkflow>,
): Promise<{ workflow: N8nWorkflow; execution: N8nExecution }> {
	const created = await n8n().createWorkflow(workflow);
	const execution = await n8n().runWorkflow(created.id, { triggerName: MANUAL_TRIGGER });
	return { workflow: created, execution };
}

/** The items a node output on its first run (first output), or throws with the node's error. */
export function nodeOutput(execution: N8nExecution, nodeName: string) {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		const error = execution.data?.resultData.error?.message;
		throw new Error(
			`node "${nodeName}" did not run (execution ${execution.status}${error ? `: ${error}` : ''})`,
		);
	}
	if (runs[0].error) throw new Error(`node "${nodeName}" failed: ${runs[0].error.message}`);
	return runs[0].data?.main?.[0] ?? [];
}

/** The credential reference a node needs for the imported sandbox credential of that type. */
export function credentialRef(
	type:
		| 'wixGalleryApi'
		| 'wixGalleryOAuth2Api'
		| 'telegramApi'
		| 'linkedInOAuth2Api'
		| 'facebookGraphApi',
) {
	const credential = e2eInstance().credentials[type];
	if (!credential) throw new Error(`no imported credential of type ${type}`);
	return { [type]: { id: credential.id, name: credential.name } };
}

/** A link as the Sync node's data table store keeps it, read back through n8n's public API. */
export interface DataTableLink {
	rowId: number;
	wixItemId: string | null;
	externalId: string | null;
	fields: Record<string, unknown>;
	removed: boolean;
}

/** The data table of a mapping in the n8n Data Table store, or undefined before its first use. */
export async function mappingTableId(mappingName: string): Promise<string | undefined> {
	const name = `Wix Gallery Sync: ${mappingName}`;
	const tables = (await n8n().api(
		'GET',
		`/data-tables?filter=${encodeURIComponent(JSON.stringify({ name }))}`,
	)) as { data: Array<{ id: string; name: string }> };
	return tables.data.find((table) => table.name === name)?.id;
}

/** Every row of a mapping's data table, removed links included. */
export async function mappingTableLinks(mappingName: string): Promise<DataTableLink[]> {
	const tableId = await mappingTableId(mappingName);
	if (!tableId) return [];
	const links: DataTableLink[] = [];
	let cursor = '';
	do {
		const page = (await n8n().api(
			'GET',
			`/data-tables/${tableId}/rows?limit=250${cursor ? `&cursor=${cursor}` : ''}`,
		)) as {
			data: Array<{
				id: number;
				wixItemId: string | null;
				externalId: string | null;
				removed: boolean;
				link: string;
			}>;
			nextCursor?: string | null;
		};
		for (const row of page.data) {
			links.push({
				rowId: row.id,
				wixItemId: row.wixItemId || null,
				externalId: row.externalId || null,
				removed: Boolean(row.removed),
				fields: (JSON.parse(row.link) as { fields: Record<string, unknown> }).fields,
			});
		}
		cursor = page.nextCursor ?? '';
	} while (cursor);
	return links;
}

/** Deletes the rows of these Wix items from a mapping's data table, as if they had never been linked. */
export async function forgetInMappingTable(
	mappingName: string,
	wixItemIds: string[],
): Promise<void> {
	const tableId = await mappingTableId(mappingName);
	if (!tableId || wixItemIds.length === 0) return;
	const filter = {
		type: 'or',
		filters: wixItemIds.map((value) => ({ columnName: 'wixItemId', condition: 'eq', value })),
	};
	await n8n().api(
		'DELETE',
		`/data-tables/${tableId}/rows/delete?filter=${encodeURIComponent(JSON.stringify(filter))}`,
	);
}
