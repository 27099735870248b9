import { SHARED_GALLERY_MEDIA, SHARED_GALLERY_MEMBERS } from '../../sandbox/src';
import type { N8nExecution, N8nNode } from '../support/e2e/n8n';
import {
	createAndRun,
	credentialRef,
	manualWorkflow,
	n8n,
	nodeOutput,
	packageNodeType,
	sandboxControl,
} from '../support/e2e/n8n';

// Shared Gallery Download in real n8n 2.41.1 with filesystem binary data (n8n's default, set explicitly by the
// instance): the next nodes — n8n's own Code node through `this.helpers.getBinaryDataBuffer`, and n8n's Crypto
// node through its binary stream — read every file, and sizes and SHA-256 digests match the sandbox's.

const DOWNLOAD = 'Download';
const READ_EVERY_BINARY = 'Read Every Binary';
const HASH = 'Crypto SHA-256';

const { alice, bruno } = SHARED_GALLERY_MEMBERS;
const TOP_5_LIKED = [
	'portrait-anna.png',
	'mountain-lake.png',
	'headshot-mara.png',
	'lavender-field.png',
	'studio-light-test.png',
];

// The task runner's sandbox has no `require('crypto')` unless the instance allows it, so SHA-256 is spelled out
// (FIPS 180-4; constants from the primes, as the standard defines them).
const READ_EVERY_BINARY_CODE = `
function sha256Hex(bytes) {
	const K = [];
	const H = [];
	for (let candidate = 2, found = 0; found < 64; candidate++) {
		let prime = true;
		for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
			if (candidate % divisor === 0) { prime = false; break; }
		}
		if (!prime) continue;
		if (found < 8) H[found] = (Math.pow(candidate, 1 / 2) * 0x100000000) | 0;
		K[found++] = (Math.pow(candidate, 1 / 3) * 0x100000000) | 0;
	}
	const length = bytes.length;
	const padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64);
	padded.set(bytes);
	padded[length] = 0x80;
	const view = new DataView(padded.buffer);
	view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
	view.setUint32(padded.length - 4, (length * 8) >>> 0);
	const W = new Int32Array(64);
	const rotr = (value, bits) => (value >>> bits) | (value << (32 - bits));
	for (let offset = 0; offset < padded.length; offset += 64) {
		for (let t = 0; t < 16; t++) W[t] = view.getInt32(offset + t * 4);
		for (let t = 16; t < 64; t++) {
			const s0 = rotr(W[t - 15], 7) ^ rotr(W[t - 15], 18) ^ (W[t - 15] >>> 3);
			const s1 = rotr(W[t - 2], 17) ^ rotr(W[t - 2], 19) ^ (W[t - 2] >>> 10);
			W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
		}
		let [a, b, c, d, e, f, g, h] = H;
		for (let t = 0; t < 64; t++) {
			const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
			const choice = (e & f) ^ (~e & g);
			const temp1 = (h + S1 + choice + K[t] + W[t]) | 0;
			const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
			const majority = (a & b) ^ (a & c) ^ (b & c);
			const temp2 = (S0 + majority) | 0;
			h = g; g = f; f = e; e = (d + temp1) | 0;
			d = c; c = b; b = a; a = (temp1 + temp2) | 0;
		}
		H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
		H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
	}
	return H.map((word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
}

const items = $input.all();
const out = [];
for (let index = 0; index < items.length; index++) {
	const buffer = await this.helpers.getBinaryDataBuffer(index, 'data');
	const bytes = new Uint8Array(buffer.buffer ? buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) : buffer);
	out.push({
		json: {
			itemId: items[index].json.itemId,
			fileName: items[index].json.fileName,
			binaryId: items[index].binary.data.id ?? null,
			size: bytes.length,
			sha256: sha256Hex(bytes),
		},
		binary: items[index].binary,
	});
}
return out;
`;

interface SandboxChecksum {
	id: string;
	name: string;
	size: number;
	sha256: string;
}

async function sandboxChecksum(itemId: string): Promise<SandboxChecksum> {
	return await sandboxControl<SandboxChecksum>('GET', `shared-gallery/media/${itemId}/checksum`);
}

function readingSteps(): Array<Partial<N8nNode> & { name: string; type: string }> {
	return [
		{
			name: READ_EVERY_BINARY,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				mode: 'runOnceForAllItems',
				language: 'javaScript',
				jsCode: READ_EVERY_BINARY_CODE,
			},
		},
		{
			name: HASH,
			type: 'n8n-nodes-base.crypto',
			typeVersion: 2,
			parameters: {
				action: 'hash',
				type: 'SHA256',
				binaryData: true,
				binaryPropertyName: 'data',
				dataPropertyName: 'cryptoSha256',
				encoding: 'hex',
			},
		},
	];
}

/** Every file the Download node output, as read by the Code node and the Crypto node, against the sandbox. */
async function expectEveryBinaryRight(execution: N8nExecution, expectedIds: string[]) {
	const downloaded = nodeOutput(execution, DOWNLOAD);
	expect(downloaded.map((item) => item.json.itemId)).toEqual(expectedIds);
	for (const item of downloaded) {
		// The file is on disk under n8n's binary data folder; the execution data holds only a reference.
		expect(item.binary?.data.id).toMatch(/^filesystem(-v2)?:/);
		expect(item.binary?.data.data).not.toMatch(/^[A-Za-z0-9+/]{100,}/);
	}

	const read = nodeOutput(execution, READ_EVERY_BINARY).map((item) => item.json);
	const hashed = nodeOutput(execution, HASH).map((item) => item.json);
	expect(read).toHaveLength(expectedIds.length);
	expect(hashed).toHaveLength(expectedIds.length);
	for (const [index, itemId] of expectedIds.entries()) {
		const expected = await sandboxChecksum(itemId);
		expect(read[index]).toMatchObject({
			itemId,
			fileName: expected.name,
			size: expected.size,
			sha256: expected.sha256,
		});
		expect(hashed[index]).toMatchObject({ itemId, cryptoSha256: expected.sha256 });
	}
}

describe('Wix Shared Gallery Download in real n8n (filesystem binary data)', () => {
	test('the 5 most-liked visual media of Alice and Bruno: the next nodes read every binary, sizes and SHA-256 right', async () => {
		const { execution } = await createAndRun(
			manualWorkflow('e2e: Shared Gallery Download → read every binary', [
				{
					name: DOWNLOAD,
					type: packageNodeType('wixSharedGallery'),
					parameters: {
						authentication: 'apiKey',
						resource: 'item',
						operation: 'download',
						selectBy: 'query',
						filters: { createdBy: `${alice.id}, ${bruno.id}`, itemTypes: ['VISUAL_MEDIA'] },
						sortField: 'LIKE_COUNT',
						sortOrder: 'DESC',
						returnAll: false,
						limit: 5,
						binaryPropertyName: 'data',
						options: {},
					},
					credentials: credentialRef('wixGalleryApi'),
				},
				...readingSteps(),
			]),
		);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, DOWNLOAD).map((item) => item.json.fileName)).toEqual(TOP_5_LIKED);
		await expectEveryBinaryRight(
			execution,
			TOP_5_LIKED.map((name) => SHARED_GALLERY_MEDIA[name]),
		);
	});

	test('a multi-megabyte video and a photo by ID: both read back whole', async () => {
		const { items } = await sandboxControl<{ items: Array<{ id: string; size: number }> }>(
			'POST',
			'shared-gallery/media',
			{
				kind: 'video',
				sizeBytes: 6 * 1024 * 1024 + 123,
				createdByName: 'E2E Member',
				createdBy: 'e2e00000-0000-4000-8000-000000000001',
				namePrefix: 'e2e-video',
			},
		);
		const [video] = items;
		expect(video.size).toBe(6 * 1024 * 1024 + 123);
		const photo = SHARED_GALLERY_MEDIA['beach-sunset.png'];

		const { execution } = await createAndRun(
			manualWorkflow('e2e: Shared Gallery Download by ID → read every binary', [
				{
					name: DOWNLOAD,
					type: packageNodeType('wixSharedGallery'),
					parameters: {
						authentication: 'apiKey',
						resource: 'item',
						operation: 'download',
						selectBy: 'ids',
						itemIds: `${video.id}, ${photo}`,
						binaryPropertyName: 'data',
						options: {},
					},
					credentials: credentialRef('wixGalleryApi'),
				},
				...readingSteps(),
			]),
		);
		expect(execution.status).toBe('success');
		await expectEveryBinaryRight(execution, [video.id, photo]);
	});
});

describe('Wix Shared Gallery members by name in real n8n', () => {
	interface ListSearchAnswer {
		results: Array<{ name: string; value: string }>;
		paginationToken?: string;
	}

	/** The member picker's list, as the editor asks n8n for it while the user types. */
	async function searchMembers(filter: string): Promise<ListSearchAnswer> {
		return await n8n().rest<ListSearchAnswer>(
			'POST',
			'/dynamic-node-parameters/resource-locator-results',
			{
				nodeTypeAndVersion: { name: packageNodeType('wixSharedGallery'), version: 2 },
				path: 'parameters.filters.createdBy.members[0].member',
				methodName: 'searchMembers',
				currentNodeParameters: { authentication: 'apiKey', resource: 'item', operation: 'query' },
				credentials: credentialRef('wixGalleryApi'),
				filter,
			},
		);
	}

	test('two members picked from the list filter a Query, and the items carry their names for captions', async () => {
		const [aliceFound, brunoFound] = [await searchMembers('alice'), await searchMembers('KELLER')];
		expect(aliceFound.results).toEqual([{ name: alice.name, value: alice.id }]);
		expect(brunoFound.results).toEqual([{ name: bruno.name, value: bruno.id }]);
		const pickedMember = (found: ListSearchAnswer) => ({
			member: {
				__rl: true,
				mode: 'list',
				value: found.results[0].value,
				cachedResultName: found.results[0].name,
			},
		});

		const { execution } = await createAndRun(
			manualWorkflow('e2e: Shared Gallery Query by members picked by name', [
				{
					name: 'Query',
					type: packageNodeType('wixSharedGallery'),
					typeVersion: 2,
					parameters: {
						authentication: 'apiKey',
						resource: 'item',
						operation: 'query',
						filters: {
							createdBy: { members: [pickedMember(aliceFound), pickedMember(brunoFound)] },
							itemTypes: ['VISUAL_MEDIA'],
						},
						sortField: 'LIKE_COUNT',
						sortOrder: 'DESC',
						returnAll: false,
						limit: 5,
						options: { includeProfiles: true },
					},
					credentials: credentialRef('wixGalleryApi'),
				},
			]),
		);
		expect(execution.status).toBe('success');
		const items = nodeOutput(execution, 'Query').map((item) => item.json);
		expect(items.map((item) => item.name)).toEqual(TOP_5_LIKED);
		expect(
			items.map((item) => `${item.name} by ${item.createdByName} (${item.likeCount} likes)`),
		).toEqual([
			`portrait-anna.png by ${bruno.name} (30 likes)`,
			`mountain-lake.png by ${alice.name} (25 likes)`,
			`headshot-mara.png by ${bruno.name} (21 likes)`,
			`lavender-field.png by ${alice.name} (18 likes)`,
			`studio-light-test.png by ${bruno.name} (14 likes)`,
		]);
	});
});
