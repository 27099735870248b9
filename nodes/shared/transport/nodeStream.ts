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

export function asNodeReadable(
	readableClass: ReadableClass,
	iterable: AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
	return readableClass.from(iterable, { objectMode: false });
}
