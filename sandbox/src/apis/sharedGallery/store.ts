/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

import type { CallerIdentity, SandboxContext } from '../../context';
import { invalidArgument, notFound, WixHttpError } from '../../errors';
import type { MembersModule } from '../members/types';
import { isRecord, pick, stringList } from './input';
import type { MediaContent } from './mediaContent';
import { identityKey, likeCount, parseItemQuery, runItemQuery } from './query';
import { SHARED_GALLERY_ROOT_ALBUM_ID } from './seedData';
import { DEFAULT_ARCHIVE_OPTIONS } from './types';
import type { ArchiveOptions, Member, PendingBrokenArchive, SharedItem, UrlGrant } from './types';

/**
 * The Shared Gallery's members and items, and the operations of its API on them: queries, display URLs (which count
 * views) and download URLs, all of which expire after `downloadUrlTtlSeconds`.
 */

/** A new visual media item; counts default to zero and the album to the root. */
export interface NewMedia {
	id: string;
	name: string;
	createdBy: string;
	content: MediaContent;
	createdDate: number;
	parentAlbumId?: string;
	likedBy?: string[];
	otherLikes?: number;
	viewCount?: number;
	commentCount?: number;
	taggedMembers?: string[];
	previewSeed: number;
}

type Json = Record<string, unknown>;

export class SharedGalleryStore {
	private context: SandboxContext | undefined;
	readonly members = new Map<string, Member>();
	readonly items = new Map<string, SharedItem>();
	private readonly grants = new Map<string, UrlGrant>();
	private readonly brokenOptions = new Map<string, PendingBrokenArchive>();
	private pendingBroken: PendingBrokenArchive | undefined;
	archiveOptions: ArchiveOptions = { ...DEFAULT_ARCHIVE_OPTIONS };
	/** How many media `POST /_sandbox/shared-gallery/media` made since the last reset (names and seeds count on). */
	generatedCount = 0;
	/**
	 * Whether the `Profiles` fieldset is ignored (`PUT /_sandbox/shared-gallery/profiles`), as a Wix that no longer
	 * honours it would: `createdBy` and tagged members are then ids only (docs/wix-api.md §10.4).
	 */
	profilesIgnored = false;

	attach(context: SandboxContext): void {
		this.context = context;
	}

	get ctx(): SandboxContext {
		if (!this.context) throw new Error('sharedGallery used before the sandbox registered it');
		return this.context;
	}

	reset(): void {
		this.members.clear();
		this.items.clear();
		this.grants.clear();
		this.brokenOptions.clear();
		this.pendingBroken = undefined;
		this.archiveOptions = { ...DEFAULT_ARCHIVE_OPTIONS };
		this.generatedCount = 0;
		this.profilesIgnored = false;
	}

	/** Where the sandbox serves the gallery's files (display and download URLs, previews, profile images). */
	filesUrl(path: string): string {
		return `${this.ctx.baseUrl()}/shared-gallery-files/${path}`;
	}

	/** The site's members (the Members API module), when the sandbox runs one. */
	siteMembers(): MembersModule | undefined {
		try {
			return this.ctx.module<MembersModule>('members');
		} catch {
			return undefined;
		}
	}

	/**
	 * A member as an IdentityProfile. Names and privacy come from the site's members when the sandbox has them; a
	 * private profile has no name or picture (the sandbox's choice: Wix does not say what it answers, §10.4).
	 */
	profile(memberId: string, withProfiles: boolean): Json {
		if (!withProfiles || this.profilesIgnored) return { id: memberId };
		const siteMember = this.siteMembers()?.member(memberId);
		if (siteMember?.privacyStatus === 'PRIVATE') {
			return { id: memberId, identityProfileStatus: 'PRIVATE' };
		}
		const name = siteMember?.nickname ?? this.members.get(memberId)?.name;
		return {
			id: memberId,
			name: name ?? '',
			imageUrl: this.filesUrl(`profiles/${memberId}.png`),
			identityProfileStatus: name !== undefined ? 'PUBLIC' : 'UNKNOWN',
		};
	}

	childrenOf(albumId: string): SharedItem[] {
		return [...this.items.values()]
			.filter((item) => item.type === 'VISUAL_MEDIA' && item.parentAlbumId === albumId)
			.sort((a, b) => a.orderNumber - b.orderNumber || a.createdDate - b.createdDate);
	}

	/** The item as Query Items answers it (docs/wix-api.md §2.3), for this caller and fieldset. */
	itemJson(item: SharedItem, caller: CallerIdentity | null, fieldset: string[]): Json {
		const withProfiles = fieldset.includes('Profiles');
		const callerKey = identityKey(caller);
		const json: Json = {
			id: item.id,
			name: item.name,
			description: item.description,
			altText: item.altText,
			createdBy: this.profile(item.createdBy, withProfiles),
			createdDate: new Date(item.createdDate).toISOString(),
			parentAlbumId: item.parentAlbumId,
			likeCount: likeCount(item),
			liked: caller?.identityType === 'MEMBER' && item.likedBy.includes(caller.memberId),
			viewCount: item.viewCount,
			viewed: callerKey !== undefined && item.viewedBy.has(callerKey),
			commentCount: item.commentCount,
			type: item.type,
			memberTagCount: item.taggedMembers.length,
		};
		// A Wix that ignores `Profiles` sends no tagged members for it either.
		if (fieldset.includes('RecentTaggedMembers') || (withProfiles && !this.profilesIgnored)) {
			json.latestTaggedMembers = item.taggedMembers
				.slice(-5)
				.reverse()
				.map((memberId) => this.profile(memberId, withProfiles));
		}
		json.additionalInfo =
			item.type === 'VISUAL_MEDIA' && item.content
				? {
						visualMediaInfo: {
							fileExtension: item.content.fileExtension,
							size: String(item.content.size),
							previewImages: this.previewImages(item),
						},
					}
				: { albumInfo: this.albumInfo(item) };
		return json;
	}

	private previewImages(item: SharedItem): Json[] {
		const frames = item.content?.kind === 'video' ? 3 : 1;
		const { width, height } = previewSize(item);
		return Array.from({ length: frames }, (_, frame) => ({
			url: this.filesUrl(`previews/${item.id}/f${String(frame).padStart(3, '0')}.png`),
			width,
			height,
			status: 'READY',
		}));
	}

	/** An album's cover (its first child) and the previews of its first four children. */
	private albumInfo(album: SharedItem): Json {
		const children = this.childrenOf(album.id);
		const cover = children[0];
		const coverImages = cover ? this.previewImages(cover).slice(0, 1) : [];
		return {
			updatedDate: new Date(album.updatedDate).toISOString(),
			childrenCount: children.length,
			cover: cover ? { visualMediaId: cover.id, images: coverImages } : undefined,
			tagCount: album.tagCount,
			orderNumber: album.orderNumber,
			wixMediaCoverImage: cover ? { id: cover.id, url: coverImages[0]?.url } : undefined,
			mediaPreviews: children.slice(0, 4).flatMap((child) => this.previewImages(child).slice(0, 1)),
		};
	}

	query(body: unknown, caller: CallerIdentity | null): { items: unknown[]; metadata: Json } {
		const query = parseItemQuery(body);
		const { page, cursor } = runItemQuery(this.items.values(), query);
		return {
			items: page.map((item) => this.itemJson(item, caller, query.fieldset)),
			metadata: cursor === undefined ? {} : { cursor },
		};
	}

	/** The `itemIds` of a display or download request: at least one, each an existing item. */
	private requestedItems(body: unknown): { ids: string[]; body: Json } {
		if (!isRecord(body)) throw invalidArgument('body', 'must be a JSON object');
		const ids = stringList(pick(body, 'itemIds', 'item_ids'), 'itemIds') ?? [];
		if (ids.length === 0)
			throw invalidArgument('itemIds', 'must contain at least 1 item id', 'MIN_ITEMS');
		for (const id of ids) if (!this.items.has(id)) throw notFound('Item', id);
		return { ids, body };
	}

	private grant(entry: Omit<UrlGrant, 'expiresAt'>): string {
		if (this.grants.size > 10_000) {
			// Long runs issue many URLs; expired ones only need to be remembered long enough to answer 410.
			const cutoff = this.ctx.now() - 3600 * 1000;
			for (const [token, old] of this.grants) {
				if (old.expiresAt < cutoff) {
					this.grants.delete(token);
					this.brokenOptions.delete(token);
				}
			}
		}
		const token = randomBytes(18).toString('base64url');
		this.grants.set(token, {
			...entry,
			expiresAt: this.ctx.now() + this.ctx.config.downloadUrlTtlSeconds * 1000,
		});
		return token;
	}

	/** The grant behind a URL's token: 404 when unknown, 410 `{ message: 'expired' }` once expired. */
	liveGrant(token: string, kind: UrlGrant['kind']): UrlGrant {
		const found = this.grants.get(token);
		if (!found || found.kind !== kind) throw notFound('Download', token);
		if (this.ctx.now() >= found.expiresAt)
			throw new WixHttpError(410, 'expired', undefined, { message: 'expired' });
		return found;
	}

	brokenOptionsFor(token: string): PendingBrokenArchive | undefined {
		return this.brokenOptions.get(token);
	}

	/** Makes the next download serve a broken archive of this kind. */
	breakNextDownload(pending: PendingBrokenArchive): void {
		this.pendingBroken = pending;
	}

	/**
	 * A download URL: one visual medium downloads as a plain file, anything else (several ids, albums, or a pending
	 * broken archive) as a ZIP of the media, albums expanded.
	 */
	downloadUrl(body: unknown): { url: string; archived: boolean } {
		const { ids } = this.requestedItems(body);
		const expanded: string[] = [];
		for (const id of ids) {
			const item = this.items.get(id) as SharedItem;
			const media = item.type === 'ALBUM' ? this.childrenOf(item.id) : [item];
			for (const entry of media) if (!expanded.includes(entry.id)) expanded.push(entry.id);
		}
		const single = ids.length === 1 && this.items.get(ids[0])?.type === 'VISUAL_MEDIA';
		const broken = this.pendingBroken;
		this.pendingBroken = undefined;
		const archived = broken !== undefined || !single;
		const token = this.grant({
			kind: 'download',
			itemIds: expanded,
			archived,
			broken: broken?.kind,
		});
		if (broken) this.brokenOptions.set(token, broken);
		return { url: this.filesUrl(`download/${token}`), archived };
	}

	/** Display URLs of visual media, counting one view per item when asked to. */
	displayUrls(body: unknown, caller: CallerIdentity | null): { urls: unknown[] } {
		const { ids, body: request } = this.requestedItems(body);
		const increment = pick(request, 'incrementViewCount', 'increment_view_count') === true;
		const callerKey = identityKey(caller);
		const urls = ids.map((id) => {
			const item = this.items.get(id) as SharedItem;
			const content = item.content;
			if (item.type !== 'VISUAL_MEDIA' || !content) {
				throw invalidArgument(
					'itemIds',
					`${id} is an album; display URLs exist for visual media only`,
				);
			}
			return { item, content };
		});
		const seen = new Set<string>();
		return {
			urls: urls.map(({ item, content }) => {
				if (increment && !seen.has(item.id)) {
					seen.add(item.id);
					item.viewCount++;
					if (callerKey) item.viewedBy.add(callerKey);
				}
				return this.displayUrl(item, content);
			}),
		};
	}

	private displayUrl(item: SharedItem, content: MediaContent): Json {
		const token = this.grant({ kind: 'view', itemIds: [item.id], archived: false });
		const size = { width: content.width, height: content.height };
		return {
			itemId: item.id,
			viewUrl: {
				url: this.filesUrl(`view/${token}/${encodeURIComponent(item.name)}`),
				notProcessedYet: false,
			},
			metadata:
				content.kind === 'video'
					? {
							videoInfo: {
								bestQuality: { ...size, duration: content.durationMs },
								...size,
								duration: content.durationMs,
							},
						}
					: { imageInfo: size },
		};
	}

	/** SHA-256 and CRC-32 of an item's bytes, streamed once and then remembered. */
	async checksum(itemId: string): Promise<{ size: number; sha256: string; crc32: string }> {
		const item = this.items.get(itemId);
		if (!item?.content) throw notFound('Visual media', itemId);
		if (!item.checksums) {
			const hash = createHash('sha256');
			let crc = 0;
			for await (const chunk of item.content.open()) {
				hash.update(chunk);
				// zlib.crc32 answers 0 for an empty buffer without a backing store, which would lose the running value.
				if (chunk.length > 0) crc = crc32(chunk, crc);
			}
			item.checksums = { sha256: hash.digest('hex'), crc32: crc.toString(16).padStart(8, '0') };
		}
		return { size: item.content.size, ...item.checksums };
	}

	/** A gallery member, who is also a site member (added to the Members API when the sandbox has it). */
	addMember(id: string, name: string): Member {
		const member = { id, name };
		this.members.set(id, member);
		this.siteMembers()?.ensure(id, name);
		return member;
	}

	ensureMember(id: string, name?: string): Member {
		const known = name ?? this.siteMembers()?.member(id)?.nickname;
		return this.members.get(id) ?? this.addMember(id, known ?? `Member ${this.members.size + 1}`);
	}

	addItem(item: SharedItem): SharedItem {
		this.items.set(item.id, item);
		return item;
	}

	addMedia(fields: NewMedia): SharedItem {
		return this.addItem({
			id: fields.id,
			type: 'VISUAL_MEDIA',
			name: fields.name,
			description: '',
			altText: fields.name.replace(/\.[^.]+$/, '').replace(/-/g, ' '),
			createdBy: fields.createdBy,
			createdDate: fields.createdDate,
			updatedDate: fields.createdDate,
			parentAlbumId: fields.parentAlbumId ?? SHARED_GALLERY_ROOT_ALBUM_ID,
			likedBy: fields.likedBy ?? [],
			otherLikes: fields.otherLikes ?? 0,
			viewCount: fields.viewCount ?? 0,
			viewedBy: new Set(),
			commentCount: fields.commentCount ?? 0,
			taggedMembers: fields.taggedMembers ?? [],
			orderNumber: this.items.size + 1,
			tagCount: 0,
			content: fields.content,
			previewSeed: fields.previewSeed,
		});
	}

	dump() {
		return {
			rootAlbumId: SHARED_GALLERY_ROOT_ALBUM_ID,
			members: [...this.members.values()],
			items: [...this.items.values()].map((item) => ({
				id: item.id,
				type: item.type,
				name: item.name,
				createdBy: item.createdBy,
				parentAlbumId: item.parentAlbumId,
				likeCount: likeCount(item),
				likedBy: item.likedBy,
				viewCount: item.viewCount,
				commentCount: item.commentCount,
				taggedMembers: item.taggedMembers,
				size: item.content?.size,
				mimeType: item.content?.mimeType,
			})),
			pendingBrokenArchive: this.pendingBroken?.kind ?? null,
			archiveOptions: this.archiveOptions,
			activeUrls: this.grants.size,
		};
	}
}

/** Previews fit in 256 × 256, keeping the medium's aspect ratio. */
export function previewSize(item: SharedItem): { width: number; height: number } {
	const content = item.content;
	if (!content) return { width: 256, height: 256 };
	const scale = Math.min(1, 256 / Math.max(content.width, content.height));
	return {
		width: Math.max(1, Math.round(content.width * scale)),
		height: Math.max(1, Math.round(content.height * scale)),
	};
}
