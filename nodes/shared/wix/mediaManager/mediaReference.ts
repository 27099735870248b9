/**
 * Accepts what users paste for an existing Media Manager file: the bare ID, a static.wixstatic.com URL, or a
 * `wix:image://v1/<id>/...` URI.
 */
export function parseMediaReference(value: string): string | undefined {
	const trimmed = value.trim();
	if (!trimmed) return undefined;
	const uri = /^wix:(?:image|video|vector|audio|document):\/\/v1\/([^/#?]+)/.exec(trimmed);
	if (uri) return uri[1];
	if (/^https?:\/\//i.test(trimmed)) {
		const url = new URL(trimmed);
		const segments = url.pathname.split('/').filter(Boolean);
		const mediaIndex = segments.findIndex((segment) => segment === 'media' || segment === 'video');
		return mediaIndex >= 0 ? segments[mediaIndex + 1] : undefined;
	}
	return trimmed;
}
