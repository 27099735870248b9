// Listing benchmark: Wix Pro Gallery → Item → Get Many with Return All on a gallery of 1,000 items, in real n8n,
// against the same HTTP calls made by a plain loop with fetch from the bench process (paths and page size read from
// the sandbox's request log of the node's own run), and against n8n's HTTP Request node with its built-in
// pagination making those calls. Requests made and wall time, median of a few runs after a warm-up.
import {
	chainWorkflow,
	figure,
	formatCount,
	formatMs,
	formatRatio,
	mapConcurrent,
	median,
	nodeItems,
	nodeRun,
	PACKAGE_NAME,
	ratio,
	runWorkflowChecked,
	sectionHeader,
	table,
	executionMs,
} from './common.mjs';

export const DEFAULTS = { items: 1000, repeats: 5 };
export const QUICK = { items: 300, repeats: 3 };

const NODE = 'Wix Pro Gallery';
const HTTP = 'HTTP Request';

function galleryLocator(galleryId) {
	return { __rl: true, mode: 'id', value: galleryId };
}

function getManyWorkflow(galleryId, credential) {
	return chainWorkflow('bench: Pro Gallery Get Many (Return All)', [
		{
			id: 'bench-get-many',
			name: NODE,
			type: `${PACKAGE_NAME}.wixProGallery`,
			typeVersion: 1,
			parameters: {
				authentication: 'apiKey',
				resource: 'item',
				operation: 'getAll',
				galleryId: galleryLocator(galleryId),
				returnAll: true,
			},
			credentials: { wixGalleryApi: { id: credential.id, name: credential.name } },
		},
	]);
}

/** n8n's HTTP Request node paging through the same endpoint with the same page size, until a short page. */
function httpPaginationWorkflow({ url, galleryId, limit, siteId }, credential) {
	return chainWorkflow('bench: HTTP Request with pagination', [
		{
			id: 'bench-http-pages',
			name: HTTP,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendQuery: true,
				queryParameters: {
					parameters: [
						{ name: 'galleryId', value: galleryId },
						{ name: 'itemLimit', value: String(limit) },
					],
				},
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'wix-site-id', value: siteId }] },
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: {
								parameters: [
									{ type: 'qs', name: 'itemOffset', value: `={{ $pageCount * ${limit} }}` },
								],
							},
							paginationCompleteWhen: 'other',
							completeExpression: `={{ $response.body.items.length < ${limit} }}`,
						},
					},
				},
			},
			credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } },
		},
	]);
}

/** What identifies a call: method, path and query (order-free). */
function callKey(entry) {
	const query = Object.keys(entry.query)
		.sort()
		.map((key) => `${key}=${entry.query[key]}`)
		.join('&');
	return `${entry.method} ${entry.path}?${query}`;
}

async function seedGallery(setup, count, log) {
	const { gallery } = await setup.wix('POST', '/pro-gallery/v2/galleries', {
		gallery: { name: `bench listing ${Date.now()}` },
	});
	const { galleries } = await setup.wix('GET', '/pro-gallery/v2/galleries?itemLimit=10');
	const image = galleries
		.flatMap((entry) => entry.items ?? [])
		.find((item) => item.type === 'IMAGE')?.image;
	if (!image) throw new Error('the sandbox seed has no image item to list copies of');
	log(`== seeding gallery ${gallery.id} with ${count} image items (Wix REST API, 8 at a time)`);
	const created = await mapConcurrent(
		Array.from({ length: count }, (_, index) => index),
		8,
		async (index) =>
			(
				await setup.wix('POST', `/pro-gallery/v2/galleries/${gallery.id}/items`, {
					item: { title: `bench listing ${index}`, sortOrder: index + 1, image },
				})
			).item.id,
	);
	return { galleryId: gallery.id, itemIds: created };
}

/** The plain loop: the node's calls replayed with fetch, paging by offset until a short page. */
async function plainLoop(setup, template) {
	const { baseUrl, credentials } = setup.sandbox;
	const limit = Number(template.query.itemLimit);
	const items = [];
	const started = performance.now();
	for (let offset = 0; ; offset += limit) {
		const query = new URLSearchParams({ ...template.query, itemOffset: String(offset) });
		const response = await fetch(`${baseUrl}${template.path}?${query}`, {
			headers: { Authorization: credentials.apiKey, 'wix-site-id': credentials.siteId },
		});
		if (!response.ok) throw new Error(`plain loop: ${template.path} → ${response.status}`);
		const page = (await response.json()).items ?? [];
		items.push(...page);
		if (page.length < limit) break;
	}
	return { wallMs: performance.now() - started, items };
}

function distinctIdCheck(what, ids, expected) {
	const problems = [];
	const distinct = new Set(ids);
	if (ids.length !== expected.size)
		problems.push(`${what}: ${ids.length} items, expected ${expected.size}`);
	if (distinct.size !== ids.length)
		problems.push(`${what}: ${ids.length - distinct.size} duplicate items`);
	const missing = [...expected].filter((id) => !distinct.has(id));
	if (missing.length) problems.push(`${what}: ${missing.length} seeded items missing`);
	return problems;
}

/**
 * @param {import('./common.mjs').BenchSetup} setup
 * @param {{ items: number, repeats: number }} options
 */
export async function run(setup, options, log) {
	await setup.freshN8n();
	const { galleryId, itemIds } = await seedGallery(setup, options.items, log);
	const expected = new Set(itemIds);
	const problems = [];
	const headerCredential = await setup.client.createCredential({
		name: 'Wix sandbox (Authorization header)',
		type: 'httpHeaderAuth',
		data: { name: 'Authorization', value: setup.sandbox.credentials.apiKey },
	});

	const nodeWorkflow = await setup.client.createWorkflow(
		getManyWorkflow(galleryId, setup.credential),
	);
	const measureNode = async () => {
		const since = await setup.lastRequestSeq();
		const execution = await runWorkflowChecked(setup, nodeWorkflow.id, 'Get Many');
		const requests = await setup.requestsSince(since);
		return {
			executionMs: executionMs(execution),
			nodeMs: nodeRun(execution, NODE)?.executionTime,
			requests,
			ids: nodeItems(execution, NODE).map((item) => item.json.id),
		};
	};
	log(`== warm-up: Get Many once`);
	const warm = await measureNode();
	problems.push(...distinctIdCheck('Get Many (warm-up)', warm.ids, expected));
	const template = warm.requests[0];
	if (!template || !template.query.itemLimit)
		throw new Error('Get Many made no paged List Gallery Items request');
	const limit = Number(template.query.itemLimit);

	const httpWorkflow = await setup.client.createWorkflow(
		httpPaginationWorkflow(
			{
				url: `${setup.sandbox.baseUrl}${template.path}`,
				galleryId: template.query.galleryId ?? galleryId,
				limit,
				siteId: setup.sandbox.credentials.siteId,
			},
			headerCredential,
		),
	);
	const measureHttp = async () => {
		const since = await setup.lastRequestSeq();
		const execution = await runWorkflowChecked(setup, httpWorkflow.id, 'HTTP Request pagination');
		const requests = await setup.requestsSince(since);
		return {
			executionMs: executionMs(execution),
			nodeMs: nodeRun(execution, HTTP)?.executionTime,
			requests,
			ids: nodeItems(execution, HTTP).flatMap((item) =>
				(item.json.items ?? []).map((entry) => entry.id),
			),
		};
	};
	const measureLoop = async () => {
		const since = await setup.lastRequestSeq();
		const loop = await plainLoop(setup, template);
		return {
			...loop,
			ids: loop.items.map((item) => item.id),
			requests: await setup.requestsSince(since),
		};
	};
	await measureHttp();
	await measureLoop();

	const runs = { node: [], loop: [], http: [] };
	for (let repeat = 1; repeat <= options.repeats; repeat++) {
		log(`== run ${repeat} of ${options.repeats}: Get Many, plain loop, HTTP Request pagination`);
		runs.node.push(await measureNode());
		runs.loop.push(await measureLoop());
		runs.http.push(await measureHttp());
	}
	const nodeCalls = warm.requests.map(callKey);
	for (const [key, list] of Object.entries(runs)) {
		for (const [index, measured] of list.entries()) {
			const what = `${{ node: 'Get Many', loop: 'plain loop', http: 'HTTP Request pagination' }[key]} run ${index + 1}`;
			problems.push(...distinctIdCheck(what, measured.ids, expected));
			const calls = measured.requests.map(callKey);
			if (calls.join('\n') !== nodeCalls.join('\n') && key !== 'http')
				problems.push(`${what}: made other calls than the warm-up Get Many`);
			if (key === 'http' && [...calls].sort().join('\n') !== [...nodeCalls].sort().join('\n'))
				problems.push(`${what}: made other calls than Get Many`);
			const failed = measured.requests.filter((entry) => entry.status !== 200);
			if (failed.length) problems.push(`${what}: ${failed.length} requests not answered 200`);
		}
	}

	const medianOf = (list, pick) => median(list.map(pick));
	const node = {
		requests: medianOf(runs.node, (entry) => entry.requests.length),
		nodeMs: medianOf(runs.node, (entry) => entry.nodeMs),
		executionMs: medianOf(runs.node, (entry) => entry.executionMs),
	};
	const loop = {
		requests: medianOf(runs.loop, (entry) => entry.requests.length),
		wallMs: medianOf(runs.loop, (entry) => entry.wallMs),
	};
	const http = {
		requests: medianOf(runs.http, (entry) => entry.requests.length),
		nodeMs: medianOf(runs.http, (entry) => entry.nodeMs),
		executionMs: medianOf(runs.http, (entry) => entry.executionMs),
	};
	const sandboxMs = median(
		runs.node.map((entry) =>
			entry.requests.reduce((sum, request) => sum + (request.durationMs ?? 0), 0),
		),
	);
	return {
		benchmark: 'listing',
		title: 'Listing benchmark',
		workloadText:
			`one Pro Gallery with ${formatCount(options.items)} image items; Get Many with Return All ` +
			`(page size ${limit}, read from the request log); median of ${options.repeats} runs after a warm-up`,
		workload: { items: options.items, pageSize: limit, repeats: options.repeats, galleryId },
		page: { path: template.path, query: template.query },
		node,
		loop,
		http,
		sandboxMs,
		runs: Object.fromEntries(
			Object.entries(runs).map(([key, list]) => [
				key,
				list.map(({ ids, items: _items, requests, ...rest }) => ({
					...rest,
					items: ids.length,
					requests: requests.length,
				})),
			]),
		),
		goals: [
			{
				text: `requests ${formatCount(node.requests)} vs the plain loop's ${formatCount(loop.requests)} — no more than a plain loop: ${node.requests <= loop.requests ? 'yes' : 'no'}`,
				met: node.requests <= loop.requests,
			},
		],
		problems,
		figures: [
			figure(
				'Listing requests vs plain loop',
				node.requests,
				formatCount,
				loop.requests,
				'plain loop',
			),
			figure('Listing node time vs plain loop', node.nodeMs, formatMs, loop.wallMs, 'plain loop'),
			figure(
				'Listing whole execution vs plain loop',
				node.executionMs,
				formatMs,
				loop.wallMs,
				'plain loop',
			),
			figure(
				'HTTP Request pagination node time vs plain loop',
				http.nodeMs,
				formatMs,
				loop.wallMs,
				'plain loop',
			),
		],
	};
}

export function format(report) {
	const { node, loop, http } = report;
	const rows = [
		['way', 'requests', 'vs loop', 'node time', 'vs loop', 'execution', 'vs loop', 'items'],
		[
			'Wix Pro Gallery → Get Many (Return All)',
			formatCount(node.requests),
			formatRatio(ratio(node.requests, loop.requests)),
			formatMs(node.nodeMs),
			formatRatio(ratio(node.nodeMs, loop.wallMs)),
			formatMs(node.executionMs),
			formatRatio(ratio(node.executionMs, loop.wallMs)),
			formatCount(report.workload.items),
		],
		[
			'plain loop of the same calls (fetch)',
			formatCount(loop.requests),
			'1.00×',
			formatMs(loop.wallMs),
			'1.00×',
			'',
			'',
			formatCount(report.workload.items),
		],
		[
			'n8n HTTP Request with pagination',
			formatCount(http.requests),
			formatRatio(ratio(http.requests, loop.requests)),
			formatMs(http.nodeMs),
			formatRatio(ratio(http.nodeMs, loop.wallMs)),
			formatMs(http.executionMs),
			formatRatio(ratio(http.executionMs, loop.wallMs)),
			`${formatCount(report.workload.items)} in ${formatCount(http.requests)} page items`,
		],
	];
	const query = Object.entries(report.page.query)
		.map(([key, value]) => `${key}=${key === 'itemOffset' ? 'N' : value}`)
		.join('&');
	return [
		sectionHeader(report),
		'',
		table(rows),
		'',
		`calls: GET ${report.page.path}?${query}; node time: the node's executionTime in n8n's run data; execution: ` +
			`startedAt → stoppedAt of the execution; plain loop: wall time in the bench process; the sandbox's own ` +
			`handling of the node's calls: ${formatMs(report.sandboxMs)}`,
		`checks: every run of all three returned exactly ${formatCount(report.workload.items)} distinct items, the seeded ones` +
			(report.problems.length ? ' — NOT MET, see problems' : ''),
		...report.goals.map((goal) => `goal: ${goal.text}`),
	].join('\n');
}
