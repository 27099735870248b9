import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, wixCredentials } from '../shared/descriptions';
import type { Operation, Resources } from '../shared/operations';
import { runOperation } from '../shared/router';
import * as item from './actions/item/Item.resource';
import type { SharedGalleryRun, WixSharedGalleryType } from './actions/node.type';
import { MemberNames } from './helpers/memberNames';
import { listSearch, loadOptions } from './methods';

const resources: Resources<WixSharedGalleryType, Operation<SharedGalleryRun>> = {
	item: item.operations,
};

export class WixSharedGallery implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wix Shared Gallery',
		name: 'wixSharedGallery',
		icon: { light: 'file:../../icons/wix.svg', dark: 'file:../../icons/wix.dark.svg' },
		group: ['transform'],
		// 2: the member filters pick members by name (version 1's take member IDs as text; both read either).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Query members' photos and videos in a Wix Shared Gallery, get their display and download URLs, and download them as files",
		defaults: { name: 'Wix Shared Gallery' },
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
				options: [{ name: 'Item', value: 'item' }],
				default: 'item',
			},
			...item.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation.call(this, resources, {
			open: async () => ({ memberNames: new MemberNames() }),
		});
	}
}
