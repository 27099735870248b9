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
import { N8N_API_CREDENTIAL_TYPE } from '../shared/transport/n8nApi';
import { galleryListSearch } from '../shared/wix/proGallery/galleryLocator';
import * as mapping from './actions/mapping/Mapping.resource';
import type { MappingOperation } from './actions/mapping/run';
import { mappingRun } from './actions/mapping/run';
import type { WixGallerySyncType } from './actions/node.type';

const resources: Resources<WixGallerySyncType, MappingOperation> = { mapping: mapping.operations };

/** The output names of the operations with several outputs (Filter Echoes, Look Up, Reconcile). */
const outputNames = Object.fromEntries(
	Object.entries(resources.mapping).flatMap(([name, operation]) =>
		operation.outputs ? [[name, operation.outputs]] : [],
	),
);

/** The node's outputs follow the operation: named ones from the operation, else one. */
const outputsExpression: `={{${string}}}` = `={{ ((names) => names ? names.map((displayName) => ({ type: "${NodeConnectionTypes.Main}", displayName })) : ["${NodeConnectionTypes.Main}"])(${JSON.stringify(outputNames)}[$parameter["operation"]]) }}`;

/** Wix's only for Reconcile, which reads a gallery; n8n's API only for the data table store. */
const syncCredentials: INodeTypeDescription['credentials'] = [
	...wixCredentials.map((credential) => ({
		...credential,
		displayOptions: {
			show: { ...credential.displayOptions.show, operation: ['reconcile'] },
		},
	})),
	{
		name: N8N_API_CREDENTIAL_TYPE,
		required: true,
		displayOptions: { show: { mappingStore: ['dataTable'] } },
	},
];

export class WixGallerySync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wix Gallery Sync',
		name: 'wixGallerySync',
		icon: { light: 'file:../../icons/wix.svg', dark: 'file:../../icons/wix.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["mappingName"]}}',
		description:
			'Keep the links between Wix gallery items and another platform, and drop the echoes of a two-way sync',
		defaults: { name: 'Wix Gallery Sync' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsExpression,
		credentials: syncCredentials,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Mapping', value: 'mapping' }],
				default: 'mapping',
			},
			...mapping.description,
			{ ...authenticationProperty, displayOptions: { show: { operation: ['reconcile'] } } },
		],
	};

	methods = { listSearch: galleryListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation.call(this, resources, mappingRun);
	}
}
