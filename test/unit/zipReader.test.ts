/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tests run in plain Node, never inside n8n, and compare with Info-ZIP */
import AdmZip from 'adm-zip';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import {
	DEFAULT_ZIP_LIMITS,
	ZipError,
	crc32,
	decodeCp437,
	readZip,
} from '../../nodes/WixSharedGallery/zip';
import { CRC32_BACKEND, crc32Js } from '../../nodes/WixSharedGallery/zip/crc32';
import type { ZipEntry, ZipErrorCode, ZipLimits } from '../../nodes/WixSharedGallery/zip';
import { BROKEN_ARCHIVE_KINDS, brokenArchive, pngImage, zipToBuffer } from '../../sandbox/src';
import type { BrokenArchiveKind, ZipOptions } from '../../sandbox/src';
import { runTsChild } from '../support/childProcess';
import { OVER_BUDGET_EXIT_CODE } from '../support/reachableMemory';
import type { OverBudgetReport } from '../support/reachableMemory';
import { ARCHIVE_ENTRIES } from './zipReader.child';
import type { ZipReaderChildResult } from './zipReader.child';

const MB = 1024 * 1024;
const assets = path.join(__dirname, '..', '..', 'sandbox', 'assets');
const workDir = mkdtempSync(path.join(tmpdir(), 'zip-reader-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Deterministic bytes that deflate cannot shrink. */
function noise(size: number, seed: number): Buffer {
	const bytes = Buffer.alloc(size);
	let state = seed >>> 0 || 1;
	for (let index = 0; index < size; index++) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		bytes[index] = state & 0xff;
	}
	return bytes;
}

/** The media a gallery download holds, plus the edge cases: empty, compressible text, nested and non-ASCII names. */
const FILES: Array<{ name: string; bytes: Buffer }> = [
	{ name: 'photos/a.png', bytes: pngImage({ width: 64, height: 48, seed: 1 }) },
	{ name: 'sample.jpg', bytes: readFileSync(path.join(assets, 'sample.jpg')) },
	{ name: 'clips/sample.mp4', bytes: readFileSync(path.join(assets, 'sample.mp4')) },
	{ name: 'notes/ünïcødé – Ελληνικά.txt', bytes: Buffer.from('caption line\n'.repeat(4000)) },
	{ name: 'empty.txt', bytes: Buffer.alloc(0) },
	{ name: 'noise.bin', bytes: noise(300_000, 7) },
];
const EXPECTED = FILES.map(({ name, bytes }) => ({
	name,
	size: bytes.length,
	sha256: sha256(bytes),
}));

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
	for (let offset = 0; offset < bytes.length; offset += size) {
		yield bytes.subarray(offset, offset + size);
	}
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const part of source) parts.push(part);
	return Buffer.concat(parts);
}

interface ReadFile {
	name: string;
	size: number;
	sha256: string;
}

async function readAll(
	archive: Buffer | AsyncIterable<Uint8Array>,
	options: { chunkSize?: number; limits?: Partial<ZipLimits> } = {},
): Promise<ReadFile[]> {
	const source = Buffer.isBuffer(archive)
		? chunksOf(archive, options.chunkSize ?? 64 * 1024)
		: archive;
	const files: ReadFile[] = [];
	for await (const entry of readZip(source, options.limits)) {
		const hash = createHash('sha256');
		let size = 0;
		for await (const chunk of entry.data) {
			hash.update(chunk);
			size += chunk.length;
		}
		expect(entry.uncompressedSize).toBe(size);
		files.push({ name: entry.name, size, sha256: hash.digest('hex') });
	}
	return files;
}

async function zipErrorOf(promise: Promise<unknown>): Promise<ZipError> {
	const error = await promise.then(
		() => undefined,
		(failure: unknown) => failure,
	);
	expect(error).toBeInstanceOf(ZipError);
	return error as ZipError;
}

function admZipFiles(archive: Buffer): ReadFile[] {
	return new AdmZip(archive)
		.getEntries()
		.filter((entry) => !entry.isDirectory)
		.map((entry) => {
			const bytes = entry.getData();
			return { name: entry.entryName, size: bytes.length, sha256: sha256(bytes) };
		});
}

let unzipRun = 0;
/** Extracts with Info-ZIP unzip and lists the files it wrote (directories are implied by paths). */
function unzipFiles(archive: Buffer): ReadFile[] {
	const run = path.join(workDir, `unzip-${++unzipRun}`);
	mkdirSync(run);
	const zipPath = path.join(run, 'archive.zip');
	const outDir = path.join(run, 'out');
	writeFileSync(zipPath, archive);
	execFileSync('/usr/bin/unzip', ['-qq', '-o', zipPath, '-d', outDir], {
		env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
	});
	const files: ReadFile[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const full = path.join(dir, name);
			if (statSync(full).isDirectory()) walk(full);
			else {
				const bytes = readFileSync(full);
				const relative = path.relative(outDir, full).split(path.sep).join('/');
				files.push({ name: relative, size: bytes.length, sha256: sha256(bytes) });
			}
		}
	};
	walk(outDir);
	rmSync(run, { recursive: true, force: true });
	return files;
}

const byName = (files: ReadFile[]) => [...files].sort((a, b) => (a.name < b.name ? -1 : 1));

/** A directory holding FILES, with a fixed modification time, for Info-ZIP zip to archive. */
function filesOnDisk(): string {
	const dir = path.join(workDir, 'tree');
	rmSync(dir, { recursive: true, force: true });
	for (const { name, bytes } of FILES) {
		const full = path.join(dir, name);
		mkdirSync(path.dirname(full), { recursive: true });
		writeFileSync(full, bytes);
		utimesSync(full, new Date('2024-05-06T07:08:10Z'), new Date('2024-05-06T07:08:10Z'));
	}
	return dir;
}

function infoZip(args: string[], options: { stdin?: Buffer; pipe?: boolean } = {}): Buffer {
	const dir = filesOnDisk();
	// Piping stdout through a shell pipe makes it unseekable, which is what makes zip write data descriptors.
	const result = options.pipe
		? spawnSync('/bin/sh', ['-c', `/usr/bin/zip ${args.join(' ')} | cat`], {
				cwd: dir,
				input: options.stdin,
				maxBuffer: 64 * MB,
			})
		: spawnSync('/usr/bin/zip', args, { cwd: dir, input: options.stdin, maxBuffer: 64 * MB });
	if (result.status !== 0) throw new Error(`zip failed: ${result.stderr.toString()}`);
	if (options.pipe) return result.stdout;
	const archive = readFileSync(path.join(dir, 'out.zip'));
	return archive;
}

/**
 * Local-header flags of every entry, to prove which archive features a test really exercised. Found by looking for
 * each expected name right after a local header signature (adm-zip cannot parse every variant).
 */
function localFlags(
	archive: Buffer,
	names: string[] = FILES.map(({ name }) => name),
): Array<{ flags: number; method: number; zip64: boolean }> {
	const found: Array<{ flags: number; method: number; zip64: boolean }> = [];
	for (const name of names) {
		const nameBytes = Buffer.from(name);
		let offset = archive.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
		while (offset !== -1) {
			const nameLength = archive.readUInt16LE(offset + 26);
			if (archive.subarray(offset + 30, offset + 30 + nameLength).equals(nameBytes)) break;
			offset = archive.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), offset + 4);
		}
		if (offset === -1) throw new Error(`no local header for ${name}`);
		const extraLength = archive.readUInt16LE(offset + 28);
		const extraStart = offset + 30 + nameBytes.length;
		const extra = archive.subarray(extraStart, extraStart + extraLength);
		let zip64 = false;
		for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
			if (extra.readUInt16LE(at) === 1) zip64 = true;
		}
		found.push({
			flags: archive.readUInt16LE(offset + 6),
			method: archive.readUInt16LE(offset + 8),
			zip64,
		});
	}
	return found;
}

describe('crc32', () => {
	it('equals zlib.crc32 on every length around the 8-byte stride, and continues across chunks', () => {
		const bytes = noise(4096, 3);
		for (let length = 0; length < 40; length++) {
			expect(crc32(bytes.subarray(5, 5 + length))).toBe(zlib.crc32(bytes.subarray(5, 5 + length)));
		}
		expect(crc32(bytes.subarray(1000), crc32(bytes.subarray(0, 1000)))).toBe(zlib.crc32(bytes));
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
	});

	it('computes in WebAssembly here, equal to zlib and to the JavaScript loop on any length, offset and split', () => {
		expect(CRC32_BACKEND).toBe('wasm');
		const bytes = noise(3 * MB, 11);
		const lengths = [
			...Array.from({ length: 18 }, (_, length) => length),
			255,
			256,
			257,
			4099,
			MB - 1,
			MB,
			MB + 17,
			2 * MB + 5,
		];
		for (const length of lengths) {
			for (const start of [0, 1, 3, 7]) {
				const part = bytes.subarray(start, start + length);
				const reference = zlib.crc32(part);
				expect(crc32(part)).toBe(reference);
				expect(crc32Js(part)).toBe(reference);
			}
		}
		const part = bytes.subarray(0, 5000);
		for (let split = 0; split <= part.length; split += 7) {
			expect(crc32(part.subarray(split), crc32(part.subarray(0, split)))).toBe(zlib.crc32(part));
		}
		// Many chunk sizes in a row, crossing the module's 1 MiB input window and the short-input cut-over.
		let crc = 0;
		let offset = 0;
		for (let index = 0; offset < bytes.length; index++) {
			const size = [1, 255, 256, 65536, MB + 3, 17][index % 6];
			crc = crc32(bytes.subarray(offset, offset + size), crc);
			offset += size;
		}
		expect(crc).toBe(zlib.crc32(bytes));
	});
});

describe('decodeCp437', () => {
	it('maps all 128 upper code points', () => {
		const all = Buffer.from(Array.from({ length: 128 }, (_, index) => 0x80 + index));
		const text = decodeCp437(all);
		expect([...text]).toHaveLength(128);
		expect(text.slice(0, 4)).toBe('Çüéâ');
		expect(text.slice(-2)).toBe('■\u00a0');
	});
});

describe('readZip: archives from the sandbox writer', () => {
	const variants: Array<[string, ZipOptions]> = [
		['deflate', { method: 'deflate' }],
		['stored', { method: 'store' }],
		['deflate + data descriptors', { method: 'deflate', dataDescriptor: true }],
		[
			'stored + data descriptors (what the Shared Gallery serves)',
			{ method: 'store', dataDescriptor: true },
		],
		['deflate + ZIP64', { method: 'deflate', forceZip64: true }],
		['stored + ZIP64', { method: 'store', forceZip64: true }],
		['deflate + ZIP64 descriptors', { method: 'deflate', dataDescriptor: true, forceZip64: true }],
		['stored + ZIP64 descriptors', { method: 'store', dataDescriptor: true, forceZip64: true }],
	];

	it.each(variants)(
		'%s: same files as adm-zip and Info-ZIP unzip, whatever the chunking',
		async (_, options) => {
			const archive = await zipToBuffer(FILES, { ...options, comment: 'gallery export' });
			const expected = byName(EXPECTED);
			for (const chunkSize of [1021, 65536, archive.length]) {
				expect(byName(await readAll(archive, { chunkSize }))).toEqual(expected);
			}
			expect(byName(admZipFiles(archive))).toEqual(expected);
			expect(byName(unzipFiles(archive))).toEqual(expected);
			// Tiny chunks split every header, descriptor and signature somewhere; small files keep that quick.
			const small = FILES.filter(({ bytes }) => bytes.length < 60_000);
			const smallArchive = await zipToBuffer(small, options);
			expect(await readAll(smallArchive, { chunkSize: 3 })).toEqual(
				EXPECTED.filter(({ size }) => size < 60_000),
			);
		},
	);

	it('gives sizes, CRC, method and time up front when the local header has them, and after reading otherwise', async () => {
		const modified = new Date(2024, 4, 6, 7, 8, 10);
		const bytes = Buffer.from('x'.repeat(1000));
		const plain = await zipToBuffer([{ name: 'a.txt', bytes, modified }], { method: 'deflate' });
		const streamed = await zipToBuffer([{ name: 'a.txt', bytes, modified }], {
			method: 'deflate',
			dataDescriptor: true,
		});
		for (const [archive, upFront] of [
			[plain, true],
			[streamed, false],
		] as const) {
			const seen: Array<Partial<ZipEntry>> = [];
			for await (const entry of readZip(chunksOf(archive, 100))) {
				const before = {
					uncompressedSize: entry.uncompressedSize,
					crc32: entry.crc32,
					method: entry.method,
					modified: entry.modified,
				};
				for await (const chunk of entry.data) void chunk;
				seen.push(before, { uncompressedSize: entry.uncompressedSize, crc32: entry.crc32 });
			}
			const known = { uncompressedSize: 1000, crc32: zlib.crc32(bytes) };
			expect(seen[1]).toEqual(known);
			expect(seen[0]).toEqual(
				upFront
					? { ...known, method: 'deflate', modified }
					: { uncompressedSize: -1, crc32: -1, method: 'deflate', modified },
			);
		}
	});
});

describe('readZip: archives written by other tools', () => {
	it('reads what adm-zip writes, stored and deflated', async () => {
		const writer = new AdmZip();
		for (const { name, bytes } of FILES) writer.addFile(name, bytes);
		writer.addFile('folder/', Buffer.alloc(0));
		const archive = writer.toBuffer();
		expect(byName(await readAll(archive, { chunkSize: 1000 }))).toEqual(byName(EXPECTED));
		expect(byName(unzipFiles(archive))).toEqual(byName(EXPECTED));
		expect(new Set(localFlags(archive).map(({ method }) => method))).toEqual(new Set([0, 8]));
	});

	const infoZipVariants: Array<
		[
			string,
			string[],
			{ pipe?: boolean; othersFail?: boolean },
			(flags: ReturnType<typeof localFlags>) => boolean,
		]
	> = [
		[
			'zip -r',
			['-q', '-r', 'out.zip', '.'],
			{},
			(flags) => flags.every(({ flags: bits }) => (bits & 8) === 0),
		],
		[
			'zip -0 (stored)',
			['-q', '-0', '-r', 'out.zip', '.'],
			{},
			(flags) => flags.every(({ method }) => method === 0),
		],
		[
			'zip -fz (ZIP64)',
			['-q', '-fz', '-r', 'out.zip', '.'],
			{},
			(flags) => flags.some(({ zip64 }) => zip64),
		],
		[
			'zip - (streamed: data descriptors)',
			['-q', '-r', '-', '.'],
			{ pipe: true },
			(flags) => flags.some(({ flags: bits, method }) => (bits & 8) !== 0 && method === 8),
		],
		[
			'zip -0 - (streamed stored entries with data descriptors and zero sizes)',
			['-q', '-0', '-r', '-', '.'],
			{ pipe: true },
			(flags) => flags.some(({ flags: bits, method }) => (bits & 8) !== 0 && method === 0),
		],
		[
			'zip -fz - (streamed ZIP64)',
			['-q', '-fz', '-r', '-', '.'],
			{ pipe: true, othersFail: true },
			(flags) => flags.some(({ flags: bits, zip64 }) => (bits & 8) !== 0 && zip64),
		],
	];

	it.each(infoZipVariants)(
		'reads what Info-ZIP %s writes, same as adm-zip and unzip',
		async (_, args, options, exercised) => {
			const archive = infoZip(args, options);
			expect(exercised(localFlags(archive))).toBe(true);
			const expected = byName(EXPECTED);
			for (const chunkSize of [7, 65536]) {
				expect(byName(await readAll(archive, { chunkSize }))).toEqual(expected);
			}
			if (options.othersFail) {
				expect(() => admZipFiles(archive)).toThrow(/disk entries/);
				expect(() => unzipFiles(archive)).toThrow(/missing \d+ bytes/);
			} else {
				expect(byName(admZipFiles(archive))).toEqual(expected);
				expect(byName(unzipFiles(archive))).toEqual(expected);
			}
		},
	);

	it('reads a streamed stdin entry (ZIP64 descriptor, no size known up front) and Info-ZIP times', async () => {
		const bytes = noise(200_000, 11);
		const archive = infoZip(['-q', '-', '-'], { stdin: bytes, pipe: true });
		expect(localFlags(archive, ['-'])[0]).toMatchObject({ zip64: true });
		expect(await readAll(archive, { chunkSize: 333 })).toEqual([
			{ name: '-', size: bytes.length, sha256: sha256(bytes) },
		]);
		const timed = infoZip(['-q', 'out.zip', 'sample.jpg']);
		for await (const entry of readZip(chunksOf(timed, 4096))) {
			expect(entry.modified?.toISOString()).toBe('2024-05-06T07:08:10.000Z');
			for await (const chunk of entry.data) void chunk;
		}
	});

	it('refuses Info-ZIP password-protected and bzip2 archives', async () => {
		const encrypted = infoZip(['-q', '-P', 'secret', 'out.zip', 'sample.jpg']);
		expect((await zipErrorOf(readAll(encrypted))).code).toBe('ENCRYPTED');
		const bzip2 = infoZip(['-q', '-Z', 'bzip2', 'out.zip', 'sample.jpg']);
		expect(localFlags(bzip2, ['sample.jpg'])[0].method).toBe(12);
		const error = await zipErrorOf(readAll(bzip2));
		expect({ code: error.code, entryName: error.entryName }).toEqual({
			code: 'UNSUPPORTED',
			entryName: 'sample.jpg',
		});
	});
});

/** A minimal writer for what the other writers cannot make: CP437 names, unsigned data descriptors. */
function handMadeZip(
	entries: Array<{
		nameBytes: Buffer;
		bytes: Buffer;
		utf8?: boolean;
		descriptor?: 'signed' | 'unsigned';
	}>,
): Buffer {
	const parts: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const { nameBytes, bytes, utf8, descriptor } of entries) {
		const flags = (utf8 ? 0x0800 : 0) | (descriptor ? 0x0008 : 0);
		const crc = zlib.crc32(bytes);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(10, 4);
		local.writeUInt16LE(flags, 6);
		local.writeUInt32LE(descriptor ? 0 : crc, 14);
		local.writeUInt32LE(descriptor ? 0 : bytes.length, 18);
		local.writeUInt32LE(descriptor ? 0 : bytes.length, 22);
		local.writeUInt16LE(nameBytes.length, 26);
		const trailer = Buffer.alloc(descriptor === 'signed' ? 16 : descriptor === 'unsigned' ? 12 : 0);
		if (descriptor) {
			const start = descriptor === 'signed' ? 4 : 0;
			if (descriptor === 'signed') trailer.writeUInt32LE(0x08074b50, 0);
			trailer.writeUInt32LE(crc, start);
			trailer.writeUInt32LE(bytes.length, start + 4);
			trailer.writeUInt32LE(bytes.length, start + 8);
		}
		const record = Buffer.alloc(46);
		record.writeUInt32LE(0x02014b50, 0);
		record.writeUInt16LE(20, 4);
		record.writeUInt16LE(10, 6);
		record.writeUInt16LE(flags, 8);
		record.writeUInt32LE(crc, 16);
		record.writeUInt32LE(bytes.length, 20);
		record.writeUInt32LE(bytes.length, 24);
		record.writeUInt16LE(nameBytes.length, 28);
		record.writeUInt32LE(offset, 42);
		central.push(record, nameBytes);
		parts.push(local, nameBytes, bytes, trailer);
		offset += local.length + nameBytes.length + bytes.length + trailer.length;
	}
	const centralBytes = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(centralBytes.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, centralBytes, end]);
}

describe('readZip: names and descriptors', () => {
	it('decodes names without the UTF-8 flag as CP437, and UTF-8 ones as UTF-8', async () => {
		const archive = handMadeZip([
			{
				nameBytes: Buffer.from([0x9a, 0x62, 0x65, 0x72, 0x2e, 0x74, 0x78, 0x74]),
				bytes: Buffer.from('a'),
			},
			{ nameBytes: Buffer.from('Über-ß.txt'), bytes: Buffer.from('b'), utf8: true },
		]);
		expect((await readAll(archive)).map(({ name }) => name)).toEqual(['Über.txt', 'Über-ß.txt']);
	});

	it('finds stored entries whose data descriptor has no signature, even when the data looks like one', async () => {
		// The first entry's data holds signatures and a descriptor-like record whose sizes do not match its place.
		const tricky = Buffer.concat([
			Buffer.from('start'),
			Buffer.from([0x50, 0x4b, 0x07, 0x08, 1, 2, 3, 4, 99, 0, 0, 0, 99, 0, 0, 0]),
			Buffer.from('PK\x03\x04 and PK\x01\x02 inside the data'),
		]);
		for (const descriptor of ['signed', 'unsigned'] as const) {
			const archive = handMadeZip([
				{ nameBytes: Buffer.from('a.bin'), bytes: tricky, descriptor },
				{ nameBytes: Buffer.from('b.bin'), bytes: Buffer.alloc(0), descriptor },
				{ nameBytes: Buffer.from('c.bin'), bytes: noise(5000, 2), descriptor },
			]);
			for (const chunkSize of [1, 3, 17, archive.length]) {
				expect(await readAll(archive, { chunkSize })).toEqual([
					{ name: 'a.bin', size: tricky.length, sha256: sha256(tricky) },
					{ name: 'b.bin', size: 0, sha256: sha256(Buffer.alloc(0)) },
					{ name: 'c.bin', size: 5000, sha256: sha256(noise(5000, 2)) },
				]);
			}
			expect(byName(admZipFiles(archive)).map(({ size }) => size)).toEqual([
				tricky.length,
				0,
				5000,
			]);
		}
	});

	it('finds a data descriptor split across chunks at every offset, held back without copying whole chunks', async () => {
		const data = Buffer.concat([
			noise(300, 4),
			Buffer.from('PK\x07\x08 looks like one'),
			noise(100, 5),
		]);
		for (const descriptor of ['signed', 'unsigned'] as const) {
			const archive = handMadeZip([
				{ nameBytes: Buffer.from('a.bin'), bytes: data, descriptor },
				{ nameBytes: Buffer.from('b.bin'), bytes: noise(200, 6), descriptor },
			]);
			const expected = [
				{ name: 'a.bin', size: data.length, sha256: sha256(data) },
				{ name: 'b.bin', size: 200, sha256: sha256(noise(200, 6)) },
			];
			for (let split = 0; split <= archive.length; split++) {
				// Two chunks split here, and a third, tiny one after it: the boundary window spans chunks.
				const chunks = [
					archive.subarray(0, split),
					archive.subarray(split, split + 1),
					archive.subarray(split + 1),
				];
				const files = await readAll(
					(async function* () {
						yield* chunks;
					})(),
				);
				expect(files).toEqual(expected);
			}
		}
	});

	it.each([
		['../x.png'],
		['/abs.png'],
		['C:\\x.png'],
		['C:x.png'],
		['..\\x.png'],
		['photos/../../x.png'],
		['photos\\..\\..\\x.png'],
		['\\\\server\\share\\x.png'],
		['a\0.png'],
	])('refuses the unsafe name %j', async (name) => {
		const archive = await zipToBuffer([
			{ name: 'ok.png', bytes: Buffer.from('fine') },
			{ name, bytes: Buffer.from('evil') },
		]);
		const error = await zipErrorOf(readAll(archive));
		expect({ code: error.code, entryName: error.entryName }).toEqual({
			code: 'UNSAFE_NAME',
			entryName: name,
		});
	});

	it('accepts names that only look suspicious', async () => {
		const names = ['a..b.png', '..png', 'photos/.hidden/x.png', 'Ｃ：wide.png', 'dir/x..'];
		const archive = await zipToBuffer(names.map((name) => ({ name, bytes: Buffer.from(name) })));
		expect((await readAll(archive)).map(({ name }) => name)).toEqual(names);
	});

	it('skips directories, __MACOSX, ._ files and .DS_Store anywhere in the tree', async () => {
		const archive = await zipToBuffer([
			{ name: 'a/', directory: true },
			{ name: 'a/b/', directory: true },
			{ name: 'a/b/c.png', bytes: Buffer.from('c') },
			{ name: '__MACOSX/a/b/._c.png', bytes: Buffer.from('fork') },
			{ name: 'a/._c.png', bytes: Buffer.from('fork') },
			{ name: 'a/.DS_Store', bytes: Buffer.from('Bud1') },
			{ name: 'd.png', bytes: Buffer.from('d') },
		]);
		expect((await readAll(archive)).map(({ name }) => name)).toEqual(['a/b/c.png', 'd.png']);
	});
});

describe('readZip: broken and hostile archives', () => {
	const failures: Partial<Record<BrokenArchiveKind, ZipErrorCode>> = {
		truncated: 'TRUNCATED',
		'bad-crc': 'CRC_MISMATCH',
		'path-traversal': 'UNSAFE_NAME',
		'absolute-path': 'UNSAFE_NAME',
		'windows-path': 'UNSAFE_NAME',
		'zip-bomb': 'RATIO_EXCEEDED',
		'many-entries': 'TOO_MANY_ENTRIES',
		'not-a-zip': 'NOT_A_ZIP',
		encrypted: 'ENCRYPTED',
		'unsupported-method': 'UNSUPPORTED',
		symlink: 'SYMLINK',
	};
	const readable: Partial<Record<BrokenArchiveKind, string[]>> = {
		directories: ['photos/2024/a.png', 'b.png'],
		'macos-metadata': ['a.png', 'b.png'],
		empty: [],
		'duplicate-names': ['a.png', 'a.png'],
	};

	it('covers every kind the sandbox can serve', () => {
		expect(new Set([...Object.keys(failures), ...Object.keys(readable)])).toEqual(
			new Set(BROKEN_ARCHIVE_KINDS),
		);
	});

	it.each(Object.entries(failures))('%s fails with %s', async (kind, code) => {
		const error = await zipErrorOf(
			readAll(brokenArchive(kind as BrokenArchiveKind, { manyEntriesCount: 10_001 })),
		);
		expect(error.code).toBe(code);
		expect(error.message.length).toBeGreaterThan(20);
	});

	it.each(Object.entries(readable))('%s reads as %j', async (kind, names) => {
		const files = await readAll(brokenArchive(kind as BrokenArchiveKind));
		expect(files.map(({ name }) => name)).toEqual(names);
		if (kind === 'duplicate-names') expect(files[0].sha256).not.toBe(files[1].sha256);
	});

	it('stops a zip bomb after a bounded amount of output, not at its end', async () => {
		let produced = 0;
		const error = await zipErrorOf(
			(async () => {
				for await (const entry of readZip(brokenArchive('zip-bomb', { zipBombSize: 200 * MB }))) {
					for await (const chunk of entry.data) produced += chunk.length;
				}
			})(),
		);
		expect(error).toMatchObject({ code: 'RATIO_EXCEEDED', entryName: 'zeros.png' });
		// The decompressor runs up to ~64 KiB of input ahead of what has come out, about 25 MiB of a ~1000:1 bomb.
		expect(produced).toBeLessThan(40 * MB);
	});

	it('enforces each limit as bytes come out, with the limit named', async () => {
		const archive = await zipToBuffer([
			{ name: 'a.bin', bytes: noise(300_000, 1) },
			{ name: 'b.bin', bytes: noise(300_000, 2) },
			{
				name: 'c.txt',
				bytes: Buffer.from(
					Array.from({ length: 300_000 }, (_, index) => `line ${index}\n`).join(''),
				),
			},
		]);
		const cases: Array<[Partial<ZipLimits>, ZipErrorCode, string | undefined]> = [
			[{ maxEntries: 2 }, 'TOO_MANY_ENTRIES', undefined],
			[{ maxTotalUncompressedBytes: 500_000 }, 'TOO_LARGE', 'b.bin'],
			[{ maxEntryBytes: 200_000 }, 'TOO_LARGE', 'a.bin'],
			[{ maxCompressionRatio: 3 }, 'RATIO_EXCEEDED', 'c.txt'],
		];
		for (const [limits, code, entryName] of cases) {
			const error = await zipErrorOf(readAll(archive, { limits }));
			expect({ code: error.code, entryName: error.entryName }).toEqual({ code, entryName });
		}
		expect(await readAll(archive)).toHaveLength(3);
		expect(DEFAULT_ZIP_LIMITS).toEqual({
			maxEntries: 10_000,
			maxTotalUncompressedBytes: 8 * 1024 * MB,
			maxCompressionRatio: 200,
		});
		// Small, very compressible files (a blank image) are normal and pass under the ratio limit.
		const blank = await zipToBuffer([{ name: 'blank.bmp', bytes: Buffer.alloc(900_000) }]);
		expect(await readAll(blank)).toHaveLength(1);
		await expect(readAll(archive, { limits: { maxEntries: 0 } })).rejects.toThrow(RangeError);
	});

	it('fails on an archive cut at any offset, never ending quietly', async () => {
		const small = [
			{ name: 'a.png', bytes: pngImage({ width: 8, height: 8, seed: 3 }) },
			{ name: 'b.txt', bytes: Buffer.from('hello\n'.repeat(50)) },
		];
		const archives = [
			await zipToBuffer(small, { method: 'deflate' }),
			await zipToBuffer(small, { method: 'deflate', dataDescriptor: true }),
			await zipToBuffer(small, { method: 'store', dataDescriptor: true, forceZip64: true }),
		];
		for (const archive of archives) {
			const codes = new Set<string>();
			for (let cut = 0; cut < archive.length; cut++) {
				const error = await zipErrorOf(readAll(archive.subarray(0, cut), { chunkSize: 512 }));
				codes.add(cut < 4 ? `short:${error.code}` : error.code);
			}
			expect(codes).toEqual(new Set(['short:NOT_A_ZIP', 'TRUNCATED']));
		}
	});

	it('fails on empty input, non-zip data and a zip preceded by junk', async () => {
		expect((await zipErrorOf(readAll(Buffer.alloc(0)))).code).toBe('NOT_A_ZIP');
		expect((await zipErrorOf(readAll(Buffer.from('%PDF-1.7 not a zip')))).code).toBe('NOT_A_ZIP');
		const archive = await zipToBuffer(FILES.slice(0, 1));
		expect((await zipErrorOf(readAll(Buffer.concat([Buffer.from('junk'), archive])))).code).toBe(
			'NOT_A_ZIP',
		);
	});

	it('fails on damaged deflate data and on a central directory that disagrees with the entries', async () => {
		const archive = await zipToBuffer(FILES.slice(0, 2), { method: 'deflate' });
		const damaged = Buffer.from(archive);
		damaged.fill(0xff, 60, 90);
		expect(['CORRUPT', 'CRC_MISMATCH']).toContain((await zipErrorOf(readAll(damaged))).code);

		const centralStart = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
		const wrongCrc = Buffer.from(archive);
		wrongCrc.writeUInt32LE(wrongCrc.readUInt32LE(centralStart + 16) ^ 1, centralStart + 16);
		expect(await zipErrorOf(readAll(wrongCrc))).toMatchObject({
			code: 'CORRUPT',
			entryName: FILES[0].name,
		});

		const wrongOffset = Buffer.from(archive);
		wrongOffset.writeUInt32LE(7, centralStart + 42);
		expect((await zipErrorOf(readAll(wrongOffset))).code).toBe('CORRUPT');

		const endStart = archive.length - 22;
		const wrongCount = Buffer.from(archive);
		wrongCount.writeUInt16LE(3, endStart + 10);
		expect((await zipErrorOf(readAll(wrongCount))).code).toBe('CORRUPT');

		// Dropping the last central record: an entry present in the data is missing from the directory.
		const secondRecord = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), centralStart + 4);
		const endRecord = Buffer.from(archive.subarray(endStart));
		endRecord.writeUInt16LE(1, 8);
		endRecord.writeUInt16LE(1, 10);
		endRecord.writeUInt32LE(secondRecord - centralStart, 12);
		const missing = Buffer.concat([archive.subarray(0, secondRecord), endRecord]);
		expect(await zipErrorOf(readAll(missing))).toMatchObject({
			code: 'CORRUPT',
			entryName: FILES[1].name,
		});
	});

	it('yields entries before a later failure, then throws, so callers must wait for the end', async () => {
		const names: string[] = [];
		const error = await zipErrorOf(
			(async () => {
				for await (const entry of readZip(brokenArchive('bad-crc'))) {
					names.push(entry.name);
					for await (const chunk of entry.data) void chunk;
				}
			})(),
		);
		expect({ names, code: error.code, entryName: error.entryName }).toEqual({
			names: ['a.png', 'b.png'],
			code: 'CRC_MISMATCH',
			entryName: 'b.png',
		});
	});
});

describe('readZip: streaming behaviour', () => {
	it('checks entries the caller did not read, or read only partly, before moving on', async () => {
		const archive = await zipToBuffer(FILES, { method: 'deflate', dataDescriptor: true });
		const names: string[] = [];
		for await (const entry of readZip(chunksOf(archive, 1000))) {
			names.push(entry.name);
			if (entry.name === 'sample.jpg') {
				for await (const chunk of entry.data) {
					void chunk;
					break;
				}
			}
		}
		expect(names).toEqual(FILES.map(({ name }) => name));
		const bad = await collect(brokenArchive('bad-crc'));
		expect(
			(
				await zipErrorOf(
					(async () => {
						for await (const entry of readZip(chunksOf(bad, 100))) void entry;
					})(),
				)
			).code,
		).toBe('CRC_MISMATCH');
	});

	it('lets data be read only once', async () => {
		const archive = await zipToBuffer(FILES.slice(0, 1));
		for await (const entry of readZip(chunksOf(archive, 1000))) {
			for await (const chunk of entry.data) void chunk;
			expect(() => entry.data[Symbol.asyncIterator]()).toThrow(/only be read once/);
		}
	});

	it('stops the source when the caller stops early, and reports a source failure as a truncated archive', async () => {
		const archive = await zipToBuffer(FILES);
		let closed = false;
		async function* source(): AsyncGenerator<Buffer> {
			try {
				yield* chunksOf(archive, 1000);
			} finally {
				closed = true;
			}
		}
		for await (const entry of readZip(source())) {
			expect(entry.name).toBe(FILES[0].name);
			break;
		}
		expect(closed).toBe(true);

		async function* failing(): AsyncGenerator<Buffer> {
			yield archive.subarray(0, 5000);
			throw new Error('socket hang up');
		}
		const error = await zipErrorOf(readAll(failing()));
		expect(error.code).toBe('TRUNCATED');
		expect(error.message).toContain('socket hang up');
	});

	it('makes entry data a Node Readable when the archive comes as a Node stream', async () => {
		const archive = await zipToBuffer(FILES, { method: 'store', dataDescriptor: true });
		const seen: Array<{ name: string; readable: boolean; sha256: string }> = [];
		for await (const entry of readZip(Readable.from(chunksOf(archive, 4096)))) {
			const bytes = await collect(entry.data as AsyncIterable<Buffer>);
			seen.push({
				name: entry.name,
				readable: entry.data instanceof Readable,
				sha256: sha256(bytes),
			});
		}
		expect(seen).toEqual(
			EXPECTED.map(({ name, sha256: hash }) => ({ name, readable: true, sha256: hash })),
		);
	});

	it('passes a stored entry’s chunks on uncopied and whole, and joins the decompressor’s 16 KiB chunks to 64 KiB', async () => {
		const media = noise(1 * MB, 7);
		const chunkSizes = async (method: 'store' | 'deflate') => {
			const archive = await zipToBuffer([{ name: 'a.jpg', bytes: media }], {
				method,
				level: 0,
				dataDescriptor: true,
			});
			// Chunks of the archive's own memory, as a network read hands them over.
			const sizes: number[] = [];
			let copiedBytes = 0;
			const parts: Buffer[] = [];
			for await (const entry of readZip(chunksOf(archive, 64 * 1024), undefined, {
				readableClass: Readable,
			})) {
				expect(entry.data).toBeInstanceOf(Readable);
				for await (const chunk of entry.data as AsyncIterable<Buffer>) {
					sizes.push(chunk.length);
					if (chunk.buffer !== archive.buffer) copiedBytes += chunk.length;
					parts.push(chunk);
				}
			}
			expect(sha256(Buffer.concat(parts))).toBe(sha256(media));
			return { sizes, copiedBytes };
		};
		const stored = await chunkSizes('store');
		// Every piece is the input's own memory, one piece per input chunk: none split off at a chunk boundary.
		expect(stored.copiedBytes).toBe(0);
		expect(stored.sizes.length).toBeLessThanOrEqual(Math.ceil(media.length / (64 * 1024)) + 1);
		const deflated = await chunkSizes('deflate');
		expect(deflated.copiedBytes).toBe(media.length);
		expect(deflated.sizes.slice(0, -1).every((size) => size >= 64 * 1024)).toBe(true);
		expect(deflated.sizes.length).toBeLessThanOrEqual(Math.ceil(media.length / (64 * 1024)));
	});

	// Memory is measured in a node process of its own (zipReader.child.ts) with a V8 heap limit below every entry's
	// size: at every 16 MiB read it collects garbage fully and measures what is still reachable, heap and Buffers
	// together. Streaming keeps a few chunks (about 3 MB measured); holding an entry keeps all of it read so far.
	// Measured at points of the archive's progress, not of time: a busy machine changes how long this takes only.
	const CHILD = path.join(__dirname, 'zipReader.child.ts');
	const BUDGET = 32 * MB;
	const childOptions = { nodeFlags: ['--max-old-space-size=48'], killAfterMs: 150_000 };

	it('streams a 300 MB archive in constant memory', async () => {
		const run = await runTsChild<ZipReaderChildResult>(
			CHILD,
			['discard', String(BUDGET)],
			childOptions,
		);
		expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
			code: 0,
			signal: null,
			stderr: '',
		});
		const result = run.result!;
		expect(result.entries).toEqual(ARCHIVE_ENTRIES.map(({ name, size }) => ({ name, size })));
		expect(result.total).toBe(300 * MB + 123);
		// One checkpoint per 16 MiB read, plus one at the end: the measure ran all along.
		expect(result.checkpoints).toBe(Math.floor(result.total / (16 * MB)) + 1);
		expect(result.peakGrowth).toBeLessThan(BUDGET);
	}, 180_000);

	it('control: a reader that holds an entry crosses the budget and the child fails', async () => {
		const run = await runTsChild<OverBudgetReport>(CHILD, ['gather', String(BUDGET)], childOptions);
		expect(run.code).toBe(OVER_BUDGET_EXIT_CODE);
		expect(run.result).toMatchObject({ overBudget: true, budgetBytes: BUDGET });
	}, 180_000);
});
