import {
	createAndRun,
	credentialRef,
	download,
	manualWorkflow,
	nodeOutput,
	packageNodeType,
	sandboxControl,
	sha256,
	wixCall,
} from '../support/e2e/n8n';

interface WixGallery {
	id: string;
	name: string;
	totalItems?: number;
}

interface WixItem {
	id: string;
	title?: string;
	image?: { imageInfo?: { id?: string; url?: string } };
}

interface MediaFile {
	id: string;
	displayName: string;
	url: string;
}

async function sandboxGalleries(): Promise<WixGallery[]> {
	const state = await sandboxControl<{ proGallery: { galleries: WixGallery[] } }>('GET', 'state');
	return state.proGallery.galleries;
}

async function mediaFiles(): Promise<MediaFile[]> {
	const state = await sandboxControl<{ mediaManager: { files: MediaFile[] } }>('GET', 'state');
	return state.mediaManager.files;
}

describe('Wix Pro Gallery in real n8n', () => {
	test.each(['wixGalleryApi', 'wixGalleryOAuth2Api'] as const)(
		'Manual Trigger → Gallery Get Many returns the sandbox galleries (%s)',
		async (credentialType) => {
			const expected = await sandboxGalleries();
			expect(expected.length).toBeGreaterThan(0);
			const { execution } = await createAndRun(
				manualWorkflow(`e2e: list galleries (${credentialType})`, [
					{
						name: 'Wix Pro Gallery',
						type: packageNodeType('wixProGallery'),
						parameters: {
							authentication: credentialType === 'wixGalleryApi' ? 'apiKey' : 'oAuth2',
							resource: 'gallery',
							operation: 'getAll',
							returnAll: true,
						},
						credentials: credentialRef(credentialType),
					},
				]),
			);
			expect(execution.status).toBe('success');
			const galleries = nodeOutput(execution, 'Wix Pro Gallery').map((item) => item.json);
			const idAndName = (gallery: { id?: unknown; name?: unknown }) =>
				`${gallery.id} ${gallery.name}`;
			expect(galleries.map(idAndName).sort()).toEqual(expected.map(idAndName).sort());
		},
	);

	test('HTTP Request download → Item Create from the binary, with filesystem binary data', async () => {
		const [gallery] = await sandboxGalleries();
		const source = (await mediaFiles()).find((file) => file.displayName === 'studio-session.jpg');
		expect(source).toBeDefined();
		const sourceBytes = await download(source!.url);
		const title = `e2e upload ${Date.now()}`;

		const { execution } = await createAndRun(
			manualWorkflow('e2e: item from binary', [
				{
					name: 'Download',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						url: source!.url,
						options: { response: { response: { responseFormat: 'file' } } },
					},
				},
				{
					name: 'Wix Pro Gallery',
					type: packageNodeType('wixProGallery'),
					parameters: {
						authentication: 'apiKey',
						resource: 'item',
						operation: 'create',
						galleryId: { __rl: true, mode: 'id', value: gallery.id },
						itemType: 'image',
						mediaSource: 'binary',
						binaryPropertyName: 'data',
						additionalFields: { title },
						options: { fileName: 'e2e-upload.jpg' },
					},
					credentials: credentialRef('wixGalleryApi'),
				},
			]),
		);
		expect(execution.status).toBe('success');

		// n8n kept the download on disk, not in the execution data: the binary is a reference.
		const [downloaded] = nodeOutput(execution, 'Download');
		expect(downloaded.binary?.data.id).toMatch(/^filesystem(-v2)?:/);
		expect(downloaded.binary?.data.mimeType).toBe('image/jpeg');

		const [created] = nodeOutput(execution, 'Wix Pro Gallery');
		expect(created.json.title).toBe(title);
		const { item } = await wixCall<{ item: WixItem }>(
			'GET',
			`/progallery/v2/galleries/${gallery.id}/items/${String(created.json.id)}`,
		);
		expect(item.title).toBe(title);
		const uploaded = (await mediaFiles()).find((file) => file.id === item.image?.imageInfo?.id);
		expect(uploaded).toBeDefined();
		expect(uploaded!.id).not.toBe(source!.id);
		expect(uploaded!.displayName).toBe('e2e-upload.jpg');
		expect(sha256(await download(uploaded!.url))).toBe(sha256(sourceBytes));
	});

	test('Item Get Many with Download Media outputs each image as a file n8n keeps on disk', async () => {
		const gallery = (await sandboxGalleries()).find(
			(candidate) => candidate.name === 'Studio portraits',
		);
		expect(gallery).toBeDefined();
		const { items } = await wixCall<{ items: Array<WixItem & { type?: string }> }>(
			'GET',
			`/pro-gallery/v2/galleries/${gallery!.id}/items?itemLimit=100`,
		);
		const images = items.filter((item) => item.image);
		expect(images.length).toBeGreaterThan(1);
		expect(items.length).toBeGreaterThan(images.length);

		const { execution } = await createAndRun(
			manualWorkflow('e2e: item media as binary', [
				{
					name: 'Wix Pro Gallery',
					type: packageNodeType('wixProGallery'),
					parameters: {
						authentication: 'apiKey',
						resource: 'item',
						operation: 'getAll',
						galleryId: { __rl: true, mode: 'id', value: gallery!.id },
						returnAll: true,
						downloadMedia: true,
					},
					credentials: credentialRef('wixGalleryApi'),
				},
				{
					// n8n's own Crypto node reads each file back from n8n's binary store.
					name: 'Hash',
					type: 'n8n-nodes-base.crypto',
					typeVersion: 2,
					parameters: {
						action: 'hash',
						type: 'SHA256',
						binaryData: true,
						binaryPropertyName: 'data',
						dataPropertyName: 'sha256',
						encoding: 'hex',
					},
				},
			]),
		);
		expect(execution.status).toBe('success');

		const output = nodeOutput(execution, 'Wix Pro Gallery');
		// The text item is skipped: every output item carries a file.
		expect(output.map((item) => item.json.id)).toEqual(images.map((item) => item.id));
		for (const item of output) {
			expect(item.binary?.data.id).toMatch(/^filesystem(-v2)?:/);
			expect(item.binary?.data.mimeType).toMatch(/^image\//);
			expect(item.binary?.data.fileName).toMatch(/\.(png|jpg)$/);
		}
		const hashes = nodeOutput(execution, 'Hash').map((item) => item.json.sha256);
		const expected = await Promise.all(
			images.map(async (item) => sha256(await download(item.image!.imageInfo!.url!))),
		);
		expect(hashes).toEqual(expected);
	});
});
