/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in plain Node, never inside n8n */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeParameters } from 'n8n-workflow';

import { SHARED_GALLERY_MEDIA } from '../../sandbox/src';
import { cleanupBinaryData, readBinaryData, runNode } from '../support/harness';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';
import { apiKeyCredentials, startSandboxFront } from '../support/workflow';

// URLs in Wix's answers are fetched only from Wix's media hosts or the Base URL's host, and a single-file download
// takes its name and size from that host: the name is held to the rules for names inside an archive, and Max Total
// Size applies as it does to archives. The Base URL here is a front of the sandbox that also serves the file.

interface Served {
	disposition?: string;
	body: Buffer;
	/** Sent as Content-Length; left out (chunked) when false. */
	announceLength?: boolean;
}

let sandbox: TestSandbox;
let front: Awaited<ReturnType<typeof startSandboxFront>>;
let otherHost: Server;
let otherHostUrl: string;
let served: Served = { body: Buffer.alloc(0) };
const mediumId = Object.values(SHARED_GALLERY_MEDIA)[0];

function serve(response: ServerResponse): void {
	const headers: Record<string, string | number> = { 'Content-Type': 'image/png' };
	if (served.disposition) headers['Content-Disposition'] = served.disposition;
	if (served.announceLength !== false) headers['Content-Length'] = served.body.length;
	response.writeHead(200, headers);
	response.end(served.body);
}

beforeAll(async () => {
	sandbox = await startTestSandbox({ config: { mediaReadyDelayMs: 0 } });
	// The credential's Base URL: the sandbox, serving the file itself at /file.
	front = await startSandboxFront(sandbox, ({ url }, response) => {
		if (url === '/moved') {
			response.writeHead(302, { Location: otherHostUrl }).end();
			return true;
		}
		if (url !== '/file') return false;
		serve(response);
		return true;
	});
	otherHost = createServer((_request, response) => serve(response));
	await new Promise<void>((resolve) => otherHost.listen(0, '127.0.0.1', resolve));
	otherHostUrl = `http://127.0.0.1:${(otherHost.address() as AddressInfo).port}/file`;
});

afterAll(async () => {
	await front.close();
	otherHost.closeAllConnections();
	await new Promise<void>((resolve) => otherHost.close(() => resolve()));
	await sandbox?.close();
	await cleanupBinaryData();
});

/** Wix's answer for one medium points at `url`, as a plain file. */
async function downloadUrlAnswers(url: string): Promise<void> {
	await sandbox.control.clearFaults();
	await sandbox.control.addFault({
		method: 'POST',
		path: '^/shared-gallery/v1/items/download-url$',
		status: 200,
		body: { url, archived: false },
		count: 1000,
	});
}

beforeEach(async () => {
	await downloadUrlAnswers(`${front.url}/file`);
	front.received.length = 0;
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
		credentials: {
			wixGalleryApi: { ...apiKeyCredentials(sandbox).wixGalleryApi, baseUrl: front.url },
		},
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

describe('URLs in Wix answers', () => {
	test('a download URL on another host is not fetched', async () => {
		let hits = 0;
		otherHost.on('request', () => hits++);
		await downloadUrlAnswers(otherHostUrl);
		served = {
			disposition: 'attachment; filename="internal.png"',
			body: Buffer.from('internal page'),
		};
		const run = await downloadOne();
		expect(run.items).toHaveLength(0);
		expect(run.nodeFailure?.message).toBe(
			`Refused to fetch a URL from Wix's answer: it is not https (http)`,
		);
		expect(hits).toBe(0);
	});

	test('a redirect from the download URL to another host is not followed', async () => {
		let hits = 0;
		otherHost.on('request', () => hits++);
		await downloadUrlAnswers(`${front.url}/moved`);
		served = { body: Buffer.from('internal page') };
		const run = await downloadOne();
		expect(hits).toBe(0);
		expect(run.items).toHaveLength(0);
		expect(run.nodeFailure?.description ?? '').toMatch(
			/redirect \(HTTP 302\) to an address that is not https/,
		);
	});
});
