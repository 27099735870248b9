import type { RouteDefinition, SandboxRequest } from '../../context';
import { invalidArgument, notFound } from '../../errors';
import { isBrokenArchiveKind } from '../../lib/brokenArchives';
import { stringList } from './input';
import { generatedMp4, generatedPng } from './mediaContent';
import { SHARED_GALLERY_MEMBERS, SHARED_GALLERY_ROOT_ALBUM_ID } from './seedData';
import type { SharedGalleryStore } from './store';
import { DEFAULT_ARCHIVE_OPTIONS, SHARED_GALLERY_BROKEN_KINDS } from './types';
import type { ArchiveOptions } from './types';

/**
 * The Shared Gallery's control routes (`/_sandbox/shared-gallery/...`): members, generated media of any size, counts
 * and tags set directly, checksums, broken archives and the ZIP writer's options for downloads.
 */

type Body = Record<string, unknown>;

export function sharedGalleryControlRoutes(store: SharedGalleryStore): RouteDefinition[] {
	return [
		{
			method: 'GET',
			path: '/_sandbox/shared-gallery/members',
			handler: () => ({
				body: {
					rootAlbumId: SHARED_GALLERY_ROOT_ALBUM_ID,
					members: [...store.members.values()].map((member) => store.profile(member.id, true)),
					albums: [...store.items.values()]
						.filter((item) => item.type === 'ALBUM')
						.map((album) => ({ id: album.id, name: album.name })),
				},
			}),
		},
		{
			method: 'POST',
			path: '/_sandbox/shared-gallery/members',
			handler: (req) => {
				const body = req.json() as Body;
				if (typeof body.name !== 'string' || body.name === '')
					throw invalidArgument('name', 'is required');
				const id = typeof body.id === 'string' ? body.id : store.ctx.newId();
				return { status: 201, body: store.profile(store.addMember(id, body.name).id, true) };
			},
		},
		{
			method: 'POST',
			path: '/_sandbox/shared-gallery/media',
			handler: (req) => ({ status: 201, body: addGeneratedMedia(store, req) }),
		},
		{
			method: 'GET',
			path: '/_sandbox/shared-gallery/media/:id/checksum',
			handler: async (req) => ({
				body: {
					id: req.params.id,
					name: store.items.get(req.params.id)?.name,
					...(await store.checksum(req.params.id)),
				},
			}),
		},
		{
			method: 'PATCH',
			path: '/_sandbox/shared-gallery/items/:id',
			handler: (req) => ({ body: patchItem(store, req) }),
		},
		{
			method: 'POST',
			path: '/_sandbox/shared-gallery/broken-archive',
			handler: (req) => {
				const body = req.json() as Body;
				const kind = body.kind;
				if (!isBrokenArchiveKind(kind) && kind !== 'connection-reset') {
					throw invalidArgument(
						'kind',
						`must be one of ${SHARED_GALLERY_BROKEN_KINDS.join(', ')}`,
						'ENUM',
					);
				}
				store.breakNextDownload({
					kind,
					manyEntriesCount:
						typeof body.manyEntriesCount === 'number' ? body.manyEntriesCount : undefined,
					zipBombSize: typeof body.zipBombSize === 'number' ? body.zipBombSize : undefined,
				});
				return { body: { pending: kind, kinds: SHARED_GALLERY_BROKEN_KINDS } };
			},
		},
		{
			// `{ "ignored": true }`: answer the Profiles fieldset with ids only, as a Wix that stopped honouring it.
			method: 'PUT',
			path: '/_sandbox/shared-gallery/profiles',
			handler: (req) => {
				const body = req.json() as Body;
				if (typeof body.ignored !== 'boolean')
					throw invalidArgument('ignored', 'must be a boolean');
				store.profilesIgnored = body.ignored;
				return { body: { ignored: store.profilesIgnored } };
			},
		},
		{
			method: 'PUT',
			path: '/_sandbox/shared-gallery/archive-options',
			handler: (req) => {
				store.archiveOptions = archiveOptions(req.json() as Body);
				return { body: store.archiveOptions };
			},
		},
	];
}

/** `count` generated media (PNG or MP4 of about `sizeBytes`), by `createdBy`, optionally in an album. */
function addGeneratedMedia(store: SharedGalleryStore, req: SandboxRequest): { items: unknown[] } {
	const body = req.json() as Body;
	const count = body.count ?? 1;
	if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100000) {
		throw invalidArgument('count', 'must be an integer from 1 to 100000');
	}
	const createdBy = body.createdBy ?? SHARED_GALLERY_MEMBERS.alice.id;
	if (typeof createdBy !== 'string') throw invalidArgument('createdBy', 'must be a member id');
	store.ensureMember(
		createdBy,
		typeof body.createdByName === 'string' ? body.createdByName : undefined,
	);
	const kind = body.kind ?? 'image';
	if (kind !== 'image' && kind !== 'video') throw invalidArgument('kind', 'must be image or video');
	const sizeBytes = body.sizeBytes;
	if (
		sizeBytes !== undefined &&
		(typeof sizeBytes !== 'number' || !Number.isInteger(sizeBytes) || sizeBytes < 0)
	) {
		throw invalidArgument('sizeBytes', 'must be a non-negative integer');
	}
	const albumId = body.albumId;
	if (
		albumId !== undefined &&
		(typeof albumId !== 'string' || store.items.get(albumId)?.type !== 'ALBUM')
	) {
		throw invalidArgument('albumId', 'must be the id of an album');
	}
	const namePrefix = typeof body.namePrefix === 'string' ? body.namePrefix : 'member-media';
	const created: unknown[] = [];
	for (let index = 0; index < count; index++) {
		const generated = ++store.generatedCount;
		const seed = 10_000 + generated;
		const content =
			kind === 'video' ? generatedMp4(seed, sizeBytes) : generatedPng(seed, sizeBytes);
		const item = store.addMedia({
			id: store.ctx.newId(),
			name: `${namePrefix}-${String(generated).padStart(4, '0')}.${content.fileExtension}`,
			createdBy,
			content,
			createdDate: store.ctx.now() + index,
			parentAlbumId: albumId as string | undefined,
			previewSeed: seed,
		});
		created.push({
			id: item.id,
			name: item.name,
			size: content.size,
			kind: content.kind,
			mimeType: content.mimeType,
		});
	}
	return { items: created };
}

/** Sets likes, views, comments, tags or the name of an item directly, as members' activity would. */
function patchItem(store: SharedGalleryStore, req: SandboxRequest): Record<string, unknown> {
	const item = store.items.get(req.params.id);
	if (!item) throw notFound('Item', req.params.id);
	const body = req.json() as Body;
	const count = (field: string): number | undefined => {
		const value = body[field];
		if (value === undefined) return undefined;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
			throw invalidArgument(field, 'must be a non-negative integer');
		}
		return value;
	};
	const likedBy = stringList(body.likedBy, 'likedBy');
	if (likedBy) item.likedBy = likedBy;
	const likes = count('likeCount');
	if (likes !== undefined) item.otherLikes = Math.max(0, likes - item.likedBy.length);
	item.viewCount = count('viewCount') ?? item.viewCount;
	item.commentCount = count('commentCount') ?? item.commentCount;
	item.taggedMembers = stringList(body.taggedMembers, 'taggedMembers') ?? item.taggedMembers;
	if (typeof body.name === 'string') item.name = body.name;
	return store.itemJson(item, null, ['Profiles', 'RecentTaggedMembers']);
}

/** The ZIP writer's options for later downloads; what the body leaves out goes back to the default. */
function archiveOptions(body: Body): ArchiveOptions {
	const next: ArchiveOptions = { ...DEFAULT_ARCHIVE_OPTIONS };
	if (body.method !== undefined) {
		if (body.method !== 'store' && body.method !== 'deflate') {
			throw invalidArgument('method', 'must be store or deflate');
		}
		next.method = body.method;
	}
	if (body.level !== undefined) {
		if (
			typeof body.level !== 'number' ||
			!Number.isInteger(body.level) ||
			body.level < 0 ||
			body.level > 9
		) {
			throw invalidArgument('level', 'must be an integer from 0 to 9');
		}
		next.level = body.level;
	}
	if (body.dataDescriptor !== undefined) next.dataDescriptor = body.dataDescriptor === true;
	if (body.forceZip64 !== undefined) next.forceZip64 = body.forceZip64 === true;
	if (typeof body.comment === 'string') next.comment = body.comment;
	return next;
}
