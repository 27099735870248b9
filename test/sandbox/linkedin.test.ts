import { createHash } from 'node:crypto';

import {
	LINKEDIN_MEMBER,
	LINKEDIN_ORGANIZATION,
	pngImage,
	readSandboxAsset,
} from '../../sandbox/src';
import type { LinkedInImageRecord, LinkedInPostRecord, LinkedInRejection } from '../../sandbox/src';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

// The emulated LinkedIn, called the way n8n's LinkedIn node calls it (initializeUpload, the bytes POSTed to the upload
// URL, then /rest/posts), directly on the sandbox (the proxy is tested in platformProxy.test.ts).

interface LinkedInState {
	accessToken: string;
	images: LinkedInImageRecord[];
	posts: LinkedInPostRecord[];
	rejections: LinkedInRejection[];
}

let sandbox: TestSandbox;
let api: string;
let token: string;
const jpeg = readSandboxAsset('sample.jpg');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function state(): Promise<LinkedInState> {
	return (await (await fetch(`${sandbox.baseUrl}/_sandbox/linkedin`)).json()) as LinkedInState;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
	return {
		authorization: `Bearer ${token}`,
		'linkedin-version': '202604',
		'x-restli-protocol-version': '2.0.0',
		'content-type': 'application/json',
		...extra,
	};
}

async function post(path: string, body: unknown, extraHeaders?: Record<string, string>) {
	const response = await fetch(`${api}${path}`, {
		method: 'POST',
		headers: headers(extraHeaders),
		body: JSON.stringify(body),
	});
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		json: text ? JSON.parse(text) : null,
	};
}

async function registerImage(
	owner = LINKEDIN_MEMBER.urn,
): Promise<{ uploadUrl: string; image: string }> {
	const answer = await post('/rest/images?action=initializeUpload', {
		initializeUploadRequest: { owner },
	});
	expect(answer.status).toBe(200);
	return answer.json.value;
}

async function upload(uploadUrl: string, bytes: Buffer, contentType: string, method = 'POST') {
	const response = await fetch(uploadUrl, {
		method,
		headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
		body: bytes,
	});
	return { status: response.status, text: await response.text() };
}

function postBody(overrides: Record<string, unknown> = {}) {
	return {
		author: LINKEDIN_MEMBER.urn,
		lifecycleState: 'PUBLISHED',
		distribution: { feedDistribution: 'MAIN_FEED', thirdPartyDistributionChannels: [] },
		visibility: 'PUBLIC',
		commentary: 'Studio session',
		...overrides,
	};
}

beforeAll(async () => {
	sandbox = await startTestSandbox({ seed: 'empty' });
	api = `${sandbox.baseUrl}/linkedin`;
	({ accessToken: token } = await state());
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await sandbox.control.reset('empty');
});

test('an image post: register, upload (POST as n8n does), post; answered 201 with the post URN, and recorded', async () => {
	const { uploadUrl, image } = await registerImage();
	expect(uploadUrl).toBe(`${api}/dms-uploads/sp/${uploadUrl.split('/sp/')[1]}`);
	expect(image).toMatch(/^urn:li:image:/);
	expect(await upload(uploadUrl, jpeg, 'image/jpeg')).toEqual({ status: 201, text: '' });
	const created = await post(
		'/rest/posts',
		postBody({
			content: { media: { title: 'Studio', id: image } },
			commentary: 'Natural light\\, 85 mm',
		}),
	);
	expect(created.status).toBe(201);
	expect(created.headers.get('x-restli-id')).toMatch(/^urn:li:share:\d+$/);

	const { images, posts } = await state();
	expect(images).toEqual([
		expect.objectContaining({
			urn: image,
			status: 'AVAILABLE',
			file: expect.objectContaining({ sha256: sha256(jpeg) }),
			upload: { method: 'POST', contentType: 'image/jpeg' },
		}),
	]);
	expect(posts).toEqual([
		expect.objectContaining({
			urn: created.headers.get('x-restli-id'),
			author: LINKEDIN_MEMBER.urn,
			commentary: 'Natural light\\, 85 mm',
			imageUrn: image,
			mediaTitle: 'Studio',
			image: expect.objectContaining({ sha256: sha256(jpeg), detectedType: 'image/jpeg' }),
			via: null,
		}),
	]);
	expect(posts[0].seq).toBeGreaterThan(images[0].seq);
});

test('an organization may post too; PUT (LinkedIn’s documented upload method) works like POST', async () => {
	const { uploadUrl, image } = await registerImage(LINKEDIN_ORGANIZATION.urn);
	expect(
		(await upload(uploadUrl, pngImage({ width: 40, height: 40 }), 'image/png', 'PUT')).status,
	).toBe(201);
	const created = await post(
		'/rest/posts',
		postBody({ author: LINKEDIN_ORGANIZATION.urn, content: { media: { id: image } } }),
	);
	expect(created.status).toBe(201);
});

describe('what LinkedIn refuses', () => {
	test('a wrong access token: 401 INVALID_ACCESS_TOKEN', async () => {
		const answer = await post('/rest/posts', postBody(), { authorization: 'Bearer nope' });
		expect(answer).toMatchObject({
			status: 401,
			json: {
				status: 401,
				code: 'INVALID_ACCESS_TOKEN',
				serviceErrorCode: 65600,
				message: 'Invalid access token',
			},
		});
	});

	test('a /rest/ call without LinkedIn-Version', async () => {
		const response = await fetch(`${api}/rest/posts`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify(postBody()),
		});
		expect(response.status).toBe(400);
		expect(((await response.json()) as { code: string }).code).toBe('VERSION_MISSING');
	});

	test.each([
		['author', { author: undefined }],
		['commentary', { commentary: undefined }],
	])('a post without %s: 422 with the field path', async (field, overrides) => {
		const answer = await post('/rest/posts', postBody(overrides));
		expect(answer.status).toBe(422);
		expect(answer.json.message).toBe(
			`ERROR :: /${field} :: field is required but not found and has no default value\n`,
		);
		const { posts, rejections } = await state();
		expect(posts).toEqual([]);
		expect(rejections).toEqual([
			expect.objectContaining({ endpoint: 'POST /rest/posts', status: 422 }),
		]);
	});

	test('a post as someone the token may not act for: 403 ACCESS_DENIED', async () => {
		const answer = await post('/rest/posts', postBody({ author: 'urn:li:person:someoneElse' }));
		expect(answer).toMatchObject({ status: 403, json: { code: 'ACCESS_DENIED' } });
	});

	test('a post whose image was never registered', async () => {
		const answer = await post(
			'/rest/posts',
			postBody({ content: { media: { id: 'urn:li:image:D4E10AQunknown' } } }),
		);
		expect(answer.status).toBe(400);
		expect(answer.json.message).toContain('does not exist');
	});

	test('a post whose image was registered but never uploaded', async () => {
		const { image } = await registerImage();
		const answer = await post('/rest/posts', postBody({ content: { media: { id: image } } }));
		expect(answer.status).toBe(400);
		expect(answer.json.message).toContain('is not available (status WAITING_UPLOAD)');
	});

	test('a post whose image belongs to another author', async () => {
		const { uploadUrl, image } = await registerImage(LINKEDIN_ORGANIZATION.urn);
		await upload(uploadUrl, jpeg, 'image/jpeg');
		const answer = await post('/rest/posts', postBody({ content: { media: { id: image } } }));
		expect(answer.status).toBe(400);
		expect(answer.json.message).toContain('is owned by');
	});

	test.each([
		[
			'a video content type',
			readSandboxAsset('sample.mp4'),
			'video/mp4',
			'Unsupported content type video/mp4',
		],
		[
			'bytes that are no image',
			Buffer.from('hello'),
			'application/octet-stream',
			'is not a JPG, GIF or PNG image',
		],
		[
			'a PNG declared as JPEG',
			pngImage({ width: 8, height: 8 }),
			'image/jpeg',
			'are image/png, not the declared image/jpeg',
		],
	])(
		'an upload of %s, and the image stays unavailable',
		async (_case, bytes, contentType, message) => {
			const { uploadUrl, image } = await registerImage();
			const answer = await upload(uploadUrl, bytes, contentType);
			expect(answer.status).toBe(400);
			expect(JSON.parse(answer.text).message).toContain(message);
			const { images } = await state();
			expect(images.find((registered) => registered.urn === image)?.status).toBe('WAITING_UPLOAD');
		},
	);

	test('a second upload to the same URL', async () => {
		const { uploadUrl } = await registerImage();
		expect((await upload(uploadUrl, jpeg, 'image/jpeg')).status).toBe(201);
		expect((await upload(uploadUrl, jpeg, 'image/jpeg')).status).toBe(400);
	});

	test('a post body that is not JSON: 415', async () => {
		const response = await fetch(`${api}/rest/posts`, {
			method: 'POST',
			headers: headers({ 'content-type': 'application/x-www-form-urlencoded' }),
			body: 'author=urn%3Ali%3Aperson%3ASandb0xMemb3r',
		});
		expect(response.status).toBe(415);
	});
});
