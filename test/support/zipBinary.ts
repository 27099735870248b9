/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node, never inside n8n */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	ZipError,
	entryBaseName,
	entryToBinary,
	mimeTypeFromFileName,
	readZip,
} from '../../nodes/WixSharedGallery/zip';
import { brokenArchive, pngImage, zipReadable } from '../../sandbox/src';
import type { ZipEntry as WriterEntry } from '../../sandbox/src';
import { HarnessNodeTypes, runNode } from './harness';

/**
 * What zipBinary.test.ts and its child process (zipBinary.child.ts) share: an HTTP server that streams zip
 * archives built on the fly, like the sandbox's Shared Gallery does, and a node that unpacks a downloaded archive
 * into binary items the way the Shared Gallery node's Download does.
 */

export const MB = 1024 * 1024;

/** 1 MiB blocks that differ by their first word: incompressible enough, deterministic, cheap to make. */
const BLOCK = Buffer.from(Array.from({ length: MB }, (_, index) => (index * 2654435761) >>> 24));

/**
 * The big entry's bytes, 1 MiB at a time. `onProgress` is called with the bytes handed out so far, before each
 * chunk: the point where a child process measures what the reader keeps.
 */
export async function* bigContent(
	size: number,
	onProgress?: (bytesSoFar: number) => void,
): AsyncGenerator<Buffer> {
	for (let offset = 0; offset < size; offset += MB) {
		onProgress?.(offset);
		const chunk = Buffer.from(BLOCK.subarray(0, Math.min(MB, size - offset)));
		chunk.writeUInt32LE(offset / MB, 0);
		yield chunk;
	}
}

export async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of source) hash.update(chunk);
	return hash.digest('hex');
}

export const SMALL_PNG = pngImage({ width: 32, height: 24, seed: 9 });
export const BIG_ENTRY_NAME = 'videos/long-take.mp4';

function archiveEntries(
	kind: string,
	bigSize: number,
	onProgress?: (bytesSoFar: number) => void,
): WriterEntry[] {
	if (kind === 'big') {
		return [
			{ name: 'photos/small.png', bytes: SMALL_PNG, method: 'store' },
			{
				name: BIG_ENTRY_NAME,
				size: bigSize,
				stream: () => bigContent(bigSize, onProgress),
				method: 'store',
			},
		];
	}
	return [
		{ name: 'a.png', bytes: SMALL_PNG },
		{ name: 'notes/readme.TXT', bytes: Buffer.from('hello\n'.repeat(100)) },
		{ name: 'clip.unknownext', bytes: Buffer.from('data') },
	];
}

export interface ArchiveServer {
	baseUrl: string;
	close(): Promise<void>;
}

/**
 * Serves `/archive?kind=small|big|bad-crc&size=<big entry size>`. `onProgress` sees the big entry's progress
 * (see bigContent).
 */
export async function startArchiveServer(
	onProgress?: (bytesSoFar: number) => void,
): Promise<ArchiveServer> {
	const server = createServer((request, response) => {
		const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
		const kind = query.get('kind') ?? 'small';
		response.writeHead(200, { 'content-type': 'application/zip' });
		const body =
			kind === 'bad-crc'
				? Readable.from(brokenArchive('bad-crc'))
				: zipReadable(archiveEntries(kind, Number(query.get('size') ?? 0), onProgress), {
						dataDescriptor: true,
					});
		void pipeline(body, response).catch(() => response.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		// n8n's HTTP client keeps connections alive: without closing them, close() would wait for their timeout.
		close: async () =>
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/**
 * A node doing what the Shared Gallery's Download does with an archive: download it as a stream, read it with
 * readZip, store each file with entryToBinary, and output the items only once the whole archive checked out.
 * `source: 'iterable'` hides that the download is a Node stream, to exercise the async-iterable path.
 * `store: 'gatherFirst'` is a control for the memory tests, never what a node should do: it gathers each entry into
 * one Buffer before storing it, as a buffering implementation would.
 */
class ZipToBinaryNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zip To Binary (test)',
		name: 'zipToBinary',
		group: ['transform'],
		version: 1,
		description: 'Unpacks a downloaded zip into binary items',
		defaults: { name: 'Zip To Binary' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Source', name: 'source', type: 'string', default: 'stream' },
			{ displayName: 'Store', name: 'store', type: 'string', default: 'entryToBinary' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const source = this.getNodeParameter('source', 0) as string;
		const store = this.getNodeParameter('store', 0) as string;
		const response = (await this.helpers.httpRequest({
			url,
			encoding: 'stream',
		})) as AsyncIterable<Uint8Array>;
		const archive =
			source === 'iterable'
				? (async function* () {
						yield* response;
					})()
				: response;
		const items: INodeExecutionData[] = [];
		try {
			for await (const entry of readZip(archive)) {
				let binary;
				if (store === 'gatherAsText') {
					let text = '';
					for await (const chunk of entry.data) text += Buffer.from(chunk).toString('latin1');
					const fileName = entryBaseName(entry.name);
					binary = await this.helpers.prepareBinaryData(
						Buffer.from(text, 'latin1'),
						fileName,
						mimeTypeFromFileName(fileName),
					);
				} else if (store === 'gatherFirst') {
					const chunks: Uint8Array[] = [];
					for await (const chunk of entry.data) chunks.push(chunk);
					const fileName = entryBaseName(entry.name);
					binary = await this.helpers.prepareBinaryData(
						Buffer.concat(chunks),
						fileName,
						mimeTypeFromFileName(fileName),
					);
				} else {
					binary = await entryToBinary.call(this, entry);
				}
				items.push({
					json: {
						name: entry.name,
						size: entry.uncompressedSize,
						dataIsStream: typeof (entry.data as { pipe?: unknown }).pipe === 'function',
					},
					binary: { data: binary },
					pairedItem: { item: 0 },
				});
			}
		} catch (error) {
			const zipError = error as ZipError;
			throw new NodeOperationError(this.getNode(), zipError.message, {
				description: `code ${zipError.code}`,
			});
		}
		return [items];
	}
}

const nodeTypes = new HarnessNodeTypes().add('test.zipToBinary', new ZipToBinaryNode());

export async function runZipToBinary(
	baseUrl: string,
	kind: string,
	source: 'stream' | 'iterable',
	size = 0,
	store: 'entryToBinary' | 'gatherFirst' | 'gatherAsText' = 'entryToBinary',
) {
	return await runNode({
		type: 'test.zipToBinary',
		nodeTypes,
		parameters: { url: `${baseUrl}/archive?kind=${kind}&size=${size}`, source, store },
	});
}
