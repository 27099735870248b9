/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a test's child process: plain Node, never inside n8n */
/**
 * Run by sharedGallery.test.ts in a node process of its own (test/support/childProcess.ts), with a V8 heap limit
 * below the archive's size: asks a fresh sandbox for a download archive of ~50 MB of generated member media and
 * reads it over HTTP, checking at every 4 MiB received that the memory the process keeps reachable (the sandbox
 * writing the archive and the client reading it) has not grown by more than `budget` bytes (reachableMemory.ts).
 *
 * Arguments: <client: discard|gather> <budget bytes>. `gather` is a control: the client holds every chunk, as a
 * reader (or a sandbox) that buffered the archive would.
 * Reports: bytes received, what the sandbox says the archive holds, and the memory figures.
 */
import { createSharedGalleryModule, SHARED_GALLERY_MEMBERS } from '../../sandbox/src';
import { reportToParent } from '../support/childProcess';
import { reachableMemoryProbe } from '../support/reachableMemory';
import { startTestSandbox } from '../support/sandbox';

export interface SharedGalleryArchiveChildResult {
	received: number;
	files: number;
	fileBytes: number;
	peakGrowth: number;
	checkpoints: number;
	budgetBytes: number;
	baselineBytes: number;
}

export const ARCHIVE_FILES = { count: 15, sizeBytes: 3_500_000, videoBytes: 2_000_000 };
const CHECK_EVERY = 4 * 1024 * 1024;

async function main(): Promise<void> {
	const [client, budgetText] = process.argv.slice(2);
	if (client !== 'discard' && client !== 'gather') throw new Error(`bad client ${client}`);
	const probe = reachableMemoryProbe(Number(budgetText));
	const sandbox = await startTestSandbox({ modules: [createSharedGalleryModule()] });
	try {
		const call = async (path: string, body: unknown) => {
			const response = await fetch(`${sandbox.baseUrl}${path}`, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					Authorization: sandbox.credentials.apiKey,
					'wix-site-id': sandbox.credentials.siteId,
				},
				body: JSON.stringify(body),
			});
			if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
			return (await response.json()) as Record<string, unknown>;
		};
		const addMedia = async (body: Record<string, unknown>) => {
			const response = await fetch(`${sandbox.baseUrl}/_sandbox/shared-gallery/media`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
			});
			if (!response.ok) throw new Error(`media: ${response.status} ${await response.text()}`);
			return ((await response.json()) as { items: Array<{ id: string; size: number }> }).items;
		};
		const read = async (itemIds: string[], onChunk?: (received: number) => void) => {
			const { url } = (await call('/shared-gallery/v1/items/download-url', { itemIds })) as {
				url: string;
			};
			const response = await fetch(url);
			if (response.status !== 200 || !response.body) throw new Error(`archive: ${response.status}`);
			const held: Uint8Array[] = [];
			let received = 0;
			let nextCheck = CHECK_EVERY;
			for await (const chunk of response.body) {
				received += chunk.length;
				if (client === 'gather') held.push(chunk);
				if (received >= nextCheck) {
					nextCheck += CHECK_EVERY;
					onChunk?.(received);
				}
			}
			return { received, held: held.length };
		};

		const bulk = await addMedia({
			count: ARCHIVE_FILES.count,
			createdBy: SHARED_GALLERY_MEMBERS.chen.id,
			sizeBytes: ARCHIVE_FILES.sizeBytes,
			namePrefix: 'bulk',
		});
		const video = await addMedia({
			count: 1,
			createdBy: 'f00d0000-0000-4000-8000-000000000009',
			kind: 'video',
			sizeBytes: ARCHIVE_FILES.videoBytes,
		});
		const items = [...bulk, ...video];
		// A warm-up archive of two files loads the code and fills the caches any download needs.
		await read(items.slice(0, 2).map((item) => item.id));
		probe.baseline();
		const { received } = await read(
			items.map((item) => item.id),
			(soFar) => probe.checkpoint(`${Math.floor(soFar / 1024 / 1024)} MiB received`),
		);
		probe.checkpoint('end of download');
		const report: SharedGalleryArchiveChildResult = {
			received,
			files: items.length,
			fileBytes: items.reduce((sum, item) => sum + item.size, 0),
			...probe.summary(),
		};
		reportToParent(report);
	} finally {
		await sandbox.close();
	}
}

// Only when run as the child: the test file imports this module for its types and constants.
if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			process.stderr.write(
				`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			);
			process.exit(1);
		},
	);
}
