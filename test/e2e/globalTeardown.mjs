export default async function globalTeardown() {
	await globalThis.__wixGalleryE2eInstance?.stop();
}
