// Mapping benchmark: Wix Gallery Sync → Filter Echoes of 1,000 items that are echoes of known links, against a
// mapping of 10,000 links, in both mapping stores:
//   static data  the in-process workflow harness (test/support/harness: n8n-core's WorkflowExecute running the node's
//                code) in a node process of its own, with 0, 1,000 and 10,000 links in the workflow's global static
//                data; node time and execution time of the first run in the process (the replica is built from
//                static data) and of later runs; reference: a plain loop doing the same 1,000 Map lookups;
//   data table   real n8n 2.41.1: Manual Trigger → Code (1,000 items) → Filter Echoes with the n8n Data Table store,
//                the table seeded with 10,000 links through n8n's public API; the node's executionTime and its
//                requests to n8n's API, counted by an HTTP proxy between the node's credential and n8n; reference:
//                the same reads made by a plain loop with fetch from the bench process. Also the table's size as
//                n8n reports it (sizeBytes of GET /api/v1/data-tables) against the 200 MB data table cap, and,
//                with --table-links N, what N links cost (insert time, sizeBytes, growth of the sqlite file).
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as common from './common.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO = join(THIS_FILE, '..', '..', '..');
const CHILD_FLAG = '--static-data-child';
const RESULT_PREFIX = '@@mapping-bench ';
/** n8n's default cap on all data tables together (N8N_DATA_TABLES_MAX_SIZE_BYTES). */
const DATA_TABLE_CAP_BYTES = 200 * 1024 * 1024;
/** Rows per insert request when seeding a table through the public API. */
const SEED_BATCH = 1000;

export const DEFAULTS = {
	items: 1000,
	links: 10000,
	sizes: [0, 1000, 10000],
	repeats: 5,
	/** Links inserted into a data table of their own for the size figure; 0 leaves that section out. */
	tableLinks: 0,
};
export const QUICK = { items: 200, links: 2000, sizes: [0, 200, 2000], repeats: 2, tableLinks: 0 };

const NODE = 'Filter Echoes';
const CODE = 'Items';
const ECHOES_OUTPUT = 3;
const FLOOR_TYPE = 'bench.floor';

// --- shared: the links and the items ------------------------------------------------------------------------

function syncLink(index, updatedAt) {
	return {
		key: `w:wix-${index}`,
		wixItemId: `wix-${index}`,
		externalId: `ext-${index}`,
		galleryId: 'bench-gallery',
		fields: { title: `title ${index}` },
		lastChangeFrom: 'wix',
		pending: null,
		removed: false,
		version: 1,
		updatedAt,
	};
}

/** Wix item updates whose title equals the link's: echoes of the sync's own writes, spread over the mapping. */
function echoItems(items, links) {
	return Array.from({ length: items }, (_, index) => {
		const link = links > 0 ? Math.floor((index * links) / items) : index;
		return {
			event: 'galleryItemUpdated',
			itemId: `wix-${link}`,
			galleryId: 'bench-gallery',
			title: `title ${link}`,
		};
	});
}

function filterParameters(mappingStore, mappingName) {
	return {
		resource: 'mapping',
		operation: 'filterEchoes',
		mappingStore,
		mappingName,
		source: 'wix',
		itemId: '={{ $json.itemId }}',
		changeType: '={{ $json.event }}',
		syncedFields: { field: [{ fieldName: 'title', value: '={{ $json.title }}' }] },
	};
}

/** Milliseconds, and microseconds below one millisecond (the plain loop's figures). */
function formatFine(ms) {
	if (ms !== undefined && ms !== null && ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
	return common.formatMs(ms);
}

function medianOf(values) {
	const sorted = values.filter((value) => value !== undefined).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The reference: the same lookups in a plain Map of the links, with the same field comparison; median of 21 rounds. */
function plainMapLoop(links, items) {
	const updatedAt = new Date().toISOString();
	const map = new Map();
	for (let index = 0; index < links; index++) {
		const link = syncLink(index, updatedAt);
		map.set(link.wixItemId, link);
	}
	const inputs = echoItems(items, links);
	const rounds = [];
	let echoes = 0;
	for (let round = 0; round < 21; round++) {
		echoes = 0;
		const started = performance.now();
		for (const item of inputs) {
			const link = map.get(item.itemId);
			if (link && link.fields.title === item.title) echoes++;
		}
		rounds.push(performance.now() - started);
	}
	return { ms: medianOf(rounds), echoes };
}

// --- static data: in a child process running the workflow harness --------------------------------------------

/** Runs in the child (node -r test/support/registerTs.js mapping.mjs --static-data-child '<json>'). */
async function staticDataChild(options) {
	const require = createRequire(import.meta.url);
	const { runWorkflow, packageNodeType } = require(
		join(REPO, 'test', 'support', 'harness', 'index.ts'),
	);
	const { exampleNodeTypes } = require(join(REPO, 'test', 'support', 'sync.ts'));
	const { WixGallerySync } = require(join(REPO, 'index.ts'));
	const nodeTypes = exampleNodeTypes({ origin: 'http://127.0.0.1:9', bearerToken: 'unused' });
	// The floor n8n sets: a node with the Sync node's own parameters that reads, per item, the parameters Filter
	// Echoes reads (expressions evaluated by n8n) and routes the item to Echoes, without any mapping.
	const sync = new WixGallerySync();
	nodeTypes.add(FLOOR_TYPE, {
		description: { ...sync.description, name: 'benchFloor', displayName: 'Bench floor' },
		async execute() {
			const input = this.getInputData();
			const echoes = [];
			for (let itemIndex = 0; itemIndex < input.length; itemIndex++) {
				for (const name of ['changeType', 'source', 'itemId', 'mappingStore', 'mappingName']) {
					this.getNodeParameter(name, itemIndex);
				}
				this.getNodeParameter('options', itemIndex, {});
				this.getNodeParameter('syncedFields', itemIndex, {});
				echoes.push({ json: input[itemIndex].json, pairedItem: { item: itemIndex } });
			}
			return [[], [], [], echoes];
		},
	});
	const stamp = Date.now();

	const runOnce = async (
		mappingName,
		staticData,
		items,
		type = packageNodeType('wixGallerySync'),
	) => {
		const started = performance.now();
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					parameters: {
						httpMethod: 'POST',
						path: 'bench',
						responseMode: 'onReceived',
						options: {},
					},
				},
				{
					name: NODE,
					type,
					parameters: filterParameters('staticData', mappingName),
				},
			],
			connections: { Webhook: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
			nodeTypes,
			staticData,
			mode: 'webhook',
			startNode: 'Webhook',
			startItems: items.map((json) => ({ json })),
		});
		const wallMs = performance.now() - started;
		const run = result.run.data.resultData.runData[NODE]?.[0];
		return {
			wallMs,
			nodeMs: run?.executionTime,
			error: result.error ? `${result.error.message} ${result.error.description ?? ''}` : undefined,
			outputs: [0, 1, 2, 3].map((output) => result.output(NODE, output).length),
			staticData: result.staticData,
		};
	};

	const sizes = [];
	for (const links of options.sizes) {
		const items = echoItems(options.items, links);
		const updatedAt = new Date().toISOString();
		const mappingName = (run) =>
			links === 0 ? `bench-0-${stamp}-${run}` : `bench-${links}-${stamp}`;
		const staticData = (run) => ({
			global: {
				wixGallerySync: {
					[mappingName(run)]: {
						links: Object.fromEntries(
							Array.from({ length: links }, (_, index) => {
								const link = syncLink(index, updatedAt);
								return [link.key, link];
							}),
						),
					},
				},
			},
		});
		// With no links there is nothing to echo: every item goes to Create (a put each). Each run takes a mapping
		// of its own, so that every run starts from 0 links.
		const seeded = staticData(0);
		const strip = ({ staticData: _saved, ...rest }) => rest;
		const first = await runOnce(mappingName(0), seeded, items);
		const later = [];
		for (let run = 1; run <= options.repeats; run++) {
			// As in n8n: each execution starts from the static data the last one saved.
			const saved = links === 0 ? staticData(run) : first.staticData;
			later.push(strip(await runOnce(mappingName(run), saved, items)));
		}
		const floor = [];
		for (let run = 0; run <= options.repeats; run++) {
			floor.push(strip(await runOnce(mappingName(0), {}, items, FLOOR_TYPE)));
		}
		sizes.push({
			links,
			floorNodeMs: medianOf(floor.slice(1).map((entry) => entry.nodeMs)),
			first: strip(first),
			later,
			laterNodeMs: medianOf(later.map((entry) => entry.nodeMs)),
			laterWallMs: medianOf(later.map((entry) => entry.wallMs)),
			reference: plainMapLoop(links, options.items),
		});
	}
	return { node: process.version, sizes };
}

async function runStaticDataChild(settings, log) {
	log(
		`== static data: workflow harness in a child process, ${settings.items} items against ` +
			`${settings.sizes.join(', ')} links, ${settings.repeats} runs after the first`,
	);
	const args = [
		'--expose-gc',
		'-r',
		join(REPO, 'test', 'support', 'registerTs.js'),
		THIS_FILE,
		CHILD_FLAG,
		JSON.stringify({ items: settings.items, sizes: settings.sizes, repeats: settings.repeats }),
	];
	const env = { ...process.env, N8N_LOG_LEVEL: 'silent' };
	delete env.NODE_OPTIONS;
	return await new Promise((resolveChild, reject) => {
		const child = spawn(process.execPath, args, {
			cwd: REPO,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
		child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
		child.on('error', reject);
		child.on('close', (code, signal) => {
			const line = stdout.split('\n').find((entry) => entry.startsWith(RESULT_PREFIX));
			if (code !== 0 || !line) {
				reject(
					new Error(
						`the static data child ended with ${code ?? signal}\nstdout:\n${stdout.slice(-2000)}\nstderr:\n${stderr.slice(-4000)}`,
					),
				);
				return;
			}
			resolveChild(JSON.parse(line.slice(RESULT_PREFIX.length)));
		});
	});
}

// --- data table: real n8n --------------------------------------------------------------------------------------

/** Forwards everything to n8n and logs each request: what the node's credential points at instead of n8n. */
async function startCountingProxy(targetBaseUrl) {
	const target = new URL(targetBaseUrl);
	const entries = [];
	const server = createServer((incoming, outgoing) => {
		const started = performance.now();
		const entry = { method: incoming.method, path: incoming.url.split('?')[0] };
		const upstream = httpRequest(
			{
				host: target.hostname,
				port: target.port,
				method: incoming.method,
				path: incoming.url,
				headers: { ...incoming.headers, host: target.host },
			},
			(answer) => {
				outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(outgoing);
				answer.on('end', () => {
					entries.push({ ...entry, status: answer.statusCode, ms: performance.now() - started });
				});
			},
		);
		upstream.on('error', (error) => {
			entries.push({ ...entry, status: 502, error: error.message });
			if (!outgoing.headersSent) outgoing.writeHead(502);
			outgoing.end(String(error.message));
		});
		incoming.pipe(upstream);
	});
	await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		entries,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolveClose) => server.close(() => resolveClose()));
		},
	};
}

function codeNode(items) {
	return {
		id: 'bench-items',
		name: CODE,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
	};
}

function syncNode(credential, parameters, name = NODE) {
	return {
		id: 'bench-sync',
		name,
		type: `${common.PACKAGE_NAME}.wixGallerySync`,
		typeVersion: 1,
		parameters,
		credentials: { wixGalleryN8nApi: { id: credential.id, name: credential.name } },
	};
}

function tableName(mappingName) {
	return `Wix Gallery Sync: ${mappingName}`.slice(0, 128);
}

async function findTable(setup, mappingName) {
	const name = tableName(mappingName);
	const answer = await setup.client.api(
		'GET',
		`/data-tables?filter=${encodeURIComponent(JSON.stringify({ name }))}`,
	);
	return answer.data.find((table) => table.name === name);
}

/** Lets the node create its table (its own column set) by recording link 0, then inserts the others in batches. */
async function seedTable(setup, credential, mappingName, links, log) {
	const record = await setup.client.createWorkflow(
		common.chainWorkflow(`bench: mapping ${mappingName}: Record Link`, [
			codeNode([{ wix: 'wix-0', ext: 'ext-0', title: 'title 0' }]),
			syncNode(
				credential,
				{
					resource: 'mapping',
					operation: 'record',
					mappingStore: 'dataTable',
					mappingName,
					wixItemId: '={{ $json.wix }}',
					externalId: '={{ $json.ext }}',
					syncedFields: { field: [{ fieldName: 'title', value: '={{ $json.title }}' }] },
					changeFrom: 'wix',
					options: { galleryId: 'bench-gallery' },
				},
				'Wix Gallery Sync',
			),
		]),
	);
	await common.runWorkflowChecked(setup, record.id, 'Record Link (creates the table)');
	const table = await findTable(setup, mappingName);
	if (!table)
		throw new Error(`Record Link did not create the data table "${tableName(mappingName)}"`);
	const updatedAt = new Date().toISOString();
	const now = Date.now();
	const started = performance.now();
	let requests = 0;
	for (let start = 1; start < links; start += SEED_BATCH) {
		const rows = [];
		for (let index = start; index < Math.min(links, start + SEED_BATCH); index++) {
			const link = syncLink(index, updatedAt);
			rows.push({
				linkKey: link.key,
				wixItemId: link.wixItemId,
				externalId: link.externalId,
				galleryId: link.galleryId,
				removed: false,
				revision: 1,
				changedAt: now,
				pendingTowards: null,
				pendingAction: null,
				pendingAt: null,
				link: JSON.stringify({
					fields: link.fields,
					lastChangeFrom: link.lastChangeFrom,
					pending: link.pending,
					updatedAt: link.updatedAt,
				}),
			});
		}
		await setup.client.api('POST', `/data-tables/${table.id}/rows`, {
			data: rows,
			returnType: 'count',
		});
		requests++;
		if (requests % 20 === 0) log(`   ${Math.min(links, start + SEED_BATCH)} of ${links} rows`);
	}
	return { tableId: table.id, insertMs: performance.now() - started, insertRequests: requests };
}

function sqliteBytes(userFolder) {
	let total = 0;
	const files = {};
	for (const suffix of ['', '-wal', '-shm']) {
		const file = join(userFolder, '.n8n', `database.sqlite${suffix}`);
		files[`database.sqlite${suffix}`] = existsSync(file) ? statSync(file).size : 0;
		total += files[`database.sqlite${suffix}`];
	}
	return { total, files };
}

/** sizeBytes as GET /api/v1/data-tables reports it; n8n caches sizes for 5 s, so it is read after that. */
async function tableSize(setup, mappingName) {
	await common.sleep(5500);
	const table = await findTable(setup, mappingName);
	let limits;
	try {
		limits = await setup.client.rest('GET', '/data-tables-global/limits');
	} catch {
		limits = undefined;
	}
	return { sizeBytes: table?.sizeBytes, limits };
}

/** The reads the node's prefetch makes (40 IDs per filter), made by a plain loop with fetch straight to n8n. */
async function plainReadLoop(setup, tableId, items) {
	const ids = [...new Set(items.map((item) => item.itemId))];
	const started = performance.now();
	let rows = 0;
	let requests = 0;
	for (let start = 0; start < ids.length; start += 40) {
		const filter = {
			type: 'or',
			filters: ids
				.slice(start, start + 40)
				.map((id) => ({ columnName: 'wixItemId', condition: 'eq', value: id })),
		};
		let cursor;
		do {
			const query = new URLSearchParams({
				filter: JSON.stringify(filter),
				limit: '250',
				sortBy: 'id:asc',
				...(cursor ? { cursor } : {}),
			});
			const page = await setup.client.api('GET', `/data-tables/${tableId}/rows?${query}`);
			requests++;
			rows += page.data.length;
			cursor = page.data.length ? page.nextCursor : undefined;
		} while (cursor);
	}
	return { wallMs: performance.now() - started, rows, requests };
}

async function dataTableSection(setup, settings, log, problems) {
	const proxy = await startCountingProxy(setup.n8n.baseUrl);
	try {
		const credential = await setup.client.createCredential({
			name: 'This n8n through the counting proxy (bench)',
			type: 'wixGalleryN8nApi',
			data: { apiKey: setup.client.apiKey, baseUrl: `${proxy.url}/api/v1` },
		});
		const mappingName = `bench-${settings.links}-${Date.now()}`;
		const dbBefore = sqliteBytes(setup.userFolder);
		log(`== data table: seeding "${tableName(mappingName)}" with ${settings.links} links`);
		const seeded = await seedTable(setup, credential, mappingName, settings.links, log);
		const size = await tableSize(setup, mappingName);
		const dbAfter = sqliteBytes(setup.userFolder);

		const items = echoItems(settings.items, settings.links);
		const workflow = await setup.client.createWorkflow(
			common.chainWorkflow(`bench: mapping Filter Echoes (data table, ${settings.links} links)`, [
				codeNode(items),
				syncNode(credential, filterParameters('dataTable', mappingName)),
			]),
		);
		const measure = async () => {
			const before = proxy.entries.length;
			const execution = await common.runWorkflowChecked(setup, workflow.id, 'Filter Echoes');
			const calls = proxy.entries.slice(before);
			const run = common.nodeRun(execution, NODE);
			return {
				nodeMs: run?.executionTime,
				executionMs: common.executionMs(execution),
				requests: calls.filter((call) => call.path.startsWith('/api/v1/data-tables')).length,
				byPath: Object.entries(
					calls.reduce((counts, call) => {
						const key = `${call.method} ${call.path.replace(/data-tables\/[^/]+/, 'data-tables/{id}')}`;
						counts[key] = (counts[key] ?? 0) + 1;
						return counts;
					}, {}),
				).map(([call, count]) => ({ call, count })),
				failed: calls.filter((call) => call.status >= 400).length,
				outputs: [0, 1, 2, 3].map((output) => run?.data?.main?.[output]?.length ?? 0),
			};
		};
		const runs = [];
		for (let run = 0; run <= settings.repeats; run++) {
			log(`== data table: Filter Echoes run ${run + 1} of ${settings.repeats + 1}`);
			runs.push(await measure());
		}
		const loops = [];
		for (let run = 0; run < settings.repeats; run++) {
			loops.push(await plainReadLoop(setup, seeded.tableId, items));
		}
		for (const [index, run] of runs.entries()) {
			if (run.outputs[ECHOES_OUTPUT] !== settings.items)
				problems.push(
					`data table run ${index + 1}: ${run.outputs[ECHOES_OUTPUT]} of ${settings.items} items on Echoes (outputs ${run.outputs.join('/')})`,
				);
			if (run.failed) problems.push(`data table run ${index + 1}: ${run.failed} API calls failed`);
		}
		for (const loop of loops)
			if (loop.rows !== new Set(items.map((item) => item.itemId)).size)
				problems.push(`plain read loop: ${loop.rows} rows, expected one per item`);
		const later = runs.slice(1);
		let tableSizeRun;
		if (settings.tableLinks > 0) {
			try {
				tableSizeRun = await tableSizeSection(setup, credential, settings.tableLinks, log);
			} catch (error) {
				problems.push(`data table size (${settings.tableLinks} links): ${error.message}`);
			}
		}
		return {
			mappingName,
			links: settings.links,
			items: settings.items,
			seed: { ...seeded, rowsPerRequest: SEED_BATCH },
			sizeBytes: size.sizeBytes,
			limits: size.limits,
			sqliteGrowthBytes: dbAfter.total - dbBefore.total,
			first: runs[0],
			runs: later,
			nodeMs: medianOf(later.map((run) => run.nodeMs)),
			executionMs: medianOf(later.map((run) => run.executionMs)),
			requests: medianOf(later.map((run) => run.requests)),
			loop: {
				wallMs: medianOf(loops.map((loop) => loop.wallMs)),
				requests: loops[0]?.requests,
			},
			tableSize: tableSizeRun,
		};
	} finally {
		await proxy.close();
	}
}

async function tableSizeSection(setup, credential, links, log) {
	const mappingName = `bench-size-${links}-${Date.now()}`;
	log(`== data table size: inserting ${links} links into "${tableName(mappingName)}"`);
	const dbBefore = sqliteBytes(setup.userFolder);
	const started = performance.now();
	const seeded = await seedTable(setup, credential, mappingName, links, log);
	const totalMs = performance.now() - started;
	const size = await tableSize(setup, mappingName);
	const dbAfter = sqliteBytes(setup.userFolder);
	return {
		links,
		mappingName,
		insertMs: seeded.insertMs,
		totalMs,
		insertRequests: seeded.insertRequests,
		sizeBytes: size.sizeBytes,
		limits: size.limits,
		sqliteGrowthBytes: dbAfter.total - dbBefore.total,
		sqliteAfter: dbAfter.files,
	};
}

// --- the benchmark ---------------------------------------------------------------------------------------------

/**
 * @param {import('./common.mjs').BenchSetup} setup
 * @param {typeof DEFAULTS} options
 */
export async function run(setup, options, log) {
	const problems = [];
	const settings = {
		...options,
		sizes: [...new Set([...options.sizes, options.links])].sort((a, b) => a - b),
	};

	const staticData = await runStaticDataChild(settings, log);
	for (const size of staticData.sizes) {
		for (const [index, run] of [size.first, ...size.later].entries()) {
			const what = `static data, ${size.links} links, run ${index + 1}`;
			if (run.error) problems.push(`${what}: ${run.error}`);
			const expected = size.links === 0 ? 0 : ECHOES_OUTPUT;
			if (run.outputs[expected] !== settings.items)
				problems.push(
					`${what}: ${run.outputs[expected]} of ${settings.items} items on output ${expected} (outputs ${run.outputs.join('/')})`,
				);
		}
	}

	await setup.freshN8n();
	const { tableSize: tableSizeRun, ...dataTable } = await dataTableSection(
		setup,
		settings,
		log,
		problems,
	);

	const main = staticData.sizes.find((size) => size.links === settings.links);
	const smallest = staticData.sizes.find(
		(size) => size.links === Math.min(...settings.sizes.filter(Boolean)),
	);
	const staticMs = Math.max(main.first.nodeMs, main.laterNodeMs);
	const goals = [
		{
			text:
				`static data, ${common.formatCount(settings.links)} links: node time ${common.formatMs(main.first.nodeMs)} (first run) / ` +
				`${common.formatMs(main.laterNodeMs)} (later runs) — under 1 s: ${staticMs < 1000 ? 'yes' : 'no'}`,
			met: staticMs < 1000,
		},
		{
			text:
				`data table, ${common.formatCount(settings.links)} links: ${common.formatCount(dataTable.requests)} requests for ` +
				`${common.formatCount(settings.items)} items = ${(dataTable.requests / settings.items).toFixed(3)} per item — ≤ 1 per item: ` +
				`${dataTable.requests <= settings.items ? 'yes' : 'no'}`,
			met: dataTable.requests <= settings.items,
		},
	];
	return {
		benchmark: 'mapping',
		title: 'Mapping benchmark',
		workloadText:
			`Wix Gallery Sync → Filter Echoes of ${common.formatCount(settings.items)} Wix item updates that are echoes of ` +
			`known links (title equal to the link's), against ${common.formatCount(settings.links)} links; static data also ` +
			`against ${settings.sizes.filter((size) => size !== settings.links).join(' and ')} links; ` +
			`median of ${settings.repeats} runs after the first`,
		workload: settings,
		staticData,
		dataTable,
		tableSize: tableSizeRun,
		goals,
		problems,
		figures: [
			common.figure(
				`Filter Echoes, static data, ${common.formatCount(settings.links)} links: node time vs plain Map loop`,
				main.laterNodeMs,
				formatFine,
				main.reference.ms,
				'plain Map loop',
			),
			common.figure(
				`Filter Echoes, static data: node time at ${common.formatCount(settings.links)} vs ${common.formatCount(smallest.links)} links`,
				main.laterNodeMs,
				common.formatMs,
				smallest.laterNodeMs,
				`${common.formatCount(smallest.links)} links`,
			),
			common.figure(
				`Filter Echoes, data table, ${common.formatCount(settings.links)} links: node time vs plain loop of the same reads`,
				dataTable.nodeMs,
				common.formatMs,
				dataTable.loop.wallMs,
				'plain fetch loop',
			),
			common.figure(
				`Filter Echoes, data table: requests vs items`,
				dataTable.requests,
				common.formatCount,
				settings.items,
				'items',
			),
		],
	};
}

export function format(report) {
	const { formatCount, formatMs, formatRatio, ratio, table } = common;
	const mb = (bytes) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(2)} MiB`);
	const share = (bytes) =>
		bytes === undefined ? 'n/a' : `${((bytes / DATA_TABLE_CAP_BYTES) * 100).toFixed(2)} %`;
	const items = report.workload.items;
	const staticRows = [
		[
			'links in static data',
			'node time, 1st run',
			'execution, 1st run',
			'node time, later',
			'execution, later',
			'plain Map loop',
			'node vs loop',
			'n8n floor',
			'node vs floor',
			'routed',
		],
		...report.staticData.sizes.map((size) => [
			formatCount(size.links),
			formatMs(size.first.nodeMs),
			formatMs(size.first.wallMs),
			formatMs(size.laterNodeMs),
			formatMs(size.laterWallMs),
			formatFine(size.reference.ms),
			formatRatio(ratio(size.laterNodeMs, size.reference.ms)),
			formatMs(size.floorNodeMs),
			formatRatio(ratio(size.laterNodeMs, size.floorNodeMs)),
			size.links === 0
				? `${formatCount(size.first.outputs[0])} Create`
				: `${formatCount(size.first.outputs[3])} Echoes`,
		]),
	];
	const dt = report.dataTable;
	const dataTableRows = [
		['way', 'requests', 'per item', 'node time', 'vs loop', 'execution'],
		[
			'Filter Echoes, data table, 1st run',
			formatCount(dt.first.requests),
			(dt.first.requests / items).toFixed(3),
			formatMs(dt.first.nodeMs),
			formatRatio(ratio(dt.first.nodeMs, dt.loop.wallMs)),
			formatMs(dt.first.executionMs),
		],
		[
			`Filter Echoes, data table, later (median of ${dt.runs.length})`,
			formatCount(dt.requests),
			(dt.requests / items).toFixed(3),
			formatMs(dt.nodeMs),
			formatRatio(ratio(dt.nodeMs, dt.loop.wallMs)),
			formatMs(dt.executionMs),
		],
		[
			'plain loop of the same reads (fetch)',
			formatCount(dt.loop.requests),
			(dt.loop.requests / items).toFixed(3),
			formatMs(dt.loop.wallMs),
			'1.00×',
			'',
		],
	];
	const sizeRows = [
		[
			'links in the table',
			'insert',
			'sizeBytes (n8n)',
			'of the 200 MB cap',
			'sqlite files grew by',
			'per link',
		],
		[
			formatCount(dt.links),
			`${formatMs(dt.seed.insertMs)} (${formatCount(dt.seed.insertRequests)} requests)`,
			mb(dt.sizeBytes),
			share(dt.sizeBytes),
			mb(dt.sqliteGrowthBytes),
			dt.sizeBytes === undefined ? 'n/a' : `${Math.round(dt.sizeBytes / dt.links)} B`,
		],
	];
	if (report.tableSize) {
		const big = report.tableSize;
		sizeRows.push([
			formatCount(big.links),
			`${formatMs(big.insertMs)} (${formatCount(big.insertRequests)} requests)`,
			mb(big.sizeBytes),
			share(big.sizeBytes),
			mb(big.sqliteGrowthBytes),
			big.sizeBytes === undefined ? 'n/a' : `${Math.round(big.sizeBytes / big.links)} B`,
		]);
	}
	const calls = dt.runs[0]?.byPath.map((entry) => `${entry.count}× ${entry.call}`).join(', ');
	return [
		common.sectionHeader(report),
		'',
		`static data (workflow harness: n8n-core ${'WorkflowExecute'} in a node ${report.staticData.node} process of its own, mode webhook)`,
		table(staticRows),
		'',
		`data table (real n8n, ${formatCount(dt.links)} links; requests counted by a proxy between the node's credential and n8n)`,
		table(dataTableRows),
		`calls of one later run: ${calls}`,
		'',
		'data table size',
		table(sizeRows),
		report.tableSize
			? `all data tables: ${mb(report.tableSize.limits?.totalBytes)} (${report.tableSize.limits?.quotaStatus ?? 'n/a'})`
			: `(a bigger table: npm run bench -- --only mapping --table-links 100000)`,
		'',
		`node time: the node's executionTime in the run data; execution: the whole harness run (static data copied in ` +
			`and out) or n8n's startedAt → stoppedAt; 1st run: the first in the process (static data: the replica is built ` +
			`from static data; data table: the first Filter Echoes run, after the Record Link run that created the table ` +
			`in the same n8n process, so the table's ID was already known); plain Map loop: the same ${formatCount(items)} ` +
			`lookups and title comparisons in a Map of the links; n8n floor: a node with the Sync node's parameters that only ` +
			`reads, per item, the parameters Filter Echoes reads (n8n evaluates their expressions) and routes the item, ` +
			`no mapping; with 0 links every item is new and goes to Create (one put each)`,
		...report.goals.map((goal) => `goal: ${goal.text}`),
	].join('\n');
}

if (process.argv[2] === CHILD_FLAG && import.meta.url === pathToFileURL(process.argv[1]).href) {
	staticDataChild(JSON.parse(process.argv[3])).then(
		(result) => {
			process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
			process.exit(0);
		},
		(error) => {
			console.error(error.stack ?? error);
			process.exit(1);
		},
	);
}
