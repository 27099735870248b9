/**
 * CRC-32 (IEEE 802.3, the ZIP checksum). Node code may not use zlib's native crc32, and every byte of a stored entry
 * goes through this function, so its speed sets the reader's throughput. The work is done by a small WebAssembly
 * module (slicing-by-16, see scripts/build-crc32-wasm.mjs), several times faster than the same loop in JavaScript;
 * the JavaScript slicing-by-8 below serves short inputs (where copying into the module's memory costs more than it
 * saves) and platforms without WebAssembly.
 */
import {
	CRC32_WASM_BASE64,
	CRC32_WASM_INPUT_BYTES,
	CRC32_WASM_INPUT_OFFSET,
	CRC32_WASM_SLICES,
} from './crc32Wasm';

function buildTables(count: number): Uint32Array[] {
	const tables = Array.from({ length: count }, () => new Uint32Array(256));
	const [base] = tables;
	for (let index = 0; index < 256; index++) {
		let value = index;
		for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
		base[index] = value >>> 0;
	}
	for (let index = 0; index < 256; index++) {
		let value = base[index];
		for (let slice = 1; slice < count; slice++) {
			value = base[value & 0xff] ^ (value >>> 8);
			tables[slice][index] = value >>> 0;
		}
	}
	return tables;
}

const TABLES: Uint32Array[] = buildTables(Math.max(8, CRC32_WASM_SLICES));

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

/** The JavaScript slicing-by-8 loop: eight table lookups per eight bytes. */
export function crc32Js(bytes: Uint8Array, previous = 0): number {
	let crc = ~previous >>> 0;
	let index = 0;
	const end = bytes.length;
	const fastEnd = end - (end % 8);
	while (index < fastEnd) {
		const low =
			(crc ^
				(bytes[index] |
					(bytes[index + 1] << 8) |
					(bytes[index + 2] << 16) |
					(bytes[index + 3] << 24))) >>>
			0;
		crc =
			T7[low & 0xff] ^
			T6[(low >>> 8) & 0xff] ^
			T5[(low >>> 16) & 0xff] ^
			T4[low >>> 24] ^
			T3[bytes[index + 4]] ^
			T2[bytes[index + 5]] ^
			T1[bytes[index + 6]] ^
			T0[bytes[index + 7]];
		index += 8;
	}
	while (index < end) {
		crc = T0[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
		index++;
	}
	return ~crc >>> 0;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
declare const WebAssembly: {
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

interface WasmCrc {
	crc32(previous: number, pointer: number, length: number): number;
	heap: Uint8Array;
}

function instantiateWasmCrc(): WasmCrc | undefined {
	try {
		const module = new WebAssembly.Module(Buffer.from(CRC32_WASM_BASE64, 'base64'));
		const instance = new WebAssembly.Instance(module, {});
		const { buffer } = instance.exports.memory as { buffer: ArrayBuffer };
		const heap = new Uint8Array(buffer);
		const tables = new Uint32Array(buffer, 0, 256 * CRC32_WASM_SLICES);
		TABLES.slice(0, CRC32_WASM_SLICES).forEach((table, index) => tables.set(table, index * 256));
		const crc32 = instance.exports.crc32 as WasmCrc['crc32'];
		return { crc32, heap };
	} catch {
		// No WebAssembly here (e.g. node --jitless): the JavaScript loop gives the same results, only slower.
		return undefined;
	}
}

const wasm = instantiateWasmCrc();

/** Which implementation `crc32` uses on this platform (for tests and diagnostics). */
export const CRC32_BACKEND: 'wasm' | 'js' = wasm ? 'wasm' : 'js';

/** Below this many bytes the JavaScript loop is faster than copying into the module's memory and calling it. */
const WASM_MIN_BYTES = 256;

/** CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before them; 0 to start). */
export function crc32(bytes: Uint8Array, previous = 0): number {
	if (!wasm || bytes.length < WASM_MIN_BYTES) return crc32Js(bytes, previous);
	let crc = previous;
	for (let start = 0; start < bytes.length; start += CRC32_WASM_INPUT_BYTES) {
		const piece = bytes.subarray(start, start + CRC32_WASM_INPUT_BYTES);
		wasm.heap.set(piece, CRC32_WASM_INPUT_OFFSET);
		crc = wasm.crc32(crc, CRC32_WASM_INPUT_OFFSET, piece.length);
	}
	return crc >>> 0;
}
