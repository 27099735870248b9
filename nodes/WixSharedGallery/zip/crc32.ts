/**
 * CRC-32 (IEEE 802.3, the ZIP checksum), slicing-by-8: eight derived tables let the loop consume eight bytes per
 * step, several times faster than the classic byte-at-a-time loop. Node code may not use zlib's native crc32, and
 * every byte of every archive goes through this function, so its speed sets the reader's throughput.
 */

const TABLES: Uint32Array[] = buildTables();

function buildTables(): Uint32Array[] {
	const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
	const [base] = tables;
	for (let index = 0; index < 256; index++) {
		let value = index;
		for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
		base[index] = value >>> 0;
	}
	for (let index = 0; index < 256; index++) {
		let value = base[index];
		for (let slice = 1; slice < 8; slice++) {
			value = base[value & 0xff] ^ (value >>> 8);
			tables[slice][index] = value >>> 0;
		}
	}
	return tables;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

/** CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before them; 0 to start). */
export function crc32(bytes: Uint8Array, previous = 0): number {
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
