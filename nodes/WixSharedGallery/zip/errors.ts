export type ZipErrorCode =
	| 'NOT_A_ZIP'
	| 'TRUNCATED'
	| 'CORRUPT'
	| 'CRC_MISMATCH'
	| 'UNSAFE_NAME'
	| 'SYMLINK'
	| 'TOO_MANY_ENTRIES'
	| 'TOO_LARGE'
	| 'RATIO_EXCEEDED'
	| 'UNSUPPORTED'
	| 'ENCRYPTED';

/** Why an archive was refused. `code` is stable for callers to branch on; the message is meant for people. */
export class ZipError extends Error {
	readonly code: ZipErrorCode;

	/** The entry the problem was found in, as named in the archive (absent for archive-level problems). */
	readonly entryName?: string;

	constructor(
		code: ZipErrorCode,
		message: string,
		options: { entryName?: string; cause?: unknown } = {},
	) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'ZipError';
		this.code = code;
		if (options.entryName !== undefined) this.entryName = options.entryName;
	}
}

export function isZipError(error: unknown): error is ZipError {
	return error instanceof ZipError;
}
