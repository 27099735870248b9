import { ZipError } from './errors';

function asBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array)
		return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	throw new ZipError('NOT_A_ZIP', 'The archive stream gave something other than bytes');
}

/**
 * Pull-based reader over the archive's byte stream. It holds only the chunks not yet consumed, so memory stays at
 * about one source chunk whatever the size of the archive, and tracks the absolute offset, which the central
 * directory is checked against.
 */
export class ByteInput {
	/** Absolute offset of the next unconsumed byte. */
	position = 0;

	private readonly iterator: AsyncIterator<unknown>;

	private chunks: Buffer[] = [];

	private bufferedBytes = 0;

	private ended = false;

	constructor(source: AsyncIterable<Uint8Array>) {
		this.iterator = source[Symbol.asyncIterator]();
	}

	get buffered(): number {
		return this.bufferedBytes;
	}

	get isEnded(): boolean {
		return this.ended;
	}

	/** Pulls one more non-empty chunk from the source; false once the source has ended. */
	async fill(): Promise<boolean> {
		while (!this.ended) {
			let result: IteratorResult<unknown> | undefined;
			let failure: unknown;
			try {
				result = await this.iterator.next();
			} catch (error) {
				failure = error;
			}
			if (result === undefined) {
				this.ended = true;
				throw this.sourceFailure(failure);
			}
			if (result.done) {
				this.ended = true;
				return false;
			}
			const chunk = asBuffer(result.value);
			if (chunk.length === 0) continue;
			this.chunks.push(chunk);
			this.bufferedBytes += chunk.length;
			return true;
		}
		return false;
	}

	/** A download that breaks off mid-archive is, to the reader, an archive cut short. */
	private sourceFailure(error: unknown): ZipError {
		if (error instanceof ZipError) return error;
		const reason = error instanceof Error ? error.message : String(error);
		return new ZipError(
			'TRUNCATED',
			`The archive download broke off after ${this.position + this.bufferedBytes} bytes: ${reason}`,
			{ cause: error },
		);
	}

	/** Whether `count` bytes can be had; false if the source ends first. */
	async ensure(count: number): Promise<boolean> {
		while (this.bufferedBytes < count) {
			if (!(await this.fill())) return false;
		}
		return true;
	}

	/** Exactly `count` bytes, or a TRUNCATED error naming `what` was being read. */
	async read(count: number, what: string, entryName?: string): Promise<Buffer> {
		if (!(await this.ensure(count))) {
			throw new ZipError(
				'TRUNCATED',
				`The archive ends in the middle of ${what} (offset ${this.position + this.bufferedBytes})`,
				{ entryName },
			);
		}
		const view = this.view(count);
		this.skip(count);
		return view;
	}

	/** Up to `max` bytes without copying, pulling a chunk if none is buffered; undefined once the source has ended. */
	async readChunk(max: number): Promise<Buffer | undefined> {
		if (this.bufferedBytes === 0 && !(await this.fill())) return undefined;
		const [first] = this.chunks;
		const chunk = first.length <= max ? first : first.subarray(0, max);
		this.skip(chunk.length);
		return chunk;
	}

	/** The first `count` buffered bytes (all of them by default) as one buffer, joining chunks only when needed. */
	view(count = this.bufferedBytes): Buffer {
		const [first] = this.chunks;
		if (count === 0) return Buffer.alloc(0);
		if (first.length >= count) return first.subarray(0, count);
		// Joining all buffered chunks once keeps later views of the same bytes copy-free.
		const joined = Buffer.concat(this.chunks, this.bufferedBytes);
		this.chunks = [joined];
		return joined.subarray(0, count);
	}

	/** Length of the first buffered chunk (0 when none is buffered). */
	get firstChunkLength(): number {
		return this.chunks[0]?.length ?? 0;
	}

	/**
	 * The first `count` buffered bytes without changing how they are held: the first chunk itself when it has them
	 * all, else a copy. For looking a few bytes across a chunk boundary without joining whole chunks.
	 */
	peek(count: number): Buffer {
		const [first] = this.chunks;
		if (count === 0) return Buffer.alloc(0);
		if (first.length >= count) return first.subarray(0, count);
		const copy = Buffer.allocUnsafe(count);
		let filled = 0;
		for (const chunk of this.chunks) {
			if (filled >= count) break;
			filled += chunk.copy(copy, filled, 0, Math.min(chunk.length, count - filled));
		}
		return copy;
	}

	/** Buffered bytes `start` to `end` (relative to the next unconsumed byte), copied: a short look across chunks. */
	copyRange(start: number, end: number): Buffer {
		const copy = Buffer.allocUnsafe(end - start);
		let chunkStart = 0;
		let filled = 0;
		for (const chunk of this.chunks) {
			const chunkEnd = chunkStart + chunk.length;
			if (chunkEnd > start && chunkStart < end) {
				const from = Math.max(start, chunkStart) - chunkStart;
				const to = Math.min(end, chunkEnd) - chunkStart;
				filled += chunk.copy(copy, filled, from, to);
			}
			if (chunkEnd >= end) break;
			chunkStart = chunkEnd;
		}
		return copy;
	}

	skip(count: number): void {
		let remaining = count;
		this.bufferedBytes -= count;
		this.position += count;
		while (remaining > 0) {
			const first = this.chunks[0];
			if (first.length <= remaining) {
				this.chunks.shift();
				remaining -= first.length;
			} else {
				this.chunks[0] = first.subarray(remaining);
				remaining = 0;
			}
		}
	}

	/** Stops the source (e.g. aborts the HTTP download) when reading ends early. */
	async close(): Promise<void> {
		this.chunks = [];
		this.bufferedBytes = 0;
		if (this.ended) return;
		this.ended = true;
		try {
			await this.iterator.return?.();
		} catch {
			// The source failing while being stopped changes nothing for the caller.
		}
	}
}
