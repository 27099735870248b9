import { createHash, randomBytes } from 'node:crypto';

import type { SandboxContext } from '../../context';
import { sniffMedia } from '../../lib/mediaBytes';
import { PlatformNotifications } from './notifications';
import {
	EXTERNAL_LIST_DEFAULT_LIMIT,
	EXTERNAL_LIST_MAX_LIMIT,
	EXTERNAL_MAX_UPLOAD_BYTES,
	platformError,
} from './types';
import type { ExternalMedia, StoredMedia } from './types';

/** The platform's media posts; every change is notified (notifications.ts). */
export class ExternalMediaStore {
	private context: SandboxContext | undefined;
	private readonly media = new Map<string, StoredMedia>();
	/** Creation order, for listing and cursors; also seeds the images control routes draw. */
	sequence = 0;
	readonly notifications = new PlatformNotifications(() => this.ctx.now());

	attach(context: SandboxContext): void {
		this.context = context;
	}

	private get ctx(): SandboxContext {
		if (!this.context) throw new Error('externalPlatform used before the sandbox registered it');
		return this.context;
	}

	/** Drops every post and the notification target; queued notifications are not sent. */
	reset(): void {
		this.notifications.reset();
		this.media.clear();
		this.sequence = 0;
	}

	/** Where the platform's API is served. */
	apiUrl(): string {
		return `${this.ctx.baseUrl()}/external/v1`;
	}

	toJson(stored: StoredMedia): ExternalMedia {
		return {
			id: stored.id,
			caption: stored.caption,
			sourceId: stored.sourceId,
			url: `${this.apiUrl()}/files/${stored.id}`,
			mimeType: stored.mimeType,
			size: stored.bytes.length,
			sha256: stored.sha256,
			createdAt: new Date(stored.createdAt).toISOString(),
			updatedAt: new Date(stored.updatedAt).toISOString(),
		};
	}

	/** Every post, oldest first. */
	all(): StoredMedia[] {
		return [...this.media.values()].sort((a, b) => a.seq - b.seq);
	}

	find(id: string): StoredMedia | undefined {
		return this.media.get(id);
	}

	/** A new post from uploaded bytes, which must be an image or a video of at most 200 MB. */
	create(
		bytes: Buffer,
		declaredType: string | undefined,
		caption: string,
		sourceId: string | null = null,
	): StoredMedia {
		if (bytes.length === 0) throw platformError(400, 'bad_request', 'The file is empty');
		if (bytes.length > EXTERNAL_MAX_UPLOAD_BYTES) {
			throw platformError(
				413,
				'too_large',
				`Files are limited to ${EXTERNAL_MAX_UPLOAD_BYTES} bytes`,
			);
		}
		const sniffed = sniffMedia(bytes);
		if (sniffed.kind === 'unknown') {
			throw platformError(
				415,
				'unsupported_media',
				`Not an image or video (declared ${declaredType ?? 'nothing'})`,
			);
		}
		const now = this.ctx.now();
		const stored: StoredMedia = {
			seq: ++this.sequence,
			id: `med_${randomBytes(8).toString('hex')}`,
			caption,
			sourceId,
			mimeType: sniffed.mimeType,
			bytes,
			sha256: createHash('sha256').update(bytes).digest('hex'),
			createdAt: now,
			updatedAt: now,
		};
		this.media.set(stored.id, stored);
		this.notifications.notify('media.created', this.toJson(stored));
		return stored;
	}

	/** Changes a post's caption (the only thing that can change). */
	update(id: string, body: unknown): StoredMedia {
		const stored = this.media.get(id);
		if (!stored) throw platformError(404, 'not_found', `No media ${id}`);
		const caption = (body as { caption?: unknown } | null)?.caption;
		if (typeof caption !== 'string')
			throw platformError(400, 'bad_request', 'caption must be a string');
		stored.caption = caption;
		stored.updatedAt = Math.max(this.ctx.now(), stored.updatedAt + 1);
		this.notifications.notify('media.updated', this.toJson(stored));
		return stored;
	}

	remove(id: string): StoredMedia {
		const stored = this.media.get(id);
		if (!stored) throw platformError(404, 'not_found', `No media ${id}`);
		this.media.delete(id);
		this.notifications.notify('media.deleted', this.toJson(stored));
		return stored;
	}

	/** A page of posts in creation order, optionally only those copied from `sourceId`. */
	list(
		limitParam: string | null,
		cursor: string | null,
		sourceId: string | null,
	): { items: ExternalMedia[]; nextCursor: string | null } {
		const limit = parseLimit(limitParam);
		let after = 0;
		if (cursor) {
			after = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
			if (!Number.isInteger(after) || after < 0)
				throw platformError(400, 'bad_request', 'Invalid cursor');
		}
		const ordered = this.all()
			.filter((stored) => stored.seq > after)
			.filter((stored) => sourceId === null || stored.sourceId === sourceId);
		const page = ordered.slice(0, limit);
		const nextCursor =
			ordered.length > limit
				? Buffer.from(String(page[page.length - 1].seq), 'utf8').toString('base64url')
				: null;
		return { items: page.map((stored) => this.toJson(stored)), nextCursor };
	}
}

function parseLimit(raw: string | null): number {
	if (raw === null || raw === '') return EXTERNAL_LIST_DEFAULT_LIMIT;
	const limit = Number(raw);
	if (!Number.isInteger(limit) || limit < 1 || limit > EXTERNAL_LIST_MAX_LIMIT) {
		throw platformError(
			400,
			'bad_request',
			`limit must be an integer from 1 to ${EXTERNAL_LIST_MAX_LIMIT}`,
		);
	}
	return limit;
}
