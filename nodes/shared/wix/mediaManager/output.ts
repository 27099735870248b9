import type { IDataObject } from 'n8n-workflow';

import type { WixFileDescriptor } from './types';

/** Flat output fields for a Media Manager file, shared by every operation that returns one. */
export function simplifyFile(file: WixFileDescriptor): IDataObject {
	const image = file.media?.image?.image;
	const video = file.media?.video;
	const bestResolution = video?.resolutions?.reduce<(typeof video.resolutions)[number] | undefined>(
		(best, resolution) => ((resolution.width ?? 0) > (best?.width ?? 0) ? resolution : best),
		undefined,
	);
	return {
		id: file.id,
		displayName: file.displayName ?? null,
		mediaType: file.mediaType ?? null,
		status: file.operationStatus ?? null,
		mediaUrl: file.url ?? null,
		sizeInBytes: file.sizeInBytes !== undefined ? Number(file.sizeInBytes) : null,
		width: image?.width ?? bestResolution?.width ?? null,
		height: image?.height ?? bestResolution?.height ?? null,
		parentFolderId: file.parentFolderId ?? null,
		createdDate: file.createdDate ?? null,
		updatedDate: file.updatedDate ?? null,
		raw: file as unknown as IDataObject,
	};
}
