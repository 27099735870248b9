/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run in plain Node and drive Info-ZIP through node:child_process */
import AdmZip from 'adm-zip';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';

import {
	BROKEN_ARCHIVE_KINDS,
	brokenArchive,
	pngImage,
	zipStream,
	zipToBuffer,
} from '../../sandbox/src';
import type { BrokenArchiveKind, ZipEntry, ZipOptions } from '../../sandbox/src';

const run = promisify(execFile);
let workDir: string;

beforeAll(async () => {
	workDir = await mkdtemp(join(tmpdir(), 'zipwriter-'));
});

afterAll(async () => {
	await rm(workDir, { recursive: true, force: true });
});

let fileCounter = 0;
async function saved(archive: Buffer): Promise<string> {
	const path = join(workDir, `archive-${++fileCounter}.zip`);
	await writeFile(path, archive);
	return path;
}

/** Info-ZIP's verdict: exit code and output of `unzip -t` (tests every CRC) and `unzip -Z1` (bare names). */
async function infoZip(archive: Buffer): Promise<{ ok: boolean; output: string; names: string[] }> {
	const path = await saved(archive);
	const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
	let ok = true;
	let output = '';
	try {
		const tested = await run('/usr/bin/unzip', ['-t', path], { env, maxBuffer: 64 << 20 });
		output = tested.stdout + tested.stderr;
	} catch (error) {
		ok = false;
		const failed = error as { stdout?: string; stderr?: string };
		output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
	}
	let names: string[] = [];
	try {
		const listed = await run('/usr/bin/unzip', ['-Z1', path], { env, maxBuffer: 64 << 20 });
		names = listed.stdout.split('\n').filter((line) => line.length > 0);
	} catch {
		names = [];
	}
	return { ok, output, names };
}

async function* chunked(bytes: Buffer, chunkSize: number): AsyncGenerator<Buffer> {
	for (let offset = 0; offset < bytes.length; offset += chunkSize)
		yield bytes.subarray(offset, offset + chunkSize);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of source) chunks.push(chunk);
	return Buffer.concat(chunks);
}

const image = pngImage({ width: 80, height: 60, seed: 7, noise: 0.3 });
const text = Buffer.from('hello zip '.repeat(500));
const video = Buffer.alloc(300_000, 0x42);

function sampleEntries(): ZipEntry[] {
	return [
		{ name: 'photo.png', bytes: image, method: 'store' },
		{ name: 'notes.txt', bytes: text, method: 'deflate' },
		{ name: 'Ünïcødé 写真 🎉.png', bytes: image },
		{ name: 'clip.mp4', size: video.length, stream: () => chunked(video, 7000) },
		{
			name: 'streamed-stored.bin',
			size: text.length,
			stream: () => chunked(text, 333),
			method: 'store',
		},
	];
}

const variants: Array<[string, ZipOptions]> = [
	['plain', {}],
	['data descriptors', { dataDescriptor: true }],
	['forced ZIP64', { forceZip64: true }],
	['forced ZIP64 with data descriptors', { forceZip64: true, dataDescriptor: true }],
	[
		'stored by default, with a comment',
		{ method: 'store', comment: 'Wix Shared Gallery — 5 files' },
	],
];

/** Names in central-directory order, read by hand because adm-zip refuses duplicate names and is slow on huge counts. */
function centralDirectoryNames(archive: Buffer, zip64 = false): string[] {
	const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, zip64 ? 0x06 : 0x05, 0x06]));
	let offset = zip64 ? Number(archive.readBigUInt64LE(end + 48)) : archive.readUInt32LE(end + 16);
	const names: string[] = [];
	while (archive.readUInt32LE(offset) === 0x02014b50) {
		const nameLength = archive.readUInt16LE(offset + 28);
		const extraLength = archive.readUInt16LE(offset + 30);
		const commentLength = archive.readUInt16LE(offset + 32);
		names.push(archive.toString('utf8', offset + 46, offset + 46 + nameLength));
		offset += 46 + nameLength + extraLength + commentLength;
	}
	return names;
}

describe('zipStream', () => {
	it.each(variants)(
		'writes archives adm-zip and Info-ZIP read back exactly (%s)',
		async (_label, options) => {
			const archive = await zipToBuffer(sampleEntries(), options);
			const zip = new AdmZip(archive);
			const entries = zip.getEntries();
			expect(entries.map((entry) => entry.entryName)).toEqual(
				sampleEntries().map((entry) => entry.name),
			);
			expect(zip.readFile('photo.png')).toEqual(image);
			expect(zip.readFile('notes.txt')).toEqual(text);
			expect(zip.readFile('Ünïcødé 写真 🎉.png')).toEqual(image);
			expect(zip.readFile('clip.mp4')).toEqual(video);
			expect(zip.readFile('streamed-stored.bin')).toEqual(text);
			for (const entry of entries) expect(entry.header.flags & 0x0800).toBe(0x0800);
			const clip = entries.find((entry) => entry.entryName === 'clip.mp4');
			expect(clip?.header.method).toBe(options.method === 'store' ? 0 : 8);
			expect(entries[0].header.method).toBe(0);
			if (options.comment) expect(zip.getZipComment()).toBe(options.comment);

			const verdict = await infoZip(archive);
			expect(verdict.output).toContain('No errors detected');
			expect(verdict.ok).toBe(true);
			expect(verdict.names).toEqual(sampleEntries().map((entry) => entry.name));
		},
	);

	it('sets the data-descriptor flag and writes descriptors only when asked', async () => {
		const withDescriptors = await zipToBuffer(sampleEntries(), { dataDescriptor: true });
		const without = await zipToBuffer(sampleEntries());
		expect(withDescriptors.readUInt16LE(6) & 0x0008).toBe(0x0008);
		expect(withDescriptors.readUInt32LE(14)).toBe(0); // CRC deferred to the descriptor
		expect(without.readUInt16LE(6) & 0x0008).toBe(0);
		expect(without.readUInt32LE(14)).toBe(crc32(image));
		expect(withDescriptors.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08]))).toBe(true);
	});

	it('writes ZIP64 records when forced, and plain ones otherwise', async () => {
		const forced = await zipToBuffer(sampleEntries(), { forceZip64: true });
		const plain = await zipToBuffer(sampleEntries());
		const zip64End = Buffer.from([0x50, 0x4b, 0x06, 0x06]);
		expect(forced.includes(zip64End)).toBe(true);
		expect(plain.includes(zip64End)).toBe(false);
		const end = forced.subarray(forced.length - 22);
		expect(end.readUInt32LE(0)).toBe(0x06054b50);
		expect(end.readUInt16LE(10)).toBe(0xffff);
		expect(end.readUInt32LE(16)).toBe(0xffffffff);
		expect(forced.readUInt32LE(18)).toBe(0xffffffff); // local header defers sizes to the ZIP64 extra field
	});

	it('switches to ZIP64 by itself when there are more than 65 535 entries', async () => {
		const count = 66_000;
		function* many(): Generator<ZipEntry> {
			for (let index = 0; index < count; index++) {
				yield { name: `f${index}.txt`, bytes: Buffer.from(String(index)), method: 'store' };
			}
		}
		const archive = await zipToBuffer(many());
		expect(archive.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
		expect(centralDirectoryNames(archive, true)).toHaveLength(count);
		// adm-zip takes many seconds over 66 000 entries, so Info-ZIP alone reads this one.
		const { stdout } = await run('/usr/bin/unzip', ['-t', await saved(archive)], {
			maxBuffer: 64 << 20,
		});
		expect(stdout.match(/testing: .* OK/g)).toHaveLength(count);
		expect(stdout).toContain('testing: f65999.txt');
		expect(stdout).toContain('No errors detected');
	});

	it('writes directory entries and Unix modes', async () => {
		const archive = await zipToBuffer([
			{ name: 'album/', directory: true },
			{ name: 'album/a.png', bytes: image, mode: 0o100600 },
		]);
		const zip = new AdmZip(archive);
		const [directory, file] = zip.getEntries();
		expect(directory.isDirectory).toBe(true);
		expect(file.header.attr >>> 16).toBe(0o100600);
		expect((await infoZip(archive)).ok).toBe(true);
	});

	it('is pull-driven: an entry is not read before the consumer gets that far', async () => {
		let opened = 0;
		const entrySize = 200_000;
		const entries: ZipEntry[] = [1, 2, 3].map((index) => ({
			name: `${index}.bin`,
			size: entrySize,
			stream: async function* () {
				opened++;
				yield Buffer.alloc(entrySize, index);
			},
		}));
		const stream = zipStream(entries, { dataDescriptor: true, method: 'store' });
		await stream.next();
		expect(opened).toBe(1);
		const rest = await collect(stream);
		expect(opened).toBe(3);
		expect(rest.length).toBeGreaterThan(2 * entrySize);
	});

	it('refuses a streamed entry that yields a different size than declared', async () => {
		const entries: ZipEntry[] = [
			{ name: 'short.bin', size: 100, stream: () => chunked(Buffer.alloc(50), 10) },
		];
		await expect(zipToBuffer(entries, { dataDescriptor: true })).rejects.toThrow(
			/yielded 50 bytes, declared 100/,
		);
		await expect(zipToBuffer(entries)).rejects.toThrow(/yielded 50 bytes, declared 100/);
	});
});

describe('brokenArchive', () => {
	async function broken(kind: BrokenArchiveKind, options = {}): Promise<Buffer> {
		return await collect(brokenArchive(kind, options));
	}

	it('knows every kind it can build', async () => {
		for (const kind of BROKEN_ARCHIVE_KINDS) {
			const archive = await broken(kind, { manyEntriesCount: 10, zipBombSize: 1 << 20 });
			expect(archive.length).toBeGreaterThan(0);
		}
	});

	it('truncated: no central directory, both readers fail', async () => {
		const archive = await broken('truncated');
		expect(archive.readUInt32LE(0)).toBe(0x04034b50);
		expect(() => new AdmZip(archive).getEntries()).toThrow();
		expect((await infoZip(archive)).ok).toBe(false);
	});

	it('bad-crc: the archive opens but the second entry fails its CRC check', async () => {
		const archive = await broken('bad-crc');
		const zip = new AdmZip(archive);
		expect(zip.getEntries()).toHaveLength(2);
		expect(zip.readFile('a.png')).not.toBeNull();
		expect(() => zip.getEntry('b.png')?.getData()).toThrow(/crc/i);
		const verdict = await infoZip(archive);
		expect(verdict.ok).toBe(false);
		expect(verdict.output).toMatch(/bad CRC/i);
	});

	it.each<[BrokenArchiveKind, string[]]>([
		['path-traversal', ['a.png', '../escaped.png', 'photos/../../escaped-too.png']],
		['absolute-path', ['a.png', '/absolute.png']],
		['windows-path', ['a.png', 'C:\\windows.png', '..\\backslash.png']],
		['directories', ['photos/', 'photos/2024/', 'photos/2024/a.png', 'b.png']],
		['macos-metadata', ['a.png', 'b.png', '__MACOSX/', '__MACOSX/._a.png', '._b.png', '.DS_Store']],
		['duplicate-names', ['a.png', 'a.png']],
	])('%s: hostile names are written exactly as given', async (kind, names) => {
		const archive = await broken(kind);
		expect(centralDirectoryNames(archive)).toEqual(names);
	});

	it('zip-bomb: a tiny entry that declares a huge size', async () => {
		const size = 20 * 1024 * 1024;
		const archive = await broken('zip-bomb', { zipBombSize: size });
		const [entry] = new AdmZip(archive).getEntries();
		expect(entry.header.size).toBe(size);
		expect(entry.header.size / entry.header.compressedSize).toBeGreaterThan(500);
		expect((await infoZip(archive)).ok).toBe(true);
	});

	it('many-entries: as many entries as asked', async () => {
		const archive = await broken('many-entries', { manyEntriesCount: 1234 });
		expect(new AdmZip(archive).getEntries()).toHaveLength(1234);
	});

	it('not-a-zip, empty, encrypted, unsupported-method and symlink are what they say', async () => {
		expect(() => new AdmZip(Buffer.from('x')).getEntries()).toThrow();
		const notZip = await broken('not-a-zip');
		expect(notZip.toString('utf8')).toContain('<html>');
		expect(() => new AdmZip(notZip).getEntries()).toThrow();

		expect(new AdmZip(await broken('empty')).getEntries()).toHaveLength(0);

		const [encrypted] = new AdmZip(await broken('encrypted')).getEntries();
		expect(encrypted.header.flags & 1).toBe(1);

		const [unsupported] = new AdmZip(await broken('unsupported-method')).getEntries();
		expect(unsupported.header.method).toBe(12);

		const symlink = new AdmZip(await broken('symlink')).getEntry('link.png');
		expect((symlink?.header.attr ?? 0) >>> 16).toBe(0o120777);
		expect(symlink?.getData().toString()).toBe('../../../../etc/passwd');
	});
});
