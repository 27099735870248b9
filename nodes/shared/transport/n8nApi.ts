import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HttpFailure } from './errors';
import {
	assertSafePath,
	credentialHostRefusal,
	DEFAULT_RETRY_POLICY,
	readCredentials,
	sendWithRetries,
	storedCredentialOptions,
	TIMEOUTS,
} from './index';

/** The credential for n8n's own public API, which holds the data tables of the sync mapping. */
export const N8N_API_CREDENTIAL_TYPE = 'wixGalleryN8nApi';

export interface N8nApiRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's API URL, e.g. `/data-tables`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	/** Whether sending it twice does no harm; only such requests are re-sent after a 5xx or a dropped connection. */
	idempotent: boolean;
	itemIndex?: number;
}

const HINTS: Record<number, string> = {
	401: 'n8n refused the API key: check the "n8n API" credential of the Wix Gallery Sync node (Settings → n8n API in n8n creates keys).',
	403: 'The API key may lack a scope: it needs the data table scopes (dataTable:create, dataTable:list, dataTableRow:*).',
	404: "The data table or the API path was not found: check the credential's API URL (it ends with /api/v1).",
};

function toN8nApiError(
	context: IExecuteFunctions,
	failure: HttpFailure,
	request: { method: string; path: string; attempts: number },
	itemIndex?: number,
): NodeApiError {
	const body = (typeof failure.body === 'object' && failure.body !== null ? failure.body : {}) as {
		message?: string;
	};
	const message =
		failure.status === undefined
			? `Could not reach n8n's API: ${failure.message || 'the connection failed'}`
			: `n8n API error ${failure.status}: ${body.message || (typeof failure.body === 'string' && failure.body) || `HTTP ${failure.status}`}`;
	const lines: string[] = [];
	if (failure.status !== undefined && HINTS[failure.status]) lines.push(HINTS[failure.status]);
	if (failure.networkCode) lines.push(`Network error: ${failure.networkCode}`);
	lines.push(`Request: ${request.method} ${request.path}`);
	if (request.attempts > 1) lines.push(`Attempts: ${request.attempts}`);
	const description = lines.join('\n');
	return new NodeApiError(context.getNode(), { message, description } as JsonObject, {
		message,
		description,
		httpCode: failure.status === undefined ? undefined : String(failure.status),
		itemIndex,
	});
}

export async function getN8nApiUrl(context: IExecuteFunctions, itemIndex = 0): Promise<string> {
	const credentials = await readCredentials(context, N8N_API_CREDENTIAL_TYPE, itemIndex);
	return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
}

/** The one way the Sync node talks to n8n's public API: the same retries and redirect rules as for Wix. */
export async function n8nApiRequest<T = IDataObject>(
	this: IExecuteFunctions,
	request: N8nApiRequest,
	apiUrl: string,
): Promise<T> {
	assertSafePath(request.path);
	const url = `${apiUrl}${request.path}`;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		json: true,
		timeout: TIMEOUTS.requestMs,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) options.body = request.body;
	const credentialOptions = await storedCredentialOptions(
		this,
		N8N_API_CREDENTIAL_TYPE,
		request.itemIndex,
	);
	return await sendWithRetries(
		this,
		{
			describe: request,
			idempotent: request.idempotent,
			policy: DEFAULT_RETRY_POLICY,
			target: { url, method: request.method },
			hopRefusal: credentialHostRefusal(apiUrl),
			toError: (failure, described, itemIndex) =>
				toN8nApiError(this, failure, described, itemIndex),
			unknownOutcome:
				'Not retried automatically, because n8n may already have saved the change: the outcome is unknown. Run the item again; the mapping then sees the saved change',
		},
		async (target) => {
			const hop: IHttpRequestOptions = {
				...options,
				url: target.url,
				method: target.method,
				headers: { ...options.headers },
			};
			if (target.url !== url) delete hop.qs;
			return (await this.helpers.httpRequestWithAuthentication.call(
				this,
				N8N_API_CREDENTIAL_TYPE,
				hop,
				credentialOptions,
			)) as T;
		},
	);
}
