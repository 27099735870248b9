import type {
	IAuthenticate,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	credentialHostRefusal,
	decideRedirect,
	REDIRECT_STATUSES,
} from '../nodes/shared/transport/redirects';

interface WixTokenResponse {
	access_token?: string;
	error?: string;
	error_description?: string;
	message?: string;
}

export class WixGalleryOAuth2Api implements ICredentialType {
	name = 'wixGalleryOAuth2Api';

	displayName = 'Wix App OAuth2 API';

	icon: Icon = { light: 'file:../icons/wix.svg', dark: 'file:../icons/wix.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-wix-gallery/n8n-nodes-wix-gallery#wix-app-oauth2';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			required: true,
			default: '',
			description:
				"The App ID from your app's OAuth page in the Wix app dashboard (Develop → OAuth)",
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The App Secret Key from the same OAuth page',
		},
		{
			displayName: 'Instance ID',
			name: 'instanceId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 9f8e7d6c-5b4a-3c2d-1e0f-a1b2c3d4e5f6',
			description:
				"The ID of your app's installation on the site. Wix sends it in the App Instance Installed webhook, and it is the instanceId of the decoded instance parameter in your app's dashboard page.",
		},
		{
			displayName: 'App Public Key',
			name: 'publicKey',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			placeholder: '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----',
			description:
				"The public key from your app's Webhooks page (Get Public Key). Only the Wix Gallery Trigger needs it, to check that webhooks really come from Wix.",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://www.wixapis.com',
			description:
				"Where Wix's REST APIs are. Keep the default; change it only to point at a Wix-compatible sandbox for testing.",
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// Wix's client-credentials grant needs instance_id, which n8n's generic OAuth2 credential cannot send, so the
	// token is fetched here and n8n refreshes it (by calling this again) whenever Wix answers 401.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = String(credentials.baseUrl || 'https://www.wixapis.com').replace(/\/+$/, '');
		let url = `${baseUrl}/oauth2/token`;
		let response: {
			statusCode: number;
			headers?: IDataObject;
			body: WixTokenResponse | string | undefined;
		};
		// The App Secret goes to the Base URL's host only: redirects are decided here, never followed by n8n.
		for (let hops = 0; ; hops++) {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url,
				body: {
					grant_type: 'client_credentials',
					client_id: credentials.appId,
					client_secret: credentials.appSecret,
					instance_id: credentials.instanceId,
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			})) as typeof response;
			if (!REDIRECT_STATUSES.has(response.statusCode)) break;
			const redirect = decideRedirect({
				refusal: credentialHostRefusal(baseUrl),
				currentUrl: url,
				method: 'POST',
				status: response.statusCode,
				location: String(response.headers?.location ?? '') || undefined,
				hops,
			});
			if (!redirect.follow) {
				throw new Error(`Wix did not issue an access token: ${redirect.reason}`);
			}
			url = redirect.url;
		}
		const body: WixTokenResponse =
			typeof response.body === 'object' && response.body !== null ? response.body : {};
		if (response.statusCode >= 400 || !body.access_token) {
			const reason =
				body.error_description || body.message || body.error || 'no access token in the answer';
			throw new Error(
				`Wix did not issue an access token (HTTP ${response.statusCode}: ${reason}). Check the App ID, App Secret and Instance ID, and that the app is installed on the site.`,
			);
		}
		return { accessToken: body.access_token } as IDataObject;
	}

	// A function, not the declarative form: n8n evaluates a declarative header as an expression on every request
	// (a workflow data proxy each time), which was most of a listing's time besides the requests themselves.
	authenticate: IAuthenticate = async (credentials, requestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: String(credentials.accessToken) },
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
					value: 403,
					message:
						'Wix refused access. Check that the app has the "Read Galleries" and "Manage Galleries" permissions and is installed on the site.',
				},
			},
		],
	};
}
