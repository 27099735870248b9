/**
 * Node code may not import `node:stream`, yet n8n's binary data helpers want a Node Readable (they pipe it to disk,
 * or gather it with `.on('data')` for S3 and database storage). When the archive itself arrives as a Node stream
 * (the HTTP response), its own class chain leads to Node's Readable, whose `from()` turns an async iterable into one.
 */

export interface ReadableClass {
	from(
		iterable: AsyncIterable<Uint8Array>,
		options: { objectMode: boolean },
	): AsyncIterable<Uint8Array>;
}

export function isNodeReadable(value: unknown): boolean {
	const candidate = value as { pipe?: unknown; on?: unknown; read?: unknown } | null;
	return (
		typeof candidate === 'object' &&
		candidate !== null &&
		typeof candidate.pipe === 'function' &&
		typeof candidate.on === 'function' &&
		typeof candidate.read === 'function'
	);
}

/** Node's Readable class, found on the prototype chain of a Node stream; undefined for anything else. */
export function nodeReadableClassOf(value: unknown): ReadableClass | undefined {
	if (!isNodeReadable(value)) return undefined;
	for (
		let prototype: unknown = Object.getPrototypeOf(value);
		prototype !== null && prototype !== undefined;
		prototype = Object.getPrototypeOf(prototype)
	) {
		const constructor: unknown = (prototype as { constructor?: unknown }).constructor;
		if (
			typeof constructor === 'function' &&
			constructor.name === 'Readable' &&
			typeof (constructor as Partial<ReadableClass>).from === 'function'
		) {
			return constructor as unknown as ReadableClass;
		}
	}
	return undefined;
}

/**
 * In object mode each chunk is passed on as it is: a byte-mode Readable's `read()` joins everything buffered into a
 * new Buffer, which inside n8n (a large heap, where every external allocation brings the next full collection
 * nearer) cost more than the writes it saved.
 */
export function asNodeReadable(
	readableClass: ReadableClass,
	iterable: AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
	return readableClass.from(iterable, { objectMode: true });
}

interface NodeReadableEvents {
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	off(event: string, listener: (...args: unknown[]) => void): unknown;
	pause(): unknown;
	resume(): unknown;
	destroy(error?: Error): unknown;
}

function ignoreLateError(): void {}

/** Bytes held from a paused stream before it is told to wait: a few network reads. */
const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * A Node Readable's chunks as they arrived, without copying. Its own async iterator calls `read()`, which joins all
 * the chunks buffered so far into a new Buffer: most of a download gets copied once whenever the network is faster
 * than whoever reads it. Returning early destroys the stream, as Node's iterator does.
 */
export function readableChunks(stream: unknown): AsyncIterator<Uint8Array> {
	const source = stream as NodeReadableEvents;
	const queue: Uint8Array[] = [];
	let queuedBytes = 0;
	let paused = false;
	let ended = false;
	let failure: unknown;
	let wake: (() => void) | undefined;
	const notify = () => {
		const resolve = wake;
		wake = undefined;
		resolve?.();
	};
	const onData = (chunk: unknown) => {
		const bytes = chunk as Uint8Array;
		queue.push(bytes);
		queuedBytes += bytes.length;
		if (queuedBytes >= READ_AHEAD_BYTES && !paused) {
			paused = true;
			source.pause();
		}
		notify();
	};
	const onEnd = () => {
		ended = true;
		notify();
	};
	const onError = (error: unknown) => {
		failure ??= error ?? new Error('The stream failed');
		notify();
	};
	const onClose = () => {
		if (!ended) {
			failure ??= Object.assign(new Error('Premature close'), {
				code: 'ERR_STREAM_PREMATURE_CLOSE',
			});
		}
		notify();
	};
	const detach = () => {
		source.off('data', onData);
		source.off('end', onEnd);
		source.off('close', onClose);
		// An error after the end is nobody's to report, and an unheard 'error' event would end n8n's process.
		source.off('error', onError);
		source.on('error', ignoreLateError);
	};
	source.on('data', onData);
	source.on('end', onEnd);
	source.on('error', onError);
	source.on('close', onClose);
	return {
		next: async () => {
			for (;;) {
				const chunk = queue.shift();
				if (chunk !== undefined) {
					queuedBytes -= chunk.length;
					if (paused && queuedBytes < READ_AHEAD_BYTES) {
						paused = false;
						source.resume();
					}
					return { done: false, value: chunk };
				}
				if (failure !== undefined) {
					detach();
					throw failure;
				}
				if (ended) {
					detach();
					return { done: true, value: undefined };
				}
				await new Promise<void>((resolve) => {
					wake = resolve;
				});
			}
		},
		return: async () => {
			detach();
			queue.length = 0;
			if (!ended) source.destroy();
			return { done: true, value: undefined };
		},
	};
}
