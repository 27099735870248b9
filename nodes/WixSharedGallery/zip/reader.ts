import {
	CENTRAL_DIRECTORY_HEADER,
	DATA_DESCRIPTOR,
	DescriptorScanSource,
	EntryBody,
	KnownLengthSource,
	LOCAL_FILE_HEADER,
	readUInt64,
} from './body';
import type { CompressedSource, DescriptorValues, ZipLimitsInEffect } from './body';
import { ByteInput } from './byteInput';
import { ZipError } from './errors';
import {
	assertSafeEntryName,
	decodeEntryName,
	findExtraField,
	isDirectoryName,
	isMacMetadataName,
} from './names';
import { asNodeReadable, nodeReadableClassOf } from '../../shared/transport/nodeStream';
import type { ReadableClass } from '../../shared/transport/nodeStream';

export interface ZipLimits {
	/** Entries in the archive, counting the ones skipped (directories, macOS metadata). */
	maxEntries: number;
	/** Bytes of all entries together once unpacked. */
	maxTotalUncompressedBytes: number;
	/** Unpacked size over compressed size of one deflated entry, checked as it unpacks (beyond its first MiB). */
	maxCompressionRatio: number;
	/** Bytes of one entry once unpacked (default: no limit beyond the total). */
	maxEntryBytes?: number;
}

/**
 * Defaults sized for "a download of member media": generous for real galleries, fatal for hostile archives.
 * - 10 000 entries: far beyond what one download request of a gallery selection holds, while a few hundred bytes of
 *   bookkeeping per entry stays a few MB.
 * - 8 GiB unpacked: room for a selection of long videos; beyond it, disk rather than memory is what runs out.
 * - Ratio 200: media (JPEG, PNG, MP4) barely compresses (ratios near 1) and even text rarely passes 20, while
 *   deflate reaches about 1030:1 on repetitive data, which is what a zip bomb is made of.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
	maxEntries: 10_000,
	maxTotalUncompressedBytes: 8 * 1024 * 1024 * 1024,
	maxCompressionRatio: 200,
};

export interface ZipEntry {
	/** The path inside the archive as written there (UTF-8, or CP437 for old writers), `/`-separated. */
	name: string;
	/** Unpacked size; -1 until `data` has been read when the archive only records it after the data. */
	uncompressedSize: number;
	/** Compressed size; -1 until `data` has been read when the archive only records it after the data. */
	compressedSize: number;
	/** CRC-32 as recorded; -1 until `data` has been read when the archive only records it after the data. */
	crc32: number;
	method: 'stored' | 'deflate';
	modified?: Date;
	/**
	 * The entry's bytes, streamed and checked: the iteration throws a ZipError on a CRC or size mismatch at its
	 * end. Readable once. When the archive's source is a Node stream (e.g. an HTTP response), this is a Node
	 * Readable too, so n8n's binary data helpers can pipe it.
	 */
	data: AsyncIterable<Uint8Array>;
}

/** Placeholder for entries that are skipped, never yielded. */
const NO_DATA: AsyncIterable<Uint8Array> = {
	[Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
};

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const DIGITAL_SIGNATURE = 0x05054b50;
const ZIP64_EXTRA = 0x0001;
const EXTENDED_TIMESTAMP_EXTRA = 0x5455;
const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;

const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_MASKED_HEADERS = 0x2000;
const METHOD_AES = 99;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** What was read of each entry, for the check against the central directory. */
interface ReadRecord {
	offset: number;
	name: string;
	nameBytes: Buffer;
	methodCode: number;
	values: DescriptorValues;
	yielded: boolean;
	matched: boolean;
}

function resolveLimits(
	limits: Partial<ZipLimits> = {},
): ZipLimitsInEffect & { maxEntries: number } {
	const merged = { ...DEFAULT_ZIP_LIMITS, ...limits };
	for (const [key, value] of Object.entries(merged)) {
		if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value) || value <= 0)) {
			throw new RangeError(`ZIP limit ${key} must be a positive number`);
		}
	}
	return {
		maxEntries: merged.maxEntries,
		maxTotalUncompressedBytes: merged.maxTotalUncompressedBytes,
		maxCompressionRatio: merged.maxCompressionRatio,
		maxEntryBytes: merged.maxEntryBytes ?? Number.POSITIVE_INFINITY,
	};
}

function dosDateTime(time: number, date: number): Date | undefined {
	if (date === 0) return undefined;
	return new Date(
		1980 + (date >> 9),
		((date >> 5) & 0x0f) - 1,
		date & 0x1f,
		time >> 11,
		(time >> 5) & 0x3f,
		(time & 0x1f) * 2,
	);
}

function modifiedTime(time: number, date: number, extra: Buffer): Date | undefined {
	// The extended timestamp is UTC with one-second precision; the DOS fields are local time in two-second steps.
	const extended = findExtraField(extra, EXTENDED_TIMESTAMP_EXTRA);
	if (extended && extended.length >= 5 && (extended[0] & 1) === 1) {
		return new Date(extended.readInt32LE(1) * 1000);
	}
	return dosDateTime(time, date);
}

/** ZIP64 values replace, in this order, the header fields that hold the 0xFFFF… placeholder. */
function zip64Values(
	extra: Buffer,
	needed: Array<{ present: boolean }>,
	entryName: string,
): number[] {
	const field = findExtraField(extra, ZIP64_EXTRA);
	const values: number[] = [];
	let offset = 0;
	for (const { present } of needed) {
		if (!present) continue;
		if (!field || offset + 8 > field.length) {
			throw new ZipError('CORRUPT', `"${entryName}" lacks the ZIP64 sizes its header refers to`, {
				entryName,
			});
		}
		values.push(readUInt64(field, offset, entryName));
		offset += 8;
	}
	return values;
}

export interface ReadZipOptions {
	/**
	 * Each entry's `data` becomes a Node Readable of this class (what n8n's binary stores take in every mode).
	 * Default: the source's own class when the source is a Node stream, else entries are plain async iterables.
	 */
	readableClass?: ReadableClass;
}

/**
 * Reads a zip from a byte stream front to back (local headers), never holding more than one entry's window in
 * memory; skips directories, `__MACOSX/`, `._*` and `.DS_Store` entries; rejects unsafe names (`..` segments,
 * absolute, drive letters, backslash traversal); yields each file entry, whose `data` must be consumed before the
 * next entry is asked for (what is left is read and checked, then dropped); at the end checks the central
 * directory against what was read (every entry present, sizes/CRCs equal, no extra entries, no symbolic links among
 * the entries yielded) and throws if it does not match, so a caller that collects results and only commits them
 * after the generator finishes never outputs a partial archive as if it were complete.
 */
export async function* readZip(
	source: AsyncIterable<Uint8Array>,
	limits?: Partial<ZipLimits>,
	options: ReadZipOptions = {},
): AsyncGenerator<ZipEntry> {
	const settings = resolveLimits(limits);
	const readableClass = options.readableClass ?? nodeReadableClassOf(source);
	const input = new ByteInput(source);
	const totals = { uncompressedBytes: 0 };
	const records: ReadRecord[] = [];
	let body: EntryBody | undefined;
	let completed = false;

	try {
		if (!(await input.ensure(4))) {
			throw new ZipError(
				'NOT_A_ZIP',
				input.buffered === 0
					? 'The archive is empty (0 bytes)'
					: 'The archive is too short to be a zip',
			);
		}
		let signature = input.view(4).readUInt32LE(0);
		if (
			signature !== LOCAL_FILE_HEADER &&
			signature !== END_OF_CENTRAL_DIRECTORY &&
			signature !== ZIP64_END_OF_CENTRAL_DIRECTORY
		) {
			throw new ZipError(
				'NOT_A_ZIP',
				`The data is not a zip archive (it starts with ${preview(input.view(Math.min(input.buffered, 16)))})`,
			);
		}

		for (;;) {
			const offset = input.position;
			signature = (await input.read(4, 'the next header')).readUInt32LE(0);
			if (signature !== LOCAL_FILE_HEADER) break;
			if (records.length >= settings.maxEntries) {
				throw new ZipError(
					'TOO_MANY_ENTRIES',
					`The archive has more than ${settings.maxEntries} entries, the limit for one archive`,
				);
			}

			const {
				flags,
				methodCode,
				time,
				date,
				headerCrc,
				compressedSize,
				uncompressedSize,
				nameBytes,
				extra,
				name,
				zip64,
			} = await readLocalHeader(input);
			const method = methodCode === 0 ? 'stored' : 'deflate';
			const hasDescriptor = (flags & FLAG_DATA_DESCRIPTOR) !== 0;
			const sizesAfterData = hasDescriptor && compressedSize === 0;
			const record: ReadRecord = {
				offset,
				name,
				nameBytes,
				methodCode,
				values: { crc: -1, compressedSize: -1, uncompressedSize: -1 },
				yielded: false,
				matched: false,
			};
			records.push(record);

			const entry: ZipEntry = {
				name,
				uncompressedSize: sizesAfterData ? -1 : uncompressedSize,
				compressedSize: sizesAfterData ? -1 : compressedSize,
				crc32: hasDescriptor ? -1 : headerCrc,
				method,
				data: NO_DATA,
			};
			const modified = modifiedTime(time, date, extra);
			if (modified) entry.modified = modified;

			const source: CompressedSource = sizesAfterData
				? new DescriptorScanSource(input, {
						entryName: name,
						stored: method === 'stored',
						preferZip64: zip64,
					})
				: new KnownLengthSource(input, compressedSize, name);
			const entryBody: EntryBody = new EntryBody({
				entryName: name,
				method,
				source,
				expected: sizesAfterData ? undefined : { crc: headerCrc, compressedSize, uncompressedSize },
				trailingDescriptor: hasDescriptor && !sizesAfterData ? { input, zip64 } : undefined,
				limits: settings,
				totals,
				onFinished: (values) => {
					record.values = values;
					entry.crc32 = values.crc;
					entry.compressedSize = values.compressedSize;
					entry.uncompressedSize = values.uncompressedSize;
				},
			});
			body = entryBody;

			if (isDirectoryName(name) || isMacMetadataName(name)) {
				await entryBody.drain();
			} else {
				entry.data = entryData(entryBody, name, method, readableClass);
				record.yielded = true;
				yield entry;
				// Whatever the caller left unread still has to pass the checks, and must be read to reach the next entry.
				await entryBody.drain();
			}
			body = undefined;
		}

		await checkCentralDirectory(input, signature, records, settings.maxEntries);
		completed = true;
	} finally {
		if (!completed) await body?.abort();
		await input.close();
	}
}

/** One local file header after its signature: checked for what this reader refuses, ZIP64 sizes resolved. */
async function readLocalHeader(input: ByteInput) {
	const header = await input.read(26, 'a local file header');
	const flags = header.readUInt16LE(2);
	const methodCode = header.readUInt16LE(4);
	const time = header.readUInt16LE(6);
	const date = header.readUInt16LE(8);
	const headerCrc = header.readUInt32LE(10);
	let compressedSize = header.readUInt32LE(14);
	let uncompressedSize = header.readUInt32LE(18);
	const nameBytes = await input.read(header.readUInt16LE(22), 'an entry name');
	const extra = await input.read(header.readUInt16LE(24), 'an extra field');
	const name = decodeEntryName(nameBytes, (flags & FLAG_UTF8) !== 0, extra);

	assertSafeEntryName(name);
	if (
		(flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) !== 0 ||
		methodCode === METHOD_AES
	) {
		throw new ZipError(
			'ENCRYPTED',
			`"${name}" is encrypted; password-protected archives are not supported`,
			{
				entryName: name,
			},
		);
	}
	if (methodCode !== 0 && methodCode !== 8) {
		throw new ZipError(
			'UNSUPPORTED',
			`"${name}" uses compression method ${methodCode}; only stored (0) and deflate (8) are supported`,
			{ entryName: name },
		);
	}

	const zip64 = findExtraField(extra, ZIP64_EXTRA) !== undefined;
	const big = zip64Values(
		extra,
		[{ present: uncompressedSize === MAX_32 }, { present: compressedSize === MAX_32 }],
		name,
	);
	if (uncompressedSize === MAX_32) uncompressedSize = big.shift() ?? 0;
	if (compressedSize === MAX_32) compressedSize = big.shift() ?? 0;
	return {
		flags,
		methodCode,
		time,
		date,
		headerCrc,
		compressedSize,
		uncompressedSize,
		nameBytes,
		extra,
		name,
		zip64,
	};
}

/**
 * The decompressor's chunks (16 KiB) are joined up to this size before n8n gets them: its filesystem store writes
 * every chunk with a call of its own. Stored entries pass the network's chunks on uncopied: inside n8n, copying every
 * byte once more costs more in garbage collection (its heap is large) than the writes it saves.
 */
const INFLATED_CHUNK_BYTES = 64 * 1024;

/** The entry's next bytes; for a deflated entry several decoded chunks joined up to INFLATED_CHUNK_BYTES. */
async function nextOutputChunk(body: EntryBody, joinChunks: boolean): Promise<Buffer | undefined> {
	const first = await body.read();
	if (!joinChunks || first === undefined || first.length >= INFLATED_CHUNK_BYTES) return first;
	const chunks = [first];
	let length = first.length;
	while (length < INFLATED_CHUNK_BYTES) {
		const chunk = await body.read();
		if (chunk === undefined) break;
		chunks.push(chunk);
		length += chunk.length;
	}
	return chunks.length === 1 ? first : Buffer.concat(chunks, length);
}

function entryData(
	body: EntryBody,
	name: string,
	method: 'stored' | 'deflate',
	readableClass: ReturnType<typeof nodeReadableClassOf>,
): AsyncIterable<Uint8Array> {
	let opened = false;
	const iterable: AsyncIterable<Uint8Array> = {
		[Symbol.asyncIterator]: () => {
			if (opened) throw new Error(`The data of "${name}" can only be read once`);
			opened = true;
			return {
				next: async () => {
					const chunk = await nextOutputChunk(body, method === 'deflate');
					return chunk === undefined
						? { done: true, value: undefined }
						: { done: false, value: chunk };
				},
				// Stopping early leaves the rest to readZip, which reads and checks it before the next entry.
				return: async () => ({ done: true, value: undefined }),
			};
		},
	};
	return readableClass ? asNodeReadable(readableClass, iterable) : iterable;
}

/** The table of contents not matching what was read: the archive is refused whole. */
function tableOfContentsMismatch(why: string, entryName?: string): ZipError {
	return new ZipError(
		'CORRUPT',
		`The archive's table of contents does not match its contents: ${why}`,
		{ entryName },
	);
}

/**
 * The central directory's entries, each checked against the entry read at its offset; returns the signature that
 * follows them and how many there were.
 */
async function checkCentralEntries(
	input: ByteInput,
	firstSignature: number,
	records: ReadRecord[],
	maxEntries: number,
): Promise<{ signature: number; count: number }> {
	const byOffset = new Map(records.map((record) => [record.offset, record]));
	const corrupt = tableOfContentsMismatch;
	let signature = firstSignature;
	let count = 0;

	while (signature === CENTRAL_DIRECTORY_HEADER) {
		const header = await input.read(42, 'the central directory');
		const versionMadeBy = header.readUInt16LE(0);
		const methodCode = header.readUInt16LE(6);
		const crc = header.readUInt32LE(12);
		let compressedSize = header.readUInt32LE(16);
		let uncompressedSize = header.readUInt32LE(20);
		const nameBytes = await input.read(header.readUInt16LE(24), 'the central directory');
		const extra = await input.read(header.readUInt16LE(26), 'the central directory');
		await input.read(header.readUInt16LE(28), 'the central directory');
		let diskStart = header.readUInt16LE(30);
		const externalAttributes = header.readUInt32LE(34);
		let offset = header.readUInt32LE(38);
		const name = nameBytes.toString('utf8');
		const big = zip64Values(
			extra,
			[
				{ present: uncompressedSize === MAX_32 },
				{ present: compressedSize === MAX_32 },
				{ present: offset === MAX_32 },
				{ present: diskStart === MAX_16 },
			],
			name,
		);
		if (uncompressedSize === MAX_32) uncompressedSize = big.shift() ?? 0;
		if (compressedSize === MAX_32) compressedSize = big.shift() ?? 0;
		if (offset === MAX_32) offset = big.shift() ?? 0;
		if (diskStart === MAX_16) diskStart = big.shift() ?? 0;
		if (diskStart !== 0) {
			throw new ZipError('UNSUPPORTED', 'Archives split over several files are not supported');
		}

		count++;
		if (count > maxEntries) {
			throw new ZipError(
				'TOO_MANY_ENTRIES',
				`The archive has more than ${maxEntries} entries, the limit for one archive`,
			);
		}
		const record = byOffset.get(offset);
		if (!record || record.matched) {
			throw corrupt(`it lists "${name}" at offset ${offset}, where no entry was found`, name);
		}
		record.matched = true;
		if (!record.nameBytes.equals(nameBytes)) {
			throw corrupt(
				`the entry at offset ${offset} is named "${name}" there, "${record.name}" in the archive`,
				record.name,
			);
		}
		if (
			methodCode !== record.methodCode ||
			crc !== record.values.crc ||
			compressedSize !== record.values.compressedSize ||
			uncompressedSize !== record.values.uncompressedSize
		) {
			throw corrupt(
				`"${record.name}" is recorded with method ${methodCode}, CRC ${crc}, ${compressedSize}/${uncompressedSize} bytes; the archive has method ${record.methodCode}, CRC ${record.values.crc}, ${record.values.compressedSize}/${record.values.uncompressedSize} bytes`,
				record.name,
			);
		}
		// A link's "content" is a path; unpacked by a tool it can point anywhere, so such archives are refused.
		if (
			record.yielded &&
			versionMadeBy >> 8 === UNIX_HOST &&
			((externalAttributes >>> 16) & S_IFMT) === S_IFLNK
		) {
			throw new ZipError(
				'SYMLINK',
				`"${record.name}" is a symbolic link; archives with links are refused`,
				{
					entryName: record.name,
				},
			);
		}
		signature = (await input.read(4, 'the central directory')).readUInt32LE(0);
	}

	const missing = records.find((record) => !record.matched);
	if (missing) throw corrupt(`"${missing.name}" is missing from it`, missing.name);
	return { signature, count };
}

/** The central directory against what was read, then the end records against the central directory. */
async function checkCentralDirectory(
	input: ByteInput,
	firstSignature: number,
	records: ReadRecord[],
	maxEntries: number,
): Promise<void> {
	const corrupt = tableOfContentsMismatch;
	const centralStart = input.position - 4;
	const entries = await checkCentralEntries(input, firstSignature, records, maxEntries);
	let signature = entries.signature;
	const count = entries.count;
	const centralEnd = input.position - 4;

	let zip64End: { count: number; size: number; offset: number } | undefined;
	if (signature === ZIP64_END_OF_CENTRAL_DIRECTORY) {
		const recordStart = centralEnd;
		const size = readUInt64(await input.read(8, 'the ZIP64 end record'), 0);
		if (size < 44) throw corrupt('its ZIP64 end record is too short');
		const record = await input.read(size, 'the ZIP64 end record');
		if (record.readUInt32LE(4) !== 0 || record.readUInt32LE(8) !== 0) {
			throw new ZipError('UNSUPPORTED', 'Archives split over several files are not supported');
		}
		zip64End = {
			count: readUInt64(record, 20),
			size: readUInt64(record, 28),
			offset: readUInt64(record, 36),
		};
		signature = (await input.read(4, 'the ZIP64 end locator')).readUInt32LE(0);
		if (signature !== ZIP64_END_LOCATOR) throw corrupt('its ZIP64 end locator is missing');
		const locator = await input.read(16, 'the ZIP64 end locator');
		if (readUInt64(locator, 4) !== recordStart)
			throw corrupt('its ZIP64 end locator points elsewhere');
		signature = (await input.read(4, 'the end of central directory record')).readUInt32LE(0);
	}
	if (signature === DIGITAL_SIGNATURE) {
		const size = (await input.read(2, 'the central directory signature')).readUInt16LE(0);
		await input.read(size, 'the central directory signature');
		signature = (await input.read(4, 'the end of central directory record')).readUInt32LE(0);
	}
	if (signature === DATA_DESCRIPTOR || signature === LOCAL_FILE_HEADER) {
		throw corrupt('an entry follows the central directory');
	}
	if (signature !== END_OF_CENTRAL_DIRECTORY) throw corrupt('its end record is missing');

	const end = await input.read(18, 'the end of central directory record');
	await input.read(end.readUInt16LE(16), 'the archive comment');
	const disk = end.readUInt16LE(0);
	const centralDisk = end.readUInt16LE(2);
	if ((disk !== 0 && disk !== MAX_16) || (centralDisk !== 0 && centralDisk !== MAX_16)) {
		throw new ZipError('UNSUPPORTED', 'Archives split over several files are not supported');
	}
	const recorded = {
		count: end.readUInt16LE(6),
		size: end.readUInt32LE(8),
		offset: end.readUInt32LE(12),
	};
	// A placeholder without a ZIP64 record to resolve it says nothing (Info-ZIP writes that when streaming with -fz).
	const agrees = (
		value: number,
		placeholder: number,
		zip64Value: number | undefined,
		actual: number,
	) => (value === placeholder ? (zip64Value ?? actual) === actual : value === actual);
	if (
		zip64End &&
		(zip64End.count !== count ||
			zip64End.size !== centralEnd - centralStart ||
			zip64End.offset !== centralStart)
	) {
		throw corrupt('its ZIP64 end record disagrees with it');
	}
	if (
		!agrees(recorded.count, MAX_16, zip64End?.count, count) ||
		!agrees(recorded.size, MAX_32, zip64End?.size, centralEnd - centralStart) ||
		!agrees(recorded.offset, MAX_32, zip64End?.offset, centralStart)
	) {
		throw corrupt(
			`its end record counts ${recorded.count} entries in ${recorded.size} bytes at offset ${recorded.offset}; found ${count} in ${centralEnd - centralStart} at ${centralStart}`,
		);
	}
}

function preview(bytes: Buffer): string {
	const printable = bytes.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
	return `"${printable}"`;
}
