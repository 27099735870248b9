/* eslint-disable @n8n/community-nodes/no-restricted-imports -- e2e tests run in plain Node against a real n8n */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { SHARED_GALLERY_MEDIA } from '../../sandbox/src';
import type {
	InstagramContainerRecord,
	InstagramMediaRecord,
	InstagramRejection,
	LinkedInImageRecord,
	LinkedInPostRecord,
	LinkedInRejection,
	RequestLogEntry,
	TelegramMessageRecord,
	TelegramRejection,
} from '../../sandbox/src';
import type { N8nExecution, N8nNode } from '../support/e2e/n8n';
import {
	createAndRun,
	credentialRef,
	e2eInstance,
	manualWorkflow,
	n8n,
	nodeOutput,
	packageNodeType,
	sandboxControl,
} from '../support/e2e/n8n';

// n8n's own social-media nodes (n8n-nodes-base in the real n8n 2.41.1) fed by this package's nodes, against the
// sandbox's emulated platforms: Telegram through its credential's Base URL, LinkedIn and Instagram (Facebook Graph API
// node) at their fixed hosts through the sandbox's platform proxy (HTTPS_PROXY + NODE_EXTRA_CA_CERTS, set by
// scripts/n8n-instance.mjs). Each emulation records what it received: the files' SHA-256 must be the Wix media's.

interface TelegramState {
	messages: TelegramMessageRecord[];
	rejections: TelegramRejection[];
}
interface LinkedInState {
	images: LinkedInImageRecord[];
	posts: LinkedInPostRecord[];
	rejections: LinkedInRejection[];
}
interface InstagramState {
	containers: InstagramContainerRecord[];
	media: InstagramMediaRecord[];
	rejections: InstagramRejection[];
}

const DOWNLOAD = 'Shared Gallery Download';
const PHOTO_ID = SHARED_GALLERY_MEDIA['beach-sunset.png'];

/** A caption no other test uses, so that this test's records are found among everything the platform received. */
const marker = () => `e2e-${randomBytes(4).toString('hex')}`;

async function checksum(itemId: string): Promise<{ name: string; size: number; sha256: string }> {
	return await sandboxControl('GET', `shared-gallery/media/${itemId}/checksum`);
}

/** A Shared Gallery video with real MP4 bytes, made for the test. */
async function sharedGalleryVideo(): Promise<string> {
	const { items } = await sandboxControl<{ items: Array<{ id: string }> }>(
		'POST',
		'shared-gallery/media',
		{
			kind: 'video',
			sizeBytes: 2 * 1024 * 1024 + 17,
			createdByName: 'E2E Member',
			createdBy: 'e2e00000-0000-4000-8000-000000000002',
			namePrefix: 'e2e-social-video',
		},
	);
	return items[0].id;
}

function download(name: string, itemId: string): Partial<N8nNode> & { name: string; type: string } {
	return {
		name,
		type: packageNodeType('wixSharedGallery'),
		parameters: {
			authentication: 'apiKey',
			resource: 'item',
			operation: 'download',
			selectBy: 'ids',
			itemIds: itemId,
			binaryPropertyName: 'data',
			options: {},
		},
		credentials: credentialRef('wixGalleryApi'),
	};
}

function telegramSend(
	name: string,
	operation: 'sendPhoto' | 'sendVideo',
	caption: string,
): Partial<N8nNode> & { name: string; type: string } {
	const { telegram } = e2eInstance().sandbox.platforms;
	return {
		name,
		type: 'n8n-nodes-base.telegram',
		typeVersion: 1.2,
		parameters: {
			resource: 'message',
			operation,
			chatId: String(telegram!.chats[0].id),
			binaryData: true,
			binaryPropertyName: 'data',
			replyMarkup: 'none',
			additionalFields: { caption },
		},
		credentials: credentialRef('telegramApi'),
	};
}

function graphCall(
	name: string,
	edge: 'media' | 'media_publish',
	parameters: Array<{ name: string; value: string }>,
): Partial<N8nNode> & { name: string; type: string } {
	return {
		name,
		type: 'n8n-nodes-base.facebookGraphApi',
		parameters: {
			hostUrl: 'graph.facebook.com',
			httpRequestMethod: 'POST',
			graphApiVersion: 'v23.0',
			node: e2eInstance().sandbox.platforms.instagram!.account.igUserId,
			edge,
			options: { queryParameters: { parameter: parameters } },
		},
		credentials: credentialRef('facebookGraphApi'),
	};
}

function linkedInPost(
	text: string,
	title: string,
): Partial<N8nNode> & { name: string; type: string } {
	return {
		name: 'LinkedIn',
		type: 'n8n-nodes-base.linkedIn',
		parameters: {
			authentication: 'standard',
			resource: 'post',
			operation: 'create',
			postAs: 'person',
			person: e2eInstance().sandbox.platforms.linkedin!.member.id,
			text,
			shareMediaCategory: 'IMAGE',
			binaryPropertyName: 'data',
			additionalFields: { title },
		},
		credentials: credentialRef('linkedInOAuth2Api'),
	};
}

/** The error a node failed with (message and description, where n8n puts the platform's text). */
function nodeError(execution: N8nExecution, nodeName: string): string {
	const error = execution.data?.resultData.runData[nodeName]?.[0]?.error;
	if (!error) throw new Error(`node "${nodeName}" did not fail (execution ${execution.status})`);
	return `${error.message} | ${error.description ?? ''}`;
}

/** The item of a Pro Gallery gallery with this title, by the sandbox's own state. */
async function proGalleryItem(
	title: string,
): Promise<{ galleryId: string; itemId: string; mediaUrl: string }> {
	const { proGallery } = await sandboxControl<{
		proGallery: {
			galleries: Array<{
				id: string;
				items: Array<{ id: string; title?: string; image?: { imageInfo?: { url?: string } } }>;
			}>;
		};
	}>('GET', 'state');
	for (const gallery of proGallery.galleries) {
		const found = gallery.items.find((item) => item.title === title);
		if (found?.image?.imageInfo?.url) {
			return { galleryId: gallery.id, itemId: found.id, mediaUrl: found.image.imageInfo.url };
		}
	}
	throw new Error(`no Pro Gallery image item titled ${title}`);
}

function proGalleryGet(
	galleryId: string,
	itemId: string,
): Partial<N8nNode> & { name: string; type: string } {
	return {
		name: 'Pro Gallery Item',
		type: packageNodeType('wixProGallery'),
		parameters: {
			authentication: 'apiKey',
			resource: 'item',
			operation: 'get',
			galleryId: { __rl: true, mode: 'id', value: galleryId },
			itemId: { __rl: true, mode: 'id', value: itemId },
		},
		credentials: credentialRef('wixGalleryApi'),
	};
}

async function requestLog(): Promise<RequestLogEntry[]> {
	return await sandboxControl<RequestLogEntry[]>('GET', 'requests');
}

describe('the instance is wired to the platform proxy', () => {
	test('n8n was started with the proxy: HTTPS_PROXY is the sandbox, for the platforms’ hosts, with the CA file', () => {
		const { proxy, baseUrl } = e2eInstance().sandbox;
		expect(proxy).not.toBeNull();
		expect(proxy!.proxyUrl).toBe(baseUrl);
		expect(Object.keys(proxy!.hosts)).toEqual(
			expect.arrayContaining(['api.linkedin.com', 'www.linkedin.com', 'graph.facebook.com']),
		);
		expect(readFileSync(proxy!.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
	});

	test('n8n’s credential tests pass: Telegram getMe at the Base URL, Graph API /me at graph.facebook.com (through the proxy)', async () => {
		const { credentials } = e2eInstance();
		for (const type of ['telegramApi', 'facebookGraphApi'] as const) {
			const result = await n8n().testCredential({ ...credentials[type] });
			expect({ type, ...result }).toEqual({ type, status: 'OK', message: expect.any(String) });
		}
		const graphMe = (await requestLog()).filter((entry) => entry.path === '/graph/v8.0/me');
		expect(graphMe.length).toBeGreaterThan(0);
	});
});

describe('Telegram node (n8n-nodes-base) sends Wix media from a binary', () => {
	test('a photo and a video from Shared Gallery Download: both files arrive whole, with their captions, in order', async () => {
		const videoId = await sharedGalleryVideo();
		const tag = marker();
		const { execution } = await createAndRun(
			manualWorkflow('e2e: Shared Gallery → Telegram photo and video', [
				download('Download Photo', PHOTO_ID),
				telegramSend('Send Photo', 'sendPhoto', `=${tag} photo: {{ $json.fileName }}`),
				download('Download Video', videoId),
				telegramSend('Send Video', 'sendVideo', `=${tag} video: {{ $json.fileName }}`),
			]),
		);
		expect(execution.status).toBe('success');
		const photo = await checksum(PHOTO_ID);
		const video = await checksum(videoId);

		const { messages } = await sandboxControl<TelegramState>('GET', 'telegram');
		const ours = messages.filter((message) => message.caption?.startsWith(tag));
		expect(ours.map((message) => [message.method, message.attachment, message.caption])).toEqual([
			['sendPhoto', 'photo', `${tag} photo: ${photo.name}`],
			['sendVideo', 'video', `${tag} video: ${video.name}`],
		]);
		expect(ours[0].seq).toBeLessThan(ours[1].seq);
		expect(ours[0].file).toMatchObject({
			source: 'upload',
			sha256: photo.sha256,
			size: photo.size,
			fileName: photo.name,
		});
		expect(ours[1].file).toMatchObject({
			source: 'upload',
			sha256: video.sha256,
			size: video.size,
			fileName: video.name,
			detectedType: 'video/mp4',
		});
		// The node outputs Telegram's answer: the message it sent.
		const [sent] = nodeOutput(execution, 'Send Video');
		expect(sent.json).toMatchObject({ ok: true, result: { message_id: ours[1].messageId } });
	});

	test('a video sent as a photo: Telegram refuses it, and the node fails with Telegram’s description', async () => {
		const videoId = await sharedGalleryVideo();
		const tag = marker();
		const { execution } = await createAndRun(
			manualWorkflow('e2e: Shared Gallery video → Telegram sendPhoto (refused)', [
				download(DOWNLOAD, videoId),
				telegramSend('Send Photo', 'sendPhoto', tag),
			]),
		);
		expect(execution.status).toBe('error');
		expect(nodeError(execution, 'Send Photo')).toContain('IMAGE_PROCESS_FAILED');
		const { messages, rejections } = await sandboxControl<TelegramState>('GET', 'telegram');
		expect(messages.filter((message) => message.caption === tag)).toEqual([]);
		expect(rejections.at(-1)).toMatchObject({
			method: 'sendPhoto',
			status: 400,
			description: 'Bad Request: IMAGE_PROCESS_FAILED',
		});
	});
});

describe('LinkedIn node (n8n-nodes-base) posts a Wix image from a binary, at api.linkedin.com through the proxy', () => {
	test('initializeUpload, the upload, the post: the image’s bytes are the Wix media’s, the post has its text', async () => {
		const tag = marker();
		const { execution } = await createAndRun(
			manualWorkflow('e2e: Shared Gallery → LinkedIn image post', [
				download(DOWNLOAD, PHOTO_ID),
				linkedInPost(`=${tag} New in the gallery: {{ $json.fileName }}`, 'Beach at sunset'),
			]),
		);
		expect(execution.status).toBe('success');
		const photo = await checksum(PHOTO_ID);
		const { member } = e2eInstance().sandbox.platforms.linkedin!;

		const { posts, images } = await sandboxControl<LinkedInState>('GET', 'linkedin');
		const post = posts.find((candidate) => candidate.commentary.startsWith(tag));
		// The node escapes LinkedIn's "little text" reserved characters, e.g. the dash of the file name.
		expect(post).toMatchObject({
			author: member.urn,
			commentary: `${tag} New in the gallery: ${photo.name.replace(/[()*[\]{}<>@|~_]/g, (char) => `\\${char}`)}`,
			mediaTitle: 'Beach at sunset',
			visibility: 'PUBLIC',
			lifecycleState: 'PUBLISHED',
			image: expect.objectContaining({
				sha256: photo.sha256,
				size: photo.size,
				detectedType: 'image/png',
			}),
			// Only a request that came through the TLS tunnel has a proxy host.
			via: 'api.linkedin.com',
		});
		const image = images.find((candidate) => candidate.urn === post!.imageUrn);
		expect(image).toMatchObject({
			owner: member.urn,
			status: 'AVAILABLE',
			via: 'api.linkedin.com',
			file: expect.objectContaining({ sha256: photo.sha256 }),
			upload: { method: 'POST', contentType: 'image/png' },
		});
		expect(image!.uploadUrl).toMatch(/^https:\/\/www\.linkedin\.com\/dms-uploads\//);
		expect(image!.seq).toBeLessThan(post!.seq);
		// The node outputs the post's URN from x-restli-id.
		expect(nodeOutput(execution, 'LinkedIn')[0].json).toEqual({ urn: post!.urn });
	});

	test('a video as the image: LinkedIn refuses the upload, and the node fails with LinkedIn’s message', async () => {
		const videoId = await sharedGalleryVideo();
		const tag = marker();
		const { execution } = await createAndRun(
			manualWorkflow('e2e: Shared Gallery video → LinkedIn image post (refused)', [
				download(DOWNLOAD, videoId),
				linkedInPost(tag, 'not an image'),
			]),
		);
		expect(execution.status).toBe('error');
		expect(nodeError(execution, 'LinkedIn')).toContain('Unsupported content type video/mp4');
		const { posts, rejections } = await sandboxControl<LinkedInState>('GET', 'linkedin');
		expect(posts.filter((post) => post.commentary.startsWith(tag))).toEqual([]);
		expect(rejections.at(-1)).toMatchObject({ status: 400, via: 'www.linkedin.com' });
	});
});

describe('Facebook Graph API node (n8n-nodes-base) publishes a Wix image on Instagram, at graph.facebook.com through the proxy', () => {
	test('Pro Gallery Item → container from the item’s image URL → media_publish: the published image is the Wix file', async () => {
		const { galleryId, itemId, mediaUrl } = await proGalleryItem('Studio session');
		const tag = marker();
		const { execution } = await createAndRun(
			manualWorkflow('e2e: Pro Gallery → Instagram (Graph API) publish', [
				proGalleryGet(galleryId, itemId),
				graphCall('Create Container', 'media', [
					{ name: 'image_url', value: '={{ $json.mediaUrl }}' },
					{ name: 'caption', value: `=${tag} {{ $json.title }} #{{ $json.tags[0] }}` },
				]),
				graphCall('Publish', 'media_publish', [{ name: 'creation_id', value: '={{ $json.id }}' }]),
			]),
		);
		expect(execution.status).toBe('success');
		const wixBytes = Buffer.from(await (await fetch(mediaUrl)).arrayBuffer());
		const wixSha256 = createHash('sha256').update(wixBytes).digest('hex');

		const { containers, media } = await sandboxControl<InstagramState>('GET', 'instagram');
		const container = containers.find((candidate) => candidate.caption.startsWith(tag));
		expect(container).toMatchObject({
			imageUrl: mediaUrl,
			caption: `${tag} Studio session #portrait`,
			status: 'PUBLISHED',
			file: expect.objectContaining({ sha256: wixSha256, detectedType: 'image/jpeg' }),
			via: 'graph.facebook.com',
		});
		const published = media.find((candidate) => candidate.containerId === container!.id);
		expect(published).toMatchObject({ caption: container!.caption, via: 'graph.facebook.com' });
		expect(published!.file.sha256).toBe(wixSha256);
		expect(nodeOutput(execution, 'Create Container')[0].json).toEqual({ id: container!.id });
		expect(nodeOutput(execution, 'Publish')[0].json).toEqual({ id: published!.id });
	});

	test('a PNG image URL: Instagram takes JPEG only, and the node fails with the Graph API’s error', async () => {
		const { galleryId, itemId } = await proGalleryItem('Beach at sunset');
		const tag = marker();
		const { execution } = await createAndRun(
			manualWorkflow('e2e: Pro Gallery PNG → Instagram container (refused)', [
				proGalleryGet(galleryId, itemId),
				graphCall('Create Container', 'media', [
					{ name: 'image_url', value: '={{ $json.mediaUrl }}' },
					{ name: 'caption', value: tag },
				]),
			]),
		);
		expect(execution.status).toBe('error');
		expect(nodeError(execution, 'Create Container')).toContain('The image format is not supported');
		const { containers, rejections } = await sandboxControl<InstagramState>('GET', 'instagram');
		expect(containers.filter((container) => container.caption === tag)).toEqual([]);
		expect(rejections.at(-1)).toMatchObject({
			code: 9004,
			subcode: 2207005,
			via: 'graph.facebook.com',
		});
	});
});
