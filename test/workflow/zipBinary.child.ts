/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a test's child process: plain Node, never inside n8n */
/**
 * Run by zipBinary.test.ts in a node process of its own (test/support/childProcess.ts), with a V8 heap limit well
 * below the entry's size: downloads an archive whose big entry is `size` bytes through an n8n execution, stores it
 * with entryToBinary (or, as a control, gathered into one Buffer first), and checks at every 16 MiB of the entry
 * that the memory the process keeps reachable has not grown by more than `budget` bytes (reachableMemory.ts).
 *
 * Arguments: <source: stream|iterable> <size> <budget bytes, or Infinity> <store: entryToBinary|gatherFirst|gatherAsText>
 * Reports: what the node put out, the stored file's SHA-256 and the expected one, and the memory figures.
 */
import type { IBinaryData } from 'n8n-workflow';

import { ensureN8nCore, readBinaryData } from '../support/harness';
import { reportToParent } from '../support/childProcess';
import { reachableMemoryProbe } from '../support/reachableMemory';
import { MB, bigContent, runZipToBinary, sha256Of, startArchiveServer } from '../support/zipBinary';

export interface ZipBinaryChildResult {
	nodeFailure?: string;
	items: unknown[];
	video?: { fileName?: string; mimeType: string; bytes?: number; storedOnDisk: boolean };
	storedSha256?: string;
	expectedSha256: string;
	peakGrowth: number;
	checkpoints: number;
	budgetBytes: number;
	baselineBytes: number;
}

const CHECK_EVERY = 16 * MB;

async function main(): Promise<void> {
	const [source, sizeText, budgetText, store] = process.argv.slice(2);
	if (source !== 'stream' && source !== 'iterable') throw new Error(`bad source ${source}`);
	if (store !== 'entryToBinary' && store !== 'gatherFirst' && store !== 'gatherAsText')
		throw new Error(`bad store ${store}`);
	const size = Number(sizeText);
	const probe = reachableMemoryProbe(Number(budgetText));
	const server = await startArchiveServer((bytesSoFar) => {
		if (bytesSoFar > 0 && bytesSoFar % CHECK_EVERY === 0)
			probe.checkpoint(`${bytesSoFar / MB} MiB`);
	});
	try {
		const { binaryDataService } = await ensureN8nCore();
		// A warm-up run loads the code and fills the caches that any run needs, so the baseline holds them.
		const warmUp = await runZipToBinary(server.baseUrl, 'big', source, MB + 17, store);
		if (warmUp.nodeFailure) throw new Error(`warm-up failed: ${warmUp.nodeFailure.message}`);
		probe.baseline();

		const result = await runZipToBinary(server.baseUrl, 'big', source, size, store);
		probe.checkpoint('end of run');
		const report: ZipBinaryChildResult = {
			nodeFailure: result.nodeFailure?.message,
			items: result.items.map((item) => item.json),
			expectedSha256: await sha256Of(bigContent(size)),
			...probe.summary(),
		};
		const video = result.items[1]?.binary?.data as IBinaryData | undefined;
		if (video) {
			report.video = {
				fileName: video.fileName,
				mimeType: video.mimeType,
				bytes: video.bytes,
				storedOnDisk: video.id?.startsWith('filesystem') ?? false,
			};
			report.storedSha256 = await sha256Of(await binaryDataService.getAsStream(video.id as string));
		}
		// Read through the same service the nodes use, so a small file comes back as stored.
		const small = result.items[0]?.binary?.data as IBinaryData | undefined;
		if (small) await readBinaryData(small);
		reportToParent(report);
	} finally {
		await server.close();
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
