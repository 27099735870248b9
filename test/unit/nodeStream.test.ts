/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run in plain Node, never inside n8n */
import { PassThrough, Readable } from 'node:stream';

import {
	asNodeReadable,
	nodeReadableClassOf,
	readableChunks,
} from '../../nodes/shared/transport/nodeStream';

const KiB = 1024;

async function collect(iterator: AsyncIterator<Uint8Array>): Promise<Uint8Array[]> {
	const chunks: Uint8Array[] = [];
	for (;;) {
		const next = await iterator.next();
		if (next.done) return chunks;
		chunks.push(next.value);
	}
}

describe('readableChunks', () => {
	it('hands out the chunks the stream received, uncopied, where Node’s own iterator joins them', async () => {
		const written = Array.from({ length: 8 }, (_, index) => Buffer.alloc(16 * KiB, index));
		const ours = new PassThrough();
		const iterator = readableChunks(ours);
		for (const chunk of written) ours.write(chunk);
		ours.end();
		const received = await collect(iterator);
		expect(received).toHaveLength(written.length);
		received.forEach((chunk, index) => expect(chunk.buffer).toBe(written[index].buffer));

		// The reference: everything buffered before the first read comes out as one new Buffer.
		const node = new PassThrough();
		for (const chunk of written) node.write(chunk);
		node.end();
		const joined: Buffer[] = [];
		for await (const chunk of node) joined.push(chunk as Buffer);
		expect(joined.length).toBeLessThan(written.length);
		expect(Buffer.concat(received)).toEqual(Buffer.concat(joined));
	});

	it('stops pulling from the stream while about a MiB is waiting to be read, and resumes', async () => {
		let produced = 0;
		const total = 16 * 1024 * KiB;
		const source = new Readable({
			read() {
				if (produced >= total) {
					this.push(null);
					return;
				}
				produced += 64 * KiB;
				this.push(Buffer.alloc(64 * KiB, 1));
			},
		});
		const iterator = readableChunks(source);
		// Until the stream has stopped producing (it never stops if nothing pauses it): time does not decide.
		let seen = -1;
		while (produced !== seen && produced < total) {
			seen = produced;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		// A MiB queued here plus what the paused stream holds itself (its 64 KiB high-water mark and one read).
		expect(produced).toBeGreaterThanOrEqual(1024 * KiB);
		expect(produced).toBeLessThanOrEqual(1024 * KiB + 3 * 64 * KiB);
		const received = await collect(iterator);
		expect(received.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(total);
	});

	it('fails with the stream’s error, and on a stream destroyed before its end', async () => {
		const failing = new PassThrough();
		const failingChunks = readableChunks(failing);
		failing.write(Buffer.from('abc'));
		failing.destroy(new Error('socket hang up'));
		await expect(collect(failingChunks)).rejects.toThrow('socket hang up');

		const cut = new PassThrough();
		const cutChunks = readableChunks(cut);
		cut.write(Buffer.from('abc'));
		cut.destroy();
		await expect(collect(cutChunks)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
	});

	it('destroys the stream when the reader stops early, and outlives a late error', async () => {
		const stream = new PassThrough();
		const iterator = readableChunks(stream);
		stream.write(Buffer.from('first'));
		expect((await iterator.next()).value).toEqual(Buffer.from('first'));
		await iterator.return?.();
		expect(stream.destroyed).toBe(true);
		// Without a listener this would be an uncaught 'error' event.
		expect(() => stream.emit('error', new Error('late'))).not.toThrow();
	});
});

describe('asNodeReadable', () => {
	it('keeps chunk boundaries (object mode), so no chunk is joined to the next', async () => {
		const readableClass = nodeReadableClassOf(new PassThrough());
		expect(readableClass).toBeDefined();
		const chunks = [Buffer.alloc(10, 1), Buffer.alloc(20, 2), Buffer.alloc(30, 3)];
		async function* source(): AsyncGenerator<Uint8Array> {
			yield* chunks;
		}
		const readable = asNodeReadable(readableClass!, source());
		// Let it read ahead, so that a byte-mode stream would join what it buffered.
		await new Promise((resolve) => setTimeout(resolve, 20));
		const received: Uint8Array[] = [];
		for await (const chunk of readable) received.push(chunk);
		expect(received).toEqual(chunks);
	});
});
