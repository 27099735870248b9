// Download benchmark: one Shared Gallery archive (default about 1 GB in 300 files) turned into files three ways:
//   1. the package's Wix Shared Gallery → Download (one binary item per file),
//   2. n8n's own HTTP Request (response as file) + Compression (decompress) on the same archive URL,
//   3. curl + Info-ZIP `unzip` to disk, outside n8n.
// Each n8n pipeline gets a freshly started n8n (same database), warmed up with a small archive, so that its peak
// RSS is its own. Wall time and peak memory with ratios against the built-in pipeline and against unzip; the three
// must produce the same files (names, sizes, sha256 of every file). The built-in pipeline running out of memory or
// hitting its own limits is a result, not a failure.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
	BROWSER_ID,
	chainWorkflow,
	executionError,
	figure,
	formatMb,
	formatRatio,
	formatSeconds,
	MB,
	measureN8nRun,
	nodeRun,
	PACKAGE_NAME,
	ratio,
	runWorkflow,
	sectionHeader,
	settleIdle,
	sha256File,
	sha256Response,
	table,
	timed,
} from './common.mjs';

export const DEFAULTS = { sizeMb: 1024, files: 300 };
export const QUICK = { sizeMb: 200, files: 60 };

/** The same media as two archives: stored (the sandbox's default, as Wix serves them) and deflated. */
const ARCHIVES = [
	{
		key: 'stored',
		options: { method: 'store', dataDescriptor: true },
		method: 'store, with data descriptors (the sandbox default)',
	},
	{
		key: 'deflated',
		// Level 0 writes the stored deflate blocks that zlib writes at any level for incompressible bytes like the
		// sandbox's media, without the sandbox spending half a minute per GiB compressing them.
		options: { method: 'deflate', level: 0, dataDescriptor: true },
		method:
			'deflate (stored deflate blocks, as zlib writes incompressible media), with data descriptors',
	},
];
export const ARCHIVE_KEYS = ARCHIVES.map((archive) => archive.key);

const PIPELINES = {
	download: 'Wix Shared Gallery → Download',
	builtin: 'HTTP Request + Compression',
	unzip: 'curl + unzip to disk',
};

/** Sizes around the mean (±20 %, in a fixed pattern) so that files differ, adding up to the total asked for. */
function fileSizes(totalBytes, count) {
	const mean = totalBytes / count;
	const sizes = Array.from({ length: count }, (_, index) =>
		Math.round(mean * (0.8 + (0.4 * ((index * 7) % count)) / Math.max(1, count - 1))),
	);
	const drift = totalBytes - sizes.reduce((sum, size) => sum + size, 0);
	sizes[0] += drift;
	return sizes;
}

/** Member media in the sandbox, generated lazily by the sandbox (no bytes are held): every 5th one a video. */
async function generateMedia(setup, { count, totalBytes, namePrefix, createdBy }) {
	const media = [];
	for (const [index, sizeBytes] of fileSizes(totalBytes, count).entries()) {
		const { items } = await setup.sandbox.control('POST', 'shared-gallery/media', {
			count: 1,
			createdBy,
			createdByName: 'Bench Member',
			sizeBytes,
			kind: index % 5 === 4 ? 'video' : 'image',
			namePrefix,
		});
		media.push(...items);
	}
	return media;
}

function downloadWorkflow(name, itemIds, credential) {
	return chainWorkflow(name, [
		{
			id: 'bench-download',
			name: 'Wix Shared Gallery',
			type: `${PACKAGE_NAME}.wixSharedGallery`,
			typeVersion: 1,
			parameters: {
				authentication: 'apiKey',
				resource: 'item',
				operation: 'download',
				selectBy: 'ids',
				itemIds: itemIds.join(','),
				binaryPropertyName: 'data',
				options: { batchSize: itemIds.length },
			},
			credentials: { wixGalleryApi: { id: credential.id, name: credential.name } },
		},
	]);
}

function builtinWorkflow(name, url) {
	return chainWorkflow(name, [
		{
			id: 'bench-http',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url,
				options: {
					response: { response: { responseFormat: 'file', outputPropertyName: 'data' } },
				},
			},
		},
		{
			id: 'bench-compression',
			name: 'Compression',
			type: 'n8n-nodes-base.compression',
			typeVersion: 1.1,
			parameters: { operation: 'decompress', binaryPropertyName: 'data', outputPrefix: 'file_' },
		},
	]);
}

/** Binary files in a node's output, one entry per file: from items (Download) or from properties (Compression). */
function outputFiles(execution, nodeName) {
	const items = nodeRun(execution, nodeName)?.data?.main?.[0] ?? [];
	const files = [];
	for (const item of items) {
		for (const binary of Object.values(item.binary ?? {})) {
			files.push({ fileName: binary.fileName, binaryId: binary.id, bytes: binary.bytes });
		}
	}
	return { items: items.length, files };
}

async function runN8nPipeline(setup, { key, workflow, warmup, nodeNames, log }) {
	const created = await setup.client.createWorkflow(workflow);
	const warm = await setup.client.createWorkflow(warmup);
	await setup.freshN8n();
	const warmRun = await runWorkflow(setup, warm.id, 5 * 60 * 1000);
	if (warmRun.status !== 'success') {
		throw new Error(
			`${PIPELINES[key]}: the warm-up run failed: ${executionError(warmRun)?.message ?? warmRun.status}`,
		);
	}
	await settleIdle();
	log(`== measuring ${PIPELINES[key]} (n8n pid ${setup.n8n.pid})`);
	const run = await measureN8nRun(setup, created.id);
	const error = run.crashed
		? { node: undefined, message: run.crashed }
		: run.execution?.status === 'success'
			? undefined
			: (executionError(run.execution) ?? { message: `execution ${run.execution?.status}` });
	const nodeTimes = {};
	for (const name of nodeNames) {
		const nodeData = nodeRun(run.execution, name);
		if (nodeData) nodeTimes[name] = nodeData.executionTime;
	}
	const output = run.execution
		? outputFiles(run.execution, nodeNames.at(-1))
		: { items: 0, files: [] };
	if (run.crashed) {
		log(`== n8n died during ${PIPELINES[key]}; starting it again for the rest of the run`);
		await setup.restartN8n();
	}
	return {
		key,
		name: PIPELINES[key],
		workflowId: created.id,
		executionId: run.execution?.id,
		status: run.crashed ? 'crashed' : run.execution?.status,
		error,
		wallMs: run.executionMs ?? run.observedMs,
		observedMs: run.observedMs,
		nodeTimesMs: nodeTimes,
		peakBytes: run.memory.peakBytes,
		baselineBytes: run.memory.baselineBytes,
		processes: run.memory.processes,
		treePeakBytes: run.memory.treePeakBytes,
		outputItems: output.items,
		files: output.files,
	};
}

async function runUnzip(setup, itemIds, log) {
	const dir = join(setup.workDir, 'unzip');
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(join(dir, 'out'), { recursive: true });
	const { url } = await setup.wix('POST', '/shared-gallery/v1/items/download-url', { itemIds });
	log(`== measuring ${PIPELINES.unzip}`);
	const curl = await timed('curl', ['-sS', '-f', '-o', join(dir, 'archive.zip'), url], {
		cwd: dir,
	});
	if (curl.code !== 0) {
		return {
			key: 'unzip',
			name: PIPELINES.unzip,
			status: 'error',
			error: { message: `curl: ${curl.stderr || curl.code}` },
			files: [],
		};
	}
	const unzip = await timed(
		'/usr/bin/unzip',
		['-q', '-o', join(dir, 'archive.zip'), '-d', join(dir, 'out')],
		{ cwd: dir },
	);
	const archiveBytes = statSync(join(dir, 'archive.zip')).size;
	const files = [];
	const walk = (folder) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const path = join(folder, entry.name);
			if (entry.isDirectory()) walk(path);
			else files.push({ fileName: relative(join(dir, 'out'), path), path });
		}
	};
	walk(join(dir, 'out'));
	return {
		key: 'unzip',
		name: PIPELINES.unzip,
		status: unzip.code === 0 ? 'success' : 'error',
		error: unzip.code === 0 ? undefined : { message: `unzip exit ${unzip.code}: ${unzip.stderr}` },
		wallMs: curl.wallMs + unzip.wallMs,
		stepsMs: { curl: curl.wallMs, unzip: unzip.wallMs },
		peakBytes: unzip.peakBytes,
		curlPeakBytes: curl.peakBytes,
		archiveBytes,
		outputItems: files.length,
		files,
		dir,
	};
}

/** sha256 and size of every output file: from n8n's binary data store on disk, or through n8n's REST API. */
async function hashFiles(setup, result) {
	for (const file of result.files) {
		if (file.path) {
			Object.assign(file, await sha256File(file.path));
			continue;
		}
		const separator = file.binaryId?.indexOf(':') ?? -1;
		const onDisk =
			separator > 0
				? [
						join(setup.userFolder, '.n8n', 'storage', file.binaryId.slice(separator + 1)),
						join(setup.userFolder, '.n8n', 'binaryData', file.binaryId.slice(separator + 1)),
					].find((path) => existsSync(path))
				: undefined;
		if (onDisk) {
			Object.assign(file, await sha256File(onDisk));
			continue;
		}
		const response = await fetch(
			`${setup.n8n.baseUrl}/rest/binary-data?id=${encodeURIComponent(file.binaryId)}&action=download`,
			{ headers: { cookie: setup.client.cookie, 'browser-id': BROWSER_ID } },
		);
		if (!response.ok) throw new Error(`n8n binary ${file.binaryId} → ${response.status}`);
		Object.assign(file, await sha256Response(response));
	}
}

/** Names, sizes and sha256 of each pipeline's files against the media the sandbox holds. */
async function compareOutputs(setup, expected, results) {
	const problems = [];
	const bySandbox = new Map(expected.map((media) => [media.name, media]));
	// The sandbox regenerates a sample of the media to give their real checksums.
	const sampleIndexes = [...new Set([0, 1, Math.floor(expected.length / 2), expected.length - 1])];
	for (const index of sampleIndexes) {
		const media = expected[index];
		const sum = await setup.sandbox.control('GET', `shared-gallery/media/${media.id}/checksum`);
		media.sha256 = sum.sha256;
	}
	const reference = {};
	for (const result of results) {
		if (result.status !== 'success') continue;
		const names = new Set();
		for (const file of result.files) {
			names.add(file.fileName);
			const media = bySandbox.get(file.fileName);
			if (!media) {
				problems.push(`${result.name}: unexpected file ${file.fileName}`);
				continue;
			}
			if (file.size !== media.size)
				problems.push(`${result.name}: ${file.fileName} has ${file.size} bytes, not ${media.size}`);
			if (media.sha256 && file.sha256 !== media.sha256)
				problems.push(`${result.name}: ${file.fileName} differs from the sandbox's bytes`);
			const other = reference[file.fileName];
			if (other && other.sha256 !== file.sha256)
				problems.push(`${result.name}: ${file.fileName} differs from ${other.pipeline}'s`);
			reference[file.fileName] ??= { sha256: file.sha256, pipeline: result.name };
		}
		const missing = expected.filter((media) => !names.has(media.name));
		if (missing.length)
			problems.push(`${result.name}: ${missing.length} files missing (${missing[0].name}, …)`);
		if (result.files.length !== expected.length)
			problems.push(`${result.name}: ${result.files.length} files, expected ${expected.length}`);
	}
	return { problems, sampled: sampleIndexes.length };
}

/**
 * @param {import('./common.mjs').BenchSetup} setup
 * @param {{ sizeMb: number, files: number, archives?: string[], keep?: boolean }} options
 */
export async function run(setup, options, log) {
	const totalBytes = Math.round(options.sizeMb * MB);
	const memberId = 'be4c0000-5eed-4000-8000-00000000be4c';
	log(
		`== generating ${options.files} member media, ${formatMb(totalBytes)} in all (lazily, in the sandbox)`,
	);
	const media = await generateMedia(setup, {
		count: options.files,
		totalBytes,
		namePrefix: 'bench',
		createdBy: memberId,
	});
	const warmupMedia = await generateMedia(setup, {
		count: 3,
		totalBytes: 3 * 200 * 1024,
		namePrefix: 'warmup',
		createdBy: memberId,
	});
	const workload = {
		files: media.length,
		totalBytes: media.reduce((sum, item) => sum + item.size, 0),
		videos: media.filter((item) => item.kind === 'video').length,
	};
	const archives = [];
	try {
		for (const archive of ARCHIVES.filter((entry) =>
			(options.archives ?? ARCHIVE_KEYS).includes(entry.key),
		)) {
			await setup.sandbox.control('PUT', 'shared-gallery/archive-options', archive.options);
			archives.push(
				await measureArchive(setup, archive, { media, warmupMedia, workload }, options, log),
			);
		}
	} finally {
		await setup.sandbox.control('PUT', 'shared-gallery/archive-options', {});
	}
	const label = (archive, text) =>
		archives.length > 1 ? `${text} (${archive.key} archive)` : text;
	return {
		benchmark: 'download',
		title: 'Download benchmark',
		workloadText:
			`${workload.files} files (${workload.videos} videos), ${formatMb(workload.totalBytes)}; ` +
			archives
				.map(
					(archive) =>
						`${archive.key} archive ${formatMb(archive.archiveBytes)} (${archive.method})`,
				)
				.join('; '),
		workload,
		archives,
		results: archives.flatMap((archive) =>
			archive.results.map((result) => ({ ...result, archive: archive.key })),
		),
		comparison: {
			problems: archives.flatMap((archive) => archive.comparison.problems),
			sampled: archives[0]?.comparison.sampled ?? 0,
		},
		goals: archives.flatMap((archive) =>
			archive.goals.map((goal) => ({ ...goal, text: label(archive, goal.text) })),
		),
		problems: archives.flatMap((archive) =>
			archive.problems.map((problem) => label(archive, problem)),
		),
		figures: archives.flatMap((archive) =>
			archive.figures.map((entry) => ({ ...entry, name: label(archive, entry.name) })),
		),
	};
}

/** The three pipelines on one kind of archive of the same media, with their output checked. */
async function measureArchive(setup, archive, { media, warmupMedia, workload }, options, log) {
	log(`== ${archive.key} archive: ${archive.method}`);
	const ids = media.map((item) => item.id);
	const warmupIds = warmupMedia.map((item) => item.id);
	const results = [];
	results.push(
		await runN8nPipeline(setup, {
			key: 'download',
			workflow: downloadWorkflow('bench: Shared Gallery Download', ids, setup.credential),
			warmup: downloadWorkflow('bench: warm-up Download', warmupIds, setup.credential),
			nodeNames: ['Wix Shared Gallery'],
			log,
		}),
	);
	const downloadUrl = async (itemIds) =>
		(await setup.wix('POST', '/shared-gallery/v1/items/download-url', { itemIds })).url;
	results.push(
		await runN8nPipeline(setup, {
			key: 'builtin',
			workflow: builtinWorkflow('bench: HTTP Request + Compression', await downloadUrl(ids)),
			warmup: builtinWorkflow(
				'bench: warm-up HTTP Request + Compression',
				await downloadUrl(warmupIds),
			),
			nodeNames: ['HTTP Request', 'Compression'],
			log,
		}),
	);
	results.push(await runUnzip(setup, ids, log));

	log('== checking that the pipelines produced the same files (sha256 of every file)');
	for (const result of results) if (result.status === 'success') await hashFiles(setup, result);
	const comparison = await compareOutputs(setup, media, results);
	const unzipDir = results.find((result) => result.key === 'unzip')?.dir;
	if (unzipDir && !options.keep) rmSync(unzipDir, { recursive: true, force: true });

	const byKey = Object.fromEntries(results.map((result) => [result.key, result]));
	const ok = (key) => (byKey[key]?.status === 'success' ? byKey[key] : undefined);
	const summaries = results.map(({ files, dir: _dir, ...rest }) => ({
		...rest,
		files: files?.length ?? 0,
		ratios: {
			wallVsBuiltin: ok('builtin') ? ratio(rest.wallMs, byKey.builtin.wallMs) : null,
			wallVsUnzip: ok('unzip') ? ratio(rest.wallMs, byKey.unzip.wallMs) : null,
			peakVsBuiltin: ok('builtin') ? ratio(rest.peakBytes, byKey.builtin.peakBytes) : null,
			peakVsUnzip: ok('unzip') ? ratio(rest.peakBytes, byKey.unzip.peakBytes) : null,
		},
	}));

	// The built-in pipeline hitting memory or its own size limits is what the benchmark is there to show.
	const builtinFailedInCompression =
		byKey.builtin.status === 'crashed' || byKey.builtin.error?.node === 'Compression';
	const problems = [
		...comparison.problems,
		...[
			byKey.download.status !== 'success' && PIPELINES.download,
			byKey.builtin.status !== 'success' && !builtinFailedInCompression && PIPELINES.builtin,
			byKey.unzip.status !== 'success' && PIPELINES.unzip,
		]
			.filter(Boolean)
			.map((name) => `${name} failed: ${results.find((r) => r.name === name)?.error?.message}`),
	];

	const download = ok('download');
	const builtin = ok('builtin');
	const unzip = ok('unzip');
	const growth = download && download.peakBytes - download.baselineBytes;
	const goals = [
		{
			text: `wall time ${formatSeconds(download?.wallMs)} vs built-in ${builtin ? formatSeconds(builtin.wallMs) : `n/a (${byKey.builtin.status})`} — faster than the built-in pipeline: ${builtin ? (download && download.wallMs < builtin.wallMs ? 'yes' : 'no') : download ? 'yes (the built-in pipeline did not finish)' : 'no'}`,
			met: builtin ? Boolean(download && download.wallMs < builtin.wallMs) : Boolean(download),
		},
		{
			text: `peak RSS growth +${formatMb(growth)} for a ${formatMb(workload.totalBytes)} archive (${download ? ((growth / workload.totalBytes) * 100).toFixed(1) : 'n/a'} % of it) — memory that does not grow with the archive (growth under a quarter of it): ${download && growth < workload.totalBytes / 4 ? 'yes' : 'no'}`,
			met: Boolean(download && growth < workload.totalBytes / 4),
		},
	];
	return {
		key: archive.key,
		method: archive.method,
		archiveBytes: byKey.unzip?.archiveBytes,
		results: summaries,
		comparison,
		goals,
		problems,
		figures: [
			figure(
				'Download wall time vs HTTP Request + Compression',
				download?.wallMs,
				formatSeconds,
				builtin?.wallMs,
				PIPELINES.builtin,
			),
			figure(
				'Download wall time vs curl + unzip',
				download?.wallMs,
				formatSeconds,
				unzip?.wallMs,
				PIPELINES.unzip,
			),
			figure(
				'Download peak RSS vs HTTP Request + Compression',
				download?.peakBytes,
				formatMb,
				builtin?.peakBytes,
				PIPELINES.builtin,
			),
			figure(
				'Download peak RSS vs unzip',
				download?.peakBytes,
				formatMb,
				unzip?.peakBytes,
				'unzip',
			),
		],
	};
}

export function format(report) {
	const lines = [sectionHeader(report)];
	for (const archive of report.archives) {
		lines.push(
			'',
			`${archive.key} archive (${archive.method}), ${formatMb(archive.archiveBytes)}:`,
		);
		lines.push(...formatArchive(archive, report.workload));
	}
	lines.push(
		`peak RSS: VmHWM of the n8n process (reset through /proc/<pid>/clear_refs before the run, fresh n8n per pipeline, warmed up), ` +
			`of unzip from /usr/bin/time -v; growth: peak minus the idle RSS just before the run.`,
	);
	for (const goal of report.goals) lines.push(`goal: ${goal.text}`);
	return lines.join('\n');
}

function formatArchive(report, workload) {
	const builtin = report.results.find((result) => result.key === 'builtin');
	const unzip = report.results.find((result) => result.key === 'unzip');
	const builtinOk = builtin?.status === 'success';
	const unzipOk = unzip?.status === 'success';
	const rows = [
		[
			'pipeline',
			'wall time',
			'vs built-in',
			'vs unzip',
			'peak RSS',
			'growth',
			'vs built-in',
			'vs unzip',
			'output',
		],
	];
	for (const result of report.results) {
		const ok = result.status === 'success';
		const growth =
			result.baselineBytes !== undefined && result.peakBytes !== undefined
				? result.peakBytes - result.baselineBytes
				: undefined;
		rows.push([
			result.name,
			ok ? formatSeconds(result.wallMs) : `FAILED (${result.status})`,
			ok && builtinOk ? formatRatio(result.ratios.wallVsBuiltin) : 'n/a',
			ok && unzipOk ? formatRatio(result.ratios.wallVsUnzip) : 'n/a',
			formatMb(result.peakBytes),
			growth === undefined ? '' : `+${formatMb(growth)}`,
			builtinOk ? formatRatio(result.ratios.peakVsBuiltin) : 'n/a',
			unzipOk ? formatRatio(result.ratios.peakVsUnzip) : 'n/a',
			ok
				? result.key === 'builtin'
					? `${result.files} files in ${result.outputItems} item`
					: `${result.files} ${result.key === 'unzip' ? 'files on disk' : 'items'}`
				: '',
		]);
	}
	const lines = [table(rows), ''];
	for (const result of report.results) {
		const details = [];
		if (result.nodeTimesMs && Object.keys(result.nodeTimesMs).length)
			details.push(
				`node times ${Object.entries(result.nodeTimesMs)
					.map(([node, ms]) => `${node} ${formatSeconds(ms)}`)
					.join(', ')}`,
			);
		if (result.stepsMs)
			details.push(
				`curl ${formatSeconds(result.stepsMs.curl)}, unzip ${formatSeconds(result.stepsMs.unzip)}`,
			);
		if (result.curlPeakBytes) details.push(`curl peak RSS ${formatMb(result.curlPeakBytes)}`);
		if (result.baselineBytes) details.push(`idle RSS before ${formatMb(result.baselineBytes)}`);
		const others = (result.processes ?? []).filter((entry) => entry.role !== 'n8n');
		for (const other of others) details.push(`${other.role} peak ${formatMb(other.peakBytes)}`);
		if (result.error)
			details.push(
				`error${result.error.node ? ` in ${result.error.node}` : ''}: ${result.error.message}`,
			);
		lines.push(`${result.name}: ${details.join('; ')}`);
	}
	lines.push(
		report.comparison.problems.length === 0
			? `outputs: identical — ${report.results.filter((result) => result.status === 'success').length} pipelines, ` +
					`${workload.files} files each, same names, sizes and sha256; ${report.comparison.sampled} checked against the sandbox's own checksums`
			: `outputs DIFFER:\n  ${report.comparison.problems.slice(0, 20).join('\n  ')}`,
	);
	return lines;
}
