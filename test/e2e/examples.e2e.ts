import type { N8nWorkflow } from '../support/e2e/n8n';
import {
	download,
	e2eInstance,
	forgetInMappingTable,
	mappingTableLinks,
	n8n,
	packageNodeType,
	sandboxControl,
	sha256,
} from '../support/e2e/n8n';

// Examples 1 and 3 as imported by the e2e set-up (scripts/n8n-instance.mjs), run in real n8n 2.41.1 with n8n's own
// LinkedIn, Facebook Graph API and Telegram nodes against the sandbox's emulations: what each platform received is
// checked against the Wix bytes, and a second run of example 1 posts nothing again. Example 2 runs in
// gallerySync/faults/syncBurst e2e; `npm run demo -- --check` checks all three the same way.

interface PlatformRecords {
	linkedin: {
		posts: Array<{
			seq: number;
			commentary: string;
			mediaTitle: string | null;
			image: { sha256: string; detectedType: string } | null;
			via: string | null;
		}>;
		rejections: Array<{ seq: number }>;
	};
	instagram: {
		media: Array<{
			seq: number;
			caption: string;
			imageUrl: string;
			file: { sha256: string };
			via: string | null;
		}>;
		containers: Array<{ seq: number }>;
		rejections: Array<{ seq: number }>;
	};
	telegram: {
		chats: Array<{ id: number; username?: string }>;
		messages: Array<{
			seq: number;
			chatId: number;
			method: string;
			attachment: string | null;
			caption: string | null;
			file: { sha256: string; size: number } | null;
		}>;
		rejections: Array<{ seq: number }>;
	};
}

interface GalleryItem {
	id: string;
	title?: string;
	tags?: { values?: string[] };
	image?: { imageInfo?: { url?: string; width?: number; height?: number } };
}

async function platformRecords(): Promise<PlatformRecords> {
	const [linkedin, instagram, telegram] = await Promise.all(
		['linkedin', 'instagram', 'telegram'].map(async (name) => await sandboxControl('GET', name)),
	);
	return { linkedin, instagram, telegram } as PlatformRecords;
}

function since<T extends { seq: number }>(list: T[], old: T[]): T[] {
	const last = Math.max(0, ...old.map((record) => record.seq));
	return list.filter((record) => record.seq > last);
}

async function imported(file: string): Promise<N8nWorkflow> {
	const found = e2eInstance().workflows.find((workflow) => workflow.file.endsWith(file));
	if (!found?.id) throw new Error(`example ${file} was not imported`);
	return await n8n().getWorkflow(found.id);
}

describe('example 1: a Pro Gallery shared on LinkedIn and Instagram with n8n’s own nodes', () => {
	test('each image once on LinkedIn (its Wix bytes), the JPEG Instagram takes once, the text item nowhere; a second run posts nothing', async () => {
		const workflow = await imported('1-share-pro-gallery.json');
		const getMany = workflow.nodes.find((node) => node.type === packageNodeType('wixProGallery'));
		const galleryId = (getMany!.parameters.galleryId as { value: string }).value;
		const { proGallery } = await sandboxControl<{
			proGallery: { galleries: Array<{ id: string; name: string; items: GalleryItem[] }> };
		}>('GET', 'state');
		const gallery = proGallery.galleries.find((candidate) => candidate.id === galleryId)!;
		expect(gallery.name).toBe('Studio portraits');
		const images = gallery.items.filter((item) => item.image?.imageInfo?.url);
		const withoutFile = gallery.items.filter((item) => !item.image?.imageInfo?.url);
		expect(withoutFile.length).toBeGreaterThan(0);
		// Earlier runs (the fault suite) may have posted: start from unshared.
		const ids = gallery.items.map((item) => item.id);
		await forgetInMappingTable('share-linkedin', ids);
		await forgetInMappingTable('share-instagram', ids);
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(workflow.id!);
		expect(execution.status).toBe('success');

		const after = await platformRecords();
		expect(since(after.linkedin.rejections, before.linkedin.rejections)).toEqual([]);
		expect(since(after.instagram.rejections, before.instagram.rejections)).toEqual([]);
		const posts = since(after.linkedin.posts, before.linkedin.posts);
		expect(posts.map((post) => post.mediaTitle).sort()).toEqual(
			images.map((item) => item.title).sort(),
		);
		for (const item of images) {
			const post = posts.find((candidate) => candidate.mediaTitle === item.title)!;
			// Fit 1080 × 1080 never enlarges, and the seed's images are smaller: the file is the Wix original.
			expect(post.image?.sha256).toBe(sha256(await download(item.image!.imageInfo!.url!)));
			expect(post.via).toBe('api.linkedin.com');
		}
		const published = since(after.instagram.media, before.instagram.media);
		const studio = images.find((item) => item.title === 'Studio session')!;
		expect(published).toEqual([
			expect.objectContaining({
				caption: `Studio session\n\n${(studio.tags?.values ?? []).map((tag) => `#${tag}`).join(' ')}`,
				imageUrl: studio.image!.imageInfo!.url,
				file: expect.objectContaining({
					sha256: sha256(await download(studio.image!.imageInfo!.url!)),
				}),
				via: 'graph.facebook.com',
			}),
		]);
		const linkedInLinks = (await mappingTableLinks('share-linkedin')).filter(
			(link) => !link.removed && ids.includes(String(link.wixItemId)),
		);
		expect(linkedInLinks.map((link) => link.wixItemId).sort()).toEqual(
			images.map((item) => item.id).sort(),
		);

		const again = await n8n().runWorkflow(workflow.id!);
		expect(again.status).toBe('success');
		const afterAgain = await platformRecords();
		expect({
			linkedin: since(afterAgain.linkedin.posts, after.linkedin.posts),
			instagram: since(afterAgain.instagram.containers, after.instagram.containers),
		}).toEqual({ linkedin: [], instagram: [] });
	});
});

describe('example 3: the 5 most-liked media of two members to a Telegram channel', () => {
	test('most-liked first, photos by sendPhoto and the video by sendVideo, the Shared Gallery bytes, name/member/likes captions', async () => {
		const workflow = await imported('3-most-liked-to-telegram.json');
		// By its member filter: n8n leaves default values (the operation, Query) out of a saved workflow.
		const query = workflow.nodes.find(
			(node) => (node.parameters.filters as { createdBy?: unknown } | undefined)?.createdBy,
		)!;
		const members = (
			query.parameters.filters as { createdBy: { members: Array<{ member: { value: string } }> } }
		).createdBy.members.map((entry) => entry.member.value);
		expect(members).toHaveLength(2);
		const state = await sandboxControl<{
			sharedGallery: {
				items: Array<{
					id: string;
					name: string;
					type: string;
					createdBy: string;
					likeCount: number;
				}>;
			};
			members: { members: Array<{ id: string; nickname: string }> };
		}>('GET', 'state');
		const names = new Map(state.members.members.map((member) => [member.id, member.nickname]));
		const top5 = state.sharedGallery.items
			.filter((item) => item.type === 'VISUAL_MEDIA' && members.includes(item.createdBy))
			.sort((a, b) => b.likeCount - a.likeCount)
			.slice(0, 5);
		const before = await platformRecords();

		const execution = await n8n().runWorkflow(workflow.id!);
		expect(execution.status).toBe('success');

		const after = await platformRecords();
		expect(since(after.telegram.rejections, before.telegram.rejections)).toEqual([]);
		const channel = after.telegram.chats.find((chat) => chat.username === 'wix_gallery_sandbox')!;
		const messages = since(after.telegram.messages, before.telegram.messages);
		const expected = [];
		for (const item of top5) {
			const checksum = await sandboxControl<{ sha256: string; size: number }>(
				'GET',
				`shared-gallery/media/${item.id}/checksum`,
			);
			const video = item.name.endsWith('.mp4');
			expected.push({
				chatId: channel.id,
				method: video ? 'sendVideo' : 'sendPhoto',
				attachment: video ? 'video' : 'photo',
				caption: `${item.name} by ${names.get(item.createdBy)} (${item.likeCount} likes)`,
				file: expect.objectContaining({ sha256: checksum.sha256, size: checksum.size }),
			});
		}
		// The seed's story: Chen's two most-liked, then Alice's, and Chen's timelapse video last.
		expect(expected.filter((message) => message.method === 'sendVideo')).toHaveLength(1);
		expect(messages).toEqual(expected.map((message) => expect.objectContaining(message)));
	});
});
