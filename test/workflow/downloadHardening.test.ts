/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in plain Node, never inside n8n */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeParameters } from 'n8n-workflow';

import { SHARED_GALLERY_MEDIA } from '../../sandbox/src/modules/sharedGallery';
import { cleanupBinaryData, readBinaryData, runNode } from '../harness';
import { startTestSandbox } from '../helpers/sandbox';
import type { TestSandbox } from '../helpers/sandbox';
import { apiKeyCredentials } from './support';

// A single-file download takes its name and size from the download host: the name is held to the rules for names
// inside an archive, and Max Total Size applies as it does to archives. The host here stands for a download URL
// that Wix's answer pointed at; what it serves is set per test.

interface Served {
	disposition?: string;
	body: Buffer;
	/** Sent as Content-Length; left out (chunked) when false. */
	announceLength?: boolean;
}

let sandbox: TestSandbox;
let host: Server;
let hostUrl: string;
let served: Served = { body: Buffer.alloc(0) };
const mediumId = Object.values(SHARED_GALLERY_MEDIA)[0];

beforeAll(async () => {
	sandbox = await startTestSandbox({ config: { mediaReadyDelayMs: 0 } });
	host = createServer((_request, response) => {
		const headers: Record<string, string | number> = { 'Content-Type': 'image/png' };
		if (served.disposition) headers['Content-Disposition'] = served.disposition;
		if (served.announceLength !== false) headers['Content-Length'] = served.body.length;
		response.writeHead(200, headers);
		response.end(served.body);
	});
	await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
	hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/file`;
});

afterAll(async () => {
	host.closeAllConnections();
	await new Promise<void>((resolve) => host.close(() => resolve()));
	await sandbox?.close();
	await cleanupBinaryData();
});

beforeEach(async () => {
	await sandbox.control.clearFaults();
	// Wix's answer for one medium points at the host above, as a plain file.
	await sandbox.control.addFault({
		method: 'POST',
		path: '^/shared-gallery/v1/items/download-url$',
		status: 200,
		body: { url: hostUrl, archived: false },
		count: 1000,
	});
});

async function downloadOne(options: INodeParameters = {}) {
	return await runNode({
		type: 'wixSharedGallery',
		parameters: {
			resource: 'item',
			operation: 'download',
			selectBy: 'ids',
			itemIds: mediumId,
			options,
		},
		credentials: apiKeyCredentials(sandbox),
	});
}

describe('single-file downloads', () => {
	test.each([
		['../../.ssh/authorized_keys', /leads out of the archive folder/],
		['/etc/cron.d/evil', /is an absolute path/],
		['C:\\Windows\\x.bat', /starts with a drive letter/],
		["UTF-8''..%2F..%2Fevil.png", /leads out of the archive folder/],
	])('a file named %j by the host is refused, nothing output', async (name, why) => {
		served = {
			disposition: name.startsWith("UTF-8''")
				? `attachment; filename*=${name}`
				: `attachment; filename="${name}"`,
			body: Buffer.from('payload'),
		};
		const run = await downloadOne();
		expect(run.items).toHaveLength(0);
		expect(run.nodeFailure?.message).toBe('The file from Wix was refused: UNSAFE_NAME');
		expect(run.nodeFailure?.description).toMatch(why);
	});

	test('a name with folders keeps only its base name', async () => {
		served = {
			disposition: 'attachment; filename="photos/2026/sunset.png"',
			body: Buffer.from('png'),
		};
		const run = await downloadOne();
		expect(run.nodeFailure).toBeUndefined();
		expect(run.items[0].json.fileName).toBe('sunset.png');
		expect(run.items[0].binary?.data.fileName).toBe('sunset.png');
	});

	test('Max Total Size applies: announced too large, or larger than announced', async () => {
		served = {
			disposition: 'attachment; filename="big.png"',
			body: Buffer.alloc(2 * 1024 * 1024, 1),
		};
		const announced = await downloadOne({ maxTotalSizeMb: 1 });
		expect(announced.items).toHaveLength(0);
		expect(announced.nodeFailure?.message).toBe('The file from Wix was refused: TOO_LARGE');
		served = { ...served, announceLength: false };
		const streamed = await downloadOne({ maxTotalSizeMb: 1 });
		expect(streamed.items).toHaveLength(0);
		expect(streamed.nodeFailure?.message).toBe('The file from Wix was refused: TOO_LARGE');
		// Under the limit the same file is output whole.
		const allowed = await downloadOne({ maxTotalSizeMb: 3 });
		expect(allowed.nodeFailure).toBeUndefined();
		const bytes = await readBinaryData(allowed.items[0].binary!.data);
		expect(bytes.equals(served.body)).toBe(true);
	});
});
