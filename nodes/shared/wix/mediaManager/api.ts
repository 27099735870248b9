import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { WixContext } from '../../transport';
import { wixApiRequest, wixSignedUrlRequest } from '../../transport';
import type { WixFileDescriptor } from './types';

const MEDIA_BASE = '/site-media/v1';

export interface WaitOptions {
	/** How long to wait for Wix to process a file, in seconds. */
	timeoutSeconds: number;
	itemIndex: number;
	/** When to check first; by default when earlier files of the node run became ready. */
	firstPollMs?: number;
	maxPollMs?: number;
}

export async function getFileDescriptor(
	this: WixContext,
	fileId: string,
	itemIndex: number,
): Promise<WixFileDescriptor> {
	const response = await wixApiRequest.call(this, {
		method: 'GET',
		path: `${MEDIA_BASE}/files/get-file-by-id`,
		qs: { fileId },
		itemIndex,
	});
	return (response as { file: WixFileDescriptor }).file;
}

/** Asks Wix to fetch a public URL into the Media Manager. The file starts out PENDING. */
export async function importFileFromUrl(
	this: WixContext,
	file: { url: string; displayName?: string; mimeType?: string; parentFolderId?: string },
	itemIndex: number,
): Promise<WixFileDescriptor> {
	const body: IDataObject = { url: file.url };
	if (file.displayName) body.displayName = file.displayName;
	if (file.mimeType) body.mimeType = file.mimeType;
	if (file.parentFolderId) body.parentFolderId = file.parentFolderId;
	const response = await wixApiRequest.call(this, {
		method: 'POST',
		path: `${MEDIA_BASE}/files/import`,
		body,
		itemIndex,
	});
	return (response as { file: WixFileDescriptor }).file;
}

/** What an upload sends: its size, and a way to read it, called once per attempt (a stream can be read once). */
export interface UploadContent {
	size: number;
	open: () => Promise<Buffer | NodeJS.ReadableStream>;
}

/** Uploads bytes the way Wix documents it: an upload URL from the API, then a PUT of the raw bytes to it. */
export async function uploadFileBytes(
	this: WixContext,
	file: { content: UploadContent; fileName: string; mimeType: string; parentFolderId?: string },
	itemIndex: number,
): Promise<WixFileDescriptor> {
	const body: IDataObject = {
		mimeType: file.mimeType,
		fileName: file.fileName,
		sizeInBytes: String(file.content.size),
	};
	if (file.parentFolderId) body.parentFolderId = file.parentFolderId;
	const { uploadUrl } = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${MEDIA_BASE}/files/generate-upload-url`,
		body,
		itemIndex,
	})) as { uploadUrl?: string };
	if (!uploadUrl) {
		throw new NodeOperationError(this.getNode(), 'Wix did not return an upload URL', { itemIndex });
	}
	const target = new URL(uploadUrl);
	target.searchParams.set('filename', file.fileName);
	const response = await wixSignedUrlRequest.call(this, {
		method: 'PUT',
		url: target.toString(),
		headers: { 'Content-Type': file.mimeType, 'Content-Length': String(file.content.size) },
		body: file.content.open,
		json: false,
		// A second PUT could store the file twice.
		idempotent: false,
		itemIndex,
	});
	let parsed: { file?: WixFileDescriptor } | undefined;
	try {
		parsed = (typeof response === 'string' ? JSON.parse(response) : response) as typeof parsed;
	} catch {
		// The answer's text is not repeated: it comes from the upload host, whatever that served.
		throw new NodeOperationError(this.getNode(), "Wix's answer to the upload is not JSON", {
			itemIndex,
		});
	}
	if (!parsed?.file?.id) {
		throw new NodeOperationError(this.getNode(), 'Wix accepted the upload but returned no file', {
			itemIndex,
		});
	}
	return parsed.file;
}

/**
 * How long files of this node run took to become READY, so that the next file's first status check comes when it
 * is likely ready instead of on a fixed schedule: a file ready after 400 ms was seen only at 625 ms with checks at
 * 250 ms and then ×1.5. The estimate is the middle of the last check that saw the file still processing and the
 * one that saw it ready; when the first check already sees it ready, the next file is checked a little earlier, so
 * that the estimate follows Wix when it gets faster.
 */
const readyEstimates = new WeakMap<object, { ms: number }>();

/** After a check that found the file still processing, the next comes this much later, growing by half each time. */
export const READY_POLL = { firstMs: 250, shortStepMs: 50, maxMs: 5000, earlierBy: 0.9 };

/** Polls the file until Wix has processed it, and fails clearly on FAILED or timeout. */
export async function waitUntilFileReady(
	this: WixContext,
	file: WixFileDescriptor,
	{ timeoutSeconds, itemIndex, firstPollMs, maxPollMs = READY_POLL.maxMs }: WaitOptions,
): Promise<WixFileDescriptor> {
	const started = Date.now();
	const deadline = started + timeoutSeconds * 1000;
	const estimate = readyEstimates.get(this);
	let current = file;
	let wait = firstPollMs ?? estimate?.ms ?? READY_POLL.firstMs;
	let step = estimate ? READY_POLL.shortStepMs : Math.round(wait * 1.5);
	let lastProcessingAt: number | undefined;
	let checks = 0;
	for (;;) {
		if (current.operationStatus === 'READY') {
			if (checks > 0) {
				const seenReadyAt = Date.now() - started;
				const ms =
					lastProcessingAt === undefined
						? seenReadyAt * READY_POLL.earlierBy
						: (lastProcessingAt + seenReadyAt) / 2;
				readyEstimates.set(this, { ms: Math.max(1, Math.round(ms)) });
			}
			return current;
		}
		if (current.operationStatus === 'FAILED') {
			throw new NodeOperationError(
				this.getNode(),
				`Wix could not process the file "${current.displayName ?? current.id}" (status FAILED)`,
				{
					itemIndex,
					description: `Media Manager file ID: ${current.id}. Check that the file is a valid image or video of a type Wix supports.`,
				},
			);
		}
		if (checks > 0) lastProcessingAt = Date.now() - started;
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw new NodeOperationError(
				this.getNode(),
				`Wix had not finished processing the file "${current.displayName ?? current.id}" after ${timeoutSeconds} s`,
				{
					itemIndex,
					description: `Media Manager file ID: ${current.id} (status ${current.operationStatus ?? 'unknown'}). Raise "Processing Timeout" or look the file up later with Media → Get File.`,
				},
			);
		}
		await sleep(Math.min(wait, remaining));
		wait = step;
		step = Math.min(maxPollMs, Math.round(step * 1.5));
		current = await getFileDescriptor.call(this, current.id, itemIndex);
		checks++;
	}
}
