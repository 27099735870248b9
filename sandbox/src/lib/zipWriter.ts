/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

/**
 * A ZIP writer that streams: entries are read one at a time and written out as they come, so an archive of any size
 * costs only the memory of one chunk plus one central-directory record per entry. Follows APPNOTE 6.3.x: UTF-8 names
 * (bit 11), optional data descriptors (bit 3), ZIP64 when a size, offset or count needs it (or when forced).
 * Deliberately broken archives, for testing archive readers, are in brokenArchives.ts. CRC-32 is Node's own
 * (`zlib.crc32`, Node ≥ 20.15): the sandbox runs in plain Node only.
 */

export type ZipMethod = 'store' | 'deflate';

interface ZipEntryCommon {
	/** Path inside the archive, `/`-separated; written as UTF-8 as given (no normalisation, on purpose). */
	name: string;
	/** Overrides `ZipOptions.method` for this entry (directories are always stored). */
	method?: ZipMethod;
	/** Default: 2024-01-01 00:00 local time, so that archives are reproducible. */
	modified?: Date;
	comment?: string;
	/** Unix mode including the file-type bits (default 0o100644, directories 0o40755, symlinks 0o120777). */
	mode?: number;
	/** Deliberately wrong header values, for broken-archive tests. */
	corrupt?: {
		/** Written instead of the real CRC-32 (local header, data descriptor and central directory). */
		crc?: number;
		/** OR-ed into the general-purpose flags (e.g. 0x0001 = "encrypted"). */
		flags?: number;
		/** Written instead of the real compression method code; the data stays as `method` produced it. */
		methodCode?: number;
	};
}

export interface ZipBytesEntry extends ZipEntryCommon {
	bytes: Buffer;
}

export interface ZipStreamEntry extends ZipEntryCommon {
	/** Exact number of bytes `stream()` yields; a mismatch aborts the archive. */
	size: number;
	/** Called once per pass (twice for an entry written without a data descriptor); must give the same bytes each time. */
	stream: () => AsyncIterable<Buffer>;
}

export interface ZipDirectoryEntry extends ZipEntryCommon {
	directory: true;
}

export type ZipEntry = ZipBytesEntry | ZipStreamEntry | ZipDirectoryEntry;

export interface ZipOptions {
	/** Default method of entries (default `deflate`). */
	method?: ZipMethod;
	/** zlib level for deflate (default 6). */
	level?: number;
	/**
	 * Write CRC and sizes in a data descriptor after each entry's data (bit 3), so an entry is written in one pass.
	 * Without it, a streamed entry is read twice: once to learn CRC and compressed size, once to write it.
	 */
	dataDescriptor?: boolean;
	/** Use ZIP64 records even where plain ZIP fields would do, so that small archives exercise ZIP64 readers. */
	forceZip64?: boolean;
	/** Archive comment (UTF-8). */
	comment?: string;
}

const LOCAL_FILE_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_EXTRA_ID = 0x0001;
const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const METHOD_CODES: Record<ZipMethod, number> = { store: 0, deflate: 8 };
const MADE_BY_UNIX = (3 << 8) | 45;
const DEFAULT_MODIFIED = new Date(2024, 0, 1, 0, 0, 0);

interface CentralRecord {
	nameBytes: Buffer;
	commentBytes: Buffer;
	flags: number;
	methodCode: number;
	dosTime: number;
	dosDate: number;
	crc: number;
	compressedSize: number;
	size: number;
	offset: number;
	externalAttributes: number;
	zip64: boolean;
	versionNeeded: number;
}

function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
	const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
	return {
		dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
		dosDate: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
	};
}

/** Deflate's worst case grows data by 5 bytes per 16 KiB block; sizes this close to 4 GiB need ZIP64 up front. */
function mayExceed32Bits(size: number, method: ZipMethod): boolean {
	const worstCase = method === 'deflate' ? size + Math.ceil(size / 16384) * 5 + 64 : size;
	return worstCase >= MAX_32;
}

function writeUInt64(buffer: Buffer, value: number, offset: number): void {
	buffer.writeBigUInt64LE(BigInt(value), offset);
}

async function* deflateChunks(
	source: AsyncIterable<Buffer>,
	level: number,
): AsyncGenerator<Buffer> {
	const deflater = zlib.createDeflateRaw({ level });
	const feeding = pipeline(Readable.from(source), deflater).catch((error: Error) =>
		deflater.destroy(error),
	);
	for await (const chunk of deflater) yield chunk as Buffer;
	await feeding;
}

/** Yields the entry's stored/deflated data while tallying CRC and sizes into `tally`. */
async function* encodedData(
	open: () => AsyncIterable<Buffer>,
	method: ZipMethod,
	level: number,
	tally: { crc: number; size: number; compressedSize: number },
): AsyncGenerator<Buffer> {
	async function* counted(): AsyncGenerator<Buffer> {
		for await (const chunk of open()) {
			// zlib.crc32 answers 0 for an empty buffer without a backing store, which would lose the running value.
			if (chunk.length > 0) tally.crc = zlib.crc32(chunk, tally.crc);
			tally.size += chunk.length;
			yield chunk;
		}
	}
	const output = method === 'deflate' ? deflateChunks(counted(), level) : counted();
	for await (const chunk of output) {
		tally.compressedSize += chunk.length;
		yield chunk;
	}
}

/**
 * The archive as a stream of chunks. Pull-driven: nothing is read from an entry before the consumer asks for it,
 * so piping this into an HTTP response keeps memory flat for archives of any size.
 */
export async function* zipStream(
	entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
	options: ZipOptions = {},
): AsyncGenerator<Buffer> {
	// Headers and small entries come in tiny pieces; handing them on in batches keeps per-chunk overhead low.
	const batchSize = 64 * 1024;
	let batch: Buffer[] = [];
	let batched = 0;
	for await (const chunk of archiveChunks(entries, options)) {
		if (chunk.length >= batchSize && batched === 0) {
			yield chunk;
			continue;
		}
		batch.push(chunk);
		batched += chunk.length;
		if (batched >= batchSize) {
			yield Buffer.concat(batch, batched);
			batch = [];
			batched = 0;
		}
	}
	if (batched > 0) yield Buffer.concat(batch, batched);
}

async function* archiveChunks(
	entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
	options: ZipOptions,
): AsyncGenerator<Buffer> {
	const forceZip64 = options.forceZip64 === true;
	const central: CentralRecord[] = [];
	let offset = 0;
	for await (const entry of entries) {
		const { record, length } = yield* entryChunks(entry, options, offset);
		central.push(record);
		offset += length;
	}

	const centralStart = offset;
	for (const record of central) {
		const chunk = centralDirectoryHeader(record, forceZip64);
		offset += chunk.length;
		yield chunk;
	}
	yield endOfCentralDirectory(
		central.length,
		centralStart,
		offset - centralStart,
		forceZip64,
		options.comment,
	);
}

/** What an entry's local header says about it, all decided before any of its bytes are read. */
interface EntryLayout {
	isDirectory: boolean;
	method: ZipMethod;
	/** The bytes of an entry given in memory (empty for a directory); undefined for a streamed entry. */
	inMemory: Buffer | undefined;
	size: number;
	useDescriptor: boolean;
	nameBytes: Buffer;
	commentBytes: Buffer;
	flags: number;
	methodCode: number;
	dosTime: number;
	dosDate: number;
	externalAttributes: number;
	/** Sizes in the ZIP64 extra field (forced, or because the entry may outgrow 4 GiB). */
	zip64Sizes: boolean;
}

interface EntrySums {
	crc: number;
	size: number;
	compressedSize: number;
}

function entryLayout(entry: ZipEntry, options: ZipOptions): EntryLayout {
	const isDirectory = 'directory' in entry;
	const method: ZipMethod = isDirectory ? 'store' : (entry.method ?? options.method ?? 'deflate');
	const inMemory = 'stream' in entry ? undefined : 'bytes' in entry ? entry.bytes : Buffer.alloc(0);
	const size = 'stream' in entry ? entry.size : (inMemory?.length ?? 0);
	const useDescriptor = options.dataDescriptor === true && !isDirectory;
	const nameBytes = Buffer.from(entry.name, 'utf8');
	if (nameBytes.length > MAX_16)
		throw new Error(`ZIP entry name too long: ${entry.name.slice(0, 40)}…`);
	const { dosTime, dosDate } = dosDateTime(entry.modified ?? DEFAULT_MODIFIED);
	const mode = entry.mode ?? (isDirectory ? 0o40755 : 0o100644);
	return {
		isDirectory,
		method,
		inMemory,
		size,
		useDescriptor,
		nameBytes,
		commentBytes: Buffer.from(entry.comment ?? '', 'utf8'),
		flags: FLAG_UTF8 | (useDescriptor ? FLAG_DATA_DESCRIPTOR : 0) | (entry.corrupt?.flags ?? 0),
		methodCode: entry.corrupt?.methodCode ?? METHOD_CODES[method],
		dosTime,
		dosDate,
		externalAttributes: ((mode << 16) | (isDirectory ? 0x10 : 0)) >>> 0,
		zip64Sizes: options.forceZip64 === true || mayExceed32Bits(size, method),
	};
}

/**
 * One entry: local header, data, data descriptor. Answers the entry's central-directory record and how many bytes
 * it wrote. Entries already in memory are encoded at once: simpler, and far faster than the async path for many
 * small ones.
 */
async function* entryChunks(
	entry: ZipEntry,
	options: ZipOptions,
	localOffset: number,
): AsyncGenerator<Buffer, { record: CentralRecord; length: number }> {
	const level = options.level ?? 6;
	const layout = entryLayout(entry, options);
	const { inMemory, method, useDescriptor, zip64Sizes } = layout;
	const encodedInMemory =
		inMemory === undefined
			? undefined
			: method === 'deflate'
				? zlib.deflateRawSync(inMemory, { level })
				: inMemory;
	// Without a data descriptor the local header must already hold CRC and compressed size.
	const known: EntrySums = { crc: 0, size: 0, compressedSize: 0 };
	if (inMemory !== undefined && encodedInMemory !== undefined) {
		known.crc = zlib.crc32(inMemory);
		known.size = inMemory.length;
		known.compressedSize = encodedInMemory.length;
	} else if (!useDescriptor && 'stream' in entry) {
		for await (const chunk of encodedData(entry.stream, method, level, known)) void chunk;
		if (known.size !== layout.size) {
			throw new Error(
				`ZIP entry ${entry.name} yielded ${known.size} bytes, declared ${layout.size}`,
			);
		}
	}
	const versionNeeded =
		zip64Sizes || localOffset >= MAX_32 ? 45 : method === 'deflate' || layout.isDirectory ? 20 : 10;
	const header = localFileHeader(layout, known, versionNeeded, entry.corrupt?.crc);
	let length = header.length;
	yield header;

	let written: EntrySums = { crc: 0, size: 0, compressedSize: 0 };
	if (encodedInMemory !== undefined) {
		written = known;
		length += encodedInMemory.length;
		if (encodedInMemory.length > 0) yield encodedInMemory;
	} else if ('stream' in entry) {
		for await (const chunk of encodedData(entry.stream, method, level, written)) {
			length += chunk.length;
			yield chunk;
		}
	}
	checkWritten(entry.name, layout, known, written);
	const crc = entry.corrupt?.crc ?? written.crc;
	if (useDescriptor) {
		const descriptor = dataDescriptor(crc, written, zip64Sizes);
		length += descriptor.length;
		yield descriptor;
	}

	const record: CentralRecord = {
		nameBytes: layout.nameBytes,
		commentBytes: layout.commentBytes,
		flags: layout.flags,
		methodCode: layout.methodCode,
		dosTime: layout.dosTime,
		dosDate: layout.dosDate,
		crc,
		compressedSize: written.compressedSize,
		size: written.size,
		offset: localOffset,
		externalAttributes: layout.externalAttributes,
		zip64: zip64Sizes || localOffset >= MAX_32,
		versionNeeded,
	};
	return { record, length };
}

function localFileHeader(
	layout: EntryLayout,
	known: EntrySums,
	versionNeeded: number,
	corruptCrc: number | undefined,
): Buffer {
	const { nameBytes, useDescriptor, zip64Sizes } = layout;
	const extra = zip64Sizes ? Buffer.alloc(20) : Buffer.alloc(0);
	if (zip64Sizes) {
		extra.writeUInt16LE(ZIP64_EXTRA_ID, 0);
		extra.writeUInt16LE(16, 2);
		writeUInt64(extra, useDescriptor ? 0 : known.size, 4);
		writeUInt64(extra, useDescriptor ? 0 : known.compressedSize, 12);
	}
	const header = Buffer.alloc(30 + nameBytes.length + extra.length);
	header.writeUInt32LE(LOCAL_FILE_HEADER, 0);
	header.writeUInt16LE(versionNeeded, 4);
	header.writeUInt16LE(layout.flags, 6);
	header.writeUInt16LE(layout.methodCode, 8);
	header.writeUInt16LE(layout.dosTime, 10);
	header.writeUInt16LE(layout.dosDate, 12);
	header.writeUInt32LE(useDescriptor ? 0 : (corruptCrc ?? known.crc), 14);
	header.writeUInt32LE(zip64Sizes ? MAX_32 : useDescriptor ? 0 : known.compressedSize, 18);
	header.writeUInt32LE(zip64Sizes ? MAX_32 : useDescriptor ? 0 : known.size, 22);
	header.writeUInt16LE(nameBytes.length, 26);
	header.writeUInt16LE(extra.length, 28);
	nameBytes.copy(header, 30);
	extra.copy(header, 30 + nameBytes.length);
	return header;
}

/** What was written must be what was declared, and (without a descriptor) what the header already promised. */
function checkWritten(
	name: string,
	layout: EntryLayout,
	known: EntrySums,
	written: EntrySums,
): void {
	if (written.size !== layout.size) {
		throw new Error(`ZIP entry ${name} yielded ${written.size} bytes, declared ${layout.size}`);
	}
	if (
		!layout.useDescriptor &&
		(written.crc !== known.crc || written.compressedSize !== known.compressedSize)
	) {
		throw new Error(`ZIP entry ${name} gave different bytes on its second read`);
	}
	if (!layout.zip64Sizes && (written.size >= MAX_32 || written.compressedSize >= MAX_32)) {
		throw new Error(`ZIP entry ${name} outgrew 4 GiB without ZIP64`);
	}
}

function dataDescriptor(crc: number, written: EntrySums, zip64Sizes: boolean): Buffer {
	const descriptor = Buffer.alloc(zip64Sizes ? 24 : 16);
	descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
	descriptor.writeUInt32LE(crc, 4);
	if (zip64Sizes) {
		writeUInt64(descriptor, written.compressedSize, 8);
		writeUInt64(descriptor, written.size, 16);
	} else {
		descriptor.writeUInt32LE(written.compressedSize, 8);
		descriptor.writeUInt32LE(written.size, 12);
	}
	return descriptor;
}

function centralDirectoryHeader(record: CentralRecord, forceZip64: boolean): Buffer {
	// Only the fields that overflow go into the ZIP64 extra field, in the fixed order size, compressed size, offset.
	const bigSize = forceZip64 || record.size >= MAX_32;
	const bigCompressed = forceZip64 || record.compressedSize >= MAX_32;
	const bigOffset = forceZip64 || record.offset >= MAX_32;
	const zip64Values = [
		bigSize ? record.size : -1,
		bigCompressed ? record.compressedSize : -1,
		bigOffset ? record.offset : -1,
	].filter((value) => value >= 0);
	const extra = Buffer.alloc(zip64Values.length > 0 ? 4 + zip64Values.length * 8 : 0);
	if (zip64Values.length > 0) {
		extra.writeUInt16LE(ZIP64_EXTRA_ID, 0);
		extra.writeUInt16LE(zip64Values.length * 8, 2);
		zip64Values.forEach((value, index) => writeUInt64(extra, value, 4 + index * 8));
	}
	const header = Buffer.alloc(46);
	header.writeUInt32LE(CENTRAL_DIRECTORY_HEADER, 0);
	header.writeUInt16LE(MADE_BY_UNIX, 4);
	header.writeUInt16LE(zip64Values.length > 0 ? 45 : record.versionNeeded, 6);
	header.writeUInt16LE(record.flags, 8);
	header.writeUInt16LE(record.methodCode, 10);
	header.writeUInt16LE(record.dosTime, 12);
	header.writeUInt16LE(record.dosDate, 14);
	header.writeUInt32LE(record.crc, 16);
	header.writeUInt32LE(bigCompressed ? MAX_32 : record.compressedSize, 20);
	header.writeUInt32LE(bigSize ? MAX_32 : record.size, 24);
	header.writeUInt16LE(record.nameBytes.length, 28);
	header.writeUInt16LE(extra.length, 30);
	header.writeUInt16LE(record.commentBytes.length, 32);
	header.writeUInt16LE(0, 34); // disk number start
	header.writeUInt16LE(0, 36); // internal attributes
	header.writeUInt32LE(record.externalAttributes, 38);
	header.writeUInt32LE(bigOffset ? MAX_32 : record.offset, 42);
	return Buffer.concat([header, record.nameBytes, extra, record.commentBytes]);
}

function endOfCentralDirectory(
	count: number,
	centralStart: number,
	centralSize: number,
	forceZip64: boolean,
	comment: string | undefined,
): Buffer {
	const commentBytes = Buffer.from(comment ?? '', 'utf8');
	if (commentBytes.length > MAX_16) throw new Error('ZIP archive comment too long');
	const bigCount = forceZip64 || count >= MAX_16;
	const bigSize = forceZip64 || centralSize >= MAX_32;
	const bigOffset = forceZip64 || centralStart >= MAX_32;
	const parts: Buffer[] = [];
	if (bigCount || bigSize || bigOffset) {
		const record = Buffer.alloc(56);
		record.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY, 0);
		writeUInt64(record, 56 - 12, 4);
		record.writeUInt16LE(MADE_BY_UNIX, 12);
		record.writeUInt16LE(45, 14);
		record.writeUInt32LE(0, 16); // this disk
		record.writeUInt32LE(0, 20); // disk with the central directory
		writeUInt64(record, count, 24);
		writeUInt64(record, count, 32);
		writeUInt64(record, centralSize, 40);
		writeUInt64(record, centralStart, 48);
		const locator = Buffer.alloc(20);
		locator.writeUInt32LE(ZIP64_END_LOCATOR, 0);
		locator.writeUInt32LE(0, 4);
		writeUInt64(locator, centralStart + centralSize, 8);
		locator.writeUInt32LE(1, 16); // total disks
		parts.push(record, locator);
	}
	const end = Buffer.alloc(22);
	end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
	end.writeUInt16LE(bigCount ? MAX_16 : count, 8);
	end.writeUInt16LE(bigCount ? MAX_16 : count, 10);
	end.writeUInt32LE(bigSize ? MAX_32 : centralSize, 12);
	end.writeUInt32LE(bigOffset ? MAX_32 : centralStart, 16);
	end.writeUInt16LE(commentBytes.length, 20);
	parts.push(end, commentBytes);
	return Buffer.concat(parts);
}

/** The archive as a Node readable stream. */
export function zipReadable(
	entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
	options?: ZipOptions,
): Readable {
	return Readable.from(zipStream(entries, options), { objectMode: false });
}

/** Streams the archive into `target` (e.g. an HTTP response), honouring back-pressure. */
export async function pipeZip(
	entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
	target: Writable,
	options?: ZipOptions,
): Promise<void> {
	await pipeline(zipReadable(entries, options), target);
}

/** The whole archive in memory; for small archives and tests only. */
export async function zipToBuffer(
	entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
	options?: ZipOptions,
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of zipStream(entries, options)) chunks.push(chunk);
	return Buffer.concat(chunks);
}
