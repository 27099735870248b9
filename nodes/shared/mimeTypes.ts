const MIME_TYPES: Record<string, string> = {
	'3gp': 'video/3gpp',
	'7z': 'application/x-7z-compressed',
	aac: 'audio/aac',
	ai: 'application/postscript',
	avi: 'video/x-msvideo',
	avif: 'image/avif',
	bmp: 'image/bmp',
	csv: 'text/csv',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	eps: 'application/postscript',
	flac: 'audio/flac',
	flv: 'video/x-flv',
	gif: 'image/gif',
	gz: 'application/gzip',
	heic: 'image/heic',
	heif: 'image/heif',
	htm: 'text/html',
	html: 'text/html',
	ico: 'image/vnd.microsoft.icon',
	jpe: 'image/jpeg',
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	json: 'application/json',
	m4a: 'audio/mp4',
	m4v: 'video/x-m4v',
	md: 'text/markdown',
	mkv: 'video/x-matroska',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg',
	mp4: 'video/mp4',
	mpeg: 'video/mpeg',
	mpg: 'video/mpeg',
	odp: 'application/vnd.oasis.opendocument.presentation',
	ods: 'application/vnd.oasis.opendocument.spreadsheet',
	odt: 'application/vnd.oasis.opendocument.text',
	oga: 'audio/ogg',
	ogg: 'audio/ogg',
	ogv: 'video/ogg',
	opus: 'audio/opus',
	pdf: 'application/pdf',
	png: 'image/png',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	psd: 'image/vnd.adobe.photoshop',
	rtf: 'application/rtf',
	svg: 'image/svg+xml',
	tar: 'application/x-tar',
	tif: 'image/tiff',
	tiff: 'image/tiff',
	txt: 'text/plain',
	wav: 'audio/wav',
	weba: 'audio/webm',
	webm: 'video/webm',
	webp: 'image/webp',
	wmv: 'video/x-ms-wmv',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	xml: 'application/xml',
	zip: 'application/zip',
};

export const DEFAULT_MIME_TYPE = 'application/octet-stream';

/** The MIME type for a file name's extension (case-insensitive); application/octet-stream when unknown. */
export function mimeTypeFromFileName(fileName: string): string {
	const baseName = fileName.split(/[/\\]/).pop() ?? '';
	const dot = baseName.lastIndexOf('.');
	// No dot, or only a leading one (`.hidden`): no extension.
	if (dot <= 0) return DEFAULT_MIME_TYPE;
	const extension = baseName.slice(dot + 1).toLowerCase();
	return Object.prototype.hasOwnProperty.call(MIME_TYPES, extension)
		? MIME_TYPES[extension]
		: DEFAULT_MIME_TYPE;
}

/** The extension files of a media type are usually given (`image/jpeg` → `jpg`); undefined when unknown. */
export function extensionFromMimeType(mimeType: string): string | undefined {
	const type = mimeType.split(';')[0].trim().toLowerCase();
	if (type === 'image/jpeg') return 'jpg';
	if (type === 'video/mpeg') return 'mpeg';
	return Object.keys(MIME_TYPES).find((extension) => MIME_TYPES[extension] === type);
}
