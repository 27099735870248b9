import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { queryItems } from '../../shared/wix/sharedGallery/api';

/** Albums are root-level folders only (docs/wix-api.md §2.1), so one query lists them all. */
export async function getAlbums(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const albums = await queryItems.call(
		this,
		{ filter: { itemTypes: ['ALBUM'] }, sort: { field: 'NAME', order: 'ASC' } },
		undefined,
	);
	return albums.map((album) => ({
		name:
			album.albumChildrenCount !== undefined
				? `${album.name} (${album.albumChildrenCount} items)`
				: album.name,
		value: album.id,
	}));
}
