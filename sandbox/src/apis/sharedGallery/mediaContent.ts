/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { crc32 } from 'node:zlib';

import { readSandboxAsset } from '../../lib/assets';
import { pngImage } from '../../lib/mediaBytes';

/**
 * Media bytes for the Shared Gallery: small ones in memory, large ones generated on the fly from a seed, so that
 * items of any size cost no memory and give the same bytes on every read.
 */

export interface MediaContent {
	kind: 'image' | 'video';
	mimeType: string;
	fileExtension: string;
	size: number;
	width: number;
	height: number;
	durationMs?: number;
	/** The bytes, freshly generated on each call; the same every time. */
	open(): AsyncIterable<Buffer>;
}

export function inMemoryContent(
	bytes: Buffer,
	info: Omit<MediaContent, 'size' | 'open'>,
): MediaContent {
	return {
		...info,
		size: bytes.length,
		async *open() {
			yield bytes;
		},
	};
}

const NOISE_BLOCK = 64 * 1024;

/** Deterministic, incompressible bytes: one random block per seed, varied per block so deflate finds no repeats. */
function* noise(seed: number, length: number): Generator<Buffer> {
	const base = new Uint32Array(NOISE_BLOCK / 4);
	let state = seed >>> 0 || 1;
	for (let index = 0; index < base.length; index++) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		base[index] = state >>> 0;
	}
	for (let block = 0, remaining = length; remaining > 0; block++, remaining -= NOISE_BLOCK) {
		const out = Buffer.allocUnsafe(NOISE_BLOCK);
		const words = new Uint32Array(out.buffer, out.byteOffset, NOISE_BLOCK / 4);
		const mix = (Math.imul(block + 1, 0x9e3779b1) ^ seed) >>> 0;
		for (let index = 0; index < words.length; index++)
			words[index] = base[index] ^ (mix + index * 0x01000193);
		yield remaining >= NOISE_BLOCK ? out : out.subarray(0, remaining);
	}
}

const PNG_PAD_CHUNK_MAX = 8 * 1024 * 1024;

/**
 * A real PNG of (about) `targetSize` bytes: a small image, then private ancillary `noIs` chunks of noise that every
 * decoder skips, then IEND. Sizes below the plain image's size give the plain image.
 */
export function generatedPng(seed: number, targetSize: number | undefined): MediaContent {
	const width = 64;
	const height = 48;
	const image = pngImage({ width, height, seed, noise: 0.2 });
	const info = {
		kind: 'image' as const,
		mimeType: 'image/png',
		fileExtension: 'png',
		width,
		height,
	};
	let padding = (targetSize ?? 0) - image.length;
	if (padding < 12) return inMemoryContent(image, info);
	const chunkLengths: number[] = [];
	while (padding >= 12) {
		const length = Math.min(PNG_PAD_CHUNK_MAX, padding - 12);
		chunkLengths.push(length);
		padding -= length + 12;
	}
	// Fewer than 12 bytes left over cannot form a chunk; the last chunk absorbs them.
	chunkLengths[chunkLengths.length - 1] += padding;
	const head = image.subarray(0, image.length - 12);
	const end = image.subarray(image.length - 12);
	return {
		...info,
		size: targetSize as number,
		async *open() {
			yield head;
			for (let chunkIndex = 0; chunkIndex < chunkLengths.length; chunkIndex++) {
				const length = chunkLengths[chunkIndex];
				const chunkHeader = Buffer.alloc(8);
				chunkHeader.writeUInt32BE(length, 0);
				chunkHeader.write('noIs', 4, 'latin1');
				yield chunkHeader;
				let crc = crc32(chunkHeader.subarray(4));
				for (const block of noise(seed * 7919 + chunkIndex, length)) {
					crc = crc32(block, crc);
					yield block;
				}
				const crcBytes = Buffer.alloc(4);
				crcBytes.writeUInt32BE(crc, 0);
				yield crcBytes;
			}
			yield end;
		},
	};
}

/** The sample MP4, padded to (about) `targetSize` with a trailing `free` box of noise, which players ignore. */
export function generatedMp4(seed: number, targetSize: number | undefined): MediaContent {
	const sample = sampleVideo();
	const info = {
		kind: 'video' as const,
		mimeType: 'video/mp4',
		fileExtension: 'mp4',
		width: sample.width,
		height: sample.height,
		durationMs: sample.durationMs,
	};
	const padding = (targetSize ?? 0) - sample.bytes.length;
	if (padding < 16) return inMemoryContent(sample.bytes, info);
	const largeBox = padding > 0xffffffff;
	const headerLength = largeBox ? 16 : 8;
	return {
		...info,
		size: targetSize as number,
		async *open() {
			yield sample.bytes;
			const boxHeader = Buffer.alloc(headerLength);
			if (largeBox) {
				boxHeader.writeUInt32BE(1, 0);
				boxHeader.writeBigUInt64BE(BigInt(padding), 8);
			} else {
				boxHeader.writeUInt32BE(padding, 0);
			}
			boxHeader.write('free', 4, 'latin1');
			yield boxHeader;
			yield* noise(seed, padding - headerLength);
		},
	};
}

interface SampleVideo {
	bytes: Buffer;
	width: number;
	height: number;
	durationMs: number;
}

let cachedSampleVideo: SampleVideo | undefined;

/** `sandbox/assets/sample.mp4`, read once. */
function sampleVideo(): SampleVideo {
	if (cachedSampleVideo) return cachedSampleVideo;
	const bytes = readSandboxAsset('sample.mp4');
	cachedSampleVideo = { bytes, width: 320, height: 180, durationMs: mp4DurationMs(bytes) ?? 2000 };
	return cachedSampleVideo;
}

/** Duration from the movie header (`mvhd`): duration / timescale. */
function mp4DurationMs(bytes: Buffer): number | undefined {
	const at = bytes.indexOf('mvhd', 0, 'latin1');
	if (at < 0) return undefined;
	const version = bytes[at + 4];
	const timescale = bytes.readUInt32BE(at + (version === 1 ? 24 : 16));
	const duration =
		version === 1 ? Number(bytes.readBigUInt64BE(at + 28)) : bytes.readUInt32BE(at + 20);
	return timescale > 0 ? Math.round((duration * 1000) / timescale) : undefined;
}
