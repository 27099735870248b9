import type { ReceivedFile } from '../../lib/receivedFiles';
import type { InstagramContainerRecord, InstagramMediaRecord, InstagramRejection } from './types';

/** The Instagram professional account the token may publish to, and what it received, in order. */

export const INSTAGRAM_ACCOUNT = {
	igUserId: '17841400000000001',
	username: 'wix_gallery_sandbox',
	/** The Facebook user the access token belongs to (`GET /me`, the credential test). */
	facebookUser: { id: '10000000000000001', name: 'Site Owner' },
};

export class InstagramStore {
	sequence = 0;
	containers: InstagramContainerRecord[] = [];
	media: InstagramMediaRecord[] = [];
	rejections: InstagramRejection[] = [];

	constructor(private readonly now: () => number) {}

	reset(): void {
		this.sequence = 0;
		this.containers = [];
		this.media = [];
		this.rejections = [];
	}

	private at(): string {
		return new Date(this.now()).toISOString();
	}

	createContainer(fields: {
		igUserId: string;
		imageUrl: string;
		caption: string;
		file: ReceivedFile;
		via: string | null;
	}): InstagramContainerRecord {
		const container: InstagramContainerRecord = {
			seq: ++this.sequence,
			id: `1789${String(this.containers.length + 1).padStart(13, '0')}`,
			status: 'FINISHED',
			...fields,
			receivedAt: this.at(),
		};
		this.containers.push(container);
		return container;
	}

	findContainer(id: string): InstagramContainerRecord | undefined {
		return this.containers.find((container) => container.id === id);
	}

	publish(container: InstagramContainerRecord, via: string | null): InstagramMediaRecord {
		container.status = 'PUBLISHED';
		const media: InstagramMediaRecord = {
			seq: ++this.sequence,
			id: `1790${String(this.media.length + 1).padStart(13, '0')}`,
			containerId: container.id,
			igUserId: container.igUserId,
			caption: container.caption,
			imageUrl: container.imageUrl,
			file: container.file,
			via,
			publishedAt: this.at(),
		};
		this.media.push(media);
		return media;
	}

	findMedia(id: string): InstagramMediaRecord | undefined {
		return this.media.find((media) => media.id === id);
	}

	reject(rejection: Omit<InstagramRejection, 'seq' | 'receivedAt'>): void {
		this.rejections.push({ seq: ++this.sequence, ...rejection, receivedAt: this.at() });
	}
}
