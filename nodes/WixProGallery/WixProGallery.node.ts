import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, wixCredentials } from '../shared/descriptions';
import type { Resources } from '../shared/operations';
import { runOperation } from '../shared/router';
import * as gallery from './actions/gallery/Gallery.resource';
import * as item from './actions/item/Item.resource';
import * as media from './actions/media/Media.resource';
import type { WixProGalleryType } from './actions/node.type';
import { listSearch } from './methods';

const resources: Resources<WixProGalleryType> = {
	gallery: gallery.operations,
	item: item.operations,
	media: media.operations,
};

export class WixProGallery implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wix Pro Gallery',
		name: 'wixProGallery',
		icon: { light: 'file:../../icons/wix.svg', dark: 'file:../../icons/wix.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage Wix Pro Gallery galleries and items, and upload media to the Wix Media Manager',
		defaults: { name: 'Wix Pro Gallery' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: wixCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Gallery', value: 'gallery' },
					{ name: 'Item', value: 'item' },
					{ name: 'Media', value: 'media' },
				],
				default: 'gallery',
			},
			...gallery.description,
			...item.description,
			...media.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation.call(this, resources);
	}
}
