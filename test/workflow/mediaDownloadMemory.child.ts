/**
 * Run by mediaDownloadMemory.test.ts in a node process of its own (test/support/childProcess.ts): Wix Pro Gallery →
 * Item → Get Many with Download Media over a gallery of `count` video items of `size` bytes each, served by a
 * stand-in for Wix in this process. The stand-in sends each file with backpressure (it holds one chunk at a time) and
 * checks every 16 MiB sent that the memory the process keeps reachable has not grown by more than `budget` bytes
 * (reachableMemory.ts). As a control, `hold` keeps a copy of every chunk sent, as a node that buffered the files
 * would.
 *
 * Arguments: <count> <size> <budget bytes> <hold: none|buffer>
 * Reports: the node's failure, the output files' names and SHA-256 (read back from n8n's binary store) against what
 * was sent, and the memory figures.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test child process, never inside n8n */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ensureN8nCore, runNode } from '../support/harness';
import { reportToParent } from '../support/childProcess';
import { reachableMemoryProbe } from '../support/reachableMemory';

export interface MediaDownloadMemoryResult {
	nodeFailure?: string;
	files: Array<{ fileName?: string; mimeType?: string; bytes?: number; sha256: string }>;
	sentSha256: string[];
	sentBytes: number;
	peakGrowth: number;
	checkpoints: number;
}

const MB = 1024 * 1024;
const CHECK_EVERY = 16 * MB;
const GALLERY_ID = '11111111-2222-4333-8444-555555555555';

/** Deterministic bytes of file `seed`, produced chunk by chunk so that the producer holds no more than one chunk. */
function* content(size: number, seed: number): Generator<Buffer> {
	const chunk = 256 * 1024;
	for (let offset = 0; offset < size; offset += chunk) {
		const length = Math.min(chunk, size - offset);
		const bytes = Buffer.alloc(length);
		for (let index = 0; index < length; index++)
			bytes[index] = ((offset + index) * 31 + seed) >>> 3;
		yield bytes;
	}
}

async function main(): Promise<void> {
	const [countText, sizeText, budgetText, hold] = process.argv.slice(2);
	const count = Number(countText);
	const probe = reachableMemoryProbe(Number(budgetText));
	let fileSize = Number(sizeText);
	let sentBytes = 0;
	let nextCheck = CHECK_EVERY;
	const held: Buffer[] = [];

	const send = (response: ServerResponse, seed: number) => {
		response.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(fileSize) });
		const chunks = content(fileSize, seed);
		const pump = () => {
			for (;;) {
				const next = chunks.next();
				if (next.done) {
					response.end();
					return;
				}
				if (hold === 'buffer') held.push(next.value);
				sentBytes += next.value.length;
				if (sentBytes >= nextCheck) {
					nextCheck += CHECK_EVERY;
					probe.checkpoint(`${Math.floor(sentBytes / MB)} MiB sent`);
				}
				if (!response.write(next.value)) {
					response.once('drain', pump);
					return;
				}
			}
		};
		pump();
	};
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://host');
		const media = /^\/media\/clip-(\d+)$/.exec(url.pathname);
		if (media) {
			send(response, Number(media[1]));
			return;
		}
		if (url.pathname === `/progallery/v2/galleries/${GALLERY_ID}/items`) {
			const first = url.searchParams.get('itemOffset') === '0';
			const items = Array.from({ length: first ? count : 0 }, (_, index) => ({
				id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
				type: 'VIDEO',
				video: {
					type: 'WIX_MEDIA',
					videoInfo: {
						id: `clip-${index}`,
						url: `http://127.0.0.1:${port()}/media/clip-${index}`,
						filename: `clip-${index}.mp4`,
					},
				},
			}));
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ items }));
			return;
		}
		response.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = () => (server.address() as AddressInfo).port;
	const getMany = async () =>
		await runNode({
			type: 'wixProGallery',
			parameters: {
				resource: 'item',
				operation: 'getAll',
				galleryId: { __rl: true, mode: 'id', value: GALLERY_ID },
				returnAll: true,
				downloadMedia: true,
			},
			credentials: {
				wixGalleryApi: {
					apiKey: 'key',
					siteId: '00000000-0000-4000-8000-000000000001',
					baseUrl: `http://127.0.0.1:${port()}`,
				},
			},
		});
	try {
		const { binaryDataService } = await ensureN8nCore();
		// A warm-up run loads the code and fills the caches any run needs, so the baseline holds them.
		const requestedSize = fileSize;
		fileSize = MB + 17;
		const warmUp = await getMany();
		if (warmUp.nodeFailure) throw new Error(`warm-up failed: ${warmUp.nodeFailure.message}`);
		fileSize = requestedSize;
		sentBytes = 0;
		nextCheck = CHECK_EVERY;
		held.length = 0;
		probe.baseline();
		const run = await getMany();
		const summary = probe.summary();
		const files: MediaDownloadMemoryResult['files'] = [];
		for (const item of run.items) {
			const binary = item.binary?.data;
			const hash = createHash('sha256');
			if (binary?.id) {
				for await (const chunk of await binaryDataService.getAsStream(binary.id))
					hash.update(chunk);
			}
			files.push({
				fileName: binary?.fileName,
				mimeType: binary?.mimeType,
				bytes: binary?.bytes,
				sha256: hash.digest('hex'),
			});
		}
		const sentSha256 = Array.from({ length: count }, (_, seed) => {
			const hash = createHash('sha256');
			for (const chunk of content(fileSize, seed)) hash.update(chunk);
			return hash.digest('hex');
		});
		reportToParent({
			nodeFailure: run.nodeFailure?.message,
			files,
			sentSha256,
			sentBytes,
			...summary,
		} satisfies MediaDownloadMemoryResult);
	} finally {
		server.close();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
