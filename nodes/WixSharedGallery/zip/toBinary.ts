import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { mimeTypeFromFileName } from '../../shared/mimeTypes';
import { isNodeReadable } from '../../shared/transport/nodeStream';
import type { ZipEntry } from './reader';

export interface EntryToBinaryOptions {
	/** Default: the last segment of the entry's name. */
	fileName?: string;
	/** Default: from the file name's extension (see mimeTypeFromFileName). */
	mimeType?: string;
}

/** The last path segment of an entry name (`photos/2024/a.png` → `a.png`). */
export function entryBaseName(name: string): string {
	const segments = name.split(/[/\\]/).filter((segment) => segment.length > 0);
	return segments[segments.length - 1] ?? name;
}

/** An async iterable that notes whether anyone has started reading it, opening the underlying one only then. */
function trackReading(source: AsyncIterable<Uint8Array>): {
	iterable: AsyncIterable<Uint8Array>;
	started: () => boolean;
} {
	let started = false;
	return {
		started: () => started,
		iterable: {
			[Symbol.asyncIterator]: () => {
				let iterator: AsyncIterator<Uint8Array> | undefined;
				return {
					next: async () => {
						started = true;
						iterator ??= source[Symbol.asyncIterator]();
						return await iterator.next();
					},
					return: async () => {
						await iterator?.return?.();
						return { done: true, value: undefined };
					},
				};
			},
		},
	};
}

/**
 * Stores a zip entry as n8n binary data without holding the entry in memory. n8n's `prepareBinaryData` accepts a
 * Node Readable, which the filesystem store writes to disk chunk by chunk (S3 and database stores gather it).
 * - When `entry.data` is a Node Readable (readZip makes it one when the archive came as a Node stream, such as an
 *   HTTP response from `httpRequest({ encoding: 'stream' })`), it is handed over as is: streamed in every mode.
 * - Otherwise the async iterable itself is handed over: the filesystem store (the n8n 2.x default) writes any async
 *   iterable as a stream. A store that needs a real stream fails before reading a byte; then, and only then, this
 *   one entry is gathered into a Buffer and stored again.
 * A damaged entry (CRC or size mismatch) makes this throw the reader's ZipError; the partial file is discarded.
 */
export async function entryToBinary(
	this: IExecuteFunctions,
	entry: ZipEntry,
	options: EntryToBinaryOptions = {},
): Promise<IBinaryData> {
	const fileName = options.fileName ?? entryBaseName(entry.name);
	const mimeType = options.mimeType ?? mimeTypeFromFileName(fileName);
	if (isNodeReadable(entry.data)) {
		// The declared parameter type is Buffer | Readable; this is a Readable, just not typed as one here.
		return await this.helpers.prepareBinaryData(
			entry.data as unknown as Buffer,
			fileName,
			mimeType,
		);
	}
	const tracked = trackReading(entry.data);
	let failure: unknown;
	try {
		return await this.helpers.prepareBinaryData(
			tracked.iterable as unknown as Buffer,
			fileName,
			mimeType,
		);
	} catch (error) {
		failure = error;
	}
	// Once bytes were read, the failure is real (a damaged entry, a full disk): callers turn it into a node error.
	if (tracked.started()) throw failure;
	const chunks: Uint8Array[] = [];
	for await (const chunk of entry.data) chunks.push(chunk);
	return await this.helpers.prepareBinaryData(Buffer.concat(chunks), fileName, mimeType);
}
