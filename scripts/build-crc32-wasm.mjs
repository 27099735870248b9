#!/usr/bin/env node
// Writes nodes/WixSharedGallery/zip/crc32Wasm.ts: a WebAssembly module, assembled here byte by byte, computing
// CRC-32 with slicing-by-N tables. Node code may not use zlib's native crc32, and the JavaScript slicing-by-8 loop runs
// at about 0.8 GB/s; the same loop compiled by V8 from WebAssembly runs several times faster. No toolchain is needed:
// the module is one function, and its instructions are spelled out below next to the WAT they stand for.
//
//   (module
//     (memory (export "memory") PAGES)           ;; tables at 0 (N × 1 KiB), input at INPUT_OFFSET
//     (func (export "crc32") (param $crc i32) (param $ptr i32) (param $len i32) (result i32)
//       (local $end i32) (local $fastEnd i32) (local $word i32)
//       crc = ~crc; end = ptr + len; fastEnd = ptr + (len & -N)
//       while (ptr < fastEnd) {                  ;; N bytes per step
//         word = crc ^ load32(ptr);  crc = T[N-1][byte 0 of word] ^ … ^ T[N-4][byte 3 of word]
//         word = load32(ptr + 4);    crc ^= T[N-5][byte 0] ^ … ^ T[N-8][byte 3]        (and so on up to N bytes)
//         ptr += N }
//       while (ptr < end) { crc = T[0][(crc ^ load8(ptr)) & 255] ^ (crc >>> 8); ptr++ }
//       return ~crc))
//
// Usage: node scripts/build-crc32-wasm.mjs [slices]   (default 16)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SLICES = Number(process.argv[2] ?? 16);
if (SLICES % 4 !== 0 || SLICES < 4) throw new Error('slices must be a multiple of 4');
const TABLE_BYTES = 1024;
const INPUT_OFFSET = 65536;
const INPUT_BYTES = 1024 * 1024;
const PAGES = (INPUT_OFFSET + INPUT_BYTES) / 65536;

const uleb = (value) => {
	const bytes = [];
	do {
		let byte = value & 0x7f;
		value >>>= 7;
		if (value !== 0) byte |= 0x80;
		bytes.push(byte);
	} while (value !== 0);
	return bytes;
};
const sleb = (value) => {
	const bytes = [];
	for (;;) {
		const byte = value & 0x7f;
		value >>= 7;
		if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
			bytes.push(byte);
			return bytes;
		}
		bytes.push(byte | 0x80);
	}
};
const vector = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, content) => [id, ...uleb(content.length), ...content];
const name = (text) => vector([...Buffer.from(text, 'utf8')]);

const I32 = 0x7f;
const op = {
	block: [0x02, 0x40],
	loop: [0x03, 0x40],
	br: (depth) => [0x0c, ...uleb(depth)],
	brIf: (depth) => [0x0d, ...uleb(depth)],
	end: [0x0b],
	get: (local) => [0x20, ...uleb(local)],
	set: (local) => [0x21, ...uleb(local)],
	const: (value) => [0x41, ...sleb(value)],
	load: (offset) => [0x28, 2, ...uleb(offset)],
	load8: (offset) => [0x2d, 0, ...uleb(offset)],
	add: [0x6a],
	and: [0x71],
	xor: [0x73],
	shl: [0x74],
	shrU: [0x76],
	geU: [0x4f],
};
const [CRC, PTR, LEN, END, FAST_END, WORD] = [0, 1, 2, 3, 4, 5];

/** T[table][byte `index` of the local `word`] pushed on the stack; tables hold 32-bit entries, 1 KiB each. */
const lookup = (table, index) => {
	// (word >>> 8·index) & 255, times 4 for the entry's byte offset, in one shift and one mask.
	const shift = 8 * index - 2;
	const position =
		shift < 0
			? [...op.get(WORD), ...op.const(2), ...op.shl]
			: [...op.get(WORD), ...op.const(shift), ...op.shrU];
	return [...position, ...op.const(0x3fc), ...op.and, ...op.load(table * TABLE_BYTES)];
};

const body = [];
const emit = (...parts) => parts.forEach((part) => body.push(...part));
// crc = ~crc; end = ptr + len; fastEnd = ptr + (len & -SLICES)
emit(op.get(CRC), op.const(-1), op.xor, op.set(CRC));
emit(op.get(PTR), op.get(LEN), op.add, op.set(END));
emit(op.get(PTR), op.get(LEN), op.const(-SLICES), op.and, op.add, op.set(FAST_END));
emit(op.block, op.loop);
emit(op.get(PTR), op.get(FAST_END), op.geU, op.brIf(1));
for (let word = 0; word < SLICES / 4; word++) {
	// word = load32(ptr + 4·word), xor-ed with the CRC for the first one
	emit(op.get(PTR), op.load(4 * word));
	if (word === 0) emit(op.get(CRC), op.xor);
	emit(op.set(WORD));
	for (let index = 0; index < 4; index++) {
		emit(lookup(SLICES - 1 - (4 * word + index), index));
		if (word > 0 || index > 0) emit(op.xor);
	}
}
emit(op.set(CRC));
emit(op.get(PTR), op.const(SLICES), op.add, op.set(PTR));
emit(op.br(0), op.end, op.end);
// Bytes after the last full step, one at a time.
emit(op.block, op.loop);
emit(op.get(PTR), op.get(END), op.geU, op.brIf(1));
emit(op.get(CRC), op.get(PTR), op.load8(0), op.xor, op.set(WORD));
emit(lookup(0, 0), op.get(CRC), op.const(8), op.shrU, op.xor, op.set(CRC));
emit(op.get(PTR), op.const(1), op.add, op.set(PTR));
emit(op.br(0), op.end, op.end);
emit(op.get(CRC), op.const(-1), op.xor, op.end);

const code = [...vector([[3, I32]]), ...body];
const module = [
	...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
	...section(1, vector([[0x60, ...vector([I32, I32, I32]), ...vector([I32])]])),
	...section(3, vector([[0]])),
	...section(5, vector([[0x00, ...uleb(PAGES)]])),
	...section(
		7,
		vector([
			[...name('crc32'), 0x00, 0],
			[...name('memory'), 0x02, 0],
		]),
	),
	...section(10, vector([[...uleb(code.length), ...code]])),
];

const base64 = Buffer.from(module).toString('base64');
const lines = base64.match(/.{1,100}/g).map((line) => `\t'${line}'`);
const target = join(
	dirname(fileURLToPath(import.meta.url)),
	'..',
	'nodes/WixSharedGallery/zip/crc32Wasm.ts',
);
writeFileSync(
	target,
	`// Generated by scripts/build-crc32-wasm.mjs (slicing-by-${SLICES}); run it again rather than editing this file.

/** The WebAssembly module computing CRC-32 (see scripts/build-crc32-wasm.mjs for its instructions), base64. */
export const CRC32_WASM_BASE64 =
${lines.join(' +\n')};

/** CRC tables the module expects at address 0, in this number of 1 KiB tables. */
export const CRC32_WASM_SLICES = ${SLICES};

/** Where the module reads its input, and how much at a time. */
export const CRC32_WASM_INPUT_OFFSET = ${INPUT_OFFSET};
export const CRC32_WASM_INPUT_BYTES = ${INPUT_BYTES};
`,
);
console.log(`${target}: ${module.length} bytes of WebAssembly, slicing-by-${SLICES}`);
