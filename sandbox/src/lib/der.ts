/**
 * A small ASN.1 DER writer (ITU-T X.690), just enough to build X.509 certificates: each function returns the whole
 * encoding of one value, tag and length included, so that values nest by concatenation.
 */

function encodeLength(length: number): Buffer {
	if (length < 0x80) return Buffer.from([length]);
	const bytes: number[] = [];
	for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Tag, length, contents. */
export function derValue(tag: number, contents: Buffer): Buffer {
	return Buffer.concat([Buffer.from([tag]), encodeLength(contents.length), contents]);
}

export function derSequence(...values: Buffer[]): Buffer {
	return derValue(0x30, Buffer.concat(values));
}

export function derSet(...values: Buffer[]): Buffer {
	return derValue(0x31, Buffer.concat(values));
}

/** A non-negative INTEGER from its big-endian bytes (a 0x00 is put in front when the top bit is set). */
export function derUnsignedInteger(bytes: Buffer): Buffer {
	let start = 0;
	while (start < bytes.length - 1 && bytes[start] === 0) start++;
	const trimmed = bytes.subarray(start);
	return derValue(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function derSmallInteger(value: number): Buffer {
	return derUnsignedInteger(Buffer.from([value]));
}

export function derBoolean(value: boolean): Buffer {
	return derValue(0x01, Buffer.from([value ? 0xff : 0x00]));
}

/** An OBJECT IDENTIFIER from its dotted form, e.g. `2.5.4.3`. */
export function derObjectIdentifier(dotted: string): Buffer {
	const arcs = dotted.split('.').map(Number);
	const bytes: number[] = [arcs[0] * 40 + arcs[1]];
	for (const arc of arcs.slice(2)) {
		const base128: number[] = [arc & 0x7f];
		for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
			base128.unshift((rest & 0x7f) | 0x80);
		}
		bytes.push(...base128);
	}
	return derValue(0x06, Buffer.from(bytes));
}

export function derUtf8String(text: string): Buffer {
	return derValue(0x0c, Buffer.from(text, 'utf8'));
}

export function derOctetString(bytes: Buffer): Buffer {
	return derValue(0x04, bytes);
}

/** A BIT STRING of whole bytes, or of `bitLength` bits (the named-bit lists of key usage). */
export function derBitString(bytes: Buffer, bitLength = bytes.length * 8): Buffer {
	const unused = bytes.length * 8 - bitLength;
	return derValue(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** UTCTime (`YYMMDDHHMMSSZ`) up to 2049, GeneralizedTime after, as RFC 5280 §4.1.2.5 requires. */
export function derTime(date: Date): Buffer {
	const iso = date.toISOString(); // 2026-12-03T06:30:00.000Z
	const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
	return date.getUTCFullYear() < 2050
		? derValue(0x17, Buffer.from(digits.slice(2), 'latin1'))
		: derValue(0x18, Buffer.from(digits, 'latin1'));
}

/** `[n] EXPLICIT`: a constructed context-specific tag around a whole value. */
export function derExplicit(tagNumber: number, value: Buffer): Buffer {
	return derValue(0xa0 | tagNumber, value);
}

/** `[n] IMPLICIT` of a primitive value: the value's contents under a context-specific tag. */
export function derImplicitPrimitive(tagNumber: number, contents: Buffer): Buffer {
	return derValue(0x80 | tagNumber, contents);
}
