import type {
	IAuthenticate,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class WixGalleryApi implements ICredentialType {
	name = 'wixGalleryApi';

	displayName = 'Wix API';

	icon: Icon = { light: 'file:../icons/wix.svg', dark: 'file:../icons/wix.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-wix-gallery/n8n-nodes-wix-gallery#wix-api-key';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'An API key from the Wix API Keys Manager (Account Settings → API Keys), created by the site owner with the "Wix Pro Gallery" and "Media Manager" permissions',
		},
		{
			displayName: 'Site ID',
			name: 'siteId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
			description:
				"The ID of the site to automate: the GUID after /dashboard/ in the address of the site's dashboard",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://www.wixapis.com',
			description:
				"Where Wix's REST APIs are. Keep the default; change it only to point at a Wix-compatible sandbox for testing.",
		},
	];

	// A function, not the declarative form: n8n evaluates a declarative header as an expression on every request
	// (a workflow data proxy each time), which was most of a listing's time besides the requests themselves.
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: {
			...requestOptions.headers,
			Authorization: String(credentials.apiKey),
			'wix-site-id': String(credentials.siteId),
		},
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/progallery/v2/galleries',
			qs: { limit: 1, itemLimit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Wix rejected the API key. Check that it was copied whole and that it has not been deleted in the API Keys Manager.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"Wix refused access to this site. Check the Site ID, and that the API key belongs to the site owner's account and has the Wix Pro Gallery permission.",
				},
			},
		],
	};
}
