/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { crc32 } from 'node:zlib';

import { pngImage } from './mediaBytes';
import { zipStream, zipToBuffer } from './zipWriter';
import type { ZipEntry } from './zipWriter';

/** Broken archives: every way a downloaded "zip of media" can go wrong, for the readers' tests. */

export const BROKEN_ARCHIVE_KINDS = [
	/** A valid archive cut off in the middle of its second entry: no central directory. */
	'truncated',
	/** A complete archive whose second entry's recorded CRC-32 is wrong. */
	'bad-crc',
	/** Entries named `../escaped.png` and `photos/../../escaped-too.png`, next to a normal one. */
	'path-traversal',
	/** An entry named `/absolute.png`, next to a normal one. */
	'absolute-path',
	/** Entries named `C:\windows.png` and `..\backslash.png`, next to a normal one. */
	'windows-path',
	/** Directory entries (`photos/`, `photos/2024/`) and a file inside them, next to a root file. */
	'directories',
	/** macOS metadata: `__MACOSX/._a.png`, `._b.png`, `.DS_Store`, next to real `a.png` and `b.png`. */
	'macos-metadata',
	/** One entry of zeros that deflates about 1000:1 (`zipBombSize` bytes, default 100 MiB). */
	'zip-bomb',
	/** `manyEntriesCount` tiny entries (default 70 000, more than a plain ZIP can count, so ZIP64 too). */
	'many-entries',
	/** An HTML error page served as a zip. */
	'not-a-zip',
	/** A valid archive with no entries. */
	'empty',
	/** Two entries with the same name and different content. */
	'duplicate-names',
	/** An entry flagged as encrypted (bit 0). */
	'encrypted',
	/** An entry using a compression method readers rarely support (12 = bzip2), with data that is not bzip2. */
	'unsupported-method',
	/** A Unix symlink entry pointing to `../../../../etc/passwd`, next to a normal one. */
	'symlink',
] as const;

export type BrokenArchiveKind = (typeof BROKEN_ARCHIVE_KINDS)[number];

export function isBrokenArchiveKind(value: unknown): value is BrokenArchiveKind {
	return typeof value === 'string' && (BROKEN_ARCHIVE_KINDS as readonly string[]).includes(value);
}

export interface BrokenArchiveOptions {
	manyEntriesCount?: number;
	zipBombSize?: number;
}

function samplePng(seed: number): Buffer {
	return pngImage({ width: 24, height: 16, seed });
}

async function* zeros(size: number): AsyncGenerator<Buffer> {
	const block = Buffer.alloc(1 << 20);
	for (let remaining = size; remaining > 0; remaining -= block.length) {
		yield remaining >= block.length ? block : block.subarray(0, remaining);
	}
}

function* manyEntries(count: number): Generator<ZipEntry> {
	const width = String(count).length;
	for (let index = 1; index <= count; index++) {
		yield {
			name: `file-${String(index).padStart(width, '0')}.txt`,
			bytes: Buffer.from(`${index}\n`),
			method: 'store',
		};
	}
}

/** A deliberately broken (or hostile) archive, streamed. */
export async function* brokenArchive(
	kind: BrokenArchiveKind,
	options: BrokenArchiveOptions = {},
): AsyncGenerator<Buffer> {
	const a = samplePng(101);
	const b = samplePng(102);
	switch (kind) {
		case 'truncated': {
			const whole = await zipToBuffer(
				[
					{ name: 'a.png', bytes: a, method: 'store' },
					{ name: 'b.png', bytes: b, method: 'store' },
				],
				{},
			);
			const secondDataStart = 30 + 'a.png'.length + a.length + 30 + 'b.png'.length;
			yield whole.subarray(0, secondDataStart + Math.floor(b.length / 2));
			return;
		}
		case 'bad-crc':
			yield* zipStream([
				{ name: 'a.png', bytes: a },
				{ name: 'b.png', bytes: b, corrupt: { crc: (crc32(b) ^ 0x5a5a5a5a) >>> 0 } },
			]);
			return;
		case 'path-traversal':
			yield* zipStream([
				{ name: 'a.png', bytes: a },
				{ name: '../escaped.png', bytes: b },
				{ name: 'photos/../../escaped-too.png', bytes: b },
			]);
			return;
		case 'absolute-path':
			yield* zipStream([
				{ name: 'a.png', bytes: a },
				{ name: '/absolute.png', bytes: b },
			]);
			return;
		case 'windows-path':
			yield* zipStream([
				{ name: 'a.png', bytes: a },
				{ name: 'C:\\windows.png', bytes: b },
				{ name: '..\\backslash.png', bytes: b },
			]);
			return;
		case 'directories':
			yield* zipStream([
				{ name: 'photos/', directory: true },
				{ name: 'photos/2024/', directory: true },
				{ name: 'photos/2024/a.png', bytes: a },
				{ name: 'b.png', bytes: b },
			]);
			return;
		case 'macos-metadata': {
			const appleDouble = Buffer.concat([Buffer.from([0x00, 0x05, 0x16, 0x07]), Buffer.alloc(78)]);
			yield* zipStream([
				{ name: 'a.png', bytes: a },
				{ name: 'b.png', bytes: b },
				{ name: '__MACOSX/', directory: true },
				{ name: '__MACOSX/._a.png', bytes: appleDouble },
				{ name: '._b.png', bytes: appleDouble },
				{ name: '.DS_Store', bytes: Buffer.from('Bud1\0\0\0\0') },
			]);
			return;
		}
		case 'zip-bomb': {
			const size = options.zipBombSize ?? 100 * 1024 * 1024;
			yield* zipStream(
				[{ name: 'zeros.png', size, stream: () => zeros(size), method: 'deflate' }],
				{
					dataDescriptor: true,
					level: 9,
				},
			);
			return;
		}
		case 'many-entries':
			yield* zipStream(manyEntries(options.manyEntriesCount ?? 70000));
			return;
		case 'not-a-zip':
			yield Buffer.from('<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>\n');
			return;
		case 'empty':
			yield* zipStream([]);
			return;
		case 'duplicate-names':
			yield* zipStream([
				{ name: 'a.png', bytes: a },
				{ name: 'a.png', bytes: b },
			]);
			return;
		case 'encrypted':
			yield* zipStream([
				{ name: 'secret.png', bytes: a, method: 'store', corrupt: { flags: 0x0001 } },
			]);
			return;
		case 'unsupported-method':
			yield* zipStream([{ name: 'a.png', bytes: a, method: 'store', corrupt: { methodCode: 12 } }]);
			return;
		case 'symlink':
			yield* zipStream([
				{ name: 'a.png', bytes: a },
				{
					name: 'link.png',
					bytes: Buffer.from('../../../../etc/passwd'),
					method: 'store',
					mode: 0o120777,
				},
			]);
			return;
	}
}
