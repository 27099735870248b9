import { constants, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Verification of Wix webhook deliveries (docs/wix-api.md §5): the request body is a compact JWT signed RS256 with
 * Wix's key for the app; its `data` claim is a JSON string holding the envelope, whose `data` and `identity` are
 * JSON strings again. Only `node:crypto` is used, as community nodes may not depend on jsonwebtoken or jose.
 */

export type WebhookVerificationFailure =
	| 'body_too_large'
	| 'malformed'
	| 'unsupported_alg'
	| 'bad_signature'
	| 'expired'
	| 'not_yet_valid'
	| 'wrong_issuer'
	| 'wrong_audience'
	| 'bad_payload';

export class WebhookVerificationError extends Error {
	constructor(
		readonly reason: WebhookVerificationFailure,
		message: string,
	) {
		super(message);
		this.name = 'WebhookVerificationError';
	}
}

/** The app public key itself is unusable: a set-up problem, not a forged request. */
export class WebhookKeyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WebhookKeyError';
	}
}

export interface VerifyWixWebhookOptions {
	/** The app ID; when the token has an audience it must be this. */
	appId?: string;
	/** The current time in milliseconds since the epoch (default: now). */
	now?: number;
	/** Larger bodies are refused before any parsing (default 1 MiB). */
	maxBodyBytes?: number;
	/** Allowed clock difference for `exp` and `nbf`, in seconds (default 60). */
	clockToleranceSeconds?: number;
}

export type JsonObject = Record<string, unknown>;

/** The domain event inside the envelope (level 2 in docs/wix-api.md §5.3). */
export interface WixDomainEvent extends JsonObject {
	id: string;
	entityId: string;
	eventTime: string;
	entityFqdn?: string;
	slug?: string;
	originatedFrom?: string;
	createdEvent?: { entity?: JsonObject };
	updatedEvent?: { currentEntity?: JsonObject };
	deletedEvent?: JsonObject;
	actionEvent?: { body?: JsonObject };
}

export interface VerifiedWixWebhook {
	header: JsonObject;
	claims: JsonObject;
	eventType: string;
	instanceId: string | null;
	event: WixDomainEvent;
	identity: JsonObject | null;
	accountInfo: JsonObject | null;
}

export const WIX_WEBHOOK_ISSUER = 'wix.com';
export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function fail(reason: WebhookVerificationFailure, message: string): never {
	throw new WebhookVerificationError(reason, message);
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeSegment(segment: string, what: string): Buffer {
	// Buffer.from(…, 'base64url') silently skips characters it does not know, so the alphabet is checked first.
	if (!BASE64URL.test(segment) || segment.length % 4 === 1) {
		fail('malformed', `The token's ${what} is not base64url`);
	}
	return Buffer.from(segment, 'base64url');
}

function parseJsonObject(
	text: string,
	what: string,
	reason: WebhookVerificationFailure,
): JsonObject {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		fail(reason, `The ${what} is not JSON`);
	}
	if (!isObject(parsed)) fail(reason, `The ${what} is not a JSON object`);
	return parsed;
}

/** Wix nests JSON as strings; an already-parsed object is accepted too, as one Wix sample shows `data` that way. */
function nestedObject(value: unknown, what: string): JsonObject {
	if (typeof value === 'string') return parseJsonObject(value, what, 'bad_payload');
	if (isObject(value)) return value;
	return fail('bad_payload', `The ${what} is missing or not an object`);
}

function numericClaim(claims: JsonObject, name: string): number | undefined {
	const value = claims[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		fail('malformed', `The token's ${name} claim is not a number`);
	}
	return value;
}

/** Accepts a PEM as pasted from the Wix dashboard, also without its BEGIN/END lines or with literal "\n". */
export function normalisePublicKeyPem(publicKey: string): string {
	const text = publicKey.replace(/\\n/g, '\n').trim();
	if (text.includes('-----BEGIN')) return text;
	const body = text.replace(/\s+/g, '');
	const lines = body.match(/.{1,64}/g) ?? [];
	return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----`;
}

const keyCache = new Map<string, KeyObject>();

/** The app's RSA public key; throws WebhookKeyError when it is missing or not an RSA public key. */
export function loadWixPublicKey(publicKey: string): KeyObject {
	if (!publicKey || !publicKey.trim()) {
		throw new WebhookKeyError('The credential has no App Public Key');
	}
	const cached = keyCache.get(publicKey);
	if (cached) return cached;
	let key: KeyObject | undefined;
	let problem = '';
	try {
		key = createPublicKey(normalisePublicKeyPem(publicKey));
	} catch (error) {
		problem = (error as Error).message;
	}
	if (!key)
		throw new WebhookKeyError(`The App Public Key is not a valid PEM public key: ${problem}`);
	if (key.asymmetricKeyType !== 'rsa') {
		throw new WebhookKeyError(
			`The App Public Key is a ${String(key.asymmetricKeyType)} key; Wix signs webhooks with RSA`,
		);
	}
	if (keyCache.size >= 20) keyCache.clear();
	keyCache.set(publicKey, key);
	return key;
}

/**
 * Checks a webhook body the way Wix's SDK does with caller checks on, but stricter about the algorithm: the
 * header must say RS256 exactly (so `none`, HS256 keyed with the public key, RS512, PS256… are all refused), the
 * signature must verify against the app public key, `exp`/`nbf` must hold (with a small tolerance), and `iss`
 * and `aud` must be Wix and this app when present. Then the nested JSON strings are unpacked.
 */
export function verifyWixWebhook(
	rawBody: Buffer | string,
	publicKeyPem: string,
	options: VerifyWixWebhookOptions = {},
): VerifiedWixWebhook {
	const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;
	const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : rawBody.length;
	if (size > maxBodyBytes) {
		fail('body_too_large', `The body has ${size} bytes; at most ${maxBodyBytes} are accepted`);
	}
	const token = (typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')).trim();
	if (token === '') fail('malformed', 'The body is empty; Wix sends a signed token');

	const segments = token.split('.');
	if (segments.length !== 3) {
		fail('malformed', `The body is not a compact JWT (${segments.length} parts instead of 3)`);
	}
	const [headerSegment, payloadSegment, signatureSegment] = segments;
	const header = parseJsonObject(
		decodeSegment(headerSegment, 'header').toString('utf8'),
		'token header',
		'malformed',
	);
	if (header.alg !== 'RS256') {
		fail(
			'unsupported_alg',
			`The token is signed with ${JSON.stringify(header.alg)}; only RS256 is accepted`,
		);
	}
	if (header.crit !== undefined) {
		fail('malformed', 'The token has critical header extensions, which are not supported');
	}
	const payloadBytes = decodeSegment(payloadSegment, 'payload');
	const signature = decodeSegment(signatureSegment, 'signature');

	const key = loadWixPublicKey(publicKeyPem);
	const modulusBytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
	const signatureValid =
		signature.length === modulusBytes &&
		verify(
			'sha256',
			Buffer.from(`${headerSegment}.${payloadSegment}`),
			{ key, padding: constants.RSA_PKCS1_PADDING },
			signature,
		);
	if (!signatureValid) fail('bad_signature', 'The signature does not match the app public key');

	const claims = parseJsonObject(payloadBytes.toString('utf8'), 'token payload', 'malformed');
	const nowSeconds = (options.now ?? Date.now()) / 1000;
	const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
	const expiresAt = numericClaim(claims, 'exp');
	if (expiresAt !== undefined && nowSeconds > expiresAt + tolerance) {
		fail('expired', `The token expired at ${new Date(expiresAt * 1000).toISOString()}`);
	}
	const notBefore = numericClaim(claims, 'nbf');
	if (notBefore !== undefined && nowSeconds + tolerance < notBefore) {
		fail(
			'not_yet_valid',
			`The token is not valid before ${new Date(notBefore * 1000).toISOString()}`,
		);
	}
	numericClaim(claims, 'iat');
	if (claims.iss !== undefined && claims.iss !== WIX_WEBHOOK_ISSUER) {
		fail(
			'wrong_issuer',
			`The token was issued by ${JSON.stringify(claims.iss)}, not ${WIX_WEBHOOK_ISSUER}`,
		);
	}
	if (claims.aud !== undefined && options.appId) {
		const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
		if (!audiences.includes(options.appId)) {
			fail(
				'wrong_audience',
				'The token is meant for another app (its audience is not this App ID)',
			);
		}
	}

	const envelope = nestedObject(claims.data, 'data claim');
	if (typeof envelope.eventType !== 'string' || envelope.eventType === '') {
		fail('bad_payload', 'The envelope has no eventType');
	}
	if (envelope.instanceId !== undefined && typeof envelope.instanceId !== 'string') {
		fail('bad_payload', 'The envelope instanceId is not a string');
	}
	const event = nestedObject(envelope.data, 'event (envelope data)');
	if (typeof event.id !== 'string' || event.id === '') fail('bad_payload', 'The event has no id');
	if (typeof event.entityId !== 'string') fail('bad_payload', 'The event has no entityId');
	if (typeof event.eventTime !== 'string' || Number.isNaN(Date.parse(event.eventTime))) {
		fail('bad_payload', 'The event has no valid eventTime');
	}
	const identity =
		envelope.identity === undefined || envelope.identity === null
			? null
			: nestedObject(envelope.identity, 'identity');
	const accountInfo =
		envelope.accountInfo === undefined || envelope.accountInfo === null
			? null
			: nestedObject(envelope.accountInfo, 'accountInfo');

	return {
		header,
		claims,
		eventType: envelope.eventType,
		instanceId: (envelope.instanceId as string | undefined) ?? null,
		event: event as WixDomainEvent,
		identity,
		accountInfo,
	};
}
