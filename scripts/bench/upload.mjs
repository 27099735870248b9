// Upload benchmark: distinct real PNG images, served by the bench, fetched inside the workflow by n8n's HTTP Request
// node and sent through Wix Pro Gallery → Item → Create from binary (upload URL, PUT of the bytes, waiting for the
// Media Manager to process the file, creating the item). The node's time against the sandbox's own processing time
// for the same calls: the server-side handling time of each request of the run (the request log's durationMs) plus
// the Media Manager's PENDING → READY delay for each file, i.e. how close the node comes to what the API allows.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

import {
	chainWorkflow,
	executionMs,
	figure,
	formatCount,
	formatMb,
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
	settleIdle,
	table,
} from './common.mjs';

export const DEFAULTS = { images: 100, width: 640, height: 480, concurrentUploads: 5 };
export const QUICK = { images: 20, width: 640, height: 480, concurrentUploads: 5 };

const CREATE = 'Wix Pro Gallery';
const FETCH = 'HTTP Request';

/** Distinct PNGs any decoder opens (the sandbox's generator: a gradient with noise, one seed per image). */
function makeImages(count, { width, height }) {
	// The compiled sandbox's entry point; loaded here, once the benchmark has built it.
	const { pngImage } = createRequire(import.meta.url)('../../build/sandbox/index.js');
	return Array.from({ length: count }, (_, index) => {
		const bytes = pngImage({ width, height, seed: 7919 * (index + 1), noise: 0.2 });
		return {
			name: `bench-${index}.png`,
			bytes,
			md5: createHash('md5').update(bytes).digest('hex'),
		};
	});
}

async function serveImages(images) {
	const byName = new Map(images.map((image) => [image.name, image]));
	const server = createServer((request, response) => {
		const image = byName.get(
			decodeURIComponent(new URL(request.url, 'http://x').pathname.slice(1)),
		);
		if (!image) {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': image.bytes.length });
		response.end(image.bytes);
	});
	await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
	return {
		url: (image) => `http://127.0.0.1:${server.address().port}/${encodeURIComponent(image.name)}`,
		close: () =>
			new Promise((resolveClose) => {
				server.close(() => resolveClose());
				server.closeAllConnections();
			}),
	};
}

function uploadWorkflow(name, urls, galleryId, credential, concurrentUploads = 1) {
	return chainWorkflow(name, [
		{
			id: 'bench-code',
			name: 'Image URLs',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: `return ${JSON.stringify(urls)}.map((url) => ({ json: { url } }));`,
			},
		},
		{
			id: 'bench-fetch',
			name: FETCH,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url: '={{ $json.url }}',
				options: {
					response: { response: { responseFormat: 'file', outputPropertyName: 'data' } },
				},
			},
		},
		{
			id: 'bench-create',
			name: CREATE,
			type: `${PACKAGE_NAME}.wixProGallery`,
			typeVersion: 1,
			parameters: {
				authentication: 'apiKey',
				resource: 'item',
				operation: 'create',
				galleryId: { __rl: true, mode: 'id', value: galleryId },
				itemType: 'image',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				additionalFields: { title: '={{ $binary.data.fileName }}' },
				options: concurrentUploads > 1 ? { concurrentUploads } : {},
			},
			credentials: { wixGalleryApi: { id: credential.id, name: credential.name } },
		},
	]);
}

/** What kind of call a logged request is, for the per-image breakdown. */
function callKind(entry) {
	if (entry.path.endsWith('/files/generate-upload-url')) return 'upload URL';
	if (entry.path.startsWith('/upload/')) return 'PUT bytes';
	if (entry.path.includes('/files/')) return 'file status';
	if (entry.method === 'POST' && /\/items$/.test(entry.path)) return 'create item';
	if (entry.method === 'GET' && /\/items$/.test(entry.path)) return 'list items';
	return `${entry.method} ${entry.path}`;
}

async function galleryItems(setup, galleryId) {
	const items = [];
	for (let offset = 0; ; offset += 100) {
		const page = await setup.wix(
			'GET',
			`/pro-gallery/v2/galleries/${galleryId}/items?itemOffset=${offset}&itemLimit=100`,
		);
		items.push(...(page.items ?? []));
		if ((page.items ?? []).length < 100) return items;
	}
}

/** Every item of the gallery has its own READY Media Manager file, holding the bytes of the image it is named after. */
async function checkGallery(setup, galleryId, images) {
	const problems = [];
	const items = await galleryItems(setup, galleryId);
	if (items.length !== images.length)
		problems.push(`${items.length} items in the gallery, expected ${images.length}`);
	const byName = new Map(images.map((image) => [image.name, image]));
	const fileIds = new Set();
	const files = await mapConcurrent(items, 8, async (item) => {
		const fileId = item.image?.imageInfo?.id;
		if (!fileId) return { item };
		fileIds.add(fileId);
		const { file } = await setup.wix(
			'GET',
			`/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(fileId)}`,
		);
		return { item, file };
	});
	const matched = new Set();
	for (const { item, file } of files) {
		const image = byName.get(item.title);
		if (!file) problems.push(`item ${item.id} has no image`);
		else if (!image) problems.push(`item ${item.id} has an unexpected title ${item.title}`);
		else if (file.operationStatus !== 'READY')
			problems.push(`${item.title}: file ${file.id} is ${file.operationStatus}`);
		else if (file.hash !== image.md5)
			problems.push(`${item.title}: its file does not hold the image's bytes`);
		else matched.add(item.title);
	}
	if (fileIds.size !== items.length)
		problems.push(`${items.length - fileIds.size} items share a Media Manager file`);
	return { problems, items: items.length, matched: matched.size, distinctFiles: fileIds.size };
}

/** One measured run of the upload workflow into a gallery of its own, with the sandbox's calls and the gallery check. */
async function measureUploads(setup, { label, urls, images, concurrentUploads }, log) {
	const galleryId = (
		await setup.wix('POST', '/pro-gallery/v2/galleries', {
			gallery: { name: `bench upload ${label} ${Date.now()}` },
		})
	).gallery.id;
	const workflow = await setup.client.createWorkflow(
		uploadWorkflow(`bench: ${label}`, urls, galleryId, setup.credential, concurrentUploads),
	);
	log(`== measuring ${images.length} images through Item → Create from binary, ${label}`);
	const since = await setup.lastRequestSeq();
	const execution = await runWorkflowChecked(setup, workflow.id, label, 30 * 60 * 1000);
	const requests = await setup.requestsSince(since);
	const created = nodeItems(execution, CREATE);
	const check = await checkGallery(setup, galleryId, images);
	const problems = check.problems.map((problem) => `${label}: ${problem}`);
	if (created.length !== images.length)
		problems.push(`${label}: the node output ${created.length} items, expected ${images.length}`);
	const titles = created.map((item) => item.json?.title);
	if (titles.some((title, index) => title !== images[index].name))
		problems.push(`${label}: the node's output is not in input order`);
	const unanswered = requests.filter((entry) => entry.status < 200 || entry.status >= 300);
	if (unanswered.length)
		problems.push(`${label}: ${unanswered.length} sandbox requests were not answered 2xx`);
	if (requests.some((entry) => entry.durationMs === undefined))
		problems.push('the sandbox request log has no durationMs: rebuild the sandbox');
	const byKind = {};
	for (const entry of requests) {
		const kind = callKind(entry);
		byKind[kind] ??= { count: 0, durationMs: 0 };
		byKind[kind].count += 1;
		byKind[kind].durationMs += entry.durationMs ?? 0;
	}
	return {
		label,
		concurrentUploads,
		nodeMs: nodeRun(execution, CREATE)?.executionTime,
		fetchMs: nodeRun(execution, FETCH)?.executionTime,
		executionMs: executionMs(execution),
		requests,
		handlingMs: requests.reduce((sum, entry) => sum + (entry.durationMs ?? 0), 0),
		requestsByKind: byKind,
		check,
		problems,
	};
}

/** With one upload at a time, the gap from the end of each PUT to the create item request (waiting for READY). */
function putToCreateGaps(requests) {
	const gaps = [];
	let putAt;
	for (const entry of requests) {
		const kind = callKind(entry);
		if (kind === 'PUT bytes') putAt = Date.parse(entry.time) + (entry.durationMs ?? 0);
		if (kind === 'create item' && putAt !== undefined) {
			gaps.push(Date.parse(entry.time) - putAt);
			putAt = undefined;
		}
	}
	return gaps;
}

/**
 * @param {import('./common.mjs').BenchSetup} setup
 * @param {{ images: number, width: number, height: number, concurrentUploads: number }} options
 */
export async function run(setup, options, log) {
	await setup.freshN8n();
	const images = makeImages(options.images, options);
	const warmupImages = makeImages(options.images + 2, options).slice(options.images);
	const server = await serveImages([...images, ...warmupImages]);
	try {
		const warmGalleryId = (
			await setup.wix('POST', '/pro-gallery/v2/galleries', {
				gallery: { name: `bench upload warm-up ${Date.now()}` },
			})
		).gallery.id;
		const warmup = await setup.client.createWorkflow(
			uploadWorkflow(
				'bench: warm-up Item Create from binary',
				warmupImages.map(server.url),
				warmGalleryId,
				setup.credential,
			),
		);
		log(`== warm-up: ${warmupImages.length} images`);
		await runWorkflowChecked(setup, warmup.id, 'the upload warm-up');
		await settleIdle(1000);
		const { mediaReadyDelayMs } = await setup.sandbox.control('GET', 'config');
		const urls = images.map(server.url);

		const oneByOne = await measureUploads(
			setup,
			{ label: 'one at a time', urls, images, concurrentUploads: 1 },
			log,
		);
		await settleIdle(1000);
		const concurrent = await measureUploads(
			setup,
			{
				label: `${options.concurrentUploads} at once`,
				urls,
				images,
				concurrentUploads: options.concurrentUploads,
			},
			log,
		);

		// The sandbox's own time for one image at a time: its handling of every call plus PENDING → READY per file.
		const processingMs = images.length * mediaReadyDelayMs;
		const sandboxMs = oneByOne.handlingMs + processingMs;
		const bytes = images.reduce((sum, image) => sum + image.bytes.length, 0);
		const nodeMs = oneByOne.nodeMs;
		const concurrentMs = concurrent.nodeMs;
		const strip = ({ requests, ...rest }) => ({ ...rest, requests: requests.length });
		return {
			benchmark: 'upload',
			title: 'Upload benchmark',
			workloadText:
				`${images.length} distinct PNG images (${options.width}×${options.height}, ${formatMb(bytes)} in all, ` +
				`${Math.round(bytes / images.length / 1024)} KiB each), fetched by HTTP Request inside the workflow, one ` +
				`Wix Pro Gallery → Item → Create (Binary File) per image, once one at a time and once with Concurrent ` +
				`Uploads ${options.concurrentUploads}; sandbox Media Manager delay ${mediaReadyDelayMs} ms per file`,
			workload: { ...options, bytes, mediaReadyDelayMs },
			nodeMs,
			fetchMs: oneByOne.fetchMs,
			executionMs: oneByOne.executionMs,
			concurrent: strip(concurrent),
			oneByOne: strip(oneByOne),
			sandbox: {
				handlingMs: oneByOne.handlingMs,
				processingMs,
				totalMs: sandboxMs,
				requests: oneByOne.requests.length,
			},
			requestsByKind: oneByOne.requestsByKind,
			putToCreateMs: median(putToCreateGaps(oneByOne.requests)),
			check: oneByOne.check,
			goals: [
				{
					text: `one at a time: node time ${formatMs(nodeMs)} is ${formatRatio(ratio(nodeMs, sandboxMs))} the sandbox's own ${formatMs(sandboxMs)} (goal ≤ 1.15×) — the node adds ${formatMs((nodeMs - sandboxMs) / images.length)} per image on top of the API`,
					met: nodeMs !== undefined && nodeMs <= 1.15 * sandboxMs,
				},
				{
					text: `${options.concurrentUploads} at once: node time ${formatMs(concurrentMs)} is ${formatRatio(ratio(concurrentMs, sandboxMs))} the sandbox's own time for one at a time (goal ≤ 0.5×)`,
					met: concurrentMs !== undefined && concurrentMs <= 0.5 * sandboxMs,
				},
			],
			problems: [...oneByOne.problems, ...concurrent.problems],
			figures: [
				figure('Upload node time vs sandbox processing', nodeMs, formatMs, sandboxMs, 'sandbox'),
				figure(
					`Upload node time, ${options.concurrentUploads} at once, vs sandbox processing`,
					concurrentMs,
					formatMs,
					sandboxMs,
					'sandbox',
				),
				figure(
					'Upload whole execution vs sandbox processing',
					oneByOne.executionMs,
					formatMs,
					sandboxMs,
					'sandbox',
				),
				figure(
					'Upload node time per image vs sandbox per image',
					nodeMs / images.length,
					formatMs,
					sandboxMs / images.length,
					'sandbox',
				),
				figure('Upload requests per image', oneByOne.requests.length / images.length, (value) =>
					value.toFixed(1),
				),
			],
		};
	} finally {
		await server.close();
	}
}

export function format(report) {
	const count = report.workload.images;
	const rows = [
		['measure', 'total', 'per image', 'vs sandbox'],
		[
			`${CREATE} → Create (node executionTime)`,
			formatMs(report.nodeMs),
			formatMs(report.nodeMs / count),
			formatRatio(ratio(report.nodeMs, report.sandbox.totalMs)),
		],
		[
			`${CREATE} → Create, Concurrent Uploads ${report.concurrent.concurrentUploads} (node executionTime)`,
			formatMs(report.concurrent.nodeMs),
			formatMs(report.concurrent.nodeMs / count),
			formatRatio(ratio(report.concurrent.nodeMs, report.sandbox.totalMs)),
		],
		[
			'whole execution, one at a time (with the HTTP Request fetches)',
			formatMs(report.executionMs),
			formatMs(report.executionMs / count),
			formatRatio(ratio(report.executionMs, report.sandbox.totalMs)),
		],
		[
			"sandbox's own processing (handling + Media Manager delay)",
			formatMs(report.sandbox.totalMs),
			formatMs(report.sandbox.totalMs / count),
			'1.00×',
		],
		[
			'  of which request handling (Σ durationMs)',
			formatMs(report.sandbox.handlingMs),
			formatMs(report.sandbox.handlingMs / count),
			'',
		],
		[
			`  of which PENDING → READY (${report.workload.mediaReadyDelayMs} ms × ${count})`,
			formatMs(report.sandbox.processingMs),
			formatMs(report.sandbox.processingMs / count),
			'',
		],
	];
	const kinds = Object.entries(report.requestsByKind)
		.map(([kind, entry]) => `${kind} ${formatCount(entry.count)} (${formatMs(entry.durationMs)})`)
		.join(', ');
	return [
		sectionHeader(report),
		'',
		table(rows),
		'',
		`requests, one at a time: ${formatCount(report.sandbox.requests)} in all, ${(report.sandbox.requests / count).toFixed(1)} per image — ${kinds}`,
		`per image, from the end of the PUT to the create item request (waiting for READY): median ` +
			`${formatMs(report.putToCreateMs)}, against the Media Manager's ${report.workload.mediaReadyDelayMs} ms`,
		`HTTP Request node fetching the images: ${formatMs(report.fetchMs)}`,
		`checks: ${report.check.items} items in the gallery, ${report.check.distinctFiles} distinct Media Manager files, ` +
			`${report.check.matched} READY with the bytes of the image named in the title; ${report.concurrent.concurrentUploads} ` +
			`at once: ${report.concurrent.check.matched} alike, output in input order` +
			(report.problems.length ? ' — NOT MET, see problems' : ''),
		...report.goals.map((goal) => `goal: ${goal.text}`),
	].join('\n');
}
