import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { extractHttpFailure, toWixApiError } from './errors';
import type { HttpFailure } from './errors';
import type { StreamResponse } from './streamBody';
import {
	credentialHostRefusal,
	decideRedirect,
	REDIRECT_STATUSES,
	signedUrlRefusal,
} from './redirects';

export { extractHttpFailure, toWixApiError } from './errors';
export type { HttpFailure } from './errors';
export { EndlessPagingError, MAX_PAGES, paginateByCursor, paginateByOffset } from './pagination';
export {
	credentialHostRefusal,
	decideRedirect,
	isCredentialHost,
	signedUrlRefusal,
} from './redirects';
export { answerList, answerNumber, answerObject, UnexpectedAnswerError } from './answers';
export type { CursorPage, OffsetPage, PaginationLimits } from './pagination';

export type WixContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IPollFunctions
	| IWebhookFunctions;

export type WixCredentialType = 'wixGalleryApi' | 'wixGalleryOAuth2Api';

/**
 * Values of the nodes' `authentication` parameter and the credential each one selects. Built from pairs because
 * the strict linter's secret heuristic reads `oAuth2: 'wixGalleryOAuth2Api'` (a long name with a digit under a
 * key containing "auth") as a hard-coded secret.
 */
export const CREDENTIAL_TYPE_BY_AUTHENTICATION: Record<string, WixCredentialType> =
	Object.fromEntries([
		['apiKey', 'wixGalleryApi'],
		['oAuth2', 'wixGalleryOAuth2Api'],
	] satisfies Array<[string, WixCredentialType]>);

export const DEFAULT_WIX_BASE_URL = 'https://www.wixapis.com';

export interface WixRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. `/pro-gallery/v2/galleries`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	/**
	 * Whether sending the request twice has the same effect as sending it once. Only such requests are re-sent
	 * after a 5xx or a dropped connection, where Wix may already have acted on the first one. Defaults to true for
	 * GET, HEAD, PUT and DELETE; read-only POSTs (queries) should say true.
	 */
	idempotent?: boolean;
	itemIndex?: number;
	/** Overrides the credential chosen by the node's `authentication` parameter (the trigger has only one). */
	credentialType?: WixCredentialType;
	timeout?: number;
}

/**
 * How long a request may wait. `requestMs`: for an answer to an API call or to an upload (n8n's helper turns it
 * into a socket idle timeout, which also covers an upload that stalls); `idleMs`: between two chunks of a
 * download's body, which n8n's helper no longer watches once the answer's headers are in. Without them a server
 * that accepts the connection and never answers would hold the execution for ever. An object, not constants, so
 * that tests can shorten them.
 */
export const TIMEOUTS = { requestMs: 60_000, idleMs: 60_000 };

export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A longer Retry-After than this is not waited for: the call fails and says how long Wix asked to wait. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 300,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 120_000,
};

/** Said of a write that failed without a clear answer: whether Wix carried it out is not known. */
export const UNKNOWN_OUTCOME =
	'Not retried automatically, because Wix may already have carried it out: the outcome is unknown. Check in Wix (for example with Get or Get Many) whether the change was made before running it again';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** The request never reached Wix, so even a create may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

function isExecuteContext(context: WixContext): context is IExecuteFunctions {
	return 'getInputData' in context;
}

export function getCredentialType(context: WixContext, itemIndex = 0): WixCredentialType {
	const authentication = isExecuteContext(context)
		? context.getNodeParameter('authentication', itemIndex, 'apiKey')
		: (context as ILoadOptionsFunctions).getNodeParameter('authentication', 'apiKey');
	return CREDENTIAL_TYPE_BY_AUTHENTICATION[String(authentication)] ?? 'wixGalleryApi';
}

/**
 * Every read of a credential is, in real n8n, a database lookup, a decryption and an expression pass; a listing of
 * 11 pages read it 22 times (once for the base URL, once to authenticate each request). One read per node run,
 * credential type and input item serves all of them: the item stays in the key because a credential's fields may
 * hold expressions that n8n resolves against the item. A refreshed access token is assigned into the same object by
 * n8n, so later requests of the run use it.
 */
const credentialsByRun = new WeakMap<
	WixContext,
	Map<string, Promise<ICredentialDataDecryptedObject>>
>();

export async function readCredentials(
	context: WixContext,
	credentialType: string,
	itemIndex = 0,
): Promise<ICredentialDataDecryptedObject> {
	let ofRun = credentialsByRun.get(context);
	if (!ofRun) credentialsByRun.set(context, (ofRun = new Map()));
	const key = `${credentialType}/${itemIndex}`;
	let credentials = ofRun.get(key);
	if (!credentials) {
		credentials = isExecuteContext(context)
			? context.getCredentials(credentialType, itemIndex)
			: context.getCredentials(credentialType);
		ofRun.set(key, credentials);
		// A failed read is not remembered: the next request reads again and fails with n8n's own message.
		credentials.catch(() => ofRun.delete(key));
	}
	return await credentials;
}

/**
 * Ends the credential reads' run for a context that n8n keeps for longer than one run: a poll trigger's context is
 * made once at activation and serves every poll, so each poll starts with a fresh read (an edited credential is
 * then used from the next poll on).
 */
export function forgetCredentials(context: WixContext): void {
	credentialsByRun.delete(context);
}

/**
 * What `httpRequestWithAuthentication` needs to use the credential read by `readCredentials` instead of reading it
 * again.
 */
export async function storedCredentialOptions(
	context: WixContext,
	credentialType: string,
	itemIndex = 0,
): Promise<IAdditionalCredentialOptions> {
	const nodeCredential = context.getNode().credentials?.[credentialType];
	return {
		credentialsDecrypted: {
			id: nodeCredential?.id ?? '',
			name: nodeCredential?.name ?? '',
			type: credentialType,
			data: await readCredentials(context, credentialType, itemIndex),
		},
	};
}

export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.baseUrl || DEFAULT_WIX_BASE_URL).replace(/\/+$/, '');
}

export async function getBaseUrl(
	context: WixContext,
	credentialType: WixCredentialType,
	itemIndex = 0,
): Promise<string> {
	return baseUrlOf(await readCredentials(context, credentialType, itemIndex));
}

// RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form and asctime.
const HTTP_DATE =
	/^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/**
 * Retry-After as HTTP defines it: whole seconds, or an HTTP date. Anything else (`-1`, `3, 5`, `1.5`, `soon`)
 * counts as absent rather than as "now", so that a malformed header never makes the retries faster.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (!HTTP_DATE.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Whether a failed attempt may be sent again, and after how long. A 429 means Wix did not act on the request, so
 * any request may be re-sent; a 5xx or a dropped connection may hide a change Wix already made, so only
 * idempotent requests are.
 */
export function retryDecision(
	failure: HttpFailure,
	attempt: number,
	idempotent: boolean,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): { retry: false; reason?: string } | { retry: true; delayMs: number } {
	if (attempt >= policy.maxAttempts) return { retry: false };
	const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	const jittered = Math.round(backoff * (0.8 + Math.random() * 0.4));
	if (failure.status === 429) {
		const retryAfter = parseRetryAfter(failure.headers['retry-after']);
		if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) {
			return {
				retry: false,
				reason: `Wix asked to wait ${Math.ceil(retryAfter / 1000)} s before retrying`,
			};
		}
		// Retry-After may ask for longer than the backoff, never for less.
		return { retry: true, delayMs: Math.max(retryAfter ?? 0, jittered) };
	}
	const transient =
		(failure.status !== undefined && [500, 502, 503, 504].includes(failure.status)) ||
		(failure.status === undefined && failure.networkCode !== undefined);
	if (!transient) return { retry: false };
	if (
		idempotent ||
		(failure.networkCode !== undefined && NOT_SENT_CODES.has(failure.networkCode))
	) {
		return { retry: true, delayMs: jittered };
	}
	return {
		retry: false,
		reason: UNKNOWN_OUTCOME,
	};
}

/**
 * The last line of defence behind the parameter checks: an empty, `.` or `..` segment (an ID that was empty or a
 * dot, or a slash inside one) would send the request to another Wix path, e.g. a gallery's own instead of one item's.
 */
export function assertSafePath(path: string): void {
	const [pathOnly = ''] = path.split('?');
	const segments = pathOnly.split('/').slice(1);
	const unsafe = segments.find((segment) => {
		// A segment that does not decode is not one of ours either.
		const decoded = safeDecode(segment);
		return (
			decoded === undefined ||
			decoded === '' ||
			decoded === '.' ||
			decoded === '..' ||
			/[/\\]/.test(decoded)
		);
	});
	if (unsafe !== undefined || !path.startsWith('/')) {
		throw new Error(`Refused to call Wix at ${path}: an ID in it is empty or not an ID`);
	}
}

function safeDecode(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

export interface SendTarget {
	url: string;
	method: IHttpRequestMethods;
}

interface SendOptions {
	describe: { method: string; path: string; itemIndex?: number };
	idempotent: boolean;
	policy: RetryPolicy;
	target: SendTarget;
	/**
	 * For requests sent with redirects off (all but none): why a redirect target must not be requested, or
	 * undefined when it may be.
	 */
	hopRefusal?: (url: string) => string | undefined;
	/** Builds the error the user sees; Wix's by default. */
	toError?: (
		failure: HttpFailure,
		request: { method: string; path: string; attempts: number },
		itemIndex?: number,
	) => Error;
	/** What to say of a write whose outcome is unknown; Wix's wording by default. */
	unknownOutcome?: string;
}

export async function sendWithRetries<T>(
	context: WixContext,
	{
		describe,
		idempotent,
		policy,
		target: firstTarget,
		hopRefusal,
		toError,
		unknownOutcome,
	}: SendOptions,
	send: (target: SendTarget) => Promise<T>,
): Promise<T> {
	let target = firstTarget;
	let hops = 0;
	for (let attempt = 1; ; attempt++) {
		try {
			return await send(target);
		} catch (error) {
			const failure = extractHttpFailure(error);
			let reason: string | undefined;
			if (
				hopRefusal !== undefined &&
				failure.status !== undefined &&
				REDIRECT_STATUSES.has(failure.status)
			) {
				const redirect = decideRedirect({
					refusal: hopRefusal,
					currentUrl: target.url,
					method: target.method,
					status: failure.status,
					location: failure.headers.location,
					hops,
				});
				if (redirect.follow) {
					target = { url: redirect.url, method: redirect.method };
					hops++;
					// A hop is not a failed attempt.
					attempt--;
					continue;
				}
				reason = redirect.reason;
			}
			const decision =
				reason === undefined
					? retryDecision(failure, attempt, idempotent, policy)
					: { retry: false as const, reason };
			if (decision.retry) {
				context.logger?.debug(
					`Wix ${describe.method} ${describe.path} failed (${failure.status ?? failure.networkCode}); retry ${attempt} in ${decision.delayMs} ms`,
				);
				await sleep(decision.delayMs);
				continue;
			}
			const request = { method: describe.method, path: describe.path, attempts: attempt };
			const apiError = toError
				? toError(failure, request, describe.itemIndex)
				: toWixApiError(context.getNode(), failure, request, describe.itemIndex);
			const why =
				decision.reason === UNKNOWN_OUTCOME && unknownOutcome ? unknownOutcome : decision.reason;
			if (why && 'description' in apiError) {
				apiError.description = `${String(apiError.description)}\n${why}.`;
			}
			throw apiError;
		}
	}
}

/**
 * The one way nodes talk to Wix: picks the credential, builds the URL from the credential's base URL, retries what
 * is safe to retry, keeps the credentials on the Base URL's host, and turns Wix errors into NodeApiErrors that
 * name Wix's message and request id.
 */
export async function wixApiRequest<T = IDataObject>(
	this: WixContext,
	request: WixRequest,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
	const itemIndex = request.itemIndex ?? 0;
	assertSafePath(request.path);
	const credentialType = request.credentialType ?? getCredentialType(this, itemIndex);
	const credentialOptions = await storedCredentialOptions(this, credentialType, itemIndex);
	const baseUrl = baseUrlOf(credentialOptions.credentialsDecrypted?.data ?? {});
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		arrayFormat: 'repeat',
		json: true,
		timeout: request.timeout ?? TIMEOUTS.requestMs,
		// n8n would follow a redirect to any host with the credentials attached; sendWithRetries decides hops.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	if (request.body !== undefined) options.body = request.body;
	const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
	return await sendWithRetries(
		this,
		{
			describe: request,
			idempotent,
			policy,
			target: { url: options.url, method: request.method },
			hopRefusal: credentialHostRefusal(baseUrl),
		},
		async (target) => {
			const hop: IHttpRequestOptions = {
				...options,
				url: target.url,
				method: target.method,
				// n8n adds the auth headers to the options it is given, so each attempt gets its own copy.
				headers: { ...options.headers },
			};
			// The Location of a hop already carries its query.
			if (target.url !== options.url) delete hop.qs;
			if (target.method === 'GET' || target.method === 'HEAD') delete hop.body;
			return (await this.helpers.httpRequestWithAuthentication.call(
				this,
				credentialType,
				hop,
				credentialOptions,
			)) as T;
		},
	);
}

export interface SignedUrlRequest {
	method: IHttpRequestMethods;
	/** A URL Wix handed out with its own token inside (upload URLs, download URLs): no credentials are sent. */
	url: string;
	headers?: IDataObject;
	/** A function is called for each attempt: a stream's bytes can be sent once. */
	body?: Buffer | IDataObject | (() => Promise<Buffer | NodeJS.ReadableStream>);
	encoding?: IHttpRequestOptions['encoding'];
	json?: boolean;
	returnFullResponse?: boolean;
	idempotent?: boolean;
	itemIndex?: number;
	timeout?: number;
	/** Ends the request, also while its body streams in. */
	abortSignal?: AbortSignal;
}

/**
 * Requests to the pre-signed URLs Wix hands out, with the same retries and error mapping as API calls. The URL
 * comes from an answer, so it (and every redirect hop) must be on a Wix media host or the Base URL's host.
 */
export async function wixSignedUrlRequest<T = IDataObject>(
	this: WixContext,
	request: SignedUrlRequest,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
	const itemIndex = request.itemIndex ?? 0;
	const baseUrl = await getBaseUrl(this, getCredentialType(this, itemIndex), itemIndex);
	const refusal = (url: string) => signedUrlRefusal(url, baseUrl);
	const refused = refusal(request.url);
	// The token sits in the URL, so errors and logs name only the host and the first path segment.
	const { host, pathname } = URL.canParse(request.url)
		? new URL(request.url)
		: { host: 'an invalid address', pathname: '' };
	if (refused !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`Refused to fetch a URL from Wix's answer: it ${refused}`,
			{
				itemIndex,
				description:
					"Download and upload URLs are only fetched over https from Wix's media hosts (*.wixmp.com, *.wixstatic.com, *.wix.com, *.wixapis.com) or from the credential's Base URL host.",
			},
		);
	}
	const redactedPath = `${host}/${pathname.split('/')[1] ?? ''}/…`;
	const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
	return await sendWithRetries(
		this,
		{
			describe: { method: request.method, path: redactedPath, itemIndex: request.itemIndex },
			idempotent,
			policy,
			target: { url: request.url, method: request.method },
			hopRefusal: refusal,
		},
		async (target) =>
			(await this.helpers.httpRequest({
				method: target.method,
				url: target.url,
				headers: request.headers,
				body:
					target.method === 'GET' || target.method === 'HEAD'
						? undefined
						: typeof request.body === 'function'
							? ((await request.body()) as Buffer)
							: request.body,
				encoding: request.encoding,
				json: request.json ?? true,
				returnFullResponse: request.returnFullResponse,
				timeout: request.timeout ?? TIMEOUTS.requestMs,
				disableFollowRedirect: true,
				abortSignal: request.abortSignal,
			})) as T,
	);
}

/**
 * Starts a GET of a pre-signed media URL and hands back the response with its body still to be read. Destroying the
 * body stream alone does not end the transfer (n8n's helper hands out a wrapper whose iteration then waits for
 * ever), so the response carries `abort`, which ends the request and errors the body.
 */
export async function openSignedStream(
	this: WixContext,
	url: string,
	itemIndex: number,
): Promise<StreamResponse> {
	const transfer = new AbortController();
	const response = (await wixSignedUrlRequest.call(this, {
		method: 'GET',
		url,
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		abortSignal: transfer.signal,
		itemIndex,
	})) as unknown as StreamResponse;
	response.abort = (reason) => transfer.abort(reason);
	return response;
}
