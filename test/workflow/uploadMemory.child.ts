/**
 * Run by uploadMemory.test.ts in a node process of its own (test/support/childProcess.ts): a binary of `size` bytes
 * is written to n8n's filesystem binary store from a stream, then Wix Pro Gallery → Media → Upload sends it to a
 * stand-in for Wix in this process, which hashes what arrives and checks every 16 MiB that the memory the process
 * keeps reachable has not grown by more than `budget` bytes (reachableMemory.ts). As a control, `hold` keeps a copy of
 * the whole binary in memory during the upload, as reading it with getBinaryDataBuffer would.
 *
 * Arguments: <size> <budget bytes> <hold: none|buffer>
 * Reports: the node's output or failure, the SHA-256 of what arrived and of what was sent, and the memory figures.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test child process, never inside n8n */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	CredentialStore,
	HarnessNodeTypes,
	MANUAL_TRIGGER_TYPE,
	ensureN8nCore,
	packageNodeType,
	runWorkflow,
} from '../support/harness';
import { reportToParent } from '../support/childProcess';
import { reachableMemoryProbe } from '../support/reachableMemory';

export interface UploadMemoryResult {
	nodeFailure?: string;
	output?: unknown;
	receivedBytes: number;
	receivedSha256: string;
	sentSha256: string;
	peakGrowth: number;
	checkpoints: number;
}

const MB = 1024 * 1024;
const CHECK_EVERY = 16 * MB;

/** Deterministic bytes, produced chunk by chunk so that the producer holds no more than one chunk. */
function* content(size: number): Generator<Buffer> {
	const chunk = 256 * 1024;
	for (let offset = 0; offset < size; offset += chunk) {
		const length = Math.min(chunk, size - offset);
		const bytes = Buffer.alloc(length);
		for (let index = 0; index < length; index++) bytes[index] = ((offset + index) * 31) >>> 3;
		yield bytes;
	}
}

const held: Buffer[] = [];

/** Puts out one item whose binary `video` is `size` bytes, stored from a stream; `hold: buffer` keeps a copy. */
class StreamedBinary implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Streamed Binary (test fixture)',
		name: 'streamedBinary',
		group: ['input'],
		version: 1,
		description: 'Test fixture',
		usableAsTool: true,
		defaults: { name: 'Streamed Binary' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Size', name: 'size', type: 'number', default: 0 },
			{ displayName: 'Hold', name: 'hold', type: 'string', default: 'none' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const size = this.getNodeParameter('size', 0) as number;
		const binary = await this.helpers.prepareBinaryData(
			Readable.from(content(size)),
			'clip.mp4',
			'video/mp4',
		);
		if (this.getNodeParameter('hold', 0) === 'buffer') {
			const { binaryDataService } = await ensureN8nCore();
			held.push(await binaryDataService.getAsBuffer(binary));
		}
		return [[{ json: {}, binary: { video: binary } }]];
	}
}

async function main(): Promise<void> {
	const [sizeText, budgetText, hold] = process.argv.slice(2);
	const size = Number(sizeText);
	const probe = reachableMemoryProbe(Number(budgetText));
	let received = createHash('sha256');
	let receivedBytes = 0;
	let nextCheck = CHECK_EVERY;
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://host');
		const json = (body: unknown) => {
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (url.pathname === '/site-media/v1/files/generate-upload-url') {
			request.resume();
			request.on('end', () => json({ uploadUrl: `http://127.0.0.1:${port()}/upload/token` }));
			return;
		}
		if (url.pathname === '/upload/token' && request.method === 'PUT') {
			request.on('data', (chunk: Buffer) => {
				received.update(chunk);
				receivedBytes += chunk.length;
				if (receivedBytes >= nextCheck) {
					nextCheck += CHECK_EVERY;
					probe.checkpoint(`${Math.floor(receivedBytes / MB)} MiB received`);
				}
			});
			request.on('end', () =>
				json({
					file: {
						id: 'file-1',
						displayName: url.searchParams.get('filename'),
						mimeType: 'video/mp4',
						sizeInBytes: String(receivedBytes),
						operationStatus: 'READY',
						mediaType: 'VIDEO',
					},
				}),
			);
			return;
		}
		response.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = () => (server.address() as AddressInfo).port;
	const nodeTypes = new HarnessNodeTypes().add('test.streamedBinary', new StreamedBinary());
	const credentials = new CredentialStore().add('wixGalleryApi', {
		apiKey: 'key',
		siteId: '00000000-0000-4000-8000-000000000001',
		baseUrl: `http://127.0.0.1:${port()}`,
	});
	const upload = async (bytes: number, holdMode: string) => {
		const result = await runWorkflow({
			nodes: [
				{ name: 'Manual Trigger', type: MANUAL_TRIGGER_TYPE, parameters: {} },
				{
					name: 'Streamed Binary',
					type: 'test.streamedBinary',
					parameters: { size: bytes, hold: holdMode },
				},
				{
					name: 'Upload',
					type: packageNodeType('wixProGallery'),
					parameters: {
						resource: 'media',
						operation: 'upload',
						mediaSource: 'binary',
						binaryPropertyName: 'video',
					},
					credentials: { wixGalleryApi: credentials },
				},
			],
			connections: {
				'Manual Trigger': { main: [[{ node: 'Streamed Binary', type: 'main', index: 0 }]] },
				'Streamed Binary': { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
			},
			credentials: credentials.store,
			nodeTypes,
		});
		return { items: result.output('Upload'), failure: result.nodeError('Upload') ?? result.error };
	};
	try {
		await ensureN8nCore();
		// A warm-up run loads the code and fills the caches any run needs, so the baseline holds them.
		const warmUp = await upload(MB + 17, 'none');
		if (warmUp.failure) throw new Error(`warm-up failed: ${warmUp.failure.message}`);
		receivedBytes = 0;
		received = createHash('sha256');
		nextCheck = CHECK_EVERY;
		probe.baseline();
		const run = await upload(size, hold);
		const sent = createHash('sha256');
		for (const chunk of content(size)) sent.update(chunk);
		const result: UploadMemoryResult = {
			nodeFailure: run.failure?.message,
			output: run.items[0]?.json,
			receivedBytes,
			receivedSha256: received.digest('hex'),
			sentSha256: sent.digest('hex'),
			...probe.summary(),
		};
		reportToParent(result);
	} finally {
		server.close();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
