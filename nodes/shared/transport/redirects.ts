import type { IHttpRequestMethods } from 'n8n-workflow';

/**
 * Credentials (API key, wix-site-id, access token, app secret) go only to the host of the credential's Base URL.
 * n8n's HTTP helpers follow redirects and, by default, re-send credentials to whatever host a redirect names, so
 * every credentialed request is sent with redirects off, and this module decides each hop itself.
 */

export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The most hops followed for one request; Wix itself does not redirect its API calls. */
export const MAX_REDIRECTS = 5;

export type RedirectDecision =
	| { follow: true; url: string; method: IHttpRequestMethods }
	| { follow: false; reason: string };

function effectivePort(url: URL): string {
	return url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
}

/**
 * Whether `target` is the Base URL's own host: same host name, and the same port and scheme, or the move from
 * http to https of the same host name (never the other way round).
 */
export function isCredentialHost(baseUrl: string, target: string): boolean {
	let base: URL;
	let next: URL;
	try {
		base = new URL(baseUrl);
		next = new URL(target);
	} catch {
		return false;
	}
	if (next.hostname.toLowerCase() !== base.hostname.toLowerCase()) return false;
	if (next.username || next.password) return false;
	if (next.protocol === base.protocol) return effectivePort(next) === effectivePort(base);
	return base.protocol === 'http:' && next.protocol === 'https:';
}

/** Wix's own hosts for media, uploads and downloads (`static.wixstatic.com`, `upload.wixmp.com`, …). */
const WIX_MEDIA_DOMAINS = ['wix.com', 'wixmp.com', 'wixstatic.com', 'wixapis.com'];

/**
 * Why a URL taken from a Wix answer (an upload or download URL, or a hop of one) must not be fetched, or undefined
 * when it may: https on one of Wix's media hosts, or the Base URL's own host (a sandbox in place of Wix). Anything
 * else, such as an internal address, would turn the node into a fetcher of pages it should never see.
 */
export function signedUrlRefusal(url: string, baseUrl: string): string | undefined {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return 'is not a valid address';
	}
	if (target.username || target.password) return 'carries a user name or password';
	const base = new URL(baseUrl);
	if (target.protocol === base.protocol && target.host === base.host) return undefined;
	if (target.protocol !== 'https:') return `is not https (${target.protocol.replace(':', '')})`;
	const host = target.hostname.toLowerCase();
	if (WIX_MEDIA_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
		return undefined;
	}
	return `is on ${target.host}, which is neither a Wix media host nor the Base URL's host`;
}

/**
 * What to do with a redirect answer. `refusal` says why a target must not be requested (undefined: it may).
 * Allowed hops are followed as HTTP says: 307/308 keep the method and body, 301/302/303 are followed for reads only
 * (turning a write into a GET would drop it).
 */
export function decideRedirect(options: {
	refusal: (target: string) => string | undefined;
	currentUrl: string;
	method: IHttpRequestMethods;
	status: number;
	location: string | undefined;
	hops: number;
}): RedirectDecision {
	const { status, location, method } = options;
	if (!location) {
		return {
			follow: false,
			reason: `The answer was a redirect (HTTP ${status}) without a Location`,
		};
	}
	let target: URL;
	try {
		target = new URL(location, options.currentUrl);
	} catch {
		return {
			follow: false,
			reason: `The answer was a redirect (HTTP ${status}) to an invalid address`,
		};
	}
	const refusal = options.refusal(target.href);
	if (refusal !== undefined) {
		return {
			follow: false,
			reason: `The answer was a redirect (HTTP ${status}) to an address that ${refusal}`,
		};
	}
	if (options.hops >= MAX_REDIRECTS) {
		return { follow: false, reason: `More than ${MAX_REDIRECTS} redirects in a row` };
	}
	const read = method === 'GET' || method === 'HEAD';
	if (status === 307 || status === 308 || read) {
		return { follow: true, url: target.href, method };
	}
	return {
		follow: false,
		reason: `The answer to this ${method} was a redirect (HTTP ${status}), which would turn it into a GET; it was not followed`,
	};
}

/** For credentialed requests: why a hop must not be sent, naming the host the credentials are kept to. */
export function credentialHostRefusal(baseUrl: string): (target: string) => string | undefined {
	return (target) =>
		isCredentialHost(baseUrl, target)
			? undefined
			: `is on another host, ${new URL(target).host}. Credentials are only sent to the Base URL's host (${new URL(baseUrl).host}), so the request was not sent there. Check the credential's Base URL`;
}
