import { createHash } from 'node:crypto';

import { sniffMedia } from './mediaBytes';
import type { MediaInfo } from './mediaBytes';

/**
 * What the emulated social platforms (Telegram, LinkedIn, Instagram) record about a file they received, so that a
 * test can compare it with the Wix media it came from: the bytes' SHA-256 and size, the type the caller declared,
 * and the type the bytes really are (judged from their magic bytes, as the platforms do).
 */
export interface ReceivedFile {
	sha256: string;
	size: number;
	/** The content type the caller sent (multipart part, Content-Type header, or the URL's answer); null if none. */
	declaredType: string | null;
	/** What the bytes are (`image/png`, `video/mp4`, … or `application/octet-stream`). */
	detectedType: string;
	kind: MediaInfo['kind'];
	fileName: string | null;
	width: number | null;
	height: number | null;
}

export function describeReceivedFile(
	bytes: Buffer,
	declaredType: string | undefined | null,
	fileName: string | undefined | null,
): ReceivedFile {
	const sniffed = sniffMedia(bytes);
	return {
		sha256: createHash('sha256').update(bytes).digest('hex'),
		size: bytes.length,
		declaredType: declaredType || null,
		detectedType: sniffed.mimeType,
		kind: sniffed.kind,
		fileName: fileName || null,
		width: sniffed.width ?? null,
		height: sniffed.height ?? null,
	};
}

export type FetchedMedia =
	| { ok: true; bytes: Buffer; contentType: string | null }
	| { ok: false; reason: 'unreachable' | 'status' | 'too-large'; detail: string };

/** Downloads a URL the way a platform fetches media it was given by URL: bounded in time and size. */
export async function fetchMedia(
	url: string,
	{ maxBytes, timeoutMs = 15000 }: { maxBytes: number; timeoutMs?: number },
): Promise<FetchedMedia> {
	let response: Response;
	try {
		if (!/^https?:\/\//i.test(url)) throw new Error('not an http(s) URL');
		response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
	} catch (error) {
		return { ok: false, reason: 'unreachable', detail: (error as Error).message };
	}
	if (!response.ok) {
		await response.body?.cancel().catch(() => undefined);
		return { ok: false, reason: 'status', detail: `answered ${response.status}` };
	}
	const chunks: Buffer[] = [];
	let size = 0;
	// Leaving the loop early cancels the download.
	for await (const chunk of response.body ?? []) {
		size += (chunk as Uint8Array).length;
		if (size > maxBytes) break;
		chunks.push(Buffer.from(chunk as Uint8Array));
	}
	if (size > maxBytes) {
		return { ok: false, reason: 'too-large', detail: `more than ${maxBytes} bytes` };
	}
	return {
		ok: true,
		bytes: Buffer.concat(chunks),
		contentType: response.headers.get('content-type'),
	};
}
