/**
 * The Shared Gallery's default seed, as facts: members, albums and 20 visual media with their likes, views, comments
 * and tags. Exported so that tests can name members and items without a lookup.
 */

export const SHARED_GALLERY_ROOT_ALBUM_ID = '00000000-0000-0000-0000-000000000000';

export const SHARED_GALLERY_MEMBERS = {
	alice: { id: 'a11ce000-5eed-4000-8000-000000000001', name: 'Alice Moreau' },
	bruno: { id: 'b1a00000-5eed-4000-8000-000000000002', name: 'Bruno Keller' },
	chen: { id: 'c4e70000-5eed-4000-8000-000000000003', name: 'Chen Wei' },
} as const;

export const SHARED_GALLERY_ALBUMS = {
	summerTrip: { id: 'a1b00000-0000-4000-8000-000000000001', name: 'Summer Trip 2024' },
	studioPortraits: { id: 'a1b00000-0000-4000-8000-000000000002', name: 'Studio Portraits' },
} as const;

export type SeedMemberKey = keyof typeof SHARED_GALLERY_MEMBERS;
export type SeedAlbumKey = keyof typeof SHARED_GALLERY_ALBUMS;

export interface SeedMedia {
	name: string;
	by: SeedMemberKey;
	album?: SeedAlbumKey;
	likes: number;
	views: number;
	comments: number;
	tagged: SeedMemberKey[];
	likedBy: SeedMemberKey[];
}

/**
 * The default seed's 20 visual media. The 5 most-liked uploaded by Alice or Bruno are portrait-anna (30),
 * mountain-lake (25), headshot-mara (21), lavender-field (18) and studio-light-test (14); the next is beach-sunset
 * (12). Chen's street-art (40) and skyline (35) out-like all of them, so a missing `createdBy` filter shows.
 * The 5 most-viewed of Alice or Bruno differ: portrait-anna, beach-sunset, mountain-lake, headshot-mara, lavender-field.
 */
export const SEED_MEDIA: SeedMedia[] = [
	{
		name: 'beach-sunset.png',
		by: 'alice',
		album: 'summerTrip',
		likes: 12,
		views: 90,
		comments: 3,
		tagged: ['bruno'],
		likedBy: ['bruno'],
	},
	{
		name: 'harbour-boats.png',
		by: 'alice',
		album: 'summerTrip',
		likes: 3,
		views: 15,
		comments: 0,
		tagged: [],
		likedBy: [],
	},
	{
		name: 'mountain-lake.png',
		by: 'alice',
		album: 'summerTrip',
		likes: 25,
		views: 80,
		comments: 6,
		tagged: ['bruno', 'chen'],
		likedBy: ['bruno', 'chen'],
	},
	{ name: 'old-town.png', by: 'alice', likes: 7, views: 22, comments: 1, tagged: [], likedBy: [] },
	{
		name: 'market-stall.png',
		by: 'alice',
		likes: 0,
		views: 5,
		comments: 0,
		tagged: [],
		likedBy: [],
	},
	{
		name: 'lavender-field.png',
		by: 'alice',
		album: 'summerTrip',
		likes: 18,
		views: 51,
		comments: 2,
		tagged: ['chen'],
		likedBy: [],
	},
	{
		name: 'picnic.png',
		by: 'alice',
		likes: 5,
		views: 12,
		comments: 0,
		tagged: ['bruno'],
		likedBy: [],
	},
	{
		name: 'waves.mp4',
		by: 'alice',
		album: 'summerTrip',
		likes: 9,
		views: 33,
		comments: 1,
		tagged: [],
		likedBy: [],
	},
	{
		name: 'portrait-anna.png',
		by: 'bruno',
		album: 'studioPortraits',
		likes: 30,
		views: 95,
		comments: 8,
		tagged: ['alice'],
		likedBy: ['alice', 'chen'],
	},
	{
		name: 'portrait-leo.png',
		by: 'bruno',
		album: 'studioPortraits',
		likes: 2,
		views: 9,
		comments: 0,
		tagged: [],
		likedBy: [],
	},
	{
		name: 'studio-light-test.png',
		by: 'bruno',
		album: 'studioPortraits',
		likes: 14,
		views: 44,
		comments: 2,
		tagged: [],
		likedBy: [],
	},
	{
		name: 'headshot-mara.png',
		by: 'bruno',
		album: 'studioPortraits',
		likes: 21,
		views: 60,
		comments: 4,
		tagged: ['alice', 'chen'],
		likedBy: ['alice'],
	},
	{ name: 'backdrop.png', by: 'bruno', likes: 1, views: 4, comments: 0, tagged: [], likedBy: [] },
	{
		name: 'team-photo.png',
		by: 'bruno',
		likes: 6,
		views: 28,
		comments: 1,
		tagged: ['alice', 'bruno', 'chen'],
		likedBy: ['chen'],
	},
	{
		name: 'city-night.png',
		by: 'bruno',
		likes: 11,
		views: 37,
		comments: 2,
		tagged: [],
		likedBy: [],
	},
	{
		name: 'street-art.png',
		by: 'chen',
		likes: 40,
		views: 120,
		comments: 9,
		tagged: ['alice'],
		likedBy: ['alice', 'bruno'],
	},
	{
		name: 'skyline.png',
		by: 'chen',
		likes: 35,
		views: 101,
		comments: 5,
		tagged: [],
		likedBy: ['bruno'],
	},
	{
		name: 'coffee.png',
		by: 'chen',
		album: 'summerTrip',
		likes: 4,
		views: 10,
		comments: 0,
		tagged: [],
		likedBy: [],
	},
	{
		name: 'bike-ride.png',
		by: 'chen',
		likes: 8,
		views: 19,
		comments: 1,
		tagged: ['bruno'],
		likedBy: [],
	},
	{ name: 'timelapse.mp4', by: 'chen', likes: 16, views: 70, comments: 3, tagged: [], likedBy: [] },
];

/** Seeded media ids: `5a11e700-0000-4000-8000-0000000000NN`, NN = 01…20 in the order of the list above. */
export function sharedGallerySeedMediaId(position: number): string {
	return `5a11e700-0000-4000-8000-${String(position).padStart(12, '0')}`;
}

/** Seeded media by file name → id, e.g. `SHARED_GALLERY_MEDIA['portrait-anna.png']`. */
export const SHARED_GALLERY_MEDIA: Readonly<Record<string, string>> = Object.fromEntries(
	SEED_MEDIA.map((media, index) => [media.name, sharedGallerySeedMediaId(index + 1)]),
);

export const SEED_BASE_DATE = Date.parse('2024-03-01T10:00:00.000Z');
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The seeded albums' owner, description and tag count. */
export const SEED_ALBUM_DETAILS: Record<
	SeedAlbumKey,
	{ owner: SeedMemberKey; description: string; tagCount: number }
> = {
	summerTrip: { owner: 'alice', description: 'Photos from the members’ summer trip', tagCount: 2 },
	studioPortraits: { owner: 'bruno', description: 'Portraits shot in the studio', tagCount: 1 },
};
