// A client for one running n8n (started by scripts/n8n-instance.mjs): its REST API as the editor uses it (cookie
// login), its public API (API key), and its database (sqlite, or Postgres in queue mode). CommonJS so that the ESM scripts and the jest e2e tests
// (ts-jest compiles to CommonJS) share one implementation; types in n8n-client.d.cts.
'use strict';

const { execFile } = require('node:child_process');
const { join } = require('node:path');
const { promisify } = require('node:util');

const execFileAsync = promisify(execFile);

// n8n binds the auth cookie to this header's hash, so every REST call after login must send the same value.
const BROWSER_ID = 'n8n-nodes-wix-gallery-scripts';

class N8nHttpError extends Error {
	constructor(method, url, status, body) {
		super(
			`${method} ${url} → ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`,
		);
		this.status = status;
		this.body = body;
	}
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

// Under load (a burst of webhooks) n8n may drop a keep-alive connection; a poll that meets that just polls again.
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT']);

function isTransientNetworkError(error) {
	const code = error && ((error.cause && error.cause.code) || error.code);
	return Boolean(code && TRANSIENT_NETWORK_CODES.has(code));
}

/**
 * fetch, sent again once when it met a pooled keep-alive connection that n8n closed a moment before ("other side
 * closed": the request never reached n8n). fetch's pool lives for the whole process (jest runs e2e files in the
 * process that ran the global setup), and on a busy machine the gaps between calls outlast n8n's keep-alive timeout.
 */
async function fetchAgainOnClosedConnection(url, init) {
	try {
		return await fetch(url, init);
	} catch (error) {
		if (!isTransientNetworkError(error)) throw error;
		return await fetch(url, init);
	}
}

async function readBody(response) {
	const text = await response.text();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

class N8nClient {
	/**
	 * `webhookBaseUrl`: where production webhooks are served when that is not n8n's main process (queue mode's
	 * webhook processor). `database`: n8n's Postgres (queue mode); without it, query() reads the sqlite file.
	 * @param {{ baseUrl: string, email: string, password: string, apiKey?: string, userFolder?: string,
	 *   nodeModules?: string, nodeBin?: string, webhookBaseUrl?: string,
	 *   database?: { type: 'postgresdb', host: string, port: number, database: string, user: string,
	 *   password: string } }} options
	 */
	constructor(options) {
		this.baseUrl = options.baseUrl.replace(/\/+$/, '');
		this.webhookBaseUrl = (options.webhookBaseUrl ?? options.baseUrl).replace(/\/+$/, '');
		this.database = options.database;
		this.email = options.email;
		this.password = options.password;
		this.apiKey = options.apiKey;
		this.userFolder = options.userFolder;
		this.nodeModules = options.nodeModules;
		this.nodeBin = options.nodeBin;
		this.cookie = undefined;
	}

	async login() {
		const response = await fetchAgainOnClosedConnection(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify({ emailOrLdapLoginId: this.email, password: this.password }),
		});
		const body = await readBody(response);
		if (!response.ok) throw new N8nHttpError('POST', '/rest/login', response.status, body);
		const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('n8n-auth='));
		if (!setCookie) throw new Error('n8n answered the login without an n8n-auth cookie');
		this.cookie = setCookie.split(';')[0];
		return body && body.data;
	}

	/** A REST call as the logged-in owner; answers are unwrapped from n8n's `{ data }` envelope. */
	async rest(method, path, body) {
		if (!this.cookie) await this.login();
		const response = await fetchAgainOnClosedConnection(`${this.baseUrl}/rest${path}`, {
			method,
			headers: {
				cookie: this.cookie,
				'browser-id': BROWSER_ID,
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const answer = await readBody(response);
		if (!response.ok) throw new N8nHttpError(method, `/rest${path}`, response.status, answer);
		return answer && typeof answer === 'object' && 'data' in answer ? answer.data : answer;
	}

	/** A public API call (`/api/v1`), authenticated with the API key. */
	async api(method, path, body) {
		if (!this.apiKey) throw new Error('no API key: call createApiKey() first');
		const response = await fetchAgainOnClosedConnection(`${this.baseUrl}/api/v1${path}`, {
			method,
			headers: {
				'X-N8N-API-KEY': this.apiKey,
				accept: 'application/json',
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const answer = await readBody(response);
		if (!response.ok) throw new N8nHttpError(method, `/api/v1${path}`, response.status, answer);
		return answer;
	}

	/** Creates a public API key with every scope the owner may have, and uses it from then on. */
	async createApiKey(label = 'n8n-nodes-wix-gallery scripts') {
		const scopes = await this.rest('GET', '/api-keys/scopes');
		const created = await this.rest('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = created.rawApiKey;
		return this.apiKey;
	}

	async createCredential({ name, type, data }) {
		return await this.api('POST', '/credentials', { name, type, data });
	}

	/**
	 * n8n's own credential test, as the editor's "Test" button calls it: with the form's values, where n8n puts
	 * secrets back in for the placeholders it sent. `data` replaces stored values for this test only.
	 * @returns {{ status: 'OK' | 'Error', message: string }}
	 */
	async testCredential({ id, name, type, data = {} }) {
		const stored = await this.rest('GET', `/credentials/${id}?includeData=true`);
		return await this.rest('POST', '/credentials/test', {
			credentials: { id, name: name ?? stored.name, type, data: { ...stored.data, ...data } },
		});
	}

	async createWorkflow(workflow) {
		const body = {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections ?? {},
			settings: workflow.settings ?? {},
		};
		if (workflow.staticData) body.staticData = workflow.staticData;
		return await this.api('POST', '/workflows', body);
	}

	async getWorkflow(id) {
		return await this.api('GET', `/workflows/${id}`);
	}

	async listWorkflows() {
		const workflows = [];
		let cursor;
		do {
			const page = await this.api(
				'GET',
				`/workflows?limit=250${cursor ? `&cursor=${cursor}` : ''}`,
			);
			workflows.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return workflows;
	}

	async activateWorkflow(id) {
		return await this.api('POST', `/workflows/${id}/activate`);
	}

	/** Creates and activates a workflow; returns it with its POST webhook's production URL once n8n serves it. */
	async activateWithWebhook(workflow) {
		const created = await this.createWorkflow(workflow);
		await this.activateWorkflow(created.id);
		// n8n writes the webhook rows a moment after activation answers.
		for (let attempt = 0; attempt < 100; attempt++) {
			const webhook = (await this.registeredWebhooks()).find(
				(registered) => registered.workflowId === created.id && registered.method === 'POST',
			);
			if (webhook) return { workflow: created, url: webhook.url };
			await sleep(100);
		}
		throw new Error(`workflow ${created.id} has no production webhook after activation`);
	}

	async deactivateWorkflow(id) {
		return await this.api('POST', `/workflows/${id}/deactivate`);
	}

	/** The executions of a workflow, newest first (running ones included). */
	async listExecutions({ workflowId, status, includeData = false, limit = 100 } = {}) {
		const query = new URLSearchParams({ limit: String(limit), includeData: String(includeData) });
		if (workflowId) query.set('workflowId', workflowId);
		if (status) query.set('status', status);
		const executions = [];
		let cursor;
		do {
			if (cursor) query.set('cursor', cursor);
			const page = await this.api('GET', `/executions?${query}`);
			executions.push(...page.data);
			cursor = executions.length < limit ? page.nextCursor : undefined;
		} while (cursor);
		if (!status) {
			// The public list leaves running executions out unless asked for them.
			const running = await this.api(
				'GET',
				`/executions?status=running&limit=${limit}${workflowId ? `&workflowId=${workflowId}` : ''}`,
			);
			for (const execution of running.data) {
				if (!executions.some((known) => known.id === execution.id)) executions.push(execution);
			}
			executions.sort((a, b) => Number(b.id) - Number(a.id));
		}
		return executions;
	}

	async getExecution(id, { includeData = true } = {}) {
		return await this.api('GET', `/executions/${id}?includeData=${includeData}`);
	}

	/**
	 * Waits until an execution has stopped running and returns it with its data. Polls every `firstPollMs`, doubling
	 * up to `maxPollMs` (a benchmark polls a short run closely so that its observed time stays near the execution's).
	 */
	async waitForExecution(
		id,
		{ timeoutMs = 60000, firstPollMs = 250, maxPollMs = firstPollMs } = {},
	) {
		const deadline = Date.now() + timeoutMs;
		let pollMs = firstPollMs;
		for (;;) {
			let execution;
			try {
				execution = await this.getExecution(id);
			} catch (error) {
				// A just-started execution can be missing from the list for a moment.
				if (error.status !== 404 && !isTransientNetworkError(error)) throw error;
			}
			if (
				execution &&
				execution.stoppedAt &&
				!['running', 'new', 'waiting'].includes(execution.status)
			) {
				return execution;
			}
			if (Date.now() > deadline) {
				throw new Error(
					`execution ${id} did not finish within ${timeoutMs} ms (status ${execution && execution.status})`,
				);
			}
			await sleep(pollMs);
			pollMs = Math.min(maxPollMs, pollMs * 2);
		}
	}

	/** Waits until a workflow has at least `count` finished executions; returns them newest first. */
	async waitForExecutions(workflowId, { count = 1, timeoutMs = 60000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let executions;
			try {
				executions = await this.listExecutions({ workflowId });
			} catch (error) {
				if (!isTransientNetworkError(error) || Date.now() > deadline) throw error;
				await sleep(250);
				continue;
			}
			const finished = executions.filter(
				(execution) => execution.stoppedAt && execution.status !== 'running',
			);
			if (finished.length >= count && finished.length === executions.length) return finished;
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${workflowId}: ${finished.length} of ${count} executions finished within ${timeoutMs} ms`,
				);
			}
			await sleep(250);
		}
	}

	/**
	 * Runs a workflow the way the editor's "Execute workflow" button does (mode `manual`: n8n does not save static
	 * data for it), from the given trigger or the workflow's Manual Trigger, and waits for the result.
	 */
	async runWorkflow(workflowId, { triggerName, timeoutMs = 120000, ...polling } = {}) {
		let startFrom = triggerName;
		if (!startFrom) {
			const workflow = await this.getWorkflow(workflowId);
			const manualTrigger = workflow.nodes.find(
				(node) => node.type === 'n8n-nodes-base.manualTrigger',
			);
			if (!manualTrigger)
				throw new Error(`workflow ${workflowId} has no Manual Trigger; pass triggerName`);
			startFrom = manualTrigger.name;
		}
		const started = await this.rest('POST', `/workflows/${workflowId}/run`, {
			triggerToStartFrom: { name: startFrom },
		});
		if (!started || !started.executionId) {
			throw new Error(`n8n did not start workflow ${workflowId}: ${JSON.stringify(started)}`);
		}
		return await this.waitForExecution(started.executionId, { timeoutMs, ...polling });
	}

	/** The node types n8n serves to the editor (`/types/nodes.json`). */
	async nodeTypes() {
		if (!this.cookie) await this.login();
		const response = await fetch(`${this.baseUrl}/types/nodes.json`, {
			headers: { cookie: this.cookie, 'browser-id': BROWSER_ID },
		});
		if (!response.ok)
			throw new N8nHttpError('GET', '/types/nodes.json', response.status, await readBody(response));
		return await response.json();
	}

	/** The credential types n8n serves to the editor (`/types/credentials.json`). */
	async credentialTypes() {
		if (!this.cookie) await this.login();
		const response = await fetch(`${this.baseUrl}/types/credentials.json`, {
			headers: { cookie: this.cookie, 'browser-id': BROWSER_ID },
		});
		if (!response.ok) {
			throw new N8nHttpError(
				'GET',
				'/types/credentials.json',
				response.status,
				await readBody(response),
			);
		}
		return await response.json();
	}

	/**
	 * Runs one read-only SQL query against n8n's sqlite database with n8n's own sqlite3 module, in a child process
	 * on n8n's Node (the module is built for Node 24; the caller may run on another Node, e.g. under jest).
	 * With a Postgres `database`, the query goes there through n8n's own pg module; `?` placeholders work for both,
	 * and identifiers in double quotes keep their case in both.
	 */
	async query(sql, params = []) {
		if (this.database && this.database.type === 'postgresdb')
			return await this.queryPostgres(sql, params);
		if (!this.userFolder || !this.nodeModules)
			throw new Error('query() needs userFolder and nodeModules');
		const script = `
			const [sqlitePath, databasePath, sql, params] = JSON.parse(process.argv[1]);
			const sqlite3 = require(sqlitePath);
			const database = new sqlite3.Database(databasePath, sqlite3.OPEN_READONLY, (openError) => {
				if (openError) { console.error(openError.message); process.exit(1); }
				database.all(sql, params, (error, rows) => {
					if (error) { console.error(error.message); process.exit(1); }
					process.stdout.write(JSON.stringify(rows));
					database.close();
				});
			});`;
		const argument = JSON.stringify([
			join(this.nodeModules, 'sqlite3'),
			join(this.userFolder, '.n8n', 'database.sqlite'),
			sql,
			params,
		]);
		const { stdout } = await execFileAsync(
			this.nodeBin ?? process.execPath,
			['-e', script, argument],
			{
				maxBuffer: 64 * 1024 * 1024,
			},
		);
		return JSON.parse(stdout);
	}

	async queryPostgres(sql, params) {
		if (!this.nodeModules) throw new Error('query() needs nodeModules');
		let index = 0;
		const numbered = sql.replace(/\?/g, () => `$${++index}`);
		const script = `
			const [pgPath, connection, sql, params] = JSON.parse(process.argv[1]);
			const { Client } = require(pgPath);
			const client = new Client(connection);
			client.connect()
				.then(() => client.query(sql, params))
				.then((result) => { process.stdout.write(JSON.stringify(result.rows)); return client.end(); })
				.catch((error) => { console.error(error.message); process.exit(1); });`;
		const { host, port, database, user, password } = this.database;
		const argument = JSON.stringify([
			join(this.nodeModules, 'pg'),
			{ host, port, database, user, password },
			numbered,
			params,
		]);
		const { stdout } = await execFileAsync(
			this.nodeBin ?? process.execPath,
			['-e', script, argument],
			{ maxBuffer: 64 * 1024 * 1024 },
		);
		return JSON.parse(stdout);
	}

	/** A workflow's static data as n8n stored it (`workflow_entity.staticData`), or `{}`. */
	async readStaticData(workflowId) {
		const rows = await this.query('SELECT "staticData" FROM workflow_entity WHERE id = ?', [
			workflowId,
		]);
		if (rows.length === 0) throw new Error(`no workflow ${workflowId} in n8n's database`);
		const raw = rows[0].staticData;
		if (!raw) return {};
		return typeof raw === 'string' ? JSON.parse(raw) : raw;
	}

	/** The production webhooks n8n registered for active workflows (`webhook_entity`). */
	async registeredWebhooks() {
		const rows = await this.query(
			'SELECT "workflowId", "webhookPath", method, node, "webhookId" FROM webhook_entity',
		);
		return rows.map((row) => ({
			...row,
			url: `${this.webhookBaseUrl}/webhook/${row.webhookPath}`,
		}));
	}
}

module.exports = { N8nClient, N8nHttpError, BROWSER_ID, sleep, isTransientNetworkError };
