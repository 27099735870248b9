import { randomBytes } from 'node:crypto';

import type { LinkedInImageRecord, LinkedInPostRecord, LinkedInRejection } from './types';

/** The member the access token belongs to, the organization it may post for, and what LinkedIn received, in order. */

export const LINKEDIN_MEMBER = {
	id: 'Sandb0xMemb3r',
	urn: 'urn:li:person:Sandb0xMemb3r',
	name: 'Site Owner',
	givenName: 'Site',
	familyName: 'Owner',
	email: 'owner@example.com',
};

export const LINKEDIN_ORGANIZATION = { id: '1000001', urn: 'urn:li:organization:1000001' };

export class LinkedInStore {
	sequence = 0;
	images: LinkedInImageRecord[] = [];
	/** Upload URL key → image. */
	private uploads = new Map<string, LinkedInImageRecord>();
	posts: LinkedInPostRecord[] = [];
	rejections: LinkedInRejection[] = [];

	constructor(private readonly now: () => number) {}

	reset(): void {
		this.sequence = 0;
		this.images = [];
		this.uploads.clear();
		this.posts = [];
		this.rejections = [];
	}

	/** Whether the access token's member may act as this author (themselves, or the organization they administer). */
	mayActAs(urn: string): boolean {
		return urn === LINKEDIN_MEMBER.urn || urn === LINKEDIN_ORGANIZATION.urn;
	}

	registerImage(
		owner: string,
		uploadUrlFor: (key: string) => string,
		via: string | null,
		ttlMs: number,
	): LinkedInImageRecord {
		const key = randomBytes(16).toString('hex');
		const image: LinkedInImageRecord = {
			seq: ++this.sequence,
			urn: `urn:li:image:D4E10AQ${randomBytes(12).toString('base64url')}`,
			owner,
			status: 'WAITING_UPLOAD',
			uploadUrl: uploadUrlFor(key),
			uploadUrlExpiresAt: this.now() + ttlMs,
			file: null,
			upload: null,
			via,
			registeredAt: new Date(this.now()).toISOString(),
		};
		this.images.push(image);
		this.uploads.set(key, image);
		return image;
	}

	imageByUploadKey(key: string): LinkedInImageRecord | undefined {
		return this.uploads.get(key);
	}

	imageByUrn(urn: string): LinkedInImageRecord | undefined {
		return this.images.find((image) => image.urn === urn);
	}

	recordPost(post: Omit<LinkedInPostRecord, 'seq' | 'urn' | 'receivedAt'>): LinkedInPostRecord {
		const recorded: LinkedInPostRecord = {
			seq: ++this.sequence,
			urn: `urn:li:share:74${String(this.posts.length + 1).padStart(17, '0')}`,
			...post,
			receivedAt: new Date(this.now()).toISOString(),
		};
		this.posts.push(recorded);
		return recorded;
	}

	reject(rejection: Omit<LinkedInRejection, 'seq' | 'receivedAt'>): void {
		this.rejections.push({
			seq: ++this.sequence,
			...rejection,
			receivedAt: new Date(this.now()).toISOString(),
		});
	}
}
