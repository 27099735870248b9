/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run in plain Node, never inside n8n */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

import type {
	IBinaryData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	ZipError,
	entryBaseName,
	entryToBinary,
	mimeTypeFromFileName,
	readZip,
} from '../../nodes/shared/zip';
import type { ZipEntry } from '../../nodes/shared/zip';
import { pngImage } from '../../sandbox/src/lib/mediaBytes';
import { brokenArchive, zipReadable, zipToBuffer } from '../../sandbox/src/lib/zipWriter';
import type { ZipEntry as WriterEntry } from '../../sandbox/src/lib/zipWriter';
import { HarnessNodeTypes, ensureN8nCore, readBinaryData, runNode } from '../harness';

const MB = 1024 * 1024;

/** 1 MiB blocks that differ by their first word: incompressible enough, deterministic, cheap to make. */
const BLOCK = Buffer.from(Array.from({ length: MB }, (_, index) => (index * 2654435761) >>> 24));
async function* bigContent(size: number): AsyncGenerator<Buffer> {
	for (let offset = 0; offset < size; offset += MB) {
		const chunk = Buffer.from(BLOCK.subarray(0, Math.min(MB, size - offset)));
		chunk.writeUInt32LE(offset / MB, 0);
		yield chunk;
	}
}

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of source) hash.update(chunk);
	return hash.digest('hex');
}

const SMALL_PNG = pngImage({ width: 32, height: 24, seed: 9 });

/** The archives the test server streams, built on the fly like the sandbox's Shared Gallery does. */
function archiveEntries(kind: string, bigSize: number): WriterEntry[] {
	if (kind === 'big') {
		return [
			{ name: 'photos/small.png', bytes: SMALL_PNG, method: 'store' },
			{
				name: 'videos/long-take.mp4',
				size: bigSize,
				stream: () => bigContent(bigSize),
				method: 'store',
			},
		];
	}
	return [
		{ name: 'a.png', bytes: SMALL_PNG },
		{ name: 'notes/readme.TXT', bytes: Buffer.from('hello\n'.repeat(100)) },
		{ name: 'clip.unknownext', bytes: Buffer.from('data') },
	];
}

let server: ReturnType<typeof createServer>;
let baseUrl = '';

beforeAll(async () => {
	server = createServer((request, response) => {
		const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
		const kind = query.get('kind') ?? 'small';
		response.writeHead(200, { 'content-type': 'application/zip' });
		const body =
			kind === 'bad-crc'
				? Readable.from(brokenArchive('bad-crc'))
				: zipReadable(archiveEntries(kind, Number(query.get('size') ?? 0)), {
						dataDescriptor: true,
					});
		void pipeline(body, response).catch(() => response.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

/**
 * A node doing what the Shared Gallery's Download does with an archive: download it as a stream, read it with
 * readZip, store each file with entryToBinary, and output the items only once the whole archive checked out.
 * `source: 'iterable'` hides that the download is a Node stream, to exercise the async-iterable path.
 */
class ZipToBinaryNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zip To Binary (test)',
		name: 'zipToBinary',
		group: ['transform'],
		version: 1,
		description: 'Unpacks a downloaded zip into binary items',
		defaults: { name: 'Zip To Binary' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Source', name: 'source', type: 'string', default: 'stream' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const source = this.getNodeParameter('source', 0) as string;
		const response = (await this.helpers.httpRequest({
			url,
			encoding: 'stream',
		})) as AsyncIterable<Uint8Array>;
		const archive =
			source === 'iterable'
				? (async function* () {
						yield* response;
					})()
				: response;
		const items: INodeExecutionData[] = [];
		try {
			for await (const entry of readZip(archive)) {
				const binary = await entryToBinary.call(this, entry);
				items.push({
					json: {
						name: entry.name,
						size: entry.uncompressedSize,
						dataIsStream: typeof (entry.data as { pipe?: unknown }).pipe === 'function',
					},
					binary: { data: binary },
					pairedItem: { item: 0 },
				});
			}
		} catch (error) {
			const zipError = error as ZipError;
			throw new NodeOperationError(this.getNode(), zipError.message, {
				description: `code ${zipError.code}`,
			});
		}
		return [items];
	}
}

const nodeTypes = new HarnessNodeTypes().add('test.zipToBinary', new ZipToBinaryNode());

async function runZipToBinary(kind: string, source: 'stream' | 'iterable', size = 0) {
	return await runNode({
		type: 'test.zipToBinary',
		nodeTypes,
		parameters: { url: `${baseUrl}/archive?kind=${kind}&size=${size}`, source },
	});
}

describe('entryToBinary in an n8n execution (filesystem binary data)', () => {
	it.each(['stream', 'iterable'] as const)(
		'stores each file with its name, MIME type and bytes (%s source)',
		async (source) => {
			const result = await runZipToBinary('small', source);
			expect(result.nodeFailure).toBeUndefined();
			const files = await Promise.all(
				result.items.map(async (item) => {
					const binary = item.binary?.data as IBinaryData;
					return {
						json: item.json,
						fileName: binary.fileName,
						mimeType: binary.mimeType,
						storedOnDisk: binary.id?.startsWith('filesystem') ?? false,
						bytes: (await readBinaryData(binary)).toString('base64'),
					};
				}),
			);
			const dataIsStream = source === 'stream';
			expect(files).toEqual([
				{
					json: { name: 'a.png', size: SMALL_PNG.length, dataIsStream },
					fileName: 'a.png',
					mimeType: 'image/png',
					storedOnDisk: true,
					bytes: SMALL_PNG.toString('base64'),
				},
				{
					json: { name: 'notes/readme.TXT', size: 600, dataIsStream },
					fileName: 'readme.TXT',
					mimeType: 'text/plain',
					storedOnDisk: true,
					bytes: Buffer.from('hello\n'.repeat(100)).toString('base64'),
				},
				{
					json: { name: 'clip.unknownext', size: 4, dataIsStream },
					fileName: 'clip.unknownext',
					mimeType: 'application/octet-stream',
					storedOnDisk: true,
					bytes: Buffer.from('data').toString('base64'),
				},
			]);
		},
	);

	it('fails the node on a damaged entry and leaves no partial file behind', async () => {
		const { binaryDataDir } = await ensureN8nCore();
		const result = await runZipToBinary('bad-crc', 'stream');
		expect(result.nodeFailure).toMatchObject({ description: 'code CRC_MISMATCH' });
		expect(result.items).toEqual([]);
		const leftovers: string[] = [];
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				if (entry.isDirectory()) walk(path.join(dir, entry.name));
				else if (entry.name.includes('.tmp.')) leftovers.push(entry.name);
			}
		};
		walk(binaryDataDir);
		expect(leftovers).toEqual([]);
	});

	// The Node-stream path is what the Shared Gallery node uses (200 MB); the plain-iterable path is the fallback.
	it.each([
		['stream', 200 * MB + 17],
		['iterable', 64 * MB + 17],
	] as const)(
		'writes an entry to disk without the heap growing by its size (%s source, %d bytes)',
		async (source, bigSize) => {
			v8.setFlagsFromString('--expose-gc');
			const gc = vm.runInNewContext('gc') as () => void;
			await ensureN8nCore();
			gc();
			const baseline = process.memoryUsage();
			let liveGrowth = 0;
			let rssGrowth = 0;
			const sampler = setInterval(() => {
				gc();
				const now = process.memoryUsage();
				liveGrowth = Math.max(
					liveGrowth,
					now.heapUsed + now.arrayBuffers - baseline.heapUsed - baseline.arrayBuffers,
				);
				rssGrowth = Math.max(rssGrowth, now.rss - baseline.rss);
			}, 250);
			const result = await runZipToBinary('big', source, bigSize).finally(() =>
				clearInterval(sampler),
			);
			expect(result.nodeFailure).toBeUndefined();
			expect(result.items.map((item) => item.json)).toEqual([
				{ name: 'photos/small.png', size: SMALL_PNG.length, dataIsStream: source === 'stream' },
				{ name: 'videos/long-take.mp4', size: bigSize, dataIsStream: source === 'stream' },
			]);
			const video = result.items[1].binary?.data as IBinaryData;
			expect({ fileName: video.fileName, mimeType: video.mimeType, bytes: video.bytes }).toEqual({
				fileName: 'long-take.mp4',
				mimeType: 'video/mp4',
				bytes: bigSize,
			});
			const { binaryDataService } = await ensureN8nCore();
			const stored = await binaryDataService.getAsStream(video.id as string);
			expect(await sha256Of(stored)).toBe(await sha256Of(bigContent(bigSize)));
			// A buffered entry would keep at least its whole size alive, so growth must stay well under it. A streamed
			// one keeps a few chunks (about 4 MB live and 10 to 50 MB RSS on an idle machine); with other test workers
			// loading the machine, collection lags and up to 40 MB (200 MB entry) or 25 MB (64 MB entry) was seen.
			expect(liveGrowth).toBeLessThan(bigSize / 2);
			expect(rssGrowth).toBeLessThan(bigSize);
		},
	);
});

describe('entryToBinary against stores that need a real stream', () => {
	async function oneEntry(): Promise<{ entry: ZipEntry; finish: () => Promise<void> }> {
		const archive = await zipToBuffer([{ name: 'dir/pic.jpg', bytes: Buffer.from('jpeg bytes') }]);
		const iterator = readZip(
			(async function* () {
				yield archive;
			})(),
		)[Symbol.asyncIterator]();
		const first = await iterator.next();
		return {
			entry: first.value as ZipEntry,
			finish: async () => {
				expect((await iterator.next()).done).toBe(true);
			},
		};
	}

	function contextWith(
		prepareBinaryData: (
			data: unknown,
			fileName?: string,
			mimeType?: string,
		) => Promise<IBinaryData>,
	) {
		return { helpers: { prepareBinaryData } } as unknown as IExecuteFunctions;
	}

	it('gathers one entry into a Buffer when the store refuses an iterable before reading it', async () => {
		const { entry, finish } = await oneEntry();
		const calls: string[] = [];
		const context = contextWith(async (data, fileName, mimeType) => {
			if (!Buffer.isBuffer(data)) {
				calls.push('iterable');
				// What n8n's buffering stores (S3, database) do first with a stream.
				(data as { on: (event: string) => void }).on('data');
			}
			calls.push(`buffer:${(data as Buffer).toString()}`);
			return { data: '', mimeType: mimeType ?? '', fileName };
		});
		const binary = await entryToBinary.call(context, entry);
		expect(calls).toEqual(['iterable', 'buffer:jpeg bytes']);
		expect(binary).toMatchObject({ fileName: 'pic.jpg', mimeType: 'image/jpeg' });
		await finish();
	});

	it('does not retry once the store has started reading, and passes the failure on', async () => {
		const { entry } = await oneEntry();
		let attempts = 0;
		const context = contextWith(async (data) => {
			attempts++;
			for await (const chunk of data as AsyncIterable<Uint8Array>) void chunk;
			throw new Error('disk full');
		});
		await expect(
			entryToBinary.call(context, entry, { fileName: 'x.bin', mimeType: 'application/x-test' }),
		).rejects.toThrow('disk full');
		expect(attempts).toBe(1);
	});
});

describe('mimeTypeFromFileName and entryBaseName', () => {
	it.each([
		['photo.JPG', 'image/jpeg'],
		['a/b/c.jpeg', 'image/jpeg'],
		['x.png', 'image/png'],
		['x.webp', 'image/webp'],
		['x.heic', 'image/heic'],
		['x.gif', 'image/gif'],
		['x.svg', 'image/svg+xml'],
		['clip.mp4', 'video/mp4'],
		['clip.MOV', 'video/quicktime'],
		['clip.webm', 'video/webm'],
		['song.mp3', 'audio/mpeg'],
		['song.wav', 'audio/wav'],
		['doc.pdf', 'application/pdf'],
		['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
		['notes.txt', 'text/plain'],
		['archive.tar.gz', 'application/gzip'],
		['noextension', 'application/octet-stream'],
		['.hidden', 'application/octet-stream'],
		['weird.unknown', 'application/octet-stream'],
		['constructor', 'application/octet-stream'],
		['x.constructor', 'application/octet-stream'],
	])('%s → %s', (name, mimeType) => {
		expect(mimeTypeFromFileName(name)).toBe(mimeType);
	});

	it('takes the last path segment', () => {
		expect(entryBaseName('photos/2024/a.png')).toBe('a.png');
		expect(entryBaseName('a.png')).toBe('a.png');
		expect(entryBaseName('dir\\b.png')).toBe('b.png');
	});
});
