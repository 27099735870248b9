/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage, Server, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

import { WixHttpError } from './context';
import type {
	CallerIdentity,
	RouteHandler,
	RouteOptions,
	SandboxConfig,
	SandboxContext,
	SandboxModule,
	SandboxRequest,
	SeedName,
	WixEventInput,
} from './context';

export interface SandboxOptions {
	host?: string;
	/** 0 = any free port; default 5880. */
	port?: number;
	seed?: SeedName;
	config?: Partial<SandboxConfig>;
	/** Default: `defaultModules()` from './modules'. */
	modules?: SandboxModule[];
	log?: (line: string) => void;
}

export interface SandboxCredentials {
	baseUrl: string;
	apiKey: string;
	siteId: string;
	appId: string;
	appSecret: string;
	instanceId: string;
	publicKeyPem: string;
}

export interface RunningSandbox {
	baseUrl: string;
	credentials: SandboxCredentials;
	close(): Promise<void>;
}

/** A failure injected by `POST /_sandbox/faults`. */
export interface FaultSpec {
	method?: string;
	/** Regular expression source, tested against the request path (without query string). */
	path: string;
	status?: number;
	/** Seconds, sent as the `Retry-After` header. */
	retryAfter?: number;
	latencyMs?: number;
	/** Sent instead of the default body; 5xx faults have an empty body unless this is given. */
	body?: unknown;
	/** How many matching requests the fault hits (default 1). */
	count?: number;
	/**
	 * How many matching requests (counted from when the fault is added, including ones another fault answered)
	 * pass before this fault starts to hit (default 0).
	 */
	skip?: number;
}

export interface RequestLogEntry {
	seq: number;
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[]>;
	/** Parsed JSON for JSON bodies, otherwise `{ size, contentType }`. */
	body: unknown;
	/** 0 while the request is still being answered. */
	status: number;
	requestId: string;
	time: string;
	/** The id of the injected fault (`POST /_sandbox/faults`) that answered or delayed this request. */
	fault?: string;
	/**
	 * Server-side handling time in ms, from the request's arrival to the last byte of the answer (fractional);
	 * set with `status` when the answer is finished. Benchmarks sum it as the API's own share of a run.
	 */
	durationMs?: number;
}

export interface WebhookTarget {
	url: string;
	/** Deliver every event twice. */
	duplicate?: boolean;
	/** Delay each delivery by a random 0–300 ms so that deliveries overtake each other. */
	outOfOrder?: boolean;
	/** Attempts per delivery including the first (default 4). */
	maxAttempts?: number;
}

export interface WebhookDeliveryAttempt {
	eventId: string;
	eventType: string;
	entityId: string;
	attempt: number;
	/** HTTP status of the receiver's answer; 0 when it did not answer in time or the connection failed. */
	status: number;
	ok: boolean;
	time: string;
	/** 1, or 2 for the second copy of a duplicated event. */
	copy: number;
	error?: string;
}

const DEFAULT_CONFIG: SandboxConfig = {
	mediaReadyDelayMs: 400,
	mediaPendingReads: 0,
	webhookTimeoutMs: 1250,
	tokenTtlSeconds: 14400,
	downloadUrlTtlSeconds: 900,
	itemOrder: 'asc',
};

const WEBHOOK_BACKOFF_MS = [100, 300, 900];
const WEBHOOK_JWT_LIFETIME_SECONDS = 3600;
const REDACTED = '[redacted]';
/** Shapes of the secrets the sandbox hands out, so that even stale ones never reach the request log. */
const SECRET_PATTERNS = [
	/\bIST\.[A-Za-z0-9_-]{16,}(?:\.[A-Za-z0-9_-]+)*/g,
	/\bOauthNG\.JWS\.[A-Za-z0-9_-]{16,}(?:\.[A-Za-z0-9_-]+)*/g,
];

interface Route {
	method: string;
	regex: RegExp;
	paramNames: string[];
	handler: RouteHandler;
	auth: 'site' | 'none';
}

interface ActiveFault {
	id: string;
	method?: string;
	pathRegex: RegExp;
	spec: FaultSpec;
	toSkip: number;
	remaining: number;
}

interface IssuedToken {
	expiresAt: number;
	revoked: boolean;
}

interface RouteMatch {
	route: Route;
	params: Record<string, string>;
}

function base64url(input: Buffer | string): string {
	return Buffer.from(input).toString('base64url');
}

function wixErrorBody(message: string, code: string, description: string, requestId: string) {
	return { message, details: { applicationError: { code, description, data: {} }, requestId } };
}

function compilePattern(pattern: string): { regex: RegExp; paramNames: string[] } {
	const paramNames: string[] = [];
	const source = pattern
		.split('/')
		.map((segment) => {
			if (segment.startsWith(':')) {
				paramNames.push(segment.slice(1));
				return '([^/]+)';
			}
			return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { regex: new RegExp(`^${source}$`), paramNames };
}

const NOT_JSON = Symbol('not JSON');

function tryParseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}

/** `{}` for an empty body, as Wix treats a missing body like an empty message. */
function parseJsonBody(body: Buffer): unknown {
	if (body.length === 0) return {};
	const parsed = tryParseJson(body.toString('utf8'));
	if (parsed === NOT_JSON) {
		throw new WixHttpError(400, 'INVALID_ARGUMENT: request body is not valid JSON', {
			validationError: {
				fieldViolations: [
					{
						field: 'body',
						description: 'not valid JSON',
						violatedRule: 'FORMAT',
						ruleName: 'VALIDATION_ERROR',
					},
				],
			},
		});
	}
	return parsed;
}

function compileFaultPath(source: string): RegExp {
	let problem = '';
	try {
		return new RegExp(source);
	} catch (error) {
		problem = error instanceof Error ? error.message : String(error);
	}
	throw new WixHttpError(400, `path is not a valid regular expression: ${problem}`);
}

function queryToObject(query: URLSearchParams): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const [key, value] of query) {
		const existing = result[key];
		if (existing === undefined) result[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else result[key] = [existing, value];
	}
	return result;
}

function isJsonContentType(contentType: string | undefined): boolean {
	return !!contentType && /[/+]json\b/i.test(contentType);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Wix request ids look like `<unix seconds>.<digits>`. */
function newRequestId(): string {
	const digits = Array.from(randomBytes(10), (byte) => (byte % 10).toString()).join('');
	return `${Math.floor(Date.now() / 1000)}.${digits}`;
}

function validateConfigPatch(patch: unknown): Partial<SandboxConfig> {
	if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
		throw new WixHttpError(400, 'config must be an object');
	}
	const result: Partial<SandboxConfig> = {};
	for (const [key, value] of Object.entries(patch)) {
		switch (key) {
			case 'mediaReadyDelayMs':
			case 'webhookTimeoutMs':
			case 'tokenTtlSeconds':
			case 'downloadUrlTtlSeconds':
				if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
					throw new WixHttpError(400, `config.${key} must be a non-negative number`);
				}
				result[key] = value;
				break;
			case 'mediaPendingReads':
				if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
					throw new WixHttpError(400, 'config.mediaPendingReads must be a non-negative integer');
				}
				result.mediaPendingReads = value;
				break;
			case 'itemOrder':
				if (value !== 'asc' && value !== 'desc') {
					throw new WixHttpError(400, 'config.itemOrder must be "asc" or "desc"');
				}
				result.itemOrder = value;
				break;
			default:
				throw new WixHttpError(400, `unknown config key: ${key}`);
		}
	}
	return result;
}

function parseSeed(value: unknown, fallback: SeedName): SeedName {
	if (value === undefined || value === null) return fallback;
	if (value === 'default' || value === 'empty') return value;
	throw new WixHttpError(400, 'seed must be "default" or "empty"');
}

function generateApiKey(): string {
	// Real keys are JWS-like strings prefixed with `IST.`; the shape matters only for recognisability and redaction.
	const header = base64url(JSON.stringify({ kid: randomBytes(6).toString('hex'), alg: 'RS256' }));
	const payload = base64url(
		JSON.stringify({ data: JSON.stringify({ id: randomUUID(), tenant: { type: 'ACCOUNT' } }) }),
	);
	return `IST.${header}.${payload}.${base64url(randomBytes(128))}`;
}

function generateAccessToken(appId: string, instanceId: string): string {
	const payload = base64url(JSON.stringify({ data: { instanceId, appId, tokenId: randomUUID() } }));
	return `OauthNG.JWS.${base64url(JSON.stringify({ kid: 'sandbox', alg: 'HS256' }))}.${payload}.${base64url(randomBytes(32))}`;
}

/**
 * Starts the Wix sandbox: one HTTP server for the module routes (authenticated, faultable, logged like Wix's REST
 * gateway) and the `/_sandbox/*` control API.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
	const host = options.host ?? '127.0.0.1';
	const initialSeed: SeedName = options.seed ?? 'default';
	const initialConfig: SandboxConfig = { ...DEFAULT_CONFIG, ...options.config };
	const log = options.log ?? (() => {});
	const modules: SandboxModule[] = options.modules ?? (await import('./modules')).defaultModules();

	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
	const signingKey: KeyObject = createPrivateKey(
		privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
	);
	const keyId = randomBytes(6).toString('base64url');
	const ownerUserId = randomUUID();
	const ownerAccountId = ownerUserId;
	const credentialValues = {
		apiKey: generateApiKey(),
		siteId: randomUUID(),
		appId: randomUUID(),
		appSecret: randomUUID(),
		instanceId: randomUUID(),
		publicKeyPem,
	};

	const config: SandboxConfig = { ...initialConfig };
	const routes: Route[] = [];
	let listeningUrl = '';

	let tokens = new Map<string, IssuedToken>();
	let faults: ActiveFault[] = [];
	let requestLog: RequestLogEntry[] = [];
	let requestSeq = 0;
	let webhookTarget: WebhookTarget | null = null;
	let webhookLog: WebhookDeliveryAttempt[] = [];
	// Bumped on reset/close so that deliveries of an earlier generation stop at their next step.
	let deliveryGeneration = 0;
	let pendingDeliveries = new Set<Promise<void>>();
	let firstAttemptTurn: Promise<void> = Promise.resolve();
	// Delivery waits are cancelled on reset; request waits (fault latency) only on close.
	const deliveryTimers = new Set<NodeJS.Timeout>();
	const requestTimers = new Set<NodeJS.Timeout>();
	const webhookRequests = new Set<ClientRequest>();
	let closed = false;

	function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.add(timer);
		});
	}

	function cancelTimers(timers: Set<NodeJS.Timeout>): void {
		for (const timer of timers) clearTimeout(timer);
		timers.clear();
	}

	function abortWebhookRequests(): void {
		for (const request of webhookRequests) request.destroy();
		webhookRequests.clear();
	}

	function redactString(value: string): string {
		let result = value;
		for (const secret of [credentialValues.apiKey, credentialValues.appSecret, ...tokens.keys()]) {
			if (result.includes(secret)) result = result.split(secret).join(REDACTED);
		}
		for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
		return result;
	}

	function redact<T>(value: T): T {
		if (typeof value === 'string') return redactString(value) as T;
		if (Array.isArray(value)) return value.map((entry) => redact(entry)) as T;
		if (value && typeof value === 'object') {
			const result: Record<string, unknown> = {};
			for (const [key, entry] of Object.entries(value)) {
				result[key] = /^(client_secret|access_token|refresh_token|authorization)$/i.test(key)
					? REDACTED
					: redact(entry);
			}
			return result as T;
		}
		return value;
	}

	const ctx: SandboxContext = {
		route(method, pattern, handler, routeOptions?: RouteOptions) {
			for (const alias of Array.isArray(pattern) ? pattern : [pattern]) {
				const { regex, paramNames } = compilePattern(alias);
				routes.push({
					method: method.toUpperCase(),
					regex,
					paramNames,
					handler,
					auth: routeOptions?.auth ?? 'site',
				});
			}
		},
		config,
		baseUrl: () => listeningUrl,
		now: () => Date.now(),
		newId: () => randomUUID(),
		emit: (event) => emitEvent(event),
		module<T extends SandboxModule>(name: string): T {
			const found = modules.find((candidate) => candidate.name === name);
			if (!found) throw new Error(`sandbox module not loaded: ${name}`);
			return found as T;
		},
	};

	// ---------------------------------------------------------------- webhooks

	function signJwt(claims: Record<string, unknown>): string {
		const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keyId }));
		const payload = base64url(JSON.stringify(claims));
		const signature = sign('sha256', Buffer.from(`${header}.${payload}`), signingKey);
		return `${header}.${payload}.${base64url(signature)}`;
	}

	function buildWebhookJwt(event: WixEventInput, eventId: string): string {
		const identity: CallerIdentity = event.identity ?? {
			identityType: 'WIX_USER',
			wixUserId: ownerUserId,
		};
		const domainEvent: Record<string, unknown> = {
			id: eventId,
			entityFqdn: event.entityFqdn,
			slug: event.slug,
			entityId: event.entityId,
			eventTime: new Date(ctx.now()).toISOString(),
			triggeredByAnonymizeRequest: false,
		};
		if (event.originatedFrom !== undefined) domainEvent.originatedFrom = event.originatedFrom;
		if (event.createdEvent) domainEvent.createdEvent = event.createdEvent;
		else if (event.updatedEvent) domainEvent.updatedEvent = event.updatedEvent;
		else if (event.deletedEvent) domainEvent.deletedEvent = event.deletedEvent;
		else if (event.actionEvent) domainEvent.actionEvent = event.actionEvent;
		const envelope = {
			eventType: event.eventType,
			instanceId: credentialValues.instanceId,
			data: JSON.stringify(domainEvent),
			identity: JSON.stringify(identity),
			// @wix/sdk passes accountInfo through unparsed and types it as an object, unlike data/identity.
			accountInfo: { accountId: ownerAccountId, siteId: credentialValues.siteId },
		};
		const issuedAt = Math.floor(ctx.now() / 1000);
		return signJwt({
			data: JSON.stringify(envelope),
			iat: issuedAt,
			exp: issuedAt + WEBHOOK_JWT_LIFETIME_SECONDS,
			iss: 'wix.com',
			aud: credentialValues.appId,
		});
	}

	function emitEvent(event: WixEventInput): void {
		const target = webhookTarget;
		if (!target || closed) return;
		const eventId = randomUUID();
		const jwt = buildWebhookJwt(event, eventId);
		const copies = target.duplicate ? 2 : 1;
		for (let copy = 1; copy <= copies; copy++) {
			const delivery = deliver(target, jwt, event, eventId, copy, deliveryGeneration);
			const pending = pendingDeliveries;
			pending.add(delivery);
			void delivery.finally(() => pending.delete(delivery));
		}
	}

	async function deliver(
		target: WebhookTarget,
		jwt: string,
		event: WixEventInput,
		eventId: string,
		copy: number,
		generation: number,
	): Promise<void> {
		const stillCurrent = () => !closed && generation === deliveryGeneration;
		// In order mode, first attempts go out one after another so the receiver sees emit order; retries do not wait.
		let releaseTurn = () => {};
		let previousTurn: Promise<void> = Promise.resolve();
		if (target.outOfOrder) {
			await sleep(Math.floor(Math.random() * 300), deliveryTimers);
		} else {
			previousTurn = firstAttemptTurn;
			firstAttemptTurn = new Promise<void>((resolve) => (releaseTurn = resolve));
		}
		const maxAttempts = Math.max(1, target.maxAttempts ?? 4);
		for (let attempt = 1; attempt <= maxAttempts; attempt++) {
			if (attempt === 1) await previousTurn;
			if (!stillCurrent()) {
				releaseTurn();
				return;
			}
			const outcome = await postWebhook(target.url, jwt);
			if (attempt === 1) releaseTurn();
			if (!stillCurrent()) return;
			const ok = outcome.status >= 200 && outcome.status < 300;
			webhookLog.push({
				eventId,
				eventType: event.eventType,
				entityId: event.entityId,
				attempt,
				status: outcome.status,
				ok,
				time: new Date(ctx.now()).toISOString(),
				copy,
				...(outcome.error ? { error: outcome.error } : {}),
			});
			log(
				`webhook ${event.eventType} ${eventId} attempt ${attempt} → ${outcome.status || outcome.error}`,
			);
			if (ok) return;
			if (attempt < maxAttempts) {
				await sleep(
					WEBHOOK_BACKOFF_MS[Math.min(attempt - 1, WEBHOOK_BACKOFF_MS.length - 1)],
					deliveryTimers,
				);
			}
		}
	}

	function postWebhook(url: string, jwt: string): Promise<{ status: number; error?: string }> {
		return new Promise((resolve) => {
			let target: URL;
			try {
				target = new URL(url);
			} catch {
				resolve({ status: 0, error: 'invalid webhook URL' });
				return;
			}
			const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
			const body = Buffer.from(jwt);
			const timeoutMs = config.webhookTimeoutMs;
			const request = send(
				target,
				{
					method: 'POST',
					headers: {
						'Content-Type': 'text/plain',
						'Content-Length': body.length,
						'User-Agent': 'wix-sandbox-webhooks',
					},
					timeout: timeoutMs,
					// A fresh connection per attempt, so no pooled socket outlives the sandbox.
					agent: false,
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
					response.on('error', (error) => resolve({ status: 0, error: error.message }));
				},
			);
			request.on('timeout', () => {
				request.destroy(new Error(`no answer within ${timeoutMs} ms`));
			});
			request.on('error', (error) => resolve({ status: 0, error: error.message }));
			request.on('close', () => webhookRequests.delete(request));
			webhookRequests.add(request);
			request.end(body);
		});
	}

	async function flushWebhooks(timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (pendingDeliveries.size > 0) {
			if (Date.now() >= deadline) return false;
			const remaining = deadline - Date.now();
			await Promise.race([
				Promise.all(pendingDeliveries),
				new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, remaining);
					timer.unref();
				}),
			]);
		}
		return true;
	}

	// ---------------------------------------------------------------- auth

	function unauthenticated(description: string, requestId: string): WixHttpError {
		return new WixHttpError(
			401,
			'UNAUTHENTICATED',
			undefined,
			wixErrorBody('UNAUTHENTICATED', 'UNAUTHENTICATED', description, requestId),
		);
	}

	function authenticate(req: SandboxRequest): CallerIdentity {
		const header = req.headers.authorization;
		if (!header) throw unauthenticated('Missing Authorization header', req.requestId);
		const value = header.replace(/^Bearer\s+/i, '').trim();
		if (value === credentialValues.apiKey) {
			const siteId = req.headers['wix-site-id'];
			if (siteId !== credentialValues.siteId) {
				const description = siteId
					? `API key has no access to site ${String(siteId)}`
					: 'API key calls to site-level APIs need a wix-site-id header';
				throw new WixHttpError(
					403,
					'PERMISSION_DENIED',
					undefined,
					wixErrorBody('PERMISSION_DENIED', 'PERMISSION_DENIED', description, req.requestId),
				);
			}
			return { identityType: 'WIX_USER', wixUserId: ownerUserId };
		}
		const token = tokens.get(value);
		if (!token) throw unauthenticated('Unknown access token or API key', req.requestId);
		if (token.revoked || ctx.now() >= token.expiresAt) {
			throw unauthenticated('Access token expired', req.requestId);
		}
		return { identityType: 'APP', appId: credentialValues.appId };
	}

	function oauthError(status: number, error: string, description: string): WixHttpError {
		return new WixHttpError(status, error, undefined, {
			error,
			error_description: description,
		});
	}

	function readOAuthBody(req: SandboxRequest): Record<string, unknown> {
		const contentType = req.headers['content-type'] ?? '';
		if (/application\/x-www-form-urlencoded/i.test(contentType)) {
			return Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
		}
		if (req.body.length === 0) return {};
		const parsed = tryParseJson(req.body.toString('utf8'));
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
			return parsed as Record<string, unknown>;
		}
		throw oauthError(400, 'invalid_request', 'The request body must be a JSON object');
	}

	ctx.route(
		'POST',
		'/oauth2/token',
		(req) => {
			const body = readOAuthBody(req);
			if (body.grant_type !== 'client_credentials') {
				throw oauthError(
					400,
					'unsupported_grant_type',
					`grant_type ${JSON.stringify(body.grant_type ?? null)} is not supported`,
				);
			}
			if (
				body.client_id !== credentialValues.appId ||
				body.client_secret !== credentialValues.appSecret
			) {
				throw oauthError(401, 'invalid_client', 'Client authentication failed');
			}
			if (body.instance_id !== credentialValues.instanceId) {
				throw oauthError(
					400,
					'invalid_client',
					'The app is not installed on a site with this instance_id',
				);
			}
			const accessToken = generateAccessToken(credentialValues.appId, credentialValues.instanceId);
			tokens.set(accessToken, {
				expiresAt: ctx.now() + config.tokenTtlSeconds * 1000,
				revoked: false,
			});
			return {
				body: {
					access_token: accessToken,
					token_type: 'Bearer',
					expires_in: config.tokenTtlSeconds,
				},
			};
		},
		{ auth: 'none' },
	);

	// ---------------------------------------------------------------- control API

	function resetAll(seed: SeedName): void {
		deliveryGeneration++;
		cancelTimers(deliveryTimers);
		abortWebhookRequests();
		pendingDeliveries = new Set();
		firstAttemptTurn = Promise.resolve();
		Object.assign(config, initialConfig);
		tokens = new Map();
		faults = [];
		requestLog = [];
		webhookTarget = null;
		webhookLog = [];
		for (const module of modules) module.reset(ctx, seed);
	}

	function credentials(): SandboxCredentials {
		return { baseUrl: listeningUrl, ...credentialValues };
	}

	ctx.route('GET', '/_sandbox/health', () => ({
		body: { ok: true, baseUrl: listeningUrl, modules: modules.map((module) => module.name) },
	}));
	ctx.route('POST', '/_sandbox/reset', (req) => {
		const seed = parseSeed(req.json().seed, initialSeed);
		resetAll(seed);
		return { body: { ok: true, seed } };
	});
	ctx.route('GET', '/_sandbox/credentials', () => ({ body: credentials() }));
	ctx.route('GET', '/_sandbox/config', () => ({ body: config }));
	ctx.route('PATCH', '/_sandbox/config', (req) => {
		Object.assign(config, validateConfigPatch(req.json()));
		return { body: config };
	});
	ctx.route('GET', '/_sandbox/webhook-target', () => ({ body: { target: webhookTarget } }));
	ctx.route('PUT', '/_sandbox/webhook-target', (req) => {
		const body = req.json();
		if (body.url === null || body.url === undefined || body.url === '') {
			webhookTarget = null;
			return { body: { target: null } };
		}
		if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) {
			throw new WixHttpError(400, 'url must be an http(s) URL');
		}
		if (
			body.maxAttempts !== undefined &&
			(!Number.isInteger(body.maxAttempts) || body.maxAttempts < 1)
		) {
			throw new WixHttpError(400, 'maxAttempts must be a positive integer');
		}
		webhookTarget = {
			url: body.url,
			duplicate: body.duplicate === true,
			outOfOrder: body.outOfOrder === true,
			maxAttempts: body.maxAttempts ?? 4,
		};
		return { body: { target: webhookTarget } };
	});
	ctx.route('GET', '/_sandbox/webhooks', () => ({ body: webhookLog }));
	ctx.route('DELETE', '/_sandbox/webhooks', () => {
		webhookLog = [];
		return { body: { ok: true } };
	});
	ctx.route('POST', '/_sandbox/webhooks/flush', async (req) => {
		const timeoutMs = Number(req.json().timeoutMs ?? 30000);
		const flushed = await flushWebhooks(Number.isFinite(timeoutMs) ? timeoutMs : 30000);
		return { body: { flushed, pending: pendingDeliveries.size } };
	});
	ctx.route('GET', '/_sandbox/faults', () => ({
		body: faults.map((fault) => ({
			...fault.spec,
			id: fault.id,
			toSkip: fault.toSkip,
			remaining: fault.remaining,
		})),
	}));
	ctx.route('POST', '/_sandbox/faults', (req) => {
		const spec = req.json() as FaultSpec;
		if (typeof spec.path !== 'string' || spec.path === '') {
			throw new WixHttpError(400, 'path (a regular expression source) is required');
		}
		const pathRegex = compileFaultPath(spec.path);
		const count = spec.count ?? 1;
		if (!Number.isInteger(count) || count < 1) {
			throw new WixHttpError(400, 'count must be a positive integer');
		}
		const skip = spec.skip ?? 0;
		if (!Number.isInteger(skip) || skip < 0) {
			throw new WixHttpError(400, 'skip must be a non-negative integer');
		}
		if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100)) {
			throw new WixHttpError(400, 'status must be an HTTP status code');
		}
		const fault: ActiveFault = {
			id: randomUUID(),
			method: spec.method?.toUpperCase(),
			pathRegex,
			spec,
			toSkip: skip,
			remaining: count,
		};
		faults.push(fault);
		return { body: { id: fault.id } };
	});
	ctx.route('DELETE', '/_sandbox/faults', () => {
		faults = [];
		return { body: { ok: true } };
	});
	ctx.route('GET', '/_sandbox/requests', () => ({ body: requestLog }));
	ctx.route('DELETE', '/_sandbox/requests', () => {
		requestLog = [];
		return { body: { ok: true } };
	});
	ctx.route('GET', '/_sandbox/state', () => ({
		body: Object.fromEntries(modules.map((module) => [module.name, module.dump()])),
	}));
	ctx.route('POST', '/_sandbox/expire-tokens', () => {
		let expired = 0;
		for (const token of tokens.values()) {
			if (!token.revoked) expired++;
			token.revoked = true;
		}
		return { body: { expired } };
	});

	for (const module of modules) module.register(ctx);

	// ---------------------------------------------------------------- request handling

	function matchRoute(method: string, path: string): RouteMatch | 'method-not-allowed' | null {
		let pathMatched = false;
		for (const route of routes) {
			const match = route.regex.exec(path);
			if (!match) continue;
			pathMatched = true;
			if (route.method !== method) continue;
			const params: Record<string, string> = {};
			route.paramNames.forEach((name, index) => {
				params[name] = decodeURIComponent(match[index + 1]);
			});
			return { route, params };
		}
		return pathMatched ? 'method-not-allowed' : null;
	}

	function takeFault(method: string, path: string): ActiveFault | undefined {
		let chosen: ActiveFault | undefined;
		for (const fault of faults) {
			if (fault.method && fault.method !== method) continue;
			if (!fault.pathRegex.test(path)) continue;
			// Every matching request counts towards each fault's skip, so staggered faults compose predictably.
			if (fault.toSkip > 0) fault.toSkip--;
			else if (!chosen) chosen = fault;
		}
		if (!chosen) return undefined;
		chosen.remaining--;
		if (chosen.remaining === 0) faults = faults.filter((fault) => fault !== chosen);
		return chosen;
	}

	function writeResponse(
		res: ServerResponse,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	): void {
		if (res.headersSent) {
			res.end();
			return;
		}
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		if (body === undefined || body === null || body === '') {
			res.statusCode = status;
			res.end();
			return;
		}
		const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
		if (!res.hasHeader('content-type')) {
			res.setHeader(
				'Content-Type',
				Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json; charset=utf-8',
			);
		}
		res.setHeader('Content-Length', payload.length);
		res.statusCode = status;
		res.end(payload);
	}

	function writeError(res: ServerResponse, error: unknown, requestId: string): void {
		if (error instanceof WixHttpError) {
			if (error.rawBody !== undefined) {
				writeResponse(res, error.status, error.rawBody);
			} else if (error.status >= 500) {
				// Wix answers system errors with an empty body by design.
				writeResponse(res, error.status, undefined);
			} else {
				writeResponse(res, error.status, {
					message: error.message,
					details: { ...error.details, requestId },
				});
			}
			return;
		}
		log(`handler error (${requestId}): ${error instanceof Error ? error.stack : String(error)}`);
		writeResponse(res, 500, undefined);
	}

	function logEntryFor(
		raw: IncomingMessage,
		path: string,
		query: URLSearchParams,
		body: Buffer,
		requestId: string,
	): RequestLogEntry {
		const headers: Record<string, string | string[]> = {};
		for (const [name, value] of Object.entries(raw.headers)) {
			if (value === undefined) continue;
			headers[name] = name === 'authorization' ? REDACTED : value;
		}
		const contentType = raw.headers['content-type'];
		let loggedBody: unknown = { size: body.length, contentType: contentType ?? null };
		if (body.length > 0 && isJsonContentType(contentType)) {
			const parsed = tryParseJson(body.toString('utf8'));
			loggedBody =
				parsed === NOT_JSON ? { size: body.length, contentType, invalidJson: true } : parsed;
		}
		return redact({
			seq: ++requestSeq,
			method: raw.method ?? 'GET',
			path,
			query: queryToObject(query),
			headers,
			body: loggedBody,
			status: 0,
			requestId,
			time: new Date(ctx.now()).toISOString(),
		});
	}

	async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const startedPrecise = performance.now();
		const body = await readBody(raw);
		const requestId = newRequestId();
		res.setHeader('x-wix-request-id', requestId);
		const method = (raw.method ?? 'GET').toUpperCase();
		const url = new URL(raw.url ?? '/', 'http://sandbox.invalid');
		const path = url.pathname;
		const isControl = path.startsWith('/_sandbox/');

		const entry = isControl ? undefined : logEntryFor(raw, path, url.searchParams, body, requestId);
		if (entry) {
			requestLog.push(entry);
			res.once('finish', () => {
				entry.status = res.statusCode;
				entry.durationMs = Math.round((performance.now() - startedPrecise) * 1000) / 1000;
				log(`${method} ${path}${url.search} → ${res.statusCode} (${Date.now() - started} ms)`);
			});
		}

		try {
			if (entry) {
				const fault = takeFault(method, path);
				if (fault) {
					entry.fault = fault.id;
					if (fault.spec.latencyMs) await sleep(fault.spec.latencyMs, requestTimers);
					if (closed) throw new WixHttpError(503, 'sandbox is closing');
					if (fault.spec.status) {
						const status = fault.spec.status;
						const headers: Record<string, string> = {};
						if (fault.spec.retryAfter !== undefined) {
							headers['Retry-After'] = String(fault.spec.retryAfter);
						}
						let faultBody: unknown = fault.spec.body;
						if (faultBody === undefined && status < 500) {
							faultBody =
								status === 429
									? wixErrorBody(
											'Too Many Requests',
											'RESOURCE_EXHAUSTED',
											'Too many requests, try again later',
											requestId,
										)
									: wixErrorBody(
											`Injected fault ${status}`,
											'INJECTED_FAULT',
											'Failure injected by the sandbox',
											requestId,
										);
						}
						writeResponse(res, status, faultBody, headers);
						return;
					}
				}
			}

			const matched = matchRoute(method, path);
			if (matched === null || matched === 'method-not-allowed') {
				const notAllowed = matched === 'method-not-allowed';
				writeResponse(
					res,
					notAllowed ? 405 : 404,
					wixErrorBody(
						notAllowed ? 'Method Not Allowed' : 'Not Found',
						notAllowed ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND',
						`No route for ${method} ${path}`,
						requestId,
					),
				);
				return;
			}

			let parsedJson: unknown;
			let jsonParsed = false;
			const request: SandboxRequest = {
				method,
				path,
				query: url.searchParams,
				headers: raw.headers,
				params: matched.params,
				body,
				json() {
					if (!jsonParsed) {
						parsedJson = parseJsonBody(body);
						jsonParsed = true;
					}
					return parsedJson;
				},
				requestId,
				identity: null,
				raw,
			};

			if (!isControl && matched.route.auth === 'site') request.identity = authenticate(request);

			const result = await matched.route.handler(request, res);
			if (result) writeResponse(res, result.status ?? 200, result.body, result.headers);
		} catch (error) {
			writeError(res, error, requestId);
		}
	}

	const server: Server = createServer((raw, res) => {
		handle(raw, res).catch((error: unknown) => {
			log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
			if (!res.writableEnded) {
				res.statusCode = 500;
				res.end();
			}
		});
	});
	// Keep-alive sockets from test clients must not hold `close()` open.
	server.keepAliveTimeout = 1000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 5880, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	const publicHost =
		host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	listeningUrl = `http://${publicHost}:${address.port}`;

	// Seeded only now, so that seeds can build URLs from ctx.baseUrl().
	let seeded = false;
	try {
		resetAll(initialSeed);
		seeded = true;
	} finally {
		// A module whose seed throws must not leave the port taken.
		if (!seeded) server.close();
	}

	return {
		baseUrl: listeningUrl,
		credentials: credentials(),
		async close() {
			if (closed) return;
			closed = true;
			deliveryGeneration++;
			cancelTimers(deliveryTimers);
			cancelTimers(requestTimers);
			abortWebhookRequests();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
