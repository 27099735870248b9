/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a test's child process: plain Node, never inside n8n */
/**
 * Run by zipReader.test.ts in a node process of its own (test/support/childProcess.ts), with a V8 heap limit below
 * every entry's size: reads a 300 MB archive (two stored videos of 140 and 120 MB, 40 MB of deflated text) with
 * readZip as it is written, checking at every 16 MiB read that the memory the process keeps reachable has not grown
 * by more than `budget` bytes (reachableMemory.ts).
 *
 * Arguments: <reader: discard|gather> <budget bytes>. `gather` is a control: the reader holds each entry's chunks
 * until the entry ends, as a reader that buffered entries would.
 * Reports: each entry's name and size as read, the total, and the memory figures.
 */
import { readZip } from '../../nodes/WixSharedGallery/zip';
import { zipStream } from '../../sandbox/src';
import { reportToParent } from '../support/childProcess';
import { reachableMemoryProbe } from '../support/reachableMemory';

export interface ZipReaderChildResult {
	entries: Array<{ name: string; size: number }>;
	total: number;
	peakGrowth: number;
	checkpoints: number;
	budgetBytes: number;
	baselineBytes: number;
}

const MB = 1024 * 1024;
const CHECK_EVERY = 16 * MB;

/** Deterministic bytes that deflate cannot shrink. */
function noise(size: number, seed: number): Buffer {
	const bytes = Buffer.alloc(size);
	let state = seed >>> 0 || 1;
	for (let index = 0; index < size; index++) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		bytes[index] = state & 0xff;
	}
	return bytes;
}

async function* content(size: number, base: Buffer): AsyncGenerator<Buffer> {
	for (let offset = 0; offset < size; offset += MB) {
		const chunk = Buffer.from(base.subarray(0, Math.min(MB, size - offset)));
		chunk.writeUInt32LE(offset / MB, 0);
		yield chunk;
	}
}

export const ARCHIVE_ENTRIES = [
	{ name: 'video-1.mp4', size: 140 * MB, kind: 'noise', method: 'store' },
	{ name: 'video-2.mp4', size: 120 * MB + 123, kind: 'noise', method: 'store' },
	{ name: 'captions.txt', size: 40 * MB, kind: 'text', method: 'deflate' },
] as const;

async function main(): Promise<void> {
	const [reader, budgetText] = process.argv.slice(2);
	if (reader !== 'discard' && reader !== 'gather') throw new Error(`bad reader ${reader}`);
	const probe = reachableMemoryProbe(Number(budgetText));
	const block = noise(MB, 5);
	const text = Buffer.from('frame metadata 0123456789\n'.repeat(40_330)).subarray(0, MB);
	const archive = (scale: number) =>
		zipStream(
			ARCHIVE_ENTRIES.map((entry) => {
				const size = Math.ceil(entry.size / scale);
				const base = entry.kind === 'noise' ? block : text;
				return { name: entry.name, size, stream: () => content(size, base), method: entry.method };
			}),
			{ dataDescriptor: true, level: 1 },
		);
	const read = async (scale: number, onProgress?: (total: number) => void) => {
		const entries: Array<{ name: string; size: number }> = [];
		let total = 0;
		let nextCheck = CHECK_EVERY;
		for await (const entry of readZip(archive(scale))) {
			const held: Uint8Array[] = [];
			let size = 0;
			for await (const chunk of entry.data) {
				size += chunk.length;
				total += chunk.length;
				if (reader === 'gather') held.push(chunk);
				if (total >= nextCheck) {
					nextCheck += CHECK_EVERY;
					onProgress?.(total);
				}
			}
			entries.push({ name: entry.name, size });
		}
		return { entries, total };
	};

	// A warm-up read of a small archive of the same kinds loads the code, so the baseline holds it.
	await read(1024);
	probe.baseline();
	const { entries, total } = await read(1, (soFar) =>
		probe.checkpoint(`${Math.floor(soFar / MB)} MiB read`),
	);
	probe.checkpoint('end of archive');
	const report: ZipReaderChildResult = { entries, total, ...probe.summary() };
	reportToParent(report);
}

// Only when run as the child: the test file imports this module for its types and constants.
if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			process.stderr.write(
				`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			);
			process.exit(1);
		},
	);
}
