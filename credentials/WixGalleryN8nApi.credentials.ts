import type {
	IAuthenticate,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * n8n's own public API, for the Wix Gallery Sync node's data table store. The package declares it because a
 * community node may only use credentials of its own package; it works like n8n's "n8n API" credential.
 */
export class WixGalleryN8nApi implements ICredentialType {
	name = 'wixGalleryN8nApi';

	displayName = 'Wix Gallery Sync N8n API';

	icon: Icon = { light: 'file:../icons/wix.svg', dark: 'file:../icons/wix.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-wix-gallery/n8n-nodes-wix-gallery#the-mapping-store';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'An API key of this n8n (Settings → n8n API → Create an API key) with the data table scopes',
		},
		{
			displayName: 'API URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'http://localhost:5678/api/v1',
			placeholder: 'e.g. https://n8n.example.com/api/v1',
			description:
				"The address of this n8n's public API, ending with /api/v1, as every n8n process (main, webhook processors, workers) can reach it",
		},
	];

	// A function, not the declarative form: n8n evaluates a declarative header as an expression on every request
	// (a workflow data proxy each time), which was most of a listing's time besides the requests themselves.
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'X-N8N-API-KEY': String(credentials.apiKey) },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/data-tables',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'n8n refused the API key. Check that it was copied whole and not deleted.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key may not read data tables: give it the data table scopes, or create it without scope limits.',
				},
			},
		],
	};
}
