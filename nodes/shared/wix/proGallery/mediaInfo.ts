import type { WixFileDescriptor, WixImageInfo } from '../mediaManager/types';
import type { WixVideoInfo } from './types';

/**
 * The Pro Gallery `imageInfo` for a READY Media Manager image, in the form Wix's SDK sends it: the SDK turns the
 * file's image into a `wix:image://` URI and back, so the name travels as both `filename` and `altText` and `url`
 * holds that URI. Sending the same keeps the node's requests identical to those of Wix's own client.
 */
export function imageInfoFromFile(file: WixFileDescriptor): WixImageInfo {
	const image = file.media?.image?.image ?? {};
	const id = image.id || file.id;
	const info: WixImageInfo = { id, width: image.width, height: image.height };
	const name = image.filename || image.altText;
	if (!name) return info;
	return {
		...info,
		altText: name,
		filename: name,
		url: `wix:image://v1/${id}/${encodeURIComponent(name)}#originWidth=${image.width}&originHeight=${image.height}`,
	};
}

/** The Pro Gallery `videoInfo` for a READY Media Manager video, in the form Wix's SDK sends it (see above). */
export function videoInfoFromFile(file: WixFileDescriptor): WixVideoInfo {
	const video = file.media?.video ?? {};
	const info: WixVideoInfo = { id: video.id || file.id };
	if (video.filename) info.filename = video.filename;
	// The SDK keeps one poster, the second when there are several (the first frame is often black).
	const poster = video.posters?.[1] ?? video.posters?.[0];
	const posterId = poster?.id || poster?.url?.slice(poster.url.lastIndexOf('/') + 1);
	if (poster && posterId)
		info.posters = [{ id: posterId, height: poster.height, width: poster.width }];
	return info;
}
