import type { ByteInput } from './byteInput';
import { crc32 } from './crc32';
import { ZipError } from './errors';

export const LOCAL_FILE_HEADER = 0x04034b50;
export const DATA_DESCRIPTOR = 0x08074b50;
export const CENTRAL_DIRECTORY_HEADER = 0x02014b50;

export interface DescriptorValues {
	crc: number;
	compressedSize: number;
	uncompressedSize: number;
}

/** Where an entry's compressed bytes come from; `consumed` counts the bytes handed out so far. */
export interface CompressedSource {
	next(): Promise<Buffer | undefined>;
	readonly consumed: number;
	/** CRC and sizes from a data descriptor found by scanning, once the end has been found. */
	readonly descriptor?: DescriptorValues;
}

export function readUInt64(bytes: Buffer, offset: number, entryName?: string): number {
	const value = bytes.readBigUInt64LE(offset);
	if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
		throw new ZipError('UNSUPPORTED', `The archive records a size or offset of ${value} bytes`, {
			entryName,
		});
	}
	return Number(value);
}

/** For probing bytes that may not be a descriptor at all: out-of-range values simply match nothing. */
function uint64OrNaN(bytes: Buffer, offset: number): number {
	const value = bytes.readBigUInt64LE(offset);
	return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.NaN : Number(value);
}

/** An entry whose compressed size is known from its local header. */
export class KnownLengthSource implements CompressedSource {
	consumed = 0;

	constructor(
		private readonly input: ByteInput,
		private readonly length: number,
		private readonly entryName: string,
	) {}

	async next(): Promise<Buffer | undefined> {
		const remaining = this.length - this.consumed;
		if (remaining <= 0) return undefined;
		const chunk = await this.input.readChunk(remaining);
		if (!chunk) {
			throw new ZipError(
				'TRUNCATED',
				`The archive ends in the middle of the data of "${this.entryName}" (${this.consumed} of ${this.length} bytes)`,
				{ entryName: this.entryName },
			);
		}
		this.consumed += chunk.length;
		return chunk;
	}
}

/** A descriptor, signed or not, 32- or 64-bit, plus the 4-byte signature that must follow it. */
const DESCRIPTOR_LOOKAHEAD = 28;
/** How far before the next header an unsigned ZIP64 descriptor starts. */
const UNSIGNED_DESCRIPTOR_REACH = 20;
const PK = Buffer.from('PK', 'latin1');
/** Bytes of the next chunk scanned together with the held-back end of the one before: well over a descriptor's reach. */
const BOUNDARY_WINDOW = 64;

/**
 * An entry written with a data descriptor (bit 3) and no sizes in its local header: its end is only known by
 * finding the descriptor. Every place where a descriptor could start (its signature, or the next header's
 * signature 12 or 20 bytes on, for writers that omit it) is confirmed by the recorded compressed size being
 * exactly the number of bytes before it, and the next header following it; for stored entries also by the
 * uncompressed size. (The CRC is left to the end-of-entry check, so a wrong one is reported as such.) Only a short tail is held back while a match is still possible,
 * so memory does not grow with the entry.
 */
export class DescriptorScanSource implements CompressedSource {
	consumed = 0;

	descriptor?: DescriptorValues;

	/** Entry-relative offsets where a descriptor might start, ascending, not yet ruled out. */
	private candidates: number[] = [];

	/** Entry-relative offset up to which signatures have been looked for. */
	private scannedTo = 0;

	private done = false;

	constructor(
		private readonly input: ByteInput,
		private readonly options: {
			entryName: string;
			stored: boolean;
			preferZip64: boolean;
		},
	) {}

	async next(): Promise<Buffer | undefined> {
		if (this.done) return undefined;
		for (;;) {
			const { view, final } = this.window();
			const base = this.consumed;
			this.collectCandidates(view, base, final);
			const across = final ? undefined : await this.acrossEnd(view);
			if (across) this.collectCandidates(across.bytes, base + across.start, across.final);
			while (this.candidates.length > 0) {
				const at = this.candidates[0] - base;
				let match: ReturnType<DescriptorScanSource['matchDescriptor']>;
				if (at + DESCRIPTOR_LOOKAHEAD <= view.length || final) {
					match = this.matchDescriptor(view, at, base + at);
				} else if (
					across &&
					at <= view.length &&
					(at + DESCRIPTOR_LOOKAHEAD <= across.start + across.bytes.length || across.final)
				) {
					match = this.matchDescriptor(across.bytes, at - across.start, base + at);
				} else {
					break;
				}
				this.candidates.shift();
				if (match) {
					const data = view.subarray(0, at);
					this.input.skip(at + match.length);
					this.consumed += at;
					this.descriptor = match.values;
					this.done = true;
					return data.length > 0 ? data : undefined;
				}
			}
			const earliestPossibleStart = Math.min(
				this.candidates[0] ?? Number.POSITIVE_INFINITY,
				this.scannedTo - UNSIGNED_DESCRIPTOR_REACH,
			);
			const safe = Math.min(view.length, earliestPossibleStart - base);
			if (safe > 0) {
				const data = view.subarray(0, safe);
				this.input.skip(safe);
				this.consumed += safe;
				return data;
			}
			if (!this.input.isEnded && (await this.input.fill())) continue;
			// Once the source has ended, the window grows to the last byte; only there is a descriptor truly missing.
			if (!final) continue;
			throw new ZipError(
				'TRUNCATED',
				`The archive ends in the middle of the data of "${this.options.entryName}" (no data descriptor found)`,
				{ entryName: this.options.entryName },
			);
		}
	}

	/**
	 * When the window is a whole chunk, the bytes around its end (its last DESCRIPTOR_LOOKAHEAD, the next chunk's
	 * first BOUNDARY_WINDOW, reading that chunk now if need be), copied. Scanning them as well lets the chunk be
	 * handed on whole: otherwise its held-back end would go out as a separate piece of a few dozen bytes, which n8n's
	 * binary store writes with a call of its own, doubling the writes of a stored entry.
	 */
	private async acrossEnd(
		view: Buffer,
	): Promise<{ start: number; bytes: Buffer; final: boolean } | undefined> {
		if (view.length < BOUNDARY_WINDOW || view.length !== this.input.firstChunkLength) {
			return undefined;
		}
		if (this.input.buffered === view.length && !this.input.isEnded) await this.input.fill();
		const buffered = this.input.buffered;
		if (buffered === view.length) return undefined;
		const start = view.length - DESCRIPTOR_LOOKAHEAD;
		const end = Math.min(buffered, view.length + BOUNDARY_WINDOW);
		return {
			start,
			bytes: this.input.copyRange(start, end),
			final: end === buffered && this.input.isEnded,
		};
	}

	/**
	 * The bytes to scan next. A large first chunk is scanned as it is (no copy), holding back its last few bytes; that
	 * short remainder is then scanned together with the start of the next chunk, copying only those few bytes, so a
	 * descriptor or signature split across chunks is still found and no chunk is ever copied whole. `final`: the
	 * window reaches the end of the archive.
	 */
	private window(): { view: Buffer; final: boolean } {
		const buffered = this.input.buffered;
		const first = this.input.firstChunkLength;
		if (first >= BOUNDARY_WINDOW || first === buffered) {
			return { view: this.input.peek(first), final: first === buffered && this.input.isEnded };
		}
		const length = Math.min(buffered, first + BOUNDARY_WINDOW);
		return { view: this.input.peek(length), final: length === buffered && this.input.isEnded };
	}

	private collectCandidates(view: Buffer, base: number, final: boolean): void {
		const end = final ? view.length : view.length - 3;
		let index = Math.max(this.scannedTo - base, 0);
		const found: number[] = [];
		while (index < end) {
			index = view.indexOf(PK, index);
			if (index === -1 || index >= end) break;
			if (index + 4 <= view.length) {
				const signature = view.readUInt32LE(index);
				if (signature === DATA_DESCRIPTOR) found.push(base + index);
				else if (signature === LOCAL_FILE_HEADER || signature === CENTRAL_DIRECTORY_HEADER) {
					found.push(base + index - 12, base + index - UNSIGNED_DESCRIPTOR_REACH);
				}
			}
			index += 1;
		}
		this.scannedTo = Math.max(this.scannedTo, base + Math.max(end, 0));
		if (found.length === 0) return;
		const merged = new Set([...this.candidates, ...found.filter((offset) => offset >= base)]);
		this.candidates = [...merged].sort((a, b) => a - b);
	}

	/** A descriptor starting at `at` in `view`, which is `entryOffset` bytes into the entry's data. */
	private matchDescriptor(
		view: Buffer,
		at: number,
		entryOffset: number,
	): { length: number; values: DescriptorValues } | undefined {
		const signed = at + 4 <= view.length && view.readUInt32LE(at) === DATA_DESCRIPTOR;
		const widths = this.options.preferZip64 ? [8, 4] : [4, 8];
		for (const width of widths) {
			const start = signed ? at + 4 : at;
			const length = (signed ? 4 : 0) + 4 + 2 * width;
			if (at + length > view.length) continue;
			const crc = view.readUInt32LE(start);
			const compressedSize =
				width === 8 ? uint64OrNaN(view, start + 4) : view.readUInt32LE(start + 4);
			const uncompressedSize =
				width === 8 ? uint64OrNaN(view, start + 12) : view.readUInt32LE(start + 8);
			if (compressedSize !== entryOffset) continue;
			if (this.options.stored && uncompressedSize !== entryOffset) continue;
			if (at + length + 4 <= view.length) {
				const next = view.readUInt32LE(at + length);
				if (next !== LOCAL_FILE_HEADER && next !== CENTRAL_DIRECTORY_HEADER) continue;
			} else if (!signed) {
				continue;
			}
			return { length, values: { crc, compressedSize, uncompressedSize } };
		}
		return undefined;
	}
}

export interface ZipLimitsInEffect {
	maxEntryBytes: number;
	maxTotalUncompressedBytes: number;
	maxCompressionRatio: number;
}

/** Output below this size never counts as a bomb: small, highly compressible files (blank images) are normal. */
const RATIO_GRACE_BYTES = 1024 * 1024;

export interface EntryBodyOptions {
	entryName: string;
	method: 'stored' | 'deflate';
	source: CompressedSource;
	/** CRC and sizes from the local header, when it has them. */
	expected?: DescriptorValues;
	/** Bit 3 with sizes in the header: a descriptor still follows the data and must agree. */
	trailingDescriptor?: { input: ByteInput; zip64: boolean };
	limits: ZipLimitsInEffect;
	/** Shared by all entries of one archive. */
	totals: { uncompressedBytes: number };
	onFinished: (values: DescriptorValues) => void;
}

/**
 * One entry's bytes, decoded chunk by chunk: deflate through the platform's DecompressionStream, with CRC, sizes
 * and limits checked as the bytes come out, so a bomb stops within one chunk of crossing a limit.
 */
export class EntryBody {
	uncompressedBytes = 0;

	crc = 0;

	finished = false;

	private failure?: unknown;

	private writer?: WritableStreamDefaultWriter<Uint8Array>;

	private reader?: ReadableStreamDefaultReader<Uint8Array>;

	private feeding?: Promise<void>;

	private feedError?: unknown;

	private stopping = false;

	constructor(private readonly options: EntryBodyOptions) {}

	/** The next chunk of the entry's bytes; undefined at the end, after every check has passed. */
	async read(): Promise<Buffer | undefined> {
		if (this.failure !== undefined) throw this.failure;
		if (this.finished) return undefined;
		try {
			const chunk =
				this.options.method === 'stored'
					? await this.options.source.next()
					: await this.readInflated();
			if (chunk === undefined) {
				await this.finish();
				return undefined;
			}
			this.account(chunk);
			return chunk;
		} catch (error) {
			this.failure = error;
		}
		await this.stopInflating();
		throw this.failure;
	}

	async drain(): Promise<void> {
		while ((await this.read()) !== undefined);
	}

	/** Releases the decompressor when reading stops early. */
	async abort(): Promise<void> {
		this.failure ??= new ZipError('CORRUPT', 'Reading the archive was stopped', {
			entryName: this.options.entryName,
		});
		await this.stopInflating();
	}

	private async readInflated(): Promise<Buffer | undefined> {
		if (!this.reader) this.startInflating();
		let result: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
		try {
			result = await this.reader!.read();
		} catch (error) {
			throw this.feedError ?? this.corrupt(`its compressed data is invalid (${describe(error)})`);
		}
		if (result.done) {
			await this.feeding;
			if (this.feedError !== undefined) throw this.feedError;
			return undefined;
		}
		const value = result.value;
		return Buffer.isBuffer(value)
			? value
			: Buffer.from(value.buffer, value.byteOffset, value.byteLength);
	}

	private startInflating(): void {
		const stream = new DecompressionStream('deflate-raw');
		this.writer = stream.writable.getWriter();
		this.reader = stream.readable.getReader();
		this.feeding = this.feed(this.writer);
	}

	private async feed(writer: WritableStreamDefaultWriter<Uint8Array>): Promise<void> {
		try {
			while (!this.stopping) {
				const chunk = await this.options.source.next();
				if (chunk === undefined) break;
				await writer.ready;
				if (this.stopping) break;
				await writer.write(chunk);
			}
			await writer.close();
		} catch (error) {
			this.feedError ??= error;
			await writer.abort(error).catch(() => undefined);
		}
	}

	/**
	 * Node's DecompressionStream throws an uncaught "Controller is already closed" when its readable side is
	 * cancelled while zlib still has output queued, so it is never cancelled: feeding stops, the input is closed,
	 * and the little output already under way is read and dropped (a deflate stream cut short then ends in an error,
	 * which is expected here).
	 */
	private async stopInflating(): Promise<void> {
		if (!this.reader || !this.writer) return;
		const reader = this.reader;
		this.feedError ??= this.failure;
		this.stopping = true;
		try {
			while (!(await reader.read()).done);
		} catch {
			// The cut-short deflate data, or the failure that stopped the entry.
		}
		await this.feeding?.catch(() => undefined);
	}

	private account(chunk: Buffer): void {
		const { limits, totals, entryName, expected } = this.options;
		this.crc = crc32(chunk, this.crc);
		this.uncompressedBytes += chunk.length;
		totals.uncompressedBytes += chunk.length;
		if (this.uncompressedBytes > limits.maxEntryBytes) {
			throw new ZipError(
				'TOO_LARGE',
				`"${entryName}" unpacks to more than ${limits.maxEntryBytes} bytes, the limit for one entry`,
				{ entryName },
			);
		}
		if (totals.uncompressedBytes > limits.maxTotalUncompressedBytes) {
			throw new ZipError(
				'TOO_LARGE',
				`The archive unpacks to more than ${limits.maxTotalUncompressedBytes} bytes, the limit for one archive`,
				{ entryName },
			);
		}
		if (expected && this.uncompressedBytes > expected.uncompressedSize) {
			throw this.corrupt(
				`it unpacks to more than the ${expected.uncompressedSize} bytes it declares`,
			);
		}
		const compressed = this.options.source.consumed;
		if (
			this.options.method === 'deflate' &&
			this.uncompressedBytes > RATIO_GRACE_BYTES &&
			this.uncompressedBytes > limits.maxCompressionRatio * Math.max(compressed, 1)
		) {
			throw new ZipError(
				'RATIO_EXCEEDED',
				`"${entryName}" unpacks to over ${limits.maxCompressionRatio} times its compressed size (${this.uncompressedBytes} bytes from ${compressed}); refusing it as a likely zip bomb`,
				{ entryName },
			);
		}
	}

	private async finish(): Promise<void> {
		const { source, expected, trailingDescriptor } = this.options;
		let recorded = source.descriptor ?? expected;
		if (trailingDescriptor) {
			const trailing = await readTrailingDescriptor(
				trailingDescriptor.input,
				trailingDescriptor.zip64,
				this.options.entryName,
			);
			// With bit 3 the header's CRC is usually left at zero (Info-ZIP still fills in the sizes of stored entries).
			if (
				expected &&
				(trailing.compressedSize !== expected.compressedSize ||
					trailing.uncompressedSize !== expected.uncompressedSize)
			) {
				throw this.corrupt('its data descriptor disagrees with its local header');
			}
			recorded = trailing;
		}
		if (!recorded) throw this.corrupt('it has no recorded size');
		if (source.consumed !== recorded.compressedSize) {
			throw this.corrupt(
				`its compressed data is ${source.consumed} bytes, ${recorded.compressedSize} recorded`,
			);
		}
		if (this.uncompressedBytes !== recorded.uncompressedSize) {
			throw this.corrupt(
				`it unpacks to ${this.uncompressedBytes} bytes, ${recorded.uncompressedSize} recorded`,
			);
		}
		if (this.crc !== recorded.crc) {
			throw new ZipError(
				'CRC_MISMATCH',
				`"${this.options.entryName}" is damaged: its CRC-32 is ${hex(this.crc)}, the archive records ${hex(recorded.crc)}`,
				{ entryName: this.options.entryName },
			);
		}
		this.finished = true;
		this.options.onFinished({
			crc: this.crc,
			compressedSize: source.consumed,
			uncompressedSize: this.uncompressedBytes,
		});
	}

	private corrupt(why: string): ZipError {
		return new ZipError('CORRUPT', `"${this.options.entryName}" is damaged: ${why}`, {
			entryName: this.options.entryName,
		});
	}
}

async function readTrailingDescriptor(
	input: ByteInput,
	zip64: boolean,
	entryName: string,
): Promise<DescriptorValues> {
	const what = `the data descriptor of "${entryName}"`;
	const signature = await input.read(4, what, entryName);
	const start = signature.readUInt32LE(0) === DATA_DESCRIPTOR ? [] : [signature];
	const rest = await input.read(
		zip64 ? 20 - 4 * start.length : 12 - 4 * start.length,
		what,
		entryName,
	);
	const fields = Buffer.concat([...start, rest]);
	return zip64
		? {
				crc: fields.readUInt32LE(0),
				compressedSize: readUInt64(fields, 4, entryName),
				uncompressedSize: readUInt64(fields, 12, entryName),
			}
		: {
				crc: fields.readUInt32LE(0),
				compressedSize: fields.readUInt32LE(4),
				uncompressedSize: fields.readUInt32LE(8),
			};
}

function hex(value: number): string {
	return `0x${value.toString(16).padStart(8, '0')}`;
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message || error.name : String(error);
}
