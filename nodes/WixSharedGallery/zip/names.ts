import { crc32 } from './crc32';
import { ZipError } from './errors';

/** The upper half of code page 437, the encoding ZIP prescribes for names without the UTF-8 flag (bit 11). */
const CP437_HIGH =
	'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

export function decodeCp437(bytes: Uint8Array): string {
	let text = '';
	for (const byte of bytes)
		text += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
	return text;
}

const INFO_ZIP_UNICODE_PATH = 0x7075;

/**
 * The entry name as text. Writers that do not set bit 11 may still carry the UTF-8 name in the Info-ZIP Unicode
 * Path extra field, valid only while its CRC matches the raw name.
 */
export function decodeEntryName(nameBytes: Buffer, utf8Flag: boolean, extra: Buffer): string {
	if (utf8Flag) return nameBytes.toString('utf8');
	const unicodePath = findExtraField(extra, INFO_ZIP_UNICODE_PATH);
	if (
		unicodePath &&
		unicodePath.length >= 5 &&
		unicodePath[0] === 1 &&
		unicodePath.readUInt32LE(1) === crc32(nameBytes)
	) {
		return unicodePath.subarray(5).toString('utf8');
	}
	// Some writers (Info-ZIP zip as built by Debian, for one) store UTF-8 names without saying so. CP437 names that
	// happen to be valid UTF-8 would need box-drawing characters in just the right order, so UTF-8 wins when it fits.
	try {
		return STRICT_UTF8.decode(nameBytes);
	} catch {
		return decodeCp437(nameBytes);
	}
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

export function findExtraField(extra: Buffer, id: number): Buffer | undefined {
	let offset = 0;
	while (offset + 4 <= extra.length) {
		const fieldId = extra.readUInt16LE(offset);
		const size = extra.readUInt16LE(offset + 2);
		const start = offset + 4;
		if (start + size > extra.length) return undefined;
		if (fieldId === id) return extra.subarray(start, start + size);
		offset = start + size;
	}
	return undefined;
}

/**
 * Refuses names that would escape the folder an archive is unpacked into, on any platform: `..` segments (with
 * `/` or `\` as separator, since Windows tools honour both), absolute paths, drive letters, NUL bytes.
 * Callers may write entries to disk by name later, so the archive is refused rather than the name repaired.
 */
export function assertSafeEntryName(name: string): void {
	const refuse = (why: string) => {
		throw new ZipError('UNSAFE_NAME', `The archive has an entry named "${name}", which ${why}`, {
			entryName: name,
		});
	};
	if (name.length === 0) refuse('is empty');
	if (name.includes('\0')) refuse('contains a NUL character');
	if (name.startsWith('/') || name.startsWith('\\')) refuse('is an absolute path');
	if (/^[A-Za-z]:/.test(name)) refuse('starts with a drive letter');
	if (name.split(/[/\\]/).includes('..')) refuse('leads out of the archive folder (..)');
}

export function isDirectoryName(name: string): boolean {
	return name.endsWith('/') || name.endsWith('\\');
}

/** Finder's resource forks and folder settings ride along in archives made on a Mac; they are never media. */
export function isMacMetadataName(name: string): boolean {
	const segments = name.split(/[/\\]/);
	const baseName = segments[segments.length - 1] ?? '';
	return segments[0] === '__MACOSX' || baseName.startsWith('._') || baseName === '.DS_Store';
}
