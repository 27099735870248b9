import type { INodeProperties } from 'n8n-workflow';

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'API Key',
			value: 'apiKey',
			description: 'A Wix API key and site ID: for site owners automating their own site',
		},
		{
			name: 'Wix App (OAuth2)',
			value: 'oAuth2',
			description: 'A Wix app installed on the site: App ID, App Secret and Instance ID',
		},
	],
	default: 'apiKey',
};

export const wixCredentials = [
	{
		name: 'wixGalleryApi',
		required: true,
		displayOptions: { show: { authentication: ['apiKey'] } },
	},
	{
		name: 'wixGalleryOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
];
