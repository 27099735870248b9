import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from '../WixProGallery/methods';
import { authenticationProperty, wixCredentials } from '../shared/descriptions';
import { N8N_API_CREDENTIAL_TYPE } from '../shared/transport/n8nApi';
import * as mapping from './actions/mapping/Mapping.resource';
import { OUTPUT_NAMES, router } from './actions/router';

/** Filter Echoes, Look Up and Reconcile route items to several named outputs; the other operations have one. */
const outputsExpression: `={{${string}}}` = `={{ ((names) => names ? names.map((displayName) => ({ type: "${NodeConnectionTypes.Main}", displayName })) : ["${NodeConnectionTypes.Main}"])(${JSON.stringify(OUTPUT_NAMES)}[$parameter["operation"]]) }}`;

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

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
