/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * The contract between the sandbox core (core/: HTTP gateway, routing, auth, faults, request log, webhooks, control
 * API) and the API modules (apis/: Pro Gallery, Media Manager, Shared Gallery, external platform).
 * Each module keeps its own state and registers its own routes; the core owns nothing module-specific.
 */

export type SeedName = 'default' | 'empty';

/** Who made a call, as Wix puts it in a webhook's `identity`. */
export type CallerIdentity =
	| { identityType: 'APP'; appId: string }
	| { identityType: 'WIX_USER'; wixUserId: string }
	| { identityType: 'MEMBER'; memberId: string }
	| { identityType: 'ANONYMOUS_VISITOR'; anonymousVisitorId: string };

export interface SandboxRequest {
	method: string;
	/** Path without the query string, e.g. `/pro-gallery/v2/galleries/abc`. */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** Values of `:name` segments of the matched route pattern. */
	params: Record<string, string>;
	/** The whole request body (already read by the core). */
	body: Buffer;
	/** The body parsed as JSON (`{}` for an empty body); throws a 400 WixHttpError on bad JSON. */
	json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are whatever the caller sent
	/** Sent back as `x-wix-request-id`, and written into error bodies' details. */
	requestId: string;
	/** Who called, for routes with `auth: 'site'`; `null` on unauthenticated routes. */
	identity: CallerIdentity | null;
	raw: IncomingMessage;
}

/** What a handler returns: the core writes it as JSON. A handler that wrote `res` itself returns nothing. */
export interface RouteResult {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type RouteHandler = (
	req: SandboxRequest,
	res: ServerResponse,
) => Promise<RouteResult | void> | RouteResult | void;

export interface RouteOptions {
	/** `site` (default): a valid API key + `wix-site-id`, or a valid OAuth access token. `none`: public. */
	auth?: 'site' | 'none';
}

/** One row of a route table: what `SandboxContext.route` takes, as data (see `addRoutes` in core/routing.ts). */
export interface RouteDefinition extends RouteOptions {
	method: string;
	/** One pattern, or several aliases served by the same handler. */
	path: string | string[];
	handler: RouteHandler;
}

/** A Wix webhook event for the core to sign and deliver (see docs/wix-api.md §5). */
export interface WixEventInput {
	/** e.g. `wix.pro_gallery.gallery_v2_gallery_item_created`. */
	eventType: string;
	entityFqdn: string;
	slug: string;
	entityId: string;
	/** Exactly one of these, as in docs/wix-api.md §5.3 level 2. */
	createdEvent?: { entity: unknown };
	updatedEvent?: { currentEntity: unknown };
	deletedEvent?: Record<string, unknown>;
	actionEvent?: { body: unknown };
	originatedFrom?: string;
	/** Who caused the change (from `SandboxRequest.identity`); the core defaults to the site owner. */
	identity?: CallerIdentity | null;
}

export interface SandboxConfig {
	/** Milliseconds a Media Manager file stays PENDING before it turns READY (or FAILED). */
	mediaReadyDelayMs: number;
	/**
	 * Descriptor reads (Get File Descriptor, Get File Descriptors) that a new Media Manager file answers PENDING
	 * before processing may conclude, on top of `mediaReadyDelayMs` (default 0). Makes "the file was PENDING when
	 * the client first looked" a fact of the test instead of a race against the delay.
	 */
	mediaPendingReads: number;
	/**
	 * How long a webhook receiver has to answer before the attempt counts as failed and is retried (Wix: 1250 ms;
	 * 0: no limit). Read when an attempt starts.
	 */
	webhookTimeoutMs: number;
	/** Lifetime of OAuth access tokens in seconds (Wix: 14400). */
	tokenTtlSeconds: number;
	/** Lifetime of Shared Gallery display/download URLs in seconds (Wix: 900). */
	downloadUrlTtlSeconds: number;
	/** Order of List Gallery Items by `sortOrder` (Wix docs conflict; ascending recommended). */
	itemOrder: 'asc' | 'desc';
}

export interface SandboxModule {
	/** Key of this module's part of `GET /_sandbox/state`. */
	name: string;
	/** Adds the module's routes; called once when the sandbox is created. */
	register(ctx: SandboxContext): void;
	/** Drops all state and seeds it again; called at start and on `POST /_sandbox/reset`. */
	reset(ctx: SandboxContext, seed: SeedName): void;
	/** JSON-able state for `GET /_sandbox/state`. */
	dump(): unknown;
	/**
	 * Public HTTPS hosts this module stands in for, each with the path prefix of its routes (e.g.
	 * `{ 'graph.facebook.com': '/graph' }`). The platform proxy (core/platformProxy.ts) tunnels CONNECTs to these
	 * hosts, terminates TLS with the sandbox CA's certificate and serves the requests under the prefix.
	 */
	publicHosts?: Record<string, string>;
}

export interface SandboxContext {
	/**
	 * Adds a route. `pattern` is a path with `:name` segments (one or several aliases); it must match the whole path.
	 * Routes under `/_sandbox/` are control routes: never authenticated, never faulted, never logged.
	 */
	route(
		method: string,
		pattern: string | string[],
		handler: RouteHandler,
		options?: RouteOptions,
	): void;
	readonly config: SandboxConfig;
	/** `http://127.0.0.1:<port>` once listening. */
	baseUrl(): string;
	/** Milliseconds since the epoch (one clock for all modules). */
	now(): number;
	/** A new random id in Wix's GUID format. */
	newId(): string;
	/** Signs the event as Wix does and queues its delivery to the webhook target (a no-op when none is set). */
	emit(event: WixEventInput): void;
	/** Another module by name, for cross-module reads (e.g. Pro Gallery checking a Media Manager file). */
	module<T extends SandboxModule>(name: string): T;
}
