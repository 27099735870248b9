import type { INodeProperties } from 'n8n-workflow';

import { GUID_REGEX } from '../../shared/wix/proGallery/galleryLocator';

export const itemRLC: INodeProperties = {
	displayName: 'Item',
	name: 'itemId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The gallery item to work on',
	typeOptions: { loadOptionsDependsOn: ['galleryId.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchItems', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. a045b201-ee7d-447c-b0c3-746cba83253c',
			validation: [
				{
					type: 'regex',
					properties: { regex: GUID_REGEX, errorMessage: 'Not a valid Wix item ID (a GUID)' },
				},
			],
		},
	],
};
