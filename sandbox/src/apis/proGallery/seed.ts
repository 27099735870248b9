import { readSandboxAsset } from '../../lib/assets';
import { pngImage } from '../../lib/mediaBytes';
import type { FileDescriptor, MediaManagerModule } from '../mediaManager';
import type { ProGalleryStore } from './store';
import type { JsonObject } from './types';

/**
 * The default seed: three demo galleries whose images and videos are READY Media Manager files with real bytes
 * (drawn PNGs and the sample JPEG and MP4), plus one text item. Nothing is seeded without a Media Manager.
 */

const SAMPLE_FILES = {
	'studio-session.jpg': 'sample.jpg',
	'desk-lamp-turntable.mp4': 'sample.mp4',
	'ceramic-mug-closeup.mp4': 'sample.mp4',
} as const;

type SampleFile = keyof typeof SAMPLE_FILES;

interface SeedItem {
	/** A PNG drawn for the item: file name, width, height, colour seed. */
	png?: [name: string, width: number, height: number, seed: number];
	/** One of the sample files (an image item for the JPEG, a video item for the MP4s). */
	sample?: SampleFile;
	/** Title, description, tags, link; or the text block of a text item (no `png`, no `sample`). */
	fields: JsonObject;
}

interface SeedGallery {
	name: string;
	daysAgo: number;
	items: SeedItem[];
}

const SEED_GALLERIES: SeedGallery[] = [
	{
		name: 'Summer 2026',
		daysAgo: 30,
		items: [
			{
				png: ['beach-sunset.png', 360, 240, 11],
				fields: {
					title: 'Beach at sunset',
					description: 'Golden hour on the north shore',
					tags: { values: ['beach', 'sunset'] },
					link: {
						type: 'EXTERNAL',
						text: 'Full story',
						url: 'https://example.com/blog/summer-2026',
						target: '_blank',
					},
				},
			},
			{
				png: ['harbour-boats.png', 320, 240, 12],
				fields: {
					title: 'Harbour boats',
					description: 'Fishing boats at the old harbour',
					tags: { values: ['harbour', 'boats'] },
				},
			},
			{
				png: ['mountain-trail.png', 240, 360, 13],
				fields: { title: 'Mountain trail', tags: { values: ['hiking'] } },
			},
			{
				png: ['picnic.png', 300, 300, 14],
				fields: {
					title: 'Picnic in the park',
					description: 'Friends, fruit and a very old blanket',
					tags: { values: ['friends', 'park'] },
				},
			},
			{
				png: ['night-market.png', 384, 216, 15],
				fields: {
					title: 'Night market',
					description: 'Lanterns over the food stalls',
					tags: { values: ['night', 'food'] },
					link: { type: 'EXTERNAL', text: 'Map', url: 'https://example.com/map/night-market' },
				},
			},
		],
	},
	{
		name: 'Studio portraits',
		daysAgo: 20,
		items: [
			{
				sample: 'studio-session.jpg',
				fields: {
					title: 'Studio session',
					description: 'Natural light, 85 mm',
					tags: { values: ['portrait', 'studio'] },
				},
			},
			{
				png: ['portrait-anna.png', 240, 360, 21],
				fields: {
					title: 'Anna',
					description: 'Black backdrop, single softbox',
					tags: { values: ['portrait'] },
				},
			},
			{
				png: ['portrait-ben.png', 240, 360, 22],
				fields: { title: 'Ben', tags: { values: ['portrait'] } },
			},
			{
				png: ['portrait-duo.png', 360, 240, 23],
				fields: {
					title: 'Duo',
					description: 'Siblings, outtake from the family shoot',
					tags: { values: ['portrait', 'family'] },
					link: { type: 'EXTERNAL', text: 'Book a session', url: 'https://example.com/book' },
				},
			},
			{
				fields: {
					title: 'About the studio',
					description: 'Text panel shown between portraits',
					text: {
						html: '<p>Portraits by <strong>Studio North</strong>. Sessions every weekday.</p>',
						css: { backgroundColor: '#1f1f1f' },
					},
				},
			},
		],
	},
	{
		name: 'Product videos',
		daysAgo: 10,
		items: [
			{
				sample: 'desk-lamp-turntable.mp4',
				fields: {
					title: 'Desk lamp turntable',
					description: '360° view of the brass desk lamp',
					tags: { values: ['product', 'lighting'] },
					link: { type: 'EXTERNAL', text: 'Shop', url: 'https://example.com/shop/desk-lamp' },
				},
			},
			{
				png: ['desk-lamp.png', 320, 320, 31],
				fields: {
					title: 'Desk lamp',
					description: 'Brass, 40 cm',
					tags: { values: ['product', 'lighting'] },
				},
			},
			{
				sample: 'ceramic-mug-closeup.mp4',
				fields: {
					title: 'Ceramic mug close-up',
					description: 'Glaze detail in slow motion',
					tags: { values: ['product', 'kitchen'] },
				},
			},
			{
				png: ['ceramic-mug.png', 320, 320, 32],
				fields: {
					title: 'Ceramic mug',
					tags: { values: ['product', 'kitchen'] },
					link: { type: 'EXTERNAL', text: 'Shop', url: 'https://example.com/shop/mug' },
				},
			},
		],
	},
];

const DAY_MS = 86_400_000;

/** Seed images are deterministic, so they are drawn once per process rather than on every reset. */
const seedPngCache = new Map<string, Buffer>();
function seededPng(width: number, height: number, seed: number): Buffer {
	const key = `${width}x${height}:${seed}`;
	let bytes = seedPngCache.get(key);
	if (!bytes) {
		bytes = pngImage({ width, height, seed });
		seedPngCache.set(key, bytes);
	}
	return bytes;
}

export function seedDefaultGalleries(store: ProGalleryStore): void {
	const media = store.mediaManager();
	if (!media) return;
	const assets = new Map<string, Buffer>();
	const samples = new Map<SampleFile, FileDescriptor>();
	for (const [name, asset] of Object.entries(SAMPLE_FILES) as Array<[SampleFile, string]>) {
		const bytes = assets.get(asset) ?? readSandboxAsset(asset);
		assets.set(asset, bytes);
		samples.set(name, media.addFile({ bytes, displayName: name, ready: true }));
	}
	const now = store.now();
	for (const { name, daysAgo, items } of SEED_GALLERIES) {
		// Media first, in item order, then the gallery: files are created in the order the demo lists them.
		const inputs = items.map((item) => seedItemInput(item, media, samples));
		const createdAt = now - daysAgo * DAY_MS;
		const gallery = store.createGalleryRecord(name, createdAt, createdAt);
		inputs.forEach((input, index) => {
			const item = store.addItem(
				gallery,
				{ sortOrder: createdAt + index * 1000, ...input },
				'item',
			);
			item.createdDate = item.updatedDate = new Date(createdAt + index * 1000).toISOString();
		});
	}
}

function seedItemInput(
	item: SeedItem,
	media: MediaManagerModule,
	samples: Map<SampleFile, FileDescriptor>,
): JsonObject {
	if (item.png) {
		const [name, width, height, seed] = item.png;
		const file = media.addFile({
			bytes: seededPng(width, height, seed),
			displayName: name,
			ready: true,
		});
		return { ...item.fields, image: { imageInfo: { id: file.id, altText: item.fields.title } } };
	}
	const sample = item.sample ? samples.get(item.sample) : undefined;
	if (!sample) return item.fields;
	return sample.mediaType === 'VIDEO'
		? { ...item.fields, video: { videoInfo: { id: sample.id } } }
		: { ...item.fields, image: { imageInfo: { id: sample.id, altText: item.fields.title } } };
}
