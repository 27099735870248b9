import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../shared/execution';
import { TIMEOUTS } from '../../shared/transport';
import { nodeReadableClassOf } from '../../shared/transport/nodeStream';
import {
	discardBody,
	guardedBody,
	guardedChunks,
	responseHeader,
} from '../../shared/transport/streamBody';
import type { StreamResponse } from '../../shared/transport/streamBody';
import { openDownload, queryItems } from '../../shared/wix/sharedGallery/api';
import { simplifyItem } from '../../shared/wix/sharedGallery/output';
import type { SharedGalleryItem } from '../../shared/wix/sharedGallery/types';
import {
	assertSafeEntryName,
	DEFAULT_ZIP_LIMITS,
	entryBaseName,
	entryToBinary,
	mimeTypeFromFileName,
	readZip,
	ZipError,
} from '../zip';
import type { ZipLimits } from '../zip';
import { fileNameFromDisposition, matchArchiveEntries } from './archiveNames';

export interface DownloadOptions {
	binaryPropertyName: string;
	/** Most item IDs per archive request. */
	batchSize: number;
	limits: Partial<ZipLimits>;
}

/** One item to download, with the input items it came from (for `pairedItem`). */
export interface DownloadTarget {
	id: string;
	item?: SharedGalleryItem;
	inputIndexes: number[];
}

/** One downloaded file, before it becomes an output item. */
interface DownloadedFile {
	fileName: string;
	/** The entry's full name, when it is not at the archive root. */
	archivePath?: string;
	mimeType: string;
	size: number;
	binary: IBinaryData;
	fromArchive: boolean;
	item?: SharedGalleryItem;
	/** The requested id the file belongs to (an album's id for the album's files). */
	requestedId?: string;
}

function uniqueTargets(targets: DownloadTarget[]): DownloadTarget[] {
	const byId = new Map<string, DownloadTarget>();
	for (const target of targets) {
		const known = byId.get(target.id);
		if (known) {
			known.inputIndexes = [...new Set([...known.inputIndexes, ...target.inputIndexes])];
			known.item ??= target.item;
		} else {
			byId.set(target.id, { ...target, inputIndexes: [...target.inputIndexes] });
		}
	}
	return [...byId.values()];
}

export function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		chunks.push(list.slice(start, start + size));
	return chunks;
}

/** Fills in the metadata of targets given only by id, so that their files can be named and matched. */
async function withMetadata(
	this: IExecuteFunctions,
	targets: DownloadTarget[],
	itemIndex: number,
): Promise<DownloadTarget[]> {
	const missing = targets.filter((target) => !target.item).map((target) => target.id);
	if (missing.length === 0) return targets;
	const found = await queryItems.call(this, { filter: { itemIds: missing } }, undefined, itemIndex);
	const byId = new Map(found.map((item) => [item.id, item]));
	return targets.map((target) => ({ ...target, item: target.item ?? byId.get(target.id) }));
}

/**
 * The media a batch's archive should hold, in request order: Wix puts an album's media in the archive in place of
 * the album, so the album's children are looked up to name and match them.
 */
async function expectedMedia(
	this: IExecuteFunctions,
	batch: DownloadTarget[],
	itemIndex: number,
): Promise<Array<{ item: SharedGalleryItem; requestedId: string }>> {
	const expected: Array<{ item: SharedGalleryItem; requestedId: string }> = [];
	const seen = new Set<string>();
	for (const target of batch) {
		const media =
			target.item?.type === 'ALBUM'
				? await queryItems.call(
						this,
						{
							filter: { albumIds: [target.id], itemTypes: ['VISUAL_MEDIA'] },
							sort: { field: 'ORDER_NUMBERS', order: 'ASC' },
						},
						undefined,
						itemIndex,
					)
				: target.item
					? [target.item]
					: [];
		for (const item of media) {
			if (seen.has(item.id)) continue;
			seen.add(item.id);
			expected.push({ item, requestedId: target.id });
		}
	}
	return expected;
}

function archiveError(this: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof ZipError) {
		const where = error.entryName ? ` in "${error.entryName}"` : '';
		return new NodeOperationError(
			this.getNode(),
			`The archive from Wix is unusable: ${error.code}${where}`,
			{
				itemIndex,
				description: `${error.message}. No files of this archive were output.`,
			},
		);
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	const code = (error as { code?: unknown }).code;
	// The code stays out of the message: n8n replaces a message naming a network code with a generic text.
	return new NodeOperationError(this.getNode(), 'The download from Wix broke off', {
		itemIndex,
		description: `${(error as Error).message ?? String(error)}${typeof code === 'string' ? ` (${code})` : ''}. No files of this archive were output.`,
	});
}

async function readArchive(
	this: IExecuteFunctions,
	response: StreamResponse,
	expected: Array<{ item: SharedGalleryItem; requestedId: string }>,
	options: DownloadOptions,
	itemIndex: number,
): Promise<DownloadedFile[]> {
	const files: DownloadedFile[] = [];
	try {
		for await (const entry of readZip(
			guardedChunks(response, { idleMs: TIMEOUTS.idleMs }),
			options.limits,
			// Entries become Node streams like the response, for n8n's binary store.
			{ readableClass: nodeReadableClassOf(response.body) },
		)) {
			const fileName = entryBaseName(entry.name);
			const mimeType = mimeTypeFromFileName(fileName);
			const binary = await entryToBinary.call(this, entry, { fileName, mimeType });
			// The store counts what it wrote; the entry knows its size once read, even with a data descriptor.
			const size = binary.bytes ?? entry.uncompressedSize;
			files.push({
				fileName,
				archivePath: entry.name,
				mimeType,
				size,
				binary,
				fromArchive: true,
			});
		}
	} catch (error) {
		discardBody(response);
		throw archiveError.call(this, error, itemIndex);
	}
	const matches = matchArchiveEntries(
		files.map((file) => ({ name: file.archivePath ?? file.fileName, size: file.size })),
		expected.map(({ item }) => ({ id: item.id, name: item.name, sizeBytes: item.sizeBytes })),
	);
	files.forEach((file, index) => {
		const match = expected[matches[index]];
		if (match) {
			file.item = match.item;
			file.requestedId = match.requestedId;
		}
	});
	if (files.length < expected.length) {
		// Fewer files than media asked for: Wix's archive is incomplete, and outputting it would hide that.
		const matched = new Set(matches);
		const missing = expected.filter((_, index) => !matched.has(index)).map(({ item }) => item.name);
		throw new NodeOperationError(
			this.getNode(),
			files.length === 0
				? `The archive from Wix holds no files, though ${expected.length} were asked for`
				: `The archive from Wix holds ${files.length} files, though ${expected.length} were asked for`,
			{
				itemIndex,
				description: `Missing: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}. No files of this archive were output.`,
			},
		);
	}
	return files;
}

function singleFileError(this: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (!(error instanceof ZipError)) return archiveError.call(this, error, itemIndex);
	return new NodeOperationError(this.getNode(), `The file from Wix was refused: ${error.code}`, {
		itemIndex,
		description: `${error.message}. The file was not output.`,
	});
}

function fileTooLarge(maxBytes: number): Error {
	return new ZipError(
		'TOO_LARGE',
		`The file is larger than Max Total Size allows (${maxBytes} bytes)`,
	);
}

async function readSingleFile(
	this: IExecuteFunctions,
	response: StreamResponse,
	expected: Array<{ item: SharedGalleryItem; requestedId: string }>,
	limits: Partial<ZipLimits>,
	itemIndex: number,
): Promise<DownloadedFile> {
	const only = expected.length === 1 ? expected[0] : undefined;
	const maxBytes = limits.maxTotalUncompressedBytes ?? DEFAULT_ZIP_LIMITS.maxTotalUncompressedBytes;
	let fileName: string;
	try {
		const announcedSize = Number(responseHeader(response, 'content-length'));
		if (Number.isFinite(announcedSize) && announcedSize > maxBytes) {
			throw new ZipError(
				'TOO_LARGE',
				`The file has ${announcedSize} bytes, more than Max Total Size allows (${maxBytes} bytes)`,
			);
		}
		// The name comes from the download host: held to the same rules as a name inside an archive.
		const announcedName = fileNameFromDisposition(responseHeader(response, 'content-disposition'));
		if (announcedName !== undefined) assertSafeEntryName(announcedName);
		fileName = entryBaseName(announcedName ?? only?.item.name ?? 'file');
	} catch (error) {
		discardBody(response);
		throw singleFileError.call(this, error, itemIndex);
	}
	const contentType = responseHeader(response, 'content-type')?.split(';')[0].trim();
	const mimeType =
		contentType && contentType !== 'application/octet-stream'
			? contentType
			: mimeTypeFromFileName(fileName);
	let binary: IBinaryData;
	try {
		binary = await this.helpers.prepareBinaryData(
			guardedBody(response, { idleMs: TIMEOUTS.idleMs, maxBytes, tooLarge: fileTooLarge }),
			fileName,
			mimeType,
		);
	} catch (error) {
		discardBody(response);
		throw singleFileError.call(this, error, itemIndex);
	}
	const match =
		only ?? expected.find(({ item }) => item.name.toLowerCase() === fileName.toLowerCase());
	return {
		fileName,
		mimeType,
		size: binary.bytes ?? Number(responseHeader(response, 'content-length') ?? 0),
		binary,
		fromArchive: false,
		item: match?.item,
		requestedId: match?.requestedId,
	};
}

function pairedItems(indexes: number[]): IPairedItemData | IPairedItemData[] {
	const pairs = [...new Set(indexes)].sort((a, b) => a - b).map((item) => ({ item }));
	return pairs.length === 1 ? pairs[0] : pairs;
}

function toOutputItem(
	file: DownloadedFile,
	options: DownloadOptions,
	inputIndexes: number[],
): INodeExecutionData {
	const json: IDataObject = {
		fileName: file.fileName,
		...(file.archivePath && file.archivePath !== file.fileName
			? { archivePath: file.archivePath }
			: {}),
		mimeType: file.mimeType,
		size: file.size,
		itemId: file.item?.id ?? null,
		matched: file.item !== undefined,
		fromArchive: file.fromArchive,
		item: file.item ? simplifyItem(file.item, { raw: false }) : null,
	};
	return {
		json,
		binary: { [options.binaryPropertyName]: file.binary },
		pairedItem: pairedItems(inputIndexes),
	};
}

/**
 * Downloads one batch (at most `batchSize` ids, one download URL) and returns its files as output items. Output
 * is only returned once the whole archive has been read and checked against its central directory, so a broken
 * archive never yields some of its files as if they were all.
 */
async function downloadBatch(
	this: IExecuteFunctions,
	batch: DownloadTarget[],
	options: DownloadOptions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const expected = await expectedMedia.call(this, batch, itemIndex);
	const { archived, response } = await openDownload.call(
		this,
		batch.map((target) => target.id),
		itemIndex,
	);
	const files = archived
		? await readArchive.call(this, response, expected, options, itemIndex)
		: [await readSingleFile.call(this, response, expected, options.limits, itemIndex)];
	const inputsById = new Map(batch.map((target) => [target.id, target.inputIndexes]));
	const batchInputs = batch.flatMap((target) => target.inputIndexes);
	return files.map((file) =>
		toOutputItem(
			file,
			options,
			(file.requestedId ? inputsById.get(file.requestedId) : undefined) ?? batchInputs,
		),
	);
}

/**
 * Downloads the targets in batches of `batchSize` ids. A failed batch throws; with `onBatchError` the caller may
 * turn it into an error item instead and the other batches still run.
 */
export async function downloadItems(
	this: IExecuteFunctions,
	targets: DownloadTarget[],
	options: DownloadOptions,
	itemIndex: number,
	onBatchError?: (error: Error, batch: DownloadTarget[]) => INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (const batch of chunk(uniqueTargets(targets), Math.max(1, options.batchSize))) {
		const batchItemIndex = batch[0]?.inputIndexes[0] ?? itemIndex;
		try {
			const described = await withMetadata.call(this, batch, batchItemIndex);
			output.push(...(await downloadBatch.call(this, described, options, batchItemIndex)));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, batchItemIndex);
			if (!onBatchError) throw nodeError;
			output.push(...onBatchError(nodeError, batch));
		}
	}
	return output;
}
