export { crc32 } from './crc32';
export { ZipError, isZipError } from './errors';
export type { ZipErrorCode } from './errors';
export { DEFAULT_MIME_TYPE, mimeTypeFromFileName } from './mimeTypes';
export { decodeCp437 } from './names';
export { DEFAULT_ZIP_LIMITS, readZip } from './reader';
export type { ZipEntry, ZipLimits } from './reader';
export { entryBaseName, entryToBinary } from './toBinary';
export type { EntryToBinaryOptions } from './toBinary';
