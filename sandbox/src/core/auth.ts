import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import type { CallerIdentity, RouteDefinition, SandboxConfig, SandboxRequest } from '../context';
import { WixHttpError, wixErrorBody } from '../errors';
import { tryParseJson } from './http';

/**
 * The sandbox site's credentials and how calls prove them (docs/wix-api.md §4): an API key with `wix-site-id`, or
 * an OAuth access token from `POST /oauth2/token` (client credentials of the sandbox app). Also the app's RS256 key,
 * which signs webhooks (§5.2).
 */

export interface SandboxCredentials {
	baseUrl: string;
	apiKey: string;
	siteId: string;
	appId: string;
	appSecret: string;
	instanceId: string;
	publicKeyPem: string;
}

interface IssuedToken {
	expiresAt: number;
	revoked: boolean;
}

function base64url(input: Buffer | string): string {
	return Buffer.from(input).toString('base64url');
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

function unauthenticated(description: string, requestId: string): WixHttpError {
	return new WixHttpError(
		401,
		'UNAUTHENTICATED',
		undefined,
		wixErrorBody('UNAUTHENTICATED', 'UNAUTHENTICATED', description, requestId),
	);
}

function oauthError(status: number, error: string, description: string): WixHttpError {
	return new WixHttpError(status, error, undefined, {
		error,
		error_description: description,
	});
}

/** The token endpoint takes a form-encoded or a JSON body. */
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

/** One sandbox site with one installed app: its secrets (made once per sandbox), tokens and signing key. */
export class SiteAuth {
	readonly apiKey = generateApiKey();
	readonly siteId = randomUUID();
	readonly appId = randomUUID();
	readonly appSecret = randomUUID();
	readonly instanceId = randomUUID();
	/** The site owner, who is the caller of API key calls and the default identity of events. */
	readonly ownerUserId = randomUUID();
	readonly ownerAccountId = this.ownerUserId;
	readonly publicKeyPem: string;
	private readonly signingKey: KeyObject;
	private readonly keyId = randomBytes(6).toString('base64url');
	private tokens = new Map<string, IssuedToken>();

	constructor(
		private readonly config: SandboxConfig,
		private readonly now: () => number,
	) {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
		this.signingKey = createPrivateKey(
			privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		);
	}

	credentials(baseUrl: string): SandboxCredentials {
		return {
			baseUrl,
			apiKey: this.apiKey,
			siteId: this.siteId,
			appId: this.appId,
			appSecret: this.appSecret,
			instanceId: this.instanceId,
			publicKeyPem: this.publicKeyPem,
		};
	}

	/** Every secret a request log must never show: the key, the app secret and every token issued. */
	secrets(): string[] {
		return [this.apiKey, this.appSecret, ...this.tokens.keys()];
	}

	/** Who the call's `Authorization` header proves to be; throws Wix's 401 or 403 otherwise. */
	authenticate(req: SandboxRequest): CallerIdentity {
		const header = req.headers.authorization;
		if (!header) throw unauthenticated('Missing Authorization header', req.requestId);
		const value = header.replace(/^Bearer\s+/i, '').trim();
		if (value === this.apiKey) {
			const siteId = req.headers['wix-site-id'];
			if (siteId !== this.siteId) {
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
			return { identityType: 'WIX_USER', wixUserId: this.ownerUserId };
		}
		const token = this.tokens.get(value);
		if (!token) throw unauthenticated('Unknown access token or API key', req.requestId);
		if (token.revoked || this.now() >= token.expiresAt) {
			throw unauthenticated('Access token expired', req.requestId);
		}
		return { identityType: 'APP', appId: this.appId };
	}

	/** `POST /oauth2/token` with the client-credentials grant; errors as `{ error, error_description }`. */
	issueToken(req: SandboxRequest) {
		const body = readOAuthBody(req);
		if (body.grant_type !== 'client_credentials') {
			throw oauthError(
				400,
				'unsupported_grant_type',
				`grant_type ${JSON.stringify(body.grant_type ?? null)} is not supported`,
			);
		}
		if (body.client_id !== this.appId || body.client_secret !== this.appSecret) {
			throw oauthError(401, 'invalid_client', 'Client authentication failed');
		}
		if (body.instance_id !== this.instanceId) {
			throw oauthError(
				400,
				'invalid_client',
				'The app is not installed on a site with this instance_id',
			);
		}
		const accessToken = generateAccessToken(this.appId, this.instanceId);
		this.tokens.set(accessToken, {
			expiresAt: this.now() + this.config.tokenTtlSeconds * 1000,
			revoked: false,
		});
		return {
			access_token: accessToken,
			token_type: 'Bearer',
			expires_in: this.config.tokenTtlSeconds,
		};
	}

	/** Revokes every token issued so far (`POST /_sandbox/expire-tokens`); answers how many were still live. */
	expireTokens(): number {
		let expired = 0;
		for (const token of this.tokens.values()) {
			if (!token.revoked) expired++;
			token.revoked = true;
		}
		return expired;
	}

	/** Forgets every token (on reset); the key and the app's secrets stay. */
	reset(): void {
		this.tokens = new Map();
	}

	/** An RS256 JWT with the app's key id, as Wix signs webhooks. */
	signJwt(claims: Record<string, unknown>): string {
		const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.keyId }));
		const payload = base64url(JSON.stringify(claims));
		const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.signingKey);
		return `${header}.${payload}.${base64url(signature)}`;
	}
}

export function oauthRoutes(auth: SiteAuth): RouteDefinition[] {
	return [
		{
			method: 'POST',
			path: '/oauth2/token',
			handler: (req) => ({ body: auth.issueToken(req) }),
			auth: 'none',
		},
	];
}
