// Starts real n8n 2.41.1 with this package installed the way users install it, next to the Wix sandbox, and wires
// them together: owner, API key, sandbox credentials, example workflows, activated triggers, webhook targets.
// Used by scripts/demo.mjs and the e2e tests' global setup (test/e2e/globalSetup.mjs).
import {
	createWriteStream,
	existsSync,
	writeFileSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { startCluster } from './n8n-cluster.mjs';
import { N8nClient, sleep } from './n8n-client.cjs';
import { ensureN8n } from './n8n-install.mjs';
import {
	OWNER,
	PACKAGE_NAME,
	REPO_ROOT,
	installExtraPackage,
	installPackage,
	platformProxyEnvironment,
	portIsFree,
	startN8n,
} from './n8n-process.mjs';

export const CREDENTIAL_NAMES = {
	wixGalleryApi: 'Wix sandbox (API key)',
	wixGalleryOAuth2Api: 'Wix sandbox (app)',
	httpBearerAuth: 'External platform sandbox (bearer token)',
	httpHeaderAuth: 'External platform sandbox (Authorization header)',
	wixGalleryN8nApi: 'This n8n (API key for the sync mapping)',
	telegramApi: 'Telegram sandbox (bot token)',
	linkedInOAuth2Api: 'LinkedIn sandbox (OAuth2, connected)',
	facebookGraphApi: 'Facebook Graph API sandbox (Instagram)',
};

// Example workflows are written against the sandbox's default address (`npm run sandbox`); the running one may
// listen elsewhere.
const DEFAULT_SANDBOX_ORIGINS = ['http://127.0.0.1:5880', 'http://localhost:5880'];

/**
 * The compiled sandbox's entry point (npm run build:sandbox). Loaded on first use, not imported at the top: this
 * module builds it (installPackage) before anything starts a sandbox.
 */
function loadSandbox() {
	if (!existsSync(new URL('../build/sandbox/index.js', import.meta.url)))
		throw new Error('build/sandbox/index.js is missing: run npm run build:sandbox');
	return createRequire(import.meta.url)('../build/sandbox/index.js');
}

/** Starts the compiled sandbox (build/sandbox) in this process. */
export async function startSandbox({ port = 0, log } = {}) {
	const { startSandbox: start, sandboxClient } = loadSandbox();
	const sandbox = await start({ host: '127.0.0.1', port, log });
	const { control, wix } = sandboxClient(sandbox.baseUrl, sandbox.credentials);
	const health = await control('GET', 'health');
	const external = health.modules.includes('externalPlatform')
		? await control('GET', 'external/credentials')
		: undefined;
	const proxy = await control('GET', 'proxy');
	return {
		...sandbox,
		control,
		wix,
		modules: health.modules,
		external,
		proxy,
		platforms: await platformAccess(control, health.modules),
	};
}

/**
 * Where n8n's own Telegram, LinkedIn and Facebook Graph API nodes reach the sandbox's emulations, and with which
 * secrets (the control API's `telegram`, `linkedin`, `instagram`); what each received is read from the same routes.
 */
async function platformAccess(control, modules) {
	const platforms = {};
	if (modules.includes('telegram')) {
		const { baseUrl, token, chats } = await control('GET', 'telegram');
		platforms.telegram = { baseUrl, token, chats };
	}
	if (modules.includes('linkedin')) {
		const { accessToken, member, organization } = await control('GET', 'linkedin');
		platforms.linkedin = { accessToken, member, organization };
	}
	if (modules.includes('instagram')) {
		const { accessToken, account } = await control('GET', 'instagram');
		platforms.instagram = { accessToken, account };
	}
	return platforms;
}

const WORKFLOW_TRIGGER_TYPES_NOT_ACTIVATED = new Set(['n8n-nodes-base.manualTrigger']);

/** Rewrites an example workflow for this instance: sandbox address, package node types, credential references. */
export function prepareExample(
	workflow,
	{ sandboxBaseUrl, credentials, loadedTypes, defaultGallery, galleries },
) {
	let text = JSON.stringify(workflow);
	for (const origin of DEFAULT_SANDBOX_ORIGINS) text = text.split(origin).join(sandboxBaseUrl);
	const prepared = JSON.parse(text);
	const missing = [];
	for (const node of prepared.nodes ?? []) {
		// Examples may have been exported from an n8n that loaded the package as a custom folder.
		if (node.type.startsWith('CUSTOM.'))
			node.type = `${PACKAGE_NAME}.${node.type.slice('CUSTOM.'.length)}`;
		if (!loadedTypes.has(node.type)) missing.push(node.type);
		// Examples leave the gallery for the user to pick; the demo picks the sandbox's gallery the example names
		// (cachedResultName, what the editor shows), else its first one, as the editor's list would store it, so that
		// the workflow can run and be activated (n8n refuses empty required parameters).
		const galleryId = node.parameters?.galleryId;
		if (node.type.startsWith(`${PACKAGE_NAME}.`) && galleryId?.__rl && galleryId.value === '') {
			const named = galleryId.cachedResultName
				? galleries?.find((gallery) => gallery.name === galleryId.cachedResultName)
				: undefined;
			const picked = named ?? defaultGallery;
			if (picked) {
				node.parameters.galleryId = {
					__rl: true,
					mode: 'list',
					value: picked.id,
					cachedResultName: picked.name,
				};
			}
		}
		for (const type of Object.keys(node.credentials ?? {})) {
			const imported = credentials[type];
			if (imported) node.credentials[type] = { id: imported.id, name: imported.name };
		}
	}
	return { workflow: prepared, missingNodeTypes: [...new Set(missing)] };
}

export function exampleFiles(dir = join(REPO_ROOT, 'examples')) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => join(dir, name));
}

/**
 * Everything a run needs: n8n (installed if missing), the package, the sandbox, owner, API key, credentials,
 * examples and webhook targets. `stop()` ends what was started.
 * `extraPackages` are folders of other community packages to install next to this one (installExtraPackage).
 * `queue: true` runs n8n in queue mode instead of one n8n with sqlite (scripts/n8n-cluster.mjs: Postgres, Redis,
 * main, webhook processor, `workers` workers); everything else is the same, and the result adds `webhookUrl`,
 * `database`, `cluster` (logs, boot times, folder) and `killWorker(i)` / `restartWorker(i)`.
 * Every n8n process gets the platform proxy's environment (platformProxyEnvironment: HTTPS_PROXY = the sandbox,
 * NODE_EXTRA_CA_CERTS = its CA, written to `<user folder>/sandbox-ca.pem`), so that n8n's own LinkedIn and Facebook
 * Graph API nodes reach the sandbox's emulations; `platformProxy: false` leaves it out.
 * @param {{ userFolder?: string, keepUserFolder?: boolean, build?: boolean, extraPackages?: string[],
 *   sandboxPort?: number, n8nPort?: number, importExamples?: boolean, activate?: boolean,
 *   queue?: boolean, workers?: number, env?: Record<string, string | undefined>, saveLogsTo?: string,
 *   log?: (line: string) => void }} options
 */
export async function startInstance(options = {}) {
	const log = options.log ?? ((line) => console.log(line));
	const paths = ensureN8n({ log });
	mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
	const userFolder = resolve(
		options.userFolder ?? mkdtempSync(join(REPO_ROOT, 'test-output', 'n8n-')),
	);
	if (!options.keepUserFolder) rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(join(userFolder, '.n8n'), { recursive: true });

	const { registered } = installPackage({
		userFolder,
		nodeBin: paths.nodeBin,
		build: options.build ?? true,
		log,
	});
	const extraPackages = (options.extraPackages ?? []).map((dir) =>
		installExtraPackage({ userFolder, dir, log }),
	);

	const sandboxLog = createWriteStream(join(userFolder, 'sandbox.log'), { flags: 'a' });
	let sandboxPort = options.sandboxPort ?? 0;
	if (sandboxPort && !(await portIsFree(sandboxPort))) {
		log(`== port ${sandboxPort} is taken; the sandbox listens on a free port instead`);
		sandboxPort = 0;
	}
	const sandbox = await startSandbox({
		port: sandboxPort,
		log: (line) => sandboxLog.write(`${line}\n`),
	});
	log(`== Wix sandbox at ${sandbox.baseUrl} (modules: ${sandbox.modules.join(', ')})`);
	const proxy = options.platformProxy === false ? null : useProxy(sandbox, userFolder, log);
	const n8nEnv = { ...proxy?.env, ...options.env };

	let n8n;
	let cluster;
	const stop = async () => {
		await (cluster ?? n8n)?.stop();
		await sandbox.close();
		sandboxLog.end();
	};
	try {
		let client;
		if (options.queue) {
			cluster = await startCluster({
				userFolder,
				install: false,
				port: options.n8nPort,
				workers: options.workers,
				env: n8nEnv,
				saveLogsTo: options.saveLogsTo,
				log,
			});
			client = cluster.client;
			n8n = {
				baseUrl: cluster.mainUrl,
				logFile: cluster.logs.main,
				bootMs: cluster.boot.totalMs,
				exited: cluster.mainExited,
			};
		} else {
			n8n = await startN8n({
				userFolder,
				nodeBin: paths.nodeBin,
				n8nBin: paths.n8nBin,
				nodeModules: paths.nodeModules,
				port: options.n8nPort,
				env: n8nEnv,
				log,
			});
			client = new N8nClient({
				baseUrl: n8n.baseUrl,
				email: OWNER.email,
				password: OWNER.password,
				userFolder,
				nodeModules: paths.nodeModules,
				nodeBin: paths.nodeBin,
			});
			await client.login();
			await client.createApiKey();
		}

		const nodeTypes = await client.nodeTypes();
		const loadedTypes = new Set(nodeTypes.map((type) => type.name));
		const credentialTypes = new Set((await client.credentialTypes()).map((type) => type.name));
		const credentials = await importCredentials(client, sandbox, credentialTypes);
		log(
			`== credentials: ${Object.values(credentials)
				.map((credential) => `"${credential.name}"`)
				.join(', ')}`,
		);

		const workflows = [];
		const sandboxState = await sandbox.control('GET', 'state');
		const galleries = sandboxState.proGallery?.galleries ?? [];
		const defaultGallery = galleries[0];
		if (options.importExamples ?? true) {
			for (const file of exampleFiles(options.examplesDir)) {
				workflows.push(
					await importExample(client, file, {
						sandbox,
						credentials,
						loadedTypes,
						nodeTypes,
						defaultGallery,
						galleries,
						activate: options.activate ?? true,
						log,
					}),
				);
			}
		}
		const webhookTargets = await pointSandboxAtN8n(client, sandbox, workflows, log);

		return {
			n8nUrl: n8n.baseUrl,
			// Production webhooks: n8n itself, or in queue mode the webhook processor.
			webhookUrl: cluster?.webhookUrl ?? n8n.baseUrl,
			editorUrl: `${n8n.baseUrl}/home/workflows`,
			owner: OWNER,
			apiKey: client.apiKey,
			userFolder,
			logFile: n8n.logFile,
			jsonLogFile: join(userFolder, 'n8n-log.jsonl'),
			bootMs: n8n.bootMs,
			nodeModules: paths.nodeModules,
			nodeBin: paths.nodeBin,
			packageName: PACKAGE_NAME,
			registered,
			extraPackages,
			sandbox: {
				baseUrl: sandbox.baseUrl,
				credentials: sandbox.credentials,
				external: sandbox.external,
				modules: sandbox.modules,
				platforms: sandbox.platforms,
				proxy: proxy?.description ?? null,
			},
			credentials,
			workflows,
			webhookTargets,
			client,
			sandboxControl: sandbox.control,
			sandboxWix: sandbox.wix,
			n8nExited: n8n.exited,
			queue: Boolean(cluster),
			...(cluster
				? {
						database: cluster.database,
						cluster: {
							dir: cluster.dir,
							webhookUrl: cluster.webhookUrl,
							redis: cluster.redis,
							logs: cluster.logs,
							jsonLogs: cluster.jsonLogs,
							boot: cluster.boot,
						},
						killWorker: cluster.killWorker,
						restartWorker: cluster.restartWorker,
					}
				: {}),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** The sandbox's platform proxy for n8n: its CA written where n8n reads it, and the environment (n8n-process.mjs). */
function useProxy(sandbox, userFolder, log) {
	const caFile = join(userFolder, 'sandbox-ca.pem');
	writeFileSync(caFile, sandbox.proxy.caCertPem);
	const { proxyUrl, hosts } = sandbox.proxy;
	log(`== n8n's HTTPS to ${Object.keys(hosts).join(', ')} → the sandbox (CA: ${caFile})`);
	return {
		env: platformProxyEnvironment({ proxyUrl, caFile }),
		description: { proxyUrl, hosts, caFile },
	};
}

async function importCredentials(client, sandbox, credentialTypes) {
	const { credentials: wix, baseUrl } = sandbox;
	const wanted = {
		wixGalleryApi: { apiKey: wix.apiKey, siteId: wix.siteId, baseUrl },
		wixGalleryOAuth2Api: {
			appId: wix.appId,
			appSecret: wix.appSecret,
			instanceId: wix.instanceId,
			publicKey: wix.publicKeyPem,
			baseUrl,
		},
	};
	// The Sync node's data table store reaches this n8n's public API with the instance's own key.
	if (client.apiKey)
		wanted.wixGalleryN8nApi = { apiKey: client.apiKey, baseUrl: `${client.baseUrl}/api/v1` };
	if (sandbox.external) {
		wanted.httpBearerAuth = { token: sandbox.external.token };
		wanted.httpHeaderAuth = { name: 'Authorization', value: `Bearer ${sandbox.external.token}` };
	}
	const { telegram, linkedin, instagram } = sandbox.platforms;
	if (telegram) wanted.telegramApi = { accessToken: telegram.token, baseUrl: telegram.baseUrl };
	if (instagram) wanted.facebookGraphApi = { accessToken: instagram.accessToken };
	const imported = {};
	for (const [type, data] of Object.entries(wanted)) {
		if (!credentialTypes.has(type)) continue;
		const created = await client.createCredential({ name: CREDENTIAL_NAMES[type], type, data });
		imported[type] = { id: created.id, name: created.name, type };
	}
	if (linkedin && credentialTypes.has('linkedInOAuth2Api')) {
		imported.linkedInOAuth2Api = await createConnectedLinkedInCredential(client, linkedin);
	}
	return imported;
}

/**
 * LinkedIn's credential is OAuth2 (`linkedInOAuth2Api`, what the LinkedIn node's default "Standard" authentication
 * uses), and a node only calls with one whose `oauthTokenData` holds a token, which n8n normally stores after the
 * browser consent flow. The public API refuses that field (its schema allows only the form's fields), and the
 * internal `PATCH /rest/credentials/:id` drops it; the internal `POST /rest/credentials` (the editor's own call, with
 * the owner's session) keeps `data` whole, so the credential is created there already connected, with the
 * sandbox's access token. (`n8n import:credentials` with the same plain `data` works too, but costs a CLI start.)
 * The client ID and secret are never used: LinkedIn's standard tokens are not refreshed.
 */
async function createConnectedLinkedInCredential(client, linkedin) {
	const created = await client.rest('POST', '/credentials', {
		name: CREDENTIAL_NAMES.linkedInOAuth2Api,
		type: 'linkedInOAuth2Api',
		data: {
			clientId: 'sandbox-client-id',
			clientSecret: 'sandbox-client-secret',
			organizationSupport: true,
			legacy: false,
			oauthTokenData: {
				access_token: linkedin.accessToken,
				token_type: 'Bearer',
				expires_in: 5183999,
				scope: 'w_member_social,w_organization_social,profile,email,openid',
			},
		},
	});
	return { id: created.id, name: created.name, type: 'linkedInOAuth2Api' };
}

function isActivatable(node, nodeTypesByName) {
	if (node.disabled || WORKFLOW_TRIGGER_TYPES_NOT_ACTIVATED.has(node.type)) return false;
	const description = nodeTypesByName.get(node.type);
	return Boolean(description && (description.group ?? []).includes('trigger'));
}

async function importExample(
	client,
	file,
	{ sandbox, credentials, loadedTypes, nodeTypes, defaultGallery, galleries, activate, log },
) {
	const name = file.split('/').pop();
	const original = JSON.parse(readFileSync(file, 'utf8'));
	const { workflow, missingNodeTypes } = prepareExample(original, {
		sandboxBaseUrl: sandbox.baseUrl,
		credentials,
		loadedTypes,
		defaultGallery,
		galleries,
	});
	if (missingNodeTypes.length > 0) {
		log(`== example ${name}: skipped, n8n has no node type ${missingNodeTypes.join(', ')}`);
		return {
			file,
			name: workflow.name,
			skipped: `missing node types: ${missingNodeTypes.join(', ')}`,
		};
	}
	const created = await client.createWorkflow(workflow);
	const nodeTypesByName = new Map(nodeTypes.map((type) => [type.name, type]));
	const triggers = workflow.nodes.filter((node) => isActivatable(node, nodeTypesByName));
	const manualTrigger = workflow.nodes.find(
		(node) => node.type === 'n8n-nodes-base.manualTrigger' && !node.disabled,
	);
	let activated = false;
	let activationError;
	if (activate && triggers.length > 0) {
		try {
			await client.activateWorkflow(created.id);
			activated = true;
		} catch (error) {
			activationError = error.message;
		}
	}
	log(
		`== example ${name}: "${workflow.name}" imported as ${created.id}` +
			(activated ? ', activated' : '') +
			(activationError ? `, NOT activated: ${activationError}` : ''),
	);
	return {
		file,
		name: workflow.name,
		id: created.id,
		activated,
		activationError,
		manualTrigger: manualTrigger?.name,
		triggers: triggers.map((node) => ({ name: node.name, type: node.type })),
		webhookTriggers: triggers.filter((node) => nodeTypesByName.get(node.type)?.webhooks?.length)
			.length,
		nodes: workflow.nodes.map((node) => ({ name: node.name, type: node.type })),
	};
}

/**
 * The sandbox sends Wix webhooks to one URL and the fake external platform its notifications to another: point
 * them at the production webhooks of the activated workflows (the package's trigger, and n8n's Webhook node).
 */
async function pointSandboxAtN8n(client, sandbox, workflows, log) {
	// n8n writes the webhook rows a moment after activation answers.
	const expected = workflows.filter(
		(workflow) => workflow.activated && workflow.webhookTriggers > 0,
	);
	let registered = await client.registeredWebhooks();
	for (let attempt = 0; attempt < 100; attempt++) {
		// Every webhook trigger of a workflow, not just its first: example 2 has two, registered one after the other.
		if (
			expected.every(
				(workflow) =>
					registered.filter((webhook) => webhook.workflowId === workflow.id).length >=
					workflow.webhookTriggers,
			)
		)
			break;
		await sleep(100);
		registered = await client.registeredWebhooks();
	}
	const typeOf = (workflowId, nodeName) =>
		workflows
			.find((workflow) => workflow.id === workflowId)
			?.nodes.find((node) => node.name === nodeName)?.type;
	const targets = {};
	for (const webhook of registered) {
		const type = typeOf(webhook.workflowId, webhook.node);
		if (!type || webhook.method !== 'POST') continue;
		if (type.startsWith(`${PACKAGE_NAME}.`) && !targets.wix) {
			targets.wix = { url: webhook.url, workflowId: webhook.workflowId, node: webhook.node };
		} else if (type === 'n8n-nodes-base.webhook' && sandbox.external && !targets.external) {
			targets.external = { url: webhook.url, workflowId: webhook.workflowId, node: webhook.node };
		}
	}
	if (targets.wix) {
		await sandbox.control('PUT', 'webhook-target', { url: targets.wix.url });
		log(`== sandbox Wix webhooks → ${targets.wix.url}`);
	}
	if (targets.external) {
		await sandbox.control('PUT', 'external/webhook-target', {
			url: targets.external.url,
			maxAttempts: 3,
		});
		log(`== external platform notifications → ${targets.external.url}`);
	}
	return targets;
}

/** What tests need to reach a running instance from another process (JSON-serialisable). */
export function describeInstance(instance) {
	const {
		client: _client,
		sandboxControl: _control,
		sandboxWix: _wix,
		n8nExited: _exited,
		stop: _stop,
		killWorker: _killWorker,
		restartWorker: _restartWorker,
		...rest
	} = instance;
	return rest;
}
