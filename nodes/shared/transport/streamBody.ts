import type { IExecuteFunctions } from 'n8n-workflow';

import { asNodeReadable, isNodeReadable, nodeReadableClassOf, readableChunks } from './nodeStream';

/** What n8n's binary store takes: the body of a download. */
export type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/**
 * A download under way (`wixSignedUrlRequest` with `encoding: 'stream'` and `returnFullResponse`): its headers are
 * in, its body is still to be read.
 */
export interface StreamResponse {
	body: BinarySource;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
	/** Ends the transfer with an error (a stalled body); set by whoever started the request with an AbortSignal. */
	abort?: (reason: Error) => void;
}

export interface BodyLimits {
	/** How long the server may send nothing while the body is being read. */
	idleMs: number;
	/** The most bytes accepted; more fails the read with `tooLarge`'s error. */
	maxBytes?: number;
	tooLarge?: (maxBytes: number) => Error;
}

export function responseHeader(response: StreamResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Ends a transfer whose body will not be read (to the end): aborting the request closes the connection; destroying
 * n8n's wrapper of the body alone can leave the socket open.
 */
export function discardBody(response: StreamResponse): void {
	if (response.abort) {
		response.abort(new Error('The download was not read to its end'));
		return;
	}
	const stream = response.body as { destroy?: (error?: Error) => void };
	if (typeof stream.destroy === 'function') stream.destroy();
}

/**
 * Waits between two idle checks on a timer that does not keep the process alive (AbortSignal.timeout's is unref'd),
 * so that a finished download leaves nothing behind that holds n8n or a test runner open.
 */
async function idleCheckPause(ms: number): Promise<void> {
	await new Promise<void>((resolve) => {
		AbortSignal.timeout(ms).addEventListener('abort', () => resolve(), { once: true });
	});
}

/**
 * The body's chunks, failing when the server sends nothing for `idleMs` while the body is being read (n8n's HTTP
 * helper stops watching once the headers are in), or, with `maxBytes`, once more than that came through (a server
 * may send more than its Content-Length, or none). Time the consumer spends on a chunk does not count as idle.
 */
export async function* guardedChunks(
	response: StreamResponse,
	{ idleMs, maxBytes, tooLarge }: BodyLimits,
): AsyncIterable<Uint8Array> {
	const body = response.body;
	const iterator = isNodeReadable(body)
		? readableChunks(body)
		: (body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
	let waitingSince: number | undefined;
	let finished = false;
	let stalled: (Error & { code: string }) | undefined;
	void (async () => {
		while (!finished) {
			await idleCheckPause(Math.min(1000, idleMs));
			if (!finished && waitingSince !== undefined && Date.now() - waitingSince > idleMs) {
				stalled = Object.assign(
					new Error(`No data came from the download for ${Math.round(idleMs / 1000)} s`),
					{ code: 'ETIMEDOUT' },
				);
				if (response.abort) response.abort(stalled);
				else (body as { destroy?: (error: Error) => void }).destroy?.(stalled);
				return;
			}
		}
	})();
	let total = 0;
	let done = false;
	try {
		for (;;) {
			waitingSince = Date.now();
			let next: IteratorResult<Uint8Array>;
			try {
				next = await iterator.next();
			} catch (error) {
				// The abort surfaces as a cancellation; what happened is the stall.
				throw stalled ?? error;
			}
			waitingSince = undefined;
			if (next.done) {
				done = true;
				return;
			}
			total += next.value.length;
			if (maxBytes !== undefined && total > maxBytes) {
				throw tooLarge?.(maxBytes) ?? new Error(`The download is larger than ${maxBytes} bytes`);
			}
			yield next.value;
		}
	} finally {
		finished = true;
		// Stopped before the end (a refused archive, a failed write): the transfer is ended, not left open.
		if (!done) await iterator.return?.();
	}
}

/**
 * The body as a Node stream again (what n8n's binary store pipes to disk, so that a large file never sits in
 * memory whole), guarded as above.
 */
export function guardedBody(response: StreamResponse, limits: BodyLimits): BinarySource {
	const readableClass = nodeReadableClassOf(response.body);
	if (!readableClass) return response.body;
	return asNodeReadable(readableClass, guardedChunks(response, limits)) as unknown as BinarySource;
}
