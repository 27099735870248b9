/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run in plain Node, never inside n8n */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import {
	entryBaseName,
	entryToBinary,
	mimeTypeFromFileName,
	readZip,
} from '../../nodes/WixSharedGallery/zip';
import type { ZipEntry } from '../../nodes/WixSharedGallery/zip';
import { zipToBuffer } from '../../sandbox/src';
import { ensureN8nCore, readBinaryData } from '../support/harness';
import { runTsChild } from '../support/childProcess';
import { OVER_BUDGET_EXIT_CODE } from '../support/reachableMemory';
import type { OverBudgetReport } from '../support/reachableMemory';
import type { ZipBinaryChildResult } from './zipBinary.child';
import { MB, SMALL_PNG, runZipToBinary, startArchiveServer } from '../support/zipBinary';
import type { ArchiveServer } from '../support/zipBinary';

let server: ArchiveServer;

beforeAll(async () => {
	server = await startArchiveServer();
});

afterAll(async () => {
	await server.close();
});

describe('entryToBinary in an n8n execution (filesystem binary data)', () => {
	it.each(['stream', 'iterable'] as const)(
		'stores each file with its name, MIME type and bytes (%s source)',
		async (source) => {
			const result = await runZipToBinary(server.baseUrl, 'small', source);
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
		const result = await runZipToBinary(server.baseUrl, 'bad-crc', 'stream');
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
});

/**
 * Memory: each case runs in a node process of its own (zipBinary.child.ts), away from jest's heap and the other
 * tests, with a V8 heap limit (HEAP_LIMIT_MB) well below the entry's size. At every 16 MiB of the entry the child
 * collects garbage fully and measures what is still reachable, heap and Buffers together; growth over a baseline
 * taken after a warm-up run must stay within BUDGET, an eighth of the smaller entry or less. Streaming keeps a few
 * chunks (about 3 MiB measured); a buffered entry holds all it has read, so it crosses the budget by the third
 * checkpoint. Both measures are taken at points of the entry's progress, not of time, so a busy machine changes
 * how long this takes, not what it finds. The two controls show each limit failing a buffering implementation.
 */
describe('entryToBinary in an n8n execution, memory measured in a process of its own', () => {
	const HEAP_LIMIT_MB = 96;
	const BUDGET = 32 * MB;
	const CHILD = path.join(__dirname, 'zipBinary.child.ts');
	// Far more than the few tens of seconds a run takes on a busy two-core machine: a ceiling for a hung child.
	const KILL_AFTER_MS = 240_000;
	const TEST_TIMEOUT_MS = 300_000;

	function runChild(
		source: 'stream' | 'iterable',
		size: number,
		store: 'entryToBinary' | 'gatherFirst' | 'gatherAsText',
		budget = BUDGET,
	) {
		return runTsChild<ZipBinaryChildResult | OverBudgetReport>(
			CHILD,
			[source, String(size), String(budget), store],
			{ nodeFlags: [`--max-old-space-size=${HEAP_LIMIT_MB}`], killAfterMs: KILL_AFTER_MS },
		);
	}

	// The Node-stream path is what the Shared Gallery node uses (archives of hundreds of MB); the plain-iterable
	// path is the fallback.
	it.each([
		['stream', 192 * MB + 17],
		['iterable', 128 * MB + 17],
	] as const)(
		'writes an entry to disk without the memory it keeps growing with its size (%s source, %d bytes)',
		async (source, bigSize) => {
			const run = await runChild(source, bigSize, 'entryToBinary');
			expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
				code: 0,
				signal: null,
				stderr: '',
			});
			const result = run.result as ZipBinaryChildResult;
			expect(result.nodeFailure).toBeUndefined();
			expect(result.items).toEqual([
				{ name: 'photos/small.png', size: SMALL_PNG.length, dataIsStream: source === 'stream' },
				{ name: 'videos/long-take.mp4', size: bigSize, dataIsStream: source === 'stream' },
			]);
			expect(result.video).toEqual({
				fileName: 'long-take.mp4',
				mimeType: 'video/mp4',
				bytes: bigSize,
				storedOnDisk: true,
			});
			expect(result.storedSha256).toBe(result.expectedSha256);
			// One checkpoint per 16 MiB of the entry, plus one at the end: the measure ran all along.
			expect(result.checkpoints).toBe(Math.floor((bigSize - 1) / (16 * MB)) + 1);
			expect(result.peakGrowth).toBeLessThan(BUDGET);
		},
		TEST_TIMEOUT_MS,
	);

	it(
		'control: an implementation that gathers the entry into one Buffer crosses the budget and the child fails',
		async () => {
			const run = await runChild('stream', 192 * MB + 17, 'gatherFirst');
			expect(run.code).toBe(OVER_BUDGET_EXIT_CODE);
			expect(run.result).toMatchObject({ overBudget: true, budgetBytes: BUDGET });
			// A Buffer lives outside the V8 heap: the heap limit alone would not have stopped this one.
			expect(run.outOfMemory).toBe(false);
		},
		TEST_TIMEOUT_MS,
	);

	it(
		'control: an implementation that gathers the entry on the V8 heap runs out of heap even unmeasured',
		async () => {
			const run = await runChild('stream', 192 * MB + 17, 'gatherAsText', Infinity);
			expect(run.code).not.toBe(0);
			expect(run.outOfMemory).toBe(true);
			expect(run.result).toBeUndefined();
		},
		TEST_TIMEOUT_MS,
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
