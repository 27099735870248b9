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

/**
 * What to do with a redirect answer to a credentialed request. Same-host hops are followed as HTTP says: 307/308
 * keep the method and body, 301/302/303 are followed for reads only (turning a write into a GET would drop it).
 */
export function decideRedirect(options: {
	baseUrl: string;
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
	if (!isCredentialHost(options.baseUrl, target.href)) {
		return {
			follow: false,
			reason: `The answer was a redirect (HTTP ${status}) to another host, ${target.host}. Credentials are only sent to the Base URL's host (${new URL(options.baseUrl).host}), so the request was not sent there. Check the credential's Base URL.`,
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
