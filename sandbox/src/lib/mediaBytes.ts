/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { crc32, deflateSync } from 'node:zlib';

/**
 * Real media bytes for the sandbox's seed and tests: PNG images any decoder opens, generated on the fly so that
 * nothing large is committed, and deterministic for a given seed so that checksums can be compared across runs.
 */

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

/** A small deterministic pseudo-random generator, so that images differ by seed but never between runs. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface PngOptions {
	width: number;
	height: number;
	/** Picks the colours; the same seed gives the same bytes. */
	seed?: number;
	/**
	 * Share of pixels that are noise (0–1). Noise makes the image compress poorly, which is how tests get large
	 * files of a given size; 0 gives a smooth gradient that compresses well.
	 */
	noise?: number;
}

/** An RGB PNG: a gradient in colours picked by the seed, optionally with noise. */
export function pngImage({ width, height, seed = 1, noise = 0 }: PngOptions): Buffer {
	const random = mulberry32(seed);
	const base = [random() * 255, random() * 255, random() * 255];
	const rowLength = 1 + width * 3;
	const raw = Buffer.alloc(rowLength * height);
	for (let y = 0; y < height; y++) {
		const row = y * rowLength;
		raw[row] = 0;
		for (let x = 0; x < width; x++) {
			const offset = row + 1 + x * 3;
			if (noise > 0 && random() < noise) {
				raw[offset] = (random() * 256) | 0;
				raw[offset + 1] = (random() * 256) | 0;
				raw[offset + 2] = (random() * 256) | 0;
			} else {
				raw[offset] = (base[0] + (x * 255) / Math.max(1, width)) & 0xff;
				raw[offset + 1] = (base[1] + (y * 255) / Math.max(1, height)) & 0xff;
				raw[offset + 2] = base[2] & 0xff;
			}
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // colour type: RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

export interface MediaInfo {
	kind: 'image' | 'video' | 'unknown';
	mimeType: string;
	width?: number;
	height?: number;
}

/**
 * What the bytes are, judged from their content the way Wix's processing does (a file whose bytes are not the
 * media they claim to be fails processing). PNG, JPEG, GIF and WebP images, MP4/MOV video (ISO BMFF `ftyp`).
 */
export function sniffMedia(bytes: Buffer): MediaInfo {
	if (
		bytes.length >= 24 &&
		bytes.readUInt32BE(0) === 0x89504e47 &&
		bytes.toString('latin1', 12, 16) === 'IHDR'
	) {
		return {
			kind: 'image',
			mimeType: 'image/png',
			width: bytes.readUInt32BE(16),
			height: bytes.readUInt32BE(20),
		};
	}
	if (bytes.length >= 10 && bytes.toString('latin1', 0, 6).startsWith('GIF8')) {
		return {
			kind: 'image',
			mimeType: 'image/gif',
			width: bytes.readUInt16LE(6),
			height: bytes.readUInt16LE(8),
		};
	}
	if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return { kind: 'image', mimeType: 'image/jpeg', ...jpegSize(bytes) };
	}
	if (
		bytes.length >= 12 &&
		bytes.toString('latin1', 0, 4) === 'RIFF' &&
		bytes.toString('latin1', 8, 12) === 'WEBP'
	) {
		return { kind: 'image', mimeType: 'image/webp' };
	}
	if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp') {
		const brand = bytes.toString('latin1', 8, 12);
		return {
			kind: 'video',
			mimeType: brand === 'qt  ' ? 'video/quicktime' : 'video/mp4',
			...mp4Size(bytes),
		};
	}
	return { kind: 'unknown', mimeType: 'application/octet-stream' };
}

function jpegSize(bytes: Buffer): { width?: number; height?: number } {
	let offset = 2;
	while (offset + 9 < bytes.length) {
		if (bytes[offset] !== 0xff) return {};
		const marker = bytes[offset + 1];
		const length = bytes.readUInt16BE(offset + 2);
		// Start-of-frame markers carry the size; C4 (DHT), C8 and CC are not frames.
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
		}
		offset += 2 + length;
	}
	return {};
}

/** Width and height from the first video track header (`tkhd`) with a non-zero size. */
function mp4Size(bytes: Buffer): { width?: number; height?: number } {
	let from = 0;
	for (;;) {
		const at = bytes.indexOf('tkhd', from, 'latin1');
		if (at < 4 || at + 4 + 84 > bytes.length) return {};
		const version = bytes[at + 4];
		const sizeOffset = at + 4 + (version === 1 ? 88 : 76);
		if (sizeOffset + 8 > bytes.length) return {};
		const width = bytes.readUInt32BE(sizeOffset) >>> 16;
		const height = bytes.readUInt32BE(sizeOffset + 4) >>> 16;
		if (width > 0 && height > 0) return { width, height };
		from = at + 4;
	}
}
