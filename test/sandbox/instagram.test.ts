import { createHash } from 'node:crypto';

import { INSTAGRAM_ACCOUNT, pngImage, readSandboxAsset } from '../../sandbox/src';
import type {
	InstagramContainerRecord,
	InstagramMediaRecord,
	InstagramRejection,
} from '../../sandbox/src';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

// Emulated Instagram publishing on the Graph API, called as n8n's Facebook Graph API node calls it: POST with the
// parameters and access_token in the query string, directly on the sandbox (the proxy is tested in
// platformProxy.test.ts). Instagram fetches the image from image_url itself: here, from the sandbox.

interface InstagramState {
	accessToken: string;
	containers: InstagramContainerRecord[];
	media: InstagramMediaRecord[];
	rejections: InstagramRejection[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
type Answer = { status: number; json: Record<string, any> };

let sandbox: TestSandbox;
let graph: string;
let token: string;
const igUser = INSTAGRAM_ACCOUNT.igUserId;
const jpeg = readSandboxAsset('sample.jpg');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function state(): Promise<InstagramState> {
	return (await (await fetch(`${sandbox.baseUrl}/_sandbox/instagram`)).json()) as InstagramState;
}

async function graphCall(
	method: 'GET' | 'POST',
	path: string,
	query: Record<string, string>,
): Promise<Answer> {
	const response = await fetch(`${graph}/v25.0/${path}?${new URLSearchParams(query)}`, {
		method,
		headers: { accept: 'application/json,text/*;q=0.99' },
	});
	return { status: response.status, json: (await response.json()) as Answer['json'] };
}

/** A file the sandbox serves at a URL (through the external platform's public file route). */
async function servedUrl(bytes: Buffer): Promise<string> {
	const response = await fetch(`${sandbox.baseUrl}/_sandbox/external/media`, {
		method: 'POST',
		body: JSON.stringify({ base64: bytes.toString('base64') }),
	});
	const { id } = (await response.json()) as { id: string };
	return `${sandbox.baseUrl}/external/v1/files/${id}`;
}

beforeAll(async () => {
	sandbox = await startTestSandbox({ seed: 'empty' });
	graph = `${sandbox.baseUrl}/graph`;
	({ accessToken: token } = await state());
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await sandbox.control.reset('empty');
});

test('a container from a JPEG URL, then media_publish: both recorded, the fetched bytes by SHA-256', async () => {
	const imageUrl = await servedUrl(jpeg);
	const created = await graphCall('POST', `${igUser}/media`, {
		access_token: token,
		image_url: imageUrl,
		caption: 'Studio session #portrait',
	});
	expect(created.status).toBe(200);
	const containerId = created.json.id as string;
	expect(
		(await graphCall('GET', containerId, { access_token: token, fields: 'status_code' })).json,
	).toMatchObject({
		status_code: 'FINISHED',
	});
	const published = await graphCall('POST', `${igUser}/media_publish`, {
		access_token: token,
		creation_id: containerId,
	});
	expect(published.status).toBe(200);

	const { containers, media } = await state();
	expect(containers).toEqual([
		expect.objectContaining({
			id: containerId,
			status: 'PUBLISHED',
			imageUrl,
			caption: 'Studio session #portrait',
			file: expect.objectContaining({
				sha256: sha256(jpeg),
				detectedType: 'image/jpeg',
				width: 640,
				height: 426,
			}),
		}),
	]);
	expect(media).toEqual([
		expect.objectContaining({
			id: published.json.id,
			containerId,
			caption: 'Studio session #portrait',
			file: expect.objectContaining({ sha256: sha256(jpeg) }),
			via: null,
		}),
	]);
	expect(media[0].seq).toBeGreaterThan(containers[0].seq);
});

test('GET /me answers the token’s user (the credential test); the version may be left out', async () => {
	const response = await fetch(`${graph}/me?access_token=${token}`);
	expect(await response.json()).toEqual(INSTAGRAM_ACCOUNT.facebookUser);
});

describe('what the Graph API and Instagram refuse', () => {
	test('no access token: code 2500; a wrong one: code 190', async () => {
		const missing = await graphCall('POST', `${igUser}/media`, { image_url: 'http://x/y.jpg' });
		expect(missing).toMatchObject({
			status: 400,
			json: { error: { type: 'OAuthException', code: 2500, fbtrace_id: expect.any(String) } },
		});
		const wrong = await graphCall('POST', `${igUser}/media`, {
			access_token: 'EAABnope',
			image_url: 'http://x/y.jpg',
		});
		expect(wrong.json.error).toMatchObject({
			code: 190,
			message: 'Invalid OAuth access token - Cannot parse access token',
		});
	});

	test('a caption over 2200 characters', async () => {
		const answer = await graphCall('POST', `${igUser}/media`, {
			access_token: token,
			image_url: await servedUrl(jpeg),
			caption: 'c'.repeat(2201),
		});
		expect(answer.status).toBe(400);
		expect(answer.json.error).toMatchObject({
			code: 100,
			message: expect.stringContaining('caption'),
		});
		const { containers, rejections } = await state();
		expect(containers).toEqual([]);
		expect(rejections).toEqual([
			expect.objectContaining({ endpoint: `POST /${igUser}/media`, code: 100 }),
		]);
	});

	test('an image URL that does not answer: 9004 / 2207052', async () => {
		const answer = await graphCall('POST', `${igUser}/media`, {
			access_token: token,
			image_url: `${sandbox.baseUrl}/external/v1/files/missing`,
		});
		expect(answer.json.error).toMatchObject({ code: 9004, error_subcode: 2207052 });
		expect(answer.json.error.error_user_msg).toContain('could not be fetched');
	});

	test('an image URL whose content is not an image (a video): 9004 / 2207052', async () => {
		const answer = await graphCall('POST', `${igUser}/media`, {
			access_token: token,
			image_url: await servedUrl(readSandboxAsset('sample.mp4')),
		});
		expect(answer.json.error).toMatchObject({ code: 9004, error_subcode: 2207052 });
		expect(answer.json.error.error_user_msg).toContain('video/mp4');
	});

	test('a PNG: Instagram takes JPEG only (2207005)', async () => {
		const answer = await graphCall('POST', `${igUser}/media`, {
			access_token: token,
			image_url: await servedUrl(pngImage({ width: 100, height: 100 })),
		});
		expect(answer.json.error).toMatchObject({ error_subcode: 2207005 });
	});

	test('publishing an unknown container: code 24 / 2207006; publishing twice is refused', async () => {
		const unknown = await graphCall('POST', `${igUser}/media_publish`, {
			access_token: token,
			creation_id: '17890000000000999',
		});
		expect(unknown.json.error).toMatchObject({ code: 24, error_subcode: 2207006 });
		const created = await graphCall('POST', `${igUser}/media`, {
			access_token: token,
			image_url: await servedUrl(jpeg),
		});
		const query = { access_token: token, creation_id: created.json.id as string };
		expect((await graphCall('POST', `${igUser}/media_publish`, query)).status).toBe(200);
		expect((await graphCall('POST', `${igUser}/media_publish`, query)).status).toBe(400);
		expect((await state()).media).toHaveLength(1);
	});

	test('a container for an account the token cannot publish to: unsupported post request (100 / 33)', async () => {
		const answer = await graphCall('POST', '17841499999999999/media', {
			access_token: token,
			image_url: 'http://x/y.jpg',
		});
		expect(answer.json.error).toMatchObject({ code: 100, error_subcode: 33 });
	});
});
