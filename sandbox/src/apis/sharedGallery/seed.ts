import { pngImage } from '../../lib/mediaBytes';
import { generatedMp4, inMemoryContent } from './mediaContent';
import {
	DAY_MS,
	SEED_ALBUM_DETAILS,
	SEED_BASE_DATE,
	SEED_MEDIA,
	SHARED_GALLERY_ALBUMS,
	SHARED_GALLERY_MEMBERS,
	SHARED_GALLERY_ROOT_ALBUM_ID,
	sharedGallerySeedMediaId,
} from './seedData';
import type { SeedAlbumKey, SeedMemberKey } from './seedData';
import type { SharedGalleryStore } from './store';

/** The default seed (seedData.ts) put into the store: three members, two albums, 20 visual media. */
export function seedDefaultSharedGallery(store: SharedGalleryStore): void {
	for (const member of Object.values(SHARED_GALLERY_MEMBERS))
		store.addMember(member.id, member.name);
	const memberId = (key: SeedMemberKey) => SHARED_GALLERY_MEMBERS[key].id;
	(Object.keys(SHARED_GALLERY_ALBUMS) as SeedAlbumKey[]).forEach((key, index) => {
		const album = SHARED_GALLERY_ALBUMS[key];
		const details = SEED_ALBUM_DETAILS[key];
		const created = SEED_BASE_DATE - (2 - index) * DAY_MS;
		store.addItem({
			id: album.id,
			type: 'ALBUM',
			name: album.name,
			description: details.description,
			altText: album.name,
			createdBy: memberId(details.owner),
			createdDate: created,
			updatedDate: created + 30 * DAY_MS,
			parentAlbumId: SHARED_GALLERY_ROOT_ALBUM_ID,
			likedBy: [],
			otherLikes: 0,
			viewCount: 0,
			viewedBy: new Set(),
			commentCount: 0,
			taggedMembers: [],
			orderNumber: index + 1,
			tagCount: details.tagCount,
			previewSeed: 500 + index,
		});
	});
	SEED_MEDIA.forEach((media, index) => {
		const position = index + 1;
		const content = media.name.endsWith('.mp4')
			? generatedMp4(position, undefined)
			: inMemoryContent(pngImage({ width: 96, height: 64, seed: position, noise: 0.05 }), {
					kind: 'image',
					mimeType: 'image/png',
					fileExtension: 'png',
					width: 96,
					height: 64,
				});
		store.addMedia({
			id: sharedGallerySeedMediaId(position),
			name: media.name,
			createdBy: memberId(media.by),
			content,
			createdDate: SEED_BASE_DATE + index * DAY_MS + index * 3600 * 1000,
			parentAlbumId: media.album ? SHARED_GALLERY_ALBUMS[media.album].id : undefined,
			likedBy: media.likedBy.map(memberId),
			otherLikes: media.likes - media.likedBy.length,
			viewCount: media.views,
			commentCount: media.comments,
			taggedMembers: media.tagged.map(memberId),
			previewSeed: position,
		});
	});
}
