import type { INodeProperties } from 'n8n-workflow';

/** Wix ids are GUIDs; a trailing/leading space from a paste is tolerated by the regex. */
const GUID_REGEX =
	'^\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*$';

export const galleryRLC: INodeProperties = {
	displayName: 'Gallery',
	name: 'galleryId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Pro Gallery to work on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchGalleries', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 2b5b0e6c-4b5e-4a43-9d4c-7f0b8e3c1a2d',
			validation: [
				{
					type: 'regex',
					properties: { regex: GUID_REGEX, errorMessage: 'Not a valid Wix gallery ID (a GUID)' },
				},
			],
		},
	],
};

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
